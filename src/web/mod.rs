//! HTTP: HTML pages and the JSON API, thin handlers over the services.

pub mod api;
pub mod assets;
pub mod brapi;
pub mod charts;
pub mod forms;
pub mod guards;
pub mod json;
pub mod page;
pub mod pages;
pub mod query;

use std::sync::Mutex;

use rocket::http::Status;
use rocket::request::Request;
use rocket::response::{self, Redirect, Responder};
use rocket::{Catcher, catch, catchers};

use crate::error::{AppError, wants_json};

/// Where a guard leaves the reason it failed, so the catcher can say it.
struct GuardFailure(Mutex<Option<AppError>>);

/// Keeps a guard's error for the catcher that will answer the request.
pub fn remember_error(req: &Request<'_>, err: AppError) {
    let slot = req.local_cache(|| GuardFailure(Mutex::new(None)));
    if let Ok(mut guard) = slot.0.lock() {
        guard.get_or_insert(err);
    }
}

fn take_error(req: &Request<'_>) -> Option<AppError> {
    req.local_cache(|| GuardFailure(Mutex::new(None)))
        .0
        .lock()
        .ok()?
        .take()
}

/// What a catcher answers: the guard's own error, or a plain one for the status.
enum Caught {
    Error(AppError),
    SignIn(Box<Redirect>),
}

impl<'r> Responder<'r, 'static> for Caught {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        match self {
            Caught::Error(e) => e.respond_to(req),
            Caught::SignIn(r) => (*r).respond_to(req),
        }
    }
}

fn caught(status: Status, req: &Request<'_>) -> Caught {
    let err = take_error(req).unwrap_or_else(|| match status.code {
        400 => AppError::BadRequest {
            field: None,
            message: "the request could not be understood".into(),
        },
        401 => AppError::Unauthenticated,
        403 => AppError::forbidden(),
        404 => AppError::NotFound,
        413 => AppError::TooLarge { limit: 0 },
        422 => AppError::BadRequest {
            field: None,
            message: "a value in the address or the body has the wrong type or format".into(),
        },
        _ => AppError::Internal(format!("unhandled status {status}")),
    });
    if matches!(err, AppError::Unauthenticated) && !wants_json(req) {
        let next = req.uri().to_string();
        let target = rocket::uri!(pages::auth::login_page(Some(next)));
        return Caught::SignIn(Box::new(Redirect::to(target)));
    }
    Caught::Error(err)
}

#[catch(default)]
fn default_catcher(status: Status, req: &Request<'_>) -> Caught {
    caught(status, req)
}

/// Catchers for every status: JSON for the API, HTML pages for people.
pub fn catchers() -> Vec<Catcher> {
    catchers![default_catcher]
}

/// Mounts every route and catcher on a Rocket instance.
pub fn mount(rocket: rocket::Rocket<rocket::Build>) -> rocket::Rocket<rocket::Build> {
    use utoipa::OpenApi;
    rocket
        .mount("/", pages::routes())
        .mount("/", api::routes())
        .mount("/", assets::routes())
        .mount("/", brapi::routes())
        .mount(
            "/",
            utoipa_swagger_ui::SwaggerUi::new("/api/docs/<_..>")
                .url("/api/v1/openapi.json", api::openapi::ApiDoc::openapi()),
        )
        .register("/", catchers())
}
