//! The standards exports over the API, for scripts that publish to portals.

use rocket::serde::json::Json;
use rocket::{Route, State, get, post, routes};
use serde::{Deserialize, Serialize};

use crate::AppState;
use crate::error::AppResult;
use crate::services::pid_registration;
use crate::web::guards::{ClientIp, Curator};
use crate::web::json::ApiJson;
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

/// Identifiers a registration agency has registered.
#[derive(Debug, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RegisteredIdentifiers {
    /// Persistent identifiers as the registration CSV lists them.
    pub identifiers: Vec<String>,
}

/// How many identifiers were newly recorded as registered.
#[derive(Debug, Serialize, utoipa::ToSchema)]
pub struct Recorded {
    pub recorded: usize,
}

/// Records that the agency registered these identifiers (already recorded ones are skipped);
/// an identifier this repository never issued is refused and nothing is written.
#[utoipa::path(post, path = "/api/v1/identifiers/registered", tag = "exports", security(("bearer" = [])),
    request_body = RegisteredIdentifiers,
    responses((status = 200, body = Recorded), (status = 422, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
#[post("/api/v1/identifiers/registered", data = "<body>")]
pub async fn registered(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    body: ApiJson<RegisteredIdentifiers>,
) -> AppResult<Json<Recorded>> {
    let recorded =
        pid_registration::mark_registered(&state.db, &user.actor(ip.0), &body.0.identifiers)
            .await?;
    Ok(Json(Recorded { recorded }))
}

/// The export routes.
pub fn routes() -> Vec<Route> {
    routes![export, registered]
}
