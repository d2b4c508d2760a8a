//! Rules about one seed lot's own tests: which test sets initial viability,
//! the regeneration threshold, the lot's fitted decline and the
//! below-prediction flag.

use chrono::{Months, NaiveDate};

use super::days_between;
use super::equation::DeclineModel;
use super::probit::probit;

/// Initial germination should exceed this (FAO Genebank Standards 2014).
pub const INITIAL_STANDARD_PCT: f64 = 85.0;

/// The initial test must fall within this many months of banking.
pub const INITIAL_TEST_WINDOW_MONTHS: u32 = 12;

/// Regenerate below this fraction of initial viability (FAO: 85 %).
pub const DEFAULT_THRESHOLD_FRACTION: f64 = 0.85;

/// How far (percentage points) a test may fall below prediction before it is flagged.
///
/// Percentage points rather than probits: genebank lots live at 80–100 %,
/// where a probit is wide (1 probit below 95 % is 76 %, already past the
/// regeneration threshold), so a probit margin would flag almost nothing. Ten
/// points is over twice the binomial standard error of a 100-seed test at
/// any viability (at most 5 points, at 50 %) and over six times it at 95 %
/// (2.2 points), so a flag means a real, unexpected decline rather than
/// sampling noise, yet it fires well before a 95 % lot reaches 80.75 %.
pub const DEFAULT_BELOW_PREDICTION_MARGIN_PCT: f64 = 10.0;

/// The test that sets a lot's initial viability, as (date, %).
///
/// The earliest conclusive test dated no later than 12 months after banking
/// wins (ties keep slice order). Tests before `banked_on` count: the standard
/// places the initial test after cleaning and drying, which precede storage.
/// None when no conclusive test falls in the window — the lot then has no
/// initial viability and its threshold cannot be set.
pub fn initial_viability(
    banked_on: NaiveDate,
    tests: &[(NaiveDate, f64, bool)],
) -> Option<(NaiveDate, f64)> {
    let window_end = banked_on.checked_add_months(Months::new(INITIAL_TEST_WINDOW_MONTHS))?;
    tests
        .iter()
        .filter(|(date, pct, conclusive)| *conclusive && *date <= window_end && pct.is_finite())
        .min_by_key(|(date, _, _)| *date)
        .map(|&(date, pct, _)| (date, pct))
}

/// True when initial germination exceeds 85 %, the standard for most crops.
///
/// Strictly above: the standard says "exceed". Wild and forest species are
/// often accepted lower; that is a curator's decision, not this rule's.
pub fn meets_initial_standard(initial_pct: f64) -> bool {
    initial_pct > INITIAL_STANDARD_PCT
}

/// The viability below which a lot is regenerated: `fraction` × initial.
///
/// The FAO table (100→85, 96→82, 90→77, 85→72) is 0.85 × initial rounded
/// half up; the unrounded value is returned so that comparisons are exact.
pub fn regeneration_threshold_pct(initial_pct: f64, fraction: f64) -> f64 {
    initial_pct * fraction
}

/// True when a test at `observed_pct` falls more than 10 points below prediction.
pub fn flag_below_prediction(observed_pct: f64, predicted_pct: f64) -> bool {
    flag_below_prediction_by(
        observed_pct,
        predicted_pct,
        DEFAULT_BELOW_PREDICTION_MARGIN_PCT,
    )
}

/// [`flag_below_prediction`] with a curator-chosen margin in percentage points.
pub fn flag_below_prediction_by(observed_pct: f64, predicted_pct: f64, margin_pct: f64) -> bool {
    predicted_pct - observed_pct > margin_pct
}

/// A least-squares line through a lot's tests: probit(viability) on days since banking.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct LotFit {
    /// The line's date zero (the banking date).
    pub banked_on: NaiveDate,
    /// Intercept: fitted viability at banking, in probits (Ki).
    pub ki_probit: f64,
    /// Slope in probits per day; −1/σ when the lot is declining.
    pub slope_per_day: f64,
    /// Number of tests the line was fitted to.
    pub tests: usize,
}

impl LotFit {
    /// σ in days, or None when the slope is not negative (no decline observed).
    pub fn sigma_days(&self) -> Option<f64> {
        (self.slope_per_day < 0.0).then(|| -1.0 / self.slope_per_day)
    }

    /// The fitted line as a decline model, when it shows a decline.
    pub fn model(&self) -> Option<DeclineModel> {
        Some(DeclineModel {
            origin: self.banked_on,
            ki_probit: self.ki_probit,
            sigma_days: self.sigma_days()?,
        })
    }
}

