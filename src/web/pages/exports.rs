//! The standards exports page for curators: MCPD, Darwin Core Archive, MIABIS, GCM/MIRRI and
//! the BrAPI address, each a download of what the command line writes.

use askama::Template;
use askama_web::WebTemplate;
use rocket::http::{ContentType, Header};
use rocket::{Responder, Route, State, get, routes};

use crate::AppState;
use crate::error::AppResult;
use crate::services::standards::{self, ExportKind, Publisher};
use crate::web::guards::Curator;
use crate::web::page::PageCtx;

#[derive(Template, WebTemplate)]
#[template(path = "exports/index.html")]
struct ExportsPage {
    ctx: PageCtx,
    /// (file name, catalog key of its name, catalog key of its description)
    exports: Vec<(&'static str, &'static str, String)>,
    base_url: String,
}

#[get("/exports")]
fn index(_c: Curator, ctx: PageCtx, state: &State<AppState>) -> ExportsPage {
    ExportsPage {
        ctx,
        exports: ExportKind::ALL
            .iter()
            .map(|k| {
                (
                    k.file_name(),
                    k.label_key(),
                    format!("{}_help", k.label_key()),
                )
            })
            .collect(),
        base_url: state.config.base_url.trim_end_matches('/').to_string(),
    }
}

/// An export as a file download.
#[derive(Responder)]
pub struct Download {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
    records: Header<'static>,
}

/// Produces an export named by its file name, ready to download.
pub async fn download(state: &AppState, file_name: &str) -> AppResult<Download> {
    let kind = ExportKind::from_file_name(file_name)?;
    let publisher = Publisher::of(
        &state.db,
        &state.config.institute_code,
        &state.config.base_url,
    )
    .await?;
    let file = standards::produce(&state.db, &publisher, kind).await?;
    let (top, sub) = kind.media_type();
    let mut content_type = ContentType::new(top, sub);
    if top == "text" || sub == "json" {
        content_type = content_type.with_params(("charset", "utf-8"));
    }
    let today = chrono::Utc::now().format("%Y%m%d");
    Ok(Download {
        body: file.bytes,
        content_type,
        disposition: Header::new(
            "Content-Disposition",
            format!(
                "attachment; filename=\"{}-{today}-{}\"",
                state.config.institute_code,
                kind.file_name()
            ),
        ),
        records: Header::new("X-Record-Count", file.records.to_string()),
    })
}

#[get("/exports/<file_name>")]
async fn file(_c: Curator, state: &State<AppState>, file_name: &str) -> AppResult<Download> {
    download(state, file_name).await
}

/// The exports page and its downloads.
pub fn routes() -> Vec<Route> {
    routes![index, file]
}
