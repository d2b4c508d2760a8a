//! The JSON API under `/api/v1`, described by an OpenAPI document generated from this code.

pub mod accessions;
pub mod audit;
pub mod auth;
pub mod custody;
pub mod exports;
pub mod mtas;
pub mod openapi;
pub mod picking;
pub mod reports;
pub mod requests;
pub mod samples;
pub mod storage;
pub mod users;
pub mod viability;

use rocket::Route;
use serde::Serialize;

/// The error body every API failure returns (DESIGN.md).
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// What went wrong, with the field when there is one.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `invalid_country`, `unauthenticated`.
    pub code: String,
    /// A sentence a person understands, naming the field.
    pub message: String,
    pub field: Option<String>,
}

/// All API routes.
pub fn routes() -> Vec<Route> {
    [
        auth::routes(),
        accessions::routes(),
        samples::routes(),
        storage::routes(),
        custody::routes(),
        users::routes(),
        audit::routes(),
        viability::routes(),
        requests::routes(),
        picking::routes(),
        mtas::routes(),
        exports::routes(),
        reports::routes(),
        openapi::routes(),
    ]
    .concat()
}
