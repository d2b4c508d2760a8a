//! The accession registry: registering every kind of material, validation, edits,
//! deaccession, identifiers, search, the audit trail, samples and their labels.

mod common;

use biobank::domain::label_code::{ALPHABET, LabelCode};
use biobank::domain::material::Role;
use biobank::domain::pid::resolver_path;
use common::{
    PASSWORD, TestApp, app, app_untracked, app_with, cell_line_accession, error_of, sample_body,
    seed_accession,
};
use rocket::http::{Accept, ContentType, MediaType, Status};
use serde_json::{Value, json};

const BASE_URL: &str = "http://127.0.0.1:8000";

/// A valid registration body for every material type, each with its own fields.
fn one_of_each() -> Vec<Value> {
    let mut cell_line = cell_line_accession("CL-0001");
    for (k, v) in [
        ("tissue", json!("cervix")),
        ("disease", json!("Adenocarcinoma")),
        ("sex", json!("female")),
        ("passage_at_banking", json!(12)),
        ("bank_level", json!("master")),
        ("nagoya_status", json!("not_in_scope")),
    ] {
        cell_line[k] = v;
    }
    vec![
        seed_accession("ZDM00001"),
        json!({
            "material_type": "clonal_plant",
            "accession_number": "CL00001",
            "genus": "Camellia",
            "species": "sinensis",
            "crop_name": "tea",
            "accession_names": "Longjing 43",
            "biological_status": "300",
            "acquisition_source": "20",
            "storage_types": "20",
            "origin_country": "CHN",
            "latitude": 30.25,
            "longitude": 120.1,
            "elevation_m": 150,
        }),
        json!({
            "material_type": "in_vitro_plant",
            "accession_number": "IV00001",
            "genus": "Solanum",
            "species": "tuberosum",
            "crop_name": "potato",
            "storage_types": "30",
            "biological_status": "500",
        }),
        json!({
            "material_type": "strain",
            "accession_number": "CGMCC 1.1001",
            "genus": "Lactiplantibacillus",
            "species": "plantarum",
            "strain_designation": "LP-101",
            "organism_type": "bacterium",
            "type_strain": true,
            "risk_group": 1,
            "nagoya_status": "not_in_scope",
            "growth_medium": "MRS",
            "growth_temperature_c": 37.0,
            "form_of_supply": "freeze_dried",
            "isolation_source": "fermented food",
            "sequence_accessions": "MN123456",
        }),
        cell_line,
        json!({
            "material_type": "specimen",
            "accession_number": "BB-000001",
            "donor_code": "D-2024-00017",
            "sample_source": "human",
            "specimen_type": "serum",
            "anatomical_site": "Venous blood",
            "sprec_code": "SER-SST-A-B-N-A-E",
            "consent_status": "given",
            "consent_scope": "Broad consent for non-commercial research",
            "ethics_reference": "IRB-2024-001",
            "risk_group": 2,
        }),
        json!({
            "material_type": "animal_germplasm",
            "accession_number": "AG-00001",
            "genus": "Sus",
            "species": "scrofa",
            "breed": "Meishan",
            "germplasm_type": "semen",
            "animal_sex": "male",
            "donor_animal_id": "MS-2001",
            "collection_date": "20240315",
            "risk_group": 1,
        }),
    ]
}

/// JSON values equal as the API means them (numbers compared as numbers).
fn same(a: &Value, b: &Value) -> bool {
    match (a.as_f64(), b.as_f64()) {
        (Some(x), Some(y)) => x == y,
        _ => a == b,
    }
}

fn id_of(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("an id in {v}"))
}

#[rocket::async_test]
async fn curator_registers_every_material_type_through_the_api_with_its_own_fields() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    for body in one_of_each() {
        let t = body["material_type"].as_str().unwrap().to_string();
        let created = app.register_accession(&curator, body.clone()).await;
        let (status, shown) = app
            .json(
                "GET",
                &format!("/api/v1/accessions/{}", id_of(&created)),
                Some(&curator),
                None,
            )
            .await;
        assert_eq!(status, Status::Ok);
        for (k, v) in body.as_object().unwrap() {
            if k == "str_profile" {
                continue; // normalised; checked below
            }
            assert!(
                same(&shown[k], v),
                "{t}: {k} is {} after sending {v}",
                shown[k]
            );
        }
        assert_eq!(shown["status"], "active", "{t}");
        assert_eq!(
            shown["institute_code"], "CHN001",
            "{t}: the configured holder"
        );
        let number = body["accession_number"].as_str().unwrap().replace(' ', "-");
        assert_eq!(
            shown["pid"],
            format!("{BASE_URL}/id/CHN001-{number}"),
            "{t}: a URL identifier under the base URL"
        );
    }

    let (_, list) = app
        .json(
            "GET",
            "/api/v1/accessions?per_page=50",
            Some(&curator),
            None,
        )
        .await;
    let taxa: Vec<(String, String)> = list["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["material_type"].as_str().unwrap().to_string(),
                r["taxon_name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    for (t, taxon) in [
        ("seed", "Oryza sativa"),
        ("strain", "Lactiplantibacillus plantarum"),
        ("cell_line", "Homo sapiens"),
        ("animal_germplasm", "Sus scrofa"),
    ] {
        assert!(
            taxa.contains(&(t.to_string(), taxon.to_string())),
            "{t} is listed as {taxon}: {taxa:?}"
        );
    }
    assert_eq!(list["total"], 7);

    let (_, hela) = app
        .json("GET", "/api/v1/accessions?q=CL-0001", Some(&curator), None)
        .await;
    let id = hela["items"][0]["id"].as_i64().unwrap();
    let (_, hela) = app
        .json(
            "GET",
            &format!("/api/v1/accessions/{id}"),
            Some(&curator),
            None,
        )
        .await;
    let str_profile = hela["str_profile"].as_str().unwrap();
    for marker in ["Amelogenin", "TH01", "vWA"] {
        assert!(
            str_profile.contains(marker),
            "{marker} kept in {str_profile}"
        );
    }
}

