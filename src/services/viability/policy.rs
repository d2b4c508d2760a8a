//! Monitoring policies per material type and conservation purpose: built-in defaults from the
//! FAO Genebank Standards and culture-collection practice, overridden by rows admins save.

use std::collections::HashMap;
use std::str::FromStr;

use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};
use serde::{Deserialize, Serialize};

use entities::viability_policy;

use super::super::{Actor, audit, now};
use crate::domain::FieldError;
use crate::domain::material::{ConservationPurpose, MaterialType};
use crate::domain::quality::TestType;
use crate::domain::viability::{
    ACTIVE_POLICY_INTERVAL_DAYS, BASE_POLICY_INTERVAL_DAYS, DEFAULT_THRESHOLD_FRACTION,
    MAX_INTERVAL_DAYS,
};
use crate::error::{AppError, AppResult};

/// The conservation-purpose key of a row that applies to every purpose.
pub const ANY_PURPOSE: &str = "any";

/// The rules one kind of lot is monitored by.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Policy {
    pub material_type: String,
    /// A conservation purpose, or `any`.
    pub conservation_purpose: String,
    /// Longest interval between monitoring tests (days); caps the predicted interval.
    pub interval_days: i64,
    /// Regenerate below this fraction of initial viability (0.85).
    pub threshold_fraction: f64,
    /// Storage temperature assumed when the lot's storage unit has none (°C).
    pub default_temperature_c: Option<f64>,
    /// Regenerate when fewer remain.
    pub min_regeneration_qty: Option<f64>,
    /// Do not distribute from a lot holding fewer.
    pub min_distribution_qty: Option<f64>,
    /// A safety duplicate should hold at least this much.
    pub min_safety_duplicate_qty: Option<f64>,
    /// Re-bank an ampoule or vial batch when fewer remain.
    pub rebank_below_qty: Option<f64>,
    /// Test types every new batch needs.
    pub required_batch_tests: Vec<String>,
    /// True when an admin saved this policy; false for the built-in default.
    pub customised: bool,
}

fn builtin(material: MaterialType, purpose: &str) -> Policy {
    let mut p = Policy {
        material_type: material.as_str().into(),
        conservation_purpose: purpose.into(),
        interval_days: BASE_POLICY_INTERVAL_DAYS,
        threshold_fraction: DEFAULT_THRESHOLD_FRACTION,
        default_temperature_c: None,
        min_regeneration_qty: None,
        min_distribution_qty: None,
        min_safety_duplicate_qty: None,
        rebank_below_qty: None,
        required_batch_tests: Vec::new(),
        customised: false,
    };
    match (material, purpose) {
        (MaterialType::Seed, "base" | "safety_duplicate") => {
            p.default_temperature_c = Some(-18.0);
            p.min_regeneration_qty = Some(1500.0);
            p.min_distribution_qty = Some(3000.0);
            p.min_safety_duplicate_qty = Some(1500.0);
        }
        (MaterialType::Seed, _) => {
            p.interval_days = ACTIVE_POLICY_INTERVAL_DAYS;
            p.default_temperature_c = Some(5.0);
        }
        (MaterialType::Strain, _) => {
            p.interval_days = ACTIVE_POLICY_INTERVAL_DAYS;
            p.rebank_below_qty = Some(10.0);
            p.required_batch_tests = vec!["revival".into(), "purity".into()];
        }
        (MaterialType::CellLine, _) => {
            p.interval_days = ACTIVE_POLICY_INTERVAL_DAYS;
            p.rebank_below_qty = Some(10.0);
            p.required_batch_tests = vec![
                "post_thaw_viability".into(),
                "mycoplasma".into(),
                "str_profile".into(),
            ];
        }
        _ => {}
    }
    p
}

/// The (material type, purpose) pairs the policies page lists.
pub fn policy_keys() -> Vec<(MaterialType, &'static str)> {
    let mut keys = Vec::new();
    for m in MaterialType::ALL {
        if *m == MaterialType::Seed {
            for c in ConservationPurpose::ALL {
                keys.push((*m, c.as_str()));
            }
        } else {
            keys.push((*m, ANY_PURPOSE));
        }
    }
    keys
}

fn from_row(r: &viability_policy::Model) -> Policy {
    Policy {
        material_type: r.material_type.clone(),
        conservation_purpose: r.conservation_purpose.clone(),
        interval_days: r.interval_days,
        threshold_fraction: r.threshold_fraction,
        default_temperature_c: r.default_temperature_c,
        min_regeneration_qty: r.min_regeneration_qty,
        min_distribution_qty: r.min_distribution_qty,
        min_safety_duplicate_qty: r.min_safety_duplicate_qty,
        rebank_below_qty: r.rebank_below_qty,
        required_batch_tests: r
            .required_batch_tests
            .as_deref()
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        customised: true,
    }
}

/// Every saved policy, loaded once so that many lots can be scheduled without more queries.
#[derive(Debug, Clone, Default)]
pub struct Policies {
    saved: HashMap<(String, String), Policy>,
}

