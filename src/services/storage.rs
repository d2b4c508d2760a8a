//! The storage tree: sites, rooms, equipment, racks and boxes; equipment built from a template
//! in one transaction; utilisation; finding free space; the box map.

use std::collections::{HashMap, HashSet};
use std::str::FromStr;

use sea_orm::sea_query::{Expr, Func};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, QueryFilter,
    QuerySelect, Set, TransactionSession, TransactionTrait,
};
use serde::{Deserialize, Serialize};

use entities::{accession, sample, storage_unit};

use super::events::{self, SampleEvent};
use super::{Actor, audit, now};
use crate::domain::FieldError;
use crate::domain::label_code::LabelCode;
use crate::domain::storage::{
    BOX_TYPES, BoxType, EquipmentType, Grid, Layout, StorageKind, layout_of, percent_full,
};
use crate::error::{AppError, AppResult, is_unique_violation};

/// What an admin or curator gives to add one unit to the tree.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct NewStorageUnit {
    /// The unit it sits in; empty for a site (or a room) at the top.
    pub parent_id: Option<i64>,
    /// site, room, equipment, rack, shelf or box.
    pub kind: String,
    pub name: String,
    /// For equipment: freezer_minus80, ln2_tank, seed_vault, cold_room or refrigerator.
    pub equipment_type: Option<String>,
    pub temperature_c: Option<f64>,
    pub humidity_pct: Option<f64>,
    /// For boxes: a key from `GET /api/v1/storage/box-types`.
    pub box_type: Option<String>,
    pub notes: Option<String>,
}

/// A whole piece of equipment with its racks and boxes, made in one action.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct EquipmentTemplate {
    /// The room (or site) it stands in.
    pub parent_id: i64,
    pub name: String,
    pub equipment_type: String,
    /// Set-point; the equipment type's usual temperature when absent.
    pub temperature_c: Option<f64>,
    pub humidity_pct: Option<f64>,
    /// Racks (0 puts the boxes straight into the equipment).
    pub racks: u32,
    /// Boxes in each rack (or in the equipment when there are no racks).
    pub boxes_per_rack: u32,
    pub box_type: String,
}

/// Changes to a unit's name, set-points or notes.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StorageUnitPatch {
    pub name: Option<String>,
    pub temperature_c: Option<f64>,
    pub humidity_pct: Option<f64>,
    pub notes: Option<String>,
}

/// A storage unit as pages and the API show it, with its utilisation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StorageUnitView {
    pub id: i64,
    pub parent_id: Option<i64>,
    pub kind: String,
    pub name: String,
    pub equipment_type: Option<String>,
    /// The code on the unit's label (scanning it opens the box map).
    pub barcode: Option<String>,
    pub temperature_c: Option<f64>,
    pub humidity_pct: Option<f64>,
    pub box_type: Option<String>,
    pub grid_rows: Option<i32>,
    pub grid_cols: Option<i32>,
    pub position_labels: Option<String>,
    /// Places in this unit and everything under it, where known.
    pub capacity: Option<u64>,
    /// Samples in this unit and everything under it.
    pub used: u64,
    /// used / capacity, rounded down.
    pub percent_full: Option<u8>,
    /// Depth in the tree (0 at the top).
    pub depth: usize,
}

const MAX_TEMPLATE_BOXES: u32 = 2000;

fn check_common(
    name: &str,
    temperature_c: Option<f64>,
    humidity_pct: Option<f64>,
    notes: Option<&str>,
    errors: &mut Vec<FieldError>,
) {
    if let Err(e) = crate::domain::text::check_text("name", name, 200) {
        errors.push(e);
    } else if name.trim().is_empty() {
        errors.push(FieldError::new("name", "required", "name: is required"));
    }
    if let Some(t) = temperature_c
        && !(t.is_finite() && (-273.0..=100.0).contains(&t))
    {
        errors.push(FieldError::new(
            "temperature_c",
            "out_of_range",
            "temperature_c: must be −273…100 °C",
        ));
    }
    if let Some(h) = humidity_pct
        && !(h.is_finite() && (0.0..=100.0).contains(&h))
    {
        errors.push(FieldError::new(
            "humidity_pct",
            "out_of_range",
            "humidity_pct: must be 0…100 %",
        ));
    }
    if let Some(n) = notes
        && let Err(e) = crate::domain::text::check_text("notes", n, 2000)
    {
        errors.push(e);
    }
}

async fn parent_kind<C: ConnectionTrait>(
    conn: &C,
    parent_id: Option<i64>,
) -> AppResult<Option<StorageKind>> {
    let Some(pid) = parent_id else {
        return Ok(None);
    };
    let parent = storage_unit::Entity::find_by_id(pid)
        .one(conn)
        .await?
        .ok_or_else(|| {
            AppError::invalid(
                "parent_id",
                "not_found",
                format!("parent_id: no storage unit {pid}"),
            )
        })?;
    Ok(Some(
        StorageKind::from_str(&parent.kind).unwrap_or(StorageKind::Site),
    ))
}

