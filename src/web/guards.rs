//! Request guards: who is asking (session cookie or bearer token), in which language, from
//! which address, and whether their role allows the route.

use rocket::State;
use rocket::http::{Cookie, CookieJar, SameSite, Status};
use rocket::outcome::Outcome;
use rocket::request::{self, FromRequest, Request};

use crate::AppState;
use crate::domain::material::Role;
use crate::error::AppError;
use crate::i18n::Lang;
use crate::services::sessions::{self, Authenticated};

use super::remember_error;

/// Name of the session cookie (private: encrypted and authenticated by Rocket).
pub const SESSION_COOKIE: &str = "bb_session";
/// Name of the CSRF cookie whose value every form must echo.
pub const CSRF_COOKIE: &str = "bb_csrf";
/// Name of the language-preference cookie.
pub const LANG_COOKIE: &str = "bb_lang";

/// The client's address as Rocket sees it (X-Real-IP when configured behind a proxy).
pub struct ClientIp(pub Option<String>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for ClientIp {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        Outcome::Success(ClientIp(req.client_ip().map(|ip| ip.to_string())))
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for Lang {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        Outcome::Success(request_lang(req))
    }
}

/// The language for a request: the user's choice (cookie), else the browser's, else English.
pub fn request_lang(req: &Request<'_>) -> Lang {
    req.cookies()
        .get(LANG_COOKIE)
        .and_then(|c| Lang::from_code(c.value()))
        .or_else(|| {
            req.headers()
                .get_one("Accept-Language")
                .and_then(Lang::from_accept_language)
        })
        .unwrap_or_default()
}

/// Resolves (once per request) who is signed in.
async fn resolve<'a>(req: &'a Request<'_>) -> &'a Result<Authenticated, AppError> {
    req.local_cache_async(async {
        let Outcome::Success(state) = req.guard::<&State<AppState>>().await else {
            return Err(AppError::Internal("application state missing".into()));
        };
        if let Some(header) = req.headers().get_one("Authorization") {
            let Some(token) = header.strip_prefix("Bearer ").map(str::trim) else {
                return Err(AppError::Unauthenticated);
            };
            return sessions::authenticate_api_token(&state.db, token).await;
        }
        match req.cookies().get_private(SESSION_COOKIE) {
            Some(cookie) => sessions::authenticate_session(&state.db, cookie.value()).await,
            None => Err(AppError::Unauthenticated),
        }
    })
    .await
}

/// Any signed-in, active user.
pub struct AuthUser(pub Authenticated);

impl std::ops::Deref for AuthUser {
    type Target = Authenticated;
    fn deref(&self) -> &Authenticated {
        &self.0
    }
}

#[rocket::async_trait]
impl<'r> FromRequest<'r> for AuthUser {
    type Error = ();
    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
        match resolve(req).await {
            Ok(auth) => Outcome::Success(AuthUser(auth.clone())),
            Err(e) => {
                let status = e.status();
                remember_error(req, clone_auth_error(e));
                Outcome::Error((status, ()))
            }
        }
    }
}

fn clone_auth_error(e: &AppError) -> AppError {
    match e {
        AppError::Unauthenticated => AppError::Unauthenticated,
        other => AppError::Internal(other.to_string()),
    }
}

/// The signed-in user when there is one; never fails (for public pages).
pub struct MaybeUser(pub Option<Authenticated>);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for MaybeUser {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, Self::Error> {
        Outcome::Success(MaybeUser(resolve(req).await.as_ref().ok().cloned()))
    }
}

/// Defines a guard that admits only the roles its predicate accepts.
macro_rules! role_guard {
    ($(#[$doc:meta])* $name:ident, $allowed:expr) => {
        $(#[$doc])*
        pub struct $name(pub Authenticated);

        impl std::ops::Deref for $name {
            type Target = Authenticated;
            fn deref(&self) -> &Authenticated {
                &self.0
            }
        }

        #[rocket::async_trait]
        impl<'r> FromRequest<'r> for $name {
            type Error = ();
            async fn from_request(req: &'r Request<'_>) -> request::Outcome<Self, ()> {
                let user = match AuthUser::from_request(req).await {
                    Outcome::Success(u) => u.0,
                    Outcome::Error(e) => return Outcome::Error(e),
                    Outcome::Forward(s) => return Outcome::Forward(s),
                };
                let allowed: fn(Role) -> bool = $allowed;
                if allowed(user.role) {
                    Outcome::Success($name(user))
                } else {
                    remember_error(req, AppError::forbidden());
                    Outcome::Error((Status::Forbidden, ()))
                }
            }
        }
    };
}

role_guard!(
    /// Admins only: users, institutions, settings.
    Admin,
    |r| r == Role::Admin
);
role_guard!(
    /// Curators and admins: the registry, reviews, audit.
    Curator,
    |r| r.can_curate()
);
role_guard!(
    /// Staff who handle material: technicians, curators, admins.
    Staff,
    |r| r.can_handle_samples()
);

/// The CSRF token for this browser, created (and set as a cookie) on first use.
pub fn csrf_token(cookies: &CookieJar<'_>, secure: bool) -> String {
    if let Some(c) = cookies.get_private(CSRF_COOKIE) {
        return c.value().to_string();
    }
    let token = crate::services::random_token(24);
    let cookie = Cookie::build((CSRF_COOKIE, token.clone()))
        .http_only(true)
        .same_site(SameSite::Lax)
        .secure(secure)
        .path("/");
    cookies.add_private(cookie);
    token
}

/// True when a submitted form token matches this browser's CSRF cookie.
pub fn csrf_matches(cookies: &CookieJar<'_>, submitted: &str) -> bool {
    match cookies.get_private(CSRF_COOKIE) {
        Some(c) => sessions::constant_time_eq(c.value().as_bytes(), submitted.as_bytes()),
        None => false,
    }
}