#[rocket::async_test]
async fn fields_of_another_material_type_are_refused_through_the_api() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let mut seed = seed_accession("ZDM00002");
    seed["donor_code"] = json!("D-2024-00001");
    let (status, body) = app
        .json("POST", "/api/v1/accessions", Some(&curator), Some(seed))
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(error_of(&body)["field"], "donor_code");
    assert_eq!(error_of(&body)["code"], "not_applicable");
    assert_eq!(app.count_rows("accessions").await, 0);
}

/// The form fields a browser sends for a seed accession, empty inputs included.
fn seed_form(number: &str) -> Vec<(&'static str, &str)> {
    vec![
        ("material_type", "seed"),
        ("accession_number", number),
        ("institute_code", "CHN001"),
        ("genus", "Oryza"),
        ("species", "sativa"),
        ("species_authority", "L."),
        ("subtaxa", ""),
        ("crop_name", "rice"),
        ("accession_names", "Nanjing 11"),
        ("acquisition_date", "198107--"),
        ("origin_country", "CHN"),
        ("latitude", "32,05"),
        ("longitude", "118.78"),
        ("biological_status", "300"),
        ("mls_status", "1"),
        ("available", "true"),
        ("storage_types", "13"),
        ("seed_storage_behaviour", "orthodox"),
        ("thousand_seed_weight_g", "25.4"),
        // fields of other types are on the page too, hidden and empty
        ("donor_code", ""),
        ("risk_group", ""),
        ("cellosaurus_accession", ""),
    ]
}

