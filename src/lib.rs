//! biobank: a repository of living and preserved biological material, from accession through
//! storage and viability checks to distribution under a material-transfer agreement.

pub mod cli;
pub mod config;
pub mod db;
pub mod documents;
pub mod domain;
pub mod error;
pub mod i18n;
pub mod labels;
pub mod services;
pub mod web;

use rocket::figment::Figment;
use rocket::{Build, Rocket};
use sea_orm::DatabaseConnection;

pub use config::AppConfig;
use domain::pid::PidScheme;

/// What every handler can reach: the database, the configuration, the identifier scheme.
pub struct AppState {
    pub db: DatabaseConnection,
    pub config: AppConfig,
    pub pid: PidScheme,
}

/// A server ready to launch, and the one-time setup URL when no account exists yet.
pub struct Prepared {
    pub rocket: Rocket<Build>,
    pub setup_url: Option<String>,
}

/// Builds the application on a migrated database. Tests call this with their own database and
/// Rocket figment; `biobank serve` calls it with the environment's.
pub async fn build(
    figment: Figment,
    config: AppConfig,
    db: DatabaseConnection,
) -> anyhow::Result<Prepared> {
    let pid = PidScheme::from_config(&config.pid_scheme, &config.pid_prefix, &config.base_url)
        .map_err(|e| anyhow::anyhow!("BIOBANK_PID_SCHEME/BIOBANK_PID_PREFIX: {e}"))?;
    let key = services::setup::secret_key(&db, config.secret_key.as_deref()).await?;
    let setup_url = services::setup::issue_setup_token(&db)
        .await?
        .map(|token| format!("{}/setup/{token}", config.base_url));
    let limits = rocket::data::Limits::default()
        .limit(
            "json",
            rocket::data::ToByteUnit::bytes(config.json_limit_bytes),
        )
        .limit("form", rocket::data::ToByteUnit::kibibytes(256))
        .limit("data-form", rocket::data::ToByteUnit::mebibytes(20));
    let figment = figment
        .merge(("secret_key", key))
        .merge(("limits", limits))
        .merge(("cli_colors", false));
    let mailer = services::mail::Mailer::from_config(&config)?;
    if mailer.is_some() {
        services::mail::install(mailer.clone());
    }
    let scheduler =
        services::viability::reminders::scheduler(config.scheduler_interval_secs, mailer);
    let rocket = web::mount(rocket::custom(figment))
        .manage(AppState { db, config, pid })
        .attach(scheduler);
    Ok(Prepared { rocket, setup_url })
}
