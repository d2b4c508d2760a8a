//! Chain of custody: store, move, check out and in, aliquot, thaw and freeze, discard. Each
//! writes a sample event and an audit record in one transaction, and changes quantities only
//! through the ledger. The unique (storage_unit_id, position) index is the last word on double
//! occupancy, so two people storing into one position at once get one success and one 409.

use std::str::FromStr;

use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use entities::{sample, sample_event, storage_unit};

use super::events::{self, SampleEvent};
use super::ledger::{self, Movement};
use super::samples::{self, SampleView, insert_with_label_code};
use super::storage::{self, Crumb, unit_layout};
use super::{Actor, audit, now};
use crate::domain::FieldError;
use crate::domain::label_code::LabelCode;
use crate::domain::material::{LedgerReason, SampleForm, SampleStatus};
use crate::domain::storage::{Layout, StorageKind, available_actions};
use crate::error::{AppError, AppResult, is_unique_violation};

/// Where to put a sample: a box and, in a grid box, a position.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PlaceInput {
    pub storage_unit_id: i64,
    /// Position label in the box (A1, 81, …); leave out for bags, bins and drawers.
    pub position: Option<String>,
    pub note: Option<String>,
}

/// Taking a sample out of storage for a while; its position stays held for it.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CheckOutInput {
    /// Why it leaves storage (e.g. "thaw for passage").
    pub reason: String,
    /// Who takes it, when not the person recording it.
    pub taken_by: Option<String>,
    /// When it should be back, YYYY-MM-DD.
    pub due_back_on: Option<chrono::NaiveDate>,
}

/// A note for actions that need nothing else (check-in, thaw, freeze).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NoteInput {
    pub note: Option<String>,
}

/// Splitting a sample into children, each with its own label.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AliquotInput {
    /// Number of children, 1…500.
    pub count: u32,
    /// Quantity each child receives, in the parent's unit.
    pub quantity_each: f64,
    /// Container of the children; the parent's when absent.
    pub form: Option<String>,
    /// A box to put the children in, at its first free positions.
    pub storage_unit_id: Option<i64>,
    pub note: Option<String>,
}

/// Discarding a sample: its remaining quantity leaves the ledger and its position is freed.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DiscardInput {
    pub reason: String,
}

fn check_note(field: &str, v: Option<&str>, required: bool) -> Result<Option<String>, AppError> {
    let v = v.map(str::trim).filter(|v| !v.is_empty());
    match v {
        None if required => Err(AppError::invalid(
            field,
            "required",
            format!("{field}: is required"),
        )),
        None => Ok(None),
        Some(v) => Ok(Some(crate::domain::text::check_text(field, v, 1000)?)),
    }
}

async fn lock_sample<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<sample::Model> {
    samples::get(conn, id).await
}

fn status_of(s: &sample::Model) -> SampleStatus {
    SampleStatus::from_str(&s.status).unwrap_or(SampleStatus::Available)
}

fn refuse(s: &sample::Model, what: &str) -> AppError {
    AppError::conflict(
        "status",
        format!(
            "this sample is {} and cannot be {what}",
            status_of(s).label().to_lowercase()
        ),
    )
}

/// The box a sample is to go into; refuses a unit that is not a box.
async fn box_unit<C: ConnectionTrait>(conn: &C, unit_id: i64) -> AppResult<storage_unit::Model> {
    let unit = storage_unit::Entity::find_by_id(unit_id)
        .one(conn)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "storage_unit_id",
                "not_found",
                format!("storage_unit_id: no storage unit {unit_id}"),
            )
        })?;
    if unit.kind != StorageKind::Box.as_str() {
        return Err(AppError::invalid(
            "storage_unit_id",
            "not_a_box",
            format!(
                "storage_unit_id: {} is a {}; samples go into boxes",
                unit.name, unit.kind
            ),
        ));
    }
    Ok(unit)
}

