//! MIABIS export (BBMRI-ERIC): the collections (MIABIS Core 3 collection attributes), one per
//! material type held, and the samples in them (the MIABIS sample fields), as JSON or as CSV.
//! Built from public records only: no donor code, diagnosis or consent details.

use std::collections::{BTreeSet, HashMap};

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use entities::{sample, storage_unit};

use super::public_records::{self, PublicRecord};
use crate::domain::material::{MaterialType, SampleStatus};
use crate::domain::miabis;
use crate::error::{AppError, AppResult};

/// The material types a biobank directory lists: specimens, cell lines and microbial strains.
pub const MIABIS_TYPES: [MaterialType; 3] = [
    MaterialType::Specimen,
    MaterialType::CellLine,
    MaterialType::Strain,
];

/// The repository the collections belong to.
#[derive(Debug, Clone)]
pub struct Biobank {
    pub institute_code: String,
    pub name: String,
    pub base_url: String,
}

/// A MIABIS Core 3 collection.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Collection {
    pub id: String,
    pub name: String,
    pub acronym: String,
    pub description: String,
    pub contact: String,
    pub url: String,
    pub status: &'static str,
    pub dataset_type: &'static str,
    pub collection_design: &'static str,
    pub sample_source: Vec<String>,
    pub sex: Vec<String>,
    pub sample_types: Vec<String>,
    pub storage_temperatures: Vec<String>,
    pub number_of_samples: usize,
    pub number_of_accessions: usize,
}

/// A MIABIS sample: one physical unit with its label code as the persistent sample ID.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Sample {
    pub id: String,
    pub collection_id: String,
    pub material_id: String,
    pub parent_sample_id: Option<String>,
    pub sample_type: String,
    pub sample_source: &'static str,
    pub storage_temperature: Option<String>,
    pub creation_date: String,
    pub anatomical_site: Option<String>,
    pub sex: Option<String>,
    pub available_for_distribution: bool,
}

/// The whole MIABIS document.
#[derive(Debug, Clone, Serialize)]
pub struct MiabisExport {
    pub standard: &'static str,
    pub biobank_id: String,
    pub biobank_name: String,
    pub collections: Vec<Collection>,
    pub samples: Vec<Sample>,
}

/// The collection a material type's accessions belong to.
fn collection_id(institute_code: &str, t: MaterialType) -> String {
    format!("{institute_code}:collection:{}", t.as_str())
}

/// A sample's storage band, from the nearest unit up its storage tree that has a set-point.
fn band_of(units: &HashMap<i64, storage_unit::Model>, mut unit_id: Option<i64>) -> Option<String> {
    // The tree is shallow; the bound only guards against a cycle in bad data.
    for _ in 0..32 {
        let unit = units.get(&unit_id?)?;
        if let Some(t) = unit.temperature_c {
            return Some(
                miabis::storage_temperature_band(t, unit.equipment_type.as_deref()).into(),
            );
        }
        unit_id = unit.parent_id;
    }
    None
}

fn sample_of(
    rec: &PublicRecord,
    s: &sample::Model,
    codes: &HashMap<i64, String>,
    units: &HashMap<i64, storage_unit::Model>,
) -> Sample {
    Sample {
        id: public_records::printed_label_code(&s.label_code),
        collection_id: collection_id(&rec.institute_code, rec.material_type),
        material_id: rec.pid.clone(),
        parent_sample_id: s.parent_sample_id.and_then(|p| codes.get(&p).cloned()),
        sample_type: miabis::sample_type(
            rec.material_type,
            rec.text("specimen_type").as_deref(),
            rec.text("category").as_deref(),
        ),
        sample_source: miabis::sample_source(
            rec.material_type,
            rec.text("sample_source").as_deref(),
        ),
        storage_temperature: band_of(units, s.storage_unit_id),
        creation_date: s
            .banked_on
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| s.created_at.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
        anatomical_site: rec.text("anatomical_site"),
        sex: rec.text("sex"),
        available_for_distribution: rec.flag("available")
            && s.status == SampleStatus::Available.as_str(),
    }
}

fn sorted(set: BTreeSet<String>) -> Vec<String> {
    set.into_iter().collect()
}