#[rocket::async_test]
async fn curator_registers_seed_and_cell_line_accessions_through_the_form() {
    let app = app_untracked().await;
    app.user("carla", Role::Curator).await;
    let curator = app.token(Role::Curator).await;
    let mut b = app.signed_in_browser("carla", PASSWORD).await;

    let page = app.browse(&mut b, "GET", "/accessions/new", None).await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("name=\"accession_number\""));

    let res = app
        .browse(&mut b, "POST", "/accessions", Some(&seed_form("ZDM00003")))
        .await;
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    let location = res.location.unwrap();
    let id: i64 = location
        .strip_prefix("/accessions/")
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| panic!("redirect to the new record, got {location}"));
    let page = app.browse(&mut b, "GET", &location, None).await;
    assert_eq!(page.status, Status::Ok);
    assert!(page.body.contains("CHN001 ZDM00003"));
    assert!(page.body.contains("Oryza sativa"));
    assert!(page.body.contains("Accession registered") || page.body.contains("flash"));
    let (_, shown) = app
        .json(
            "GET",
            &format!("/api/v1/accessions/{id}"),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(
        shown["latitude"], 32.05,
        "a decimal comma is read as a point"
    );
    assert_eq!(shown["acquisition_date"], "198107--");
    assert_eq!(shown["thousand_seed_weight_g"], 25.4);
    assert_eq!(shown["available"], true);

    let res = app
        .browse(
            &mut b,
            "POST",
            "/accessions",
            Some(&[
                ("material_type", "cell_line"),
                ("accession_number", "CL-0002"),
                ("accession_names", "HEK293"),
                ("organism", "Homo sapiens"),
                ("cellosaurus_accession", "rrid:cvcl_0045"),
                ("tissue", "embryonic kidney"),
                ("sex", "female"),
                ("risk_group", "2"),
                ("str_profile", "Amelogenin: X\nTH01: 7, 9.3\nD5S818: 8, 9"),
                ("genus", ""),
                ("crop_name", "rice"),
            ]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    let location = res.location.unwrap();
    let id: i64 = location.trim_start_matches("/accessions/").parse().unwrap();
    let (_, shown) = app
        .json(
            "GET",
            &format!("/api/v1/accessions/{id}"),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(shown["material_type"], "cell_line");
    assert_eq!(
        shown["cellosaurus_accession"], "CVCL_0045",
        "RRID form normalised"
    );
    assert_eq!(shown["risk_group"], 2);
    assert!(
        shown.get("crop_name").is_none(),
        "a plant field is not kept on a cell line"
    );
}

/// A base body for a material type and one bad value: the API says 422 naming the field.
fn invalid_cases() -> Vec<(&'static str, Value, &'static str, Value)> {
    let seed = || seed_accession("BAD-1");
    let strain = || one_of_each()[3].clone();
    let cell = || cell_line_accession("BAD-1");
    let specimen = || one_of_each()[5].clone();
    vec![
        ("bad SAMPSTAT", seed(), "biological_status", json!("700")),
        ("bad COLLSRC", seed(), "acquisition_source", json!("70")),
        ("bad STORAGE", seed(), "storage_types", json!("77")),
        ("bad country", seed(), "origin_country", json!("QQQ")),
        (
            "country as a name",
            seed(),
            "origin_country",
            json!("China"),
        ),
        (
            "bad WIEWS code",
            seed(),
            "donor_institute_code",
            json!("CN001"),
        ),
        (
            "WIEWS code of no country",
            seed(),
            "donor_institute_code",
            json!("QQQ001"),
        ),
        ("month 13", seed(), "acquisition_date", json!("19841345")),
        ("latitude out of range", seed(), "latitude", json!(91.5)),
        ("longitude out of range", seed(), "longitude", json!(-181)),
        ("risk group 5", strain(), "risk_group", json!(5)),
        ("risk group 0", cell(), "risk_group", json!(0)),
        (
            "bad Nagoya status",
            strain(),
            "nagoya_status",
            json!("maybe"),
        ),
        (
            "short Cellosaurus",
            cell(),
            "cellosaurus_accession",
            json!("CVCL_12"),
        ),
        ("malformed STR", cell(), "str_profile", json!("TH01 7 9")),
        (
            "donor as a name",
            specimen(),
            "donor_code",
            json!("Zhang Wei"),
        ),
        (
            "donor as Surname, Given",
            specimen(),
            "donor_code",
            json!("Smith, John"),
        ),
        (
            "donor as a Chinese name",
            specimen(),
            "donor_code",
            json!("张伟"),
        ),
        (
            "donor as a resident ID",
            specimen(),
            "donor_code",
            json!("11010519491231002X"),
        ),
        (
            "donor as a US SSN",
            specimen(),
            "donor_code",
            json!("078-05-1120"),
        ),
        (
            "bad specimen type",
            specimen(),
            "specimen_type",
            json!("blood-ish"),
        ),
        ("bad SPREC", specimen(), "sprec_code", json!("ser-sst")),
        ("bad material type", seed(), "material_type", json!("rock")),
    ]
}

#[rocket::async_test]
async fn invalid_values_are_refused_with_422_naming_the_field() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let audit = app.count_rows("audit_log").await;
    let mut failures = Vec::new();
    for (i, (what, mut body, field, bad)) in invalid_cases().into_iter().enumerate() {
        body["accession_number"] = json!(format!("BAD-{i}"));
        body[field] = bad.clone();
        let (status, answer) = app
            .json("POST", "/api/v1/accessions", Some(&curator), Some(body))
            .await;
        let named = answer["error"]["field"].as_str().unwrap_or("");
        let message = answer["error"]["message"].as_str().unwrap_or("");
        if status != Status::UnprocessableEntity || named != field || !message.contains(field) {
            failures.push(format!("{what} ({field} = {bad}): {status} {answer}"));
        }
    }
    assert!(
        failures.is_empty(),
        "not refused as expected:\n{}",
        failures.join("\n")
    );
    assert_eq!(
        app.count_rows("accessions").await,
        0,
        "nothing was registered"
    );
    assert_eq!(
        app.count_rows("audit_log").await,
        audit,
        "and nothing audited"
    );
}

#[rocket::async_test]
async fn a_duplicate_accession_number_is_a_conflict_and_writes_nothing() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let first = app
        .register_accession(&curator, seed_accession("ZDM00010"))
        .await;
    let (accessions, extensions, audit) = (
        app.count_rows("accessions").await,
        app.count_rows("accession_plant").await,
        app.count_rows("audit_log").await,
    );

    let mut again = cell_line_accession("ZDM00010");
    again["accession_names"] = json!("someone else's line");
    let (status, body) = app
        .json("POST", "/api/v1/accessions", Some(&curator), Some(again))
        .await;
    assert_eq!(status, Status::Conflict);
    let err = error_of(&body);
    assert_eq!(err["code"], "conflict");
    assert_eq!(err["field"], "accession_number");
    assert!(err["message"].as_str().unwrap().contains("ZDM00010"));

    assert_eq!(app.count_rows("accessions").await, accessions);
    assert_eq!(app.count_rows("accession_plant").await, extensions);
    assert_eq!(app.count_rows("audit_log").await, audit);
    let (_, kept) = app
        .json(
            "GET",
            &format!("/api/v1/accessions/{}", id_of(&first)),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(
        kept["accession_names"], "Nanjing 11",
        "the first record is untouched"
    );
}

#[rocket::async_test]
async fn numbers_that_differ_only_in_punctuation_are_refused_with_the_reason() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let first = app
        .register_accession(&curator, seed_accession("CGMCC 1.1001"))
        .await;
    assert_eq!(first["pid"], format!("{BASE_URL}/id/CHN001-CGMCC-1.1001"));
    let audit = app.count_rows("audit_log").await;

    let (status, body) = app
        .json(
            "POST",
            "/api/v1/accessions",
            Some(&curator),
            Some(seed_accession("CGMCC/1.1001")),
        )
        .await;
    assert_eq!(status, Status::Conflict);
    let err = error_of(&body);
    assert_eq!(err["field"], "accession_number");
    let message = err["message"].as_str().unwrap();
    assert!(
        message.contains("CHN001-CGMCC-1.1001") && message.contains("CGMCC 1.1001"),
        "the message names the identifier and the record that has it: {message}"
    );
    assert!(
        !message.contains("CGMCC/1.1001 is already registered"),
        "and does not claim the new number is taken: {message}"
    );
    assert_eq!(app.count_rows("accessions").await, 1);
    assert_eq!(app.count_rows("audit_log").await, audit);
}

#[rocket::async_test]
async fn patch_changes_only_what_it_names_and_null_clears_a_field() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let a = app
        .register_accession(&curator, seed_accession("ZDM00020"))
        .await;
    let path = format!("/api/v1/accessions/{}", id_of(&a));

    let (status, patched) = app
        .json(
            "PATCH",
            &path,
            Some(&curator),
            Some(json!({"remarks": "regenerated 2024", "species": "glaberrima"})),
        )
        .await;
    assert_eq!(status, Status::Ok, "{patched}");
    assert_eq!(patched["remarks"], "regenerated 2024");
    assert_eq!(
        patched["taxon_name"], "Oryza glaberrima",
        "the display taxon follows"
    );
    for kept in [
        "crop_name",
        "accession_names",
        "origin_country",
        "acquisition_date",
        "mls_status",
    ] {
        assert_eq!(patched[kept], a[kept], "{kept} kept");
    }
    assert_eq!(patched["pid"], a["pid"]);

    let (status, cleared) = app
        .json(
            "PATCH",
            &path,
            Some(&curator),
            Some(json!({"crop_name": null})),
        )
        .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(cleared["crop_name"], Value::Null, "null clears");
    assert_eq!(cleared["remarks"], "regenerated 2024", "the rest stays");

    let (status, body) = app
        .json("PATCH", &path, Some(&curator), Some(json!({"genus": null})))
        .await;
    assert_eq!(
        status,
        Status::UnprocessableEntity,
        "a required field cannot be cleared"
    );
    assert_eq!(error_of(&body)["field"], "genus");
    let (status, body) = app
        .json(
            "PATCH",
            &path,
            Some(&curator),
            Some(json!({"latitude": 123})),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(error_of(&body)["field"], "latitude");
    let (_, now) = app.json("GET", &path, Some(&curator), None).await;
    assert_eq!(now["genus"], "Oryza", "a refused edit changes nothing");
    assert_eq!(now["latitude"], Value::Null);
}

#[rocket::async_test]
async fn material_type_and_accession_number_cannot_change() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let a = app
        .register_accession(&curator, seed_accession("ZDM00030"))
        .await;
    let path = format!("/api/v1/accessions/{}", id_of(&a));
    for (field, value) in [
        ("material_type", json!("strain")),
        ("accession_number", json!("ZDM99999")),
        ("institute_code", json!("CHN002")),
    ] {
        let (status, body) = app
            .json(
                "PATCH",
                &path,
                Some(&curator),
                Some(json!({ field: value })),
            )
            .await;
        assert_eq!(status, Status::UnprocessableEntity, "{field}: {body}");
        assert_eq!(error_of(&body)["field"], field);
        assert_eq!(error_of(&body)["code"], "immutable");
    }
    let (status, _) = app
        .json(
            "PATCH",
            &path,
            Some(&curator),
            Some(json!({"material_type": "seed", "accession_number": "ZDM00030", "remarks": "ok"})),
        )
        .await;
    assert_eq!(status, Status::Ok, "sending the same values is fine");
    let (_, now) = app.json("GET", &path, Some(&curator), None).await;
    assert_eq!(now["accession_number"], "ZDM00030");
    assert_eq!(now["material_type"], "seed");
}

