//! BrAPI objects: how a public record, a sample and a ledger entry look as BrAPI v2.1 Germplasm,
//! MCPD, SeedLot and SeedLotTransaction objects. Every key the official schemas require is
//! present (null where the registry has no value); coded values outside the schemas' lists are
//! left out rather than sent invalid.

use std::collections::HashMap;

use serde_json::{Value, json};

use entities::{accession, ledger_entry, sample, storage_unit};

use super::Server;
use crate::domain::{mcpd, pid};
use crate::services::public_records::{PublicRecord, printed_label_code};

/// SAMPSTAT codes the BrAPI schema accepts.
const SAMPSTAT_CODES: [&str; 21] = [
    "100", "110", "120", "130", "200", "300", "400", "410", "411", "412", "413", "414", "415",
    "416", "420", "421", "422", "423", "500", "600", "999",
];
/// COLLSRC codes the BrAPI schema accepts.
const COLLSRC_CODES: [&str; 22] = [
    "10", "11", "12", "13", "14", "15", "20", "21", "22", "23", "24", "25", "26", "27", "28", "30",
    "40", "50", "60", "61", "62", "99",
];
/// STORAGE codes the BrAPI schema accepts.
const STORAGE_CODES: [&str; 9] = ["10", "11", "12", "13", "20", "30", "40", "50", "99"];

pub(super) fn germplasm_name(rec: &PublicRecord) -> String {
    rec.list("accession_names")
        .into_iter()
        .next()
        .unwrap_or_else(|| rec.accession_number.clone())
}

pub(super) fn coded(v: Option<String>, allowed: &[&str]) -> Value {
    match v {
        Some(c) if allowed.contains(&c.as_str()) => Value::String(c),
        _ => Value::Null,
    }
}

pub(super) fn opt(v: Option<String>) -> Value {
    v.map(Value::String).unwrap_or(Value::Null)
}

pub(super) fn number_text(rec: &PublicRecord, name: &str) -> Value {
    opt(rec.number(name).map(|x| x.to_string()))
}

pub(super) fn storage_codes(rec: &PublicRecord) -> Vec<String> {
    rec.list("storage_types")
        .into_iter()
        .filter(|c| STORAGE_CODES.contains(&c.as_str()))
        .collect()
}

pub(super) fn pui(rec: &PublicRecord) -> String {
    rec.text("puid").unwrap_or_else(|| rec.pid.clone())
}

/// A plant accession as a BrAPI Germplasm object.
pub(super) fn germplasm_json(
    rec: &PublicRecord,
    server: &Server,
    names: &HashMap<String, String>,
) -> Value {
    let name = germplasm_name(rec);
    let sampstat = rec.text("biological_status");
    let sampstat_label = sampstat
        .as_deref()
        .and_then(|c| c.parse::<i32>().ok())
        .and_then(mcpd::sampstat_label);
    let mut synonyms: Vec<Value> = rec
        .list("accession_names")
        .into_iter()
        .skip(1)
        .map(|s| json!({"synonym": s, "type": "accession name"}))
        .collect();
    synonyms.extend(
        rec.list("other_numbers")
            .into_iter()
            .map(|s| json!({"synonym": s, "type": "other number"})),
    );
    let donors: Vec<Value> = match (
        rec.text("donor_institute_code"),
        rec.text("donor_accession_number"),
    ) {
        (None, None) => vec![],
        (code, number) => vec![json!({"donorInstituteCode": code, "donorAccessionNumber": number})],
    };
    let origin: Vec<Value> = match (rec.number("latitude"), rec.number("longitude")) {
        (Some(lat), Some(lon)) => vec![json!({
            "coordinateUncertainty": number_text(rec, "coordinate_uncertainty_m"),
            "coordinates": {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
            },
        })],
        _ => vec![],
    };
    let storage: Vec<Value> = storage_codes(rec)
        .into_iter()
        .map(|c| {
            let description = c
                .parse::<i32>()
                .ok()
                .and_then(mcpd::storage_label)
                .unwrap_or_default();
            json!({"code": c, "description": description})
        })
        .collect();
    let mut external =
        vec![json!({"referenceId": rec.pid, "referenceSource": "persistent identifier"})];
    if let Some(url) = rec.text("accession_url") {
        external.push(json!({"referenceId": url, "referenceSource": "accession URL"}));
    }
    json!({
        "germplasmDbId": rec.id.to_string(),
        "germplasmName": name,
        "defaultDisplayName": name,
        "germplasmPUI": pui(rec),
        "accessionNumber": rec.accession_number,
        "acquisitionDate": opt(rec.iso_date("acquisition_date")),
        "biologicalStatusOfAccessionCode": coded(sampstat, &SAMPSTAT_CODES),
        "biologicalStatusOfAccessionDescription": sampstat_label,
        "breedingMethodDbId": null,
        "breedingMethodName": null,
        "collection": rec.material_type.label(),
        "commonCropName": opt(rec.text("crop_name")),
        "countryOfOriginCode": opt(rec.text("origin_country")),
        "documentationURL": format!("{}{}", server.base_url, pid::resolver_path(&rec.pid, &server.base_url)),
        "donors": donors,
        "externalReferences": external,
        "genus": opt(rec.text("genus")),
        "species": opt(rec.text("species")),
        "speciesAuthority": opt(rec.text("species_authority")),
        "subtaxa": opt(rec.text("subtaxa")),
        "subtaxaAuthority": opt(rec.text("subtaxa_authority")),
        "germplasmOrigin": origin,
        "germplasmPreprocessing": null,
        "instituteCode": rec.institute_code,
        "instituteName": names.get(&rec.institute_code).cloned().or_else(|| (rec.institute_code == server.institute_code).then(|| server.institute_name.clone())),
        "pedigree": opt(rec.text("ancestral_data")),
        "seedSource": format!("{}:{}", rec.institute_code, rec.accession_number),
        "seedSourceDescription": null,
        "storageTypes": storage,
        "synonyms": synonyms,
        "taxonIds": [],
        "additionalInfo": {
            "materialType": rec.material_type.as_str(),
            "persistentIdentifier": rec.pid,
            "availableForDistribution": rec.flag("available").to_string(),
        },
    })
}

