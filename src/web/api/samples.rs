//! Samples over JSON.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, State, get, post, routes};

use crate::AppState;
use crate::error::AppResult;
use crate::services::samples::{self, NewSample, SampleView};
use crate::services::{accessions, ledger};
use crate::web::guards::{ClientIp, Curator, Staff};
use crate::web::json::ApiJson;

/// The samples of an accession.
#[utoipa::path(get, path = "/api/v1/accessions/{id}/samples", tag = "samples", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Vec<SampleView>), (status = 404, body = super::ErrorBody)))]
#[get("/api/v1/accessions/<id>/samples")]
pub async fn list(_s: Staff, state: &State<AppState>, id: i64) -> AppResult<Json<Vec<SampleView>>> {
    accessions::load(&state.db, id).await?;
    Ok(Json(samples::for_accession(&state.db, id).await?))
}

/// Adds a sample; its quantity is set by an initial ledger entry and it gets a label code.
#[utoipa::path(post, path = "/api/v1/accessions/{id}/samples", tag = "samples", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewSample,
    responses((status = 201, body = SampleView), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/accessions/<id>/samples", data = "<body>")]
pub async fn create(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<NewSample>,
) -> AppResult<(Status, Json<SampleView>)> {
    let s = samples::add_sample(&state.db, &user.actor(ip.0), id, body.0).await?;
    Ok((Status::Created, Json(s.into())))
}

/// One sample.
#[utoipa::path(get, path = "/api/v1/samples/{id}", tag = "samples", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = SampleView), (status = 404, body = super::ErrorBody)))]
#[get("/api/v1/samples/<id>")]
pub async fn show(_s: Staff, state: &State<AppState>, id: i64) -> AppResult<Json<SampleView>> {
    Ok(Json(samples::get(&state.db, id).await?.into()))
}

/// A ledger line as the API shows it.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct LedgerLine {
    pub id: i64,
    pub delta: f64,
    pub unit: String,
    pub reason: String,
    pub balance_after: f64,
    pub request_id: Option<i64>,
    pub viability_test_id: Option<i64>,
    pub actor_id: Option<i64>,
    pub note: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// A sample's ledger, oldest first; its quantity is the sum of the deltas.
#[utoipa::path(get, path = "/api/v1/samples/{id}/ledger", tag = "samples", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = Vec<LedgerLine>), (status = 404, body = super::ErrorBody)))]
#[get("/api/v1/samples/<id>/ledger")]
pub async fn ledger_of(
    _s: Staff,
    state: &State<AppState>,
    id: i64,
) -> AppResult<Json<Vec<LedgerLine>>> {
    samples::get(&state.db, id).await?;
    let lines = ledger::entries(&state.db, id)
        .await?
        .into_iter()
        .map(|e| LedgerLine {
            id: e.id,
            delta: e.delta,
            unit: e.unit,
            reason: e.reason,
            balance_after: e.balance_after,
            request_id: e.request_id,
            viability_test_id: e.viability_test_id,
            actor_id: e.actor_id,
            note: e.note,
            created_at: e.created_at,
        })
        .collect();
    Ok(Json(lines))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![list, create, show, ledger_of]
}
