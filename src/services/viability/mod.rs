//! Viability and quality monitoring: recording tests, each lot's schedule from the viability
//! equation (or its own fitted decline, or policy), and the work lists built from them.

pub mod outlook;
pub mod policy;
pub mod record;
pub mod regeneration;
pub mod reminders;
pub mod species;
pub mod worklists;

use std::collections::HashMap;

use chrono::NaiveDate;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use entities::{accession, sample, storage_unit, viability_test};

use crate::domain::label_code::LabelCode;
use crate::error::{AppError, AppResult};
pub use outlook::{Outlook, TemperatureSource, TestPoint};
pub use policy::{Policies, Policy};
pub use record::{NewViabilityTest, record};
pub use species::{ConstantsBook, NewSpeciesConstants, add_species_constants};

/// Storage units by id, to find a lot's temperature and its place in the walking order.
#[derive(Debug, Clone, Default)]
pub struct StorageMap {
    units: HashMap<i64, storage_unit::Model>,
}

impl StorageMap {
    /// Every storage unit (for work lists).
    pub async fn load_all<C: ConnectionTrait>(conn: &C) -> AppResult<StorageMap> {
        let units = storage_unit::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(|u| (u.id, u))
            .collect();
        Ok(StorageMap { units })
    }

    /// A unit and its ancestors (for one lot).
    pub async fn load_chain<C: ConnectionTrait>(
        conn: &C,
        id: Option<i64>,
    ) -> AppResult<StorageMap> {
        let mut units = HashMap::new();
        let mut next = id;
        while let Some(id) = next {
            if units.contains_key(&id) || units.len() > 32 {
                break;
            }
            let Some(u) = storage_unit::Entity::find_by_id(id).one(conn).await? else {
                break;
            };
            next = u.parent_id;
            units.insert(id, u);
        }
        Ok(StorageMap { units })
    }

    fn chain(&self, id: Option<i64>) -> Vec<&storage_unit::Model> {
        let mut out = Vec::new();
        let mut next = id;
        while let Some(u) = next.and_then(|id| self.units.get(&id)) {
            if out.len() > 32 {
                break;
            }
            out.push(u);
            next = u.parent_id;
        }
        out
    }

    /// The set-point of the unit holding a lot, or of its nearest ancestor that has one.
    pub fn temperature_c(&self, id: Option<i64>) -> Option<f64> {
        self.chain(id).iter().find_map(|u| u.temperature_c)
    }

    /// `Site / Room / Freezer / Box`, outermost first; empty when not stored.
    pub fn path(&self, id: Option<i64>) -> String {
        let mut names: Vec<&str> = self.chain(id).iter().map(|u| u.name.as_str()).collect();
        names.reverse();
        names.join(" / ")
    }
}

/// The species name the constants are looked up by: epithet plus subtaxon when there is one.
fn species_key(a: &accession::Model) -> (String, String) {
    let species = match (&a.species, &a.subtaxa) {
        (Some(s), Some(sub)) if !sub.trim().is_empty() => format!("{s} {sub}"),
        (Some(s), _) => s.clone(),
        _ => String::new(),
    };
    (a.genus.clone().unwrap_or_default(), species)
}

/// The constants a prediction used, with their source so curators can judge them.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ConstantsUsed {
    pub name: String,
    pub ke: f64,
    pub cw: f64,
    pub ch: f64,
    pub cq: f64,
    pub source: String,
}

/// `GET /api/v1/samples/{id}/viability`: a lot's initial viability, latest test, prediction
/// and next test, with what the date rests on.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ViabilitySummary {
    pub sample_id: i64,
    pub label_code: String,
    pub material_type: String,
    pub taxon_name: String,
    pub initial_viability_pct: Option<f64>,
    pub initial_tested_on: Option<NaiveDate>,
    pub latest_test: Option<TestPoint>,
    pub predicted_viability_today_pct: Option<f64>,
    /// Regenerate below this viability (%).
    pub threshold_pct: Option<f64>,
    /// When the prediction reaches the threshold.
    pub threshold_date: Option<NaiveDate>,
    pub next_test_due: Option<NaiveDate>,
    /// `species_prediction`, `lot_fit` or `policy`; absent for unmonitored material.
    pub basis: Option<String>,
    pub below_prediction: bool,
    pub below_threshold: bool,
    pub missing_initial_test: bool,
    pub missing_tests: Vec<String>,
    /// Failed mycoplasma or STR: the batch is quarantined and cannot be distributed.
    pub quarantined: bool,
    pub failed_qc: Vec<String>,
    pub temperature_c: Option<f64>,
    pub temperature_source: Option<TemperatureSource>,
    pub moisture_pct: Option<f64>,
    pub constants: Option<ConstantsUsed>,
    pub history: Vec<TestPoint>,
    pub policy: Policy,
    /// The decline line, for charts: viability (%) at `model_origin` and days per probit.
    #[serde(skip)]
    pub model: Option<crate::domain::viability::DeclineModel>,
    #[serde(skip)]
    pub banked_on: NaiveDate,
}

