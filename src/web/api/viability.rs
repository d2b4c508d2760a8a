//! Viability and quality tests, schedules and work lists over JSON.

use rocket::form::FromForm;
use rocket::http::Status;
use rocket::serde::json::Json;
use rocket::{Route, State, get, post, put, routes};
use sea_orm::TransactionTrait;

use crate::AppState;
use crate::error::AppResult;
use crate::services::Page;
use crate::services::viability::regeneration::{self, NewGeneration};
use crate::services::viability::worklists::{self, WorklistFilter, WorklistRow};
use crate::services::viability::{self, NewViabilityTest, ViabilitySummary};
use crate::web::guards::{Admin, ClientIp, Curator, Staff};
use crate::web::json::ApiJson;
use crate::web::query::Paging;

/// A recorded test as the API returns it.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct RecordedTest {
    pub id: i64,
    pub sample_id: i64,
    pub test_type: String,
    pub tested_on: chrono::NaiveDate,
    pub result_pct: Option<f64>,
    pub passed: Option<bool>,
    pub conclusive: bool,
    pub str_match_pct: Option<f64>,
    pub consumed_quantity: Option<f64>,
    /// The sample's viability after this test.
    pub viability: ViabilitySummary,
}

/// Records a viability or quality test (technicians, curators, admins). The seeds or ampoules
/// it used up leave through the ledger.
#[utoipa::path(post, path = "/api/v1/viability-tests", tag = "viability", security(("bearer" = [])),
    request_body = NewViabilityTest,
    responses((status = 201, body = RecordedTest), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/viability-tests", data = "<body>")]
pub async fn create(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    body: ApiJson<NewViabilityTest>,
) -> AppResult<(Status, Json<RecordedTest>)> {
    let today = viability::today();
    let t = viability::record(&state.db, &user.actor(ip.0), body.0, today).await?;
    let summary = viability::summary(&state.db, t.sample_id, today).await?;
    Ok((
        Status::Created,
        Json(RecordedTest {
            id: t.id,
            sample_id: t.sample_id,
            test_type: t.test_type,
            tested_on: t.tested_on,
            result_pct: t.result_pct,
            passed: t.passed,
            conclusive: t.conclusive,
            str_match_pct: t.str_match_pct,
            consumed_quantity: t.consumed_quantity,
            viability: summary,
        }),
    ))
}

/// A sample's initial viability, latest test, predicted viability today, threshold date, next
/// test due and the basis of that date (`species_prediction`, `lot_fit` or `policy`).
#[utoipa::path(get, path = "/api/v1/samples/{id}/viability", tag = "viability", security(("bearer" = [])),
    params(("id" = i64, Path)), responses((status = 200, body = ViabilitySummary), (status = 404, body = super::ErrorBody)))]
#[get("/api/v1/samples/<id>/viability")]
pub async fn of_sample(
    _s: Staff,
    state: &State<AppState>,
    id: i64,
) -> AppResult<Json<ViabilitySummary>> {
    Ok(Json(
        viability::summary(&state.db, id, viability::today()).await?,
    ))
}

