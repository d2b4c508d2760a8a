//! Standards exports: a curator publishes the holdings as a Darwin Core Archive (read back by
//! an independent reader: Python's standard library), as MIABIS collections and samples, and
//! as a GCM/MIRRI strain list; none of them carries donor data or restricted fields.

mod common;

use std::collections::HashMap;
use std::process::Command;

use biobank::domain::material::Role;
use common::{TestApp, app, cell_line_accession, error_of};
use rocket::http::{Header, Status};
use serde_json::{Value, json};

/// Values that must never leave the repository in a public export.
const SECRETS: [&str; 6] = [
    "Dr Hidden Donor",
    "D-2024-00017",
    "C50.9",
    "Broad consent for non-commercial research",
    "IRB-2024-001",
    "Never published",
];

/// What the fixture registered.
struct Holdings {
    curator: String,
    seed_pid: String,
    strain_pid: String,
    specimen_pid: String,
    /// Label codes of the specimen's aliquots, stored in a −80 °C freezer.
    specimen_aliquots: Vec<String>,
    specimen_parent: String,
    cell_line_sample: String,
}

async fn register(app: &TestApp, token: &str, body: Value) -> Value {
    app.register_accession(token, body).await
}

async fn sample(app: &TestApp, token: &str, acc: &Value, body: Value) -> Value {
    app.add_sample(token, acc["id"].as_i64().unwrap(), body)
        .await
}

