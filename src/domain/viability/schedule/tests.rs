use super::*;
use crate::domain::viability::{lookup, percent};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).unwrap()
}

fn plus(date: NaiveDate, days: i64) -> NaiveDate {
    date + chrono::TimeDelta::days(days)
}

/// Lettuce at −18 °C and 5 %: σ ≈ 50,785 days, so one third of the time
/// from 95 % to 80.75 % is ≈ 13,139 days (36 years).
fn lettuce_base(today: NaiveDate) -> ScheduleInput<'static> {
    ScheduleInput {
        moisture_pct: Some(5.0),
        temp_c: Some(-18.0),
        constants: lookup("Lactuca", "sativa"),
        ..ScheduleInput::new(d(2000, 1, 1), (d(2000, 2, 1), 95.0), today)
    }
}

#[test]
fn species_prediction_sets_the_next_test_at_one_third_of_the_time_to_threshold() {
    // Lettuce at 5 °C and 7 % (active store): σ ≈ 2,112.4 days; 95 % → 80.75 %
    // takes 0.776133 × 2,112.4 ≈ 1,639.5 days, rounded 1,640; a third is 546.
    let input = ScheduleInput {
        moisture_pct: Some(7.0),
        temp_c: Some(5.0),
        constants: lookup("Lactuca", "sativa"),
        policy_interval_days: ACTIVE_POLICY_INTERVAL_DAYS,
        ..ScheduleInput::new(d(2000, 1, 1), (d(2000, 2, 1), 95.0), d(2001, 2, 1))
    };
    let s = schedule(&input);
    assert_eq!(s.basis, Basis::SpeciesPrediction);
    assert!((s.threshold_pct - 80.75).abs() < 1e-9);
    assert_eq!(s.threshold_date, Some(plus(d(2000, 2, 1), 1640)));
    assert_eq!(s.next_test_due, plus(d(2000, 2, 1), 546));
    // One year on: 1.644854 − 366/2112.44 = 1.471593 probits ≈ 92.94 %.
    assert!(
        (s.predicted_today_pct - 92.94).abs() < 0.01,
        "{}",
        s.predicted_today_pct
    );
    assert!(!s.below_prediction && !s.below_threshold);
}

#[test]
fn the_interval_is_capped_by_the_policy_interval() {
    let s = schedule(&lettuce_base(d(2001, 1, 1)));
    assert_eq!(s.basis, Basis::SpeciesPrediction);
    let to_threshold = (s.threshold_date.unwrap() - d(2000, 2, 1)).num_days();
    assert!((to_threshold / 3 - 13_139).abs() <= 1, "{to_threshold}");
    assert_eq!(
        s.next_test_due,
        plus(d(2000, 2, 1), BASE_POLICY_INTERVAL_DAYS)
    );
}

#[test]
fn the_interval_never_exceeds_40_years() {
    // Dry soybean-like lot with an enormous σ and a generous 40-year policy.
    let input = ScheduleInput {
        moisture_pct: Some(3.0),
        temp_c: Some(-20.0),
        constants: lookup("Zea", "mays"),
        policy_interval_days: MAX_INTERVAL_DAYS,
        ..ScheduleInput::new(d(2000, 1, 1), (d(2000, 1, 1), 98.0), d(2000, 1, 1))
    };
    let s = schedule(&input);
    assert_eq!(s.next_test_due, plus(d(2000, 1, 1), MAX_INTERVAL_DAYS));
    let over = ScheduleInput {
        policy_interval_days: 100_000,
        ..input
    };
    assert_eq!(
        schedule(&over).next_test_due,
        plus(d(2000, 1, 1), MAX_INTERVAL_DAYS)
    );
}

#[test]
fn without_constants_the_policy_interval_applies() {
    let input = ScheduleInput::new(d(2000, 1, 1), (d(2000, 3, 1), 92.0), d(2005, 1, 1));
    let s = schedule(&input);
    assert_eq!(s.basis, Basis::Policy);
    assert_eq!(s.model, None);
    assert_eq!(s.threshold_date, None);
    assert_eq!(s.predicted_today_pct, 92.0);
    assert_eq!(
        s.next_test_due,
        plus(d(2000, 3, 1), BASE_POLICY_INTERVAL_DAYS)
    );
}

