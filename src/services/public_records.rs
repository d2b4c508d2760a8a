//! Accessions as the public may see them, for the standards exports (Darwin Core, MIABIS,
//! GCM/MIRRI, BrAPI). A [`PublicRecord`] holds only the fields the field registry marks public,
//! so an export built from it cannot leak donor data or restricted fields, whatever it asks for.

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use chrono::{DateTime, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, ModelTrait, QueryFilter, QueryOrder};
use sea_orm::{Select, Value};

use entities::{
    accession, accession_animal, accession_cell_line, accession_plant, accession_specimen,
    accession_strain,
};

use super::accessions::{extension_store, read_fields};
use super::fields::{self, Store};
use crate::domain::material::{AccessionStatus, MaterialType};
use crate::domain::mcpd::PartialDate;
use crate::error::{AppError, AppResult};

/// Ids per `IN (...)` query: well under SQLite's and PostgreSQL's parameter limits.
const ID_CHUNK: usize = 500;

/// One accession with its identity and its public fields only.
#[derive(Debug, Clone)]
pub struct PublicRecord {
    pub id: i64,
    pub pid: String,
    pub material_type: MaterialType,
    pub institute_code: String,
    pub accession_number: String,
    pub taxon_name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    values: BTreeMap<&'static str, Value>,
}

impl PublicRecord {
    /// A public field's value as trimmed text; `None` when empty or not public.
    pub fn text(&self, name: &str) -> Option<String> {
        self.values
            .get(name)
            .and_then(fields::value_to_text)
            .map(|s| s.trim().to_string())
            .filter(|s| !s.is_empty())
    }

    /// A public numeric field.
    pub fn number(&self, name: &str) -> Option<f64> {
        match self.values.get(name)? {
            Value::Double(Some(x)) => Some(*x),
            Value::Float(Some(x)) => Some(f64::from(*x)),
            Value::Int(Some(i)) => Some(f64::from(*i)),
            Value::BigInt(Some(i)) => Some(*i as f64),
            _ => None,
        }
    }

    /// A public yes/no field (absent means no).
    pub fn flag(&self, name: &str) -> bool {
        matches!(self.values.get(name), Some(Value::Bool(Some(true))))
    }

    /// A public MCPD partial date (`YYYYMMDD` with `--`) as ISO 8601 (`2019`, `2019-05`,
    /// `2019-05-12`).
    pub fn iso_date(&self, name: &str) -> Option<String> {
        let raw = self.text(name)?;
        PartialDate::parse(name, &raw, chrono::NaiveDate::MAX)
            .ok()
            .map(|d| d.to_iso_display())
    }

    /// A public `;`-separated list field as its items.
    pub fn list(&self, name: &str) -> Vec<String> {
        self.text(name)
            .map(|s| {
                s.split(';')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(str::to_string)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The accessions still in the collection (not deaccessioned) of the given material types.
pub fn held(types: &[MaterialType]) -> Select<accession::Entity> {
    accession::Entity::find()
        .filter(accession::Column::MaterialType.is_in(types.iter().map(|t| t.as_str())))
        .filter(accession::Column::Status.ne(AccessionStatus::Deaccessioned.as_str()))
}

/// [`held`], oldest first.
pub fn still_held(types: &[MaterialType]) -> Select<accession::Entity> {
    held(types).order_by_asc(accession::Column::Id)
}

/// A label code as printed on the label (`7K3F-9Q2C-X`), the form people read and scan.
pub fn printed_label_code(stored: &str) -> String {
    crate::domain::label_code::LabelCode::parse(stored)
        .map(|c| c.display())
        .unwrap_or_else(|_| stored.to_string())
}

/// The name of the institution with this code, else the code itself.
pub async fn institute_name<C: ConnectionTrait>(conn: &C, code: &str) -> AppResult<String> {
    Ok(entities::institution::Entity::find()
        .filter(entities::institution::Column::Code.eq(code))
        .one(conn)
        .await?
        .map(|i| i.name)
        .unwrap_or_else(|| code.to_string()))
}

/// Every accession still held of the given types, oldest first, as public records.
pub async fn load<C: ConnectionTrait>(
    conn: &C,
    types: &[MaterialType],
) -> AppResult<Vec<PublicRecord>> {
    let cores = still_held(types).all(conn).await?;
    of_cores(conn, cores).await
}

/// Public records for accessions already read, in the same order.
pub async fn of_cores<C: ConnectionTrait>(
    conn: &C,
    cores: Vec<accession::Model>,
) -> AppResult<Vec<PublicRecord>> {
    let mut types = Vec::with_capacity(cores.len());
    for core in &cores {
        types.push(MaterialType::from_str(&core.material_type).map_err(|_| {
            AppError::Internal(format!("accession {} has unknown material type", core.id))
        })?);
    }
    let ids_in = |store: Store| -> Vec<i64> {
        cores
            .iter()
            .zip(&types)
            .filter(|(_, t)| extension_store(**t) == store)
            .map(|(c, _)| c.id)
            .collect()
    };
    let mut ext = HashMap::new();
    read_ext::<C, accession_plant::Entity>(conn, Store::Plant, &ids_in(Store::Plant), &mut ext)
        .await?;
    read_ext::<C, accession_strain::Entity>(conn, Store::Strain, &ids_in(Store::Strain), &mut ext)
        .await?;
    let cell_lines = ids_in(Store::CellLine);
    read_ext::<C, accession_cell_line::Entity>(conn, Store::CellLine, &cell_lines, &mut ext)
        .await?;
    let specimens = ids_in(Store::Specimen);
    read_ext::<C, accession_specimen::Entity>(conn, Store::Specimen, &specimens, &mut ext).await?;
    read_ext::<C, accession_animal::Entity>(conn, Store::Animal, &ids_in(Store::Animal), &mut ext)
        .await?;
    Ok(cores
        .into_iter()
        .zip(types)
        .map(|(core, material_type)| {
            let mut values = BTreeMap::new();
            read_fields(&core, Store::Core, &mut values);
            if let Some(ext) = ext.remove(&core.id) {
                values.extend(ext);
            }
            // Only what the registry marks public, and only fields this type has.
            values.retain(|name, _| {
                fields::spec(name).is_some_and(|s| s.public && s.scope.covers(material_type))
            });
            PublicRecord {
                id: core.id,
                pid: core.pid,
                material_type,
                institute_code: core.institute_code,
                accession_number: core.accession_number,
                taxon_name: core.taxon_name,
                created_at: core.created_at,
                updated_at: core.updated_at,
                values,
            }
        })
        .collect())
}

/// Reads one extension table's rows for the given accessions into `out`, by accession id.
async fn read_ext<C, E>(
    conn: &C,
    store: Store,
    ids: &[i64],
    out: &mut HashMap<i64, BTreeMap<&'static str, Value>>,
) -> AppResult<()>
where
    C: ConnectionTrait,
    E: EntityTrait,
    E::Column: FromStr,
    E::Model: ModelTrait<Entity = E>,
{
    let id_col = E::Column::from_str("accession_id")
        .map_err(|_| AppError::Internal("extension table without accession_id".into()))?;
    for chunk in ids.chunks(ID_CHUNK) {
        let rows = E::find()
            .filter(id_col.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        for row in rows {
            let id = match row.get(id_col) {
                Value::BigInt(Some(id)) => id,
                Value::Int(Some(id)) => i64::from(id),
                _ => continue,
            };
            read_fields(&row, store, out.entry(id).or_default());
        }
    }
    Ok(())
}