/// Checks a target box and turns the typed position into its canonical label.
async fn target<C: ConnectionTrait>(
    conn: &C,
    unit_id: i64,
    position: Option<&str>,
) -> AppResult<(storage_unit::Model, Option<String>)> {
    let unit = box_unit(conn, unit_id).await?;
    let position = position.map(str::trim).filter(|p| !p.is_empty());
    let pos = match unit_layout(&unit) {
        Layout::Grid(g) => Some(
            g.canonical(position.unwrap_or(""))
                .map_err(|e| AppError::Invalid(vec![e.to_field_error()]))?,
        ),
        Layout::Free { capacity } => {
            if let Some(p) = position {
                return Err(AppError::invalid(
                    "position",
                    "not_applicable",
                    format!("position: {} has no positions; leave '{p}' out", unit.name),
                ));
            }
            if let Some(cap) = capacity {
                let used = sample::Entity::find()
                    .filter(sample::Column::StorageUnitId.eq(unit.id))
                    .count(conn)
                    .await?;
                if used >= u64::from(cap) {
                    return Err(AppError::conflict(
                        "storage_unit_id",
                        format!("storage_unit_id: {} is full ({cap} samples)", unit.name),
                    ));
                }
            }
            None
        }
    };
    Ok((unit, pos))
}

fn taken(unit: &storage_unit::Model, pos: &Option<String>) -> AppError {
    AppError::conflict(
        "position",
        format!(
            "position: {} in {} is already taken by another sample",
            pos.as_deref().unwrap_or(""),
            unit.name
        ),
    )
}

/// Sets a sample's place with one conditional UPDATE (the sample must still be where the
/// caller saw it), mapping the unique index's refusal to a 409 on `position`.
async fn set_place<C: ConnectionTrait>(
    conn: &C,
    before: &sample::Model,
    unit: &storage_unit::Model,
    pos: &Option<String>,
) -> AppResult<()> {
    let mut q = sample::Entity::update_many()
        .col_expr(sample::Column::StorageUnitId, Expr::value(Some(unit.id)))
        .col_expr(sample::Column::Position, Expr::value(pos.clone()))
        .col_expr(sample::Column::UpdatedAt, Expr::value(now()))
        .filter(sample::Column::Id.eq(before.id))
        .filter(sample::Column::Status.eq(before.status.clone()));
    q = match before.storage_unit_id {
        Some(u) => q.filter(sample::Column::StorageUnitId.eq(u)),
        None => q.filter(sample::Column::StorageUnitId.is_null()),
    };
    match q.exec(conn).await {
        Ok(r) if r.rows_affected == 1 => Ok(()),
        Ok(_) => Err(AppError::conflict(
            "sample",
            "this sample was changed by someone else at the same time; look again and retry",
        )),
        Err(e) if is_unique_violation(&e) => Err(taken(unit, pos)),
        Err(e) => Err(e.into()),
    }
}

/// Audits a sample's change and returns it as it is now.
async fn audited<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    action: &str,
    before: &sample::Model,
) -> AppResult<sample::Model> {
    let after = samples::get(conn, before.id).await?;
    audit::record(
        conn,
        actor,
        action,
        "samples",
        before.id,
        audit::snapshot(before),
        audit::snapshot(&after),
    )
    .await?;
    Ok(after)
}

/// Puts a sample that is in no box into one.
pub async fn store<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    sample_id: i64,
    input: PlaceInput,
) -> AppResult<sample::Model> {
    let note = check_note("note", input.note.as_deref(), false)?;
    let txn = db.begin().await?;
    let s = lock_sample(&txn, sample_id).await?;
    if !matches!(
        status_of(&s),
        SampleStatus::Available | SampleStatus::Reserved
    ) {
        return Err(refuse(&s, "stored"));
    }
    if s.storage_unit_id.is_some() {
        return Err(AppError::conflict(
            "sample",
            "this sample is already stored; move it instead",
        ));
    }
    let (unit, pos) = target(&txn, input.storage_unit_id, input.position.as_deref()).await?;
    set_place(&txn, &s, &unit, &pos).await?;
    let mut ev = SampleEvent::new("stored", note);
    ev.to = (Some(unit.id), pos);
    events::record(&txn, actor, s.id, ev).await?;
    let after = audited(&txn, actor, "store", &s).await?;
    txn.commit().await?;
    Ok(after)
}