fn check_nesting(parent: Option<StorageKind>, kind: StorageKind) -> Result<(), FieldError> {
    match parent {
        None if kind.may_be_root() => Ok(()),
        None => Err(FieldError::new(
            "parent_id",
            "required",
            format!(
                "parent_id: a {} must sit inside another unit",
                kind.as_str()
            ),
        )),
        Some(p) if p.may_contain(kind) => Ok(()),
        Some(p) => Err(FieldError::new(
            "parent_id",
            "invalid_nesting",
            format!(
                "parent_id: a {} cannot hold a {}",
                p.as_str(),
                kind.as_str()
            ),
        )),
    }
}

/// Inserts one unit with a fresh label code, retrying on the rare code collision.
async fn insert_unit<C: ConnectionTrait + TransactionTrait>(
    txn: &C,
    actor: &Actor,
    am: storage_unit::ActiveModel,
) -> AppResult<storage_unit::Model> {
    for _ in 0..5 {
        let mut am = am.clone();
        am.barcode = Set(Some(
            LabelCode::generate(&mut rand::rng()).as_str().to_string(),
        ));
        let sp = txn.begin().await?;
        match am.insert(&sp).await {
            Ok(m) => {
                sp.commit().await?;
                audit::record(
                    txn,
                    actor,
                    "create",
                    "storage_units",
                    m.id,
                    None,
                    audit::snapshot(&m),
                )
                .await?;
                return Ok(m);
            }
            Err(e) if is_unique_violation(&e) => sp.rollback().await?,
            Err(e) => return Err(e.into()),
        }
    }
    Err(AppError::Internal(
        "could not allocate a unique storage label code".into(),
    ))
}

fn unit_model(
    parent_id: Option<i64>,
    kind: StorageKind,
    name: &str,
    box_type: Option<&BoxType>,
) -> storage_unit::ActiveModel {
    let (rows, cols, labels, capacity) = match box_type.map(|b| b.layout) {
        Some(Layout::Grid(g)) => (
            Some(i32::from(g.rows)),
            Some(i32::from(g.cols)),
            Some(g.labels.as_str().to_string()),
            Some(g.capacity() as i32),
        ),
        Some(Layout::Free { capacity }) => (None, None, None, capacity.map(|c| c as i32)),
        None => (None, None, None, None),
    };
    storage_unit::ActiveModel {
        parent_id: Set(parent_id),
        kind: Set(kind.as_str().to_string()),
        name: Set(name.trim().to_string()),
        box_type: Set(box_type.map(|b| b.key.to_string())),
        grid_rows: Set(rows),
        grid_cols: Set(cols),
        position_labels: Set(labels),
        capacity: Set(capacity),
        created_at: Set(now()),
        ..Default::default()
    }
}

/// Adds one unit to the tree.
pub async fn create_unit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    input: NewStorageUnit,
) -> AppResult<storage_unit::Model> {
    let mut errors = Vec::new();
    let kind = StorageKind::from_str(input.kind.trim())
        .map_err(|e| errors.push(e.to_field_error("kind")))
        .ok();
    check_common(
        &input.name,
        input.temperature_c,
        input.humidity_pct,
        input.notes.as_deref(),
        &mut errors,
    );
    let equipment = match (kind, input.equipment_type.as_deref().map(str::trim)) {
        (Some(StorageKind::Equipment), Some(t)) => EquipmentType::from_str(t)
            .map_err(|e| errors.push(e.to_field_error("equipment_type")))
            .ok(),
        (Some(StorageKind::Equipment), None) => {
            errors.push(FieldError::new(
                "equipment_type",
                "required",
                "equipment_type: is required for equipment",
            ));
            None
        }
        _ => None,
    };
    let box_type = match (kind, input.box_type.as_deref()) {
        (Some(StorageKind::Box), Some(b)) => BoxType::by_key(b).map_err(|e| errors.push(e)).ok(),
        (Some(StorageKind::Box), None) => {
            errors.push(FieldError::new(
                "box_type",
                "required",
                "box_type: is required for a box",
            ));
            None
        }
        _ => None,
    };
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let kind = kind.expect("checked above");
    let txn = db.begin().await?;
    let parent = parent_kind(&txn, input.parent_id).await?;
    check_nesting(parent, kind)?;
    let mut am = unit_model(input.parent_id, kind, &input.name, box_type);
    am.equipment_type = Set(equipment.map(|e| e.as_str().to_string()));
    am.temperature_c = Set(input
        .temperature_c
        .or(equipment.map(EquipmentType::default_temperature_c)));
    am.humidity_pct = Set(input.humidity_pct);
    am.notes = Set(input
        .notes
        .map(|n| n.trim().to_string())
        .filter(|n| !n.is_empty()));
    let m = insert_unit(&txn, actor, am).await?;
    txn.commit().await?;
    Ok(m)
}