impl Policies {
    /// Loads the saved rows.
    pub async fn load<C: ConnectionTrait>(conn: &C) -> AppResult<Policies> {
        let saved = viability_policy::Entity::find()
            .all(conn)
            .await?
            .iter()
            .map(|r| {
                (
                    (r.material_type.clone(), r.conservation_purpose.clone()),
                    from_row(r),
                )
            })
            .collect();
        Ok(Policies { saved })
    }

    /// The policy for a lot: the saved row for its type and purpose, else for its type and any
    /// purpose, else the built-in default.
    pub fn for_lot(&self, material_type: &str, purpose: &str) -> Policy {
        for key in [purpose, ANY_PURPOSE] {
            if let Some(p) = self
                .saved
                .get(&(material_type.to_string(), key.to_string()))
            {
                return p.clone();
            }
        }
        let material = MaterialType::from_str(material_type).unwrap_or(MaterialType::Seed);
        let key = if material == MaterialType::Seed {
            purpose
        } else {
            ANY_PURPOSE
        };
        builtin(material, key)
    }

    /// The policies page's rows: each key's effective policy.
    pub fn listed(&self) -> Vec<Policy> {
        policy_keys()
            .into_iter()
            .map(
                |(m, p)| match self.saved.get(&(m.as_str().into(), p.into())) {
                    Some(saved) => saved.clone(),
                    None => builtin(m, p),
                },
            )
            .collect()
    }
}

fn check(p: &Policy) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if MaterialType::from_str(&p.material_type).is_err() {
        errors.push(FieldError::new(
            "material_type",
            "invalid_code",
            format!(
                "material_type: '{}' is not a material type",
                p.material_type
            ),
        ));
    }
    if p.conservation_purpose != ANY_PURPOSE
        && let Err(e) = ConservationPurpose::from_str(&p.conservation_purpose)
    {
        errors.push(e.to_field_error("conservation_purpose"));
    }
    if !(1..=MAX_INTERVAL_DAYS).contains(&p.interval_days) {
        errors.push(FieldError::new(
            "interval_days",
            "out_of_range",
            format!("interval_days: must be 1…{MAX_INTERVAL_DAYS} (40 years)"),
        ));
    }
    if !(p.threshold_fraction.is_finite()
        && p.threshold_fraction > 0.0
        && p.threshold_fraction <= 1.0)
    {
        errors.push(FieldError::new(
            "threshold_fraction",
            "out_of_range",
            "threshold_fraction: must be above 0 and at most 1 (0.85 = 85 % of initial)",
        ));
    }
    if let Some(t) = p.default_temperature_c
        && !(t.is_finite() && (-200.0..=60.0).contains(&t))
    {
        errors.push(FieldError::new(
            "default_temperature_c",
            "out_of_range",
            "default_temperature_c: must be −200…60 °C",
        ));
    }
    for (name, v) in [
        ("min_regeneration_qty", p.min_regeneration_qty),
        ("min_distribution_qty", p.min_distribution_qty),
        ("min_safety_duplicate_qty", p.min_safety_duplicate_qty),
        ("rebank_below_qty", p.rebank_below_qty),
    ] {
        if let Some(v) = v
            && !(v.is_finite() && (0.0..=1e9).contains(&v))
        {
            errors.push(FieldError::new(
                name,
                "out_of_range",
                format!("{name}: must be a quantity of 0 or more"),
            ));
        }
    }
    for t in &p.required_batch_tests {
        if let Err(e) = TestType::from_str(t) {
            errors.push(e.to_field_error("required_batch_tests"));
        }
    }
    errors
}

/// Saves (creates or replaces) the policy for one material type and purpose; admins only.
pub async fn save<C: ConnectionTrait>(conn: &C, actor: &Actor, p: Policy) -> AppResult<Policy> {
    let errors = check(&p);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let existing = viability_policy::Entity::find()
        .filter(viability_policy::Column::MaterialType.eq(&p.material_type))
        .filter(viability_policy::Column::ConservationPurpose.eq(&p.conservation_purpose))
        .one(conn)
        .await?;
    let tests = (!p.required_batch_tests.is_empty()).then(|| p.required_batch_tests.join(","));
    let mut am = viability_policy::ActiveModel {
        material_type: Set(p.material_type.clone()),
        conservation_purpose: Set(p.conservation_purpose.clone()),
        interval_days: Set(p.interval_days),
        threshold_fraction: Set(p.threshold_fraction),
        default_temperature_c: Set(p.default_temperature_c),
        min_regeneration_qty: Set(p.min_regeneration_qty),
        min_distribution_qty: Set(p.min_distribution_qty),
        min_safety_duplicate_qty: Set(p.min_safety_duplicate_qty),
        rebank_below_qty: Set(p.rebank_below_qty),
        required_batch_tests: Set(tests),
        updated_by: Set(actor.user_id),
        updated_at: Set(now()),
        ..Default::default()
    };
    let before = existing.as_ref().and_then(audit::snapshot);
    let saved = match &existing {
        Some(row) => {
            am.id = Set(row.id);
            am.update(conn).await?
        }
        None => am.insert(conn).await?,
    };
    audit::record(
        conn,
        actor,
        if existing.is_some() {
            "update"
        } else {
            "create"
        },
        "viability_policies",
        saved.id,
        before,
        audit::snapshot(&saved),
    )
    .await?;
    Ok(from_row(&saved))
}