/// A seed accession, a strain, a human serum specimen with two aliquots in a −80 °C freezer, a
/// cell line, and a deaccessioned seed accession that no export may show.
async fn holdings(app: &TestApp) -> Holdings {
    use biobank::services::Actor;
    use biobank::services::storage::{self, EquipmentTemplate, NewStorageUnit};
    let curator = app.token(Role::Curator).await;
    let seed = register(
        app,
        &curator,
        json!({
            "material_type": "seed", "accession_number": "CGN-0001",
            "genus": "Oryza", "species": "sativa", "species_authority": "L.",
            "subtaxa": "subsp. japonica", "crop_name": "rice", "accession_names": "Nanjing 11",
            "origin_country": "CHN", "collecting_site": "Near Kunming",
            "latitude": 25.05, "longitude": 102.7, "coordinate_uncertainty_m": 500,
            "elevation_m": 1890, "collecting_date": "20190512",
            "collecting_institute_codes": "CHN004", "collecting_institute_name": "Yunnan Academy",
            "donor_name": "Dr Hidden Donor", "biological_status": "300", "available": true,
        }),
    )
    .await;
    sample(
        app,
        &curator,
        &seed,
        json!({"form": "seed_packet", "quantity": 500.0, "unit": "seeds", "conservation_purpose": "base"}),
    )
    .await;
    let strain = register(
        app,
        &curator,
        json!({
            "material_type": "strain", "accession_number": "LP-2024-01",
            "genus": "Lactiplantibacillus", "species": "plantarum",
            "strain_designation": "LP-101", "organism_type": "bacterium", "type_strain": true,
            "risk_group": 1, "nagoya_status": "not_in_scope", "origin_country": "DEU",
            "isolation_source": "fermented cabbage", "isolation_date": "202003--",
            "depositor": "W. Holzapfel", "growth_medium": "MRS", "growth_temperature_c": 37.0,
            "form_of_supply": "freeze_dried", "sequence_accessions": "MN123456;MN123457",
            "available": true,
        }),
    )
    .await;
    let specimen = register(
        app,
        &curator,
        json!({
            "material_type": "specimen", "accession_number": "BB-000001",
            "donor_code": "D-2024-00017", "sample_source": "human", "specimen_type": "serum",
            "anatomical_site": "Venous blood", "diagnosis": "C50.9",
            "consent_status": "given", "consent_scope": "Broad consent for non-commercial research",
            "ethics_reference": "IRB-2024-001", "risk_group": 2, "origin_country": "CHN",
            "available": true,
        }),
    )
    .await;
    let parent = sample(
        app,
        &curator,
        &specimen,
        json!({"form": "tube", "quantity": 2.0, "unit": "mL", "conservation_purpose": "working"}),
    )
    .await;
    let system = Actor::system("test");
    let room = storage::create_unit(
        &app.db,
        &system,
        NewStorageUnit {
            kind: "room".into(),
            name: "Biobank room".into(),
            ..Default::default()
        },
    )
    .await
    .expect("room");
    let freezer = storage::create_from_template(
        &app.db,
        &system,
        EquipmentTemplate {
            parent_id: room.id,
            name: "Freezer −80 A".into(),
            equipment_type: "freezer_minus80".into(),
            racks: 1,
            boxes_per_rack: 1,
            box_type: "cryobox_9x9".into(),
            ..Default::default()
        },
    )
    .await
    .expect("freezer");
    let rack = storage::detail(&app.db, freezer.id)
        .await
        .expect("freezer")
        .children[0]
        .id;
    let cryobox = storage::detail(&app.db, rack).await.expect("rack").children[0].id;
    let (status, out) = app
        .json(
            "POST",
            &format!("/api/v1/samples/{}/aliquot", parent["id"]),
            Some(&curator),
            Some(json!({"count": 2, "quantity_each": 0.5, "form": "vial", "storage_unit_id": cryobox})),
        )
        .await;
    assert_eq!(status, Status::Created, "{out}");
    let specimen_aliquots = out["children"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["label_code"].as_str().unwrap().to_string())
        .collect();
    let mut cell_line = cell_line_accession("CL-0001");
    cell_line["category"] = json!("Cancer cell line");
    cell_line["sex"] = json!("female");
    let cell_line = register(app, &curator, cell_line).await;
    let cl_sample = sample(
        app,
        &curator,
        &cell_line,
        json!({"form": "vial", "quantity": 10.0, "unit": "vials", "conservation_purpose": "base"}),
    )
    .await;
    let gone = register(
        app,
        &curator,
        json!({"material_type": "seed", "accession_number": "GONE-1", "genus": "Zea",
               "species": "mays", "remarks": "Never published"}),
    )
    .await;
    let (status, body) = app
        .json(
            "POST",
            &format!("/api/v1/accessions/{}/deaccession", gone["id"]),
            Some(&curator),
            Some(json!({"reason": "lost viability"})),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    let text = |v: &Value| v.as_str().unwrap().to_string();
    Holdings {
        curator,
        seed_pid: text(&seed["pid"]),
        strain_pid: text(&strain["pid"]),
        specimen_pid: text(&specimen["pid"]),
        specimen_aliquots,
        specimen_parent: text(&parent["label_code"]),
        cell_line_sample: text(&cl_sample["label_code"]),
    }
}

/// Downloads an export through the API: status, content type and bytes.
async fn download(app: &TestApp, token: &str, file: &str) -> (Status, String, Vec<u8>) {
    let res = app
        .client
        .get(format!("/api/v1/exports/{file}"))
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch()
        .await;
    let status = res.status();
    let content_type = res
        .content_type()
        .map(|c| c.to_string())
        .unwrap_or_default();
    (
        status,
        content_type,
        res.into_bytes().await.unwrap_or_default(),
    )
}

/// Reads a Darwin Core Archive the way a standard reader does, with nothing from this project:
/// meta.xml says which file is the core, how it is delimited and which column holds which
/// term; the script returns every row as {term: value} plus every file's text.
const DWCA_READER: &str = r#"
import csv, io, json, sys, zipfile
import xml.etree.ElementTree as ET

NS = {"t": "http://rs.tdwg.org/dwc/text/"}
def unescape(s):
    return s.replace("\\t", "\t").replace("\\n", "\n").replace("\\r", "\r")

z = zipfile.ZipFile(sys.argv[1])
assert z.testzip() is None, "corrupt member"
meta = ET.fromstring(z.read("meta.xml"))
core = meta.find("t:core", NS)
assert core.get("rowType") == "http://rs.tdwg.org/dwc/terms/Occurrence", core.get("rowType")
location = core.find("t:files/t:location", NS).text
fields = {int(f.get("index")): f.get("term") for f in core.findall("t:field", NS)}
id_index = int(core.find("t:id", NS).get("index"))
delimiter = unescape(core.get("fieldsTerminatedBy"))
skip = int(core.get("ignoreHeaderLines") or 0)
quote = core.get("fieldsEnclosedBy") or None
text = z.read(location).decode(core.get("encoding") or "utf-8")
reader = csv.reader(io.StringIO(text), delimiter=delimiter, quotechar=quote,
                    quoting=csv.QUOTE_MINIMAL if quote else csv.QUOTE_NONE)
lines = list(reader)
header, body = lines[:skip], lines[skip:]
rows = []
for line in body:
    assert len(line) == len(fields), ("row width", len(line), len(fields))
    rows.append({fields[i].rsplit("/", 1)[-1]: v for i, v in enumerate(line)})
eml = ET.fromstring(z.read(meta.get("metadata")))
print(json.dumps({
    "files": sorted(z.namelist()),
    "header": header[0] if header else [],
    "terms": [fields[i] for i in sorted(fields)],
    "id_term": fields[id_index],
    "rows": rows,
    "title": eml.find("dataset/title").text,
    "texts": {n: z.read(n).decode("utf-8") for n in z.namelist()},
}))
"#;

fn read_dwca(bytes: &[u8]) -> Value {
    let path = std::env::temp_dir().join(format!(
        "dwca-{}.zip",
        biobank::services::random_token(6).replace(['-', '_'], "x")
    ));
    std::fs::write(&path, bytes).expect("write archive");
    let out = Command::new("python3")
        .arg("-c")
        .arg(DWCA_READER)
        .arg(&path)
        .output()
        .expect("python3 runs (the independent Darwin Core reader)");
    let _ = std::fs::remove_file(&path);
    assert!(
        out.status.success(),
        "the reader refused the archive: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("reader output is JSON")
}

fn row_of<'a>(rows: &'a [Value], pid: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["occurrenceID"] == pid)
        .unwrap_or_else(|| panic!("an occurrence for {pid}"))
}

