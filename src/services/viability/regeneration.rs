//! Regeneration and re-banking: the new generation (seeds harvested from a regeneration plot)
//! or the new batch (ampoules or vials banked from a revived culture) becomes a child sample of
//! the flagged lot, with its quantity posted to the ledger as `regeneration`.

use sea_orm::{ConnectionTrait, EntityTrait, Set, TransactionSession, TransactionTrait};
use serde::Deserialize;

use entities::sample;

use super::super::ledger::{self, Movement};
use super::super::samples::insert_with_label_code;
use super::super::{Actor, audit, now};
use crate::domain::FieldError;
use crate::domain::material::{LedgerReason, SampleStatus};
use crate::error::{AppError, AppResult};
use crate::services::events::{self, SampleEvent};

/// The new generation or batch.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewGeneration {
    /// Seeds harvested or ampoules/vials banked, in the parent's unit.
    pub quantity: f64,
    /// YYYY-MM-DD; the new lot's banking date (its initial test is due within a year).
    pub banked_on: chrono::NaiveDate,
    pub moisture_pct: Option<f64>,
    /// Defaults to the parent's purpose.
    pub conservation_purpose: Option<String>,
    pub notes: Option<String>,
}

/// Records a regeneration or re-banking as a child sample of `parent_id`, in one transaction.
pub async fn record_generation<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    parent_id: i64,
    input: NewGeneration,
) -> AppResult<sample::Model> {
    let mut errors = Vec::new();
    if !(input.quantity.is_finite() && input.quantity > 0.0 && input.quantity <= 1e9) {
        errors.push(FieldError::new(
            "quantity",
            "out_of_range",
            "quantity: must be a number above zero",
        ));
    }
    if let Some(m) = input.moisture_pct
        && !(m.is_finite() && m > 0.0 && m < 100.0)
    {
        errors.push(FieldError::new(
            "moisture_pct",
            "out_of_range",
            "moisture_pct: must be between 0 and 100",
        ));
    }
    if input.banked_on > chrono::Utc::now().date_naive() {
        errors.push(FieldError::new(
            "banked_on",
            "in_future",
            "banked_on: is in the future",
        ));
    }
    if let Some(p) = &input.conservation_purpose
        && let Err(e) = p.parse::<crate::domain::material::ConservationPurpose>()
    {
        errors.push(e.to_field_error("conservation_purpose"));
    }
    if let Some(n) = &input.notes
        && let Err(e) = crate::domain::text::check_text("notes", n, 2000)
    {
        errors.push(e);
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let txn = db.begin().await?;
    let parent = sample::Entity::find_by_id(parent_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let stamp = now();
    let is_culture = matches!(parent.form.as_str(), "ampoule" | "vial" | "straw");
    let child = insert_with_label_code(
        &txn,
        sample::ActiveModel {
            accession_id: Set(parent.accession_id),
            parent_sample_id: Set(Some(parent.id)),
            generation: Set(if is_culture {
                parent.generation
            } else {
                Some(parent.generation.unwrap_or(0) + 1)
            }),
            passage: Set(if is_culture {
                parent.passage.map(|p| p + 1)
            } else {
                parent.passage
            }),
            form: Set(parent.form.clone()),
            quantity: Set(0.0),
            reserved_quantity: Set(0.0),
            unit: Set(parent.unit.clone()),
            conservation_purpose: Set(input
                .conservation_purpose
                .clone()
                .unwrap_or_else(|| parent.conservation_purpose.clone())),
            status: Set(SampleStatus::Available.as_str().to_string()),
            freeze_thaw_count: Set(0),
            moisture_pct: Set(input.moisture_pct),
            banked_on: Set(Some(input.banked_on)),
            notes: Set(input
                .notes
                .as_deref()
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(str::to_string)),
            created_by: Set(actor.user_id),
            created_at: Set(stamp),
            updated_at: Set(stamp),
            ..Default::default()
        },
    )
    .await?;
    audit::record(
        &txn,
        actor,
        "create",
        "samples",
        child.id,
        None,
        audit::snapshot(&child),
    )
    .await?;
    ledger::post(
        &txn,
        actor,
        Movement {
            sample_id: child.id,
            delta: input.quantity,
            reason: LedgerReason::Regeneration,
            request_id: None,
            viability_test_id: None,
            note: Some(if is_culture {
                "rebanked"
            } else {
                "regenerated"
            }),
        },
    )
    .await?;
    for (sample_id, kind, note) in [
        (child.id, "created", format!("from {}", parent.label_code)),
        (
            parent.id,
            if is_culture {
                "rebanked"
            } else {
                "regenerated"
            },
            format!("new lot {}", child.label_code),
        ),
    ] {
        events::record(&txn, actor, sample_id, SampleEvent::new(kind, Some(note))).await?;
    }
    let child = sample::Entity::find_by_id(child.id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    txn.commit().await?;
    Ok(child)
}
