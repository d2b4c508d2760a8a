//! The standards exports over the API, for scripts that publish to portals.

use rocket::{Route, State, get, routes};

use crate::AppState;
use crate::error::AppResult;
use crate::web::guards::Curator;
use crate::web::pages::exports::{Download, download};

/// One export as a file: `mcpd.csv`, `dwca.zip` (Darwin Core Archive), `miabis.json`,
/// `miabis-collections.csv`, `miabis-samples.csv` or `gcm.csv` (GCM/MIRRI strains). Only
/// public fields; the `X-Record-Count` header says how many records went in.
#[utoipa::path(get, path = "/api/v1/exports/{file_name}", tag = "exports", security(("bearer" = [])),
    params(("file_name" = String, Path, description = "mcpd.csv, dwca.zip, miabis.json, miabis-collections.csv, miabis-samples.csv or gcm.csv")),
    responses((status = 200, description = "the file: application/zip, application/json or text/csv"),
              (status = 400, body = super::ErrorBody), (status = 401, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
#[get("/api/v1/exports/<file_name>")]
pub async fn export(_c: Curator, state: &State<AppState>, file_name: &str) -> AppResult<Download> {
    download(state, file_name).await
}

/// The export routes.
pub fn routes() -> Vec<Route> {
    routes![export]
}
