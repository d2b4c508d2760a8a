//! The accession field registry: one table that says, for every passport field, where it is
//! stored, which material types have it, and how its value is checked. Forms, the JSON API,
//! the OpenAPI schema and the detail page are all driven by it, so they cannot drift apart.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use sea_orm::Value;

use crate::domain::FieldError;
use crate::domain::material::MaterialType;
use crate::domain::{cell_line, mcpd, organism, specimen, text};

/// Where a field is stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Store {
    Core,
    Plant,
    Strain,
    CellLine,
    Specimen,
    Animal,
}

/// Which material types have a field.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    All,
    Plant,
    Strain,
    CellLine,
    Specimen,
    Animal,
    /// Everything with a Linnean taxon: plants, strains, animal germplasm.
    Taxon,
    /// Living organisms under biosafety rules: strains, cell lines, specimens, animal material.
    Biosafety,
}

impl Scope {
    /// True when material of this type has the field.
    pub fn covers(self, t: MaterialType) -> bool {
        use MaterialType as M;
        match self {
            Scope::All => true,
            Scope::Plant => t.is_plant(),
            Scope::Strain => t == M::Strain,
            Scope::CellLine => t == M::CellLine,
            Scope::Specimen => t == M::Specimen,
            Scope::Animal => t == M::AnimalGermplasm,
            Scope::Taxon => t.is_plant() || matches!(t, M::Strain | M::AnimalGermplasm),
            Scope::Biosafety => !t.is_plant(),
        }
    }