/// Moves a stored sample to another box or position.
pub async fn move_sample<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    sample_id: i64,
    input: PlaceInput,
) -> AppResult<sample::Model> {
    let note = check_note("note", input.note.as_deref(), false)?;
    let txn = db.begin().await?;
    let s = lock_sample(&txn, sample_id).await?;
    if status_of(&s) == SampleStatus::CheckedOut {
        return Err(AppError::conflict(
            "status",
            "this sample is checked out; check it in before moving it",
        ));
    }
    if !matches!(
        status_of(&s),
        SampleStatus::Available | SampleStatus::Reserved
    ) {
        return Err(refuse(&s, "moved"));
    }
    if s.storage_unit_id.is_none() {
        return Err(AppError::conflict(
            "sample",
            "this sample is not stored yet; store it instead",
        ));
    }
    let (unit, pos) = target(&txn, input.storage_unit_id, input.position.as_deref()).await?;
    if s.storage_unit_id == Some(unit.id) && s.position == pos {
        return Err(AppError::invalid(
            "position",
            "unchanged",
            "position: the sample is already there",
        ));
    }
    set_place(&txn, &s, &unit, &pos).await?;
    let mut ev = SampleEvent::new("moved", note);
    ev.from = (s.storage_unit_id, s.position.clone());
    ev.to = (Some(unit.id), pos);
    events::record(&txn, actor, s.id, ev).await?;
    let after = audited(&txn, actor, "move", &s).await?;
    txn.commit().await?;
    Ok(after)
}

/// Takes a sample out of its place (discarded, or not found where the records put it).
fn clear_place(q: sea_orm::UpdateMany<sample::Entity>) -> sea_orm::UpdateMany<sample::Entity> {
    q.col_expr(
        sample::Column::StorageUnitId,
        Expr::value(Option::<i64>::None),
    )
    .col_expr(
        sample::Column::Position,
        Expr::value(Option::<String>::None),
    )
}

/// Puts a sample at a place: stores it when it is in no box, moves it otherwise (a scan at the
/// box map or a stock-take correction does not care which).
pub async fn place<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    sample_id: i64,
    input: PlaceInput,
) -> AppResult<sample::Model> {
    if samples::get(db, sample_id).await?.storage_unit_id.is_some() {
        move_sample(db, actor, sample_id, input).await
    } else {
        store(db, actor, sample_id, input).await
    }
}

/// Changes a sample's status with a conditional UPDATE, refusing when someone else changed it.
async fn set_status<C: ConnectionTrait>(
    conn: &C,
    s: &sample::Model,
    status: SampleStatus,
    extra: impl FnOnce(sea_orm::UpdateMany<sample::Entity>) -> sea_orm::UpdateMany<sample::Entity>,
) -> AppResult<()> {
    let q = sample::Entity::update_many()
        .col_expr(sample::Column::Status, Expr::value(status.as_str()))
        .col_expr(sample::Column::UpdatedAt, Expr::value(now()))
        .filter(sample::Column::Id.eq(s.id))
        .filter(sample::Column::Status.eq(s.status.clone()));
    let r = extra(q).exec(conn).await?;
    if r.rows_affected == 1 {
        Ok(())
    } else {
        Err(AppError::conflict(
            "sample",
            "this sample was changed by someone else at the same time; look again and retry",
        ))
    }
}

/// Checks a sample out; its position stays held until it is checked in.
pub async fn check_out<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    sample_id: i64,
    input: CheckOutInput,
) -> AppResult<sample::Model> {
    let reason = check_note("reason", Some(&input.reason), true)?.unwrap_or_default();
    let taken_by = check_note("taken_by", input.taken_by.as_deref(), false)?;
    if let Some(d) = input.due_back_on
        && d < now().date_naive()
    {
        return Err(AppError::invalid(
            "due_back_on",
            "out_of_range",
            "due_back_on: must not be in the past",
        ));
    }
    let txn = db.begin().await?;
    let s = lock_sample(&txn, sample_id).await?;
    if !matches!(
        status_of(&s),
        SampleStatus::Available | SampleStatus::Reserved
    ) {
        return Err(refuse(&s, "checked out"));
    }
    set_status(&txn, &s, SampleStatus::CheckedOut, |q| q).await?;
    let note = match taken_by {
        Some(who) => format!("{reason} — {who}"),
        None => reason,
    };
    let mut ev = SampleEvent::new("checked_out", Some(note));
    ev.from = (s.storage_unit_id, s.position.clone());
    ev.due_back_at = input
        .due_back_on
        .and_then(|d| d.and_hms_opt(17, 0, 0))
        .map(|t| t.and_utc());
    events::record(&txn, actor, s.id, ev).await?;
    let after = audited(&txn, actor, "check_out", &s).await?;
    txn.commit().await?;
    Ok(after)
}