/// Creates a piece of equipment with its racks and boxes, all or nothing.
pub async fn create_from_template<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    t: EquipmentTemplate,
) -> AppResult<storage_unit::Model> {
    let mut errors = Vec::new();
    check_common(&t.name, t.temperature_c, t.humidity_pct, None, &mut errors);
    let equipment = EquipmentType::from_str(t.equipment_type.trim())
        .map_err(|e| errors.push(e.to_field_error("equipment_type")))
        .ok();
    let box_type = BoxType::by_key(&t.box_type)
        .map_err(|e| errors.push(e))
        .ok();
    if t.boxes_per_rack == 0 || t.boxes_per_rack > 200 {
        errors.push(FieldError::new(
            "boxes_per_rack",
            "out_of_range",
            "boxes_per_rack: must be 1…200",
        ));
    } else if t.racks > 200 || t.racks.max(1) * t.boxes_per_rack > MAX_TEMPLATE_BOXES {
        errors.push(FieldError::new(
            "racks",
            "out_of_range",
            format!("racks: at most {MAX_TEMPLATE_BOXES} boxes in one piece of equipment"),
        ));
    }
    let (Some(equipment), Some(box_type), true) = (equipment, box_type, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let txn = db.begin().await?;
    let parent = parent_kind(&txn, Some(t.parent_id)).await?;
    check_nesting(parent, StorageKind::Equipment)?;
    let mut am = unit_model(Some(t.parent_id), StorageKind::Equipment, &t.name, None);
    am.equipment_type = Set(Some(equipment.as_str().to_string()));
    am.temperature_c = Set(Some(
        t.temperature_c.unwrap_or(equipment.default_temperature_c()),
    ));
    am.humidity_pct = Set(t.humidity_pct);
    let eq = insert_unit(&txn, actor, am).await?;
    let holders: Vec<(i64, String)> = if t.racks == 0 {
        vec![(eq.id, String::new())]
    } else {
        let mut v = Vec::new();
        for r in 1..=t.racks {
            let rack = insert_unit(
                &txn,
                actor,
                unit_model(Some(eq.id), StorageKind::Rack, &format!("Rack {r}"), None),
            )
            .await?;
            v.push((rack.id, format!("{r}-")));
        }
        v
    };
    for (holder, prefix) in holders {
        for b in 1..=t.boxes_per_rack {
            insert_unit(
                &txn,
                actor,
                unit_model(
                    Some(holder),
                    StorageKind::Box,
                    &format!("Box {prefix}{b}"),
                    Some(box_type),
                ),
            )
            .await?;
        }
    }
    txn.commit().await?;
    Ok(eq)
}

/// Renames a unit or changes its set-points.
pub async fn update_unit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    patch: StorageUnitPatch,
) -> AppResult<storage_unit::Model> {
    let txn = db.begin().await?;
    let before = get(&txn, id).await?;
    let mut errors = Vec::new();
    check_common(
        patch.name.as_deref().unwrap_or(&before.name),
        patch.temperature_c,
        patch.humidity_pct,
        patch.notes.as_deref(),
        &mut errors,
    );
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut am: storage_unit::ActiveModel = before.clone().into();
    if let Some(n) = patch.name {
        am.name = Set(n.trim().to_string());
    }
    if let Some(t) = patch.temperature_c {
        am.temperature_c = Set(Some(t));
    }
    if let Some(h) = patch.humidity_pct {
        am.humidity_pct = Set(Some(h));
    }
    if let Some(n) = patch.notes {
        am.notes = Set(Some(n.trim().to_string()).filter(|n| !n.is_empty()));
    }
    let after = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "update",
        "storage_units",
        id,
        audit::snapshot(&before),
        audit::snapshot(&after),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Moves a box or rack (with everything in it) into another unit. Each sample inside gets a
/// `moved` custody event naming the old and new parent.
pub async fn move_unit<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    new_parent_id: i64,
) -> AppResult<storage_unit::Model> {
    let txn = db.begin().await?;
    let tree = Tree::load(&txn).await?;
    let unit = tree.unit(id).ok_or(AppError::NotFound)?.clone();
    let new_parent = tree.unit(new_parent_id).ok_or_else(|| {
        AppError::invalid(
            "parent_id",
            "not_found",
            format!("parent_id: no storage unit {new_parent_id}"),
        )
    })?;
    let subtree = tree.subtree(id);
    if subtree.contains(&new_parent_id) {
        return Err(AppError::invalid(
            "parent_id",
            "invalid_nesting",
            "parent_id: a unit cannot move inside itself",
        ));
    }
    check_nesting(
        Some(StorageKind::from_str(&new_parent.kind).unwrap_or(StorageKind::Site)),
        StorageKind::from_str(&unit.kind).unwrap_or(StorageKind::Site),
    )?;
    let from_path = tree.path_text(id);
    let mut am: storage_unit::ActiveModel = unit.clone().into();
    am.parent_id = Set(Some(new_parent_id));
    let after = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "move",
        "storage_units",
        id,
        audit::snapshot(&unit),
        audit::snapshot(&after),
    )
    .await?;
    let to_path = format!("{} / {}", tree.path_text(new_parent_id), unit.name);
    let note = format!("{} moved: {from_path} → {to_path}", unit.name);
    let inside = sample::Entity::find()
        .filter(sample::Column::StorageUnitId.is_in(subtree))
        .all(&txn)
        .await?;
    for s in inside {
        let location = (s.storage_unit_id, s.position.clone());
        let ev = SampleEvent {
            kind: "moved",
            from: location.clone(),
            to: location,
            note: Some(note.clone()),
            due_back_at: None,
        };
        events::record(&txn, actor, s.id, ev).await?;
    }
    txn.commit().await?;
    Ok(after)
}

