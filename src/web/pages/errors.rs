//! HTML error pages for people (the API answers JSON instead).

use askama::Template;
use rocket::http::{ContentType, Status};
use rocket::request::Request;
use rocket::response::{self, Response};
use std::io::Cursor;

use crate::error::AppError;
use crate::i18n::Lang;
use crate::web::guards::{csrf_token, request_lang};
use crate::web::page::PageCtx;

#[derive(Template)]
#[template(path = "errors/error.html")]
struct ErrorPage {
    ctx: PageCtx,
    title: String,
    message: String,
}

fn title_key(status: Status) -> &'static str {
    match status.code {
        400 | 422 => "error.bad_request",
        401 => "error.unauthenticated",
        403 => "error.forbidden",
        404 => "error.not_found",
        409 => "error.conflict",
        413 => "error.too_large",
        429 => "error.too_many",
        _ => "error.internal",
    }
}

/// Renders an error as a page in the user's language, with the right status.
pub fn render_error_page(req: &Request<'_>, err: &AppError) -> response::Result<'static> {
    let status = err.status();
    let lang: Lang = request_lang(req);
    let message = match status.code {
        404 => lang.t("error.not_found_text").to_string(),
        500 => lang.t("error.internal_text").to_string(),
        _ => err.public_message(),
    };
    let ctx = PageCtx {
        lang,
        user: None,
        csrf: csrf_token(req.cookies(), false),
        path: req.uri().path().to_string(),
        flash: None,
    };
    let page = ErrorPage {
        title: lang.t(title_key(status)).to_string(),
        message,
        ctx,
    };
    let body = page.render().unwrap_or_else(|_| "error".to_string());
    Response::build()
        .status(status)
        .header(ContentType::HTML)
        .sized_body(body.len(), Cursor::new(body))
        .ok()
}
