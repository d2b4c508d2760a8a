//! Picking over JSON: the pick list in walking order, and confirming each sample by its label.

use rocket::serde::json::Json;
use rocket::{Route, State, get, post, routes};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppResult;
use crate::services::picking::{self, PickLine};
use crate::web::guards::{ClientIp, Staff};
use crate::web::json::ApiJson;

/// A scanned label (bare code or label URL).
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PickScan {
    pub code: String,
}

/// The samples reserved for a request, in storage walking order, with what is picked.
#[utoipa::path(get, path = "/api/v1/requests/{id}/pick-list", tag = "requests", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = Vec<PickLine>), (status = 403, body = super::ErrorBody)))]
#[get("/api/v1/requests/<id>/pick-list")]
pub async fn pick_list(
    _s: Staff,
    state: &State<AppState>,
    id: i64,
) -> AppResult<Json<Vec<PickLine>>> {
    Ok(Json(picking::pick_list(&state.db, id).await?))
}

/// Confirms one picked sample by its scanned label; a sample not on the list is refused (409).
#[utoipa::path(post, path = "/api/v1/requests/{id}/picks", tag = "requests", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PickScan,
    responses((status = 200, body = PickLine), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/requests/<id>/picks", data = "<body>")]
pub async fn confirm(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<PickScan>,
) -> AppResult<Json<PickLine>> {
    Ok(Json(
        picking::confirm(&state.db, &user.actor(ip.0), id, &body.0.code).await?,
    ))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![pick_list, confirm]
}
