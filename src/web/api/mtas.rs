//! Agreements over JSON: the issued MTA PDF, a signed copy and its confirmation, the
//! repository's own agreement texts (versioned), and the report of concluded SMTAs.

use rocket::http::{ContentType, Header, Status};
use rocket::serde::json::Json;
use rocket::{Responder, Route, State, get, post, routes};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::services::mta_reports;
use crate::services::mta_signed::{self, NewSignedCopy};
use crate::services::mta_templates::{self, NewTemplate, TemplateView};
use crate::services::mtas;
use crate::services::request_views::RequestView;
use crate::services::requests::Caller;
use crate::web::guards::{Admin, AuthUser, ClientIp, Curator};
use crate::web::json::ApiJson;
use crate::web::pages::labels::{Download, download};

fn caller(user: &AuthUser) -> Caller {
    Caller {
        user_id: user.user_id,
        role: user.role,
    }
}

/// The request's agreement PDF exactly as issued (its SHA-256 is the request's
/// `mta.pdf_sha256`): for the requester, curators and admins.
#[utoipa::path(get, path = "/api/v1/requests/{id}/mta.pdf", tag = "requests", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, content_type = "application/pdf", description = "the agreement PDF"),
              (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
#[get("/api/v1/requests/<id>/mta.pdf")]
pub async fn mta_pdf(user: AuthUser, state: &State<AppState>, id: i64) -> AppResult<Download> {
    let (name, bytes) = mtas::pdf(&state.db, caller(&user), id).await?;
    Ok(download(bytes, ContentType::PDF, name))
}

/// The requester uploads the agreement signed by their authorised official (PDF, base64, up
/// to 2 MiB); the request waits in `mta_pending` for a curator's confirmation.
#[utoipa::path(post, path = "/api/v1/requests/{id}/mta/signed-copy", tag = "requests", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewSignedCopy,
    responses((status = 201, body = RequestView), (status = 403, body = super::ErrorBody), (status = 404, body = super::ErrorBody),
              (status = 409, body = super::ErrorBody), (status = 413, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/requests/<id>/mta/signed-copy", data = "<body>")]
pub async fn upload_signed_copy(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<NewSignedCopy>,
) -> AppResult<(Status, Json<RequestView>)> {
    let r = mta_signed::upload_signed_copy_base64(
        &state.db,
        &user.actor(ip.0),
        caller(&user),
        id,
        body.0,
    )
    .await?;
    Ok((Status::Created, Json(r)))
}

/// A curator confirms the uploaded signed copy: the agreement is accepted by signature.
#[utoipa::path(post, path = "/api/v1/requests/{id}/mta/confirm-signed-copy", tag = "requests", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses((status = 200, body = RequestView), (status = 403, body = super::ErrorBody), (status = 409, body = super::ErrorBody)))]
#[post("/api/v1/requests/<id>/mta/confirm-signed-copy")]
pub async fn confirm_signed_copy(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
) -> AppResult<Json<RequestView>> {
    let c = Caller {
        user_id: user.user_id,
        role: user.role,
    };
    Ok(Json(
        mta_signed::confirm_signed_copy(&state.db, &user.actor(ip.0), c, id).await?,
    ))
}

/// Every saved version of the repository's own agreement texts (curators and admins).
#[utoipa::path(get, path = "/api/v1/mta-templates", tag = "requests", security(("bearer" = [])),
    responses((status = 200, body = Vec<TemplateView>), (status = 403, body = super::ErrorBody)))]
#[get("/api/v1/mta-templates")]
pub async fn list_templates(
    _user: Curator,
    state: &State<AppState>,
) -> AppResult<Json<Vec<TemplateView>>> {
    Ok(Json(mta_templates::list(&state.db).await?))
}

/// Saves a new version of the repository's own text for `smta` or `ubmta` agreements
/// (admins); agreements issued from now on use it and record its version.
#[utoipa::path(post, path = "/api/v1/mta-templates", tag = "requests", security(("bearer" = [])),
    request_body = NewTemplate,
    responses((status = 201, body = TemplateView), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/mta-templates", data = "<body>")]
pub async fn save_template(
    user: Admin,
    ip: ClientIp,
    state: &State<AppState>,
    body: ApiJson<NewTemplate>,
) -> AppResult<(Status, Json<TemplateView>)> {
    let c = Caller {
        user_id: user.user_id,
        role: user.role,
    };
    let t = mta_templates::save(&state.db, &user.actor(ip.0), c, body.0).await?;
    Ok((Status::Created, Json(t)))
}

/// A CSV download.
#[derive(Responder)]
pub struct CsvDownload {
    body: String,
    content_type: ContentType,
    disposition: Header<'static>,
}

fn parse_date(field: &str, v: Option<&str>) -> AppResult<Option<chrono::NaiveDate>> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => chrono::NaiveDate::parse_from_str(v, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                AppError::bad(field, format!("{field}: '{v}' is not a date (YYYY-MM-DD)"))
            }),
    }
}

/// Concluded SMTAs (accepted between `from` and `to`, inclusive) with the fields the
/// Treaty's Governing Body asks providers to report, one row per material (curators).
#[utoipa::path(get, path = "/api/v1/reports/smta.csv", tag = "requests", security(("bearer" = [])),
    params(("from" = Option<String>, Query, description = "YYYY-MM-DD"), ("to" = Option<String>, Query, description = "YYYY-MM-DD")),
    responses((status = 200, content_type = "text/csv", description = "one row per material of each concluded SMTA"),
              (status = 400, body = super::ErrorBody), (status = 403, body = super::ErrorBody)))]
#[get("/api/v1/reports/smta.csv?<from>&<to>")]
pub async fn smta_report(
    _user: Curator,
    state: &State<AppState>,
    from: Option<&str>,
    to: Option<&str>,
) -> AppResult<CsvDownload> {
    let from = parse_date("from", from)?;
    let to = parse_date("to", to)?;
    let body = mta_reports::smta_csv(&state.db, from, to).await?;
    Ok(CsvDownload {
        body,
        content_type: ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        disposition: Header::new(
            "Content-Disposition",
            "attachment; filename=\"smta-report.csv\"",
        ),
    })
}

/// The agreement routes.
pub fn routes() -> Vec<Route> {
    routes![
        mta_pdf,
        upload_signed_copy,
        confirm_signed_copy,
        list_templates,
        save_template,
        smta_report
    ]
}