/// Returns a checked-out sample to its held position.
pub async fn check_in<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    sample_id: i64,
    input: NoteInput,
) -> AppResult<sample::Model> {
    let note = check_note("note", input.note.as_deref(), false)?;
    let txn = db.begin().await?;
    let s = lock_sample(&txn, sample_id).await?;
    if status_of(&s) != SampleStatus::CheckedOut {
        return Err(AppError::conflict(
            "status",
            "this sample is not checked out",
        ));
    }
    let back = if s.reserved_quantity > 0.0 {
        SampleStatus::Reserved
    } else {
        SampleStatus::Available
    };
    set_status(&txn, &s, back, |q| q).await?;
    let mut ev = SampleEvent::new("checked_in", note);
    ev.to = (s.storage_unit_id, s.position.clone());
    events::record(&txn, actor, s.id, ev).await?;
    let after = audited(&txn, actor, "check_in", &s).await?;
    txn.commit().await?;
    Ok(after)
}

/// Records a thaw (counted in the freeze–thaw count) or a freeze.
pub async fn thaw_or_freeze<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    sample_id: i64,
    thaw: bool,
    input: NoteInput,
) -> AppResult<sample::Model> {
    let note = check_note("note", input.note.as_deref(), false)?;
    let txn = db.begin().await?;
    let s = lock_sample(&txn, sample_id).await?;
    if available_actions(&s.status, s.storage_unit_id.is_some()).is_empty() {
        return Err(refuse(&s, if thaw { "thawed" } else { "frozen" }));
    }
    if thaw {
        let r = sample::Entity::update_many()
            .col_expr(
                sample::Column::FreezeThawCount,
                Expr::col(sample::Column::FreezeThawCount).add(1),
            )
            .col_expr(sample::Column::UpdatedAt, Expr::value(now()))
            .filter(sample::Column::Id.eq(s.id))
            .exec(&txn)
            .await?;
        if r.rows_affected != 1 {
            return Err(AppError::NotFound);
        }
    }
    events::record(
        &txn,
        actor,
        s.id,
        SampleEvent::new(if thaw { "thawed" } else { "frozen" }, note),
    )
    .await?;
    let after = audited(&txn, actor, if thaw { "thaw" } else { "freeze" }, &s).await?;
    txn.commit().await?;
    Ok(after)
}

