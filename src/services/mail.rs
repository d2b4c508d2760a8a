//! E-mail notices through an SMTP relay (`BIOBANK_SMTP_URL`, `BIOBANK_SMTP_FROM`). When neither
//! is set nothing is sent: the in-app notices stay the record, e-mail is a courtesy copy.

use std::sync::{Arc, RwLock};

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::AppConfig;

/// A configured SMTP relay and sender.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
}

impl std::fmt::Debug for Mailer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Mailer").field("from", &self.from).finish()
    }
}

impl Mailer {
    /// A mailer for `smtp://[user:pass@]host[:port]` (no TLS; a relay on the local network or
    /// localhost) sending as `from`.
    pub fn new(url: &str, from: &str) -> anyhow::Result<Mailer> {
        let bad = || anyhow::anyhow!("BIOBANK_SMTP_URL: use smtp://[user:pass@]host[:port]");
        let rest = url.trim().strip_prefix("smtp://").ok_or_else(bad)?;
        let rest = rest.trim_end_matches('/');
        let (credentials, address) = match rest.rsplit_once('@') {
            Some((c, a)) => (Some(c), a),
            None => (None, rest),
        };
        let (host, port) = match address.rsplit_once(':') {
            Some((h, p)) => (h, p.parse::<u16>().map_err(|_| bad())?),
            None => (address, 25),
        };
        if host.is_empty() || host.contains(['/', '?', ' ']) {
            return Err(bad());
        }
        let mut builder = AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(host)
            .port(port)
            .timeout(Some(std::time::Duration::from_secs(20)));
        if let Some(c) = credentials {
            let (user, pass) = c.split_once(':').ok_or_else(bad)?;
            builder =
                builder.credentials(lettre::transport::smtp::authentication::Credentials::new(
                    user.to_string(),
                    pass.to_string(),
                ));
        }
        let transport = builder.build();
        let from = from
            .trim()
            .parse::<Mailbox>()
            .map_err(|e| anyhow::anyhow!("BIOBANK_SMTP_FROM: not an e-mail address ({e})"))?;
        Ok(Mailer { transport, from })
    }

    /// The mailer the configuration asks for; `None` when SMTP is not configured.
    pub fn from_config(config: &AppConfig) -> anyhow::Result<Option<Mailer>> {
        match (&config.smtp_url, &config.smtp_from) {
            (None, None) => Ok(None),
            (Some(url), Some(from)) => Mailer::new(url, from).map(Some),
            (Some(_), None) => anyhow::bail!("BIOBANK_SMTP_FROM must be set with BIOBANK_SMTP_URL"),
            (None, Some(_)) => anyhow::bail!("BIOBANK_SMTP_URL must be set with BIOBANK_SMTP_FROM"),
        }
    }

    /// Sends one plain-text message; the error says what went wrong, for the log.
    pub async fn send(&self, to: &str, subject: &str, body: &str) -> Result<(), String> {
        let to = to
            .trim()
            .parse::<Mailbox>()
            .map_err(|e| format!("'{to}' is not an e-mail address: {e}"))?;
        let message = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(subject)
            .body(body.to_string())
            .map_err(|e| e.to_string())?;
        self.transport
            .send(message)
            .await
            .map(|_| ())
            .map_err(|e| e.to_string())
    }
}

static INSTALLED: RwLock<Option<Arc<Mailer>>> = RwLock::new(None);

/// Makes `mailer` the one services use for notices sent in the course of a request
/// (`biobank serve` installs the configured one at start).
pub fn install(mailer: Option<Mailer>) {
    if let Ok(mut slot) = INSTALLED.write() {
        *slot = mailer.map(Arc::new);
    }
}

/// The installed mailer, if SMTP is configured.
pub fn installed() -> Option<Arc<Mailer>> {
    INSTALLED.read().ok().and_then(|m| m.clone())
}

/// Sends through the installed mailer without waiting for the relay; a no-op without SMTP.
/// Failures are logged: the in-app notice already records the event.
pub fn send_in_background(messages: Vec<(String, String, String)>) {
    let Some(mailer) = installed() else {
        return;
    };
    if messages.is_empty() || tokio::runtime::Handle::try_current().is_err() {
        return;
    }
    tokio::spawn(async move {
        for (to, subject, body) in messages {
            if let Err(e) = mailer.send(&to, &subject, &body).await {
                tracing::warn!(to, error = %e, "e-mail notice not sent");
            }
        }
    });
}
