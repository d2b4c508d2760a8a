//! Samples: the physical units under an accession, each with its own label code.

use std::str::FromStr;

use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use entities::{accession, sample};

use super::events::{self, SampleEvent};
use super::ledger::{self, Movement};
use super::{Actor, audit, now};
use crate::domain::FieldError;
use crate::domain::label_code::LabelCode;
use crate::domain::material::{
    AccessionStatus, ConservationPurpose, LedgerReason, SampleForm, SampleStatus, Unit,
};
use crate::error::{AppError, AppResult, is_unique_violation};

/// What a curator gives to add a sample.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewSample {
    /// seed_packet, vial, ampoule, straw, tube, plate, plant or bag.
    pub form: String,
    /// Initial quantity (posted to the ledger as its first entry).
    pub quantity: f64,
    /// seeds, g, mg, vials, ampoules, straws, tubes, mL, uL, plants or plates.
    pub unit: String,
    /// base, active, safety_duplicate or working.
    pub conservation_purpose: String,
    pub generation: Option<i32>,
    pub passage: Option<i32>,
    pub moisture_pct: Option<f64>,
    /// Banking date, YYYY-MM-DD.
    pub banked_on: Option<chrono::NaiveDate>,
    pub notes: Option<String>,
}

fn check(input: &NewSample) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if let Err(e) = SampleForm::from_str(input.form.trim()) {
        errors.push(e.to_field_error("form"));
    }
    if let Err(e) = Unit::from_str(input.unit.trim()) {
        errors.push(e.to_field_error("unit"));
    }
    if let Err(e) = ConservationPurpose::from_str(input.conservation_purpose.trim()) {
        errors.push(e.to_field_error("conservation_purpose"));
    }
    if !input.quantity.is_finite() || input.quantity <= 0.0 || input.quantity > 1e9 {
        errors.push(FieldError::new(
            "quantity",
            "out_of_range",
            "quantity: must be a number above zero",
        ));
    }
    if let Some(g) = input.generation
        && !(0..=1000).contains(&g)
    {
        errors.push(FieldError::new(
            "generation",
            "out_of_range",
            "generation: must be 0…1000",
        ));
    }
    if let Some(p) = input.passage
        && !(0..=1000).contains(&p)
    {
        errors.push(FieldError::new(
            "passage",
            "out_of_range",
            "passage: must be 0…1000",
        ));
    }
    if let Some(m) = input.moisture_pct
        && !(m.is_finite() && (0.0..=100.0).contains(&m))
    {
        errors.push(FieldError::new(
            "moisture_pct",
            "out_of_range",
            "moisture_pct: must be 0…100",
        ));
    }
    if let Some(n) = &input.notes
        && let Err(e) = crate::domain::text::check_text("notes", n, 2000)
    {
        errors.push(e);
    }
    errors
}

