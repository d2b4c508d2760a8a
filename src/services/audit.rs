//! The audit trail: every write records who, what, which row, before and after, when, from where.

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set,
};
use serde::Serialize;

use entities::audit_log;

use super::{Actor, Page, now};
use crate::error::AppResult;

/// Appends one audit record; call inside the same transaction as the write.
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    action: &str,
    table: &str,
    row_id: impl ToString,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> AppResult<()> {
    audit_log::ActiveModel {
        actor_id: Set(actor.user_id),
        actor_name: Set(actor.name.clone()),
        action: Set(action.to_string()),
        table_name: Set(table.to_string()),
        row_id: Set(row_id.to_string()),
        before_json: Set(before.map(|b| b.to_string())),
        after_json: Set(after.map(|a| a.to_string())),
        client_ip: Set(actor.ip.clone()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// A record's state as JSON for the audit trail.
pub fn snapshot<T: Serialize>(value: &T) -> Option<serde_json::Value> {
    serde_json::to_value(value).ok()
}

/// Filters for the audit page.
#[derive(Debug, Default, Clone)]
pub struct AuditFilter {
    pub actor_id: Option<i64>,
    pub table: Option<String>,
    pub row_id: Option<String>,
    pub from: Option<chrono::DateTime<chrono::Utc>>,
    pub to: Option<chrono::DateTime<chrono::Utc>>,
}

/// A page of audit records, newest first.
pub async fn search<C: ConnectionTrait>(
    conn: &C,
    filter: &AuditFilter,
    page: u64,
    per_page: u64,
) -> AppResult<Page<audit_log::Model>> {
    let mut q = audit_log::Entity::find();
    if let Some(a) = filter.actor_id {
        q = q.filter(audit_log::Column::ActorId.eq(a));
    }
    if let Some(t) = &filter.table {
        q = q.filter(audit_log::Column::TableName.eq(t.clone()));
    }
    if let Some(r) = &filter.row_id {
        q = q.filter(audit_log::Column::RowId.eq(r.clone()));
    }
    if let Some(f) = filter.from {
        q = q.filter(audit_log::Column::CreatedAt.gte(f));
    }
    if let Some(t) = filter.to {
        q = q.filter(audit_log::Column::CreatedAt.lt(t));
    }
    let paginator = q
        .order_by_desc(audit_log::Column::Id)
        .paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = paginator.fetch_page(page.saturating_sub(1)).await?;
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

/// The history of one record, oldest first (for the record's own page).
pub async fn history<C: ConnectionTrait>(
    conn: &C,
    table: &str,
    row_id: &str,
) -> AppResult<Vec<audit_log::Model>> {
    Ok(audit_log::Entity::find()
        .filter(audit_log::Column::TableName.eq(table))
        .filter(audit_log::Column::RowId.eq(row_id))
        .order_by_asc(audit_log::Column::Id)
        .all(conn)
        .await?)
}
