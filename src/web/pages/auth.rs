//! Sign-in, sign-out, first-run setup, researcher registration, language choice.

use askama::Template;
use askama_web::WebTemplate;
use rocket::form::FromForm;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes, uri};

use crate::AppState;
use crate::domain::material::Role;
use crate::error::{AppError, AppResult};
use crate::services::{sessions, setup, users};
use crate::web::forms::{CsrfForm, FormState};
use crate::web::guards::{AuthUser, ClientIp, LANG_COOKIE, SESSION_COOKIE};
use crate::web::page::PageCtx;

use super::safe_next;

#[derive(Template, WebTemplate)]
#[template(path = "auth/login.html")]
pub struct LoginPage {
    ctx: PageCtx,
    form: FormState,
    next: String,
}

#[derive(FromForm)]
struct LoginForm {
    csrf_token: String,
    username: String,
    password: String,
    next: Option<String>,
}
crate::impl_csrf!(LoginForm, SignOutForm, SetupForm, RegisterForm);

/// The user agent, for the session list.
struct UserAgent(Option<String>);

#[rocket::async_trait]
impl<'r> rocket::request::FromRequest<'r> for UserAgent {
    type Error = std::convert::Infallible;
    async fn from_request(
        req: &'r rocket::Request<'_>,
    ) -> rocket::request::Outcome<Self, Self::Error> {
        rocket::outcome::Outcome::Success(UserAgent(
            req.headers().get_one("User-Agent").map(str::to_string),
        ))
    }
}

#[get("/login?<next>")]
pub fn login_page(ctx: PageCtx, next: Option<String>) -> LoginPage {
    LoginPage {
        ctx,
        form: FormState::default(),
        next: safe_next(next.as_deref()),
    }
}

fn session_cookie(token: String, secure: bool) -> Cookie<'static> {
    Cookie::build((SESSION_COOKIE, token))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/")
        .build()
}

#[post("/login", data = "<form>")]
async fn login_submit(
    ctx: PageCtx,
    state: &State<AppState>,
    ip: ClientIp,
    ua: UserAgent,
    cookies: &CookieJar<'_>,
    form: CsrfForm<LoginForm>,
) -> Result<Redirect, (Status, LoginPage)> {
    let form = form.0;
    let next = safe_next(form.next.as_deref());
    let result = async {
        let user =
            sessions::check_credentials(&state.db, &form.username, &form.password, ip.0.as_deref())
                .await?;
        sessions::start_session(&state.db, &user, ip.0.clone(), ua.0).await
    }
    .await;
    match result {
        Ok(token) => {
            cookies.add_private(session_cookie(token, state.config.secure_cookies()));
            Ok(Redirect::to(next))
        }
        Err(err) => {
            let mut state_form = FormState::default();
            state_form
                .values
                .insert("username".into(), form.username.clone());
            let message = match &err {
                AppError::Invalid(_) => ctx.t("auth.sign_in_failed").to_string(),
                AppError::TooManyRequests { retry_after_s } => {
                    format!(
                        "{} ({} min)",
                        ctx.t("auth.throttled"),
                        (retry_after_s + 59) / 60
                    )
                }
                AppError::Forbidden(_) => err.public_message(),
                _ => ctx.t("error.internal_text").to_string(),
            };
            state_form.errors.push(crate::domain::FieldError::new(
                "password",
                "sign_in_failed",
                message,
            ));
            Err((
                err.status(),
                LoginPage {
                    ctx,
                    form: state_form,
                    next,
                },
            ))
        }
    }
}

#[derive(FromForm)]
struct SignOutForm {
    csrf_token: String,
}

