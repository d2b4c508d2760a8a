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

#[get("/static/scan.js")]
fn scan_js() -> Asset {
    asset(
        include_str!("../../templates/static/scan.js"),
        ContentType::JavaScript,
    )
}

/// The bundled camera decoder (see templates/static/vendor/README.md for its licence).
#[get("/static/vendor/zxing.min.js")]
fn zxing_js() -> Asset {
    asset(
        include_str!("../../templates/static/vendor/zxing-library-0.23.0.min.js"),
        ContentType::JavaScript,
    )
}

/// Asset routes.
pub fn routes() -> Vec<Route> {
    routes![app_css, app_js, scan_js, zxing_js]
}