    /// The `data-types` attribute for the form's fieldsets.
    pub fn type_list(self) -> String {
        MaterialType::ALL
            .iter()
            .filter(|t| self.covers(**t))
            .map(|t| t.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// How a value is checked and stored.
#[derive(Debug, Clone, Copy)]
pub enum Kind {
    Text(usize),
    LongText(usize),
    Int(i32, i32),
    Float(f64, f64),
    Bool,
    /// One of a closed list of codes.
    Choice(&'static [&'static str]),
    /// MCPD partial date `YYYYMMDD` with `--` or `00` for unknown parts.
    PartialDate,
    DateTime,
    /// A rule from the domain that also normalises the value.
    Rule(fn(&str, &str, NaiveDate) -> Result<String, FieldError>),
}

/// One passport field.
#[derive(Debug, Clone, Copy)]
pub struct FieldSpec {
    pub name: &'static str,
    pub store: Store,
    pub scope: Scope,
    pub kind: Kind,
    /// Shown in the public catalog (donor data and restricted fields are not).
    pub public: bool,
}

const fn f(name: &'static str, store: Store, scope: Scope, kind: Kind, public: bool) -> FieldSpec {
    FieldSpec {
        name,
        store,
        scope,
        kind,
        public,
    }
}

use Kind::*;
use Scope as S;
use Store as T;

fn rule_instcode(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    let v = v.trim().to_string();
    mcpd::validate_wiews_code(field, &v).map(|_| v)
}
fn rule_instcode_list(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    let codes: Vec<&str> = v
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    for c in &codes {
        mcpd::validate_wiews_code(field, c)?;
    }
    Ok(codes.join(";"))
}
fn rule_country(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    let v = v.trim().to_string();
    mcpd::validate_country_code(field, &v).map(|_| v)
}
fn rule_sampstat(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    mcpd::parse_sampstat(v.trim())
        .map(|c| c.to_string())
        .map_err(|e| rename(e, field))
}
fn rule_collsrc(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    mcpd::parse_collsrc(v.trim())
        .map(|c| c.to_string())
        .map_err(|e| rename(e, field))
}
fn rule_storage(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    mcpd::parse_storage(v.trim())
        .map(|c| mcpd::format_storage(&c))
        .map_err(|e| rename(e, field))
}
fn rule_mlsstat(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    mcpd::normalise_mlsstat(v.trim())
        .map(|(c, _)| c.to_string())
        .map_err(|e| rename(e, field))
}
fn rule_genus(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    let v = v.trim().to_string();
    mcpd::validate_genus(&v)
        .map(|_| v)
        .map_err(|e| rename(e, field))
}
fn rule_species(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    let v = v.trim().to_string();
    mcpd::validate_species(&v)
        .map(|_| v)
        .map_err(|e| rename(e, field))
}
fn rule_cellosaurus(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    cell_line::validate_cellosaurus_accession(v.trim()).map_err(|e| rename(e, field))
}
fn rule_str_profile(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    cell_line::StrProfile::parse(v)
        .map(|p| p.to_canonical())
        .map_err(|e| rename(e, field))
}
fn rule_donor_code(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    let v = v.trim().to_string();
    specimen::validate_donor_code(&v)
        .map(|_| v)
        .map_err(|e| rename(e, field))
}
fn rule_sprec(field: &str, v: &str, _: NaiveDate) -> Result<String, FieldError> {
    let v = v.trim().to_string();
    specimen::validate_sprec(&v)
        .map(|_| v)
        .map_err(|e| rename(e, field))
}

/// Re-labels a domain error with the API's field name (the message keeps its wording).
fn rename(mut e: FieldError, field: &str) -> FieldError {
    if e.field != field {
        let old = std::mem::replace(&mut e.field, field.to_string());
        if let Some(rest) = e.message.strip_prefix(&format!("{old}: ")) {
            e.message = format!("{field}: {rest}");
        } else {
            e.message = format!("{field}: {}", e.message);
        }
    }
    e
}

/// Every accession field, in form order.
pub static FIELDS: &[FieldSpec] = &[
    // identity and taxon
    f("accession_number", T::Core, S::All, Text(64), true),
    f("institute_code", T::Core, S::All, Rule(rule_instcode), true),
    f("accession_names", T::Core, S::All, Text(500), true),
    f("genus", T::Core, S::Taxon, Rule(rule_genus), true),
    f("species", T::Core, S::Taxon, Rule(rule_species), true),
    f("species_authority", T::Core, S::Taxon, Text(100), true),
    f("subtaxa", T::Core, S::Taxon, Text(100), true),
    f("subtaxa_authority", T::Core, S::Taxon, Text(100), true),
    f("crop_name", T::Core, S::Plant, Text(100), true),
    // acquisition and origin
    f("acquisition_date", T::Core, S::All, PartialDate, true),
    f(
        "acquisition_source",
        T::Core,
        S::Plant,
        Rule(rule_collsrc),
        true,
    ),
    f(
        "donor_institute_code",
        T::Core,
        S::All,
        Rule(rule_instcode),
        true,
    ),
    f("donor_name", T::Core, S::All, Text(200), false),
    f("donor_accession_number", T::Core, S::All, Text(100), true),
    f("origin_country", T::Core, S::All, Rule(rule_country), true),
    f("collecting_site", T::Core, S::All, Text(500), true),
    f("latitude", T::Core, S::All, Float(-90.0, 90.0), true),
    f("longitude", T::Core, S::All, Float(-180.0, 180.0), true),
    f(
        "coordinate_uncertainty_m",
        T::Core,
        S::All,
        Int(0, 20_000_000),
        true,
    ),
    f("elevation_m", T::Core, S::All, Int(-500, 9000), true),
    f("collecting_date", T::Core, S::All, PartialDate, true),
    f(
        "biological_status",
        T::Core,
        S::Plant,
        Rule(rule_sampstat),
        true,
    ),
    // access and restrictions
    f("available", T::Core, S::All, Bool, true),
    f("availability_note", T::Core, S::All, Text(500), true),
    f("mls_status", T::Core, S::Plant, Rule(rule_mlsstat), true),
    f("risk_group", T::Core, S::Biosafety, Int(1, 4), true),
    f(
        "nagoya_status",
        T::Core,
        S::Biosafety,
        Choice(organism::NagoyaStatus::KEYS),
        true,
    ),
    f("consent_scope", T::Core, S::Specimen, Text(500), false),
    f("remarks", T::Core, S::All, LongText(4000), true),
    // plant passport (MCPD)
    f("puid", T::Plant, S::Plant, Text(200), true),
    f("collecting_number", T::Plant, S::Plant, Text(100), true),
    f(
        "collecting_institute_codes",
        T::Plant,
        S::Plant,
        Rule(rule_instcode_list),
        true,
    ),
    f(
        "collecting_institute_name",
        T::Plant,
        S::Plant,
        Text(300),
        true,
    ),
    f(
        "collecting_institute_address",
        T::Plant,
        S::Plant,
        Text(500),
        true,
    ),
    f("collecting_mission_id", T::Plant, S::Plant, Text(100), true),
    f(
        "bred_institute_codes",
        T::Plant,
        S::Plant,
        Rule(rule_instcode_list),
        true,
    ),
    f("bred_institute_name", T::Plant, S::Plant, Text(300), true),
    f("ancestral_data", T::Plant, S::Plant, Text(1000), true),
    f("other_numbers", T::Plant, S::Plant, Text(500), true),
    f(
        "safety_duplicate_sites",
        T::Plant,
        S::Plant,
        Rule(rule_instcode_list),
        true,
    ),
    f(
        "safety_duplicate_institute_names",
        T::Plant,
        S::Plant,
        Text(500),
        true,
    ),
    f(
        "storage_types",
        T::Plant,
        S::Plant,
        Rule(rule_storage),
        true,
    ),
    f("coordinate_datum", T::Plant, S::Plant, Text(50), true),
    f("georeference_method", T::Plant, S::Plant, Text(100), true),
    f("accession_url", T::Plant, S::Plant, Text(500), true),
    f(
        "seed_storage_behaviour",
        T::Plant,
        S::Plant,
        Choice(&["orthodox", "intermediate", "recalcitrant"]),
        true,
    ),
    f(
        "thousand_seed_weight_g",
        T::Plant,
        S::Plant,
        Float(0.0, 100_000.0),
        true,
    ),
    // strain
    f("strain_designation", T::Strain, S::Strain, Text(100), true),
    f(
        "other_collection_numbers",
        T::Strain,
        S::Strain,
        Text(500),
        true,
    ),
    f(
        "organism_type",
        T::Strain,
        S::Strain,
        Choice(organism::OrganismType::KEYS),
        true,
    ),
    f("type_strain", T::Strain, S::Strain, Bool, true),
    f("isolation_source", T::Strain, S::Strain, Text(500), true),
    f("isolation_date", T::Strain, S::Strain, PartialDate, true),
    f("depositor", T::Strain, S::Strain, Text(200), true),
    f("deposit_history", T::Strain, S::Strain, Text(1000), true),
    f("growth_medium", T::Strain, S::Strain, Text(200), true),
    f(
        "growth_temperature_c",
        T::Strain,
        S::Strain,
        Float(-20.0, 121.0),
        true,
    ),
    f("atmosphere", T::Strain, S::Strain, Text(100), true),
    f(
        "form_of_supply",
        T::Strain,
        S::Strain,
        Choice(organism::FormOfSupply::KEYS),
        true,
    ),
    f("sequence_accessions", T::Strain, S::Strain, Text(500), true),
    f("literature", T::Strain, S::Strain, Text(2000), true),
    // cell line
    f(
        "cellosaurus_accession",
        T::CellLine,
        S::CellLine,
        Rule(rule_cellosaurus),
        true,
    ),
    f("synonyms", T::CellLine, S::CellLine, Text(500), true),
    f("organism", T::CellLine, S::CellLine, Text(200), true),
    f("tissue", T::CellLine, S::CellLine, Text(200), true),
    f("disease", T::CellLine, S::CellLine, Text(200), true),
    f(
        "sex",
        T::CellLine,
        S::CellLine,
        Choice(&["female", "male", "mixed", "unknown"]),
        true,
    ),
    f("age_at_sampling", T::CellLine, S::CellLine, Text(50), true),
    f("category", T::CellLine, S::CellLine, Text(100), true),
    f("culture_medium", T::CellLine, S::CellLine, Text(300), true),
    f(
        "passage_at_banking",
        T::CellLine,
        S::CellLine,
        Int(0, 1000),
        true,
    ),
    f(
        "bank_level",
        T::CellLine,
        S::CellLine,
        Choice(&["master", "working"]),
        true,
    ),
    f(
        "str_profile",
        T::CellLine,
        S::CellLine,
        Rule(rule_str_profile),
        true,
    ),
    f("known_problems", T::CellLine, S::CellLine, Text(1000), true),
    // specimen (donor data never public)
    f(
        "donor_code",
        T::Specimen,
        S::Specimen,
        Rule(rule_donor_code),
        false,
    ),
    f(
        "sample_source",
        T::Specimen,
        S::Specimen,
        Choice(&["human", "animal", "environment"]),
        true,
    ),
    f(
        "specimen_type",
        T::Specimen,
        S::Specimen,
        Choice(specimen::SpecimenType::KEYS),
        true,
    ),
    f("anatomical_site", T::Specimen, S::Specimen, Text(200), true),
    f("diagnosis", T::Specimen, S::Specimen, Text(200), false),
    f(
        "collection_datetime",
        T::Specimen,
        S::Specimen,
        DateTime,
        false,
    ),
    f(
        "sprec_code",
        T::Specimen,
        S::Specimen,
        Rule(rule_sprec),
        true,
    ),
    f(
        "consent_status",
        T::Specimen,
        S::Specimen,
        Choice(specimen::ConsentStatus::KEYS),
        false,
    ),
    f(
        "ethics_reference",
        T::Specimen,
        S::Specimen,
        Text(200),
        false,
    ),
    // animal germplasm
    f("breed", T::Animal, S::Animal, Text(200), true),
    f(
        "germplasm_type",
        T::Animal,
        S::Animal,
        Choice(&[
            "semen",
            "embryo",
            "oocyte",
            "somatic_cells",
            "tissue",
            "dna",
        ]),
        true,
    ),
    f(
        "animal_sex",
        T::Animal,
        S::Animal,
        Choice(&["female", "male", "unknown"]),
        true,
    ),
    f("donor_animal_id", T::Animal, S::Animal, Text(100), true),
    f("sire", T::Animal, S::Animal, Text(100), true),
    f("dam", T::Animal, S::Animal, Text(100), true),
    f("collection_date", T::Animal, S::Animal, PartialDate, true),
    f("collection_site", T::Animal, S::Animal, Text(300), true),
];

/// The spec of a field by name.
pub fn spec(name: &str) -> Option<&'static FieldSpec> {
    FIELDS.iter().find(|s| s.name == name)
}

/// Fields that material of this type has, in form order.
pub fn fields_for(t: MaterialType) -> impl Iterator<Item = &'static FieldSpec> {
    FIELDS.iter().filter(move |s| s.scope.covers(t))
}