#[rocket::async_test]
async fn curator_publishes_a_darwin_core_archive_that_a_standard_reader_opens() {
    let app = app().await;
    let h = holdings(&app).await;
    let (status, content_type, bytes) = download(&app, &h.curator, "dwca.zip").await;
    assert_eq!(status, Status::Ok);
    assert_eq!(content_type, "application/zip");
    let dwca = read_dwca(&bytes);
    assert_eq!(
        dwca["files"],
        json!(["eml.xml", "meta.xml", "occurrence.txt"])
    );
    assert_eq!(dwca["id_term"], "http://rs.tdwg.org/dwc/terms/occurrenceID");
    // The header line names the same term meta.xml maps to each column.
    let local: Vec<String> = dwca["terms"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t.as_str().unwrap().rsplit('/').next().unwrap().to_string())
        .collect();
    assert_eq!(dwca["header"], json!(local));
    for term in [
        "occurrenceID",
        "basisOfRecord",
        "scientificName",
        "kingdom",
        "genus",
        "specificEpithet",
        "institutionCode",
        "collectionCode",
        "catalogNumber",
        "recordedBy",
        "eventDate",
        "country",
        "countryCode",
        "decimalLatitude",
        "decimalLongitude",
        "coordinateUncertaintyInMeters",
    ] {
        assert!(local.iter().any(|t| t == term), "the core has {term}");
    }
    assert!(
        dwca["title"].as_str().unwrap().contains("CHN001"),
        "eml.xml describes the dataset: {}",
        dwca["title"]
    );

    // Specimen, strain and plant accession; not the cell line, not the deaccessioned seed.
    let rows = dwca["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let seed = row_of(rows, &h.seed_pid);
    let want_seed = json!({
        "occurrenceID": h.seed_pid, "basisOfRecord": "LivingSpecimen", "institutionCode": "CHN001",
        "collectionCode": "seed", "catalogNumber": "CGN-0001",
        "scientificName": "Oryza sativa subsp. japonica", "scientificNameAuthorship": "L.",
        "kingdom": "Plantae", "genus": "Oryza", "specificEpithet": "sativa",
        "infraspecificEpithet": "japonica", "typeStatus": "", "recordedBy": "Yunnan Academy",
        "eventDate": "2019-05-12", "country": "China", "countryCode": "CN",
        "locality": "Near Kunming", "decimalLatitude": "25.05", "decimalLongitude": "102.7",
        "coordinateUncertaintyInMeters": "500", "minimumElevationInMeters": "1890",
        "associatedSequences": "",
    });
    assert_eq!(seed, &want_seed);
    let strain = row_of(rows, &h.strain_pid);
    for (term, want) in [
        ("basisOfRecord", "LivingSpecimen"),
        ("collectionCode", "strain"),
        ("catalogNumber", "LP-2024-01"),
        ("scientificName", "Lactiplantibacillus plantarum"),
        ("kingdom", "Bacteria"),
        ("typeStatus", "type strain"),
        ("eventDate", "2020-03"),
        ("countryCode", "DE"),
        ("country", "Germany"),
        ("locality", "fermented cabbage"),
        ("associatedSequences", "MN123456 | MN123457"),
        ("decimalLatitude", ""),
    ] {
        assert_eq!(strain[term], want, "strain {term}");
    }
    let specimen = row_of(rows, &h.specimen_pid);
    for (term, want) in [
        ("basisOfRecord", "MaterialSample"),
        ("scientificName", "Homo sapiens"),
        ("kingdom", "Animalia"),
        ("catalogNumber", "BB-000001"),
        ("countryCode", "CN"),
        ("eventDate", ""),
    ] {
        assert_eq!(specimen[term], want, "specimen {term}");
    }
    for (name, text) in dwca["texts"].as_object().unwrap() {
        for secret in SECRETS {
            assert!(
                !text.as_str().unwrap().contains(secret),
                "{name} leaks '{secret}'"
            );
        }
    }
}

#[rocket::async_test]
async fn miabis_lists_collections_and_samples_with_their_attributes() {
    let app = app().await;
    let h = holdings(&app).await;
    let (status, content_type, bytes) = download(&app, &h.curator, "miabis.json").await;
    assert_eq!(status, Status::Ok);
    assert!(
        content_type.starts_with("application/json"),
        "{content_type}"
    );
    let doc: Value = serde_json::from_slice(&bytes).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    for secret in SECRETS {
        assert!(!text.contains(secret), "MIABIS leaks '{secret}'");
    }
    assert_eq!(doc["biobank_id"], "CHN001");
    let collections = doc["collections"].as_array().unwrap();
    let ids: Vec<&str> = collections
        .iter()
        .map(|c| c["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "CHN001:collection:specimen",
            "CHN001:collection:cell_line",
            "CHN001:collection:strain"
        ]
    );
    let specimens = &collections[0];
    assert_eq!(specimens["sample_types"], json!(["Serum"]));
    assert_eq!(specimens["sample_source"], json!(["Human"]));
    assert_eq!(
        specimens["storage_temperatures"],
        json!(["-60 °C to -85 °C"])
    );
    assert_eq!(
        specimens["number_of_samples"], 3,
        "the tube and its two aliquots"
    );
    assert_eq!(specimens["number_of_accessions"], 1);
    assert_eq!(specimens["status"], "Active");
    for attribute in [
        "name",
        "description",
        "contact",
        "dataset_type",
        "url",
        "acronym",
    ] {
        assert!(
            specimens[attribute].as_str().is_some_and(|s| !s.is_empty()),
            "collection {attribute} is filled in: {specimens}"
        );
    }
    let cell_lines = &collections[1];
    assert_eq!(cell_lines["sample_types"], json!(["Cancer cell lines"]));
    assert_eq!(cell_lines["sex"], json!(["female"]));
    assert_eq!(collections[2]["sample_types"], json!(["Isolated microbes"]));
    assert_eq!(collections[2]["number_of_samples"], 0);

    let samples: HashMap<&str, &Value> = doc["samples"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["id"].as_str().unwrap(), s))
        .collect();
    assert_eq!(
        samples.len(),
        4,
        "three specimen samples and the cell-line vial"
    );
    for code in &h.specimen_aliquots {
        let s = samples[code.as_str()];
        assert_eq!(s["parent_sample_id"], json!(h.specimen_parent));
        assert_eq!(s["sample_type"], "Serum");
        assert_eq!(s["sample_source"], "Human");
        assert_eq!(s["storage_temperature"], "-60 °C to -85 °C");
        assert_eq!(s["anatomical_site"], "Venous blood");
        assert_eq!(s["material_id"], json!(h.specimen_pid));
        assert_eq!(s["collection_id"], "CHN001:collection:specimen");
        assert!(
            s["creation_date"].as_str().unwrap().starts_with("20"),
            "{s}"
        );
    }
    let parent = samples[h.specimen_parent.as_str()];
    assert_eq!(parent["parent_sample_id"], Value::Null);
    assert_eq!(parent["storage_temperature"], Value::Null, "not stored yet");
    assert_eq!(
        samples[h.cell_line_sample.as_str()]["sample_type"],
        "Cancer cell lines"
    );

    // The same content as CSV: one file of collections, one of samples.
    let (status, content_type, bytes) = download(&app, &h.curator, "miabis-samples.csv").await;
    assert_eq!(status, Status::Ok);
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    let rows: Vec<HashMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 4);
    let aliquot = rows
        .iter()
        .find(|r| r["id"] == h.specimen_aliquots[0])
        .unwrap();
    assert_eq!(aliquot["parent_sample_id"], h.specimen_parent);
    assert_eq!(aliquot["storage_temperature"], "-60 °C to -85 °C");
    let (status, _, bytes) = download(&app, &h.curator, "miabis-collections.csv").await;
    assert_eq!(status, Status::Ok);
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 3);
    assert_eq!(&rows[0][0], "CHN001:collection:specimen");
    assert_eq!(&rows[0][11], "Serum");
}