/// One unit by id.
pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<storage_unit::Model> {
    storage_unit::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// A unit by the code on its label (typed, scanned or the label URL).
pub async fn find_by_barcode<C: ConnectionTrait>(
    conn: &C,
    code: &LabelCode,
) -> AppResult<Option<storage_unit::Model>> {
    Ok(storage_unit::Entity::find()
        .filter(storage_unit::Column::Barcode.eq(code.as_str()))
        .one(conn)
        .await?)
}

#[derive(FromQueryResult)]
struct Occupancy {
    storage_unit_id: i64,
    n: i64,
}

/// The whole tree in memory with its occupancy (trees have thousands of units, not millions).
pub struct Tree {
    units: HashMap<i64, storage_unit::Model>,
    children: HashMap<Option<i64>, Vec<i64>>,
    occupied: HashMap<i64, u64>,
}

impl Tree {
    /// Loads every unit and how many samples each holds directly.
    pub async fn load<C: ConnectionTrait>(conn: &C) -> AppResult<Tree> {
        let all = storage_unit::Entity::find().all(conn).await?;
        let counts = sample::Entity::find()
            .select_only()
            .column(sample::Column::StorageUnitId)
            .column_as(Expr::expr(Func::count(Expr::col(sample::Column::Id))), "n")
            .filter(sample::Column::StorageUnitId.is_not_null())
            .group_by(sample::Column::StorageUnitId)
            .into_model::<Occupancy>()
            .all(conn)
            .await?;
        let mut children: HashMap<Option<i64>, Vec<i64>> = HashMap::new();
        let mut sorted: Vec<&storage_unit::Model> = all.iter().collect();
        sorted.sort_by(|a, b| {
            natural_key(&a.name)
                .cmp(&natural_key(&b.name))
                .then(a.id.cmp(&b.id))
        });
        for u in sorted {
            children.entry(u.parent_id).or_default().push(u.id);
        }
        Ok(Tree {
            units: all.into_iter().map(|u| (u.id, u)).collect(),
            children,
            occupied: counts
                .into_iter()
                .map(|o| (o.storage_unit_id, o.n.max(0) as u64))
                .collect(),
        })
    }

    /// One unit.
    pub fn unit(&self, id: i64) -> Option<&storage_unit::Model> {
        self.units.get(&id)
    }

    /// The unit and everything under it.
    pub fn subtree(&self, id: i64) -> Vec<i64> {
        let mut out = vec![id];
        let mut i = 0;
        while i < out.len() {
            if let Some(kids) = self.children.get(&Some(out[i])) {
                out.extend(kids);
            }
            i += 1;
        }
        out
    }

    /// From the top of the tree down to the unit.
    pub fn path(&self, id: i64) -> Vec<&storage_unit::Model> {
        let mut out = Vec::new();
        let mut cur = self.units.get(&id);
        let mut guard = 0;
        while let Some(u) = cur {
            out.push(u);
            guard += 1;
            if guard > 64 {
                break;
            }
            cur = u.parent_id.and_then(|p| self.units.get(&p));
        }
        out.reverse();
        out
    }

    /// The path as `Site / Room / Freezer / Rack 1 / Box 1-1`.
    pub fn path_text(&self, id: i64) -> String {
        self.path(id)
            .iter()
            .map(|u| u.name.as_str())
            .collect::<Vec<_>>()
            .join(" / ")
    }

    /// (samples, known capacity) of a unit and everything under it.
    pub fn totals(&self, id: i64) -> (u64, Option<u64>) {
        let mut used = 0;
        let mut cap: Option<u64> = None;
        for u in self.subtree(id) {
            used += self.occupied.get(&u).copied().unwrap_or(0);
            if let Some(unit) = self.units.get(&u)
                && let Some(c) = unit_layout(unit).capacity()
            {
                cap = Some(cap.unwrap_or(0) + u64::from(c));
            }
        }
        (used, cap)
    }

    /// The unit as shown, with its utilisation.
    pub fn view(&self, id: i64, depth: usize) -> Option<StorageUnitView> {
        let u = self.units.get(&id)?;
        let (used, capacity) = self.totals(id);
        Some(StorageUnitView {
            id: u.id,
            parent_id: u.parent_id,
            kind: u.kind.clone(),
            name: u.name.clone(),
            equipment_type: u.equipment_type.clone(),
            barcode: u
                .barcode
                .as_deref()
                .and_then(|b| LabelCode::parse(b).ok())
                .map(|c| c.display()),
            temperature_c: u.temperature_c,
            humidity_pct: u.humidity_pct,
            box_type: u.box_type.clone(),
            grid_rows: u.grid_rows,
            grid_cols: u.grid_cols,
            position_labels: u.position_labels.clone(),
            capacity,
            used,
            percent_full: percent_full(used, capacity),
            depth,
        })
    }

    /// Every unit depth-first, in name order, each with its depth.
    pub fn flatten(&self) -> Vec<StorageUnitView> {
        let mut out = Vec::new();
        let mut stack: Vec<(i64, usize)> = self
            .children
            .get(&None)
            .map(|r| r.iter().rev().map(|&id| (id, 0)).collect())
            .unwrap_or_default();
        while let Some((id, depth)) = stack.pop() {
            if let Some(v) = self.view(id, depth) {
                out.push(v);
            }
            if let Some(kids) = self.children.get(&Some(id)) {
                stack.extend(kids.iter().rev().map(|&k| (k, depth + 1)));
            }
        }
        out
    }

    /// The direct children of a unit, with utilisation.
    pub fn children_of(&self, id: i64) -> Vec<StorageUnitView> {
        self.children
            .get(&Some(id))
            .map(|kids| kids.iter().filter_map(|&k| self.view(k, 0)).collect())
            .unwrap_or_default()
    }

    /// Steps between two units through their nearest common ancestor (for "nearest first").
    pub fn distance(&self, a: i64, b: i64) -> usize {
        let pa: Vec<i64> = self.path(a).iter().map(|u| u.id).collect();
        let pb: Vec<i64> = self.path(b).iter().map(|u| u.id).collect();
        let common = pa.iter().zip(&pb).take_while(|(x, y)| x == y).count();
        (pa.len() - common) + (pb.len() - common)
    }
}

/// Sorts `Box 2` before `Box 10`.
pub fn natural_key(name: &str) -> Vec<(String, u64)> {
    let mut out = Vec::new();
    let mut text = String::new();
    let mut num = String::new();
    for ch in name.chars() {
        if ch.is_ascii_digit() {
            num.push(ch);
        } else {
            if !num.is_empty() {
                out.push((std::mem::take(&mut text), num.parse().unwrap_or(u64::MAX)));
                num.clear();
            }
            text.push(ch);
        }
    }
    out.push((text, num.parse().unwrap_or(0)));
    out
}

/// A unit's layout as its stored columns describe it.
pub fn unit_layout(u: &storage_unit::Model) -> Layout {
    if u.kind != StorageKind::Box.as_str() {
        return Layout::Free { capacity: Some(0) };
    }
    layout_of(
        u.grid_rows,
        u.grid_cols,
        u.position_labels.as_deref(),
        u.capacity,
    )
}

/// The box grid, when the unit is a grid box.
pub fn grid_of(u: &storage_unit::Model) -> Option<Grid> {
    match unit_layout(u) {
        Layout::Grid(g) => Some(g),
        Layout::Free { .. } => None,
    }
}

/// One place in a box map.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoxCell {
    /// Position label (empty in position-free containers).
    pub position: String,
    /// `empty`, `occupied`, `checked_out` or `reserved`.
    pub state: String,
    pub sample: Option<CellSample>,
}