/// Adds a sample under an accession: label code, initial ledger entry, custody event, audit.
pub async fn add_sample<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    accession_id: i64,
    input: NewSample,
) -> AppResult<sample::Model> {
    let errors = check(&input);
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let txn = db.begin().await?;
    let acc = accession::Entity::find_by_id(accession_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if acc.status == AccessionStatus::Deaccessioned.as_str() {
        return Err(AppError::conflict(
            "accession",
            "this accession is deaccessioned; no new samples can be added",
        ));
    }
    let stamp = now();
    let s = insert_with_label_code(
        &txn,
        sample::ActiveModel {
            accession_id: Set(accession_id),
            generation: Set(input.generation),
            passage: Set(input.passage),
            form: Set(input.form.trim().to_string()),
            quantity: Set(0.0),
            reserved_quantity: Set(0.0),
            unit: Set(input.unit.trim().to_string()),
            conservation_purpose: Set(input.conservation_purpose.trim().to_string()),
            status: Set(SampleStatus::Available.as_str().to_string()),
            freeze_thaw_count: Set(0),
            moisture_pct: Set(input.moisture_pct),
            banked_on: Set(input.banked_on),
            notes: Set(input
                .notes
                .clone()
                .map(|n| n.trim().to_string())
                .filter(|n| !n.is_empty())),
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
        s.id,
        None,
        audit::snapshot(&s),
    )
    .await?;
    ledger::post(
        &txn,
        actor,
        Movement {
            sample_id: s.id,
            delta: input.quantity,
            reason: LedgerReason::Initial,
            request_id: None,
            viability_test_id: None,
            note: None,
        },
    )
    .await?;
    events::record(&txn, actor, s.id, SampleEvent::new("created", None)).await?;
    let s = sample::Entity::find_by_id(s.id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    txn.commit().await?;
    Ok(s)
}

/// Inserts a sample with a fresh random label code; a 40-bit code collides rarely, so a few
/// retries (each in its own savepoint) are enough.
pub async fn insert_with_label_code<C: ConnectionTrait + TransactionTrait>(
    txn: &C,
    am: sample::ActiveModel,
) -> AppResult<sample::Model> {
    for _ in 0..5 {
        let mut am = am.clone();
        am.label_code = Set(LabelCode::generate(&mut rand::rng()).as_str().to_string());
        let sp = txn.begin().await?;
        match am.insert(&sp).await {
            Ok(m) => {
                sp.commit().await?;
                return Ok(m);
            }
            Err(e) if is_unique_violation(&e) => sp.rollback().await?,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal(
        "could not allocate a unique label code".into(),
    ))
}

/// A sample as lists and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct SampleView {
    pub id: i64,
    pub accession_id: i64,
    /// Hyphenated label code, as printed.
    pub label_code: String,
    pub parent_sample_id: Option<i64>,
    pub form: String,
    pub quantity: f64,
    pub reserved_quantity: f64,
    pub unit: String,
    pub conservation_purpose: String,
    pub status: String,
    pub generation: Option<i32>,
    pub passage: Option<i32>,
    pub storage_unit_id: Option<i64>,
    pub position: Option<String>,
    pub freeze_thaw_count: i32,
    pub moisture_pct: Option<f64>,
    pub banked_on: Option<chrono::NaiveDate>,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<sample::Model> for SampleView {
    fn from(s: sample::Model) -> Self {
        let label_code = LabelCode::parse(&s.label_code)
            .map(|c| c.display())
            .unwrap_or(s.label_code);
        SampleView {
            id: s.id,
            accession_id: s.accession_id,
            label_code,
            parent_sample_id: s.parent_sample_id,
            form: s.form,
            quantity: s.quantity,
            reserved_quantity: s.reserved_quantity,
            unit: s.unit,
            conservation_purpose: s.conservation_purpose,
            status: s.status,
            generation: s.generation,
            passage: s.passage,
            storage_unit_id: s.storage_unit_id,
            position: s.position,
            freeze_thaw_count: s.freeze_thaw_count,
            moisture_pct: s.moisture_pct,
            banked_on: s.banked_on,
            created_at: s.created_at,
        }
    }
}

/// The samples of an accession, oldest first.
pub async fn for_accession<C: ConnectionTrait>(
    conn: &C,
    accession_id: i64,
) -> AppResult<Vec<SampleView>> {
    Ok(sample::Entity::find()
        .filter(sample::Column::AccessionId.eq(accession_id))
        .order_by_asc(sample::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(SampleView::from)
        .collect())
}

/// One sample by id.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<sample::Model> {
    sample::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// One sample by its label code (typed, scanned or the label URL).
pub async fn find_by_label<C: ConnectionTrait>(conn: &C, input: &str) -> AppResult<sample::Model> {
    let code =
        LabelCode::parse(input).map_err(|e| AppError::Invalid(vec![e.to_field_error("code")]))?;
    sample::Entity::find()
        .filter(sample::Column::LabelCode.eq(code.as_str()))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}