#[post("/logout", data = "<form>")]
async fn logout(
    state: &State<AppState>,
    user: Option<AuthUser>,
    ip: ClientIp,
    cookies: &CookieJar<'_>,
    form: CsrfForm<SignOutForm>,
) -> AppResult<Flash<Redirect>> {
    let _ = form;
    if let Some(user) = user
        && let Some(sid) = user.session_id
    {
        sessions::end_session(&state.db, sid, &user.actor(ip.0)).await?;
    }
    cookies.remove_private(Cookie::from(SESSION_COOKIE));
    Ok(Flash::success(Redirect::to("/login"), "auth.signed_out"))
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/setup.html")]
struct SetupPage {
    ctx: PageCtx,
    form: FormState,
    token: String,
}

#[derive(FromForm)]
struct SetupForm {
    csrf_token: String,
    username: String,
    display_name: String,
    email: String,
    password: String,
}

#[get("/setup/<token>")]
async fn setup_page(ctx: PageCtx, state: &State<AppState>, token: &str) -> AppResult<SetupPage> {
    if !setup::setup_token_valid(&state.db, token).await? {
        return Err(AppError::NotFound);
    }
    Ok(SetupPage {
        ctx,
        form: FormState::default(),
        token: token.to_string(),
    })
}

#[post("/setup/<token>", data = "<form>")]
async fn setup_submit(
    ctx: PageCtx,
    state: &State<AppState>,
    ip: ClientIp,
    token: &str,
    form: CsrfForm<SetupForm>,
) -> Result<Flash<Redirect>, (Status, SetupPage)> {
    let lang = ctx.lang;
    let f = form.0;
    let input = users::NewUser {
        username: f.username.clone(),
        display_name: Some(f.display_name.clone()),
        email: Some(f.email.clone()),
        password: f.password,
        role: Role::Admin,
        institution: None,
    };
    match setup::complete_setup(&state.db, token, ip.0, input).await {
        Ok(_) => Ok(Flash::success(
            Redirect::to(uri!(login_page(None::<String>))),
            "setup.done",
        )),
        Err(err) => {
            let mut form = FormState::default();
            form.values.insert("username".into(), f.username);
            form.values.insert("display_name".into(), f.display_name);
            form.values.insert("email".into(), f.email);
            form.errors = super::view::localize_errors(lang, err.field_errors());
            if form.errors.is_empty() {
                form.errors.push(crate::domain::FieldError::new(
                    "general",
                    "error",
                    err.public_message(),
                ));
            }
            Err((
                err.status(),
                SetupPage {
                    ctx,
                    form,
                    token: token.to_string(),
                },
            ))
        }
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "auth/register.html")]
struct RegisterPage {
    ctx: PageCtx,
    form: FormState,
}

#[derive(FromForm)]
struct RegisterForm {
    csrf_token: String,
    username: String,
    display_name: String,
    email: String,
    institution: String,
    password: String,
}

#[get("/register")]
fn register_page(ctx: PageCtx) -> RegisterPage {
    RegisterPage {
        ctx,
        form: FormState::default(),
    }
}

#[post("/register", data = "<form>")]
async fn register_submit(
    ctx: PageCtx,
    state: &State<AppState>,
    ip: ClientIp,
    form: CsrfForm<RegisterForm>,
) -> Result<Flash<Redirect>, (Status, RegisterPage)> {
    let lang = ctx.lang;
    let f = form.0;
    let input = users::NewUser {
        username: f.username.clone(),
        display_name: Some(f.display_name.clone()),
        email: Some(f.email.clone()),
        password: f.password,
        role: Role::Researcher,
        institution: Some(f.institution.clone()),
    };
    match users::register_researcher(&state.db, ip.0, input).await {
        Ok(_) => Ok(Flash::success(Redirect::to("/login"), "register.done")),
        Err(err) => {
            let mut form = FormState::default();
            for (k, v) in [
                ("username", f.username),
                ("display_name", f.display_name),
                ("email", f.email),
                ("institution", f.institution),
            ] {
                form.values.insert(k.into(), v);
            }
            form.errors = super::view::localize_errors(lang, err.field_errors());
            Err((err.status(), RegisterPage { ctx, form }))
        }
    }
}

#[get("/lang/<code>?<next>")]
fn set_language(code: &str, next: Option<String>, cookies: &CookieJar<'_>) -> Redirect {
    if let Some(lang) = crate::i18n::Lang::from_code(code) {
        let code = if lang == crate::i18n::Lang::Zh {
            "zh"
        } else {
            "en"
        };
        cookies.add(
            Cookie::build((LANG_COOKIE, code))
                .path("/")
                .same_site(SameSite::Lax)
                .max_age(rocket::time::Duration::days(365)),
        );
    }
    Redirect::to(safe_next(next.as_deref()))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![
        login_page,
        login_submit,
        logout,
        setup_page,
        setup_submit,
        register_page,
        register_submit,
        set_language
    ]
}
