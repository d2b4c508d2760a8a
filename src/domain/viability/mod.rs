//! Seed viability: the Ellis & Roberts (1980) viability equation, species
//! constants, each lot's own fitted decline, the FAO monitoring schedule and
//! germination test arithmetic. Pure functions only — no I/O and no clock,
//! so the due-list and charts are reproducible for any "today".
//!
//! The species constants ship inside the crate (`seed_viability_constants.csv`,
//! embedded with `include_str!`); each row keeps its literature source.
//! Sub-modules: `probit` (scale conversion), `constants` (the table),
//! `equation` (σ and predictions), `lot` (initial viability, lot fit,
//! flags), `schedule` (next test due) and `germination` (test counts); all
//! are re-exported here.

mod constants;
mod equation;
mod germination;
mod lot;
mod probit;
mod schedule;

use chrono::{NaiveDate, TimeDelta};

use super::{FieldError, string_enum};
pub use constants::{CONSTANTS_CSV, SpeciesConstants, constants_table, lookup};
pub use equation::{DeclineModel, curve, days_to_reach, predicted_viability_pct, sigma_days};
pub use germination::{
    GerminationCounts, ToleranceCheck, germination_pct, replicate_tolerance, validate_replicates,
    viable_pct,
};
pub use lot::{
    DEFAULT_BELOW_PREDICTION_MARGIN_PCT, DEFAULT_THRESHOLD_FRACTION, INITIAL_STANDARD_PCT,
    INITIAL_TEST_WINDOW_MONTHS, LotFit, fit_lot, flag_below_prediction, flag_below_prediction_by,
    initial_viability, meets_initial_standard, regeneration_threshold_pct,
};
pub use probit::{PROBIT_CLAMP_PCT, percent, probit};
pub use schedule::{
    ACTIVE_POLICY_INTERVAL_DAYS, BASE_POLICY_INTERVAL_DAYS, Basis, MAX_INTERVAL_DAYS,
    MIN_FIT_SPAN_DAYS, Schedule, ScheduleInput, schedule, validate_viability_pct,
};

/// Days from `from` to `to` as a float (negative when `to` is earlier).
fn days_between(from: NaiveDate, to: NaiveDate) -> f64 {
    (to - from).num_days() as f64
}

/// `date` plus a fractional number of days, rounded to whole days.
///
/// None when the result is not finite or falls outside chrono's calendar
/// (σ of a very dry, cold lot can put a threshold millions of years away).
fn add_days(date: NaiveDate, days: f64) -> Option<NaiveDate> {
    let days = days.round();
    // ±1e9 days is far beyond chrono's ±262,000 years, yet safe to cast.
    if !days.is_finite() || days.abs() > 1e9 {
        return None;
    }
    date.checked_add_signed(TimeDelta::try_days(days as i64)?)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// GENEBANK_STANDARDS.md's sanity table, through `lookup` on the shipped CSV:
    /// (genus, species, °C, % moisture, σ years, years to 85 % of 95 %, one third).
    #[test]
    fn shipped_constants_reproduce_the_standards_sanity_table() {
        let table = [
            ("Triticum", "aestivum", 5.0, 7.0, 81.8, 63.5, 21.2),
            ("Oryza", "sativa", 5.0, 7.0, 69.4, 53.9, 18.0),
            ("Hordeum", "vulgare", 5.0, 7.0, 77.7, 60.3, 20.1),
            ("Lactuca", "sativa", 5.0, 7.0, 5.8, 4.5, 1.5),
            ("Lactuca", "sativa", -18.0, 5.0, 139.0, 108.0, 36.0),
            ("Glycine", "max", 5.0, 7.0, 21.5, 16.7, 5.6),
        ];
        for (genus, species, t, m, sigma_y, reach_y, third_y) in table {
            let c = lookup(genus, species).unwrap();
            let sigma = sigma_days(c, m, t);
            let reach = days_to_reach(95.0, 95.0 * 0.85, sigma) / 365.25;
            let tol = |x: f64| 0.1_f64.max(x * 0.005);
            assert!((sigma / 365.25 - sigma_y).abs() < tol(sigma_y), "{genus} σ");
            assert!((reach - reach_y).abs() < tol(reach_y), "{genus} {reach}");
            assert!(
                (reach / 3.0 - third_y).abs() < tol(third_y),
                "{genus} third"
            );
        }
    }

    #[test]
    fn add_days_rounds_and_refuses_the_impossible() {
        assert_eq!(add_days(d(2000, 1, 1), 1.6), Some(d(2000, 1, 3)));
        assert_eq!(add_days(d(2000, 1, 1), -1.0), Some(d(1999, 12, 31)));
        assert_eq!(add_days(d(2000, 1, 1), f64::INFINITY), None);
        assert_eq!(add_days(d(2000, 1, 1), f64::NAN), None);
        assert_eq!(add_days(d(2000, 1, 1), 5e8), None);
    }
}
