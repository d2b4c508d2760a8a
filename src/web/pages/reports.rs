//! The open-sharing report page (printable), its CSV and its PDF (curators and admins).

use askama::Template;
use askama_web::WebTemplate;
use rocket::http::ContentType;
use rocket::{Route, State, get, routes};

use crate::AppState;
use crate::error::AppResult;
use crate::labels::FontSource;
use crate::services::sharing_report::{self, Figures, Period, Report};
use crate::services::viability;
use crate::web::charts::bar_chart;
use crate::web::guards::Curator;
use crate::web::page::PageCtx;
use crate::web::pages::labels::{Download, download};
use crate::web::pages::view::option_label;

#[derive(Template, WebTemplate)]
#[template(path = "reports/sharing.html")]
struct SharingPage {
    ctx: PageCtx,
    report: Report,
    query: String,
    requests_chart: String,
    distribution_chart: String,
    viability_chart: String,
}

impl SharingPage {
    fn material(&self, f: &Figures) -> String {
        if f.material_type == "all" {
            self.ctx.t("rep.total").to_string()
        } else {
            option_label(self.ctx.lang, "material_type", &f.material_type)
        }
    }
    fn all_lines(&self) -> Vec<&Figures> {
        self.report
            .lines
            .iter()
            .chain(std::iter::once(&self.report.total))
            .collect()
    }
    fn num(&self, v: &Option<f64>) -> String {
        v.map(|v| v.to_string()).unwrap_or_else(|| "–".into())
    }
    fn band(&self, f: &Figures, key: &str) -> usize {
        f.viability
            .iter()
            .find(|(b, _)| b == key)
            .map(|(_, n)| *n)
            .unwrap_or(0)
    }
}

async fn load(state: &AppState, from: Option<&str>, to: Option<&str>) -> AppResult<Report> {
    let today = viability::today();
    let period = Period::parse(from, to, today)?;
    sharing_report::report(&state.db, period, today).await
}

#[get("/reports/sharing?<from>&<to>")]
async fn sharing_page(
    ctx: PageCtx,
    _c: Curator,
    state: &State<AppState>,
    from: Option<&str>,
    to: Option<&str>,
) -> AppResult<SharingPage> {
    let report = load(state, from, to).await?;
    let lang = ctx.lang;
    let t = &report.total;
    let requests_chart = bar_chart(
        lang.t("rep.chart_requests"),
        &[
            (lang.t("rep.received").to_string(), t.requests_received),
            (lang.t("rep.approved").to_string(), t.requests_approved),
            (lang.t("rep.fulfilled").to_string(), t.requests_fulfilled),
            (lang.t("rep.rejected").to_string(), t.requests_rejected),
        ],
    );
    let distribution_chart = bar_chart(
        lang.t("rep.chart_samples"),
        &report
            .lines
            .iter()
            .map(|f| {
                (
                    option_label(lang, "material_type", &f.material_type),
                    f.samples_distributed,
                )
            })
            .collect::<Vec<_>>(),
    );
    let viability_chart = bar_chart(
        lang.t("wl.by_viability"),
        &t.viability
            .iter()
            .map(|(k, n)| (lang.t(&format!("wl.band.{k}")).to_string(), *n))
            .collect::<Vec<_>>(),
    );
    Ok(SharingPage {
        query: format!("?from={}&to={}", report.from, report.to),
        report,
        ctx,
        requests_chart,
        distribution_chart,
        viability_chart,
    })
}

#[get("/reports/sharing.csv?<from>&<to>")]
async fn sharing_csv(
    _c: Curator,
    state: &State<AppState>,
    from: Option<&str>,
    to: Option<&str>,
) -> AppResult<Download> {
    let report = load(state, from, to).await?;
    let body = sharing_report::to_csv(&report)?;
    Ok(download(
        body.into_bytes(),
        ContentType::new("text", "csv").with_params(("charset", "utf-8")),
        format!("sharing-report-{}-{}.csv", report.from, report.to),
    ))
}

#[get("/reports/sharing.pdf?<from>&<to>")]
async fn sharing_pdf(
    _c: Curator,
    state: &State<AppState>,
    from: Option<&str>,
    to: Option<&str>,
) -> AppResult<Download> {
    let report = load(state, from, to).await?;
    let bytes = sharing_report::to_pdf(&report, &FontSource::Default)?;
    Ok(download(
        bytes,
        ContentType::PDF,
        format!("sharing-report-{}-{}.pdf", report.from, report.to),
    ))
}

pub fn routes() -> Vec<Route> {
    routes![sharing_page, sharing_csv, sharing_pdf]
}