/// Fits a lot's own decline from its tests (date, %), as the standards advise
/// once a lot has two or more tests.
///
/// Ordinary least squares on probits, as in Ellis & Roberts' own fits; a
/// probit GLM weighted by seed numbers would be better but needs the counts,
/// which older records lack. None with fewer than two tests or when all
/// tests share one date (no slope can be measured).
pub fn fit_lot(banked_on: NaiveDate, tests: &[(NaiveDate, f64)]) -> Option<LotFit> {
    let points: Vec<(f64, f64)> = tests
        .iter()
        .filter(|(_, pct)| pct.is_finite())
        .map(|&(date, pct)| (days_between(banked_on, date), probit(pct)))
        .collect();
    if points.len() < 2 {
        return None;
    }
    let n = points.len() as f64;
    let mean_x = points.iter().map(|p| p.0).sum::<f64>() / n;
    let mean_y = points.iter().map(|p| p.1).sum::<f64>() / n;
    let sxx: f64 = points.iter().map(|p| (p.0 - mean_x).powi(2)).sum();
    let sxy: f64 = points.iter().map(|p| (p.0 - mean_x) * (p.1 - mean_y)).sum();
    if sxx == 0.0 {
        return None;
    }
    let slope = sxy / sxx;
    Some(LotFit {
        banked_on,
        ki_probit: mean_y - slope * mean_x,
        slope_per_day: slope,
        tests: points.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::super::probit::percent;
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn initial_viability_is_the_first_conclusive_test_within_12_months() {
        let banked = d(2020, 3, 1);
        let tests = [
            (d(2020, 9, 1), 93.0, true),
            (d(2020, 5, 1), 70.0, false), // inconclusive (e.g. dormancy not broken)
            (d(2020, 6, 1), 95.0, true),
            (d(2024, 1, 1), 90.0, true),
        ];
        assert_eq!(
            initial_viability(banked, &tests),
            Some((d(2020, 6, 1), 95.0))
        );
    }

    #[test]
    fn initial_viability_ignores_tests_after_12_months() {
        let banked = d(2020, 3, 1);
        let on_the_day = [(d(2021, 3, 1), 91.0, true)];
        assert_eq!(
            initial_viability(banked, &on_the_day),
            Some((d(2021, 3, 1), 91.0))
        );
        let too_late = [(d(2021, 3, 2), 91.0, true)];
        assert_eq!(initial_viability(banked, &too_late), None);
        assert_eq!(initial_viability(banked, &[]), None);
    }

    #[test]
    fn initial_viability_accepts_a_test_made_before_banking() {
        let tests = [(d(2020, 2, 10), 97.0, true), (d(2020, 4, 1), 96.0, true)];
        assert_eq!(
            initial_viability(d(2020, 3, 1), &tests),
            Some((d(2020, 2, 10), 97.0))
        );
    }

    #[test]
    fn initial_germination_must_exceed_85_pct() {
        assert!(meets_initial_standard(85.5));
        assert!(!meets_initial_standard(85.0));
        assert!(!meets_initial_standard(60.0));
    }

    #[test]
    fn regeneration_threshold_rounds_to_the_fao_table() {
        let fao = [
            (100.0, 85.0),
            (96.0, 82.0),
            (90.0, 77.0),
            (86.0, 73.0),
            (85.0, 72.0),
        ];
        for (initial, table) in fao {
            let t = regeneration_threshold_pct(initial, DEFAULT_THRESHOLD_FRACTION);
            assert_eq!((t + 0.5).floor(), table, "{initial}");
        }
    }

    #[test]
    fn below_prediction_flags_only_beyond_the_margin() {
        assert!(flag_below_prediction(79.0, 90.0));
        assert!(!flag_below_prediction(80.0, 90.0));
        assert!(!flag_below_prediction(99.0, 90.0));
        assert!(flag_below_prediction_by(86.0, 90.0, 3.0));
    }

    #[test]
    fn lot_fit_recovers_a_known_slope_from_synthetic_data() {
        // Ki = 2.0 probits at banking, σ = 4,000 days: v = 2.0 − p/4000.
        let banked = d(2000, 1, 1);
        let tests: Vec<(NaiveDate, f64)> = [0i64, 1500, 3000, 4500, 6000]
            .iter()
            .map(|&p| {
                (
                    banked + chrono::Days::new(p as u64),
                    percent(2.0 - p as f64 / 4000.0),
                )
            })
            .collect();
        let fit = fit_lot(banked, &tests).unwrap();
        assert_eq!(fit.tests, 5);
        assert!((fit.ki_probit - 2.0).abs() < 1e-9);
        assert!((fit.sigma_days().unwrap() - 4000.0).abs() < 1e-6);
        let m = fit.model().unwrap();
        assert!((m.viability_on(d(2000, 1, 1)) - percent(2.0)).abs() < 1e-9);
    }

    #[test]
    fn lot_fit_with_no_decline_has_no_sigma() {
        let banked = d(2000, 1, 1);
        let rising = [(d(2000, 6, 1), 90.0), (d(2010, 6, 1), 92.0)];
        let fit = fit_lot(banked, &rising).unwrap();
        assert!(fit.slope_per_day > 0.0);
        assert_eq!(fit.sigma_days(), None);
        assert_eq!(fit.model(), None);
    }

    #[test]
    fn lot_fit_needs_two_tests_on_different_days() {
        let banked = d(2000, 1, 1);
        assert!(fit_lot(banked, &[(d(2000, 6, 1), 90.0)]).is_none());
        assert!(fit_lot(banked, &[(d(2000, 6, 1), 90.0), (d(2000, 6, 1), 80.0)]).is_none());
    }
}