#[rocket::async_test]
async fn deaccession_keeps_the_record_blocks_edits_and_leaves_a_tombstone() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let a = app
        .register_accession(&curator, seed_accession("ZDM00040"))
        .await;
    let id = id_of(&a);
    let pid = a["pid"].as_str().unwrap().to_string();

    let (status, body) = app
        .json(
            "POST",
            &format!("/api/v1/accessions/{id}/deaccession"),
            Some(&curator),
            Some(json!({"reason": "  "})),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity, "a reason is required");
    assert_eq!(error_of(&body)["field"], "reason");

    let (status, gone) = app
        .json(
            "POST",
            &format!("/api/v1/accessions/{id}/deaccession"),
            Some(&curator),
            Some(json!({"reason": "lost viability; no regeneration possible"})),
        )
        .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(gone["status"], "deaccessioned");
    assert_eq!(gone["available"], false);
    assert_eq!(
        gone["deaccession_reason"],
        "lost viability; no regeneration possible"
    );
    assert!(gone["deaccessioned_at"].is_string());
    assert_eq!(gone["pid"], pid, "the identifier stays");

    let (status, kept) = app
        .json(
            "GET",
            &format!("/api/v1/accessions/{id}"),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok, "the record is kept");
    assert_eq!(kept["genus"], "Oryza");

    let (status, body) = app
        .json(
            "PATCH",
            &format!("/api/v1/accessions/{id}"),
            Some(&curator),
            Some(json!({"remarks": "x"})),
        )
        .await;
    assert_eq!(status, Status::Conflict, "no edits after deaccession");
    assert_eq!(error_of(&body)["field"], "status");
    let (status, _) = app
        .json(
            "POST",
            &format!("/api/v1/accessions/{id}/samples"),
            Some(&curator),
            Some(sample_body(10.0)),
        )
        .await;
    assert_eq!(status, Status::Conflict, "no new samples either");
    let (status, _) = app
        .json(
            "POST",
            &format!("/api/v1/accessions/{id}/deaccession"),
            Some(&curator),
            Some(json!({"reason": "again"})),
        )
        .await;
    assert_eq!(status, Status::Conflict, "once is enough");

    let resolver = resolver_path(&pid, BASE_URL);
    let (status, html) = app.get_page(&resolver).await;
    assert_eq!(status, Status::Ok, "the identifier still resolves");
    assert!(html.contains("data-testid=\"tombstone\""), "to a tombstone");
    assert!(html.contains("CHN001 ZDM00040"));
    assert!(!html.contains("Nanjing 11"), "without the passport data");

    let res = app
        .client
        .get(resolver.clone())
        .header(Accept::new([
            MediaType::new("application", "ld+json").into()
        ]))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(
        res.content_type(),
        Some(ContentType::new("application", "ld+json"))
    );
    let ld: Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert_eq!(ld["@id"], pid);
    assert!(
        ld.get("subjectOf").is_none(),
        "no record data in the tombstone"
    );
    assert!(
        ld["additionalProperty"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "status" && p["value"] == "deaccessioned")
    );
    assert!(
        ld["additionalProperty"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["name"] == "deaccessionedAt" && p["value"].is_string())
    );

    let (_, listed) = app
        .json(
            "GET",
            "/api/v1/accessions?status=deaccessioned",
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(listed["total"], 1);
    assert_eq!(listed["items"][0]["id"], id);
}