/// A work list's filters as typed.
#[derive(Debug, Default, FromForm)]
pub struct WorklistQuery {
    /// tests-due: `overdue`, `this_month` or `next_90_days`.
    pub bucket: Option<String>,
    pub material_type: Option<String>,
    pub conservation_purpose: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

impl WorklistQuery {
    /// The filter, refusing values no row could have.
    pub fn parse(&self) -> AppResult<WorklistFilter> {
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let bucket = clean(&self.bucket);
        if let Some(b) = &bucket
            && !["overdue", "this_month", "next_90_days"].contains(&b.as_str())
        {
            return Err(crate::error::AppError::bad(
                "bucket",
                format!("bucket: '{b}' is not one of overdue, this_month, next_90_days"),
            ));
        }
        let material_type = clean(&self.material_type);
        if let Some(m) = &material_type {
            m.parse::<crate::domain::material::MaterialType>()
                .map_err(|e| {
                    crate::error::AppError::bad(
                        "material_type",
                        e.to_field_error("material_type").message,
                    )
                })?;
        }
        let conservation_purpose = clean(&self.conservation_purpose);
        if let Some(c) = &conservation_purpose {
            c.parse::<crate::domain::material::ConservationPurpose>()
                .map_err(|e| {
                    crate::error::AppError::bad(
                        "conservation_purpose",
                        e.to_field_error("conservation_purpose").message,
                    )
                })?;
        }
        Ok(WorklistFilter {
            bucket,
            material_type,
            conservation_purpose,
        })
    }
}

/// A work list: `tests-due`, `regenerate`, `rebank`, `missing-safety-duplicate`,
/// `missing-initial-test` or `failed-qc`; paginated.
#[utoipa::path(get, path = "/api/v1/worklists/{name}", tag = "viability", security(("bearer" = [])),
    params(("name" = String, Path), ("bucket" = Option<String>, Query), ("material_type" = Option<String>, Query),
        ("conservation_purpose" = Option<String>, Query), ("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, body = Page<WorklistRow>), (status = 400, body = super::ErrorBody), (status = 404, body = super::ErrorBody)))]
#[get("/api/v1/worklists/<name>?<filter..>")]
pub async fn worklist(
    _s: Staff,
    state: &State<AppState>,
    name: &str,
    filter: WorklistQuery,
) -> AppResult<Json<Page<WorklistRow>>> {
    let list = worklists::parse_name(name)?;
    let (page, per_page) = Paging {
        page: filter.page.clone(),
        per_page: filter.per_page.clone(),
    }
    .parse(50)?;
    let filter = filter.parse()?;
    let rows = worklists::worklist(&state.db, list, &filter, viability::today()).await?;
    let total = rows.len() as u64;
    let items = rows
        .into_iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .collect();
    Ok(Json(Page {
        items,
        total,
        page,
        per_page,
    }))
}

/// Records a regeneration (seed lots) or re-banking (ampoules, vials) as a child sample of
/// the flagged lot; its quantity enters through the ledger (reason `regeneration`).
#[utoipa::path(post, path = "/api/v1/samples/{id}/generations", tag = "viability", security(("bearer" = [])),
    params(("id" = i64, Path)), request_body = NewGeneration,
    responses((status = 201, body = crate::services::samples::SampleView), (status = 404, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/samples/<id>/generations", data = "<body>")]
pub async fn regenerate(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    body: ApiJson<NewGeneration>,
) -> AppResult<(Status, Json<crate::services::samples::SampleView>)> {
    let child = regeneration::record_generation(&state.db, &user.actor(ip.0), id, body.0).await?;
    Ok((Status::Created, Json(child.into())))
}

/// Every monitoring policy in force: the saved ones and the built-in defaults.
#[utoipa::path(get, path = "/api/v1/viability/policies", tag = "viability", security(("bearer" = [])),
    responses((status = 200, body = Vec<viability::Policy>), (status = 403, body = super::ErrorBody)))]
#[get("/api/v1/viability/policies")]
pub async fn policies(
    _c: Curator,
    state: &State<AppState>,
) -> AppResult<Json<Vec<viability::Policy>>> {
    Ok(Json(viability::Policies::load(&state.db).await?.listed()))
}

/// A policy's values; the material type and conservation purpose are in the path.
#[derive(Debug, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyValues {
    /// Longest interval between monitoring tests (days, 1 to 40 years).
    pub interval_days: i64,
    /// Regenerate below this fraction of initial viability (0 < f ≤ 1).
    pub threshold_fraction: f64,
    pub default_temperature_c: Option<f64>,
    pub min_regeneration_qty: Option<f64>,
    pub min_distribution_qty: Option<f64>,
    pub min_safety_duplicate_qty: Option<f64>,
    pub rebank_below_qty: Option<f64>,
    #[serde(default)]
    pub required_batch_tests: Vec<String>,
}

/// Saves the policy for a material type and conservation purpose (`any` for every purpose);
/// admins only.
#[utoipa::path(put, path = "/api/v1/viability/policies/{material_type}/{conservation_purpose}", tag = "viability",
    security(("bearer" = [])), params(("material_type" = String, Path), ("conservation_purpose" = String, Path)),
    request_body = PolicyValues,
    responses((status = 200, body = viability::Policy), (status = 403, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[put(
    "/api/v1/viability/policies/<material_type>/<conservation_purpose>",
    data = "<body>"
)]
pub async fn save_policy(
    user: Admin,
    ip: ClientIp,
    state: &State<AppState>,
    material_type: &str,
    conservation_purpose: &str,
    body: ApiJson<PolicyValues>,
) -> AppResult<Json<viability::Policy>> {
    let v = body.0;
    let p = viability::Policy {
        material_type: material_type.to_string(),
        conservation_purpose: conservation_purpose.to_string(),
        interval_days: v.interval_days,
        threshold_fraction: v.threshold_fraction,
        default_temperature_c: v.default_temperature_c,
        min_regeneration_qty: v.min_regeneration_qty,
        min_distribution_qty: v.min_distribution_qty,
        min_safety_duplicate_qty: v.min_safety_duplicate_qty,
        rebank_below_qty: v.rebank_below_qty,
        required_batch_tests: v.required_batch_tests,
        customised: true,
    };
    let txn = state.db.begin().await?;
    let saved = viability::policy::save(&txn, &user.actor(ip.0), p).await?;
    txn.commit().await?;
    Ok(Json(saved))
}

/// One species' viability-equation constants.
#[derive(Debug, serde::Serialize, utoipa::ToSchema)]
pub struct SpeciesConstantsView {
    pub name: String,
    pub genus: String,
    pub species: String,
    pub ke: f64,
    pub cw: f64,
    pub ch: f64,
    pub cq: f64,
    pub source: String,
    /// True for a row a curator added (used before the shipped table).
    pub curator_added: bool,
}

impl SpeciesConstantsView {
    fn of(c: &crate::domain::viability::SpeciesConstants, curator_added: bool) -> Self {
        SpeciesConstantsView {
            name: c.name(),
            genus: c.genus.clone(),
            species: c.species.clone(),
            ke: c.ke,
            cw: c.cw,
            ch: c.ch,
            cq: c.cq,
            source: c.source.clone(),
            curator_added,
        }
    }
}

/// The species constants: curators' rows first, then the table shipped with the program.
#[utoipa::path(get, path = "/api/v1/viability/species-constants", tag = "viability", security(("bearer" = [])),
    params(("page" = Option<u64>, Query), ("per_page" = Option<u64>, Query)),
    responses((status = 200, body = Page<SpeciesConstantsView>), (status = 400, body = super::ErrorBody)))]
#[get("/api/v1/viability/species-constants?<paging..>")]
pub async fn species_constants(
    _s: Staff,
    state: &State<AppState>,
    paging: Paging,
) -> AppResult<Json<Page<SpeciesConstantsView>>> {
    let (page, per_page) = paging.parse(50)?;
    let book = viability::ConstantsBook::load(&state.db).await?;
    let all: Vec<SpeciesConstantsView> = book
        .custom()
        .iter()
        .map(|c| SpeciesConstantsView::of(c, true))
        .chain(
            crate::domain::viability::constants_table()
                .iter()
                .map(|c| SpeciesConstantsView::of(c, false)),
        )
        .collect();
    let total = all.len() as u64;
    let items = all
        .into_iter()
        .skip(((page - 1) * per_page) as usize)
        .take(per_page as usize)
        .collect();
    Ok(Json(Page {
        items,
        total,
        page,
        per_page,
    }))
}

/// Adds constants for a species the shipped table lacks (curators and admins).
#[utoipa::path(post, path = "/api/v1/viability/species-constants", tag = "viability", security(("bearer" = [])),
    request_body = viability::NewSpeciesConstants,
    responses((status = 201, body = SpeciesConstantsView), (status = 409, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
#[post("/api/v1/viability/species-constants", data = "<body>")]
pub async fn add_species(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    body: ApiJson<viability::NewSpeciesConstants>,
) -> AppResult<(Status, Json<SpeciesConstantsView>)> {
    let txn = state.db.begin().await?;
    let row = viability::add_species_constants(&txn, &user.actor(ip.0), body.0).await?;
    txn.commit().await?;
    let c = crate::domain::viability::SpeciesConstants {
        genus: row.genus,
        species: row.species,
        qualifier: String::new(),
        single_temperature_fit: false,
        ke: row.ke,
        cw: row.cw,
        ch: row.ch,
        cq: row.cq,
        source: row.source,
    };
    Ok((Status::Created, Json(SpeciesConstantsView::of(&c, true))))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![
        create,
        of_sample,
        worklist,
        regenerate,
        policies,
        save_policy,
        species_constants,
        add_species
    ]
}