#[rocket::async_test]
async fn strains_export_in_the_gcm_mirri_minimum_data_set() {
    let app = app().await;
    let h = holdings(&app).await;
    let (status, content_type, bytes) = download(&app, &h.curator, "gcm.csv").await;
    assert_eq!(status, Status::Ok);
    assert!(content_type.starts_with("text/csv"), "{content_type}");
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header, biobank::services::gcm::GCM_COLUMNS);
    let rows: Vec<HashMap<String, String>> = reader
        .records()
        .map(|r| {
            header
                .iter()
                .cloned()
                .zip(r.unwrap().iter().map(String::from))
                .collect()
        })
        .collect();
    assert_eq!(rows.len(), 1, "only the strain");
    let r = &rows[0];
    for (column, want) in [
        ("Accession number", "CHN001 LP-2024-01"),
        ("Strain designation", "LP-101"),
        ("Taxon name", "Lactiplantibacillus plantarum"),
        ("Organism type", "Bacterium"),
        ("Status", "type strain"),
        ("Restrictions on use", "No restriction"),
        (
            "Nagoya protocol restrictions and compliance conditions",
            "Not in scope of the Nagoya Protocol",
        ),
        ("Risk group", "1"),
        ("Country", "Germany"),
        ("Isolation habitat", "fermented cabbage"),
        ("Date of isolation", "2020-03"),
        ("Depositor", "W. Holzapfel"),
        ("Recommended medium for growth", "MRS"),
        ("Recommended growth temperature", "37 °C"),
        ("Form of supply", "Freeze-dried (lyophilised)"),
        ("Sequence accession numbers", "MN123456; MN123457"),
    ] {
        assert_eq!(r[column], want, "{column}");
    }
}