#[rocket::async_test]
async fn the_identifier_resolves_with_every_configured_scheme() {
    for (scheme, prefix, expected_pid) in [
        ("url", "", format!("{BASE_URL}/id/CHN001-ZDM00050")),
        (
            "cstr",
            "16409.11",
            "CSTR:16409.11.CHN001-ZDM00050".to_string(),
        ),
        ("doi", "10.18730", "10.18730/CHN001-ZDM00050".to_string()),
    ] {
        let app = app_with(|c| {
            c.pid_scheme = scheme.into();
            c.pid_prefix = prefix.into();
        })
        .await;
        let curator = app.token(Role::Curator).await;
        let a = app
            .register_accession(&curator, seed_accession("ZDM00050"))
            .await;
        assert_eq!(a["pid"], expected_pid, "{scheme}");

        let (status, html) = app.get_page(&resolver_path(&expected_pid, BASE_URL)).await;
        assert_eq!(status, Status::Ok, "{scheme}: {expected_pid} resolves");
        assert!(
            html.contains(&expected_pid),
            "{scheme}: the page shows the identifier"
        );
        assert!(
            html.contains("Nanjing 11"),
            "{scheme}: and the public passport data"
        );

        let res = app
            .client
            .get(resolver_path(&expected_pid, BASE_URL))
            .header(Accept::new([
                MediaType::new("application", "ld+json").into()
            ]))
            .dispatch()
            .await;
        let ld: Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
        assert_eq!(ld["@id"], expected_pid, "{scheme}");
        assert_eq!(ld["subjectOf"]["accession_number"], "ZDM00050", "{scheme}");

        let (status, _) = app.get_page("/id/CHN001-NOPE").await;
        assert_eq!(
            status,
            Status::NotFound,
            "{scheme}: unknown identifiers are 404"
        );
    }
}

