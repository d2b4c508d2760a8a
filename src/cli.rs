//! The `biobank` command line (DESIGN.md "Command line").

use std::io::Read;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::config::AppConfig;
use crate::domain::material::Role;
use crate::services::{Actor, demo, users};

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
    }
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