/// The sample in a box-map cell.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CellSample {
    pub id: i64,
    pub label_code: String,
    pub status: String,
    pub material_type: String,
    pub accession_number: String,
}

/// A unit with its place in the tree, its children and (for a box) its map.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct UnitDetail {
    pub unit: StorageUnitView,
    /// From the top of the tree down to (and including) this unit.
    pub path: Vec<Crumb>,
    pub children: Vec<StorageUnitView>,
    /// Grid boxes: rows of cells; position-free boxes: one row of the samples inside.
    pub rows: Vec<Vec<BoxCell>>,
    /// Column headings of a grid (1…12), empty otherwise.
    pub columns: Vec<String>,
    pub is_grid: bool,
}

/// A step on a unit's path.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Crumb {
    pub id: i64,
    pub kind: String,
    pub name: String,
}

/// The unit's page: path, children, and for a box the map of its positions.
pub async fn detail<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<UnitDetail> {
    let tree = Tree::load(conn).await?;
    let unit = tree.unit(id).ok_or(AppError::NotFound)?;
    let path = tree
        .path(id)
        .iter()
        .map(|u| Crumb {
            id: u.id,
            kind: u.kind.clone(),
            name: u.name.clone(),
        })
        .collect();
    let inside = sample::Entity::find()
        .filter(sample::Column::StorageUnitId.eq(id))
        .find_also_related(accession::Entity)
        .all(conn)
        .await?;
    let cell_of = |s: &sample::Model, a: &Option<accession::Model>| CellSample {
        id: s.id,
        label_code: LabelCode::parse(&s.label_code)
            .map(|c| c.display())
            .unwrap_or_else(|_| s.label_code.clone()),
        status: s.status.clone(),
        material_type: a
            .as_ref()
            .map(|a| a.material_type.clone())
            .unwrap_or_default(),
        accession_number: a
            .as_ref()
            .map(|a| a.accession_number.clone())
            .unwrap_or_default(),
    };
    let state_of = |status: &str| match status {
        "checked_out" => "checked_out",
        "reserved" => "reserved",
        _ => "occupied",
    };
    let (rows, columns, is_grid) = match grid_of(unit) {
        Some(g) => {
            let by_pos: HashMap<&str, (&sample::Model, &Option<accession::Model>)> = inside
                .iter()
                .filter_map(|(s, a)| s.position.as_deref().map(|p| (p, (s, a))))
                .collect();
            let rows = (0..g.rows)
                .map(|r| {
                    (0..g.cols)
                        .map(|c| {
                            let position = g.label_at(r, c);
                            match by_pos.get(position.as_str()) {
                                Some((s, a)) => BoxCell {
                                    state: state_of(&s.status).into(),
                                    sample: Some(cell_of(s, a)),
                                    position,
                                },
                                None => BoxCell {
                                    position,
                                    state: "empty".into(),
                                    sample: None,
                                },
                            }
                        })
                        .collect()
                })
                .collect();
            let columns = (1..=g.cols).map(|c| c.to_string()).collect();
            (rows, columns, true)
        }
        None => {
            let row: Vec<BoxCell> = inside
                .iter()
                .map(|(s, a)| BoxCell {
                    position: String::new(),
                    state: state_of(&s.status).into(),
                    sample: Some(cell_of(s, a)),
                })
                .collect();
            (vec![row], Vec::new(), false)
        }
    };
    Ok(UnitDetail {
        unit: tree
            .view(id, path_len(&tree, id))
            .ok_or(AppError::NotFound)?,
        path,
        children: tree.children_of(id),
        rows,
        columns,
        is_grid,
    })
}

