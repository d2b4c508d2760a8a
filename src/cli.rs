//! The `biobank` command line (DESIGN.md "Command line").

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::AppConfig;
use crate::domain::material::Role;
use crate::services::standards::{self, ExportKind, Publisher};
use crate::services::{Actor, demo, export, import, users};

#[derive(Parser)]
#[command(
    name = "biobank",
    version,
    about = "Run a biological resource repository"
)]
struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web server (migrates the database first).
    Serve,
    /// Apply pending migrations and exit.
    Migrate,
    /// Manage accounts.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Load a realistic demonstration data set into an empty database.
    Demo,
    /// Import passport data from an exchange file.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// Export the registry to an exchange file.
    Export {
        #[command(subcommand)]
        command: ExportCommand,
    },
    /// Write a consistent copy of the SQLite database while the server runs
    /// (PostgreSQL: use pg_dump, see the README).
    Backup {
        /// The backup file to create (must not exist yet).
        #[arg(long)]
        out: PathBuf,
    },
    /// Put a backup in place of the SQLite database. Stop the server first.
    Restore {
        /// The backup file, as written by `biobank backup`.
        #[arg(long)]
        from: PathBuf,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// MCPD v2.1 passport data (CSV or TSV); nothing is written unless every row is valid.
    Mcpd {
        file: PathBuf,
        /// Check and report without writing.
        #[arg(long)]
        dry_run: bool,
        /// Import the valid rows and skip the invalid ones.
        #[arg(long)]
        skip_invalid: bool,
        /// Write the per-row report (line, column, value, severity, message) as CSV.
        #[arg(long)]
        report: Option<PathBuf>,
        /// Map a descriptive header to an MCPD column, e.g. --map "Accession number=ACCENUMB".
        #[arg(long = "map", value_name = "HEADER=COLUMN")]
        map: Vec<String>,
    },
}