#[rocket::async_test]
async fn the_accession_page_links_to_its_resolvable_identifier() {
    let app = app_with(|c| {
        c.pid_scheme = "cstr".into();
        c.pid_prefix = "16409.11".into();
    })
    .await;
    let curator = app.token(Role::Curator).await;
    app.user("carla", Role::Curator).await;
    let a = app
        .register_accession(&curator, seed_accession("ZDM00051"))
        .await;
    assert_eq!(app.sign_in("carla", PASSWORD).await, Status::SeeOther);
    let (_, html) = app.get_page(&format!("/accessions/{}", id_of(&a))).await;
    let start = html.find("data-testid=\"pid\"").expect("the PID is shown");
    let before = &html[..start];
    let href = &before[before.rfind("href=\"").unwrap() + 6..];
    let href = &href[..href.find('"').unwrap()];
    let (status, target) = app.get_page(href).await;
    assert_eq!(status, Status::Ok, "the link {href} resolves");
    assert!(target.contains("CSTR:16409.11.CHN001-ZDM00051"));
}

async fn numbers(app: &TestApp, token: &str, query: &str) -> (Value, Vec<String>) {
    let (status, page) = app
        .json(
            "GET",
            &format!("/api/v1/accessions{query}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok, "{query}: {page}");
    let list = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["accession_number"].as_str().unwrap().to_string())
        .collect();
    (page, list)
}

#[rocket::async_test]
async fn the_registry_searches_filters_sorts_and_paginates() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let tech = app.token(Role::Technician).await;
    for (number, genus, species, name) in [
        ("ZDM00103", "Oryza", "sativa", "Nanjing 11"),
        ("ZDM00101", "Oryza", "glaberrima", "African rice"),
        ("ZDM00102", "Triticum", "aestivum", "Xiaoyan 6"),
        ("ZDM00104", "Zea", "mays", "Zhengdan 958"),
    ] {
        let mut body = seed_accession(number);
        body["genus"] = json!(genus);
        body["species"] = json!(species);
        body["accession_names"] = json!(name);
        app.register_accession(&curator, body).await;
    }
    let hela = app
        .register_accession(&curator, cell_line_accession("CL-0100"))
        .await;
    app.json(
        "POST",
        &format!("/api/v1/accessions/{}/deaccession", id_of(&hela)),
        Some(&curator),
        Some(json!({"reason": "misidentified"})),
    )
    .await;

    let (_, found) = numbers(&app, &tech, "?q=ZDM00102").await;
    assert_eq!(found, ["ZDM00102"], "by number");
    let (_, found) = numbers(&app, &tech, "?q=xiaoyan").await;
    assert_eq!(found, ["ZDM00102"], "by name, any case");
    let (_, found) = numbers(&app, &tech, "?q=oryza%20sat").await;
    assert_eq!(found, ["ZDM00103"], "by taxon");
    let (_, found) = numbers(&app, &tech, "?q=oryza").await;
    assert_eq!(
        found,
        ["ZDM00101", "ZDM00103"],
        "by genus, sorted by number"
    );
    let (_, found) = numbers(&app, &tech, "?q=100%25").await;
    assert!(
        found.is_empty(),
        "a % in the search is a character, not a wildcard"
    );

    let (_, found) = numbers(&app, &tech, "?material_type=cell_line").await;
    assert_eq!(found, ["CL-0100"]);
    let (_, found) = numbers(&app, &tech, "?status=active&material_type=seed").await;
    assert_eq!(found.len(), 4);
    let (_, found) = numbers(&app, &tech, "?status=deaccessioned").await;
    assert_eq!(found, ["CL-0100"]);

    let (_, found) = numbers(
        &app,
        &tech,
        "?material_type=seed&sort=accession_number&dir=desc",
    )
    .await;
    assert_eq!(found, ["ZDM00104", "ZDM00103", "ZDM00102", "ZDM00101"]);
    let (_, found) = numbers(&app, &tech, "?material_type=seed&sort=taxon_name").await;
    assert_eq!(
        found,
        ["ZDM00101", "ZDM00103", "ZDM00102", "ZDM00104"],
        "by taxon name"
    );

    let (page, found) = numbers(&app, &tech, "?sort=accession_number&per_page=2&page=2").await;
    assert_eq!(found, ["ZDM00102", "ZDM00103"]);
    assert_eq!(page["total"], 5);
    assert_eq!(page["page"], 2);
    assert_eq!(page["per_page"], 2);
    let (page, found) = numbers(&app, &tech, "?sort=accession_number&per_page=2&page=9").await;
    assert!(found.is_empty(), "past the end is an empty page");
    assert_eq!(page["total"], 5);

    // The page shows the same search.
    app.user("tom", Role::Technician).await;
    assert_eq!(app.sign_in("tom", PASSWORD).await, Status::SeeOther);
    let (status, html) = app.get_page("/accessions?q=oryza&per_page=1").await;
    assert_eq!(status, Status::Ok);
    assert!(
        html.contains("ZDM00101") && !html.contains("ZDM00103"),
        "first page of one"
    );
    assert!(html.contains("page=2"), "with a link to the next page");
}

