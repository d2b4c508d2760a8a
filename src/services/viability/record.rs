//! Recording a viability or quality test: per-type validation, the germination arithmetic,
//! the seeds or ampoules it used up through the ledger, the custody event and the audit trail.

use std::str::FromStr;

use chrono::NaiveDate;
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, EntityTrait, Set, TransactionSession, TransactionTrait,
};
use serde::Deserialize;

use entities::{accession, accession_cell_line, sample, viability_test};

use super::super::ledger::{self, Movement};
use super::super::{Actor, audit, now};
use crate::domain::FieldError;
use crate::domain::cell_line::{StrProfile, str_match_percent};
use crate::domain::material::{LedgerReason, Unit};
use crate::domain::quality::{Growth, TestType, purity_passes, revival_passes, str_match_passes};
use crate::domain::text::check_text;
use crate::domain::viability::{
    GerminationCounts, germination_pct, validate_replicates, validate_viability_pct,
};
use crate::error::{AppError, AppResult};
use crate::services::events::{self, SampleEvent};

/// What a technician records; which fields apply depends on `test_type`.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewViabilityTest {
    pub sample_id: i64,
    /// germination, tetrazolium, revival, purity, post_thaw_viability, mycoplasma,
    /// str_profile, sterility or rin.
    pub test_type: String,
    /// YYYY-MM-DD; not in the future.
    pub tested_on: NaiveDate,
    /// False when the test must be repeated (it then sets nothing). Default true.
    pub conclusive: Option<bool>,
    /// Germination: counts per replicate (normal, abnormal, dormant, dead).
    #[schema(value_type = Option<Vec<Object>>)]
    pub replicates: Option<Vec<GerminationCounts>>,
    pub seeds_per_replicate: Option<i32>,
    pub substrate: Option<String>,
    pub temperature_regime: Option<String>,
    pub light_hours: Option<f64>,
    pub prechill_days: Option<i32>,
    pub count_days: Option<i32>,
    /// Tetrazolium, post-thaw viability, revival: viable %.
    pub result_pct: Option<f64>,
    /// Mycoplasma and sterility: true when negative/sterile.
    pub passed: Option<bool>,
    /// Mycoplasma: detection method (PCR, culture, DNA stain…).
    pub method: Option<String>,
    /// Revival: good, poor or none.
    pub growth: Option<String>,
    pub contaminants: Option<String>,
    pub colony_morphology: Option<String>,
    /// Purity: the culture conforms to the strain's description.
    pub conforms: Option<bool>,
    /// STR profile as `Marker: a, b; …`; matched against the accession's reference profile.
    pub str_markers: Option<String>,
    /// STR match % (Tanabe), when computed elsewhere.
    pub str_match_pct: Option<f64>,
    /// RNA integrity number, 1–10.
    pub rin: Option<f64>,
    /// Quantity the test used up (defaults to the seeds counted when the lot is in seeds).
    pub consumed_quantity: Option<f64>,
    pub notes: Option<String>,
}

fn required(field: &str) -> FieldError {
    FieldError::new(
        field,
        "required",
        format!("{field}: a value is required for this test type"),
    )
}

fn text(
    field: &str,
    v: &Option<String>,
    max: usize,
    errors: &mut Vec<FieldError>,
) -> Option<String> {
    let v = v.as_deref().map(str::trim).filter(|v| !v.is_empty())?;
    match check_text(field, v, max) {
        Ok(_) => Some(v.to_string()),
        Err(e) => {
            errors.push(e);
            None
        }
    }
}

fn range_i32(field: &str, v: Option<i32>, lo: i32, hi: i32, errors: &mut Vec<FieldError>) {
    if let Some(v) = v
        && !(lo..=hi).contains(&v)
    {
        errors.push(FieldError::new(
            field,
            "out_of_range",
            format!("{field}: {v} is out of range; expected {lo}…{hi}"),
        ));
    }
}

/// The checked values to store, derived per test type.
struct Checked {
    kind: TestType,
    result_pct: Option<f64>,
    passed: Option<bool>,
    replicates: Vec<GerminationCounts>,
    str_match_pct: Option<f64>,
    consumed: Option<f64>,
}

