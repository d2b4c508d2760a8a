//! One lot's viability outlook, computed from facts already loaded (so a work list of
//! thousands of lots costs a handful of queries, not thousands).

use chrono::{Months, NaiveDate};
use serde::Serialize;

use entities::{sample, viability_test};

use super::policy::Policy;
use crate::domain::material::MaterialType;
use crate::domain::quality::TestType;
use crate::domain::viability::{
    Basis, DeclineModel, ScheduleInput, SpeciesConstants, initial_viability, schedule,
};

/// Where the storage temperature of a prediction came from.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TemperatureSource {
    StorageUnit,
    Policy,
}

/// A test as the viability summary and charts show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct TestPoint {
    pub id: i64,
    pub test_type: String,
    pub tested_on: NaiveDate,
    pub result_pct: Option<f64>,
    pub passed: Option<bool>,
    pub conclusive: bool,
}

impl From<&viability_test::Model> for TestPoint {
    fn from(t: &viability_test::Model) -> Self {
        TestPoint {
            id: t.id,
            test_type: t.test_type.clone(),
            tested_on: t.tested_on,
            result_pct: t.result_pct,
            passed: t.passed,
            conclusive: t.conclusive,
        }
    }
}

/// What a schedule knows about one lot; `Option`s are empty where the lot is not monitored
/// or has no initial test yet.
#[derive(Debug, Clone, Serialize)]
pub struct Outlook {
    pub initial: Option<(NaiveDate, f64)>,
    pub latest: Option<TestPoint>,
    pub predicted_today_pct: Option<f64>,
    pub threshold_pct: Option<f64>,
    pub threshold_date: Option<NaiveDate>,
    pub next_test_due: Option<NaiveDate>,
    pub basis: Option<Basis>,
    pub model: Option<DeclineModel>,
    pub below_prediction: bool,
    pub below_threshold: bool,
    pub missing_initial: bool,
    /// Required batch tests never recorded (strains, cell lines).
    pub missing_tests: Vec<String>,
    /// Test types whose latest result failed and quarantines the batch (mycoplasma, STR).
    pub failed_qc: Vec<String>,
    pub temperature_c: Option<f64>,
    pub temperature_source: Option<TemperatureSource>,
}

/// Material types whose lots are monitored on a schedule.
pub fn is_monitored(material_type: &str) -> bool {
    matches!(
        material_type.parse::<MaterialType>(),
        Ok(MaterialType::Seed | MaterialType::Strain | MaterialType::CellLine)
    )
}

/// The day a lot entered storage: its banking date, else the day it was recorded.
pub fn banked_on(s: &sample::Model) -> NaiveDate {
    s.banked_on.unwrap_or_else(|| s.created_at.date_naive())
}

/// Everything `outlook` needs about one lot.
pub struct LotFacts<'a> {
    pub sample: &'a sample::Model,
    pub material_type: &'a str,
    /// The lot's tests, oldest first.
    pub tests: &'a [viability_test::Model],
    /// The temperature of the storage unit (or its nearest ancestor that has one).
    pub unit_temperature_c: Option<f64>,
    pub constants: Option<&'a SpeciesConstants>,
    pub policy: &'a Policy,
}

/// Computes a lot's outlook for `today`.
pub fn outlook(f: &LotFacts, today: NaiveDate) -> Outlook {
    let (temperature_c, temperature_source) =
        match (f.unit_temperature_c, f.policy.default_temperature_c) {
            (Some(t), _) => (Some(t), Some(TemperatureSource::StorageUnit)),
            (None, Some(t)) => (Some(t), Some(TemperatureSource::Policy)),
            _ => (None, None),
        };
    let mut o = Outlook {
        initial: None,
        latest: None,
        predicted_today_pct: None,
        threshold_pct: None,
        threshold_date: None,
        next_test_due: None,
        basis: None,
        model: None,
        below_prediction: false,
        below_threshold: false,
        missing_initial: false,
        missing_tests: Vec::new(),
        failed_qc: failed_qc_of(f.tests),
        temperature_c,
        temperature_source,
    };
    let banked = banked_on(f.sample);
    let is_seed = f.material_type == MaterialType::Seed.as_str();
    if is_seed {
        let viability: Vec<&viability_test::Model> = f
            .tests
            .iter()
            .filter(|t| {
                t.test_type
                    .parse::<TestType>()
                    .is_ok_and(TestType::measures_seed_viability)
                    && t.result_pct.is_some()
            })
            .collect();
        o.latest = viability.last().map(|t| TestPoint::from(*t));
        let points: Vec<(NaiveDate, f64, bool)> = viability
            .iter()
            .filter_map(|t| Some((t.tested_on, t.result_pct?, t.conclusive)))
            .collect();
        let Some(initial) = initial_viability(banked, &points) else {
            o.missing_initial = true;
            o.basis = Some(Basis::Policy);
            o.next_test_due = banked.checked_add_months(Months::new(12));
            return o;
        };
        let mut input = ScheduleInput::new(banked, initial, today);
        input.history = points
            .iter()
            .filter(|(_, _, conclusive)| *conclusive)
            .map(|(d, p, _)| (*d, *p))
            .collect();
        input.moisture_pct = f.sample.moisture_pct.filter(|m| *m > 0.0 && *m < 100.0);
        input.temp_c = temperature_c;
        input.constants = f.constants;
        input.policy_interval_days = f.policy.interval_days;
        input.threshold_fraction = f.policy.threshold_fraction;
        if input.validate().is_err() {
            input.temp_c = None;
            input.moisture_pct = None;
        }
        let s = schedule(&input);
        o.initial = Some(initial);
        o.predicted_today_pct = Some(s.predicted_today_pct);
        o.threshold_pct = Some(s.threshold_pct);
        o.threshold_date = s.threshold_date;
        o.next_test_due = Some(s.next_test_due);
        o.basis = Some(s.basis);
        o.model = s.model;
        o.below_prediction = s.below_prediction;
        o.below_threshold = s.below_threshold;
        return o;
    }
    if !is_monitored(f.material_type) {
        o.latest = f.tests.last().map(TestPoint::from);
        return o;
    }
    // Strains and cell lines: the policy's batch tests, repeated every policy interval.
    let required = &f.policy.required_batch_tests;
    let monitoring: Vec<&viability_test::Model> = f
        .tests
        .iter()
        .filter(|t| t.conclusive && (required.is_empty() || required.contains(&t.test_type)))
        .collect();
    o.missing_tests = required
        .iter()
        .filter(|r| !monitoring.iter().any(|t| &t.test_type == *r))
        .cloned()
        .collect();
    o.missing_initial = monitoring.is_empty();
    o.basis = Some(Basis::Policy);
    o.latest = monitoring.last().map(|t| TestPoint::from(*t));
    o.initial = monitoring
        .iter()
        .find_map(|t| Some((t.tested_on, t.result_pct?)));
    o.next_test_due = match monitoring.last() {
        Some(t) => t
            .tested_on
            .checked_add_signed(chrono::TimeDelta::days(f.policy.interval_days)),
        None => Some(banked),
    };
    o
}

/// Quarantining test types whose most recent conclusive result failed.
pub fn failed_qc_of(tests: &[viability_test::Model]) -> Vec<String> {
    let mut out = Vec::new();
    for kind in [TestType::Mycoplasma, TestType::StrProfile] {
        let latest = tests
            .iter()
            .filter(|t| t.conclusive && t.test_type == kind.as_str())
            .max_by_key(|t| (t.tested_on, t.id));
        if latest.is_some_and(|t| t.passed == Some(false)) {
            out.push(kind.as_str().to_string());
        }
    }
    out
}
