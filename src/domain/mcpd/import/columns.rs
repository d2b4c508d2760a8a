//! MCPD columns in canonical export order, and the accession field each one is stored in.

use super::super::super::material::MaterialType;

/// Every MCPD column in the canonical order of MCPD.md, with the accession field registry name
/// that stores it (`None` for the DMS columns, which are converted into the decimal ones).
pub const COLUMNS: &[(&str, Option<&str>)] = &[
    ("PUID", Some("puid")),
    ("INSTCODE", Some("institute_code")),
    ("ACCENUMB", Some("accession_number")),
    ("COLLNUMB", Some("collecting_number")),
    ("COLLCODE", Some("collecting_institute_codes")),
    ("COLLNAME", Some("collecting_institute_name")),
    ("COLLINSTADDRESS", Some("collecting_institute_address")),
    ("COLLMISSID", Some("collecting_mission_id")),
    ("GENUS", Some("genus")),
    ("SPECIES", Some("species")),
    ("SPAUTHOR", Some("species_authority")),
    ("SUBTAXA", Some("subtaxa")),
    ("SUBTAUTHOR", Some("subtaxa_authority")),
    ("CROPNAME", Some("crop_name")),
    ("ACCENAME", Some("accession_names")),
    ("ACQDATE", Some("acquisition_date")),
    ("ORIGCTY", Some("origin_country")),
    ("COLLSITE", Some("collecting_site")),
    ("DECLATITUDE", Some("latitude")),
    ("LATITUDE", None),
    ("DECLONGITUDE", Some("longitude")),
    ("LONGITUDE", None),
    ("COORDUNCERT", Some("coordinate_uncertainty_m")),
    ("COORDDATUM", Some("coordinate_datum")),
    ("GEOREFMETH", Some("georeference_method")),
    ("ELEVATION", Some("elevation_m")),
    ("COLLDATE", Some("collecting_date")),
    ("BREDCODE", Some("bred_institute_codes")),
    ("BREDNAME", Some("bred_institute_name")),
    ("SAMPSTAT", Some("biological_status")),
    ("ANCEST", Some("ancestral_data")),
    ("COLLSRC", Some("acquisition_source")),
    ("DONORCODE", Some("donor_institute_code")),
    ("DONORNAME", Some("donor_name")),
    ("DONORNUMB", Some("donor_accession_number")),
    ("OTHERNUMB", Some("other_numbers")),
    ("DUPLSITE", Some("safety_duplicate_sites")),
    ("DUPLINSTNAME", Some("safety_duplicate_institute_names")),
    ("STORAGE", Some("storage_types")),
    ("MLSSTAT", Some("mls_status")),
    ("REMARKS", Some("remarks")),
    ("ACCEURL", Some("accession_url")),
];

/// The accession field an MCPD column is stored in.
pub fn field_for(column: &str) -> Option<&'static str> {
    COLUMNS
        .iter()
        .find(|(c, _)| *c == column)
        .and_then(|(_, f)| *f)
}

/// The material type STORAGE implies: seed storage (10–13) means seed, otherwise a field
/// collection (20) means clonal plants and in vitro (30) in vitro plants; seed by default.
pub fn material_type_for_storage(storage: &str) -> MaterialType {
    let codes: Vec<&str> = storage.split(';').map(str::trim).collect();
    let has = |c: &str| codes.contains(&c);
    if ["10", "11", "12", "13"].iter().any(|c| has(c)) {
        MaterialType::Seed
    } else if has("20") {
        MaterialType::ClonalPlant
    } else if has("30") {
        MaterialType::InVitroPlant
    } else {
        MaterialType::Seed
    }
}
