//! Configuration from the environment (DESIGN.md "Configuration").

use std::env;

/// One day, the background job's default interval.
pub const DAY_SECS: u64 = 24 * 60 * 60;

/// Everything the server needs to know about where it runs.
#[derive(Debug, Clone)]
pub struct AppConfig {
    /// `sqlite://…` or `postgres://…`.
    pub database_url: String,
    /// Public base URL, used in QR codes, identifiers and the setup link.
    pub base_url: String,
    /// Cookie key; when absent one is generated and kept in the database.
    pub secret_key: Option<String>,
    /// FAO WIEWS code of the holding institute (INSTCODE).
    pub institute_code: String,
    /// Persistent-identifier scheme: `url`, `cstr` or `doi`.
    pub pid_scheme: String,
    /// Registration-agency prefix for CSTR (`16409.11`) or DOI (`10.18730`).
    pub pid_prefix: String,
    /// Largest JSON body accepted, in bytes.
    pub json_limit_bytes: u64,
    /// A Zebra printer's `host:port` (raw TCP, usually 9100) for printing labels directly.
    pub zpl_printer: Option<String>,
    /// Seconds between runs of the background job that recomputes due dates and posts
    /// reminders; `None` (or 0 in the environment) turns it off. Default one day.
    pub scheduler_interval_secs: Option<u64>,
    /// `smtp://[user:pass@]host[:port]` of the mail relay for e-mail notices; none: no e-mail.
    pub smtp_url: Option<String>,
    /// The sender address of e-mail notices.
    pub smtp_from: Option<String>,
}

impl AppConfig {
    /// Reads `BIOBANK_*` variables, with defaults that run on a laptop.
    pub fn from_env() -> Self {
        let var = |k: &str| env::var(k).ok().filter(|v| !v.trim().is_empty());
        let address = var("ROCKET_ADDRESS").unwrap_or_else(|| "127.0.0.1".into());
        let port = var("ROCKET_PORT").unwrap_or_else(|| "8000".into());
        AppConfig {
            database_url: var("BIOBANK_DATABASE_URL")
                .unwrap_or_else(|| "sqlite://biobank.db?mode=rwc".into()),
            base_url: var("BIOBANK_BASE_URL")
                .unwrap_or_else(|| format!("http://{address}:{port}"))
                .trim_end_matches('/')
                .to_string(),
            secret_key: var("BIOBANK_SECRET_KEY"),
            institute_code: var("BIOBANK_INSTITUTE_CODE").unwrap_or_else(|| "CHN000".into()),
            pid_scheme: var("BIOBANK_PID_SCHEME").unwrap_or_else(|| "url".into()),
            pid_prefix: var("BIOBANK_PID_PREFIX").unwrap_or_default(),
            json_limit_bytes: 1024 * 1024,
            zpl_printer: var("BIOBANK_ZPL_PRINTER"),
            scheduler_interval_secs: match var("BIOBANK_SCHEDULER_INTERVAL_SECS")
                .map(|v| v.trim().parse::<u64>())
            {
                Some(Ok(0)) => None,
                Some(Ok(secs)) => Some(secs),
                Some(Err(_)) => {
                    eprintln!(
                        "BIOBANK_SCHEDULER_INTERVAL_SECS is not a whole number of seconds; \
                         using one day"
                    );
                    Some(DAY_SECS)
                }
                None => Some(DAY_SECS),
            },
            smtp_url: var("BIOBANK_SMTP_URL"),
            smtp_from: var("BIOBANK_SMTP_FROM"),
        }
    }

    /// A configuration for tests and tools: given database, local base URL.
    pub fn for_database(database_url: &str) -> Self {
        AppConfig {
            database_url: database_url.to_string(),
            base_url: "http://127.0.0.1:8000".into(),
            secret_key: None,
            institute_code: "CHN001".into(),
            pid_scheme: "url".into(),
            pid_prefix: String::new(),
            json_limit_bytes: 1024 * 1024,
            zpl_printer: None,
            scheduler_interval_secs: None,
            smtp_url: None,
            smtp_from: None,
        }
    }

    /// Cookies get the Secure flag when the public URL is HTTPS.
    pub fn secure_cookies(&self) -> bool {
        self.base_url.starts_with("https://")
    }
}
