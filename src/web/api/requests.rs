//! Distribution requests over JSON: create, list, read, attach documents, and take the
//! lifecycle actions (`POST /api/v1/requests/{id}/{action}`).

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, State, get, post, routes};

use crate::AppState;
use crate::domain::requests::{RequestAction, RequestStatus};
use crate::error::{AppError, AppResult};
use crate::services::Page;
use crate::services::request_documents::{self, NewDocument};
use crate::services::request_views::{DocumentView, RequestView};
use crate::services::requests::{self, ActionInput, Caller, NewRequest};
use crate::web::guards::{AuthUser, ClientIp};
use crate::web::json::{ApiJson, ApiJsonOrDefault};
use crate::web::query::Paging;

fn caller(user: &AuthUser) -> Caller {
    Caller {
        user_id: user.user_id,
        role: user.role,
    }
}

/// Creates a draft request (items: accession, quantity and unit).
#[utoipa::path(post, path = "/api/v1/requests", tag = "requests", security(("bearer" = [])),
    request_body = NewRequest,
    responses((status = 201, body = RequestView), (status = 400, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/requests", data = "<body>")]
pub async fn create(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    body: ApiJson<NewRequest>,
) -> AppResult<(Status, Json<RequestView>)> {
    let r = requests::create(&state.db, &user.actor(ip.0), caller(&user), body.0).await?;
    Ok((Status::Created, Json(r)))
}

/// `?status=&page=&per_page=` for the request list.
#[derive(Debug, Default, FromForm)]
pub struct RequestQuery {
    pub status: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

/// Lists requests: researchers see their own, staff see all.
#[utoipa::path(get, path = "/api/v1/requests", tag = "requests", security(("bearer" = [])),
    params(("status" = Option<String>, Query), ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, body = Page<RequestView>), (status = 400, body = super::ErrorBody)))]
#[get("/api/v1/requests?<query..>")]
pub async fn list(
    user: AuthUser,
    state: &State<AppState>,
    query: RequestQuery,
) -> AppResult<Json<Page<RequestView>>> {
    let (page, per_page) = Paging {
        page: query.page,
        per_page: query.per_page,
    }
    .parse(50)?;
    let status = match query
        .status
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        None => None,
        Some(s) => Some(
            s.parse::<RequestStatus>()
                .map_err(|e| AppError::bad("status", format!("status: {e}")))?,
        ),
    };
    Ok(Json(
        requests::list(&state.db, caller(&user), status, page, per_page).await?,
    ))
}

/// One request with its items, reservations, MTA, shipment, feedback and documents.
#[utoipa::path(get, path = "/api/v1/requests/{id}", tag = "requests", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = RequestView), (status = 404, body = super::ErrorBody)))]
#[get("/api/v1/requests/<id>")]
pub async fn show(
    user: AuthUser,
    state: &State<AppState>,
    id: i64,
) -> AppResult<Json<RequestView>> {
    Ok(Json(requests::get(&state.db, caller(&user), id).await?))
}

/// Attaches a document (base64 in JSON; PDF, PNG or JPEG up to 512 KiB) before the decision.
#[utoipa::path(post, path = "/api/v1/requests/{id}/documents", tag = "requests", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewDocument,
    responses((status = 201, body = DocumentView), (status = 409, body = super::ErrorBody),
              (status = 413, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/requests/<id>/documents", data = "<body>")]
pub async fn upload_document(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<NewDocument>,
) -> AppResult<(Status, Json<DocumentView>)> {
    let d =
        request_documents::upload(&state.db, &user.actor(ip.0), caller(&user), id, body.0).await?;
    Ok((Status::Created, Json(d)))
}

/// Takes a lifecycle action. `submit`, `accept-mta` (`{"accept": true}`) and `feedback`
/// (`rating`, `comment`) are the requester's; `review`, `approve` (optional per-item
/// `items: [{item_id, quantity, note}]`) and `reject` (`reason`) a curator's; `pick` and
/// `ship` (`carrier`, `tracking_number`) staff's; `receive` either side's; `cancel` (`reason`)
/// the requester's or a curator's, before shipping.
#[utoipa::path(post, path = "/api/v1/requests/{id}/{action}", tag = "requests", security(("bearer" = [])),
    params(("id" = i64, Path),
           ("action" = String, Path, description = "submit, review, approve, reject, cancel, accept-mta, pick, ship, receive or feedback")),
    request_body = ActionInput,
    responses((status = 200, body = RequestView), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
              (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/requests/<id>/<action>", data = "<body>", rank = 2)]
pub async fn act(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    action: &str,
    body: ApiJsonOrDefault<ActionInput>,
) -> AppResult<Json<RequestView>> {
    let action: RequestAction = action.parse().map_err(|_| AppError::NotFound)?;
    let r = requests::act(
        &state.db,
        &state.config,
        &user.actor(ip.0),
        caller(&user),
        id,
        action,
        body.0,
    )
    .await?;
    Ok(Json(r))
}

/// The request routes.
pub fn routes() -> Vec<Route> {
    routes![create, list, show, upload_document, act]
}
