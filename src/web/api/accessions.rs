//! Accessions over JSON: the same services and field registry as the pages.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, State, get, patch, post, routes};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppResult;
use crate::services::accessions::{self, AccessionRow};
use crate::services::{Page, fields};
use crate::web::guards::{ClientIp, Curator, Staff};
use crate::web::json::ApiJson;
use crate::web::query::AccessionQuery;

type JsonObject = serde_json::Map<String, serde_json::Value>;

/// Lists and searches accessions.
#[utoipa::path(get, path = "/api/v1/accessions", tag = "accessions", security(("bearer" = [])),
    params(("q" = Option<String>, Query, description = "accession number, name or taxon contains"),
           ("material_type" = Option<String>, Query), ("status" = Option<String>, Query),
           ("sort" = Option<String>, Query, description = "accession_number, taxon_name, created_at or material_type"),
           ("dir" = Option<String>, Query, description = "asc or desc"),
           ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, body = Page<AccessionRow>), (status = 400, body = super::ErrorBody)))]
#[get("/api/v1/accessions?<query..>")]
pub async fn list(
    _s: Staff,
    state: &State<AppState>,
    query: AccessionQuery,
) -> AppResult<Json<Page<AccessionRow>>> {
    let (filter, page, per_page) = query.parse()?;
    Ok(Json(
        accessions::search(&state.db, &filter, page, per_page).await?,
    ))
}

/// Registers an accession; the body holds `material_type` and the type's fields.
#[utoipa::path(post, path = "/api/v1/accessions", tag = "accessions", security(("bearer" = [])),
    request_body(content = Object, description = "AccessionInput: `material_type` plus the fields of that type (see the AccessionInput schema)"),
    responses((status = 201, description = "the registered accession (Accession schema)", body = Object),
              (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/accessions", data = "<body>")]
pub async fn create(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    body: ApiJson<JsonObject>,
) -> AppResult<(Status, Json<serde_json::Value>)> {
    let raw = fields::raw_from_json(&body.0)?;
    let a = accessions::register(
        &state.db,
        &user.actor(ip.0),
        &state.pid,
        &state.config.institute_code,
        raw,
        true,
    )
    .await?;
    Ok((Status::Created, Json(a.to_json(false))))
}

/// One accession with every field.
#[utoipa::path(get, path = "/api/v1/accessions/{id}", tag = "accessions", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, description = "Accession schema", body = Object), (status = 404, body = super::ErrorBody)))]
#[get("/api/v1/accessions/<id>")]
pub async fn show(
    _s: Staff,
    state: &State<AppState>,
    id: i64,
) -> AppResult<Json<serde_json::Value>> {
    Ok(Json(accessions::load(&state.db, id).await?.to_json(false)))
}

/// Changes the given fields (null clears one); others keep their values.
#[utoipa::path(patch, path = "/api/v1/accessions/{id}", tag = "accessions", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body(content = Object, description = "AccessionInput fields to change"),
    responses((status = 200, body = Object), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[patch("/api/v1/accessions/<id>", data = "<body>")]
pub async fn update(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<JsonObject>,
) -> AppResult<Json<serde_json::Value>> {
    let raw = fields::raw_from_json(&body.0)?;
    let a = accessions::update(&state.db, &user.actor(ip.0), id, raw, true, true).await?;
    Ok(Json(a.to_json(false)))
}

/// Why an accession leaves the collection.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Deaccession {
    pub reason: String,
}

/// Deaccessions (the record and its identifier stay; nothing is deleted).
#[utoipa::path(post, path = "/api/v1/accessions/{id}/deaccession", tag = "accessions", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = Deaccession,
    responses((status = 200, body = Object), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/accessions/<id>/deaccession", data = "<body>")]
pub async fn deaccession(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<Deaccession>,
) -> AppResult<Json<serde_json::Value>> {
    let a = accessions::deaccession(&state.db, &user.actor(ip.0), id, &body.0.reason).await?;
    Ok(Json(a.to_json(false)))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![list, create, show, update, deaccession]
}
