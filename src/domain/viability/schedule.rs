//! When a seed lot is next tested and when it is expected to need
//! regeneration (DESIGN.md, "Viability schedule").

use chrono::NaiveDate;

use super::constants::SpeciesConstants;
use super::equation::{DeclineModel, sigma_days};
use super::lot::{
    DEFAULT_THRESHOLD_FRACTION, fit_lot, flag_below_prediction, regeneration_threshold_pct,
};
use super::probit::probit;
use super::{FieldError, add_days, string_enum};

/// Default policy interval for base collections: 10 years of 365.25 days, rounded down.
pub const BASE_POLICY_INTERVAL_DAYS: i64 = 3652;

/// Default policy interval for active collections: 5 years of 365.25 days, rounded down.
pub const ACTIVE_POLICY_INTERVAL_DAYS: i64 = 1826;

/// No interval is ever longer than 40 years (of 365.25 days), whatever the policy or prediction.
pub const MAX_INTERVAL_DAYS: i64 = 14610;

/// A lot's own fit needs tests spanning at least this many days.
///
/// A germination test carries a few points of sampling noise; over less than
/// a year of cold storage that noise dwarfs any real decline, and a two-point
/// fit would predict collapse (or immortality) from it.
pub const MIN_FIT_SPAN_DAYS: i64 = 365;

string_enum! {
    /// What a schedule's prediction rests on, shown so curators can judge it.
    pub enum Basis("schedule basis") {
        SpeciesPrediction = "species_prediction" => "Species constants (viability equation)",
        LotFit = "lot_fit" => "Fitted to this lot's own tests",
        Policy = "policy" => "Policy interval (no prediction possible)",
    }
}

/// Everything `schedule` needs about one lot; dates are passed in, never read from a clock.
#[derive(Debug, Clone, PartialEq)]
pub struct ScheduleInput<'a> {
    /// The day the lot entered storage (day 0 of the lot fit).
    pub banked_on: NaiveDate,
    /// The test that set initial viability, as (date, %) — see `initial_viability`.
    pub initial: (NaiveDate, f64),
    /// Conclusive tests as (date, %); may or may not repeat the initial test.
    pub history: Vec<(NaiveDate, f64)>,
    /// The date to predict for.
    pub today: NaiveDate,
    /// Seed moisture content (% fresh weight), if measured.
    pub moisture_pct: Option<f64>,
    /// Storage temperature (°C) of the unit holding the lot, if known.
    pub temp_c: Option<f64>,
    /// The species' constants, usually from `lookup`.
    pub constants: Option<&'a SpeciesConstants>,
    /// The longest allowed interval between tests (base 10 y, active 5 y).
    pub policy_interval_days: i64,
    /// Regeneration threshold as a fraction of initial viability (0.85).
    pub threshold_fraction: f64,
}

impl<'a> ScheduleInput<'a> {
    /// An input with base-collection policy, the 85 % threshold and nothing else known.
    pub fn new(banked_on: NaiveDate, initial: (NaiveDate, f64), today: NaiveDate) -> Self {
        ScheduleInput {
            banked_on,
            initial,
            history: Vec::new(),
            today,
            moisture_pct: None,
            temp_c: None,
            constants: None,
            policy_interval_days: BASE_POLICY_INTERVAL_DAYS,
            threshold_fraction: DEFAULT_THRESHOLD_FRACTION,
        }
    }

    /// Checks the values a user could have typed, naming the first bad field.
    pub fn validate(&self) -> Result<(), FieldError> {
        validate_viability_pct("initial_pct", self.initial.1)?;
        for (i, (_, pct)) in self.history.iter().enumerate() {
            validate_viability_pct(&format!("history[{i}]"), *pct)?;
        }
        if let Some(m) = self
            .moisture_pct
            .filter(|m| !(m.is_finite() && *m > 0.0 && *m < 100.0))
        {
            return Err(out_of_range(
                "moisture_pct",
                m,
                "between 0 and 100 % (exclusive)",
            ));
        }
        if let Some(t) = self
            .temp_c
            .filter(|t| !(t.is_finite() && (-273.15..=100.0).contains(t)))
        {
            return Err(out_of_range("temp_c", t, "between −273.15 and 100 °C"));
        }
        let f = self.threshold_fraction;
        if !(f.is_finite() && f > 0.0 && f <= 1.0) {
            return Err(out_of_range(
                "threshold_fraction",
                f,
                "above 0 and at most 1",
            ));
        }
        let days = self.policy_interval_days;
        if !(1..=MAX_INTERVAL_DAYS).contains(&days) {
            let why = format!("between 1 and {MAX_INTERVAL_DAYS} days (40 years)");
            return Err(out_of_range("policy_interval_days", days as f64, &why));
        }
        Ok(())
    }
}

/// Checks a viability or germination percentage is a number from 0 to 100.
pub fn validate_viability_pct(field: &str, pct: f64) -> Result<(), FieldError> {
    if pct.is_finite() && (0.0..=100.0).contains(&pct) {
        Ok(())
    } else {
        Err(out_of_range(field, pct, "a percentage from 0 to 100"))
    }
}