/// Fields a type must have filled in.
pub fn required_for(t: MaterialType) -> &'static [&'static str] {
    use MaterialType as M;
    match t {
        M::Seed | M::ClonalPlant | M::InVitroPlant => &["accession_number", "genus"],
        M::Strain => &["accession_number", "genus", "risk_group", "nagoya_status"],
        M::CellLine => &[
            "accession_number",
            "accession_names",
            "organism",
            "risk_group",
        ],
        M::Specimen => &[
            "accession_number",
            "donor_code",
            "specimen_type",
            "sample_source",
        ],
        M::AnimalGermplasm => &["accession_number", "genus", "species", "germplasm_type"],
    }
}

/// A checked value ready for the database.
#[derive(Debug, Clone, PartialEq)]
pub enum Checked {
    Text(String),
    Int(i32),
    Float(f64),
    Bool(bool),
    DateTime(chrono::DateTime<chrono::Utc>),
}

impl Checked {
    /// The database value.
    pub fn to_value(&self) -> Value {
        match self {
            Checked::Text(s) => Value::String(Some(s.clone())),
            Checked::Int(i) => Value::Int(Some(*i)),
            Checked::Float(x) => Value::Double(Some(*x)),
            Checked::Bool(b) => Value::Bool(Some(*b)),
            Checked::DateTime(d) => Value::ChronoDateTimeUtc(Some(*d)),
        }
    }
}