fn actions(audit: &Value) -> Vec<&str> {
    audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect()
}

#[rocket::async_test]
async fn every_write_leaves_an_audit_record_and_the_page_shows_the_history() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    app.user("carla", Role::Curator).await;
    let a = app
        .register_accession(&curator, seed_accession("ZDM00060"))
        .await;
    let id = id_of(&a);
    app.json(
        "PATCH",
        &format!("/api/v1/accessions/{id}"),
        Some(&curator),
        Some(json!({"remarks": "checked"})),
    )
    .await;
    app.json(
        "POST",
        &format!("/api/v1/accessions/{id}/deaccession"),
        Some(&curator),
        Some(json!({"reason": "duplicate of ZDM00001"})),
    )
    .await;

    let (status, audit) = app
        .json(
            "GET",
            &format!("/api/v1/audit?table=accessions&row_id={id}"),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(
        actions(&audit),
        ["deaccession", "update", "create"],
        "newest first"
    );
    let items = audit["items"].as_array().unwrap();
    let (deacc, update, create) = (&items[0], &items[1], &items[2]);
    assert!(create["before"].is_null(), "a creation has no before");
    assert_eq!(create["after"]["accession_number"], "ZDM00060");
    assert_eq!(update["before"]["remarks"], Value::Null);
    assert_eq!(update["after"]["remarks"], "checked");
    assert_eq!(deacc["before"]["status"], "active");
    assert_eq!(deacc["after"]["status"], "deaccessioned");
    for r in items {
        assert!(
            r["actor_name"].as_str().unwrap().starts_with("curator-"),
            "who: {r}"
        );
        assert_eq!(r["table_name"], "accessions");
        assert_eq!(r["row_id"], id.to_string());
    }
    assert_eq!(audit["total"], 3);

    assert_eq!(app.sign_in("carla", PASSWORD).await, Status::SeeOther);
    let (_, html) = app.get_page(&format!("/accessions/{id}")).await;
    let history = &html[html.find("id=\"history\"").expect("a history section")..];
    for action in ["Created", "Changed", "Deaccessioned"] {
        assert!(history.contains(action), "the history shows {action}");
    }
    assert!(history.contains("checked"), "and what changed");

    // A refused write leaves no record.
    app.json(
        "PATCH",
        &format!("/api/v1/accessions/{id}"),
        Some(&curator),
        Some(json!({"remarks": "late"})),
    )
    .await;
    let (_, audit) = app
        .json(
            "GET",
            &format!("/api/v1/audit?table=accessions&row_id={id}"),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(audit["total"], 3);
}

#[rocket::async_test]
async fn adding_a_sample_posts_an_initial_ledger_entry_and_issues_a_checked_label_code() {
    let app = app_untracked().await;
    let curator = app.token(Role::Curator).await;
    let tech_token = app.token(Role::Technician).await;
    app.user("tom", Role::Technician).await;
    app.user("rosa", Role::Researcher).await;
    let a = app
        .register_accession(&curator, seed_accession("ZDM00070"))
        .await;

    let mut body = sample_body(1250.0);
    body["moisture_pct"] = json!(5.5);
    body["banked_on"] = json!("2024-06-01");
    let s = app.add_sample(&curator, id_of(&a), body).await;
    assert_eq!(s["quantity"], 1250.0);
    assert_eq!(s["status"], "available");
    assert_eq!(s["accession_id"], a["id"]);

    let (status, ledger) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{}/ledger", s["id"]),
            Some(&tech_token),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok);
    let entries = ledger.as_array().unwrap();
    assert_eq!(entries.len(), 1);
    assert_eq!(entries[0]["reason"], "initial");
    assert_eq!(entries[0]["unit"], "seeds");
    let sum: f64 = entries.iter().map(|e| e["delta"].as_f64().unwrap()).sum();
    assert_eq!(
        sum,
        s["quantity"].as_f64().unwrap(),
        "quantity = sum of the ledger"
    );
    assert_eq!(entries[0]["balance_after"], 1250.0);

    let code = s["label_code"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 11, "XXXX-XXXX-C: {code}");
    assert_eq!(&code[4..5], "-");
    assert_eq!(&code[9..10], "-");
    let parsed = LabelCode::parse(&code).expect("a code with a valid check character");
    assert_eq!(parsed.display(), code);

    let mut tech = app.signed_in_browser("tom", PASSWORD).await;
    let page = app
        .browse(&mut tech, "GET", &format!("/s/{code}"), None)
        .await;
    assert_eq!(page.status, Status::Ok, "staff open a scanned label");
    assert!(page.body.contains(&code));
    assert!(page.body.contains("ZDM00070"), "with its accession");
    let bare = code.replace('-', "").to_lowercase();
    let page = app
        .browse(&mut tech, "GET", &format!("/s/{bare}"), None)
        .await;
    assert_eq!(
        page.status,
        Status::Ok,
        "typed without hyphens, in lower case"
    );

    let mut researcher = app.signed_in_browser("rosa", PASSWORD).await;
    let page = app
        .browse(&mut researcher, "GET", &format!("/s/{code}"), None)
        .await;
    assert_eq!(
        page.status,
        Status::Forbidden,
        "researchers do not open sample pages"
    );

    let (_, listed) = app
        .json(
            "GET",
            &format!("/api/v1/accessions/{}/samples", a["id"]),
            Some(&tech_token),
            None,
        )
        .await;
    assert_eq!(listed.as_array().unwrap().len(), 1);
    assert_eq!(listed[0]["label_code"], code);
}