#[rocket::async_test]
async fn exports_page_offers_every_download_and_refuses_an_unknown_format() {
    let app = app().await;
    let h = holdings(&app).await;
    let (status, body) = app
        .json(
            "GET",
            "/api/v1/exports/passport.xls",
            Some(&h.curator),
            None,
        )
        .await;
    assert_eq!(status, Status::BadRequest, "{body}");
    assert_eq!(error_of(&body)["field"], "format");
    let (status, _, bytes) = download(&app, &h.curator, "mcpd.csv").await;
    assert_eq!(status, Status::Ok);
    let mcpd = String::from_utf8(bytes).unwrap();
    assert!(
        mcpd.starts_with("PUID") || mcpd.contains("ACCENUMB"),
        "{mcpd}"
    );
    assert!(mcpd.contains("CGN-0001") && !mcpd.contains("GONE-1"));

    app.user("exporter", Role::Curator).await;
    assert_eq!(
        app.sign_in("exporter", common::PASSWORD).await,
        Status::SeeOther
    );
    let (status, html) = app.get_page("/exports").await;
    assert_eq!(status, Status::Ok);
    for file in [
        "mcpd.csv",
        "dwca.zip",
        "miabis.json",
        "miabis-collections.csv",
        "miabis-samples.csv",
        "gcm.csv",
    ] {
        assert!(
            html.contains(&format!("href=\"/exports/{file}\"")),
            "the page links {file}"
        );
    }
    let res = app.client.get("/exports/gcm.csv").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    let disposition = res
        .headers()
        .get_one("Content-Disposition")
        .unwrap()
        .to_string();
    assert!(
        disposition.starts_with("attachment; filename=\"CHN001-")
            && disposition.ends_with("-gcm.csv\""),
        "{disposition}"
    );
}