/// The typed null for a field's column.
pub fn null_value(kind: Kind) -> Value {
    match kind {
        Int(..) => Value::Int(None),
        Float(..) => Value::Double(None),
        // Flags are never unknown: an unticked box means no.
        Bool => Value::Bool(Some(false)),
        DateTime => Value::ChronoDateTimeUtc(None),
        _ => Value::String(None),
    }
}

/// A stored value as the text a form or page shows.
pub fn value_to_text(v: &Value) -> Option<String> {
    match v {
        Value::String(Some(s)) => Some(s.clone()),
        Value::Int(Some(i)) => Some(i.to_string()),
        Value::BigInt(Some(i)) => Some(i.to_string()),
        Value::Double(Some(x)) => Some(x.to_string()),
        Value::Bool(Some(b)) => Some(b.to_string()),
        Value::ChronoDateTimeUtc(Some(d)) => Some(d.format("%Y-%m-%dT%H:%M").to_string()),
        _ => None,
    }
}

/// A stored value as JSON for the API.
pub fn value_to_json(v: &Value) -> serde_json::Value {
    match v {
        Value::Int(Some(i)) => (*i).into(),
        Value::BigInt(Some(i)) => (*i).into(),
        Value::Double(Some(x)) => serde_json::Number::from_f64(*x)
            .map(Into::into)
            .unwrap_or(serde_json::Value::Null),
        Value::Bool(Some(b)) => (*b).into(),
        Value::ChronoDateTimeUtc(Some(d)) => d.to_rfc3339().into(),
        other => value_to_text(other)
            .map(Into::into)
            .unwrap_or(serde_json::Value::Null),
    }
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_ascii_lowercase().as_str() {
        "true" | "1" | "yes" | "y" | "on" => Some(true),
        "false" | "0" | "no" | "n" | "off" => Some(false),
        _ => None,
    }
}

