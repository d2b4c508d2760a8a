//! Label downloads (PDF for sheets and label printers, ZPL for Zebra printers) and direct
//! printing to a configured Zebra printer.

use rocket::form::FromForm;
use rocket::http::{ContentType, Header};
use rocket::serde::json::Json;
use rocket::{Responder, Route, State, get, post, routes};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::labels::{LabelLayout, Symbology};
use crate::services::labels::{self, Selection};
use crate::web::guards::{ClientIp, Staff};

/// Which labels, in which layout, as a query string: `?ids=1,2,3&box=7&units=4,5&layout=a4-l7651`
/// (`box`: every sample in that box; `units`: the labels of the storage units themselves).
#[derive(Debug, Default, FromForm)]
pub struct LabelQuery {
    pub ids: Option<String>,
    pub units: Option<String>,
    /// `qr` (default) or `datamatrix`.
    pub symbol: Option<String>,
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

    /// A fixed selection (one sample, one unit) printed in the symbology the query asks for.
    fn with_symbol(&self, fixed: Selection) -> AppResult<Selection> {
        Ok(Selection {
            symbology: self.selection()?.symbology,
            ..fixed
        })
    }

    fn selection(&self) -> AppResult<Selection> {
        let sample_ids = id_list("ids", "a sample id", self.ids.as_deref())?;
        let unit_ids = id_list("units", "a storage unit id", self.units.as_deref())?;
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
        let symbology = match self
            .symbol
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Symbology::Qr,
            Some(s) => Symbology::from_id(s).ok_or_else(|| {
                AppError::bad(
                    "symbol",
                    format!("symbol: '{s}' is not one of qr, datamatrix"),
                )
            })?,
        };
        Ok(Selection {
            sample_ids,
            box_id,
            unit_ids,
            symbology,
        })
    }
}

/// A comma-separated list of ids (`1,2,3`).
fn id_list(field: &str, what: &str, text: Option<&str>) -> AppResult<Vec<i64>> {
    text.unwrap_or("")
        .split(',')
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|part| {
            part.parse::<i64>()
                .map_err(|_| AppError::bad(field, format!("{field}: '{part}' is not {what}")))
        })
        .collect()
}

/// Which file a label route answers with.
#[derive(Clone, Copy)]
enum Format {
    Pdf,
    Zpl,
}

/// Renders (and logs) the selection as a download.
async fn render(
    state: &AppState,
    actor: &crate::services::Actor,
    selection: &Selection,
    layout: LabelLayout,
    format: Format,
    name: &str,
) -> AppResult<Download> {
    let base = &state.config.base_url;
    Ok(match format {
        Format::Pdf => download(
            labels::pdf(&state.db, actor, base, selection, layout).await?,
            ContentType::PDF,
            format!("{name}.pdf"),
        ),
        Format::Zpl => download(
            labels::zpl(&state.db, actor, base, selection, layout)
                .await?
                .into_bytes(),
            ContentType::Plain,
            format!("{name}.zpl"),
        ),
    })
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

/// One sample's label as PDF (default layout cryo-25x13).
#[utoipa::path(get, path = "/samples/{id}/label.pdf", tag = "labels", security(("bearer" = [])),
    params(("id" = i64, Path), ("layout" = Option<String>, Query, description = "cryo-25x13, 50x25, 100x50, a4-l7651 or a4-l7160"),
           ("symbol" = Option<String>, Query, description = "qr (default) or datamatrix")),
    responses((status = 200, description = "the labels", content_type = "application/pdf"),
              (status = 400, body = crate::web::api::ErrorBody), (status = 422, description = "the layout cannot hold this content", body = crate::web::api::ErrorBody)))]
#[get("/samples/<id>/label.pdf?<query..>")]
pub async fn sample_label_pdf(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    query: LabelQuery,
) -> AppResult<Download> {
    let layout = query.layout(LabelLayout::Cryo25x13)?;
    let name = format!("label-{id}");
    render(
        state,
        &user.actor(ip.0),
        &query.with_symbol(Selection::sample(id))?,
        layout,
        Format::Pdf,
        &name,
    )
    .await
}

/// One sample's label as ZPL for Zebra printers.
#[utoipa::path(get, path = "/samples/{id}/label.zpl", tag = "labels", security(("bearer" = [])),
    params(("id" = i64, Path), ("layout" = Option<String>, Query, description = "cryo-25x13, 50x25, 100x50, a4-l7651 or a4-l7160"),
           ("symbol" = Option<String>, Query, description = "qr (default) or datamatrix")),
    responses((status = 200, description = "the labels", content_type = "text/plain"),
              (status = 400, body = crate::web::api::ErrorBody), (status = 422, description = "the layout cannot hold this content", body = crate::web::api::ErrorBody)))]
#[get("/samples/<id>/label.zpl?<query..>")]
pub async fn sample_label_zpl(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    query: LabelQuery,
) -> AppResult<Download> {
    let layout = query.layout(LabelLayout::Cryo25x13)?;
    let name = format!("label-{id}");
    render(
        state,
        &user.actor(ip.0),
        &query.with_symbol(Selection::sample(id))?,
        layout,
        Format::Zpl,
        &name,
    )
    .await
}

