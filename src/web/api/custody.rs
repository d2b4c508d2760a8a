//! Scanning and custody actions over JSON: `GET /api/v1/scan/{code}` and
//! `POST /api/v1/samples/{id}/{action}`.

use rocket::http::uri::Segments;
use rocket::http::uri::fmt::Path;
use rocket::serde::json::Json;
use rocket::{Route, State, get, post, routes};
use serde::Serialize;

use crate::AppState;
use crate::error::AppResult;
use crate::services::custody::{
    self, AliquotInput, CheckOutInput, DiscardInput, NoteInput, PlaceInput, ScanAnswer,
};
use crate::services::samples::SampleView;
use crate::web::guards::{ClientIp, Staff};
use crate::web::json::ApiJson;

/// Resolves a label code or a label URL to the sample (with its location and next actions)
/// or to the storage unit whose label it is. A mistyped code is refused by its check character.
#[utoipa::path(get, path = "/api/v1/scan/{code}", tag = "custody", security(("bearer" = [])),
    params(("code" = String, Path, description = "bare code (7K3F-9Q2C-X) or the label URL, percent-encoded")),
    responses((status = 200, body = ScanAnswer), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[get("/api/v1/scan/<code..>")]
pub async fn scan(
    _s: Staff,
    state: &State<AppState>,
    code: Segments<'_, Path>,
) -> AppResult<Json<ScanAnswer>> {
    let joined = code.collect::<Vec<_>>().join("/");
    Ok(Json(custody::scan(&state.db, &joined).await?))
}

/// Puts a sample that is in no box into a box position.
#[utoipa::path(post, path = "/api/v1/samples/{id}/store", tag = "custody", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PlaceInput,
    responses((status = 200, body = SampleView), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/samples/<id>/store", data = "<body>")]
pub async fn store(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<PlaceInput>,
) -> AppResult<Json<SampleView>> {
    let s = custody::store(&state.db, &user.actor(ip.0), id, body.0).await?;
    Ok(Json(s.into()))
}

/// Moves a stored sample to another box or position.
#[utoipa::path(post, path = "/api/v1/samples/{id}/move", tag = "custody", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = PlaceInput,
    responses((status = 200, body = SampleView), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/samples/<id>/move", data = "<body>")]
pub async fn move_sample(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<PlaceInput>,
) -> AppResult<Json<SampleView>> {
    let s = custody::move_sample(&state.db, &user.actor(ip.0), id, body.0).await?;
    Ok(Json(s.into()))
}

/// Checks a sample out (who, why, until when); its position stays held.
#[utoipa::path(post, path = "/api/v1/samples/{id}/check-out", tag = "custody", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = CheckOutInput,
    responses((status = 200, body = SampleView), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/samples/<id>/check-out", data = "<body>")]
pub async fn check_out(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<CheckOutInput>,
) -> AppResult<Json<SampleView>> {
    let s = custody::check_out(&state.db, &user.actor(ip.0), id, body.0).await?;
    Ok(Json(s.into()))
}

/// Returns a checked-out sample to its position.
#[utoipa::path(post, path = "/api/v1/samples/{id}/check-in", tag = "custody", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NoteInput,
    responses((status = 200, body = SampleView), (status = 409, body = super::ErrorBody)))]
#[post("/api/v1/samples/<id>/check-in", data = "<body>")]
pub async fn check_in(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<NoteInput>,
) -> AppResult<Json<SampleView>> {
    let s = custody::check_in(&state.db, &user.actor(ip.0), id, body.0).await?;
    Ok(Json(s.into()))
}

/// The children an aliquot made.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Aliquots {
    pub parent: SampleView,
    pub children: Vec<SampleView>,
}

/// Splits a sample into N children with their own labels; quantities go through the ledger.
#[utoipa::path(post, path = "/api/v1/samples/{id}/aliquot", tag = "custody", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = AliquotInput,
    responses((status = 201, body = Aliquots), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/samples/<id>/aliquot", data = "<body>")]
pub async fn aliquot(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<AliquotInput>,
) -> AppResult<(rocket::http::Status, Json<Aliquots>)> {
    let children = custody::aliquot(&state.db, &user.actor(ip.0), id, body.0).await?;
    let parent = crate::services::samples::get(&state.db, id).await?;
    Ok((
        rocket::http::Status::Created,
        Json(Aliquots {
            parent: parent.into(),
            children: children.into_iter().map(Into::into).collect(),
        }),
    ))
}

/// Records a thaw; the freeze–thaw count goes up by one.
#[utoipa::path(post, path = "/api/v1/samples/{id}/thaw", tag = "custody", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NoteInput,
    responses((status = 200, body = SampleView), (status = 409, body = super::ErrorBody)))]
#[post("/api/v1/samples/<id>/thaw", data = "<body>")]
pub async fn thaw(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<NoteInput>,
) -> AppResult<Json<SampleView>> {
    let s = custody::thaw_or_freeze(&state.db, &user.actor(ip.0), id, true, body.0).await?;
    Ok(Json(s.into()))
}

/// Records that a sample was frozen again.
#[utoipa::path(post, path = "/api/v1/samples/{id}/freeze", tag = "custody", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NoteInput,
    responses((status = 200, body = SampleView), (status = 409, body = super::ErrorBody)))]
#[post("/api/v1/samples/<id>/freeze", data = "<body>")]
pub async fn freeze(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<NoteInput>,
) -> AppResult<Json<SampleView>> {
    let s = custody::thaw_or_freeze(&state.db, &user.actor(ip.0), id, false, body.0).await?;
    Ok(Json(s.into()))
}

/// Discards a sample with a reason; the rest of its quantity leaves through the ledger.
#[utoipa::path(post, path = "/api/v1/samples/{id}/discard", tag = "custody", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = DiscardInput,
    responses((status = 200, body = SampleView), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/samples/<id>/discard", data = "<body>")]
pub async fn discard(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<DiscardInput>,
) -> AppResult<Json<SampleView>> {
    let s = custody::discard(&state.db, &user.actor(ip.0), id, body.0).await?;
    Ok(Json(s.into()))
}

/// Records that a stock-take did not find the sample where the records put it; its place is freed.
#[utoipa::path(post, path = "/api/v1/samples/{id}/mark-missing", tag = "custody", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NoteInput,
    responses((status = 200, body = SampleView), (status = 409, body = super::ErrorBody)))]
#[post("/api/v1/samples/<id>/mark-missing", data = "<body>")]
pub async fn mark_missing(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<NoteInput>,
) -> AppResult<Json<SampleView>> {
    let s = custody::mark_missing(&state.db, &user.actor(ip.0), id, body.0).await?;
    Ok(Json(s.into()))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![
        scan,
        store,
        move_sample,
        check_out,
        check_in,
        aliquot,
        thaw,
        freeze,
        discard,
        mark_missing
    ]
}