/// Checks one value against its spec and returns it normalised.
pub fn check_value(spec: &FieldSpec, raw: &str, today: NaiveDate) -> Result<Checked, FieldError> {
    let name = spec.name;
    let v = raw.trim();
    let bad =
        |code: &'static str, msg: String| FieldError::new(name, code, format!("{name}: {msg}"));
    match spec.kind {
        Text(max) | LongText(max) => text::check_text(name, v, max).map(Checked::Text),
        Int(min, max) => match v.parse::<i64>() {
            Ok(i) if i >= min as i64 && i <= max as i64 => Ok(Checked::Int(i as i32)),
            Ok(_) => Err(bad("out_of_range", format!("'{v}' is outside {min}…{max}"))),
            Err(_) => Err(bad("invalid_type", format!("'{v}' is not a whole number"))),
        },
        Float(min, max) => match v.replace(',', ".").parse::<f64>() {
            Ok(x) if x.is_finite() && x >= min && x <= max => Ok(Checked::Float(x)),
            Ok(_) => Err(bad("out_of_range", format!("'{v}' is outside {min}…{max}"))),
            Err(_) => Err(bad("invalid_type", format!("'{v}' is not a number"))),
        },
        Bool => parse_bool(v)
            .map(Checked::Bool)
            .ok_or_else(|| bad("invalid_type", format!("'{v}' is not true or false"))),
        Choice(allowed) => {
            if allowed.contains(&v) {
                Ok(Checked::Text(v.to_string()))
            } else {
                Err(bad(
                    "invalid_code",
                    format!("'{v}' is not one of: {}", allowed.join(", ")),
                ))
            }
        }
        PartialDate => mcpd::PartialDate::parse(name, v, today).map(|d| Checked::Text(d.to_mcpd())),
        DateTime => parse_datetime(v).map(Checked::DateTime).ok_or_else(|| {
            bad(
                "invalid_format",
                format!("'{v}' is not a date and time (YYYY-MM-DDTHH:MM)"),
            )
        }),
        Rule(rule) => rule(name, v, today).map(Checked::Text),
    }
}

fn parse_datetime(v: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    if let Ok(d) = chrono::DateTime::parse_from_rfc3339(v) {
        return Some(d.with_timezone(&chrono::Utc));
    }
    for fmt in ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S"] {
        if let Ok(n) = chrono::NaiveDateTime::parse_from_str(v, fmt) {
            return Some(n.and_utc());
        }
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|n| n.and_utc())
}

/// Raw input as text values by field name; an empty value means "not given".
pub type RawInput = BTreeMap<String, String>;

/// Checks a whole record for a material type: every value, the required fields, and that no
/// field belongs to another type. Returns the normalised values (absent = cleared).
pub fn check_record(
    t: MaterialType,
    raw: &RawInput,
    today: NaiveDate,
    strict_scope: bool,
) -> Result<BTreeMap<&'static str, Checked>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut out = BTreeMap::new();
    for (name, value) in raw {
        if name == "material_type" {
            continue;
        }
        let Some(spec) = spec(name) else {
            errors.push(FieldError::new(
                name,
                "unknown_field",
                format!("{name}: unknown field"),
            ));
            continue;
        };
        if !spec.scope.covers(t) {
            if strict_scope && !value.trim().is_empty() {
                errors.push(FieldError::new(
                    name,
                    "not_applicable",
                    format!("{name}: does not apply to material type {}", t.as_str()),
                ));
            }
            continue;
        }
        if value.trim().is_empty() {
            continue;
        }
        match check_value(spec, value, today) {
            Ok(v) => {
                out.insert(spec.name, v);
            }
            Err(e) => errors.push(e),
        }
    }
    for req in required_for(t) {
        if !out.contains_key(req) && !errors.iter().any(|e| e.field == *req) {
            errors.push(FieldError::new(
                *req,
                "required",
                format!("{req}: a value is required"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Turns a JSON object into raw text input, refusing nested values.
pub fn raw_from_json(
    obj: &serde_json::Map<String, serde_json::Value>,
) -> Result<RawInput, Vec<FieldError>> {
    let mut raw = RawInput::new();
    let mut errors = Vec::new();
    for (k, v) in obj {
        let text = match v {
            serde_json::Value::Null => String::new(),
            serde_json::Value::String(s) => s.clone(),
            serde_json::Value::Number(n) => n.to_string(),
            serde_json::Value::Bool(b) => b.to_string(),
            _ => {
                errors.push(FieldError::new(
                    k,
                    "invalid_type",
                    format!("{k}: must be a single value, not a list or object"),
                ));
                continue;
            }
        };
        raw.insert(k.clone(), text);
    }
    if errors.is_empty() {
        Ok(raw)
    } else {
        Err(errors)
    }
}