#[test]
fn without_moisture_or_temperature_the_policy_interval_applies() {
    let no_moisture = ScheduleInput {
        moisture_pct: None,
        ..lettuce_base(d(2001, 1, 1))
    };
    assert_eq!(schedule(&no_moisture).basis, Basis::Policy);
    let no_temp = ScheduleInput {
        temp_c: None,
        ..lettuce_base(d(2001, 1, 1))
    };
    assert_eq!(schedule(&no_temp).basis, Basis::Policy);
}

#[test]
fn policy_is_counted_from_the_latest_test() {
    let input = ScheduleInput {
        history: vec![(d(2010, 3, 1), 91.0)],
        policy_interval_days: ACTIVE_POLICY_INTERVAL_DAYS,
        ..ScheduleInput::new(d(2000, 1, 1), (d(2000, 3, 1), 92.0), d(2012, 1, 1))
    };
    let s = schedule(&input);
    // 92 → 91 over ten years is a decline, so the lot's own fit is used, but
    // its threshold is centuries away and the 5-year policy caps the interval.
    assert_eq!(s.basis, Basis::LotFit);
    assert_eq!(
        s.next_test_due,
        plus(d(2010, 3, 1), ACTIVE_POLICY_INTERVAL_DAYS)
    );
}

#[test]
fn two_tests_a_year_apart_switch_to_the_lot_fit() {
    // Synthetic lot: Ki = 1.8 probits at banking, σ = 2,000 days.
    let banked = d(2000, 1, 1);
    let at = |days: i64| (plus(banked, days), percent(1.8 - days as f64 / 2000.0));
    let input = ScheduleInput {
        history: vec![at(1000), at(2000)],
        ..ScheduleInput::new(banked, at(0), plus(banked, 2500))
    };
    let s = schedule(&input);
    assert_eq!(s.basis, Basis::LotFit);
    let m = s.model.unwrap();
    assert!((m.sigma_days - 2000.0).abs() < 1e-6);
    assert!((m.ki_probit - 1.8).abs() < 1e-9);
    assert!((s.predicted_today_pct - percent(1.8 - 1.25)).abs() < 1e-6);
    // Threshold 0.85 × 96.41 % = 81.95 % → probit 0.913; reached at
    // (1.8 − 0.913) × 2000 ≈ 1,774 days — already past at the last test.
    assert!(s.threshold_date.unwrap() < plus(banked, 2000));
    assert_eq!(s.next_test_due, plus(banked, 2000));
    assert!(s.below_threshold);
}

#[test]
fn intervals_shorten_as_the_lot_nears_its_threshold() {
    let banked = d(2000, 1, 1);
    let at = |days: i64| (plus(banked, days), percent(2.0 - days as f64 / 6000.0));
    let input = ScheduleInput {
        history: vec![at(1000), at(2000)],
        ..ScheduleInput::new(banked, at(0), plus(banked, 2000))
    };
    let s = schedule(&input);
    let threshold = s.threshold_date.unwrap();
    let remaining = (threshold - plus(banked, 2000)).num_days();
    assert_eq!(s.next_test_due, plus(banked, 2000 + remaining / 3));
    assert!(remaining / 3 < (threshold - banked).num_days() / 3);
}

#[test]
fn a_lot_fit_over_less_than_a_year_is_not_trusted() {
    let input = ScheduleInput {
        history: vec![(d(2000, 8, 1), 80.0)],
        ..lettuce_base(d(2001, 1, 1))
    };
    assert_eq!(schedule(&input).basis, Basis::SpeciesPrediction);
}

#[test]
fn no_observed_decline_falls_back_to_the_species_from_the_latest_test() {
    let input = ScheduleInput {
        history: vec![(d(2010, 2, 1), 96.0)],
        ..lettuce_base(d(2011, 1, 1))
    };
    let s = schedule(&input);
    assert_eq!(s.basis, Basis::SpeciesPrediction);
    let m = s.model.unwrap();
    assert_eq!(m.origin, d(2010, 2, 1));
    assert!((m.viability_on(d(2010, 2, 1)) - 96.0).abs() < 1e-9);
    assert_eq!(
        s.next_test_due,
        plus(d(2010, 2, 1), BASE_POLICY_INTERVAL_DAYS)
    );
}

