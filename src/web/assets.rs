//! Static assets compiled into the binary, so the binary is the whole deployment.

use rocket::http::{ContentType, Header};
use rocket::{Responder, Route, get, routes};

#[derive(Responder)]
struct Asset {
    body: &'static str,
    content_type: ContentType,
    cache: Header<'static>,
}

fn asset(body: &'static str, content_type: ContentType) -> Asset {
    Asset {
        body,
        content_type,
        cache: Header::new("Cache-Control", "public, max-age=3600"),
    }
}

#[get("/static/app.css")]
fn app_css() -> Asset {
    asset(
        include_str!("../../templates/static/app.css"),
        ContentType::CSS,
    )
}

#[get("/static/app.js")]
fn app_js() -> Asset {
    asset(
        include_str!("../../templates/static/app.js"),
        ContentType::JavaScript,
    )
}

/// Asset routes.
pub fn routes() -> Vec<Route> {
    routes![app_css, app_js]
}