/// A plant accession in BrAPI's MCPD form.
pub(super) fn mcpd_json(rec: &PublicRecord, names: &HashMap<String, String>) -> Value {
    let inst = |code: String| json!({"instituteCode": code, "instituteName": names.get(&code)});
    let codes = |name: &str| -> Vec<String> { rec.list(name) };
    let collecting_names = codes("collecting_institute_name");
    let collecting: Vec<Value> = codes("collecting_institute_codes")
        .into_iter()
        .enumerate()
        .map(|(i, code)| {
            json!({
                "instituteCode": code,
                "instituteName": collecting_names.get(i).cloned().or_else(|| names.get(&code).cloned()),
                "instituteAddress": opt(rec.text("collecting_institute_address")),
            })
        })
        .collect();
    let donor = rec.text("donor_institute_code");
    json!({
        "germplasmDbId": rec.id.to_string(),
        "germplasmPUI": pui(rec),
        "accessionNumber": rec.accession_number,
        "accessionNames": rec.list("accession_names"),
        "acquisitionDate": opt(rec.text("acquisition_date")),
        "acquisitionSourceCode": coded(rec.text("acquisition_source"), &COLLSRC_CODES),
        "alternateIDs": rec.list("other_numbers"),
        "ancestralData": opt(rec.text("ancestral_data")),
        "biologicalStatusOfAccessionCode": coded(rec.text("biological_status"), &SAMPSTAT_CODES),
        "breedingInstitutes": codes("bred_institute_codes").into_iter().map(|c| {
            json!({"instituteCode": c, "instituteName": rec.text("bred_institute_name")})
        }).collect::<Vec<_>>(),
        "collectingInfo": {
            "collectingDate": opt(rec.text("collecting_date")),
            "collectingInstitutes": collecting,
            "collectingMissionIdentifier": opt(rec.text("collecting_mission_id")),
            "collectingNumber": opt(rec.text("collecting_number")),
            "collectingSite": {
                "coordinateUncertainty": number_text(rec, "coordinate_uncertainty_m"),
                "elevation": number_text(rec, "elevation_m"),
                "georeferencingMethod": opt(rec.text("georeference_method")),
                "latitudeDecimal": number_text(rec, "latitude"),
                "latitudeDegrees": null,
                "locationDescription": opt(rec.text("collecting_site")),
                "longitudeDecimal": number_text(rec, "longitude"),
                "longitudeDegrees": null,
                "spatialReferenceSystem": opt(rec.text("coordinate_datum")),
            },
        },
        "commonCropName": opt(rec.text("crop_name")),
        "countryOfOrigin": opt(rec.text("origin_country")),
        "donorInfo": {
            "donorAccessionNumber": opt(rec.text("donor_accession_number")),
            "donorAccessionPui": null,
            "donorInstitute": donor.map(inst).unwrap_or(json!({"instituteCode": null, "instituteName": null})),
        },
        "genus": opt(rec.text("genus")),
        "species": opt(rec.text("species")),
        "speciesAuthority": opt(rec.text("species_authority")),
        "subtaxon": opt(rec.text("subtaxa")),
        "subtaxonAuthority": opt(rec.text("subtaxa_authority")),
        "instituteCode": rec.institute_code,
        "mlsStatus": coded(rec.text("mls_status"), &["0", "1", "99"]),
        "remarks": opt(rec.text("remarks")),
        "safetyDuplicateInstitutes": codes("safety_duplicate_sites").into_iter().map(|c| {
            let name = names.get(&c).cloned();
            json!({"instituteCode": c, "instituteName": name})
        }).collect::<Vec<_>>(),
        "storageTypeCodes": storage_codes(rec),
    })
}