/// Splits a sample into `count` children: one `aliquot_out` on the parent and one
/// `aliquot_in` per child, so the quantities across parent and children add up as before.
pub async fn aliquot<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    sample_id: i64,
    input: AliquotInput,
) -> AppResult<Vec<sample::Model>> {
    let mut errors = Vec::new();
    if !(1..=500).contains(&input.count) {
        errors.push(FieldError::new(
            "count",
            "out_of_range",
            "count: must be 1…500",
        ));
    }
    if !(input.quantity_each.is_finite() && input.quantity_each > 0.0) {
        errors.push(FieldError::new(
            "quantity_each",
            "out_of_range",
            "quantity_each: must be a number above zero",
        ));
    }
    if let Some(f) = &input.form
        && let Err(e) = SampleForm::from_str(f.trim())
    {
        errors.push(e.to_field_error("form"));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let note = check_note("note", input.note.as_deref(), false)?;
    let txn = db.begin().await?;
    let parent = lock_sample(&txn, sample_id).await?;
    if !matches!(
        status_of(&parent),
        SampleStatus::Available | SampleStatus::Reserved | SampleStatus::CheckedOut
    ) {
        return Err(refuse(&parent, "aliquoted"));
    }
    let positions: Vec<Option<String>> = match input.storage_unit_id {
        None => vec![None; input.count as usize],
        Some(box_id) => free_places(&txn, box_id, input.count).await?,
    };
    let total = input.quantity_each * f64::from(input.count);
    let out_note = format!("{} × {} {}", input.count, input.quantity_each, parent.unit);
    ledger::post(
        &txn,
        actor,
        Movement {
            sample_id: parent.id,
            delta: -total,
            reason: LedgerReason::AliquotOut,
            request_id: None,
            viability_test_id: None,
            note: Some(&out_note),
        },
    )
    .await
    .map_err(|e| match e {
        AppError::Conflict { message, .. } => AppError::conflict("quantity_each", message),
        other => other,
    })?;
    let stamp = now();
    let mut children = Vec::new();
    for pos in positions {
        let child = insert_with_label_code(
            &txn,
            sample::ActiveModel {
                accession_id: Set(parent.accession_id),
                parent_sample_id: Set(Some(parent.id)),
                generation: Set(parent.generation),
                passage: Set(parent.passage),
                form: Set(input
                    .form
                    .as_deref()
                    .map(|f| f.trim().to_string())
                    .unwrap_or_else(|| parent.form.clone())),
                quantity: Set(0.0),
                reserved_quantity: Set(0.0),
                unit: Set(parent.unit.clone()),
                conservation_purpose: Set(parent.conservation_purpose.clone()),
                storage_unit_id: Set(input.storage_unit_id),
                position: Set(pos.clone()),
                status: Set(SampleStatus::Available.as_str().to_string()),
                freeze_thaw_count: Set(parent.freeze_thaw_count),
                moisture_pct: Set(parent.moisture_pct),
                banked_on: Set(parent.banked_on),
                created_by: Set(actor.user_id),
                created_at: Set(stamp),
                updated_at: Set(stamp),
                ..Default::default()
            },
        )
        .await
        .map_err(|e| match e {
            AppError::Db(ref d) if is_unique_violation(d) => AppError::conflict(
                "storage_unit_id",
                "storage_unit_id: a position in that box was taken at the same time; retry",
            ),
            other => other,
        })?;
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
        let child_label = LabelCode::parse(&child.label_code)
            .map(|c| c.display())
            .unwrap_or_else(|_| child.label_code.clone());
        let in_note = format!("from {}", display_code(&parent.label_code));
        ledger::post(
            &txn,
            actor,
            Movement {
                sample_id: child.id,
                delta: input.quantity_each,
                reason: LedgerReason::AliquotIn,
                request_id: None,
                viability_test_id: None,
                note: Some(&in_note),
            },
        )
        .await?;
        let mut ev = SampleEvent::new("created", Some(in_note.clone()));
        ev.to = (child.storage_unit_id, child.position.clone());
        events::record(&txn, actor, child.id, ev).await?;
        events::record(
            &txn,
            actor,
            parent.id,
            SampleEvent::new("aliquoted", Some(format!("→ {child_label}"))),
        )
        .await?;
        children.push(samples::get(&txn, child.id).await?);
    }
    if let Some(n) = note {
        events::record(
            &txn,
            actor,
            parent.id,
            SampleEvent::new("aliquoted", Some(n)),
        )
        .await?;
    }
    audited(&txn, actor, "aliquot", &parent).await?;
    txn.commit().await?;
    Ok(children)
}

fn display_code(code: &str) -> String {
    LabelCode::parse(code)
        .map(|c| c.display())
        .unwrap_or_else(|_| code.to_string())
}

/// The first `count` free places in one box (positions in a grid; none in a bag).
async fn free_places<C: ConnectionTrait>(
    conn: &C,
    box_id: i64,
    count: u32,
) -> AppResult<Vec<Option<String>>> {
    let unit = box_unit(conn, box_id).await?;
    let detail_taken: std::collections::HashSet<String> = sample::Entity::find()
        .filter(sample::Column::StorageUnitId.eq(box_id))
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|s| s.position)
        .collect();
    match unit_layout(&unit) {
        Layout::Grid(g) => {
            let free: Vec<Option<String>> = g
                .all_labels()
                .into_iter()
                .filter(|l| !detail_taken.contains(l))
                .take(count as usize)
                .map(Some)
                .collect();
            if free.len() < count as usize {
                return Err(AppError::conflict(
                    "storage_unit_id",
                    format!(
                        "storage_unit_id: {} has only {} free positions for {count} aliquots",
                        unit.name,
                        free.len()
                    ),
                ));
            }
            Ok(free)
        }
        Layout::Free { capacity } => {
            let used = sample::Entity::find()
                .filter(sample::Column::StorageUnitId.eq(box_id))
                .count(conn)
                .await?;
            if let Some(cap) = capacity
                && used + u64::from(count) > u64::from(cap)
            {
                return Err(AppError::conflict(
                    "storage_unit_id",
                    format!(
                        "storage_unit_id: {} has room for {} more",
                        unit.name,
                        u64::from(cap).saturating_sub(used)
                    ),
                ));
            }
            Ok(vec![None; count as usize])
        }
    }
}

