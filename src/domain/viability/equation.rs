//! The Ellis & Roberts (1980) viability equation and the straight probit
//! decline line it predicts.

use chrono::NaiveDate;

use super::constants::SpeciesConstants;
use super::probit::{percent, probit};
use super::{add_days, days_between};

/// σ, the number of **days** for a lot to lose one probit of viability.
///
/// log10 σ = KE − CW·log10 m − CH·t − CQ·t², m = seed moisture (% fresh
/// weight), t = storage temperature (°C). The table's KE is calibrated for σ
/// in days — wheat at 5 °C and 7 % gives log10 σ ≈ 4.475, i.e. 29,887 days
/// ≈ 81.8 years, the figure GENEBANK_STANDARDS.md quotes in years — so no
/// conversion happens here; divide by 365.25 for years. Moisture must be
/// positive (0 gives +∞). The fit is validated for about 5–25 % moisture and
/// −20 to 90 °C; at −18 °C it extrapolates and tends to be optimistic.
pub fn sigma_days(c: &SpeciesConstants, moisture_pct: f64, temp_c: f64) -> f64 {
    let log_sigma = c.ke - c.cw * moisture_pct.log10() - c.ch * temp_c - c.cq * temp_c * temp_c;
    10f64.powf(log_sigma)
}

/// Viability (%) after `days_stored` days: v = Ki − p/σ with Ki = probit(initial).
pub fn predicted_viability_pct(initial_pct: f64, sigma_days: f64, days_stored: f64) -> f64 {
    percent(probit(initial_pct) - days_stored / sigma_days)
}

/// Days for viability to fall from `initial_pct` to `target_pct`: (Ki − probit(target))·σ.
///
/// Negative when the target lies above the initial value (it was "reached"
/// before storage began); the caller decides what that means.
pub fn days_to_reach(initial_pct: f64, target_pct: f64, sigma_days: f64) -> f64 {
    (probit(initial_pct) - probit(target_pct)) * sigma_days
}

/// Predicted viability at evenly spaced dates from `from` to `to`, for charts.
///
/// `from` is day 0 of storage at `initial_pct`. Dates are whole days, so a
/// short span with many points yields fewer, distinct points. Empty when
/// `to` precedes `from`, `points` is 0 or σ is not positive; +∞ σ draws a
/// flat line.
pub fn curve(
    initial_pct: f64,
    sigma_days: f64,
    from: NaiveDate,
    to: NaiveDate,
    points: usize,
) -> Vec<(NaiveDate, f64)> {
    DeclineModel {
        origin: from,
        ki_probit: probit(initial_pct),
        sigma_days,
    }
    .curve(from, to, points)
}

/// A straight decline on the probit scale: Ki at `origin`, one probit lost per σ days.
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize)]
pub struct DeclineModel {
    /// The date at which viability equals `ki_probit` (start of the line).
    pub origin: NaiveDate,
    /// Viability at `origin`, in probits (Ki).
    pub ki_probit: f64,
    /// Days to lose one probit (σ); +∞ means no decline.
    pub sigma_days: f64,
}

impl DeclineModel {
    /// Predicted viability (%) on `date`; dates before `origin` extrapolate backwards.
    pub fn viability_on(&self, date: NaiveDate) -> f64 {
        percent(self.probit_on(date))
    }

    /// Predicted viability in probits on `date`.
    pub fn probit_on(&self, date: NaiveDate) -> f64 {
        self.ki_probit - days_between(self.origin, date) / self.sigma_days
    }

    /// The date the line crosses `target_pct`, or None if never or past the calendar.
    pub fn date_reaching(&self, target_pct: f64) -> Option<NaiveDate> {
        let days = (self.ki_probit - probit(target_pct)) * self.sigma_days;
        add_days(self.origin, days)
    }