/// The storage equipment a lot sits in (the nearest unit up the tree that is equipment), so
/// a public answer names the vault, not the shelf and box.
pub(super) fn storage_location(
    units: &HashMap<i64, storage_unit::Model>,
    mut id: Option<i64>,
) -> Option<String> {
    let mut innermost = None;
    for _ in 0..32 {
        let unit = units.get(&id?)?;
        innermost.get_or_insert_with(|| unit.name.clone());
        if unit.equipment_type.is_some() {
            return Some(unit.name.clone());
        }
        id = unit.parent_id;
    }
    innermost
}

pub(super) fn seed_lot_json(
    lot: &sample::Model,
    accession: Option<&accession::Model>,
    units: &HashMap<i64, storage_unit::Model>,
) -> Value {
    let germplasm_name = accession.map(|a| {
        a.accession_names
            .as_deref()
            .and_then(|n| n.split(';').map(str::trim).find(|s| !s.is_empty()))
            .map(str::to_string)
            .unwrap_or_else(|| a.accession_number.clone())
    });
    let mut info = serde_json::Map::new();
    info.insert("status".into(), lot.status.clone().into());
    info.insert("form".into(), lot.form.clone().into());
    info.insert(
        "conservationPurpose".into(),
        lot.conservation_purpose.clone().into(),
    );
    if let Some(g) = lot.generation {
        info.insert("generation".into(), g.to_string().into());
    }
    if let Some(a) = accession {
        info.insert("germplasmPUI".into(), a.pid.clone().into());
    }
    json!({
        "seedLotDbId": lot.id.to_string(),
        "seedLotName": printed_label_code(&lot.label_code),
        "seedLotDescription": format!("{} ({})", lot.form, lot.conservation_purpose),
        "amount": lot.quantity,
        "units": lot.unit,
        "createdDate": lot.created_at.to_rfc3339(),
        "lastUpdated": lot.updated_at.to_rfc3339(),
        "locationDbId": null,
        "locationName": null,
        "programDbId": null,
        "programName": null,
        "sourceCollection": null,
        "storageLocation": storage_location(units, lot.storage_unit_id),
        "contentMixture": [{
            "germplasmDbId": lot.accession_id.to_string(),
            "germplasmName": germplasm_name,
            "crossDbId": null,
            "crossName": null,
            "mixturePercentage": 100,
        }],
        "externalReferences": [],
        "additionalInfo": info,
    })
}

/// A ledger entry as a double-entry movement: what came in goes to the lot, what went out
/// comes from it.
pub(super) fn transaction_json(e: &ledger_entry::Model) -> Value {
    let lot = e.sample_id.to_string();
    let (from, to) = if e.delta < 0.0 {
        (Value::String(lot), Value::Null)
    } else {
        (Value::Null, Value::String(lot))
    };
    json!({
        "transactionDbId": e.id.to_string(),
        "transactionDescription": e.reason,
        "transactionTimestamp": e.created_at.to_rfc3339(),
        "fromSeedLotDbId": from,
        "toSeedLotDbId": to,
        "amount": e.delta.abs(),
        "units": e.unit,
        "externalReferences": [],
        "additionalInfo": {"reason": e.reason, "balanceAfter": e.balance_after.to_string()},
    })
}

/// The calls this server answers, for `/serverinfo`.
pub const CALLS: [&str; 9] = [
    "serverinfo",
    "commoncropnames",
    "germplasm",
    "germplasm/{germplasmDbId}",
    "germplasm/{germplasmDbId}/mcpd",
    "seedlots",
    "seedlots/{seedLotDbId}",
    "seedlots/transactions",
    "seedlots/{seedLotDbId}/transactions",
];

/// `/serverinfo`'s result.
pub fn server_info(server: &Server) -> Value {
    let calls: Vec<Value> = CALLS
        .iter()
        .map(|c| {
            json!({"service": c, "methods": ["GET"], "versions": ["2.1"], "contentTypes": ["application/json"]})
        })
        .collect();
    json!({
        "calls": calls,
        "contactEmail": null,
        "documentationURL": "https://brapi.org/specification",
        "location": null,
        "organizationName": server.institute_name,
        "organizationURL": server.base_url,
        "serverDescription": format!("BrAPI v2.1 Germplasm module of the {} ({}) repository: plant accessions, their seed lots and the seed-lot ledger.", server.institute_name, server.institute_code),
        "serverName": format!("{} biobank", server.institute_code),
    })
}
