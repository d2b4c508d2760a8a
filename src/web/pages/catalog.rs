//! The public catalog (no sign-in): search with facets, an accession's public page with its
//! identifier, citation and schema.org JSON-LD, and `/sitemap.xml` for search engines.

use askama::Template;
use askama_web::WebTemplate;
use rocket::form::FromForm;
use rocket::http::ContentType;
use rocket::http::uri::Segments;
use rocket::http::uri::fmt::Path;
use rocket::{Route, State, get, routes};

use crate::AppState;
use crate::domain::material::{AccessionStatus, MaterialType};
use crate::domain::pid::{decode_path_segment, resolver_candidates, resolver_path};
use crate::error::{AppError, AppResult};
use crate::services::catalog::{self, CatalogFilter, CatalogRow, Facets};
use crate::services::{Page, accessions};
use crate::web::page::PageCtx;
use crate::web::query::Paging;

use super::ident::{citation, json_ld};
use super::url_encode;
use super::view::{self, DetailGroup, option_label};

/// The catalog's query string as typed.
#[derive(Debug, Default, Clone, FromForm)]
pub struct CatalogQuery {
    pub q: Option<String>,
    pub material_type: Option<String>,
    pub origin_country: Option<String>,
    pub biological_status: Option<String>,
    pub available: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn opt_text(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

impl CatalogQuery {
    /// The service filter and the page wanted; a bad value is a 400 naming the parameter.
    pub fn parse(&self) -> AppResult<(CatalogFilter, u64, u64)> {
        let q = opt_text(&self.q);
        if let Some(q) = q {
            crate::domain::text::check_text("q", q, 200)
                .map_err(|e| AppError::bad("q", e.message))?;
        }
        let material_type = match opt_text(&self.material_type) {
            None => None,
            Some(s) => Some(
                s.parse::<MaterialType>()
                    .map_err(|e| AppError::bad("material_type", format!("material_type: {e}")))?,
            ),
        };
        let origin_country = match opt_text(&self.origin_country) {
            None => None,
            Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
                Some(c.to_ascii_uppercase())
            }
            Some(c) => {
                return Err(AppError::bad(
                    "origin_country",
                    format!("origin_country: '{c}' is not a three-letter ISO 3166 code"),
                ));
            }
        };
        let biological_status = match opt_text(&self.biological_status) {
            None => None,
            Some(b) if b.len() <= 3 && b.chars().all(|ch| ch.is_ascii_digit()) => {
                Some(b.to_string())
            }
            Some(b) => {
                return Err(AppError::bad(
                    "biological_status",
                    format!("biological_status: '{b}' is not an MCPD SAMPSTAT code"),
                ));
            }
        };
        let available = match opt_text(&self.available) {
            None => None,
            Some("yes" | "true") => Some(true),
            Some("no" | "false") => Some(false),
            Some(a) => {
                return Err(AppError::bad(
                    "available",
                    format!("available: '{a}' must be yes or no"),
                ));
            }
        };
        let (page, per_page) = Paging {
            page: self.page.clone(),
            per_page: self.per_page.clone(),
        }
        .parse(25)?;
        Ok((
            CatalogFilter {
                q: q.map(str::to_string),
                material_type,
                origin_country,
                biological_status,
                available,
            },
            page,
            per_page,
        ))
    }

    /// This query as a query string with one parameter changed (facet and pager links).
    pub fn with(&self, key: &str, value: &str) -> String {
        let mut parts = Vec::new();
        for (k, v) in [
            ("q", &self.q),
            ("material_type", &self.material_type),
            ("origin_country", &self.origin_country),
            ("biological_status", &self.biological_status),
            ("available", &self.available),
            ("per_page", &self.per_page),
        ] {
            if k == key {
                continue;
            }
            if let Some(v) = opt_text(v) {
                parts.push(format!("{k}={}", url_encode(v)));
            }
        }
        if !value.is_empty() {
            parts.push(format!("{key}={}", url_encode(value)));
        }
        format!("/catalog?{}", parts.join("&"))
    }
}

/// The catalog path of an accession (its identifier under `/catalog/`).
pub fn catalog_path(pid: &str, base_url: &str) -> String {
    format!(
        "/catalog/{}",
        resolver_path(pid, base_url).trim_start_matches("/id/")
    )
}

/// One facet: its parameter, heading key and (value, label, count) entries.
pub struct FacetView {
    pub param: &'static str,
    pub heading: &'static str,
    pub entries: Vec<(String, String, i64)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "catalog/list.html")]
struct ListPage {
    ctx: PageCtx,
    query: CatalogQuery,
    page: Page<CatalogRow>,
    links: Vec<String>,
    facets: Vec<FacetView>,
}

