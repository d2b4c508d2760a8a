//! The work lists page, its CSV export and the printable pick list in walking order.

use std::str::FromStr;

use askama::Template;
use askama_web::WebTemplate;
use rocket::http::{ContentType, Header};
use rocket::{Responder, State, get};

use crate::AppState;
use crate::domain::material::ConservationPurpose;
use crate::error::{AppError, AppResult};
use crate::services::viability;
use crate::services::viability::worklists::{self, Worklist, WorklistRow};
use crate::web::api::viability::WorklistQuery;
use crate::web::charts::bar_chart;
use crate::web::guards::Staff;
use crate::web::page::PageCtx;
use crate::web::pages::url_encode;
use crate::web::pages::view::{material_type_options, option_label};

#[derive(Template, WebTemplate)]
#[template(path = "viability/worklists.html")]
struct WorklistsPage {
    ctx: PageCtx,
    list: String,
    lists: Vec<(String, String)>,
    rows: Vec<WorklistRow>,
    query: String,
    bucket: String,
    material_type: String,
    conservation_purpose: String,
    buckets: Vec<(String, String)>,
    material_types: Vec<(String, String)>,
    purposes: Vec<(String, String)>,
    viability_chart: String,
    due_chart: String,
}

impl WorklistsPage {
    fn opt(&self, vocabulary: &str, value: &str) -> String {
        option_label(self.ctx.lang, vocabulary, value)
    }
    fn pct(&self, v: &Option<f64>) -> String {
        v.map(|v| format!("{v:.1}")).unwrap_or_default()
    }
}

fn query_string(q: &WorklistQuery) -> String {
    let mut parts = Vec::new();
    for (k, v) in [
        ("bucket", &q.bucket),
        ("material_type", &q.material_type),
        ("conservation_purpose", &q.conservation_purpose),
    ] {
        if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
            parts.push(format!("{k}={}", url_encode(v)));
        }
    }
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

#[get("/worklists?<list>&<filter..>")]
async fn worklists_page(
    ctx: PageCtx,
    _s: Staff,
    state: &State<AppState>,
    list: Option<&str>,
    filter: WorklistQuery,
) -> AppResult<WorklistsPage> {
    let lang = ctx.lang;
    let name = list.filter(|l| !l.is_empty()).unwrap_or("tests-due");
    let which = Worklist::from_str(name).map_err(|e| AppError::bad("list", e.to_string()))?;
    let parsed = filter.parse()?;
    let today = viability::today();
    let lots = worklists::lots(&state.db, today).await?;
    let health = worklists::health(&lots, today);
    let rows: Vec<WorklistRow> = worklists::select(which, &lots, today)
        .into_iter()
        .filter(|r| {
            parsed
                .bucket
                .as_deref()
                .is_none_or(|b| r.bucket.as_deref() == Some(b))
                && parsed
                    .material_type
                    .as_deref()
                    .is_none_or(|m| r.material_type == m)
                && parsed
                    .conservation_purpose
                    .as_deref()
                    .is_none_or(|c| r.conservation_purpose == c)
        })
        .collect();
    let band = |key: &str| lang.t(&format!("wl.band.{key}")).to_string();
    Ok(WorklistsPage {
        viability_chart: bar_chart(
            lang.t("wl.by_viability"),
            &health
                .viability
                .iter()
                .map(|(k, n)| (band(k), *n))
                .collect::<Vec<_>>(),
        ),
        due_chart: bar_chart(
            lang.t("wl.by_due"),
            &health
                .months_until_due
                .iter()
                .map(|(k, n)| (band(k), *n))
                .collect::<Vec<_>>(),
        ),
        list: name.to_string(),
        lists: Worklist::ALL
            .iter()
            .map(|w| {
                (
                    w.as_str().to_string(),
                    option_label(lang, "worklist", w.as_str()),
                )
            })
            .collect(),
        rows,
        query: query_string(&filter),
        bucket: filter.bucket.clone().unwrap_or_default(),
        material_type: filter.material_type.clone().unwrap_or_default(),
        conservation_purpose: filter.conservation_purpose.clone().unwrap_or_default(),
        buckets: ["overdue", "this_month", "next_90_days"]
            .iter()
            .map(|b| (b.to_string(), option_label(lang, "bucket", b)))
            .collect(),
        material_types: material_type_options(lang),
        purposes: ConservationPurpose::ALL
            .iter()
            .map(|c| {
                (
                    c.as_str().to_string(),
                    option_label(lang, "conservation_purpose", c.as_str()),
                )
            })
            .collect(),
        ctx,
    })
}

/// A CSV download.
#[derive(Responder)]
struct CsvFile {
    body: String,
    content_type: ContentType,
    disposition: Header<'static>,
}

#[get("/worklists/<name>/csv?<filter..>")]
async fn worklist_csv(
    _s: Staff,
    state: &State<AppState>,
    name: &str,
    filter: WorklistQuery,
) -> AppResult<CsvFile> {
    let list = worklists::parse_name(name)?;
    let rows = worklists::worklist(&state.db, list, &filter.parse()?, viability::today()).await?;
    Ok(CsvFile {
        body: worklists::to_csv(&rows),
        content_type: ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        disposition: Header::new(
            "Content-Disposition",
            format!(
                "attachment; filename=\"{}-{}.csv\"",
                list.as_str(),
                viability::today()
            ),
        ),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "viability/pick.html")]
struct PickPage {
    ctx: PageCtx,
    list: String,
    rows: Vec<WorklistRow>,
    today: chrono::NaiveDate,
}

impl PickPage {
    fn opt(&self, vocabulary: &str, value: &str) -> String {
        option_label(self.ctx.lang, vocabulary, value)
    }
}

#[get("/worklists/<name>/pick?<filter..>")]
async fn pick_list(
    ctx: PageCtx,
    _s: Staff,
    state: &State<AppState>,
    name: &str,
    filter: WorklistQuery,
) -> AppResult<PickPage> {
    let list = worklists::parse_name(name)?;
    let today = viability::today();
    let mut rows = worklists::worklist(&state.db, list, &filter.parse()?, today).await?;
    worklists::walking_order(&mut rows);
    Ok(PickPage {
        ctx,
        list: list.as_str().to_string(),
        rows,
        today,
    })
}

/// Routes of the work lists.
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![worklists_page, worklist_csv, pick_list]
}
