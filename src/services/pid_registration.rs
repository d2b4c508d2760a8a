//! Identifier registration: the metadata a registration agency (CSTR or DOI) needs to register
//! the repository's persistent identifiers in bulk, and the record of which ones it has
//! registered, so the next batch holds only what is still to do.

use std::collections::{HashMap, HashSet};

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};

use entities::{accession, identifier_registration};

use super::standards::Publisher;
use super::{Actor, audit, now};
use crate::domain::FieldError;
use crate::domain::material::MaterialType;
use crate::domain::pid::resolver_path;
use crate::error::{AppError, AppResult};

/// The most identifiers one request may mark registered.
pub const MAX_BATCH: usize = 10_000;

/// The registration CSV's columns.
pub const REGISTRATION_COLUMNS: [&str; 9] = [
    "identifier",
    "agency",
    "title",
    "resource_type",
    "holder",
    "url",
    "created",
    "updated",
    "registered_at",
];

/// The agency an identifier is registered with, from its form.
pub fn agency_of(pid: &str) -> &'static str {
    let p = pid.trim().to_ascii_lowercase();
    if p.starts_with("cstr:") {
        "cstr"
    } else if p.starts_with("10.") || p.starts_with("doi:") || p.contains("doi.org/10.") {
        "doi"
    } else {
        "url"
    }
}

/// Every identifier the repository has issued (deaccessioned ones too: they still resolve),
/// with its registration metadata and when it was registered (empty when not yet).
pub async fn registration_csv<C: ConnectionTrait>(
    conn: &C,
    publisher: &Publisher,
) -> AppResult<(String, usize)> {
    let registered: HashMap<String, String> = identifier_registration::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.pid, r.registered_at.format("%Y-%m-%d").to_string()))
        .collect();
    let accessions = accession::Entity::find()
        .order_by_asc(accession::Column::Id)
        .all(conn)
        .await?;
    let fail = |e: &dyn std::fmt::Display| AppError::Internal(format!("writing CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(REGISTRATION_COLUMNS).map_err(|e| fail(&e))?;
    for a in &accessions {
        let resource_type = a
            .material_type
            .parse::<MaterialType>()
            .map(|t| t.label().to_string())
            .unwrap_or_else(|_| a.material_type.clone());
        let title = format!(
            "{} ({} {})",
            a.taxon_name, a.institute_code, a.accession_number
        );
        let url = format!(
            "{}{}",
            publisher.base_url,
            resolver_path(&a.pid, &publisher.base_url)
        );
        w.write_record([
            a.pid.as_str(),
            agency_of(&a.pid),
            title.as_str(),
            resource_type.as_str(),
            publisher.institute_name.as_str(),
            url.as_str(),
            &a.created_at.format("%Y-%m-%d").to_string(),
            &a.updated_at.format("%Y-%m-%d").to_string(),
            registered.get(&a.pid).map(String::as_str).unwrap_or(""),
        ])
        .map_err(|e| fail(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| fail(&e))?;
    let text = String::from_utf8(bytes).map_err(|e| fail(&e))?;
    Ok((text, accessions.len()))
}

/// Records that the agency registered these identifiers; the number newly recorded. An
/// identifier the repository never issued is refused and nothing is written.
pub async fn mark_registered<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    identifiers: &[String],
) -> AppResult<usize> {
    let wanted: Vec<&str> = identifiers
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<HashSet<_>>()
        .into_iter()
        .collect();
    if wanted.is_empty() || wanted.len() > MAX_BATCH {
        return Err(AppError::invalid(
            "identifiers",
            "out_of_range",
            format!("identifiers: give from 1 to {MAX_BATCH} identifiers"),
        ));
    }
    let txn = db.begin().await?;
    let mut issued = HashMap::new();
    for chunk in wanted.chunks(500) {
        for a in accession::Entity::find()
            .filter(accession::Column::Pid.is_in(chunk.iter().copied()))
            .all(&txn)
            .await?
        {
            issued.insert(a.pid.clone(), a.id);
        }
    }
    let mut unknown: Vec<&str> = wanted
        .iter()
        .copied()
        .filter(|p| !issued.contains_key(*p))
        .collect();
    if !unknown.is_empty() {
        unknown.sort();
        unknown.truncate(5);
        return Err(AppError::Invalid(vec![FieldError::new(
            "identifiers",
            "unknown_identifier",
            format!(
                "identifiers: not issued by this repository: {}",
                unknown.join(", ")
            ),
        )]));
    }
    let mut done: HashSet<String> = HashSet::new();
    for chunk in wanted.chunks(500) {
        for r in identifier_registration::Entity::find()
            .filter(identifier_registration::Column::Pid.is_in(chunk.iter().copied()))
            .all(&txn)
            .await?
        {
            done.insert(r.pid);
        }
    }
    let mut recorded = 0;
    let mut todo: Vec<&str> = wanted.into_iter().filter(|p| !done.contains(*p)).collect();
    todo.sort();
    for pid in todo {
        let row = identifier_registration::ActiveModel {
            accession_id: Set(issued[pid]),
            pid: Set(pid.to_string()),
            agency: Set(agency_of(pid).to_string()),
            registered_by: Set(actor.user_id),
            registered_at: Set(now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            actor,
            "register_identifier",
            "identifier_registrations",
            row.id,
            None,
            Some(serde_json::json!({"pid": row.pid, "agency": row.agency})),
        )
        .await?;
        recorded += 1;
    }
    txn.commit().await?;
    Ok(recorded)
}