#[test]
fn command_line_exports_the_demo_collection() {
    let dir = std::env::temp_dir().join(format!(
        "biobank-std-{}",
        biobank::services::random_token(6).replace(['-', '_'], "x")
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let run = |args: &[&str]| {
        let out = Command::new(env!("CARGO_BIN_EXE_biobank"))
            .args(args)
            .env(
                "BIOBANK_DATABASE_URL",
                format!("sqlite://{}/demo.db?mode=rwc", dir.display()),
            )
            .env("BIOBANK_INSTITUTE_CODE", "CHN001")
            .current_dir(&dir)
            .output()
            .expect("run biobank");
        assert!(
            out.status.success(),
            "biobank {args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    run(&["demo"]);
    let said = run(&["export", "dwca", "--out", "demo.zip"]);
    assert!(said.starts_with("exported "), "{said}");
    let dwca = read_dwca(&std::fs::read(dir.join("demo.zip")).unwrap());
    let rows = dwca["rows"].as_array().unwrap();
    assert!(!rows.is_empty(), "the demo has occurrences");
    assert!(
        said.contains(&format!("exported {} occurrences", rows.len())),
        "{said}"
    );
    for kingdom in ["Plantae", "Bacteria"] {
        assert!(
            rows.iter().any(|r| r["kingdom"] == kingdom),
            "the demo archive holds {kingdom}"
        );
    }

    run(&["export", "miabis", "--out", "miabis.csv"]);
    let samples = std::fs::read_to_string(dir.join("miabis.csv")).unwrap();
    let collections = std::fs::read_to_string(dir.join("miabis.collections.csv")).unwrap();
    assert!(samples.starts_with("id,collection_id,material_id,parent_sample_id"));
    assert!(collections.contains("CHN001:collection:"));
    run(&[
        "export",
        "miabis",
        "--out",
        "miabis.out",
        "--format",
        "json",
    ]);
    let doc: Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("miabis.out")).unwrap()).unwrap();
    assert!(!doc["collections"].as_array().unwrap().is_empty());
    run(&["export", "gcm", "--out", "strains.csv"]);
    let gcm = std::fs::read_to_string(dir.join("strains.csv")).unwrap();
    assert!(gcm.lines().count() > 1, "the demo has strains:\n{gcm}");

    let out = Command::new(env!("CARGO_BIN_EXE_biobank"))
        .args(["export", "miabis", "--out", "x", "--format", "xml"])
        .env(
            "BIOBANK_DATABASE_URL",
            format!("sqlite://{}/demo.db?mode=rwc", dir.display()),
        )
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format xml"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[rocket::async_test]
async fn identifiers_are_exported_for_registration_and_registered_ones_are_recorded() {
    let app = app().await;
    let h = holdings(&app).await;
    let read = |bytes: Vec<u8>| -> Vec<HashMap<String, String>> {
        let mut reader = csv::Reader::from_reader(bytes.as_slice());
        let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
        assert_eq!(
            header,
            biobank::services::pid_registration::REGISTRATION_COLUMNS
        );
        reader
            .records()
            .map(|r| {
                header
                    .iter()
                    .cloned()
                    .zip(r.unwrap().iter().map(String::from))
                    .collect()
            })
            .collect()
    };
    let (status, _, bytes) = download(&app, &h.curator, "identifiers.csv").await;
    assert_eq!(status, Status::Ok);
    let rows = read(bytes);
    assert_eq!(
        rows.len(),
        5,
        "every identifier issued, the deaccessioned one too"
    );
    let seed = rows.iter().find(|r| r["identifier"] == h.seed_pid).unwrap();
    assert_eq!(seed["agency"], "url");
    assert_eq!(
        seed["title"],
        "Oryza sativa subsp. japonica (CHN001 CGN-0001)"
    );
    assert_eq!(seed["resource_type"], "Seed");
    assert_eq!(seed["holder"], "CHN001");
    assert!(
        seed["url"].starts_with("http://127.0.0.1:8000/id/"),
        "{seed:?}"
    );
    assert_eq!(seed["created"].len(), 10);
    assert_eq!(seed["registered_at"], "");

    // An identifier the repository never issued: refused, nothing recorded.
    let (status, body) = app
        .json(
            "POST",
            "/api/v1/identifiers/registered",
            Some(&h.curator),
            Some(json!({"identifiers": [h.seed_pid, "CSTR:99999.11.NOT-OURS"]})),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    assert_eq!(error_of(&body)["field"], "identifiers");
    assert!(body.to_string().contains("CSTR:99999.11.NOT-OURS"));
    assert_eq!(app.count_rows("identifier_registrations").await, 0);

    let register = json!({"identifiers": [h.seed_pid, h.strain_pid]});
    let (status, body) = app
        .json(
            "POST",
            "/api/v1/identifiers/registered",
            Some(&h.curator),
            Some(register.clone()),
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["recorded"], 2);
    let (_, again) = app
        .json(
            "POST",
            "/api/v1/identifiers/registered",
            Some(&h.curator),
            Some(register),
        )
        .await;
    assert_eq!(again["recorded"], 0, "already recorded");
    let (_, _, bytes) = download(&app, &h.curator, "identifiers.csv").await;
    let rows = read(bytes);
    let registered: Vec<&str> = rows
        .iter()
        .filter(|r| !r["registered_at"].is_empty())
        .map(|r| r["identifier"].as_str())
        .collect();
    let mut want = vec![h.seed_pid.as_str(), h.strain_pid.as_str()];
    want.sort();
    let mut got = registered.clone();
    got.sort();
    assert_eq!(got, want);
    assert_eq!(
        app.count_rows("audit_log WHERE action = 'register_identifier'")
            .await,
        2,
        "each registration has its audit record"
    );
}
