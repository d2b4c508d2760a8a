//! User administration: pending registrations, new staff accounts, roles and status.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::AppState;
use crate::domain::material::Role;
use crate::error::AppResult;
use crate::services::users::{self, NewUser, UserView};
use crate::web::forms::{CsrfForm, FormState, Rejected};
use crate::web::guards::{Admin, ClientIp, Curator};
use crate::web::page::PageCtx;

use super::view::option_label;

#[derive(Template, WebTemplate)]
#[template(path = "users/list.html")]
struct UsersPage {
    ctx: PageCtx,
    users: Vec<UserView>,
    form: FormState,
    roles: Vec<(String, String)>,
}

impl UsersPage {
    fn opt(&self, vocabulary: &str, value: &str) -> String {
        option_label(self.ctx.lang, vocabulary, value)
    }
}

async fn users_page(
    ctx: PageCtx,
    state: &AppState,
    status: Option<&str>,
    form: FormState,
) -> AppResult<UsersPage> {
    let lang = ctx.lang;
    Ok(UsersPage {
        users: users::list_users(&state.db, status).await?,
        roles: Role::ALL
            .iter()
            .map(|r| {
                (
                    r.as_str().to_string(),
                    option_label(lang, "role", r.as_str()),
                )
            })
            .collect(),
        form,
        ctx,
    })
}

#[get("/users?<status>")]
async fn list(
    ctx: PageCtx,
    _c: Curator,
    state: &State<AppState>,
    status: Option<&str>,
) -> AppResult<UsersPage> {
    let status = users::check_status_filter(status)?;
    users_page(ctx, state, status, FormState::default()).await
}

#[derive(FromForm)]
struct NewUserForm {
    csrf_token: String,
    username: String,
    display_name: String,
    email: String,
    role: String,
    password: String,
}

#[derive(FromForm)]
struct UserUpdateForm {
    csrf_token: String,
    status: Option<String>,
    role: Option<String>,
}
crate::impl_csrf!(NewUserForm, UserUpdateForm);

#[post("/users", data = "<form>")]
async fn create(
    ctx: PageCtx,
    admin: Admin,
    ip: ClientIp,
    state: &State<AppState>,
    form: CsrfForm<NewUserForm>,
) -> Result<Flash<Redirect>, Rejected<UsersPage>> {
    let lang = ctx.lang;
    let f = form.0;
    let mut values = BTreeMap::new();
    for (k, v) in [
        ("username", &f.username),
        ("display_name", &f.display_name),
        ("email", &f.email),
        ("role", &f.role),
    ] {
        values.insert(k.to_string(), v.clone());
    }
    let result = match f.role.parse::<Role>() {
        Ok(role) => {
            let input = NewUser {
                username: f.username,
                display_name: Some(f.display_name),
                email: Some(f.email),
                password: f.password,
                role,
                institution: None,
            };
            users::create_user(&state.db, &admin.actor(ip.0), input, "active").await
        }
        Err(e) => Err(crate::error::AppError::Invalid(vec![
            e.to_field_error("role"),
        ])),
    };
    match result {
        Ok(_) => Ok(Flash::success(Redirect::to("/users"), "users.created")),
        Err(e) => {
            let status = e.status();
            match users_page(
                ctx,
                state,
                None,
                FormState {
                    values,
                    errors: super::view::localize_errors(lang, e.field_errors()),
                },
            )
            .await
            {
                Ok(page) => Err(Rejected::Form(status, page)),
                Err(e) => Err(Rejected::Error(e)),
            }
        }
    }
}

#[post("/users/<id>", data = "<form>")]
async fn update(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    form: CsrfForm<UserUpdateForm>,
) -> AppResult<Flash<Redirect>> {
    let f = form.0;
    let role = match f.role.as_deref().filter(|r| !r.is_empty()) {
        Some(r) => Some(
            r.parse::<Role>()
                .map_err(|e| crate::error::AppError::Invalid(vec![e.to_field_error("role")]))?,
        ),
        None => None,
    };
    let status = f.status.as_deref().filter(|s| !s.is_empty());
    match users::update_user(&state.db, &user.actor(ip.0), user.role, id, status, role).await {
        Ok(_) => Ok(Flash::success(Redirect::to("/users"), "users.updated")),
        Err(e) if e.status() != Status::InternalServerError => {
            Ok(Flash::error(Redirect::to("/users"), e.public_message()))
        }
        Err(e) => Err(e),
    }
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![list, create, update]
}