/// Discards a sample: the rest of its quantity goes out through the ledger and its position
/// is freed.
pub async fn discard<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    sample_id: i64,
    input: DiscardInput,
) -> AppResult<sample::Model> {
    let reason = check_note("reason", Some(&input.reason), true)?.unwrap_or_default();
    let txn = db.begin().await?;
    let s = lock_sample(&txn, sample_id).await?;
    if matches!(
        status_of(&s),
        SampleStatus::Discarded | SampleStatus::Distributed
    ) {
        return Err(refuse(&s, "discarded"));
    }
    if s.reserved_quantity > 0.0 {
        return Err(AppError::conflict(
            "status",
            "this sample has quantity reserved for a request; release it before discarding",
        ));
    }
    if s.quantity != 0.0 {
        ledger::post(
            &txn,
            actor,
            Movement {
                sample_id: s.id,
                delta: -s.quantity,
                reason: LedgerReason::Discard,
                request_id: None,
                viability_test_id: None,
                note: Some(&reason),
            },
        )
        .await?;
    }
    set_status(&txn, &s, SampleStatus::Discarded, clear_place).await?;
    let mut ev = SampleEvent::new("discarded", Some(reason));
    ev.from = (s.storage_unit_id, s.position.clone());
    events::record(&txn, actor, s.id, ev).await?;
    let after = audited(&txn, actor, "discard", &s).await?;
    txn.commit().await?;
    Ok(after)
}

/// Records that a sample was not found where the records put it (a stock-take came up short):
/// it leaves its position, so the place can be used again, and its chain of custody says so.
pub async fn mark_missing<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    sample_id: i64,
    input: NoteInput,
) -> AppResult<sample::Model> {
    let note = check_note("note", input.note.as_deref(), false)?;
    let txn = db.begin().await?;
    let s = lock_sample(&txn, sample_id).await?;
    if status_of(&s) == SampleStatus::CheckedOut {
        return Err(AppError::conflict(
            "status",
            "this sample is checked out, so its place is empty on purpose; check it in instead",
        ));
    }
    if s.storage_unit_id.is_none() {
        return Err(AppError::conflict(
            "sample",
            "this sample has no recorded place to be missing from",
        ));
    }
    set_status(&txn, &s, status_of(&s), clear_place).await?;
    let mut ev = SampleEvent::new("missing", note);
    ev.from = (s.storage_unit_id, s.position.clone());
    events::record(&txn, actor, s.id, ev).await?;
    let after = audited(&txn, actor, "mark_missing", &s).await?;
    txn.commit().await?;
    Ok(after)
}

/// Where a sample is: the path of its box, and its position.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Location {
    pub storage_unit_id: i64,
    /// From the site down to the box.
    pub path: Vec<Crumb>,
    pub position: Option<String>,
}

impl Location {
    /// `Site / Room / Freezer / Rack 1 / Box 1-1 · A1`.
    pub fn text(&self) -> String {
        let path = self
            .path
            .iter()
            .map(|c| c.name.as_str())
            .collect::<Vec<_>>()
            .join(" / ");
        match &self.position {
            Some(p) => format!("{path} · {p}"),
            None => path,
        }
    }
}

/// Walks up from a unit to the top of the tree (a handful of lookups, no full scan).
pub async fn path_of<C: ConnectionTrait>(conn: &C, unit_id: i64) -> AppResult<Vec<Crumb>> {
    let mut out = Vec::new();
    let mut cur = Some(unit_id);
    while let Some(id) = cur {
        if out.len() > 32 {
            break;
        }
        let Some(u) = storage_unit::Entity::find_by_id(id).one(conn).await? else {
            break;
        };
        cur = u.parent_id;
        out.push(Crumb {
            id: u.id,
            kind: u.kind,
            name: u.name,
        });
    }
    out.reverse();
    Ok(out)
}

/// A sample's location, when it is stored.
pub async fn location<C: ConnectionTrait>(
    conn: &C,
    s: &sample::Model,
) -> AppResult<Option<Location>> {
    match s.storage_unit_id {
        None => Ok(None),
        Some(u) => Ok(Some(Location {
            storage_unit_id: u,
            path: path_of(conn, u).await?,
            position: s.position.clone(),
        })),
    }
}

