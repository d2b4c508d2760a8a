//! Picking a request's samples at the freezer: the list in storage walking order, and a scan of
//! each sample's label to confirm it is the right one. Shipping waits until every reserved
//! sample has been confirmed.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use serde::Serialize;

use entities::{accession, request, request_item, request_item_sample, sample};

use super::events::{self, SampleEvent};
use super::storage::{Tree, grid_of, natural_key};
use super::{Actor, audit, now};
use crate::domain::label_code::LabelCode;
use crate::error::{AppError, AppResult};

/// One sample to take out of storage for a request.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PickLine {
    pub reservation_id: i64,
    pub sample_id: i64,
    /// Hyphenated label code, as printed.
    pub label_code: String,
    pub accession_number: String,
    pub taxon: String,
    pub quantity: f64,
    pub unit: String,
    /// Site / room / equipment / rack / box, or empty when the sample is in no box.
    pub location: String,
    pub position: Option<String>,
    pub picked: bool,
}

/// A request's pick list in the order a technician walks the store: by storage path (with
/// `Box 2` before `Box 10`), then by position inside the box.
pub async fn pick_list<C: ConnectionTrait>(conn: &C, request_id: i64) -> AppResult<Vec<PickLine>> {
    let items = request_item::Entity::find()
        .filter(request_item::Column::RequestId.eq(request_id))
        .all(conn)
        .await?;
    let reservations = request_item_sample::Entity::find()
        .filter(request_item_sample::Column::RequestItemId.is_in(items.iter().map(|i| i.id)))
        .all(conn)
        .await?;
    let samples = sample::Entity::find()
        .filter(sample::Column::Id.is_in(reservations.iter().map(|r| r.sample_id)))
        .all(conn)
        .await?;
    let accessions = accession::Entity::find()
        .filter(accession::Column::Id.is_in(samples.iter().map(|s| s.accession_id)))
        .all(conn)
        .await?;
    let tree = Tree::load(conn).await?;
    let mut keyed = Vec::new();
    for r in reservations {
        let s = samples
            .iter()
            .find(|s| s.id == r.sample_id)
            .ok_or(AppError::NotFound)?;
        let a = accessions
            .iter()
            .find(|a| a.id == s.accession_id)
            .ok_or(AppError::NotFound)?;
        let location = s
            .storage_unit_id
            .map(|u| tree.path_text(u))
            .unwrap_or_default();
        let slot = match (s.storage_unit_id.and_then(|u| tree.unit(u)), &s.position) {
            (Some(u), Some(p)) => grid_of(u).and_then(|g| g.index_of(p)).unwrap_or(0),
            _ => 0,
        };
        let key = (location.is_empty(), natural_key(&location), slot);
        keyed.push((
            key,
            PickLine {
                reservation_id: r.id,
                sample_id: s.id,
                label_code: LabelCode::parse(&s.label_code)
                    .map(|c| c.display())
                    .unwrap_or_else(|_| s.label_code.clone()),
                accession_number: a.accession_number.clone(),
                taxon: a.taxon_name.clone(),
                quantity: r.quantity_reserved,
                unit: s.unit.clone(),
                location,
                position: s.position.clone(),
                picked: r.picked_at.is_some(),
            },
        ));
    }
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    Ok(keyed.into_iter().map(|(_, line)| line).collect())
}

/// Confirms one picked sample by its scanned label. Refuses a code that is mistyped, a sample
/// that is not on this request's list (the technician took the wrong tube), one already
/// confirmed, and any request that is not being picked.
pub async fn confirm<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    request_id: i64,
    scanned: &str,
) -> AppResult<PickLine> {
    let code =
        LabelCode::parse(scanned).map_err(|e| AppError::Invalid(vec![e.to_field_error("code")]))?;
    let txn = db.begin().await?;
    let r = request::Entity::find_by_id(request_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.status != "picking" {
        return Err(AppError::conflict(
            "status",
            format!(
                "status: picking is not open for this request (it is {})",
                r.status
            ),
        ));
    }
    let lines = pick_list(&txn, request_id).await?;
    let Some(line) = lines
        .into_iter()
        .find(|l| l.label_code.replace('-', "") == code.as_str())
    else {
        return Err(AppError::conflict(
            "code",
            format!(
                "code: {} is not on this request's pick list; put it back and take the sample listed",
                code.display()
            ),
        ));
    };
    if line.picked {
        return Err(AppError::conflict(
            "code",
            format!("code: {} was already picked", line.label_code),
        ));
    }
    let before = request_item_sample::Entity::find_by_id(line.reservation_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut am: request_item_sample::ActiveModel = before.clone().into();
    am.picked_at = Set(Some(now()));
    am.picked_by = Set(actor.user_id);
    let after = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "pick",
        "request_item_samples",
        before.id,
        audit::snapshot(&before),
        audit::snapshot(&after),
    )
    .await?;
    let note = format!("request {request_id}");
    events::record(
        &txn,
        actor,
        line.sample_id,
        SampleEvent::new("picked", Some(note)),
    )
    .await?;
    txn.commit().await?;
    Ok(PickLine {
        picked: true,
        ..line
    })
}

/// How many reserved samples are still to be picked (shipping waits for none).
pub async fn unpicked<C: ConnectionTrait>(conn: &C, request_id: i64) -> AppResult<usize> {
    Ok(pick_list(conn, request_id)
        .await?
        .iter()
        .filter(|l| !l.picked)
        .count())
}
