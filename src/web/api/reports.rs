//! The open-sharing report as JSON (curators and admins).

use rocket::serde::json::Json;
use rocket::{Route, State, get, routes};

use crate::AppState;
use crate::error::AppResult;
use crate::services::sharing_report::{self, Period, Report};
use crate::services::viability;
use crate::web::guards::Curator;

/// The open-sharing report for a period (`from`/`to` inclusive, default the last 12 months):
/// one line per material type, then the total.
#[utoipa::path(get, path = "/api/v1/reports/sharing", tag = "requests", security(("bearer" = [])),
    params(("from" = Option<String>, Query, description = "YYYY-MM-DD (default: 12 months before `to`)"),
           ("to" = Option<String>, Query, description = "YYYY-MM-DD (default: today)")),
    responses((status = 200, body = Report),
              (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
#[get("/api/v1/reports/sharing?<from>&<to>")]
pub async fn sharing(
    _user: Curator,
    state: &State<AppState>,
    from: Option<&str>,
    to: Option<&str>,
) -> AppResult<Json<Report>> {
    let today = viability::today();
    let period = Period::parse(from, to, today)?;
    Ok(Json(
        sharing_report::report(&state.db, period, today).await?,
    ))
}

pub fn routes() -> Vec<Route> {
    routes![sharing]
}