#[rocket::async_test]
async fn a_mistyped_label_code_is_refused_with_a_check_character_message() {
    let app = app_untracked().await;
    let curator = app.token(Role::Curator).await;
    app.user("tom", Role::Technician).await;
    let a = app
        .register_accession(&curator, seed_accession("ZDM00080"))
        .await;
    let s = app.add_sample(&curator, id_of(&a), sample_body(40.0)).await;
    let code = s["label_code"].as_str().unwrap().to_string();
    let mut tech = app.signed_in_browser("tom", PASSWORD).await;

    for position in [0, 3, 5, 10] {
        let mut chars: Vec<char> = code.chars().collect();
        let original = chars[position];
        chars[position] = ALPHABET
            .iter()
            .map(|&b| b as char)
            .find(|&c| c != original && !matches!(c, '0' | '1'))
            .unwrap();
        let typo: String = chars.into_iter().collect();
        let page = app
            .browse(&mut tech, "GET", &format!("/s/{typo}"), None)
            .await;
        assert_eq!(
            page.status,
            Status::UnprocessableEntity,
            "{typo} is refused"
        );
        assert!(
            page.body.contains("check character"),
            "{typo}: the message mentions the check character"
        );
    }
    let page = app.browse(&mut tech, "GET", "/s/ABCD", None).await;
    assert_eq!(
        page.status,
        Status::UnprocessableEntity,
        "a short code says how long"
    );
    assert!(page.body.contains("9 characters"));
}

#[rocket::async_test]
async fn a_sample_added_through_the_page_shows_on_the_accession() {
    let app = app_untracked().await;
    let curator_token = app.token(Role::Curator).await;
    app.user("carla", Role::Curator).await;
    let a = app
        .register_accession(&curator_token, seed_accession("ZDM00090"))
        .await;
    let mut b = app.signed_in_browser("carla", PASSWORD).await;
    let mut fields = vec![
        ("form", "seed_packet"),
        ("quantity", "abc"),
        ("unit", "seeds"),
        ("conservation_purpose", "base"),
        ("generation", ""),
        ("passage", ""),
        ("moisture_pct", "6,2"),
        ("banked_on", "2024-05-01"),
        ("notes", "first packet"),
    ];
    let res = app
        .browse(
            &mut b,
            "POST",
            &format!("/accessions/{}/samples", id_of(&a)),
            Some(&fields),
        )
        .await;
    assert_eq!(res.status, Status::UnprocessableEntity);
    assert!(
        res.body.contains("&#39;abc&#39; is not a number"),
        "the message is shown: {}",
        res.body
    );
    assert!(
        res.body.contains("value=\"abc\""),
        "and the typed value kept"
    );
    assert_eq!(app.count_rows("samples").await, 0);

    fields[1] = ("quantity", "300");
    let res = app
        .browse(
            &mut b,
            "POST",
            &format!("/accessions/{}/samples", id_of(&a)),
            Some(&fields),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther);
    let (_, samples) = app
        .json(
            "GET",
            &format!("/api/v1/accessions/{}/samples", id_of(&a)),
            Some(&curator_token),
            None,
        )
        .await;
    assert_eq!(samples[0]["quantity"], 300.0);
    assert_eq!(samples[0]["moisture_pct"], 6.2);
    let page = app
        .browse(&mut b, "GET", &format!("/accessions/{}", id_of(&a)), None)
        .await;
    assert!(
        page.body
            .contains(samples[0]["label_code"].as_str().unwrap())
    );
}
