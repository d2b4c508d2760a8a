//! API sign-in, named tokens, the caller's own account, researcher registration.

use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, State, delete, get, post, routes};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::AppResult;
use crate::services::sessions::{self, IssuedToken, TokenView};
use crate::services::users::{self, NewUser, UserView};
use crate::web::guards::{AuthUser, ClientIp};
use crate::web::json::ApiJson;

/// Username and password for a bearer token.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
    /// A name to recognise the token by in the account's token list.
    pub name: Option<String>,
}

/// Signs in and returns a bearer token valid for 30 days.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = IssuedToken), (status = 422, description = "wrong username or password", body = super::ErrorBody),
              (status = 429, description = "too many failed attempts", body = super::ErrorBody)))]
#[post("/api/v1/auth/token", data = "<body>")]
pub async fn token(
    state: &State<AppState>,
    ip: ClientIp,
    body: ApiJson<TokenRequest>,
) -> AppResult<Json<IssuedToken>> {
    let req = body.0;
    let user =
        sessions::check_credentials(&state.db, &req.username, &req.password, ip.0.as_deref())
            .await?;
    let actor = crate::services::Actor {
        user_id: Some(user.id),
        name: user.username.clone(),
        ip: ip.0,
    };
    let name = req.name.unwrap_or_else(|| "API sign-in".into());
    let issued = sessions::issue_api_token(
        &state.db,
        &actor,
        user.id,
        &name,
        Some(chrono::Duration::days(30)),
    )
    .await?;
    Ok(Json(issued))
}

/// A new named token.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewToken {
    pub name: String,
    /// Days until it expires; absent means never.
    pub expires_in_days: Option<u32>,
}

/// The caller's tokens (never the secrets).
#[utoipa::path(get, path = "/api/v1/tokens", tag = "auth", security(("bearer" = [])), responses((status = 200, body = Vec<TokenView>)))]
#[get("/api/v1/tokens")]
pub async fn list_tokens(
    user: AuthUser,
    state: &State<AppState>,
) -> AppResult<Json<Vec<TokenView>>> {
    Ok(Json(
        sessions::list_api_tokens(&state.db, user.user_id).await?,
    ))
}

/// Creates a named token; its secret is in this answer only.
#[utoipa::path(post, path = "/api/v1/tokens", tag = "auth", request_body = NewToken, security(("bearer" = [])),
    responses((status = 201, body = IssuedToken), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/tokens", data = "<body>")]
pub async fn create_token(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    body: ApiJson<NewToken>,
) -> AppResult<(Status, Json<IssuedToken>)> {
    let b = body.0;
    if b.expires_in_days.is_some_and(|d| d == 0 || d > 3650) {
        return Err(crate::error::AppError::invalid(
            "expires_in_days",
            "out_of_range",
            "expires_in_days: must be 1 to 3650",
        ));
    }
    let valid = b.expires_in_days.map(|d| chrono::Duration::days(d.into()));
    let issued =
        sessions::issue_api_token(&state.db, &user.actor(ip.0), user.user_id, &b.name, valid)
            .await?;
    Ok((Status::Created, Json(issued)))
}

/// Revokes one of the caller's tokens.
#[utoipa::path(delete, path = "/api/v1/tokens/{id}", tag = "auth", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 204), (status = 404, body = super::ErrorBody)))]
#[delete("/api/v1/tokens/<id>")]
pub async fn revoke_token(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
) -> AppResult<Status> {
    sessions::revoke_api_token(&state.db, &user.actor(ip.0), user.user_id, id).await?;
    Ok(Status::NoContent)
}

/// Who the caller is.
#[derive(Serialize, utoipa::ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub role: String,
}

/// The signed-in caller.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])), responses((status = 200, body = Me), (status = 401, body = super::ErrorBody)))]
#[get("/api/v1/me")]
pub fn me(user: AuthUser) -> Json<Me> {
    Json(Me {
        id: user.user_id,
        username: user.username.clone(),
        display_name: user.display_name.clone(),
        role: user.role.as_str().to_string(),
    })
}

/// A password change.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PasswordChange {
    pub current_password: String,
    pub new_password: String,
}

/// Changes the caller's password; the caller's other sessions end.
#[utoipa::path(post, path = "/api/v1/me/password", tag = "auth", request_body = PasswordChange, security(("bearer" = [])),
    responses((status = 204), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/me/password", data = "<body>")]
pub async fn change_password(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    body: ApiJson<PasswordChange>,
) -> AppResult<Status> {
    let b = body.0;
    users::change_password(
        &state.db,
        &user.actor(ip.0),
        user.user_id,
        &b.current_password,
        &b.new_password,
        user.session_id,
    )
    .await?;
    Ok(Status::NoContent)
}

/// A researcher's self-registration.
#[derive(Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Registration {
    pub username: String,
    pub display_name: String,
    pub email: String,
    pub institution: String,
    pub password: String,
}

/// Registers a researcher; the account waits for approval.
#[utoipa::path(post, path = "/api/v1/register", tag = "auth", request_body = Registration,
    responses((status = 201, body = UserView), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/register", data = "<body>")]
pub async fn register(
    state: &State<AppState>,
    ip: ClientIp,
    body: ApiJson<Registration>,
) -> AppResult<(Status, Json<UserView>)> {
    let b = body.0;
    let input = NewUser {
        username: b.username,
        display_name: Some(b.display_name),
        email: Some(b.email),
        password: b.password,
        role: crate::domain::material::Role::Researcher,
        institution: Some(b.institution),
    };
    Ok((
        Status::Created,
        Json(users::register_researcher(&state.db, ip.0, input).await?),
    ))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![
        token,
        list_tokens,
        create_token,
        revoke_token,
        me,
        change_password,
        register
    ]
}
