//! Exports of the registry in exchange formats. MCPD: plant accessions in the canonical column
//! order, so that a canonical file imported and exported comes back unchanged.

use std::collections::{BTreeMap, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use entities::{accession, accession_plant};

use super::accessions::read_fields;
use super::fields::{self, Store};
use crate::domain::material::{AccessionStatus, MaterialType};
use crate::domain::mcpd::import::{field_for, write_mcpd};
use crate::error::AppResult;

/// The plant accessions still in the collection as an MCPD file, with the number of rows.
pub async fn export_mcpd<C: ConnectionTrait>(conn: &C) -> AppResult<(String, usize)> {
    let plant_types: Vec<&str> = MaterialType::ALL
        .iter()
        .filter(|t| t.is_plant())
        .map(|t| t.as_str())
        .collect();
    let cores = accession::Entity::find()
        .filter(accession::Column::MaterialType.is_in(plant_types))
        .filter(accession::Column::Status.ne(AccessionStatus::Deaccessioned.as_str()))
        .order_by_asc(accession::Column::Id)
        .all(conn)
        .await?;
    let mut plants: HashMap<i64, accession_plant::Model> = accession_plant::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.accession_id, p))
        .collect();
    let records: Vec<BTreeMap<&'static str, sea_orm::Value>> = cores
        .iter()
        .map(|core| {
            let mut values = BTreeMap::new();
            read_fields(core, Store::Core, &mut values);
            if let Some(plant) = plants.remove(&core.id) {
                read_fields(&plant, Store::Plant, &mut values);
            }
            values
        })
        .collect();
    let text = write_mcpd(&records, |values, column| {
        field_for(column)
            .and_then(|f| values.get(f))
            .and_then(fields::value_to_text)
            .unwrap_or_default()
    });
    Ok((text, records.len()))
}
