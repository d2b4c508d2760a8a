//! Identifier resolution (`/id/{pid}`) and scanned labels (`/s/{label_code}`).

use askama::Template;
use askama_web::WebTemplate;
use rocket::http::ContentType;
use rocket::http::uri::Segments;
use rocket::http::uri::fmt::Path;
use rocket::request::{FromRequest, Outcome, Request};
use rocket::response::Redirect;
use rocket::{Route, State, get, routes};

use crate::AppState;
use crate::domain::material::AccessionStatus;
use crate::domain::pid::{decode_path_segment, resolver_candidates, resolver_path};
use crate::error::{AppError, AppResult};
use crate::services::accessions::{self, AccessionDetail};
use crate::services::{audit, ledger, samples};
use crate::web::guards::Staff;
use crate::web::page::PageCtx;

use super::view::{self, DetailGroup, option_label};

/// True when the client asked for JSON-LD rather than a page.
pub struct WantsJsonLd(bool);

#[rocket::async_trait]
impl<'r> FromRequest<'r> for WantsJsonLd {
    type Error = std::convert::Infallible;
    async fn from_request(req: &'r Request<'_>) -> Outcome<Self, Self::Error> {
        let accept = req.headers().get("Accept").collect::<Vec<_>>().join(",");
        Outcome::Success(WantsJsonLd(
            accept.contains("application/ld+json") || accept.contains("application/json"),
        ))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "ident/accession.html")]
struct PublicAccessionPage {
    ctx: PageCtx,
    a: AccessionDetail,
    groups: Vec<DetailGroup>,
    tombstone: bool,
    citation: String,
}

impl PublicAccessionPage {
    fn opt(&self, vocabulary: &str, value: &str) -> String {
        option_label(self.ctx.lang, vocabulary, value)
    }
}

/// JSON-LD (schema.org with the Bioschemas Sample type) for an accession's public record.
pub fn json_ld(a: &AccessionDetail, base_url: &str) -> serde_json::Value {
    let c = &a.core;
    let mut v = serde_json::json!({
        "@context": "https://schema.org",
        "@type": "Thing",
        "additionalType": "https://bioschemas.org/Sample",
        "@id": c.pid,
        "identifier": c.pid,
        "name": format!("{} {}", c.institute_code, c.accession_number),
        "alternateName": c.accession_names,
        "url": format!("{base_url}{}", resolver_path(&c.pid, base_url)),
        "description": c.taxon_name,
        "additionalProperty": [
            {"@type": "PropertyValue", "name": "materialType", "value": c.material_type},
            {"@type": "PropertyValue", "name": "status", "value": c.status},
        ],
    });
    if c.status == AccessionStatus::Deaccessioned.as_str() {
        v["additionalProperty"]
            .as_array_mut()
            .expect("array literal")
            .push(serde_json::json!({"@type": "PropertyValue", "name": "deaccessionedAt", "value": c.deaccessioned_at}));
    } else {
        v["subjectOf"] = a.to_json(true);
    }
    v
}

/// A ready-to-copy citation of an accession.
pub fn citation(a: &AccessionDetail) -> String {
    let c = &a.core;
    format!(
        "{} {} ({}). {}. {}",
        c.institute_code,
        c.accession_number,
        c.created_at.format("%Y"),
        c.taxon_name,
        c.pid
    )
}

/// The identifier resolver answers one of these.
enum Resolved {
    Page(Box<PublicAccessionPage>),
    JsonLd(String),
}

impl<'r> rocket::response::Responder<'r, 'static> for Resolved {
    fn respond_to(self, req: &'r Request<'_>) -> rocket::response::Result<'static> {
        match self {
            Resolved::Page(p) => p.respond_to(req),
            Resolved::JsonLd(body) => {
                (ContentType::new("application", "ld+json"), body).respond_to(req)
            }
        }
    }
}

#[get("/id/<pid..>")]
async fn resolve(
    ctx: PageCtx,
    state: &State<AppState>,
    pid: Segments<'_, Path>,
    ld: WantsJsonLd,
) -> AppResult<Resolved> {
    let joined = pid.collect::<Vec<_>>().join("/");
    let tail = decode_path_segment(&joined).unwrap_or(joined);
    let mut found = Err(crate::error::AppError::NotFound);
    for candidate in resolver_candidates(&tail, &state.config.base_url) {
        found = accessions::find_by_pid(&state.db, &candidate).await;
        if found.is_ok() {
            break;
        }
    }
    let a = found?;
    if ld.0 {
        return Ok(Resolved::JsonLd(
            json_ld(&a, &state.config.base_url).to_string(),
        ));
    }
    let tombstone = a.core.status == AccessionStatus::Deaccessioned.as_str();
    let groups = if tombstone {
        Vec::new()
    } else {
        view::detail_groups(ctx.lang, &a, true)
    };
    Ok(Resolved::Page(Box::new(PublicAccessionPage {
        citation: citation(&a),
        groups,
        tombstone,
        a,
        ctx,
    })))
}

#[derive(Template, WebTemplate)]
#[template(path = "ident/sample.html")]
struct SamplePage {
    ctx: PageCtx,
    s: samples::SampleView,
    accession: AccessionDetail,
    ledger: Vec<entities::ledger_entry::Model>,
    history: Vec<super::audit::AuditRowView>,
    viability: super::viability::ViabilityPanel,
    custody: super::storage::CustodySection,
}

impl SamplePage {
    fn opt(&self, vocabulary: &str, value: &str) -> String {
        option_label(self.ctx.lang, vocabulary, value)
    }
}

/// What a scanned label opens: the sample page, or the box map for a box or rack label.
#[get("/s/<code>")]
async fn scanned(
    ctx: PageCtx,
    _s: Staff,
    state: &State<AppState>,
    code: &str,
) -> AppResult<rocket::Either<SamplePage, Redirect>> {
    let s = match samples::find_by_label(&state.db, code).await {
        Err(AppError::NotFound) => {
            let unit = crate::services::custody::scan(&state.db, code).await?;
            return match unit.storage_unit_id {
                Some(u) => Ok(rocket::Either::Right(Redirect::to(format!("/storage/{u}")))),
                None => Err(AppError::NotFound),
            };
        }
        other => other?,
    };
    let viability = super::viability::panel(ctx.lang, state, &s).await?;
    let custody = super::storage::custody_section(state, &s).await?;
    let accession = accessions::load(&state.db, s.accession_id).await?;
    let ledger = ledger::entries(&state.db, s.id).await?;
    let history = super::audit::rows(
        ctx.lang,
        audit::history(&state.db, "samples", &s.id.to_string()).await?,
    );
    Ok(rocket::Either::Left(SamplePage {
        ctx,
        s: s.into(),
        accession,
        ledger,
        history,
        viability,
        custody,
    }))
}

#[get("/samples/<id>")]
async fn sample_by_id(_s: Staff, state: &State<AppState>, id: i64) -> AppResult<Redirect> {
    let s = samples::get(&state.db, id).await?;
    Ok(Redirect::to(format!(
        "/s/{}",
        samples::SampleView::from(s).label_code
    )))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![resolve, scanned, sample_by_id]
}