/// An `out_of_range` error whose message names the field, the value and the range.
fn out_of_range(field: &str, value: f64, expected: &str) -> FieldError {
    FieldError::new(
        field,
        "out_of_range",
        format!("{field}: {value} is out of range; expected {expected}"),
    )
}

/// A lot's viability outlook and its next test date.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct Schedule {
    /// Initial viability (%), the reference for the threshold.
    pub initial_pct: f64,
    /// Regenerate below this viability (%): threshold fraction × initial.
    pub threshold_pct: f64,
    /// Predicted viability today (%); under `Policy`, the latest test's result.
    pub predicted_today_pct: f64,
    /// When the prediction crosses the threshold; None under `Policy` or beyond the calendar.
    pub threshold_date: Option<NaiveDate>,
    /// When the next germination test is due (may already be past).
    pub next_test_due: NaiveDate,
    /// What the prediction rests on.
    pub basis: Basis,
    /// The decline line used, for charts; None under `Policy`.
    pub model: Option<DeclineModel>,
    /// The latest test fell more than 10 points below what the earlier data predicted.
    pub below_prediction: bool,
    /// The latest test is already below the regeneration threshold.
    pub below_threshold: bool,
}

/// Computes a lot's schedule per DESIGN.md.
///
/// The model is chosen in order: the lot's own fit (two or more tests
/// spanning a year, showing a decline); else the species equation, started
/// from the latest test (so a lot that has not declined yet is not blamed for
/// the species' expected loss); else none, and the policy interval applies.
/// The next test is due one third of the predicted time from the latest test
/// to the threshold — intervals shorten as the lot nears it — capped by the
/// policy interval and 40 years. Assumes `input.validate()` passed; bad
/// numbers degrade to `Policy` rather than panic.
pub fn schedule(input: &ScheduleInput) -> Schedule {
    let tests = merged_tests(input);
    // `merged_tests` always holds at least the initial test.
    let (latest_date, latest_pct) = tests.last().copied().unwrap_or(input.initial);
    let initial_pct = input.initial.1;
    let threshold_pct = regeneration_threshold_pct(initial_pct, input.threshold_fraction);
    let (basis, model) = choose_model(input, &tests);

    let predicted_today_pct = model.map_or(latest_pct, |m| m.viability_on(input.today));
    let threshold_date = model.and_then(|m| m.date_reaching(threshold_pct));
    let cap = input.policy_interval_days.clamp(1, MAX_INTERVAL_DAYS);
    let interval = match threshold_date {
        Some(date) => ((date - latest_date).num_days().max(0) / 3).min(cap),
        None => cap,
    };
    let next_test_due = add_days(latest_date, interval as f64).unwrap_or(latest_date);

    let below_prediction = tests.len() >= 2 && {
        let (_, prior) = choose_model(input, &tests[..tests.len() - 1]);
        prior.is_some_and(|m| flag_below_prediction(latest_pct, m.viability_on(latest_date)))
    };

    Schedule {
        initial_pct,
        threshold_pct,
        predicted_today_pct,
        threshold_date,
        next_test_due,
        basis,
        model,
        below_prediction,
        below_threshold: latest_pct < threshold_pct,
    }
}

/// The initial test plus the history, sorted by date, without exact repeats.
fn merged_tests(input: &ScheduleInput) -> Vec<(NaiveDate, f64)> {
    let mut tests: Vec<(NaiveDate, f64)> = std::iter::once(input.initial)
        .chain(input.history.iter().copied())
        .filter(|(_, pct)| pct.is_finite())
        .collect();
    tests.sort_by_key(|(date, _)| *date);
    tests.dedup();
    if tests.is_empty() {
        tests.push(input.initial);
    }
    tests
}

/// Picks the decline model for `tests` (sorted, non-empty) and names its basis.
fn choose_model(
    input: &ScheduleInput,
    tests: &[(NaiveDate, f64)],
) -> (Basis, Option<DeclineModel>) {
    let span = match (tests.first(), tests.last()) {
        (Some(first), Some(last)) => (last.0 - first.0).num_days(),
        _ => 0,
    };
    if span >= MIN_FIT_SPAN_DAYS
        && let Some(model) = fit_lot(input.banked_on, tests).and_then(|fit| fit.model())
    {
        return (Basis::LotFit, Some(model));
    }
    let sigma = match (input.constants, input.moisture_pct, input.temp_c) {
        (Some(c), Some(m), Some(t)) if c.is_plausible() && m > 0.0 => Some(sigma_days(c, m, t)),
        _ => None,
    };
    match (sigma, tests.last()) {
        (Some(sigma), Some(&(date, pct))) if sigma.is_finite() && sigma > 0.0 => (
            Basis::SpeciesPrediction,
            Some(DeclineModel {
                origin: date,
                ki_probit: probit(pct),
                sigma_days: sigma,
            }),
        ),
        _ => (Basis::Policy, None),
    }
}

#[cfg(test)]
mod tests;