#[derive(Subcommand)]
enum ExportCommand {
    /// MCPD v2.1 CSV of the plant accessions, canonical column order.
    Mcpd {
        #[arg(long)]
        out: PathBuf,
    },
    /// Darwin Core Archive (zip: meta.xml, eml.xml, occurrence.txt) of specimens, strains and
    /// plant material, for GBIF.
    Dwca {
        #[arg(long)]
        out: PathBuf,
    },
    /// MIABIS collections and samples: JSON, or CSV (FILE gets the samples, FILE with
    /// `.collections` before the extension the collections).
    Miabis {
        #[arg(long)]
        out: PathBuf,
        /// json or csv (default: from the file's extension, else json).
        #[arg(long)]
        format: Option<String>,
    },
    /// Microbial strains in the GCM/MIRRI minimum data set (CSV).
    Gcm {
        #[arg(long)]
        out: PathBuf,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create an active account.
    Add {
        username: String,
        /// admin, curator, technician or researcher.
        #[arg(long)]
        role: String,
        /// Read the password from standard input instead of generating one.
        #[arg(long)]
        password_stdin: bool,
        #[arg(long)]
        email: Option<String>,
        #[arg(long)]
        display_name: Option<String>,
    },
}

/// Runs the command line; user errors print one line and exit 1.
pub fn main() -> ExitCode {
    let cli = Cli::parse();
    init_tracing();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(r) => r,
        Err(e) => {
            eprintln!("biobank: cannot start: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("biobank: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn init_tracing() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("BIOBANK_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info,sqlx=warn,sea_orm=warn"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .try_init();
}

async fn open(config: &AppConfig) -> anyhow::Result<sea_orm::DatabaseConnection> {
    let db = crate::db::connect(&config.database_url)
        .await
        .map_err(|e| {
            anyhow::anyhow!(
                "cannot open the database {}: {e}",
                redact(&config.database_url)
            )
        })?;
    crate::db::migrate(&db)
        .await
        .map_err(|e| anyhow::anyhow!("migration failed: {e}"))?;
    Ok(db)
}

/// Hides a password in a database URL before printing it.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.find(':') {
                Some(c) => format!("{}{}:***{}", &url[..s + 3], &creds[..c], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

async fn run(cli: Cli) -> anyhow::Result<()> {
    let config = AppConfig::from_env();
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => serve(config).await,
        Command::Migrate => {
            open(&config).await?;
            println!("database is up to date");
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    role,
                    password_stdin,
                    email,
                    display_name,
                },
        } => {
            let role: Role = role.parse().map_err(|e| anyhow::anyhow!("--role: {e}"))?;
            let (password, generated) = if password_stdin {
                let mut buf = String::new();
                std::io::stdin().read_to_string(&mut buf)?;
                (buf.trim_end_matches(['\r', '\n']).to_string(), false)
            } else {
                (crate::services::random_token(15), true)
            };
            let db = open(&config).await?;
            let input = users::NewUser {
                username,
                display_name,
                email,
                password: password.clone(),
                role,
                institution: None,
            };
            let user = users::create_user(&db, &Actor::system("cli"), input, "active")
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.public_message()))?;
            println!("created {} ({})", user.username, user.role);
            if generated {
                println!("password (shown once): {password}");
            }
            Ok(())
        }
        Command::Demo => {
            let db = open(&config).await?;
            let summary = demo::load(&db, &config)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.public_message()))?;
            println!("{summary}");
            Ok(())
        }
        Command::Import {
            command:
                ImportCommand::Mcpd {
                    file,
                    dry_run,
                    skip_invalid,
                    report,
                    map,
                },
        } => {
            let column_map = map
                .iter()
                .map(|m| match m.split_once('=') {
                    Some((from, to)) => Ok((from.trim().to_string(), to.trim().to_string())),
                    None => Err(anyhow::anyhow!("--map {m}: write HEADER=COLUMN")),
                })
                .collect::<anyhow::Result<Vec<_>>>()?;
            let opts = import::ImportOptions {
                dry_run,
                skip_invalid,
                column_map,
            };
            import_mcpd(&config, &file, report.as_deref(), &opts).await
        }
        Command::Backup { out } => {
            let db = open(&config).await?;
            let held = crate::services::backup::backup(&db, &out)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.public_message()))?;
            println!("backed up to {}: {held}", out.display());
            Ok(())
        }
        Command::Restore { from } => {
            let held = crate::services::backup::restore(&config.database_url, &from)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.public_message()))?;
            println!(
                "restored {} from {}: {held}",
                config.database_url,
                from.display()
            );
            Ok(())
        }
        Command::Export {
            command: ExportCommand::Mcpd { out },
        } => {
            let db = open(&config).await?;
            let (text, rows) = export::export_mcpd(&db)
                .await
                .map_err(|e| anyhow::anyhow!("{}", e.public_message()))?;
            std::fs::write(&out, text)
                .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
            println!("exported {rows} plant accessions to {}", out.display());
            Ok(())
        }
        Command::Export {
            command: ExportCommand::Dwca { out },
        } => {
            let db = open(&config).await?;
            let n = write_export(&config, &db, ExportKind::Dwca, &out).await?;
            println!("exported {n} occurrences to {}", out.display());
            Ok(())
        }
        Command::Export {
            command: ExportCommand::Gcm { out },
        } => {
            let db = open(&config).await?;
            let n = write_export(&config, &db, ExportKind::Gcm, &out).await?;
            println!("exported {n} strains to {}", out.display());
            Ok(())
        }
        Command::Export {
            command: ExportCommand::Miabis { out, format },
        } => {
            let csv = miabis_wants_csv(&out, format.as_deref())?;
            let db = open(&config).await?;
            if csv {
                let collections = collections_path(&out);
                let n = write_export(&config, &db, ExportKind::MiabisSamplesCsv, &out).await?;
                let c = write_export(&config, &db, ExportKind::MiabisCollectionsCsv, &collections)
                    .await?;
                println!(
                    "exported {n} samples to {} and {c} collections to {}",
                    out.display(),
                    collections.display()
                );
            } else {
                let n = write_export(&config, &db, ExportKind::MiabisJson, &out).await?;
                println!(
                    "exported {n} samples with their collections to {}",
                    out.display()
                );
            }
            Ok(())
        }
    }
}

/// Writes one standards export to a file; the number of records in it.
async fn write_export(
    config: &AppConfig,
    db: &sea_orm::DatabaseConnection,
    kind: ExportKind,
    out: &Path,
) -> anyhow::Result<usize> {
    let failed = |e: crate::error::AppError| anyhow::anyhow!("{}", e.public_message());
    let publisher = Publisher::of(db, &config.institute_code, &config.base_url)
        .await
        .map_err(failed)?;
    let file = standards::produce(db, &publisher, kind)
        .await
        .map_err(failed)?;
    std::fs::write(out, &file.bytes)
        .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", out.display()))?;
    Ok(file.records)
}

