//! The audit trail over JSON.

use rocket::serde::json::Json;
use rocket::{Route, State, get, routes};
use serde::Serialize;

use crate::AppState;
use crate::error::AppResult;
use crate::services::{Page, audit};
use crate::web::guards::Curator;
use crate::web::pages::audit::AuditQuery;

/// One audit record.
#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditRecord {
    pub id: i64,
    pub actor_id: Option<i64>,
    pub actor_name: String,
    pub action: String,
    pub table_name: String,
    pub row_id: String,
    #[schema(value_type = Object)]
    pub before: Option<serde_json::Value>,
    #[schema(value_type = Object)]
    pub after: Option<serde_json::Value>,
    pub client_ip: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// Audit records, newest first, filtered by user, record and date range.
#[utoipa::path(get, path = "/api/v1/audit", tag = "audit", security(("bearer" = [])),
    params(("user" = Option<String>, Query, description = "username"), ("table" = Option<String>, Query),
           ("row_id" = Option<String>, Query), ("from" = Option<String>, Query, description = "YYYY-MM-DD"),
           ("to" = Option<String>, Query, description = "YYYY-MM-DD, inclusive"), ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, body = Page<AuditRecord>), (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
#[get("/api/v1/audit?<query..>")]
pub async fn list(
    _c: Curator,
    state: &State<AppState>,
    query: AuditQuery,
) -> AppResult<Json<Page<AuditRecord>>> {
    let (filter, page, per_page) = query.to_filter(&state.db).await?;
    let found = audit::search(&state.db, &filter, page, per_page).await?;
    let parse = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    let items = found
        .items
        .into_iter()
        .map(|r| AuditRecord {
            id: r.id,
            actor_id: r.actor_id,
            actor_name: r.actor_name,
            action: r.action,
            table_name: r.table_name,
            row_id: r.row_id,
            before: parse(r.before_json),
            after: parse(r.after_json),
            client_ip: r.client_ip,
            created_at: r.created_at,
        })
        .collect();
    Ok(Json(Page {
        items,
        total: found.total,
        page: found.page,
        per_page: found.per_page,
    }))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![list]
}
