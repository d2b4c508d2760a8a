//! The storage tree over JSON: units, equipment from a template, box maps, free space.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, State, get, patch, post, routes};
use serde::Deserialize;

use crate::AppState;
use crate::error::AppResult;
use crate::services::storage::{
    self, BoxTypeView, EquipmentTemplate, FreeSpaceAnswer, NewStorageUnit, StockTake,
    StorageUnitPatch, StorageUnitView, Tree, UnitDetail,
};
use crate::web::guards::{ClientIp, Curator, Staff};
use crate::web::json::ApiJson;

async fn view(state: &AppState, id: i64) -> AppResult<StorageUnitView> {
    Tree::load(&state.db)
        .await?
        .view(id, 0)
        .ok_or(crate::error::AppError::NotFound)
}

/// The whole storage tree, depth-first, each unit with its utilisation.
#[utoipa::path(get, path = "/api/v1/storage", tag = "storage", security(("bearer" = [])),
    responses((status = 200, body = Vec<StorageUnitView>)))]
#[get("/api/v1/storage")]
pub async fn tree(_s: Staff, state: &State<AppState>) -> AppResult<Json<Vec<StorageUnitView>>> {
    Ok(Json(Tree::load(&state.db).await?.flatten()))
}

/// Adds a site, room, piece of equipment, rack, shelf or box.
#[utoipa::path(post, path = "/api/v1/storage", tag = "storage", security(("bearer" = [])),
    request_body = NewStorageUnit,
    responses((status = 201, body = StorageUnitView), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/storage", data = "<body>")]
pub async fn create(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    body: ApiJson<NewStorageUnit>,
) -> AppResult<(Status, Json<StorageUnitView>)> {
    let u = storage::create_unit(&state.db, &user.actor(ip.0), body.0).await?;
    Ok((Status::Created, Json(view(state, u.id).await?)))
}

/// Creates a piece of equipment with its racks and boxes in one action.
#[utoipa::path(post, path = "/api/v1/storage/from-template", tag = "storage", security(("bearer" = [])),
    request_body = EquipmentTemplate,
    responses((status = 201, body = StorageUnitView), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/storage/from-template", data = "<body>")]
pub async fn from_template(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    body: ApiJson<EquipmentTemplate>,
) -> AppResult<(Status, Json<StorageUnitView>)> {
    let u = storage::create_from_template(&state.db, &user.actor(ip.0), body.0).await?;
    Ok((Status::Created, Json(view(state, u.id).await?)))
}

/// The box-type templates (grids and position-free containers).
#[utoipa::path(get, path = "/api/v1/storage/box-types", tag = "storage", security(("bearer" = [])),
    responses((status = 200, body = Vec<BoxTypeView>)))]
#[get("/api/v1/storage/box-types")]
pub fn box_types(_s: Staff) -> Json<Vec<BoxTypeView>> {
    Json(storage::box_types())
}

/// Free positions for `count` samples in boxes of one type, nearest to `near` first.
#[utoipa::path(get, path = "/api/v1/storage/free-space", tag = "storage", security(("bearer" = [])),
    params(("box_type" = String, Query), ("count" = u32, Query), ("near" = Option<i64>, Query)),
    responses((status = 200, body = FreeSpaceAnswer), (status = 422, body = super::ErrorBody)))]
#[get("/api/v1/storage/free-space?<box_type>&<count>&<near>")]
pub async fn free_space(
    _s: Staff,
    state: &State<AppState>,
    box_type: &str,
    count: u32,
    near: Option<i64>,
) -> AppResult<Json<FreeSpaceAnswer>> {
    Ok(Json(
        storage::find_free_space(&state.db, box_type, count, near).await?,
    ))
}

/// One unit: its path, children, utilisation and (for a box) the map of its positions.
#[utoipa::path(get, path = "/api/v1/storage/{id}", tag = "storage", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = UnitDetail), (status = 404, body = super::ErrorBody)))]
#[get("/api/v1/storage/<id>")]
pub async fn show(_s: Staff, state: &State<AppState>, id: i64) -> AppResult<Json<UnitDetail>> {
    Ok(Json(storage::detail(&state.db, id).await?))
}

/// Renames a unit or changes its set-point temperature and humidity.
#[utoipa::path(patch, path = "/api/v1/storage/{id}", tag = "storage", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = StorageUnitPatch,
    responses((status = 200, body = StorageUnitView), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[patch("/api/v1/storage/<id>", data = "<body>")]
pub async fn update(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<StorageUnitPatch>,
) -> AppResult<Json<StorageUnitView>> {
    storage::update_unit(&state.db, &user.actor(ip.0), id, body.0).await?;
    Ok(Json(view(state, id).await?))
}

/// Where a box or rack moves to.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveUnit {
    pub parent_id: i64,
}

/// Moves a box or rack with everything in it; each sample inside gets a `moved` event.
#[utoipa::path(post, path = "/api/v1/storage/{id}/move", tag = "storage", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = MoveUnit,
    responses((status = 200, body = StorageUnitView), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/storage/<id>/move", data = "<body>")]
pub async fn move_unit(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<MoveUnit>,
) -> AppResult<Json<StorageUnitView>> {
    storage::move_unit(&state.db, &user.actor(ip.0), id, body.0.parent_id).await?;
    Ok(Json(view(state, id).await?))
}

/// The codes scanned during a stock-take of one box.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StockTakeInput {
    pub codes: Vec<String>,
}

/// Compares the codes scanned in a box with the records: missing, misplaced, unknown.
#[utoipa::path(post, path = "/api/v1/storage/{id}/stock-take", tag = "storage", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = StockTakeInput,
    responses((status = 200, body = StockTake), (status = 404, body = super::ErrorBody)))]
#[post("/api/v1/storage/<id>/stock-take", data = "<body>")]
pub async fn stock_take(
    _s: Staff,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<StockTakeInput>,
) -> AppResult<Json<StockTake>> {
    Ok(Json(
        storage::stock_take(&state.db, id, &body.0.codes).await?,
    ))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![
        tree,
        create,
        from_template,
        box_types,
        free_space,
        show,
        update,
        move_unit,
        stock_take
    ]
}
