//! The signed-in user's own account: password and API tokens.

use askama::Template;
use askama_web::WebTemplate;
use rocket::form::FromForm;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::services::sessions::{self, IssuedToken, TokenView};
use crate::services::users;
use crate::web::forms::{CsrfForm, FormState, Rejected};
use crate::web::guards::{AuthUser, ClientIp};
use crate::web::page::PageCtx;

#[derive(Template, WebTemplate)]
#[template(path = "account/index.html")]
struct AccountPage {
    ctx: PageCtx,
    tokens: Vec<TokenView>,
    password_form: FormState,
    token_form: FormState,
    new_token: Option<IssuedToken>,
}

async fn account_page(
    ctx: PageCtx,
    state: &AppState,
    user: &AuthUser,
    password_form: FormState,
    token_form: FormState,
    new_token: Option<IssuedToken>,
) -> AppResult<AccountPage> {
    Ok(AccountPage {
        tokens: sessions::list_api_tokens(&state.db, user.user_id).await?,
        ctx,
        password_form,
        token_form,
        new_token,
    })
}

#[get("/account")]
async fn account(ctx: PageCtx, user: AuthUser, state: &State<AppState>) -> AppResult<AccountPage> {
    account_page(
        ctx,
        state,
        &user,
        FormState::default(),
        FormState::default(),
        None,
    )
    .await
}

#[derive(FromForm)]
struct PasswordForm {
    csrf_token: String,
    current_password: String,
    new_password: String,
    confirm_password: String,
}

#[derive(FromForm)]
struct TokenForm {
    csrf_token: String,
    name: String,
    days: String,
}

#[derive(FromForm)]
struct RevokeForm {
    csrf_token: String,
}
crate::impl_csrf!(PasswordForm, TokenForm, RevokeForm);

fn rejected(result: AppResult<AccountPage>, status: rocket::http::Status) -> Rejected<AccountPage> {
    match result {
        Ok(page) => Rejected::Form(status, page),
        Err(e) => Rejected::Error(e),
    }
}

#[post("/account/password", data = "<form>")]
async fn change_password(
    ctx: PageCtx,
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    form: CsrfForm<PasswordForm>,
) -> Result<Flash<Redirect>, Rejected<AccountPage>> {
    let lang = ctx.lang;
    let f = form.0;
    let result = if f.new_password != f.confirm_password {
        Err(AppError::invalid(
            "confirm_password",
            "mismatch",
            ctx.t("account.password_mismatch"),
        ))
    } else {
        users::change_password(
            &state.db,
            &user.actor(ip.0),
            user.user_id,
            &f.current_password,
            &f.new_password,
            user.session_id,
        )
        .await
    };
    match result {
        Ok(()) => Ok(Flash::success(
            Redirect::to("/account"),
            "account.password_changed",
        )),
        Err(e) => {
            let form = FormState {
                values: Default::default(),
                errors: super::view::localize_errors(lang, e.field_errors()),
            };
            let page = account_page(ctx, state, &user, form, FormState::default(), None).await;
            Err(rejected(page, e.status()))
        }
    }
}

#[post("/account/tokens", data = "<form>")]
async fn create_token(
    ctx: PageCtx,
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    form: CsrfForm<TokenForm>,
) -> Result<AccountPage, Rejected<AccountPage>> {
    let lang = ctx.lang;
    let f = form.0;
    let days = match f.days.trim() {
        "" => Ok(None),
        d => match d.parse::<i64>() {
            Ok(n) if (1..=3650).contains(&n) => Ok(Some(chrono::Duration::days(n))),
            _ => Err(AppError::invalid(
                "days",
                "out_of_range",
                "days: a whole number from 1 to 3650, or empty for no expiry",
            )),
        },
    };
    let result = match days {
        Ok(valid) => {
            sessions::issue_api_token(&state.db, &user.actor(ip.0), user.user_id, &f.name, valid)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(issued) => account_page(
            ctx,
            state,
            &user,
            FormState::default(),
            FormState::default(),
            Some(issued),
        )
        .await
        .map_err(Rejected::Error),
        Err(e) => {
            let mut form = FormState {
                values: Default::default(),
                errors: super::view::localize_errors(lang, e.field_errors()),
            };
            form.values.insert("name".into(), f.name);
            form.values.insert("days".into(), f.days);
            let page = account_page(ctx, state, &user, FormState::default(), form, None).await;
            Err(rejected(page, e.status()))
        }
    }
}

#[post("/account/tokens/<id>/revoke", data = "<form>")]
async fn revoke_token(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    form: CsrfForm<RevokeForm>,
) -> AppResult<Flash<Redirect>> {
    let _ = form;
    sessions::revoke_api_token(&state.db, &user.actor(ip.0), user.user_id, id).await?;
    Ok(Flash::success(
        Redirect::to("/account"),
        "account.token_revoked",
    ))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![account, change_password, create_token, revoke_token]
}