/// What a scan found: a sample with its location and next actions, or a storage unit.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ScanAnswer {
    /// `sample` or `storage_unit`.
    pub kind: String,
    pub sample: Option<SampleView>,
    pub location: Option<Location>,
    /// The custody actions open to this sample now (`POST /api/v1/samples/{id}/{action}`).
    pub actions: Vec<String>,
    pub storage_unit_id: Option<i64>,
    /// The path of the unit whose label was scanned.
    pub storage_unit_path: Option<Vec<Crumb>>,
}

/// Resolves a scanned or typed label (bare code or label URL): a sample first, then a unit.
pub async fn scan<C: ConnectionTrait>(conn: &C, input: &str) -> AppResult<ScanAnswer> {
    let code =
        LabelCode::parse(input).map_err(|e| AppError::Invalid(vec![e.to_field_error("code")]))?;
    let found = sample::Entity::find()
        .filter(sample::Column::LabelCode.eq(code.as_str()))
        .one(conn)
        .await?;
    if let Some(s) = found {
        let location = location(conn, &s).await?;
        let actions = available_actions(&s.status, s.storage_unit_id.is_some())
            .into_iter()
            .map(String::from)
            .collect();
        return Ok(ScanAnswer {
            kind: "sample".into(),
            sample: Some(s.into()),
            location,
            actions,
            storage_unit_id: None,
            storage_unit_path: None,
        });
    }
    match storage::find_by_barcode(conn, &code).await? {
        Some(u) => Ok(ScanAnswer {
            kind: "storage_unit".into(),
            sample: None,
            location: None,
            actions: Vec::new(),
            storage_unit_id: Some(u.id),
            storage_unit_path: Some(path_of(conn, u.id).await?),
        }),
        None => Err(AppError::NotFound),
    }
}

/// A custody event as the sample page shows it.
#[derive(Debug, Clone, Serialize)]
pub struct EventLine {
    pub kind: String,
    pub at: chrono::DateTime<chrono::Utc>,
    pub note: String,
    pub due_back_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// One sample in a lineage tree.
#[derive(Debug, Clone, Serialize)]
pub struct LineageNode {
    pub id: i64,
    pub label_code: String,
    pub status: String,
    pub quantity: f64,
    pub unit: String,
    pub depth: usize,
    pub is_self: bool,
}

/// What the sample page's custody section shows.
#[derive(Debug, Clone)]
pub struct CustodyPanel {
    pub location: Option<Location>,
    pub actions: Vec<&'static str>,
    pub lineage: Vec<LineageNode>,
    pub events: Vec<EventLine>,
}

impl CustodyPanel {
    /// True when an action is open to the sample now.
    pub fn can(&self, action: &str) -> bool {
        self.actions.contains(&action)
    }
}

/// The custody section of a sample page: location, actions, lineage (root to leaves), events.
pub async fn panel<C: ConnectionTrait>(conn: &C, s: &sample::Model) -> AppResult<CustodyPanel> {
    let mut root = s.clone();
    for _ in 0..32 {
        match root.parent_sample_id {
            Some(p) => root = samples::get(conn, p).await?,
            None => break,
        }
    }
    let mut lineage = Vec::new();
    let mut stack = vec![(root, 0usize)];
    while let Some((node, depth)) = stack.pop() {
        if lineage.len() >= 500 {
            break;
        }
        let kids = sample::Entity::find()
            .filter(sample::Column::ParentSampleId.eq(node.id))
            .order_by_desc(sample::Column::Id)
            .all(conn)
            .await?;
        lineage.push(LineageNode {
            id: node.id,
            label_code: display_code(&node.label_code),
            status: node.status.clone(),
            quantity: node.quantity,
            unit: node.unit.clone(),
            depth,
            is_self: node.id == s.id,
        });
        stack.extend(kids.into_iter().map(|k| (k, depth + 1)));
    }
    let events = sample_event::Entity::find()
        .filter(sample_event::Column::SampleId.eq(s.id))
        .order_by_desc(sample_event::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| EventLine {
            kind: e.kind,
            at: e.created_at,
            note: e.note.unwrap_or_default(),
            due_back_at: e.due_back_at,
        })
        .collect();
    Ok(CustodyPanel {
        location: location(conn, s).await?,
        actions: available_actions(&s.status, s.storage_unit_id.is_some()),
        lineage: if lineage.len() > 1 {
            lineage
        } else {
            Vec::new()
        },
        events,
    })
}
