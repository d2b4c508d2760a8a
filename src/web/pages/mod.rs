//! HTML pages, one module per area.

pub mod accessions;
pub mod account;
pub mod audit;
pub mod auth;
pub mod catalog;
pub mod errors;
pub mod exports;
pub mod home;
pub mod ident;
pub mod labels;
pub mod mtas;
pub mod notifications;
pub mod picking;
pub mod reports;
pub mod requests;
pub mod storage;
pub mod users;
pub mod viability;
pub mod view;

use rocket::Route;

/// Percent-encodes a value for a query string.
pub fn url_encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' | b'/' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// Only same-site paths may be redirect targets (no open redirects).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.contains('\\') => n.to_string(),
        _ => "/".to_string(),
    }
}

/// All page routes.
pub fn routes() -> Vec<Route> {
    [
        auth::routes(),
        home::routes(),
        accessions::routes(),
        account::routes(),
        audit::routes(),
        users::routes(),
        ident::routes(),
        labels::routes(),
        viability::routes(),
        storage::routes(),
        catalog::routes(),
        requests::routes(),
        picking::routes(),
        notifications::routes(),
        mtas::routes(),
        exports::routes(),
        reports::routes(),
    ]
    .concat()
}