fn path_len(tree: &Tree, id: i64) -> usize {
    tree.path(id).len().saturating_sub(1)
}

/// Free positions in one box.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FreeSpace {
    pub storage_unit_id: i64,
    /// Where the box is, e.g. `Main site / Room 101 / Freezer A / Rack 1 / Box 1-2`.
    pub path: String,
    pub free: u64,
    /// The free positions to use, in order.
    pub positions: Vec<String>,
}

/// The answer to "find free space": boxes nearest first until `count` positions are found.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct FreeSpaceAnswer {
    pub box_type: String,
    pub requested: u32,
    pub found: u64,
    pub boxes: Vec<FreeSpace>,
}

/// Finds `count` free grid positions in boxes of one type, nearest to `near` first.
pub async fn find_free_space<C: ConnectionTrait>(
    conn: &C,
    box_type: &str,
    count: u32,
    near: Option<i64>,
) -> AppResult<FreeSpaceAnswer> {
    let bt = BoxType::by_key(box_type)?;
    if count == 0 || count > 10_000 {
        return Err(AppError::invalid(
            "count",
            "out_of_range",
            "count: must be 1…10000",
        ));
    }
    let tree = Tree::load(conn).await?;
    if let Some(n) = near
        && tree.unit(n).is_none()
    {
        return Err(AppError::invalid(
            "near",
            "not_found",
            format!("near: no storage unit {n}"),
        ));
    }
    let mut boxes: Vec<&storage_unit::Model> = tree
        .units
        .values()
        .filter(|u| u.kind == StorageKind::Box.as_str() && u.box_type.as_deref() == Some(bt.key))
        .collect();
    boxes.sort_by_key(|u| {
        (
            near.map(|n| tree.distance(n, u.id)).unwrap_or(0),
            natural_key(&tree.path_text(u.id)),
            u.id,
        )
    });
    let mut found = 0u64;
    let mut out = Vec::new();
    for b in boxes {
        if found >= u64::from(count) {
            break;
        }
        let taken: HashSet<String> = sample::Entity::find()
            .select_only()
            .column(sample::Column::Position)
            .filter(sample::Column::StorageUnitId.eq(b.id))
            .into_tuple::<Option<String>>()
            .all(conn)
            .await?
            .into_iter()
            .flatten()
            .collect();
        let need = u64::from(count) - found;
        let (free, positions): (u64, Vec<String>) = match unit_layout(b) {
            Layout::Grid(g) => {
                let free_labels: Vec<String> = g
                    .all_labels()
                    .into_iter()
                    .filter(|l| !taken.contains(l))
                    .collect();
                let n = free_labels.len() as u64;
                (n, free_labels.into_iter().take(need as usize).collect())
            }
            Layout::Free { capacity } => {
                let used = tree.occupied.get(&b.id).copied().unwrap_or(0);
                let free = capacity.map_or(need, |c| u64::from(c).saturating_sub(used));
                (free, Vec::new())
            }
        };
        if free == 0 {
            continue;
        }
        found += free.min(need);
        out.push(FreeSpace {
            storage_unit_id: b.id,
            path: tree.path_text(b.id),
            free,
            positions,
        });
    }
    Ok(FreeSpaceAnswer {
        box_type: bt.key.to_string(),
        requested: count,
        found,
        boxes: out,
    })
}