/// The label of a box, rack or drawer: scanning it opens the box map.
/// A box or rack label as PDF; its code opens the box map (default layout 50x25).
#[utoipa::path(get, path = "/storage/{id}/label.pdf", tag = "labels", security(("bearer" = [])),
    params(("id" = i64, Path), ("layout" = Option<String>, Query, description = "cryo-25x13, 50x25, 100x50, a4-l7651 or a4-l7160"),
           ("symbol" = Option<String>, Query, description = "qr (default) or datamatrix")),
    responses((status = 200, description = "the labels", content_type = "application/pdf"),
              (status = 400, body = crate::web::api::ErrorBody), (status = 422, description = "the layout cannot hold this content", body = crate::web::api::ErrorBody)))]
#[get("/storage/<id>/label.pdf?<query..>")]
pub async fn unit_label_pdf(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    query: LabelQuery,
) -> AppResult<Download> {
    let layout = query.layout(LabelLayout::Label50x25)?;
    let name = format!("storage-{id}");
    render(
        state,
        &user.actor(ip.0),
        &query.with_symbol(Selection::unit(id))?,
        layout,
        Format::Pdf,
        &name,
    )
    .await
}

/// A box or rack label as ZPL.
#[utoipa::path(get, path = "/storage/{id}/label.zpl", tag = "labels", security(("bearer" = [])),
    params(("id" = i64, Path), ("layout" = Option<String>, Query, description = "cryo-25x13, 50x25, 100x50, a4-l7651 or a4-l7160"),
           ("symbol" = Option<String>, Query, description = "qr (default) or datamatrix")),
    responses((status = 200, description = "the labels", content_type = "text/plain"),
              (status = 400, body = crate::web::api::ErrorBody), (status = 422, description = "the layout cannot hold this content", body = crate::web::api::ErrorBody)))]
#[get("/storage/<id>/label.zpl?<query..>")]
pub async fn unit_label_zpl(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    query: LabelQuery,
) -> AppResult<Download> {
    let layout = query.layout(LabelLayout::Label50x25)?;
    let name = format!("storage-{id}");
    render(
        state,
        &user.actor(ip.0),
        &query.with_symbol(Selection::unit(id))?,
        layout,
        Format::Zpl,
        &name,
    )
    .await
}

/// A sheet (or a run of single labels) for many samples (ids), every sample in a box (box) or storage units (units); default layout a4-l7651.
#[utoipa::path(post, path = "/labels.pdf", tag = "labels", security(("bearer" = [])),
    params(("ids" = Option<String>, Query, description = "comma-separated sample ids"), ("box" = Option<i64>, Query),
           ("units" = Option<String>, Query, description = "comma-separated storage unit ids"),
           ("layout" = Option<String>, Query, description = "cryo-25x13, 50x25, 100x50, a4-l7651 or a4-l7160"),
           ("symbol" = Option<String>, Query, description = "qr (default) or datamatrix")),
    responses((status = 200, description = "the labels", content_type = "application/pdf"),
              (status = 400, body = crate::web::api::ErrorBody), (status = 422, description = "the layout cannot hold this content", body = crate::web::api::ErrorBody)))]
// SameSite=Lax session cookies are not sent on cross-site POSTs, and rendering changes nothing
// but the print log.
#[post("/labels.pdf?<query..>")]
pub async fn labels_pdf(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    query: LabelQuery,
) -> AppResult<Download> {
    let layout = query.layout(LabelLayout::A4Sheet {
        template: crate::labels::SheetTemplate::AveryL7651,
    })?;
    let selection = query.selection()?;
    render(
        state,
        &user.actor(ip.0),
        &selection,
        layout,
        Format::Pdf,
        "labels",
    )
    .await
}

/// ZPL for many samples, a box's contents or storage units.
#[utoipa::path(post, path = "/labels.zpl", tag = "labels", security(("bearer" = [])),
    params(("ids" = Option<String>, Query, description = "comma-separated sample ids"), ("box" = Option<i64>, Query),
           ("units" = Option<String>, Query, description = "comma-separated storage unit ids"),
           ("layout" = Option<String>, Query, description = "cryo-25x13, 50x25, 100x50, a4-l7651 or a4-l7160"),
           ("symbol" = Option<String>, Query, description = "qr (default) or datamatrix")),
    responses((status = 200, description = "the labels", content_type = "text/plain"),
              (status = 400, body = crate::web::api::ErrorBody), (status = 422, description = "the layout cannot hold this content", body = crate::web::api::ErrorBody)))]
#[post("/labels.zpl?<query..>")]
pub async fn labels_zpl(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    query: LabelQuery,
) -> AppResult<Download> {
    let layout = query.layout(LabelLayout::Cryo25x13)?;
    let selection = query.selection()?;
    render(
        state,
        &user.actor(ip.0),
        &selection,
        layout,
        Format::Zpl,
        "labels",
    )
    .await
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
           ("units" = Option<String>, Query, description = "comma-separated storage unit ids (box and rack labels)"),
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
        unit_label_pdf,
        unit_label_zpl,
        labels_pdf,
        labels_zpl,
        print
    ]
}
