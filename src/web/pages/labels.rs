//! Label downloads (PDF for sheets and label printers, ZPL for Zebra printers) and direct
//! printing to a configured Zebra printer.

use rocket::form::FromForm;
use rocket::http::{ContentType, Header};
use rocket::serde::json::Json;
use rocket::{Responder, Route, State, get, post, routes};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::labels::LabelLayout;
use crate::services::labels::{self, Selection};
use crate::web::guards::{ClientIp, Staff};

/// Which labels, in which layout, as a query string: `?ids=1,2,3&box=7&layout=a4-l7651`.
#[derive(Debug, Default, FromForm)]
pub struct LabelQuery {
    pub ids: Option<String>,
    #[field(name = "box")]
    pub box_id: Option<String>,
    pub layout: Option<String>,
}

impl LabelQuery {
    fn layout(&self, default: LabelLayout) -> AppResult<LabelLayout> {
        match self.layout.as_deref().filter(|l| !l.is_empty()) {
            None => Ok(default),
            Some(l) => LabelLayout::from_id(l).ok_or_else(|| {
                let known: Vec<&str> = LabelLayout::ALL.iter().map(|l| l.id()).collect();
                AppError::bad(
                    "layout",
                    format!("layout: '{l}' is not one of {}", known.join(", ")),
                )
            }),
        }
    }

    fn selection(&self) -> AppResult<Selection> {
        let mut sample_ids = Vec::new();
        for part in self
            .ids
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            sample_ids.push(
                part.parse::<i64>().map_err(|_| {
                    AppError::bad("ids", format!("ids: '{part}' is not a sample id"))
                })?,
            );
        }
        let box_id = match self
            .box_id
            .as_deref()
            .map(str::trim)
            .filter(|b| !b.is_empty())
        {
            None => None,
            Some(b) => Some(b.parse::<i64>().map_err(|_| {
                AppError::bad("box", format!("box: '{b}' is not a storage unit id"))
            })?),
        };
        Ok(Selection { sample_ids, box_id })
    }
}

/// A downloaded file.
#[derive(Responder)]
pub struct Download {
    body: Vec<u8>,
    content_type: ContentType,
    disposition: Header<'static>,
}

pub(crate) fn download(body: Vec<u8>, content_type: ContentType, filename: String) -> Download {
    Download {
        body,
        content_type,
        disposition: Header::new(
            "Content-Disposition",
            format!("inline; filename=\"{filename}\""),
        ),
    }
}

#[get("/samples/<id>/label.pdf?<query..>")]
async fn sample_label_pdf(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    query: LabelQuery,
) -> AppResult<Download> {
    let layout = query.layout(LabelLayout::Cryo25x13)?;
    let selection = Selection {
        sample_ids: vec![id],
        box_id: None,
    };
    let pdf = labels::pdf(
        &state.db,
        &user.actor(ip.0),
        &state.config.base_url,
        &selection,
        layout,
    )
    .await?;
    Ok(download(pdf, ContentType::PDF, format!("label-{id}.pdf")))
}

#[get("/samples/<id>/label.zpl?<query..>")]
async fn sample_label_zpl(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    query: LabelQuery,
) -> AppResult<Download> {
    let layout = query.layout(LabelLayout::Cryo25x13)?;
    let selection = Selection {
        sample_ids: vec![id],
        box_id: None,
    };
    let zpl = labels::zpl(
        &state.db,
        &user.actor(ip.0),
        &state.config.base_url,
        &selection,
        layout,
    )
    .await?;
    Ok(download(
        zpl.into_bytes(),
        ContentType::Plain,
        format!("label-{id}.zpl"),
    ))
}

/// A sheet (or a run of single labels) for many samples or a whole box. SameSite=Lax session
/// cookies are not sent on cross-site POSTs, and rendering changes nothing but the print log.
#[post("/labels.pdf?<query..>")]
async fn labels_pdf(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    query: LabelQuery,
) -> AppResult<Download> {
    let layout = query.layout(LabelLayout::A4Sheet {
        template: crate::labels::SheetTemplate::AveryL7651,
    })?;
    let pdf = labels::pdf(
        &state.db,
        &user.actor(ip.0),
        &state.config.base_url,
        &query.selection()?,
        layout,
    )
    .await?;
    Ok(download(pdf, ContentType::PDF, "labels.pdf".into()))
}

#[post("/labels.zpl?<query..>")]
async fn labels_zpl(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    query: LabelQuery,
) -> AppResult<Download> {
    let layout = query.layout(LabelLayout::Cryo25x13)?;
    let zpl = labels::zpl(
        &state.db,
        &user.actor(ip.0),
        &state.config.base_url,
        &query.selection()?,
        layout,
    )
    .await?;
    Ok(download(
        zpl.into_bytes(),
        ContentType::Plain,
        "labels.zpl".into(),
    ))
}

/// What a print job did.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct PrintResult {
    pub printer: String,
    pub labels: usize,
}

/// Sends labels straight to the configured Zebra printer (BIOBANK_ZPL_PRINTER).
#[utoipa::path(post, path = "/api/v1/labels/print", tag = "samples", security(("bearer" = [])),
    params(("ids" = Option<String>, Query, description = "comma-separated sample ids"), ("box" = Option<i64>, Query),
           ("layout" = Option<String>, Query, description = "cryo-25x13, 50x25, 100x50, a4-l7651 or a4-l7160")),
    responses((status = 200, body = PrintResult), (status = 409, description = "no printer configured or it did not answer", body = crate::web::api::ErrorBody)))]
#[post("/api/v1/labels/print?<query..>")]
pub async fn print(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    query: LabelQuery,
) -> AppResult<Json<PrintResult>> {
    let Some(printer) = state.config.zpl_printer.clone() else {
        return Err(AppError::conflict(
            "printer",
            "printer: no label printer is configured (set BIOBANK_ZPL_PRINTER=host:9100)",
        ));
    };
    let layout = query.layout(LabelLayout::Cryo25x13)?;
    let selection = query.selection()?;
    let zpl = labels::zpl(
        &state.db,
        &user.actor(ip.0),
        &state.config.base_url,
        &selection,
        layout,
    )
    .await?;
    labels::send_to_printer(&printer, &zpl).await?;
    Ok(Json(PrintResult {
        printer,
        labels: zpl.matches("^XA").count(),
    }))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![
        sample_label_pdf,
        sample_label_zpl,
        labels_pdf,
        labels_zpl,
        print
    ]
}
