//! Culture-collection export: the microbial strains still held, one row each, in the minimum
//! data set of the WDCM Global Catalogue of Microorganisms (GCM) and MIRRI-IS. Column names
//! follow the MIRRI-IS strain template; built from public records only.

use sea_orm::ConnectionTrait;

use super::public_records::{self, PublicRecord};
use crate::domain::country;
use crate::domain::material::MaterialType;
use crate::domain::organism::{FormOfSupply, NagoyaStatus, OrganismType};
use crate::error::{AppError, AppResult};

/// The CSV header, in column order.
pub const GCM_COLUMNS: [&str; 22] = [
    "Accession number",
    "Strain designation",
    "Other culture collection numbers",
    "Taxon name",
    "Infrasubspecific names",
    "Organism type",
    "Status",
    "Restrictions on use",
    "Nagoya protocol restrictions and compliance conditions",
    "Risk group",
    "Geographic origin",
    "Country",
    "Isolation habitat",
    "Date of isolation",
    "Depositor",
    "History of deposit",
    "Recommended medium for growth",
    "Recommended growth temperature",
    "Atmosphere",
    "Form of supply",
    "Literature",
    "Sequence accession numbers",
];

fn label_of<T: std::str::FromStr>(
    raw: Option<String>,
    label: impl Fn(T) -> &'static str,
) -> String {
    raw.map(|r| r.parse::<T>().map(&label).map(str::to_string).unwrap_or(r))
        .unwrap_or_default()
}

/// One strain as a GCM/MIRRI row, in [`GCM_COLUMNS`] order.
pub fn gcm_row(rec: &PublicRecord) -> Vec<String> {
    let origin = rec.text("origin_country");
    let restrictions = if rec.flag("available") {
        "No restriction"
    } else {
        "No distribution"
    };
    let geographic_origin = [rec.text("collecting_site"), origin.clone()]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
    vec![
        format!("{} {}", rec.institute_code, rec.accession_number),
        rec.text("strain_designation").unwrap_or_default(),
        rec.list("other_collection_numbers").join("; "),
        rec.taxon_name.clone(),
        rec.text("subtaxa").unwrap_or_default(),
        label_of::<OrganismType>(rec.text("organism_type"), OrganismType::label),
        if rec.flag("type_strain") {
            "type strain".into()
        } else {
            String::new()
        },
        restrictions.into(),
        label_of::<NagoyaStatus>(rec.text("nagoya_status"), NagoyaStatus::label),
        rec.number("risk_group")
            .map(|g| format!("{g:.0}"))
            .unwrap_or_default(),
        geographic_origin,
        origin
            .as_deref()
            .and_then(country::name)
            .unwrap_or_default()
            .to_string(),
        rec.text("isolation_source").unwrap_or_default(),
        rec.iso_date("isolation_date").unwrap_or_default(),
        rec.text("depositor").unwrap_or_default(),
        rec.text("deposit_history").unwrap_or_default(),
        rec.text("growth_medium").unwrap_or_default(),
        rec.number("growth_temperature_c")
            .map(|t| format!("{t} °C"))
            .unwrap_or_default(),
        rec.text("atmosphere").unwrap_or_default(),
        label_of::<FormOfSupply>(rec.text("form_of_supply"), FormOfSupply::label),
        rec.text("literature").unwrap_or_default(),
        rec.list("sequence_accessions").join("; "),
    ]
}

/// The strains still held as a GCM/MIRRI CSV, with the number of rows.
pub async fn export_gcm<C: ConnectionTrait>(conn: &C) -> AppResult<(String, usize)> {
    let records = public_records::load(conn, &[MaterialType::Strain]).await?;
    let fail = |e: &dyn std::fmt::Display| AppError::Internal(format!("writing CSV: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(GCM_COLUMNS).map_err(|e| fail(&e))?;
    for rec in &records {
        w.write_record(gcm_row(rec)).map_err(|e| fail(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| fail(&e))?;
    let text = String::from_utf8(bytes).map_err(|e| fail(&e))?;
    Ok((text, records.len()))
}
