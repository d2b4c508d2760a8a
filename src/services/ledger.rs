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