/// A sample's tests, oldest first.
pub async fn tests_of<C: ConnectionTrait>(
    conn: &C,
    sample_id: i64,
) -> AppResult<Vec<viability_test::Model>> {
    Ok(viability_test::Entity::find()
        .filter(viability_test::Column::SampleId.eq(sample_id))
        .order_by_asc(viability_test::Column::TestedOn)
        .order_by_asc(viability_test::Column::Id)
        .all(conn)
        .await?)
}

/// Builds the summary from a lot's loaded facts.
pub(crate) fn summarise(
    s: &sample::Model,
    a: &accession::Model,
    tests: &[viability_test::Model],
    storage: &StorageMap,
    book: &ConstantsBook,
    policies: &Policies,
    today: NaiveDate,
) -> (ViabilitySummary, Outlook) {
    let policy = policies.for_lot(&a.material_type, &s.conservation_purpose);
    let (genus, species) = species_key(a);
    let constants = if a.material_type == "seed" {
        book.find(&genus, &species)
    } else {
        None
    };
    let facts = outlook::LotFacts {
        sample: s,
        material_type: &a.material_type,
        tests,
        unit_temperature_c: storage.temperature_c(s.storage_unit_id),
        constants,
        policy: &policy,
    };
    let o = outlook::outlook(&facts, today);
    let label_code = LabelCode::parse(&s.label_code)
        .map(|c| c.display())
        .unwrap_or_else(|_| s.label_code.clone());
    let summary = ViabilitySummary {
        sample_id: s.id,
        label_code,
        material_type: a.material_type.clone(),
        taxon_name: a.taxon_name.clone(),
        initial_viability_pct: o.initial.map(|(_, p)| p),
        initial_tested_on: o.initial.map(|(d, _)| d),
        latest_test: o.latest.clone(),
        predicted_viability_today_pct: o.predicted_today_pct,
        threshold_pct: o.threshold_pct,
        threshold_date: o.threshold_date,
        next_test_due: o.next_test_due,
        basis: o.basis.map(|b| b.as_str().to_string()),
        below_prediction: o.below_prediction,
        below_threshold: o.below_threshold,
        missing_initial_test: o.missing_initial,
        missing_tests: o.missing_tests.clone(),
        quarantined: !o.failed_qc.is_empty(),
        failed_qc: o.failed_qc.clone(),
        temperature_c: o.temperature_c,
        temperature_source: o.temperature_source,
        moisture_pct: s.moisture_pct,
        constants: constants.map(|c| ConstantsUsed {
            name: c.name(),
            ke: c.ke,
            cw: c.cw,
            ch: c.ch,
            cq: c.cq,
            source: c.source.clone(),
        }),
        history: tests.iter().map(TestPoint::from).collect(),
        policy,
        model: o.model,
        banked_on: outlook::banked_on(s),
    };
    (summary, o)
}

/// The viability summary of one sample.
pub async fn summary<C: ConnectionTrait>(
    conn: &C,
    sample_id: i64,
    today: NaiveDate,
) -> AppResult<ViabilitySummary> {
    let s = sample::Entity::find_by_id(sample_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let a = accession::Entity::find_by_id(s.accession_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let tests = tests_of(conn, s.id).await?;
    let storage = StorageMap::load_chain(conn, s.storage_unit_id).await?;
    let book = ConstantsBook::load(conn).await?;
    let policies = Policies::load(conn).await?;
    Ok(summarise(&s, &a, &tests, &storage, &book, &policies, today).0)
}

/// The failed quality checks (`mycoplasma`, `str_profile`) whose latest conclusive result holds
/// the batch back from distribution; empty when it may be distributed.
pub async fn distribution_block<C: ConnectionTrait>(
    conn: &C,
    sample_id: i64,
) -> AppResult<Vec<String>> {
    let tests = tests_of(conn, sample_id).await?;
    Ok(outlook::failed_qc_of(&tests))
}

/// True when a failed mycoplasma or STR test holds the batch back from distribution.
pub async fn distribution_blocked<C: ConnectionTrait>(conn: &C, sample_id: i64) -> AppResult<bool> {
    Ok(!distribution_block(conn, sample_id).await?.is_empty())
}

/// Today's date on the server (handlers pass it in so services stay testable).
pub fn today() -> NaiveDate {
    chrono::Utc::now().date_naive()
}
