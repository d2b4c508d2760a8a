//! Users over JSON: admins create staff; curators approve researchers.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, State, get, patch, post, routes};
use serde::Deserialize;

use crate::AppState;
use crate::domain::material::Role;
use crate::error::AppResult;
use crate::services::users::{self, NewUser, UserView};
use crate::web::guards::{Admin, ClientIp, Curator};
use crate::web::json::ApiJson;

/// All accounts, optionally by status.
#[utoipa::path(get, path = "/api/v1/users", tag = "users", security(("bearer" = [])),
    params(("status" = Option<String>, Query, description = "pending, active or disabled")),
    responses((status = 200, body = Vec<UserView>), (status = 403, body = super::ErrorBody)))]
#[get("/api/v1/users?<status>")]
pub async fn list(
    _c: Curator,
    state: &State<AppState>,
    status: Option<&str>,
) -> AppResult<Json<Vec<UserView>>> {
    let status = users::check_status_filter(status)?;
    Ok(Json(users::list_users(&state.db, status).await?))
}

/// Creates an active account (admins).
#[utoipa::path(post, path = "/api/v1/users", tag = "users", security(("bearer" = [])), request_body = NewUser,
    responses((status = 201, body = UserView), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/users", data = "<body>")]
pub async fn create(
    admin: Admin,
    ip: ClientIp,
    state: &State<AppState>,
    body: ApiJson<NewUser>,
) -> AppResult<(Status, Json<UserView>)> {
    Ok((
        Status::Created,
        Json(users::create_user(&state.db, &admin.actor(ip.0), body.0, "active").await?),
    ))
}

/// A change to an account.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserUpdate {
    /// `active` approves a pending registration; `disabled` locks the account out.
    pub status: Option<String>,
    #[schema(value_type = Option<String>)]
    pub role: Option<Role>,
}

/// Approves, disables or re-roles an account.
#[utoipa::path(patch, path = "/api/v1/users/{id}", tag = "users", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = UserUpdate,
    responses((status = 200, body = UserView), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
#[patch("/api/v1/users/<id>", data = "<body>")]
pub async fn update(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<UserUpdate>,
) -> AppResult<Json<UserView>> {
    let b = body.0;
    Ok(Json(
        users::update_user(
            &state.db,
            &user.actor(ip.0),
            user.role,
            id,
            b.status.as_deref(),
            b.role,
        )
        .await?,
    ))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![list, create, update]
}