#[test]
fn no_observed_decline_and_no_constants_falls_back_to_policy() {
    let input = ScheduleInput {
        history: vec![(d(2010, 2, 1), 96.0)],
        ..ScheduleInput::new(d(2000, 1, 1), (d(2000, 2, 1), 95.0), d(2011, 1, 1))
    };
    let s = schedule(&input);
    assert_eq!(s.basis, Basis::Policy);
    assert_eq!(s.predicted_today_pct, 96.0);
}

#[test]
fn a_test_well_below_the_earlier_prediction_is_flagged() {
    // Lettuce at 5 °C, 7 %: after 731 days the species predicts ≈ 90.4 %.
    let base = ScheduleInput {
        moisture_pct: Some(7.0),
        temp_c: Some(5.0),
        constants: lookup("Lactuca", "sativa"),
        ..ScheduleInput::new(d(2000, 1, 1), (d(2000, 1, 1), 95.0), d(2002, 6, 1))
    };
    let low = ScheduleInput {
        history: vec![(d(2002, 1, 1), 70.0)],
        ..base.clone()
    };
    let s = schedule(&low);
    assert!(s.below_prediction && s.below_threshold);
    assert_eq!(s.basis, Basis::LotFit);
    let fine = ScheduleInput {
        history: vec![(d(2002, 1, 1), 88.0)],
        ..base
    };
    assert!(!schedule(&fine).below_prediction);
}

#[test]
fn the_initial_test_may_be_repeated_in_the_history() {
    let once = lettuce_base(d(2001, 1, 1));
    let twice = ScheduleInput {
        history: vec![once.initial],
        ..once.clone()
    };
    assert_eq!(schedule(&once), schedule(&twice));
}

#[test]
fn schedule_serialises_with_stable_keys() {
    let json = serde_json::to_value(schedule(&lettuce_base(d(2001, 1, 1)))).unwrap();
    assert_eq!(json["basis"], "species_prediction");
    // 3,652 days from 2000-02-01 (three leap days) is one day short of ten calendar years.
    assert_eq!(json["next_test_due"], "2010-01-31");
    assert!(json["threshold_date"].is_string());
    let policy = ScheduleInput::new(d(2000, 1, 1), (d(2000, 2, 1), 95.0), d(2001, 1, 1));
    let json = serde_json::to_value(schedule(&policy)).unwrap();
    assert_eq!(json["basis"], "policy");
    assert!(json["threshold_date"].is_null());
    assert_eq!(Basis::LotFit.as_str(), "lot_fit");
    assert_eq!("lot_fit".parse::<Basis>(), Ok(Basis::LotFit));
}

#[test]
fn validate_names_the_first_bad_field() {
    let ok = lettuce_base(d(2001, 1, 1));
    assert!(ok.validate().is_ok());
    let field = |input: ScheduleInput| input.validate().unwrap_err().field;
    let initial = ScheduleInput {
        initial: (d(2000, 1, 1), 101.0),
        ..ok.clone()
    };
    assert_eq!(field(initial), "initial_pct");
    let history = ScheduleInput {
        history: vec![(d(2001, 1, 1), 90.0), (d(2002, 1, 1), f64::NAN)],
        ..ok.clone()
    };
    assert_eq!(field(history), "history[1]");
    let moisture = ScheduleInput {
        moisture_pct: Some(0.0),
        ..ok.clone()
    };
    assert_eq!(field(moisture), "moisture_pct");
    let fraction = ScheduleInput {
        threshold_fraction: 1.2,
        ..ok.clone()
    };
    assert_eq!(field(fraction), "threshold_fraction");
    let policy = ScheduleInput {
        policy_interval_days: 0,
        ..ok
    };
    let e = policy.validate().unwrap_err();
    assert_eq!(
        (e.field.as_str(), e.code),
        ("policy_interval_days", "out_of_range")
    );
}