/// A box type as the API lists it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct BoxTypeView {
    pub key: String,
    pub name: String,
    pub grid_rows: Option<u16>,
    pub grid_cols: Option<u16>,
    pub position_labels: Option<String>,
    pub capacity: Option<u32>,
    /// First and last position label, e.g. `A1…H12`.
    pub positions: Option<String>,
}

/// Every box-type template.
pub fn box_types() -> Vec<BoxTypeView> {
    BOX_TYPES
        .iter()
        .map(|b| {
            let grid = match b.layout {
                Layout::Grid(g) => Some(g),
                Layout::Free { .. } => None,
            };
            BoxTypeView {
                key: b.key.into(),
                name: b.name.into(),
                grid_rows: grid.map(|g| g.rows),
                grid_cols: grid.map(|g| g.cols),
                position_labels: grid.map(|g| g.labels.as_str().into()),
                capacity: b.layout.capacity(),
                positions: grid.map(|g| {
                    format!(
                        "{}…{}",
                        g.label_at(0, 0),
                        g.label_at(g.rows - 1, g.cols - 1)
                    )
                }),
            }
        })
        .collect()
}

/// What a stock-take of one box found.
#[derive(Debug, Clone, Default, Serialize, utoipa::ToSchema)]
pub struct StockTake {
    /// In the box by the records and scanned (at the recorded position, where one was given).
    pub confirmed: Vec<String>,
    /// In the box by the records but not scanned.
    pub missing: Vec<StockTakeLine>,
    /// In this box by the records, but scanned at another position.
    pub wrong_position: Vec<StockTakeLine>,
    /// Extra: scanned in this box, but the records put it elsewhere (or nowhere).
    pub misplaced: Vec<StockTakeLine>,
    /// Scanned codes that are mistyped or belong to no sample.
    pub unknown: Vec<String>,
    /// Lines whose position does not exist in this box (the line as typed, and why).
    pub bad_positions: Vec<String>,
}

impl StockTake {
    /// True when the records and the box agree.
    pub fn is_clean(&self) -> bool {
        self.missing.is_empty()
            && self.wrong_position.is_empty()
            && self.misplaced.is_empty()
            && self.unknown.is_empty()
            && self.bad_positions.is_empty()
    }
}

/// One sample in a stock-take answer.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct StockTakeLine {
    pub sample_id: i64,
    pub label_code: String,
    /// Where the records put it (position, or the other unit's path).
    pub recorded_at: String,
    /// The position it was scanned at, when the scan named one.
    pub found_at: Option<String>,
    /// Where a correction would put it in this box: the scanned position, else the first free one.
    pub suggested_position: Option<String>,
}

