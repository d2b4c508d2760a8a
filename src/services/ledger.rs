//! The quantity ledger: the only way a sample's quantity changes. For every sample,
//! quantity = sum of its entries.

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use entities::{ledger_entry, sample};

use super::{Actor, audit, now};
use crate::domain::material::LedgerReason;
use crate::error::{AppError, AppResult};

/// One movement to post.
#[derive(Debug, Clone)]
pub struct Movement<'a> {
    pub sample_id: i64,
    pub delta: f64,
    pub reason: LedgerReason,
    pub request_id: Option<i64>,
    pub viability_test_id: Option<i64>,
    pub note: Option<&'a str>,
}

/// Posts a movement and changes the sample's quantity in the same statement, refusing any
/// change that would take the quantity below what is reserved (or below zero). Call inside
/// the caller's transaction.
pub async fn post<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    m: Movement<'_>,
) -> AppResult<ledger_entry::Model> {
    if !m.delta.is_finite() {
        return Err(AppError::invalid(
            "quantity",
            "invalid_type",
            "quantity: must be a finite number",
        ));
    }
    // A single conditional UPDATE is atomic on both databases, so racing writers cannot
    // both take the last unit.
    let updated = sample::Entity::update_many()
        .col_expr(
            sample::Column::Quantity,
            Expr::col(sample::Column::Quantity).add(m.delta),
        )
        .col_expr(sample::Column::UpdatedAt, Expr::value(now()))
        .filter(sample::Column::Id.eq(m.sample_id))
        .filter(
            Expr::col(sample::Column::Quantity)
                .add(m.delta)
                .gte(Expr::col(sample::Column::ReservedQuantity)),
        )
        .exec(conn)
        .await?;
    let s = sample::Entity::find_by_id(m.sample_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if updated.rows_affected == 0 {
        return Err(AppError::conflict(
            "quantity",
            format!(
                "quantity: only {} {} available (of {} held, {} reserved)",
                s.quantity - s.reserved_quantity,
                s.unit,
                s.quantity,
                s.reserved_quantity
            ),
        ));
    }
    let entry = ledger_entry::ActiveModel {
        sample_id: Set(m.sample_id),
        delta: Set(m.delta),
        unit: Set(s.unit.clone()),
        reason: Set(m.reason.as_str().to_string()),
        balance_after: Set(s.quantity),
        request_id: Set(m.request_id),
        viability_test_id: Set(m.viability_test_id),
        actor_id: Set(actor.user_id),
        note: Set(m.note.map(str::to_string)),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        actor,
        "create",
        "ledger_entries",
        entry.id,
        None,
        audit::snapshot(&entry),
    )
    .await?;
    Ok(entry)
}

/// A sample's entries, oldest first.
pub async fn entries<C: ConnectionTrait>(
    conn: &C,
    sample_id: i64,
) -> AppResult<Vec<ledger_entry::Model>> {
    Ok(ledger_entry::Entity::find()
        .filter(ledger_entry::Column::SampleId.eq(sample_id))
        .order_by_asc(ledger_entry::Column::Id)
        .all(conn)
        .await?)
}

/// Appends a zero-delta entry that records a reservation or its release (quantity is unchanged,
/// so the ledger still sums to it) and audits it.
async fn note_entry<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    s: &sample::Model,
    reason: LedgerReason,
    request_id: i64,
    note: String,
) -> AppResult<()> {
    let entry = ledger_entry::ActiveModel {
        sample_id: Set(s.id),
        delta: Set(0.0),
        unit: Set(s.unit.clone()),
        reason: Set(reason.as_str().to_string()),
        balance_after: Set(s.quantity),
        request_id: Set(Some(request_id)),
        viability_test_id: Set(None),
        actor_id: Set(actor.user_id),
        note: Set(Some(note)),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        actor,
        "create",
        "ledger_entries",
        entry.id,
        None,
        audit::snapshot(&entry),
    )
    .await
}

/// Reserves `qty` of a sample for a request with one conditional UPDATE
/// (`reserved_quantity + qty <= quantity`), so racing approvals cannot reserve the same unit
/// twice. Returns false, writing nothing, when that much is not free.
pub async fn reserve<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    sample_id: i64,
    qty: f64,
    request_id: i64,
) -> AppResult<bool> {
    let updated = sample::Entity::update_many()
        .col_expr(
            sample::Column::ReservedQuantity,
            Expr::col(sample::Column::ReservedQuantity).add(qty),
        )
        .col_expr(sample::Column::UpdatedAt, Expr::value(now()))
        .filter(sample::Column::Id.eq(sample_id))
        .filter(
            Expr::col(sample::Column::ReservedQuantity)
                .add(qty)
                .lte(Expr::col(sample::Column::Quantity)),
        )
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Ok(false);
    }
    let s = sample::Entity::find_by_id(sample_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let note = format!("reserved {qty} {}", s.unit);
    note_entry(conn, actor, &s, LedgerReason::Reservation, request_id, note).await?;
    Ok(true)
}

/// Gives a reservation back (a cancelled request or a declined item).
pub async fn release<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    sample_id: i64,
    qty: f64,
    request_id: i64,
) -> AppResult<()> {
    let updated = sample::Entity::update_many()
        .col_expr(
            sample::Column::ReservedQuantity,
            Expr::col(sample::Column::ReservedQuantity).sub(qty),
        )
        .col_expr(sample::Column::UpdatedAt, Expr::value(now()))
        .filter(sample::Column::Id.eq(sample_id))
        .filter(sample::Column::ReservedQuantity.gte(qty))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::Internal(format!(
            "sample {sample_id} holds less than the {qty} reserved for request {request_id}"
        )));
    }
    let s = sample::Entity::find_by_id(sample_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let note = format!("released {qty} {}", s.unit);
    note_entry(conn, actor, &s, LedgerReason::Release, request_id, note).await
}

/// Turns a reservation into a distribution: quantity and reserved quantity both fall by `qty`
/// in one statement, and a negative `distribution` entry is appended.
pub async fn distribute_reserved<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    sample_id: i64,
    qty: f64,
    request_id: i64,
) -> AppResult<ledger_entry::Model> {
    let updated = sample::Entity::update_many()
        .col_expr(
            sample::Column::Quantity,
            Expr::col(sample::Column::Quantity).sub(qty),
        )
        .col_expr(
            sample::Column::ReservedQuantity,
            Expr::col(sample::Column::ReservedQuantity).sub(qty),
        )
        .col_expr(sample::Column::UpdatedAt, Expr::value(now()))
        .filter(sample::Column::Id.eq(sample_id))
        .filter(sample::Column::ReservedQuantity.gte(qty))
        .filter(sample::Column::Quantity.gte(qty))
        .exec(conn)
        .await?;
    if updated.rows_affected == 0 {
        return Err(AppError::conflict(
            "quantity",
            format!("quantity: sample {sample_id} no longer holds the {qty} reserved for it"),
        ));
    }
    let s = sample::Entity::find_by_id(sample_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let entry = ledger_entry::ActiveModel {
        sample_id: Set(sample_id),
        delta: Set(-qty),
        unit: Set(s.unit.clone()),
        reason: Set(LedgerReason::Distribution.as_str().to_string()),
        balance_after: Set(s.quantity),
        request_id: Set(Some(request_id)),
        viability_test_id: Set(None),
        actor_id: Set(actor.user_id),
        note: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    audit::record(
        conn,
        actor,
        "create",
        "ledger_entries",
        entry.id,
        None,
        audit::snapshot(&entry),
    )
    .await?;
    Ok(entry)
}