/// Builds the MIABIS document for everything still held of the MIABIS material types.
pub async fn export_miabis<C: ConnectionTrait>(
    conn: &C,
    biobank: &Biobank,
) -> AppResult<MiabisExport> {
    let records = public_records::load(conn, &MIABIS_TYPES).await?;
    let by_id: HashMap<i64, &PublicRecord> = records.iter().map(|r| (r.id, r)).collect();
    let gone = [
        SampleStatus::Depleted.as_str(),
        SampleStatus::Discarded.as_str(),
        SampleStatus::Distributed.as_str(),
    ];
    let mut samples_held = Vec::new();
    let ids: Vec<i64> = records.iter().map(|r| r.id).collect();
    for chunk in ids.chunks(500) {
        samples_held.extend(
            sample::Entity::find()
                .filter(sample::Column::AccessionId.is_in(chunk.iter().copied()))
                .filter(sample::Column::Status.is_not_in(gone))
                .order_by_asc(sample::Column::Id)
                .all(conn)
                .await?,
        );
    }
    samples_held.sort_by_key(|s| s.id);
    let codes: HashMap<i64, String> = samples_held
        .iter()
        .map(|s| (s.id, public_records::printed_label_code(&s.label_code)))
        .collect();
    let units: HashMap<i64, storage_unit::Model> = storage_unit::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    let mut samples = Vec::with_capacity(samples_held.len());
    for s in &samples_held {
        let rec = by_id
            .get(&s.accession_id)
            .ok_or_else(|| AppError::Internal(format!("sample {} lost its accession", s.id)))?;
        samples.push(sample_of(rec, s, &codes, &units));
    }
    let mut collections = Vec::new();
    for t in MIABIS_TYPES {
        let members: Vec<&PublicRecord> = records.iter().filter(|r| r.material_type == t).collect();
        if members.is_empty() {
            continue;
        }
        let id = collection_id(&biobank.institute_code, t);
        let in_collection: Vec<&Sample> =
            samples.iter().filter(|s| s.collection_id == id).collect();
        let types: BTreeSet<String> = members
            .iter()
            .map(|r| {
                miabis::sample_type(
                    t,
                    r.text("specimen_type").as_deref(),
                    r.text("category").as_deref(),
                )
            })
            .collect();
        let sources: BTreeSet<String> = members
            .iter()
            .map(|r| miabis::sample_source(t, r.text("sample_source").as_deref()).to_string())
            .collect();
        collections.push(Collection {
            name: format!("{} — {}", biobank.name, t.label()),
            acronym: format!("{}-{}", biobank.institute_code, t.as_str().to_uppercase()),
            description: format!(
                "{} held by {} ({}), each with a persistent identifier resolvable at {}/id/.",
                t.label(),
                biobank.name,
                biobank.institute_code,
                biobank.base_url
            ),
            contact: biobank.name.clone(),
            url: format!("{}/catalog?material_type={}", biobank.base_url, t.as_str()),
            status: "Active",
            dataset_type: "Biological samples",
            collection_design: if t == MaterialType::Specimen {
                "Sample collection"
            } else {
                "Non-human collection"
            },
            sample_source: sorted(sources),
            sex: sorted(members.iter().filter_map(|r| r.text("sex")).collect()),
            sample_types: sorted(types),
            storage_temperatures: sorted(
                in_collection
                    .iter()
                    .filter_map(|s| s.storage_temperature.clone())
                    .collect(),
            ),
            number_of_samples: in_collection.len(),
            number_of_accessions: members.len(),
            id,
        });
    }
    Ok(MiabisExport {
        standard: "MIABIS Core 3.0",
        biobank_id: biobank.institute_code.clone(),
        biobank_name: biobank.name.clone(),
        collections,
        samples,
    })
}

fn csv_text(write: impl FnOnce(&mut csv::Writer<Vec<u8>>) -> csv::Result<()>) -> AppResult<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    write(&mut w).map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("writing CSV: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(format!("writing CSV: {e}")))
}

/// The collections as CSV, one row each; list attributes are joined with `|`.
pub fn collections_csv(export: &MiabisExport) -> AppResult<String> {
    csv_text(|w| {
        w.write_record([
            "id",
            "name",
            "acronym",
            "description",
            "contact",
            "url",
            "status",
            "dataset_type",
            "collection_design",
            "sample_source",
            "sex",
            "sample_types",
            "storage_temperatures",
            "number_of_samples",
            "number_of_accessions",
        ])?;
        for c in &export.collections {
            w.write_record([
                c.id.as_str(),
                &c.name,
                &c.acronym,
                &c.description,
                &c.contact,
                &c.url,
                c.status,
                c.dataset_type,
                c.collection_design,
                &c.sample_source.join("|"),
                &c.sex.join("|"),
                &c.sample_types.join("|"),
                &c.storage_temperatures.join("|"),
                &c.number_of_samples.to_string(),
                &c.number_of_accessions.to_string(),
            ])?;
        }
        Ok(())
    })
}

/// The samples as CSV, one row each.
pub fn samples_csv(export: &MiabisExport) -> AppResult<String> {
    csv_text(|w| {
        w.write_record([
            "id",
            "collection_id",
            "material_id",
            "parent_sample_id",
            "sample_type",
            "sample_source",
            "storage_temperature",
            "creation_date",
            "anatomical_site",
            "sex",
            "available_for_distribution",
        ])?;
        for s in &export.samples {
            w.write_record([
                s.id.as_str(),
                &s.collection_id,
                &s.material_id,
                s.parent_sample_id.as_deref().unwrap_or(""),
                &s.sample_type,
                s.sample_source,
                s.storage_temperature.as_deref().unwrap_or(""),
                &s.creation_date,
                s.anatomical_site.as_deref().unwrap_or(""),
                s.sex.as_deref().unwrap_or(""),
                if s.available_for_distribution {
                    "true"
                } else {
                    "false"
                },
            ])?;
        }
        Ok(())
    })
}