/// One scanned line: an optional position (`A1 7K3F-9Q2C-D`, `A1,7K3F…`, `A1\t…`) and a code.
/// A short first word before a readable code is taken as the position, so a mistyped position
/// is reported as such rather than as an unreadable code.
fn split_scan_line(line: &str) -> (Option<&str>, &str) {
    let line = line.trim();
    let sep = |c: char| c.is_whitespace() || c == ',' || c == ';';
    if let Some((first, rest)) = line.split_once(sep) {
        let first = first.trim_end_matches(':');
        let rest = rest.trim_matches(sep);
        if !first.is_empty() && first.len() <= 4 && LabelCode::parse(rest).is_ok() {
            return (Some(first), rest);
        }
    }
    (None, line)
}

/// Compares the codes scanned in a box with what the records say is in it. Each line is a
/// code or label URL, optionally preceded by the position it was found at.
pub async fn stock_take<C: ConnectionTrait>(
    conn: &C,
    box_id: i64,
    scanned: &[String],
) -> AppResult<StockTake> {
    let tree = Tree::load(conn).await?;
    let unit = tree.unit(box_id).ok_or(AppError::NotFound)?;
    let grid = grid_of(unit);
    let expected = sample::Entity::find()
        .filter(sample::Column::StorageUnitId.eq(box_id))
        .all(conn)
        .await?;
    let display = |code: &str| {
        LabelCode::parse(code)
            .map(|c| c.display())
            .unwrap_or_else(|_| code.to_string())
    };
    // Positions a correction may use: free by the records and not where something was scanned.
    let mut taken: HashSet<String> = expected.iter().filter_map(|s| s.position.clone()).collect();
    let mut seen = HashSet::new();
    let mut out = StockTake::default();
    let mut found_at: HashMap<i64, Option<String>> = HashMap::new();
    let mut extra = Vec::new();
    for line in scanned.iter().map(|s| s.trim()).filter(|s| !s.is_empty()) {
        let (pos, raw) = split_scan_line(line);
        let pos = match (pos, grid.as_ref()) {
            (Some(p), Some(g)) => match g.canonical(p) {
                Ok(c) => Some(c),
                Err(e) => {
                    out.bad_positions
                        .push(format!("{line}: {}", e.to_field_error().message));
                    continue;
                }
            },
            _ => None,
        };
        let Ok(code) = LabelCode::parse(raw) else {
            out.unknown.push(raw.to_string());
            continue;
        };
        if !seen.insert(code.as_str().to_string()) {
            continue;
        }
        if let Some(p) = &pos {
            taken.insert(p.clone());
        }
        match expected.iter().find(|s| s.label_code == code.as_str()) {
            Some(s) => {
                found_at.insert(s.id, pos);
            }
            None => {
                let found = sample::Entity::find()
                    .filter(sample::Column::LabelCode.eq(code.as_str()))
                    .one(conn)
                    .await?;
                match found {
                    Some(s) => extra.push((s, pos)),
                    None => out.unknown.push(code.display()),
                }
            }
        }
    }
    let mut free = grid
        .as_ref()
        .map(|g| g.all_labels())
        .unwrap_or_default()
        .into_iter()
        .filter(|p| !taken.contains(p));
    for s in &expected {
        let recorded = s.position.clone().unwrap_or_default();
        match found_at.get(&s.id) {
            None => out.missing.push(StockTakeLine {
                sample_id: s.id,
                label_code: display(&s.label_code),
                recorded_at: recorded,
                found_at: None,
                suggested_position: None,
            }),
            Some(Some(p)) if Some(p) != s.position.as_ref() => {
                out.wrong_position.push(StockTakeLine {
                    sample_id: s.id,
                    label_code: display(&s.label_code),
                    recorded_at: recorded,
                    found_at: Some(p.clone()),
                    suggested_position: Some(p.clone()),
                })
            }
            Some(_) => out.confirmed.push(display(&s.label_code)),
        }
    }
    for (s, pos) in extra {
        let recorded_at = match s.storage_unit_id {
            Some(u) => format!("{} {}", tree.path_text(u), s.position.unwrap_or_default())
                .trim()
                .to_string(),
            None => "—".into(),
        };
        let suggested_position = match &pos {
            Some(p) => Some(p.clone()),
            None => free.next(),
        };
        out.misplaced.push(StockTakeLine {
            sample_id: s.id,
            label_code: display(&s.label_code),
            recorded_at,
            found_at: pos,
            suggested_position,
        });
    }
    out.missing
        .sort_by(|a, b| a.recorded_at.cmp(&b.recorded_at));
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::natural_key;

    #[test]
    fn names_sort_with_their_numbers_in_order() {
        let mut names = vec!["Box 10", "Box 2", "Box 1-10", "Box 1-2"];
        names.sort_by_key(|n| natural_key(n));
        assert_eq!(names, ["Box 1-2", "Box 1-10", "Box 2", "Box 10"]);
    }
}