/// CSV when asked for, or when the file ends in `.csv`; JSON otherwise.
fn miabis_wants_csv(out: &Path, format: Option<&str>) -> anyhow::Result<bool> {
    match format.map(|f| f.trim().to_ascii_lowercase()).as_deref() {
        Some("csv") => Ok(true),
        Some("json") => Ok(false),
        Some(other) => Err(anyhow::anyhow!("--format {other}: choose json or csv")),
        None => Ok(out
            .extension()
            .is_some_and(|e| e.eq_ignore_ascii_case("csv"))),
    }
}

/// `samples.csv` → `samples.collections.csv`, beside it.
fn collections_path(out: &Path) -> PathBuf {
    let stem = out
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_else(|| "miabis".into());
    out.with_file_name(format!("{stem}.collections.csv"))
}

/// Most problems a terminal shows before pointing at the report file.
const MAX_PROBLEMS_SHOWN: usize = 50;

async fn import_mcpd(
    config: &AppConfig,
    file: &Path,
    report_path: Option<&Path>,
    opts: &import::ImportOptions,
) -> anyhow::Result<()> {
    let name = file.display();
    let bytes = std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {name}: {e}"))?;
    let pid_scheme = crate::domain::pid::PidScheme::from_config(
        &config.pid_scheme,
        &config.pid_prefix,
        &config.base_url,
    )
    .map_err(|e| anyhow::anyhow!("identifier scheme: {e}"))?;
    let db = open(config).await?;
    let report = import::import_mcpd(
        &db,
        &Actor::system("cli import"),
        &pid_scheme,
        &config.institute_code,
        &bytes,
        opts,
    )
    .await
    .map_err(|e| anyhow::anyhow!("{name}: {}", e.public_message()))?;
    if let Some(path) = report_path {
        std::fs::write(path, report.to_csv())
            .map_err(|e| anyhow::anyhow!("cannot write {}: {e}", path.display()))?;
    }
    let errors: Vec<_> = report.errors().collect();
    for f in errors.iter().take(MAX_PROBLEMS_SHOWN) {
        println!(
            "line {}, {}, '{}': {}",
            f.line, f.column, f.value, f.message
        );
    }
    if errors.len() > MAX_PROBLEMS_SHOWN {
        println!(
            "… and {} more problems{}",
            errors.len() - MAX_PROBLEMS_SHOWN,
            if report_path.is_some() {
                " (see the report)"
            } else {
                "; use --report FILE to see all"
            }
        );
    }
    let normalised = report
        .findings
        .iter()
        .filter(|f| f.severity == crate::domain::mcpd::import::Severity::Normalised)
        .count();
    println!(
        "{name} ({}): {} rows — {} created, {} updated, {} unchanged, {} invalid; {} values normalised; {} child rows skipped; mean PDCI {:.2}{}",
        report.encoding,
        report.rows,
        report.created,
        report.updated,
        report.unchanged,
        report.invalid,
        normalised,
        report.children_skipped,
        report.mean_pdci,
        if opts.dry_run {
            " (dry run: nothing written)"
        } else {
            ""
        }
    );
    if report.refused {
        let first = errors
            .first()
            .map(|f| format!("; first: line {}, {}: {}", f.line, f.column, f.message))
            .unwrap_or_default();
        anyhow::bail!(
            "{name}: import refused, nothing written: {} invalid rows (use --skip-invalid to import the rest){first}",
            report.invalid
        );
    }
    Ok(())
}

async fn serve(config: AppConfig) -> anyhow::Result<()> {
    let db = open(&config).await?;
    let figment = rocket::Config::figment();
    let prepared = crate::build(figment, config.clone(), db).await?;
    tracing::info!(database = %redact(&config.database_url), "biobank starting");
    if std::env::var("BIOBANK_INSTITUTE_CODE").is_err() {
        tracing::warn!(
            "BIOBANK_INSTITUTE_CODE is not set; new accessions use the placeholder CHN000 — set your FAO WIEWS code"
        );
    }
    if let Some(url) = &prepared.setup_url {
        println!(
            "\nNo accounts yet. Open this one-time setup link to create the administrator:\n\n    {url}\n"
        );
    }
    prepared
        .rocket
        .launch()
        .await
        .map_err(|e| anyhow::anyhow!("server stopped: {e}"))?;
    Ok(())
}