fn check(
    input: &NewViabilityTest,
    today: NaiveDate,
    unit: &str,
    reference_str: Option<&str>,
) -> Result<Checked, Vec<FieldError>> {
    let mut errors = Vec::new();
    let kind = match TestType::from_str(input.test_type.trim()) {
        Ok(k) => k,
        Err(e) => return Err(vec![e.to_field_error("test_type")]),
    };
    if input.tested_on > today {
        errors.push(FieldError::new(
            "tested_on",
            "in_future",
            format!("tested_on: {} is in the future", input.tested_on),
        ));
    }
    range_i32(
        "seeds_per_replicate",
        input.seeds_per_replicate,
        1,
        10_000,
        &mut errors,
    );
    range_i32("prechill_days", input.prechill_days, 0, 365, &mut errors);
    range_i32("count_days", input.count_days, 1, 365, &mut errors);
    if let Some(h) = input.light_hours
        && !(h.is_finite() && (0.0..=24.0).contains(&h))
    {
        errors.push(FieldError::new(
            "light_hours",
            "out_of_range",
            "light_hours: must be 0…24 hours a day",
        ));
    }
    if let Some(p) = input.result_pct
        && let Err(e) = validate_viability_pct("result_pct", p)
    {
        errors.push(e);
    }
    if let Some(q) = input.consumed_quantity
        && !(q.is_finite() && (0.0..=1e9).contains(&q))
    {
        errors.push(FieldError::new(
            "consumed_quantity",
            "out_of_range",
            "consumed_quantity: must be 0 or more",
        ));
    }
    for (field, v, max) in [
        ("substrate", &input.substrate, 200),
        ("temperature_regime", &input.temperature_regime, 200),
        ("method", &input.method, 200),
        ("contaminants", &input.contaminants, 500),
        ("colony_morphology", &input.colony_morphology, 500),
        ("notes", &input.notes, 2000),
    ] {
        text(field, v, max, &mut errors);
    }
    let mut c = Checked {
        kind,
        result_pct: input.result_pct,
        passed: input.passed,
        replicates: Vec::new(),
        str_match_pct: input.str_match_pct,
        consumed: input.consumed_quantity,
    };
    match kind {
        TestType::Germination => {
            let reps = input.replicates.clone().unwrap_or_default();
            match validate_replicates(&reps).and_then(|_| germination_pct(&reps)) {
                Ok(pct) => {
                    c.result_pct = Some(pct);
                    if c.consumed.is_none() && unit == Unit::Seeds.as_str() {
                        c.consumed = Some(reps.iter().map(|r| r.seeds() as f64).sum());
                    }
                }
                Err(e) => errors.push(e),
            }
            if let Some(i) = reps.iter().position(|r| {
                [r.normal, r.abnormal, r.dormant, r.dead]
                    .iter()
                    .any(|n| *n > 100_000)
            }) {
                errors.push(FieldError::new(
                    format!("replicates[{i}]"),
                    "out_of_range",
                    format!("replicates[{i}]: counts must be at most 100000 seeds"),
                ));
            }
            if reps.len() > 64 {
                errors.push(FieldError::new(
                    "replicates",
                    "too_many",
                    "replicates: at most 64 replicates",
                ));
            }
            c.replicates = reps;
        }
        TestType::Tetrazolium | TestType::PostThawViability => {
            if input.result_pct.is_none() {
                errors.push(required("result_pct"));
            }
        }
        TestType::Revival => match input.growth.as_deref().map(str::trim) {
            None | Some("") => errors.push(required("growth")),
            Some(g) => match Growth::from_str(g) {
                Ok(g) => c.passed = Some(revival_passes(g)),
                Err(e) => errors.push(e.to_field_error("growth")),
            },
        },
        TestType::Purity => match input.conforms {
            None => errors.push(required("conforms")),
            Some(conforms) => {
                c.passed = Some(purity_passes(conforms, input.contaminants.as_deref()))
            }
        },
        TestType::Mycoplasma | TestType::Sterility => {
            if input.passed.is_none() {
                errors.push(required("passed"));
            }
            if kind == TestType::Mycoplasma
                && input.method.as_deref().is_none_or(|m| m.trim().is_empty())
            {
                errors.push(required("method"));
            }
        }
        TestType::StrProfile => {
            let computed = match (input.str_markers.as_deref(), reference_str) {
                (Some(m), reference) if !m.trim().is_empty() => match StrProfile::parse(m) {
                    Ok(query) => reference
                        .and_then(|r| StrProfile::parse(r).ok())
                        .map(|r| str_match_percent(&query, &r)),
                    Err(mut e) => {
                        e.field = "str_markers".into();
                        errors.push(e);
                        None
                    }
                },
                _ => None,
            };
            if let Some(p) = input.str_match_pct
                && let Err(e) = validate_viability_pct("str_match_pct", p)
            {
                errors.push(e);
            }
            c.str_match_pct = computed.or(input.str_match_pct);
            match c.str_match_pct {
                Some(p) => c.passed = Some(str_match_passes(p)),
                None => errors.push(FieldError::new(
                    "str_markers",
                    "required",
                    "str_markers: give the markers (the accession needs a reference STR profile) or str_match_pct",
                )),
            }
        }
        TestType::Rin => match input.rin {
            Some(r) if r.is_finite() && (1.0..=10.0).contains(&r) => {}
            Some(_) => errors.push(FieldError::new("rin", "out_of_range", "rin: must be 1…10")),
            None => errors.push(required("rin")),
        },
    }
    if errors.is_empty() {
        Ok(c)
    } else {
        Err(errors)
    }
}