    /// The line sampled at `points` dates from `from` to `to` (see [`curve`]).
    pub fn curve(&self, from: NaiveDate, to: NaiveDate, points: usize) -> Vec<(NaiveDate, f64)> {
        if to < from || points == 0 || self.sigma_days.is_nan() || self.sigma_days <= 0.0 {
            return Vec::new();
        }
        let span = days_between(from, to);
        let steps = points.saturating_sub(1).max(1) as f64;
        let mut out: Vec<(NaiveDate, f64)> = Vec::with_capacity(points);
        for i in 0..points {
            let Some(date) = add_days(from, span * i as f64 / steps) else {
                break;
            };
            if out.last().is_none_or(|(last, _)| *last != date) {
                out.push((date, self.viability_on(date)));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn constants(ke: f64, cw: f64, ch: f64, cq: f64) -> SpeciesConstants {
        SpeciesConstants {
            genus: "G".into(),
            species: "s".into(),
            qualifier: String::new(),
            single_temperature_fit: false,
            ke,
            cw,
            ch,
            cq,
            source: "test".into(),
        }
    }

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    /// Lettuce (Lactuca sativa, Ellis et al. 1989: KE 7.938, CW 5.25, universal
    /// CH 0.0329, CQ 0.000478) at 5 % moisture and −18 °C, worked by hand:
    /// log10 σ = 7.938 − 5.25 × 0.698970 + 0.0329 × 18 − 0.000478 × 324
    ///         = 7.938 − 3.669593 + 0.5922 − 0.154872 = 4.705735
    /// σ = 10^4.705735 ≈ 50,785 days ≈ 139.0 years (the standards' "≈ 139").
    /// After 50 years (18,262.5 days) from 95 %: v = 1.644854 − 0.359604
    /// = 1.285250 probits → 90.06 %.
    #[test]
    fn sigma_for_lettuce_at_5_pct_and_minus_18_c_is_about_139_years() {
        let lettuce = constants(7.938, 5.25, 0.0329, 0.000478);
        let sigma = sigma_days(&lettuce, 5.0, -18.0);
        assert!((sigma.log10() - 4.705_735).abs() < 1e-6);
        assert!((sigma - 50_785.0).abs() < 1.0, "σ = {sigma}");
        assert!((sigma / 365.25 - 139.04).abs() < 0.01);
        let v = predicted_viability_pct(95.0, sigma, 50.0 * 365.25);
        assert!((v - 90.065).abs() < 0.001, "v = {v}");
    }

    #[test]
    fn sigma_for_wheat_at_7_pct_and_5_c_is_in_days() {
        // log10 σ = 9.043 − 5.183 × 0.845098 − 0.0351 × 5 − 0.000475 × 25 = 4.475482
        let wheat = constants(9.043, 5.183, 0.0351, 0.000475);
        let sigma = sigma_days(&wheat, 7.0, 5.0);
        assert!((sigma.log10() - 4.475_482).abs() < 1e-6);
        assert!(
            (sigma / 365.25 - 81.8).abs() < 0.05,
            "{} years",
            sigma / 365.25
        );
    }

    #[test]
    fn days_to_reach_85_pct_of_initial_matches_the_standards_table() {
        // (sigma years, years to 85 % of 95 %) from GENEBANK_STANDARDS.md
        let table = [
            ((9.043, 5.183, 0.0351, 0.000475), 7.0, 5.0, 63.5),
            ((8.242, 4.345, 0.0307, 0.000501), 7.0, 5.0, 53.9),
            ((9.144, 5.342, 0.0329, 0.000478), 7.0, 5.0, 60.3),
            ((7.938, 5.25, 0.0329, 0.000478), 7.0, 5.0, 4.5),
            ((7.938, 5.25, 0.0329, 0.000478), 5.0, -18.0, 108.0),
            ((7.525, 4.086, 0.0329, 0.000478), 7.0, 5.0, 16.7),
        ];
        for ((ke, cw, ch, cq), m, t, years) in table {
            let sigma = sigma_days(&constants(ke, cw, ch, cq), m, t);
            let got = days_to_reach(95.0, 95.0 * 0.85, sigma) / 365.25;
            assert!((got - years).abs() < 0.1, "KE {ke}: {got} vs {years}");
        }
    }

    #[test]
    fn prediction_loses_one_probit_per_sigma() {
        let after = predicted_viability_pct(84.134_474_606_854_29, 1000.0, 1000.0);
        assert!((after - 50.0).abs() < 1e-6);
        assert!((predicted_viability_pct(95.0, 1000.0, 0.0) - 95.0).abs() < 1e-9);
    }

    #[test]
    fn days_to_reach_a_higher_target_is_negative() {
        assert!(days_to_reach(80.0, 90.0, 1000.0) < 0.0);
        assert!((days_to_reach(90.0, 90.0, 1000.0)).abs() < 1e-9);
    }

    #[test]
    fn curve_spans_from_to_inclusive_and_falls() {
        let c = curve(95.0, 3650.0, d(2000, 1, 1), d(2010, 1, 1), 11);
        assert_eq!(c.len(), 11);
        assert_eq!(c[0].0, d(2000, 1, 1));
        assert!((c[0].1 - 95.0).abs() < 1e-9);
        assert_eq!(c[10].0, d(2010, 1, 1));
        assert!(c.windows(2).all(|w| w[1].1 < w[0].1 && w[1].0 > w[0].0));
        let ten_years = days_between(d(2000, 1, 1), d(2010, 1, 1));
        assert!((c[10].1 - predicted_viability_pct(95.0, 3650.0, ten_years)).abs() < 1e-9);
    }

    #[test]
    fn curve_drops_duplicate_days_and_rejects_bad_input() {
        assert_eq!(
            curve(95.0, 100.0, d(2000, 1, 1), d(2000, 1, 3), 10).len(),
            3
        );
        assert_eq!(curve(95.0, 100.0, d(2000, 1, 1), d(2000, 1, 1), 5).len(), 1);
        assert!(curve(95.0, 100.0, d(2001, 1, 1), d(2000, 1, 1), 5).is_empty());
        assert!(curve(95.0, 100.0, d(2000, 1, 1), d(2001, 1, 1), 0).is_empty());
        assert!(curve(95.0, -1.0, d(2000, 1, 1), d(2001, 1, 1), 5).is_empty());
        let flat = curve(95.0, f64::INFINITY, d(2000, 1, 1), d(2100, 1, 1), 3);
        assert!(flat.iter().all(|(_, v)| (v - 95.0).abs() < 1e-9));
    }

    #[test]
    fn decline_model_crosses_the_threshold_on_the_predicted_date() {
        let m = DeclineModel {
            origin: d(2000, 1, 1),
            ki_probit: probit(95.0),
            sigma_days: 10_000.0,
        };
        let when = m.date_reaching(80.75).unwrap();
        let expected = days_to_reach(95.0, 80.75, 10_000.0).round() as i64;
        assert_eq!((when - d(2000, 1, 1)).num_days(), expected);
        assert!((m.viability_on(when) - 80.75).abs() < 0.01);
        let never = DeclineModel {
            sigma_days: f64::INFINITY,
            ..m
        };
        assert_eq!(never.date_reaching(80.75), None);
    }
}
