//! The demo's storage: a site with a seed vault, a −80 °C freezer and a liquid-nitrogen tank,
//! built from templates, with every demo sample stored (some checked out, one box in use).

use sea_orm::{ConnectionTrait, EntityTrait, QueryOrder, TransactionTrait};

use entities::sample;

use super::Actor;
use super::custody::{self, CheckOutInput, PlaceInput};
use super::storage::{self, EquipmentTemplate, NewStorageUnit, grid_of};
use crate::error::AppResult;

/// Boxes of one piece of equipment, filled in order.
struct Filler {
    boxes: Vec<entities::storage_unit::Model>,
    next_box: usize,
    next_pos: u32,
}

impl Filler {
    /// The next free place, or none when the equipment is full.
    fn next(&mut self) -> Option<(i64, Option<String>)> {
        while let Some(b) = self.boxes.get(self.next_box) {
            match grid_of(b) {
                Some(g) if self.next_pos < g.capacity() => {
                    let i = self.next_pos;
                    self.next_pos += 1;
                    let cols = u32::from(g.cols);
                    return Some((b.id, Some(g.label_at((i / cols) as u16, (i % cols) as u16))));
                }
                None if self.next_pos < b.capacity.unwrap_or(200) as u32 => {
                    self.next_pos += 1;
                    return Some((b.id, None));
                }
                _ => {
                    self.next_box += 1;
                    self.next_pos = 0;
                }
            }
        }
        None
    }
}

async fn boxes_under<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> AppResult<Vec<entities::storage_unit::Model>> {
    let tree = storage::Tree::load(conn).await?;
    Ok(tree
        .subtree(id)
        .into_iter()
        .filter_map(|u| tree.unit(u).cloned())
        .filter(|u| u.kind == "box")
        .collect())
}

/// Builds the storage tree and stores every sample; returns a line for the demo summary.
pub async fn place<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
) -> AppResult<String> {
    let site = storage::create_unit(
        db,
        actor,
        NewStorageUnit {
            kind: "site".into(),
            name: "Main campus".into(),
            ..Default::default()
        },
    )
    .await?;
    let room = storage::create_unit(
        db,
        actor,
        NewStorageUnit {
            parent_id: Some(site.id),
            kind: "room".into(),
            name: "Cold store B101".into(),
            ..Default::default()
        },
    )
    .await?;
    let mut fillers = Vec::new();
    for (name, equipment, racks, per_rack, box_type, humidity) in [
        ("Seed vault 1", "seed_vault", 2, 4, "bin", Some(15.0)),
        (
            "Freezer −80 A",
            "freezer_minus80",
            4,
            5,
            "cryobox_9x9",
            None,
        ),
        ("LN2 tank 1", "ln2_tank", 2, 3, "cryobox_10x10", None),
    ] {
        let eq = storage::create_from_template(
            db,
            actor,
            EquipmentTemplate {
                parent_id: room.id,
                name: name.into(),
                equipment_type: equipment.into(),
                temperature_c: None,
                humidity_pct: humidity,
                racks,
                boxes_per_rack: per_rack,
                box_type: box_type.into(),
            },
        )
        .await?;
        fillers.push(Filler {
            boxes: boxes_under(db, eq.id).await?,
            next_box: 0,
            next_pos: 0,
        });
    }
    let samples = sample::Entity::find()
        .order_by_asc(sample::Column::Id)
        .all(db)
        .await?;
    let mut stored = 0;
    for (i, s) in samples.iter().enumerate() {
        let which = match s.form.as_str() {
            "seed_packet" | "bag" | "plant" | "plate" => 0,
            "straw" => 2,
            _ => 1,
        };
        let Some((box_id, position)) = fillers[which].next() else {
            continue;
        };
        custody::store(
            db,
            actor,
            s.id,
            PlaceInput {
                storage_unit_id: box_id,
                position,
                note: None,
            },
        )
        .await?;
        stored += 1;
        // A few vials are out at the bench, so the box maps show held positions.
        if which == 1 && i % 17 == 0 {
            custody::check_out(
                db,
                actor,
                s.id,
                CheckOutInput {
                    reason: "passage and QC".into(),
                    taken_by: Some("demo technician".into()),
                    due_back_on: None,
                },
            )
            .await?;
        }
    }
    Ok(format!(
        "Storage: {stored} samples stored in a seed vault, a −80 °C freezer and an LN2 tank.\n"
    ))
}