/// Records a test on a sample in one transaction: the test and its replicates, the quantity
/// it used up (ledger, reason `viability_test`), a `tested` custody event and audit records.
pub async fn record<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: NewViabilityTest,
    today: NaiveDate,
) -> AppResult<viability_test::Model> {
    let txn = db.begin().await?;
    let s = sample::Entity::find_by_id(input.sample_id)
        .one(&txn)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "sample_id",
                "not_found",
                format!("sample_id: no sample {}", input.sample_id),
            )
        })?;
    let reference = match accession::Entity::find_by_id(s.accession_id)
        .one(&txn)
        .await?
    {
        Some(a) if a.material_type == "cell_line" => accession_cell_line::Entity::find_by_id(a.id)
            .one(&txn)
            .await?
            .and_then(|c| c.str_profile),
        _ => None,
    };
    let c = check(&input, today, &s.unit, reference.as_deref()).map_err(AppError::Invalid)?;
    let mut errors = Vec::new();
    let t = viability_test::ActiveModel {
        sample_id: Set(s.id),
        test_type: Set(c.kind.as_str().to_string()),
        tested_on: Set(input.tested_on),
        replicates: Set((!c.replicates.is_empty()).then_some(c.replicates.len() as i32)),
        seeds_per_replicate: Set(input.seeds_per_replicate),
        substrate: Set(text("substrate", &input.substrate, 200, &mut errors)),
        temperature_regime: Set(text(
            "temperature_regime",
            &input.temperature_regime,
            200,
            &mut errors,
        )),
        light_hours: Set(input.light_hours),
        prechill_days: Set(input.prechill_days),
        count_days: Set(input.count_days),
        normal: Set(sum(&c.replicates, |r| r.normal)),
        abnormal: Set(sum(&c.replicates, |r| r.abnormal)),
        dormant: Set(sum(&c.replicates, |r| r.dormant)),
        dead: Set(sum(&c.replicates, |r| r.dead)),
        result_pct: Set(c.result_pct),
        passed: Set(c.passed),
        conclusive: Set(input.conclusive.unwrap_or(true)),
        method: Set(text("method", &input.method, 200, &mut errors)),
        details: Set(None),
        tester_id: Set(actor.user_id),
        notes: Set(text("notes", &input.notes, 2000, &mut errors)),
        created_at: Set(now()),
        growth: Set(input
            .growth
            .as_deref()
            .map(str::trim)
            .filter(|g| !g.is_empty())
            .map(str::to_string)),
        contaminants: Set(text("contaminants", &input.contaminants, 500, &mut errors)),
        colony_morphology: Set(text(
            "colony_morphology",
            &input.colony_morphology,
            500,
            &mut errors,
        )),
        conforms: Set(input.conforms),
        str_markers: Set(input
            .str_markers
            .as_deref()
            .map(str::trim)
            .filter(|m| !m.is_empty())
            .map(str::to_string)),
        str_match_pct: Set(c.str_match_pct),
        rin: Set(input.rin),
        consumed_quantity: Set(c.consumed),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    audit::record(
        &txn,
        actor,
        "create",
        "viability_tests",
        t.id,
        None,
        audit::snapshot(&t),
    )
    .await?;
    for (i, r) in c.replicates.iter().enumerate() {
        let rep = entities::viability_test_replicate::ActiveModel {
            viability_test_id: Set(t.id),
            replicate_no: Set(i as i32 + 1),
            normal: Set(r.normal as i32),
            abnormal: Set(r.abnormal as i32),
            dormant: Set(r.dormant as i32),
            dead: Set(r.dead as i32),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            actor,
            "create",
            "viability_test_replicates",
            rep.id,
            None,
            audit::snapshot(&rep),
        )
        .await?;
    }
    if let Some(q) = c.consumed.filter(|q| *q > 0.0) {
        ledger::post(
            &txn,
            actor,
            Movement {
                sample_id: s.id,
                delta: -q,
                reason: LedgerReason::ViabilityTest,
                request_id: None,
                viability_test_id: Some(t.id),
                note: Some(c.kind.as_str()),
            },
        )
        .await
        .map_err(|e| match e {
            AppError::Conflict { message, .. } => AppError::Conflict {
                field: Some("consumed_quantity".into()),
                message: format!("consumed_{message}"),
            },
            other => other,
        })?;
    }
    let note = format!(
        "{}{}",
        c.kind.as_str(),
        c.result_pct
            .map(|p| format!(" {p:.1} %"))
            .unwrap_or_default()
    );
    events::record(&txn, actor, s.id, SampleEvent::new("tested", Some(note))).await?;
    txn.commit().await?;
    Ok(t)
}

fn sum(reps: &[GerminationCounts], f: impl Fn(&GerminationCounts) -> u32) -> Option<i32> {
    (!reps.is_empty()).then(|| {
        reps.iter()
            .map(|r| f(r) as i64)
            .sum::<i64>()
            .min(i32::MAX as i64) as i32
    })
}
