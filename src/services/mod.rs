//! Use cases. Each takes a connection, checks its rules, writes in one transaction and appends
//! to the audit log (and to the ledger where a quantity changes).

pub mod accessions;
pub mod audit;
pub mod backup;
pub mod brapi;
pub mod catalog;
pub mod custody;
pub mod demo;
pub mod demo_storage;
pub mod demo_viability;
pub mod dwca;
pub mod events;
pub mod export;
pub mod fields;
pub mod gcm;
pub mod import;
pub mod integrity;
pub mod labels;
pub mod ledger;
pub mod mail;
pub mod miabis;
pub mod mta_reports;
pub mod mta_signed;
pub mod mta_templates;
pub mod mtas;
pub mod notices;
pub mod overview;
pub mod picking;
pub mod pid_registration;
pub mod public_records;
pub mod request_documents;
pub mod request_views;
pub mod requests;
pub mod samples;
pub mod sessions;
pub mod setup;
pub mod sharing_report;
pub mod standards;
pub mod storage;
pub mod users;
pub mod viability;

use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// Who performs a write, for the audit trail.
#[derive(Debug, Clone)]
pub struct Actor {
    pub user_id: Option<i64>,
    pub name: String,
    pub ip: Option<String>,
}

impl Actor {
    /// The command line or a background job acting on its own.
    pub fn system(name: &str) -> Actor {
        Actor {
            user_id: None,
            name: name.to_string(),
            ip: None,
        }
    }
}

/// A random URL-safe token of `bytes` bytes of entropy.
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::rng().fill_bytes(&mut buf);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

/// Hex SHA-256, used to store tokens so a leaked database does not leak sessions.
pub fn sha256_hex(data: &[u8]) -> String {
    hex::encode(Sha256::digest(data))
}

/// The current time, truncated to microseconds so both databases store it the same way.
pub fn now() -> chrono::DateTime<chrono::Utc> {
    use chrono::{SubsecRound, Utc};
    Utc::now().trunc_subsecs(6)
}

/// One page of a list, with the total for pagination.
#[derive(Debug, Clone, serde::Serialize, utoipa::ToSchema)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
}

impl<T> Page<T> {
    /// Number of pages (at least one).
    pub fn pages(&self) -> u64 {
        self.total.div_ceil(self.per_page.max(1)).max(1)
    }
}