impl ListPage {
    fn q(&self) -> &str {
        self.query.q.as_deref().unwrap_or("")
    }
    fn type_label(&self, t: &str) -> String {
        option_label(self.ctx.lang, "material_type", t)
    }
    fn is_selected(&self, param: &str, value: &str) -> bool {
        let current = match param {
            "material_type" => &self.query.material_type,
            "origin_country" => &self.query.origin_country,
            "biological_status" => &self.query.biological_status,
            _ => &self.query.available,
        };
        opt_text(current).is_some_and(|c| c.eq_ignore_ascii_case(value))
    }
    fn page_link(&self, page: u64) -> String {
        self.query.with("page", &page.to_string())
    }
}

fn facet_views(lang: crate::i18n::Lang, f: Facets) -> Vec<FacetView> {
    let label = |vocab: &str, v: &str| option_label(lang, vocab, v);
    vec![
        FacetView {
            param: "material_type",
            heading: "field.material_type",
            entries: f
                .material_type
                .into_iter()
                .map(|(v, n)| (v.clone(), label("material_type", &v), n))
                .collect(),
        },
        FacetView {
            param: "origin_country",
            heading: "catalog.origin_country",
            entries: f
                .origin_country
                .into_iter()
                .map(|(v, n)| (v.clone(), v, n))
                .collect(),
        },
        FacetView {
            param: "biological_status",
            heading: "catalog.biological_status",
            entries: f
                .biological_status
                .into_iter()
                .map(|(v, n)| (v.clone(), label("biological_status", &v), n))
                .collect(),
        },
        FacetView {
            param: "available",
            heading: "catalog.availability",
            entries: f
                .available
                .into_iter()
                .map(|(v, n)| {
                    let l = lang.t(if v == "yes" {
                        "catalog.available"
                    } else {
                        "catalog.not_available"
                    });
                    (v, l.to_string(), n)
                })
                .collect(),
        },
    ]
}

#[get("/catalog?<query..>")]
async fn list(ctx: PageCtx, state: &State<AppState>, query: CatalogQuery) -> AppResult<ListPage> {
    let (filter, page, per_page) = query.parse()?;
    let (page, facets) = catalog::search(&state.db, &filter, page, per_page).await?;
    let links = page
        .items
        .iter()
        .map(|r| catalog_path(&r.pid, &state.config.base_url))
        .collect();
    let facets = facet_views(ctx.lang, facets);
    Ok(ListPage {
        ctx,
        query,
        page,
        links,
        facets,
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "catalog/show.html")]
struct ShowPage {
    ctx: PageCtx,
    a: accessions::AccessionDetail,
    groups: Vec<DetailGroup>,
    tombstone: bool,
    citation: String,
    /// JSON-LD, escaped so it cannot close its `<script>` element.
    json_ld: String,
}

impl ShowPage {
    fn opt(&self, vocabulary: &str, value: &str) -> String {
        option_label(self.ctx.lang, vocabulary, value)
    }
}

/// JSON text safe inside a `<script>` element.
fn script_safe(json: &serde_json::Value) -> String {
    json.to_string()
        .replace('<', "\\u003c")
        .replace('>', "\\u003e")
        .replace('&', "\\u0026")
}

#[get("/catalog/<pid..>", rank = 2)]
async fn show(
    ctx: PageCtx,
    state: &State<AppState>,
    pid: Segments<'_, Path>,
) -> AppResult<ShowPage> {
    let joined = pid.collect::<Vec<_>>().join("/");
    if joined.is_empty() {
        return Err(AppError::NotFound);
    }
    let tail = decode_path_segment(&joined).unwrap_or(joined);
    let mut found = Err(AppError::NotFound);
    for candidate in resolver_candidates(&tail, &state.config.base_url) {
        found = accessions::find_by_pid(&state.db, &candidate).await;
        if found.is_ok() {
            break;
        }
    }
    let a = found?;
    let tombstone = a.core.status == AccessionStatus::Deaccessioned.as_str();
    let groups = if tombstone {
        Vec::new()
    } else {
        view::detail_groups(ctx.lang, &a, true)
    };
    Ok(ShowPage {
        json_ld: script_safe(&json_ld(&a, &state.config.base_url)),
        citation: citation(&a),
        groups,
        tombstone,
        a,
        ctx,
    })
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

#[get("/sitemap.xml")]
async fn sitemap(state: &State<AppState>) -> AppResult<(ContentType, String)> {
    let base = state.config.base_url.trim_end_matches('/');
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    xml.push_str(&format!(
        "  <url><loc>{}</loc></url>\n",
        xml_escape(&format!("{base}/catalog"))
    ));
    for pid in catalog::sitemap_pids(&state.db).await? {
        let loc = format!("{base}{}", catalog_path(&pid, &state.config.base_url));
        xml.push_str(&format!("  <url><loc>{}</loc></url>\n", xml_escape(&loc)));
    }
    xml.push_str("</urlset>\n");
    Ok((ContentType::XML, xml))
}

/// The catalog's routes.
pub fn routes() -> Vec<Route> {
    routes![list, show, sitemap]
}
