//! Viability and quality monitoring: technicians record tests (the seeds they use leave
//! through the ledger), each lot's schedule follows the viability equation, its own decline
//! or policy, and the work lists tell the team what to test, regenerate, re-bank or duplicate.

mod common;

use std::sync::{Arc, Mutex};

use biobank::domain::material::Role;
use common::{PASSWORD, TestApp, app, cell_line_accession, error_of, seed_accession};
use rocket::http::{ContentType, Status};
use serde_json::{Value, json};

/// A curator's and a technician's tokens.
async fn team(app: &TestApp) -> (String, String) {
    (
        app.token(Role::Curator).await,
        app.token(Role::Technician).await,
    )
}

/// A seed lot of `genus species`, banked on `banked_on` with `seeds` seeds at 6 % moisture.
async fn seed_lot(
    app: &TestApp,
    curator: &str,
    number: &str,
    (genus, species): (&str, &str),
    banked_on: &str,
    seeds: f64,
) -> (i64, i64) {
    let mut body = seed_accession(number);
    body["genus"] = json!(genus);
    body["species"] = json!(species);
    let acc = app.register_accession(curator, body).await;
    let id = acc["id"].as_i64().unwrap();
    let s = app
        .add_sample(
            curator,
            id,
            json!({"form": "seed_packet", "quantity": seeds, "unit": "seeds",
                   "conservation_purpose": "base", "banked_on": banked_on, "moisture_pct": 6.0}),
        )
        .await;
    (id, s["id"].as_i64().unwrap())
}

/// Four replicates of 50 seeds with these normal seedling counts (the rest dead).
fn germination(sample_id: i64, tested_on: &str, normal: [u32; 4]) -> Value {
    let reps: Vec<Value> = normal
        .iter()
        .map(|n| json!({"normal": n, "abnormal": 0, "dormant": 0, "dead": 50 - n}))
        .collect();
    json!({"sample_id": sample_id, "test_type": "germination", "tested_on": tested_on,
           "seeds_per_replicate": 50, "substrate": "top of paper", "temperature_regime": "20/30 °C",
           "light_hours": 8, "prechill_days": 0, "count_days": 14, "replicates": reps})
}

async fn record(app: &TestApp, token: &str, body: Value) -> (Status, Value) {
    app.json("POST", "/api/v1/viability-tests", Some(token), Some(body))
        .await
}

async fn recorded(app: &TestApp, token: &str, body: Value) -> Value {
    let (status, v) = record(app, token, body).await;
    assert_eq!(status, Status::Created, "test recorded: {v}");
    v
}

async fn viability(app: &TestApp, token: &str, sample: i64) -> Value {
    let (status, v) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{sample}/viability"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok, "{v}");
    v
}

async fn worklist(app: &TestApp, token: &str, name: &str) -> Vec<Value> {
    let (status, v) = app
        .json(
            "GET",
            &format!("/api/v1/worklists/{name}?per_page=200"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok, "{name}: {v}");
    v["items"].as_array().unwrap().clone()
}

fn on_list(rows: &[Value], sample: i64) -> Option<&Value> {
    rows.iter().find(|r| r["sample_id"] == sample)
}

async fn quantity_and_ledger_sum(
    app: &TestApp,
    token: &str,
    sample: i64,
) -> (f64, f64, Vec<Value>) {
    let (_, s) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{sample}"),
            Some(token),
            None,
        )
        .await;
    let (_, ledger) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{sample}/ledger"),
            Some(token),
            None,
        )
        .await;
    let lines = ledger.as_array().unwrap().clone();
    let sum = lines.iter().map(|l| l["delta"].as_f64().unwrap()).sum();
    (s["quantity"].as_f64().unwrap(), sum, lines)
}

#[rocket::async_test]
async fn technician_records_a_germination_test_and_the_seeds_counted_leave_through_the_ledger() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    let (_, lot) = seed_lot(
        &app,
        &curator,
        "ZDM00001",
        ("Oryza", "sativa"),
        "2020-01-15",
        5000.0,
    )
    .await;

    let t = recorded(
        &app,
        &tech,
        germination(lot, "2020-03-01", [48, 47, 48, 47]),
    )
    .await;
    assert_eq!(t["result_pct"], 95.0, "190 normal seedlings of 200");
    assert_eq!(t["consumed_quantity"], 200.0);
    assert_eq!(t["viability"]["initial_viability_pct"], 95.0);

    let (quantity, sum, lines) = quantity_and_ledger_sum(&app, &tech, lot).await;
    assert_eq!(quantity, 4800.0);
    assert_eq!(quantity, sum, "quantity equals the sum of the ledger");
    let test_line = lines.last().unwrap();
    assert_eq!(test_line["reason"], "viability_test");
    assert_eq!(test_line["delta"], -200.0);
    assert_eq!(test_line["viability_test_id"], t["id"]);

    // A tetrazolium test that used 50 seeds, then the invariant still holds.
    recorded(
        &app,
        &tech,
        json!({"sample_id": lot, "test_type": "tetrazolium", "tested_on": "2020-04-01",
               "result_pct": 96.0, "consumed_quantity": 50}),
    )
    .await;
    let (quantity, sum, _) = quantity_and_ledger_sum(&app, &tech, lot).await;
    assert_eq!((quantity, sum), (4750.0, 4750.0));
    assert_eq!(app.count_rows("viability_test_replicates").await, 4);
    let (_, audit) = app
        .json(
            "GET",
            "/api/v1/audit?table=viability_tests",
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(audit["total"], 2, "every test is audited: {audit}");
    assert_eq!(
        app.count_rows("sample_events WHERE kind = 'tested'").await,
        2,
        "each test is a custody event"
    );
}

#[rocket::async_test]
async fn first_test_sets_initial_viability_and_the_species_equation_schedules_the_next() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    let (_, lot) = seed_lot(
        &app,
        &curator,
        "ZDM00002",
        ("Oryza", "sativa"),
        "2020-01-15",
        5000.0,
    )
    .await;
    recorded(
        &app,
        &tech,
        germination(lot, "2020-03-01", [48, 47, 48, 47]),
    )
    .await;

    let v = viability(&app, &tech, lot).await;
    assert_eq!(v["basis"], "species_prediction", "{v}");
    assert_eq!(v["initial_viability_pct"], 95.0);
    assert_eq!(v["initial_tested_on"], "2020-03-01");
    assert!((v["threshold_pct"].as_f64().unwrap() - 80.75).abs() < 1e-9);
    assert_eq!(
        v["temperature_c"], -18.0,
        "no storage unit: the base policy's −18 °C"
    );
    assert_eq!(v["temperature_source"], "policy");
    assert!(
        v["constants"]["source"]
            .as_str()
            .is_some_and(|s| !s.is_empty())
    );
    let predicted = v["predicted_viability_today_pct"].as_f64().unwrap();
    assert!(
        predicted > 90.0 && predicted <= 95.0,
        "rice at −18 °C barely declines: {predicted}"
    );
    let due = v["next_test_due"].as_str().unwrap();
    assert!(
        due > "2020-03-01" && due <= "2030-03-01",
        "one third of the time to threshold, capped at 10 years: {due}"
    );
    assert!(v["threshold_date"].is_string());
    assert_eq!(v["latest_test"]["test_type"], "germination");
}

#[rocket::async_test]
async fn a_second_test_years_later_replaces_the_species_prediction_with_the_lots_own_fit() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    let (_, lot) = seed_lot(
        &app,
        &curator,
        "ZDM00003",
        ("Oryza", "sativa"),
        "2015-01-15",
        5000.0,
    )
    .await;
    recorded(
        &app,
        &tech,
        germination(lot, "2015-03-01", [48, 47, 48, 47]),
    )
    .await;
    assert_eq!(
        viability(&app, &tech, lot).await["basis"],
        "species_prediction"
    );

    recorded(
        &app,
        &tech,
        germination(lot, "2020-03-01", [44, 44, 44, 44]),
    )
    .await;
    let v = viability(&app, &tech, lot).await;
    assert_eq!(v["basis"], "lot_fit", "{v}");
    assert_eq!(
        v["initial_viability_pct"], 95.0,
        "the first test stays the initial one"
    );
    assert_eq!(v["latest_test"]["result_pct"], 88.0);
    let predicted = v["predicted_viability_today_pct"].as_f64().unwrap();
    assert!(
        predicted < 88.0,
        "the fitted decline continues past the last test: {predicted}"
    );
}

#[rocket::async_test]
async fn a_species_without_constants_falls_back_to_the_policy_interval_until_a_curator_adds_them() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    let (_, lot) = seed_lot(
        &app,
        &curator,
        "ZDM00004",
        ("Nothogenus", "ignotus"),
        "2020-01-15",
        5000.0,
    )
    .await;
    recorded(
        &app,
        &tech,
        germination(lot, "2020-03-01", [48, 47, 48, 47]),
    )
    .await;

    let v = viability(&app, &tech, lot).await;
    assert_eq!(v["basis"], "policy", "{v}");
    assert_eq!(
        v["next_test_due"], "2030-03-01",
        "3652 days: the base collection's 10 years"
    );
    assert!(v["constants"].is_null());
    assert!(v["threshold_date"].is_null());

    // An admin shortens the base-collection interval to a year.
    let admin = app.user("ada", Role::Admin).await;
    let _ = admin;
    assert_eq!(app.sign_in("ada", PASSWORD).await, Status::SeeOther);
    let res = app
        .submit_form(
            "/viability/policies",
            "/viability/policies",
            &[
                ("material_type", "seed"),
                ("conservation_purpose", "base"),
                ("interval_days", "365"),
                ("threshold_fraction", "0.85"),
                ("default_temperature_c", "-18"),
                ("min_regeneration_qty", "1500"),
                ("min_distribution_qty", ""),
                ("min_safety_duplicate_qty", ""),
                ("rebank_below_qty", ""),
                ("required_batch_tests", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), Status::SeeOther);
    let v = viability(&app, &tech, lot).await;
    assert_eq!(v["next_test_due"], "2021-03-01");
    assert_eq!(v["policy"]["customised"], true);

    // A curator adds the species' constants; the equation now drives the date.
    let res = app
        .submit_form(
            "/viability/policies",
            "/viability/species",
            &[
                ("genus", "Nothogenus"),
                ("species", "ignotus"),
                ("ke", "8.5"),
                ("cw", "4.9"),
                ("ch", ""),
                ("cq", ""),
                ("source", "Field trial, 2024"),
            ],
        )
        .await;
    assert_eq!(res.status(), Status::SeeOther);
    let v = viability(&app, &tech, lot).await;
    assert_eq!(v["basis"], "species_prediction", "{v}");
    assert_eq!(v["constants"]["source"], "Field trial, 2024");
}

#[rocket::async_test]
async fn work_lists_show_overdue_untested_low_and_unduplicated_lots() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    // Tested in 2005 with no constants known: due in 2015, long overdue.
    let (_, overdue) = seed_lot(
        &app,
        &curator,
        "ZDM00010",
        ("Nothogenus", "ignotus"),
        "2005-01-15",
        5000.0,
    )
    .await;
    recorded(
        &app,
        &tech,
        germination(overdue, "2005-03-01", [48, 47, 48, 47]),
    )
    .await;
    // Banked, never tested.
    let (_, untested) = seed_lot(
        &app,
        &curator,
        "ZDM00011",
        ("Oryza", "sativa"),
        "2024-01-15",
        5000.0,
    )
    .await;
    // Too few seeds for the base collection's minimum (1,500).
    let (small_acc, small) = seed_lot(
        &app,
        &curator,
        "ZDM00012",
        ("Oryza", "sativa"),
        "2024-01-15",
        1000.0,
    )
    .await;
    // Fallen below 85 % of its initial viability.
    let (_, declined) = seed_lot(
        &app,
        &curator,
        "ZDM00013",
        ("Oryza", "sativa"),
        "2015-01-15",
        5000.0,
    )
    .await;
    recorded(
        &app,
        &tech,
        germination(declined, "2015-03-01", [48, 47, 48, 47]),
    )
    .await;
    recorded(
        &app,
        &tech,
        germination(declined, "2020-03-01", [30, 30, 31, 29]),
    )
    .await;

    let due = worklist(&app, &tech, "tests-due").await;
    assert_eq!(on_list(&due, overdue).unwrap()["bucket"], "overdue");
    assert_eq!(on_list(&due, untested).unwrap()["reason"], "initial_test");
    let missing = worklist(&app, &tech, "missing-initial-test").await;
    assert!(on_list(&missing, untested).is_some());
    assert!(
        on_list(&missing, overdue).is_none(),
        "a tested lot is not missing its test"
    );

    let regen = worklist(&app, &tech, "regenerate").await;
    assert_eq!(
        on_list(&regen, small).unwrap()["reason"],
        "below_minimum_quantity"
    );
    assert_eq!(
        on_list(&regen, declined).unwrap()["reason"],
        "below_threshold"
    );
    assert!(on_list(&regen, overdue).is_none());

    let dup = worklist(&app, &tech, "missing-safety-duplicate").await;
    assert!(on_list(&dup, small).is_some(), "no safety duplicate yet");
    app.add_sample(
        &curator,
        small_acc,
        json!({"form": "seed_packet", "quantity": 2000, "unit": "seeds", "conservation_purpose": "safety_duplicate"}),
    )
    .await;
    let dup = worklist(&app, &tech, "missing-safety-duplicate").await;
    assert!(
        dup.iter().all(|r| r["accession_id"] != small_acc),
        "duplicated now: {dup:?}"
    );

    let (status, overdue_only) = app
        .json(
            "GET",
            "/api/v1/worklists/tests-due?bucket=overdue",
            Some(&tech),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok);
    assert!(
        overdue_only["items"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["bucket"] == "overdue")
    );
}

#[rocket::async_test]
async fn small_ampoule_batches_are_flagged_for_rebanking_and_failed_mycoplasma_quarantines_a_batch()
{
    let app = app().await;
    let (curator, tech) = team(&app).await;
    let strain = app
        .register_accession(
            &curator,
            json!({"material_type": "strain", "accession_number": "CGMCC 1.2001",
                   "genus": "Lactiplantibacillus", "species": "plantarum", "strain_designation": "LP-1",
                   "organism_type": "bacterium", "risk_group": 1, "growth_medium": "MRS", "nagoya_status": "not_in_scope",
                   "growth_temperature_c": 37.0, "form_of_supply": "freeze_dried"}),
        )
        .await;
    let few = app
        .add_sample(&curator, strain["id"].as_i64().unwrap(),
            json!({"form": "ampoule", "quantity": 5, "unit": "ampoules", "conservation_purpose": "base"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let many = app
        .add_sample(&curator, strain["id"].as_i64().unwrap(),
            json!({"form": "ampoule", "quantity": 30, "unit": "ampoules", "conservation_purpose": "base"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let rebank = worklist(&app, &tech, "rebank").await;
    assert!(on_list(&rebank, few).is_some());
    assert!(on_list(&rebank, many).is_none());

    // Revival uses an ampoule; the batch still lacks its purity check.
    let t = recorded(
        &app,
        &tech,
        json!({"sample_id": many, "test_type": "revival",
        "tested_on": "2025-06-01", "growth": "good", "consumed_quantity": 1}),
    )
    .await;
    assert_eq!(t["passed"], true);
    let v = viability(&app, &tech, many).await;
    assert_eq!(v["basis"], "policy");
    assert_eq!(v["missing_tests"], json!(["purity"]));
    assert_eq!(
        v["next_test_due"], "2030-06-01",
        "revival every 5 years by policy"
    );

    let cell = app
        .register_accession(&curator, cell_line_accession("CL-0001"))
        .await;
    let vial = app
        .add_sample(&curator, cell["id"].as_i64().unwrap(),
            json!({"form": "vial", "quantity": 20, "unit": "vials", "conservation_purpose": "base"}))
        .await["id"]
        .as_i64()
        .unwrap();
    recorded(
        &app,
        &tech,
        json!({"sample_id": vial, "test_type": "mycoplasma",
        "tested_on": "2025-06-01", "method": "PCR", "passed": false}),
    )
    .await;
    assert_eq!(viability(&app, &tech, vial).await["quarantined"], true);
    let failed = worklist(&app, &tech, "failed-qc").await;
    assert_eq!(on_list(&failed, vial).unwrap()["detail"], "mycoplasma");

    // A later negative test clears the batch.
    recorded(
        &app,
        &tech,
        json!({"sample_id": vial, "test_type": "mycoplasma",
        "tested_on": "2025-07-01", "method": "PCR", "passed": true}),
    )
    .await;
    assert_eq!(viability(&app, &tech, vial).await["quarantined"], false);
    assert!(on_list(&worklist(&app, &tech, "failed-qc").await, vial).is_none());
}

#[rocket::async_test]
async fn str_markers_are_matched_against_the_reference_profile() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    let cell = app
        .register_accession(&curator, cell_line_accession("CL-0002"))
        .await;
    let vial = app
        .add_sample(&curator, cell["id"].as_i64().unwrap(),
            json!({"form": "vial", "quantity": 20, "unit": "vials", "conservation_purpose": "base"}))
        .await["id"]
        .as_i64()
        .unwrap();
    let same = recorded(
        &app,
        &tech,
        json!({"sample_id": vial, "test_type": "str_profile",
        "tested_on": "2025-06-01", "str_markers": "Amelogenin: X; TH01: 7; vWA: 16, 18"}),
    )
    .await;
    assert_eq!(same["str_match_pct"], 100.0);
    assert_eq!(same["passed"], true);
    let other = recorded(
        &app,
        &tech,
        json!({"sample_id": vial, "test_type": "str_profile",
        "tested_on": "2025-06-02", "str_markers": "Amelogenin: X, Y; TH01: 9; vWA: 14, 15"}),
    )
    .await;
    assert_eq!(other["passed"], false, "{other}");
    assert_eq!(other["viability"]["failed_qc"], json!(["str_profile"]));
}

#[rocket::async_test]
async fn technicians_record_tests_and_researchers_are_refused() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    let researcher = app.token(Role::Researcher).await;
    let (_, lot) = seed_lot(
        &app,
        &curator,
        "ZDM00020",
        ("Oryza", "sativa"),
        "2020-01-15",
        5000.0,
    )
    .await;
    let body = germination(lot, "2020-03-01", [48, 47, 48, 47]);

    let (status, v) = record(&app, &researcher, body.clone()).await;
    assert_eq!(status, Status::Forbidden);
    assert_eq!(error_of(&v)["code"], "forbidden");
    let (status, _) = app
        .json("POST", "/api/v1/viability-tests", None, Some(body.clone()))
        .await;
    assert_eq!(status, Status::Unauthorized);
    for path in [
        format!("/api/v1/samples/{lot}/viability"),
        "/api/v1/worklists/tests-due".into(),
    ] {
        let (status, _) = app.json("GET", &path, Some(&researcher), None).await;
        assert_eq!(status, Status::Forbidden, "{path}");
    }
    assert_eq!(app.count_rows("viability_tests").await, 0);
    let (status, _) = record(&app, &tech, body).await;
    assert_eq!(status, Status::Created);
}

#[rocket::async_test]
async fn bad_test_input_is_refused_naming_the_field_and_writes_nothing() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    let (_, lot) = seed_lot(
        &app,
        &curator,
        "ZDM00030",
        ("Oryza", "sativa"),
        "2020-01-15",
        300.0,
    )
    .await;
    let cases: Vec<(Value, u16, &str)> = vec![
        (
            json!({"sample_id": lot, "test_type": "germ", "tested_on": "2020-03-01"}),
            422,
            "test_type",
        ),
        (
            json!({"sample_id": lot, "test_type": "germination", "tested_on": "2020-03-01"}),
            422,
            "replicates",
        ),
        (
            json!({"sample_id": lot, "test_type": "germination", "tested_on": "2020-03-01",
                   "replicates": [{"normal": 0, "abnormal": 0, "dormant": 0, "dead": 0}]}),
            422,
            "replicates[0]",
        ),
        (
            json!({"sample_id": lot, "test_type": "germination", "tested_on": "2020-03-01",
                   "replicates": [{"normal": 10}]}),
            422,
            "replicates[0].abnormal",
        ),
        (
            json!({"sample_id": lot, "test_type": "tetrazolium", "tested_on": "2020-03-01", "result_pct": 140}),
            422,
            "result_pct",
        ),
        (
            json!({"sample_id": lot, "test_type": "tetrazolium", "tested_on": "2999-01-01", "result_pct": 90}),
            422,
            "tested_on",
        ),
        (
            json!({"sample_id": lot, "test_type": "tetrazolium", "tested_on": "yesterday", "result_pct": 90}),
            422,
            "tested_on",
        ),
        (
            json!({"sample_id": 999_999, "test_type": "tetrazolium", "tested_on": "2020-03-01", "result_pct": 90}),
            422,
            "sample_id",
        ),
        (
            json!({"sample_id": lot, "test_type": "mycoplasma", "tested_on": "2020-03-01", "passed": true}),
            422,
            "method",
        ),
        (
            json!({"sample_id": lot, "test_type": "rin", "tested_on": "2020-03-01", "rin": 11}),
            422,
            "rin",
        ),
        (
            json!({"sample_id": lot, "test_type": "tetrazolium", "tested_on": "2020-03-01", "result_pct": 90, "colour": "red"}),
            422,
            "colour",
        ),
        (
            json!({"sample_id": lot, "test_type": "tetrazolium", "tested_on": "2020-03-01", "result_pct": 90, "consumed_quantity": 500}),
            409,
            "consumed_quantity",
        ),
    ];
    for (body, want, field) in cases {
        let (status, v) = record(&app, &tech, body.clone()).await;
        assert_eq!(status.code, want, "{body} → {v}");
        let err = error_of(&v);
        let got = err.get("field").and_then(Value::as_str).unwrap_or("");
        assert!(
            got.starts_with(field),
            "{body}: field {got}, wanted {field}"
        );
    }
    assert_eq!(
        app.count_rows("viability_tests").await,
        0,
        "nothing was recorded"
    );
    let (quantity, sum, _) = quantity_and_ledger_sum(&app, &tech, lot).await;
    assert_eq!((quantity, sum), (300.0, 300.0));

    let (status, _) = app
        .json("GET", "/api/v1/worklists/everything", Some(&tech), None)
        .await;
    assert_eq!(status, Status::NotFound);
    let (status, v) = app
        .json(
            "GET",
            "/api/v1/worklists/tests-due?bucket=someday",
            Some(&tech),
            None,
        )
        .await;
    assert_eq!(status, Status::BadRequest);
    assert_eq!(error_of(&v)["field"], "bucket");
}

#[rocket::async_test]
async fn technician_records_a_test_on_the_sample_page_and_sees_the_chart_and_lists() {
    let app = app().await;
    let (curator, _) = team(&app).await;
    app.user("tess", Role::Technician).await;
    let (_, lot) = seed_lot(
        &app,
        &curator,
        "ZDM00040",
        ("Oryza", "sativa"),
        "2020-01-15",
        5000.0,
    )
    .await;
    let (_, s) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{lot}"),
            Some(&curator),
            None,
        )
        .await;
    let code = s["label_code"].as_str().unwrap().to_string();
    assert_eq!(app.sign_in("tess", PASSWORD).await, Status::SeeOther);

    let (status, page) = app.get_page(&format!("/s/{code}/tests/new")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("test_type=germination"));
    let form_page = format!("/s/{code}/tests/new?test_type=germination");
    let action = format!("/s/{code}/tests");
    let mut fields = vec![
        ("test_type", "germination"),
        ("tested_on", "2020-03-01"),
        ("conclusive", "true"),
    ];
    for i in 0..4 {
        fields.extend([
            (
                ["r0_normal", "r1_normal", "r2_normal", "r3_normal"][i],
                "47",
            ),
            (["r0_dead", "r1_dead", "r2_dead", "r3_dead"][i], "3"),
        ]);
    }
    // A typo first: the form comes back naming the field, nothing is written.
    let mut bad = fields.clone();
    bad.push(("light_hours", "lots"));
    let res = app.submit_form(&form_page, &action, &bad).await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    assert!(res.into_string().await.unwrap().contains("light_hours"));
    assert_eq!(app.count_rows("viability_tests").await, 0);

    let res = app.submit_form(&form_page, &action, &fields).await;
    assert_eq!(res.status(), Status::SeeOther);
    let (status, page) = app.get_page(&format!("/s/{code}")).await;
    assert_eq!(status, Status::Ok);
    assert!(
        page.contains("id=\"viability\"") && page.contains("<svg"),
        "the sample page draws the chart"
    );
    assert!(page.contains("94.0 %"), "188 of 200 seeds germinated");
    assert!(page.contains("class=\"threshold\""));

    let (status, page) = app
        .get_page("/worklists?list=missing-safety-duplicate")
        .await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains(&code));
    let res = app
        .client
        .get("/worklists/missing-safety-duplicate/csv")
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(
        res.content_type().map(|c| c.sub().to_string()),
        Some("csv".into())
    );
    let csv = res.into_string().await.unwrap();
    assert!(csv.starts_with("label_code,accession_number"));
    assert!(csv.contains(&code) && csv.contains("ZDM00040"));
    let (status, page) = app
        .get_page("/worklists/missing-safety-duplicate/pick")
        .await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains(&code));
    let res = app
        .client
        .post("/viability/policies")
        .header(ContentType::Form)
        .body("csrf_token=x&material_type=seed")
        .dispatch()
        .await;
    assert_eq!(
        res.status(),
        Status::Forbidden,
        "technicians do not change policy"
    );
}

#[rocket::async_test]
async fn the_demo_shows_viability_histories_with_predictions_and_due_lists() {
    let app = app().await;
    let config = biobank::AppConfig::for_database("test");
    let report = biobank::services::demo::load(&app.db, &config)
        .await
        .expect("demo loads");
    assert!(report.contains("Viability and quality tests"), "{report}");
    let tech = app.token(Role::Technician).await;

    let due = worklist(&app, &tech, "tests-due").await;
    assert!(due.iter().any(|r| r["bucket"] == "overdue"), "overdue lots");
    assert!(due.iter().any(|r| r["basis"] == "species_prediction"));
    assert!(
        !worklist(&app, &tech, "missing-initial-test")
            .await
            .is_empty()
    );
    assert!(!worklist(&app, &tech, "regenerate").await.is_empty());
    assert!(
        !worklist(&app, &tech, "failed-qc").await.is_empty(),
        "one quarantined batch"
    );
    let (_, page) = app
        .json(
            "GET",
            "/api/v1/worklists/tests-due?per_page=200",
            Some(&tech),
            None,
        )
        .await;
    assert!(page["total"].as_u64().unwrap() > 10);

    // Some lot has its own fitted decline.
    let (_, samples) = app
        .json(
            "GET",
            "/api/v1/accessions?material_type=seed&per_page=40",
            Some(&tech),
            None,
        )
        .await;
    let mut fitted = 0;
    for a in samples["items"].as_array().unwrap() {
        let (_, lots) = app
            .json(
                "GET",
                &format!("/api/v1/accessions/{}/samples", a["id"]),
                Some(&tech),
                None,
            )
            .await;
        for l in lots.as_array().unwrap() {
            if viability(&app, &tech, l["id"].as_i64().unwrap()).await["basis"] == "lot_fit" {
                fitted += 1;
            }
        }
    }
    assert!(
        fitted > 0,
        "the demo has lots fitted from their own history"
    );
}

#[rocket::async_test]
async fn curator_records_a_regeneration_as_a_child_lot_that_needs_its_own_initial_test() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    let (_, parent) = seed_lot(
        &app,
        &curator,
        "ZDM00050",
        ("Oryza", "sativa"),
        "2015-01-15",
        5000.0,
    )
    .await;
    recorded(
        &app,
        &tech,
        germination(parent, "2015-03-01", [48, 47, 48, 47]),
    )
    .await;
    recorded(
        &app,
        &tech,
        germination(parent, "2020-03-01", [30, 30, 31, 29]),
    )
    .await;
    assert!(on_list(&worklist(&app, &tech, "regenerate").await, parent).is_some());

    let body = json!({"quantity": 4200, "banked_on": "2025-10-01", "moisture_pct": 5.5});
    let (status, _) = app
        .json(
            "POST",
            &format!("/api/v1/samples/{parent}/generations"),
            Some(&tech),
            Some(body.clone()),
        )
        .await;
    assert_eq!(
        status,
        Status::Forbidden,
        "technicians test; curators create lots"
    );
    let (status, v) = app
        .json(
            "POST",
            &format!("/api/v1/samples/{parent}/generations"),
            Some(&curator),
            Some(json!({"quantity": -3, "banked_on": "2025-10-01"})),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(error_of(&v)["field"], "quantity");

    let (status, child) = app
        .json(
            "POST",
            &format!("/api/v1/samples/{parent}/generations"),
            Some(&curator),
            Some(body),
        )
        .await;
    assert_eq!(status, Status::Created, "{child}");
    assert_eq!(child["parent_sample_id"], parent);
    assert_eq!(child["generation"], 1);
    let child_id = child["id"].as_i64().unwrap();
    let (quantity, sum, lines) = quantity_and_ledger_sum(&app, &tech, child_id).await;
    assert_eq!((quantity, sum), (4200.0, 4200.0));
    assert_eq!(lines[0]["reason"], "regeneration");
    let missing = worklist(&app, &tech, "missing-initial-test").await;
    assert!(
        on_list(&missing, child_id).is_some(),
        "the new generation needs its own initial test"
    );
    recorded(
        &app,
        &tech,
        germination(child_id, "2025-10-20", [49, 48, 49, 48]),
    )
    .await;
    let v = viability(&app, &tech, child_id).await;
    assert_eq!(v["initial_viability_pct"], 97.0);
}

#[rocket::async_test]
async fn a_failed_mycoplasma_test_quarantines_a_batch_and_blocks_its_distribution_until_cleared() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    let researcher = app.token(Role::Researcher).await;
    app.user("mira", Role::Technician).await;
    let mut body = cell_line_accession("CL-CHO-1");
    body["accession_names"] = json!("CHO-K1");
    body["organism"] = json!("Cricetulus griseus");
    body["cellosaurus_accession"] = json!("CVCL_0214");
    body["risk_group"] = json!(1);
    body["available"] = json!(true);
    body.as_object_mut().unwrap().remove("str_profile");
    let cells = app.register_accession(&curator, body).await["id"]
        .as_i64()
        .unwrap();
    let batch = app
        .add_sample(
            &curator,
            cells,
            json!({"form": "vial", "quantity": 12, "unit": "vials",
                   "conservation_purpose": "working", "banked_on": "2025-05-01"}),
        )
        .await;
    let (batch, code) = (
        batch["id"].as_i64().unwrap(),
        batch["label_code"].as_str().unwrap().to_string(),
    );

    // The PCR comes back positive: the batch is quarantined on its page and on the list.
    recorded(
        &app,
        &tech,
        json!({"sample_id": batch, "test_type": "mycoplasma",
               "tested_on": "2025-06-01", "method": "PCR", "passed": false}),
    )
    .await;
    let failed = worklist(&app, &tech, "failed-qc").await;
    assert_eq!(on_list(&failed, batch).unwrap()["detail"], "mycoplasma");
    assert_eq!(app.sign_in("mira", PASSWORD).await, Status::SeeOther);
    let (status, page) = app.get_page(&format!("/s/{code}")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains("Quarantined"), "the sample page warns");

    // A researcher asks for two vials; the curator cannot approve them from that batch.
    let (status, r) = app
        .json(
            "POST",
            "/api/v1/requests",
            Some(&researcher),
            Some(json!({
                "items": [{"accession_id": cells, "quantity": 2, "unit": "vials"}],
                "intended_use": "research",
                "project_description": "Glycosylation assay",
                "shipping_address": "Cell Biology Lab, 2 Campus Road",
            })),
        )
        .await;
    assert_eq!(status, Status::Created, "{r}");
    let request = r["id"].as_i64().unwrap();
    let act = |token: &str, action: &str| {
        let path = format!("/api/v1/requests/{request}/{action}");
        let token = token.to_string();
        let app = &app;
        async move { app.json("POST", &path, Some(&token), Some(json!({}))).await }
    };
    assert_eq!(act(&researcher, "submit").await.0, Status::Ok);
    assert_eq!(act(&curator, "review").await.0, Status::Ok);
    let (status, e) = act(&curator, "approve").await;
    assert_eq!(status, Status::Conflict, "{e}");
    let message = e["error"]["message"].as_str().unwrap();
    assert_eq!(e["error"]["field"], "items[0].quantity");
    assert!(
        message.contains("quarantined") && message.contains("mycoplasma"),
        "{message}"
    );
    let (_, s) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{batch}"),
            Some(&curator),
            None,
        )
        .await;
    assert!(
        message.contains(s["label_code"].as_str().unwrap()),
        "{message}"
    );
    assert_eq!(s["reserved_quantity"], 0.0, "nothing reserved: {s}");
    assert_eq!(app.count_rows("request_item_samples").await, 0);

    // A later negative test clears the batch and the same request can be approved from it.
    recorded(
        &app,
        &tech,
        json!({"sample_id": batch, "test_type": "mycoplasma",
               "tested_on": "2025-07-01", "method": "PCR", "passed": true}),
    )
    .await;
    assert!(on_list(&worklist(&app, &tech, "failed-qc").await, batch).is_none());
    let (_, page) = app.get_page(&format!("/s/{code}")).await;
    assert!(!page.contains("Quarantined"));
    let (status, r) = act(&curator, "approve").await;
    assert_eq!(status, Status::Ok, "{r}");
    assert_eq!(r["status"], "approved");
    let (_, s) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{batch}"),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(s["reserved_quantity"], 2.0);
}

/// A tiny SMTP server that accepts every message: (port, [(recipients, data)]).
async fn fake_smtp() -> (u16, Arc<Mutex<Vec<(Vec<String>, String)>>>) {
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let got = Arc::new(Mutex::new(Vec::new()));
    let store = got.clone();
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                let _ = w.write_all(b"220 fake ESMTP\r\n").await;
                let (mut rcpt, mut data, mut in_data) = (Vec::new(), String::new(), false);
                while let Ok(Some(line)) = lines.next_line().await {
                    if in_data {
                        if line == "." {
                            in_data = false;
                            store
                                .lock()
                                .unwrap()
                                .push((std::mem::take(&mut rcpt), std::mem::take(&mut data)));
                            let _ = w.write_all(b"250 queued\r\n").await;
                        } else {
                            data.push_str(&line);
                            data.push('\n');
                        }
                        continue;
                    }
                    let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
                    let reply: &[u8] = match verb.as_str() {
                        "RCPT" => {
                            rcpt.push(line[8..].trim().to_string());
                            b"250 ok\r\n"
                        }
                        "DATA" => {
                            in_data = true;
                            b"354 go on\r\n"
                        }
                        "QUIT" => b"221 bye\r\n",
                        _ => b"250 fake\r\n",
                    };
                    let _ = w.write_all(reply).await;
                }
            });
        }
    });
    (port, got)
}

/// A seed lot banked on `banked_on` and never tested: its initial test is due a year later.
async fn untested_lot(
    app: &TestApp,
    curator: &str,
    number: &str,
    banked_on: &str,
) -> (i64, String) {
    let (_, id) = seed_lot(app, curator, number, ("Oryza", "sativa"), banked_on, 5000.0).await;
    let (_, s) = app
        .json("GET", &format!("/api/v1/samples/{id}"), Some(curator), None)
        .await;
    (id, s["label_code"].as_str().unwrap().to_string())
}

async fn curator_with_email(app: &TestApp, username: &str, email: Option<&str>) -> i64 {
    use biobank::services::users::{NewUser, create_user};
    create_user(
        &app.db,
        &biobank::services::Actor::system("test"),
        NewUser {
            username: username.into(),
            display_name: None,
            email: email.map(str::to_string),
            password: PASSWORD.into(),
            role: Role::Curator,
            institution: None,
        },
        "active",
    )
    .await
    .expect("curator")
    .id
}

#[rocket::async_test]
async fn the_daily_job_reminds_curators_of_due_lots_once_in_the_app_and_by_email() {
    use biobank::services::mail::Mailer;
    use biobank::services::viability::reminders;
    let app = app().await;
    let (curator, _) = team(&app).await;
    curator_with_email(&app, "cora", Some("cora@example.org")).await;
    curator_with_email(&app, "carl", None).await;
    app.user("rita", Role::Researcher).await;
    let (_, due_soon) = untested_lot(&app, &curator, "ZDM00061", "2025-01-15").await;
    let (_, overdue) = untested_lot(&app, &curator, "ZDM00062", "2024-06-01").await;
    let (_, later) = untested_lot(&app, &curator, "ZDM00063", "2025-11-01").await;
    let (port, mailbox) = fake_smtp().await;
    let mailer = Mailer::new(&format!("smtp://127.0.0.1:{port}"), "biobank@example.org").unwrap();

    let day = |d: &str| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").unwrap();
    let r = reminders::run(&app.db, day("2026-01-01"), Some(&mailer))
        .await
        .unwrap();
    assert_eq!(r.due, 2, "due on 2026-01-15 and overdue since 2025-06-01");
    assert_eq!(r.posted, 6, "two lots for each of three curators");
    assert_eq!(r.emailed, 1, "only cora has an e-mail address");
    {
        let mails = mailbox.lock().unwrap();
        assert_eq!(mails.len(), 1);
        let (to, data) = &mails[0];
        assert_eq!(to, &vec!["<cora@example.org>".to_string()]);
        assert!(
            data.contains("Subject: biobank: 2 viability test(s) due"),
            "{data}"
        );
        assert!(
            data.contains(&format!("{due_soon} (Oryza sativa")),
            "{data}"
        );
        assert!(data.contains("overdue since 2025-06-01"), "{data}");
        assert!(!data.contains(&later), "{data}");
    }

    // The next days post nothing new for the same lots and due dates, even once overdue.
    for d in ["2026-01-02", "2026-01-20"] {
        let r = reminders::run(&app.db, day(d), Some(&mailer))
            .await
            .unwrap();
        assert_eq!((r.due, r.posted, r.emailed), (2, 0, 0), "{d}");
    }
    assert_eq!(mailbox.lock().unwrap().len(), 1);
    assert_eq!(app.count_rows("notifications").await, 6);

    // Cora reads her reminders and marks them read; carl cannot touch hers.
    assert_eq!(app.sign_in("cora", PASSWORD).await, Status::SeeOther);
    let (status, page) = app.get_page("/notifications").await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains(&format!("{due_soon} (Oryza sativa")) && page.contains(&overdue));
    assert!(page.contains("Unread: 2"), "{page}");
    let first = page
        .split("name=\"id\" value=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .unwrap()
        .to_string();
    let res = app
        .submit_form("/notifications", "/notifications/read", &[("id", &first)])
        .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, page) = app.get_page("/notifications").await;
    assert!(page.contains("Unread: 1"), "{page}");
    assert_eq!(app.sign_in("carl", PASSWORD).await, Status::SeeOther);
    let (_, carls) = app.get_page("/notifications").await;
    assert!(carls.contains("Unread: 2"));
    let res = app
        .submit_form("/notifications", "/notifications/read", &[("id", &first)])
        .await;
    assert_eq!(res.status(), Status::NotFound, "not carl's notice");
    let res = app
        .submit_form("/notifications", "/notifications/read", &[])
        .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, carls) = app.get_page("/notifications").await;
    assert!(carls.contains("Unread: 0"));
}

#[rocket::async_test]
async fn the_background_job_runs_soon_after_start_without_blocking_requests() {
    let app = common::app_with(|c| c.scheduler_interval_secs = Some(1)).await;
    let (curator, _) = team(&app).await;
    untested_lot(&app, &curator, "ZDM00070", "2020-01-01").await;
    let mut waited = 0;
    while app.count_rows("notifications").await == 0 {
        assert!(waited < 100, "no reminder within 10 s");
        let (status, _) = app.json("GET", "/health", None, None).await;
        assert_eq!(status, Status::Ok, "requests are served meanwhile");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(
        app.count_rows("notifications").await,
        1,
        "later runs do not repeat the reminder"
    );
}

#[rocket::async_test]
async fn curator_records_a_regeneration_through_the_sample_page_form() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    curator_with_email(&app, "gwen", None).await;
    let (_, parent) = seed_lot(
        &app,
        &curator,
        "ZDM00080",
        ("Oryza", "sativa"),
        "2024-01-15",
        1000.0,
    )
    .await;
    let regenerate = worklist(&app, &tech, "regenerate").await;
    assert_eq!(
        on_list(&regenerate, parent).unwrap()["reason"],
        "below_minimum_quantity"
    );
    let (_, s) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{parent}"),
            Some(&curator),
            None,
        )
        .await;
    let code = s["label_code"].as_str().unwrap().to_string();
    assert_eq!(app.sign_in("gwen", PASSWORD).await, Status::SeeOther);
    for from in [
        format!("/s/{code}"),
        "/worklists?list=regenerate".to_string(),
    ] {
        let (_, page) = app.get_page(&from).await;
        assert!(
            page.contains(&format!("/s/{code}/generations/new")),
            "{from}"
        );
    }
    let form_page = format!("/s/{code}/generations/new");
    let action = format!("/s/{code}/generations");
    let samples_before = app.count_rows("samples").await;

    let res = app
        .submit_form(
            &form_page,
            &action,
            &[("quantity", "lots"), ("banked_on", "2025-09-01")],
        )
        .await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    assert!(res.into_string().await.unwrap().contains("quantity"));
    assert_eq!(
        app.count_rows("samples").await,
        samples_before,
        "nothing stored"
    );

    let res = app
        .submit_form(
            &form_page,
            &action,
            &[
                ("quantity", "4000"),
                ("banked_on", "2025-09-01"),
                ("moisture_pct", "6"),
                ("conservation_purpose", "base"),
            ],
        )
        .await;
    assert_eq!(res.status(), Status::SeeOther);
    let to = res.headers().get_one("Location").unwrap().to_string();
    assert!(to.starts_with("/s/") && to != format!("/s/{code}"), "{to}");
    let (status, page) = app.get_page(&to).await;
    assert_eq!(status, Status::Ok);
    assert!(
        page.contains("No initial test yet"),
        "the new lot needs its own test"
    );
    let child = worklist(&app, &tech, "missing-initial-test")
        .await
        .into_iter()
        .find(|r| r["label_code"] == to.trim_start_matches("/s/"))
        .expect("new lot on the missing-initial-test list");
    let child_id = child["sample_id"].as_i64().unwrap();
    let (quantity, sum, lines) = quantity_and_ledger_sum(&app, &tech, child_id).await;
    assert_eq!((quantity, sum), (4000.0, 4000.0));
    assert_eq!(lines[0]["reason"], "regeneration");
    let (_, c) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{child_id}"),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(c["parent_sample_id"], parent);
}

#[rocket::async_test]
async fn admins_set_policies_and_curators_add_species_constants_over_the_api() {
    let app = app().await;
    let (curator, tech) = team(&app).await;
    let admin = app.token(Role::Admin).await;
    let (status, list) = app
        .json("GET", "/api/v1/viability/policies", Some(&curator), None)
        .await;
    assert_eq!(status, Status::Ok);
    let base = list
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["material_type"] == "seed" && p["conservation_purpose"] == "base")
        .unwrap()
        .clone();
    assert_eq!(base["min_distribution_qty"], 3000.0);
    assert_eq!(base["customised"], false);
    let (status, _) = app
        .json("GET", "/api/v1/viability/policies", Some(&tech), None)
        .await;
    assert_eq!(status, Status::Forbidden);

    let put = |token: &str, path: &str, body: Value| {
        let req = app
            .client
            .put(format!("/api/v1/viability/policies/{path}"))
            .header(rocket::http::Header::new(
                "Authorization",
                format!("Bearer {token}"),
            ))
            .header(ContentType::JSON)
            .body(body.to_string());
        async move {
            let res = req.dispatch().await;
            let status = res.status();
            let text = res.into_string().await.unwrap_or_default();
            (
                status,
                serde_json::from_str::<Value>(&text).unwrap_or(Value::Null),
            )
        }
    };
    let good =
        json!({"interval_days": 1500, "threshold_fraction": 0.85, "default_temperature_c": 5.0});
    let (status, _) = put(&curator, "seed/active", good.clone()).await;
    assert_eq!(status, Status::Forbidden, "curators do not change policy");
    for (path, body, field) in [
        (
            "seed/active",
            json!({"interval_days": -30, "threshold_fraction": 0.85}),
            "interval_days",
        ),
        (
            "seed/active",
            json!({"interval_days": 900, "threshold_fraction": 1.5}),
            "threshold_fraction",
        ),
        ("fungus/any", good.clone(), "material_type"),
        ("seed/museum", good.clone(), "conservation_purpose"),
    ] {
        let (status, e) = put(&admin, path, body).await;
        assert_eq!(status, Status::UnprocessableEntity, "{path}: {e}");
        assert_eq!(error_of(&e)["field"], field, "{e}");
    }
    assert_eq!(
        app.count_rows("viability_policies").await,
        0,
        "nothing stored"
    );
    let (status, saved) = put(&admin, "seed/active", good).await;
    assert_eq!(status, Status::Ok, "{saved}");
    assert_eq!(saved["customised"], true);
    assert_eq!(saved["interval_days"], 1500);

    let species = |token: &str, body: Value| {
        let token = token.to_string();
        let app = &app;
        async move {
            app.json(
                "POST",
                "/api/v1/viability/species-constants",
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    let new = json!({"genus": "Vigna", "species": "subterranea", "ke": 8.6, "cw": 4.9,
                     "source": "Curator's own fit, 2024 storage trial"});
    let (status, _) = species(&tech, new.clone()).await;
    assert_eq!(status, Status::Forbidden);
    for (body, field) in [
        (
            json!({"genus": "Vigna", "species": "subterranea", "ke": 80.0, "cw": 4.9, "source": "x"}),
            "ke",
        ),
        (
            json!({"genus": "Vigna", "species": "subterranea", "ke": 8.6, "cw": -4.9, "source": "x"}),
            "cw",
        ),
        (
            json!({"genus": "Vigna", "species": "subterranea", "ke": 8.6, "cw": 4.9, "source": " "}),
            "source",
        ),
    ] {
        let (status, e) = species(&curator, body).await;
        assert_eq!(status, Status::UnprocessableEntity, "{e}");
        assert_eq!(error_of(&e)["field"], field, "{e}");
    }
    let (status, added) = species(&curator, new.clone()).await;
    assert_eq!(status, Status::Created, "{added}");
    assert_eq!(added["curator_added"], true);
    assert_eq!(
        added["ch"], 0.0329,
        "the universal temperature terms by default"
    );
    let (status, _) = species(&admin, new).await;
    assert_eq!(status, Status::Conflict);
    let (status, page) = app
        .json(
            "GET",
            "/api/v1/viability/species-constants?per_page=5",
            Some(&tech),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok);
    assert!(
        page["total"].as_u64().unwrap() > 100,
        "the shipped table too"
    );
    assert_eq!(page["items"].as_array().unwrap().len(), 5);
    assert_eq!(page["items"][0]["name"], "Vigna subterranea");
}

#[rocket::async_test]
async fn request_notices_are_also_emailed_when_smtp_is_configured() {
    use biobank::services::mail::{self, Mailer};
    use biobank::services::users::{NewUser, create_user};
    use biobank::services::{Actor, sessions};
    let app = app().await;
    let (curator, _) = team(&app).await;
    let (port, mailbox) = fake_smtp().await;
    let rita = create_user(
        &app.db,
        &Actor::system("test"),
        NewUser {
            username: "rita".into(),
            display_name: None,
            email: Some("rita@example.org".into()),
            password: PASSWORD.into(),
            role: Role::Researcher,
            institution: None,
        },
        "active",
    )
    .await
    .unwrap()
    .id;
    let researcher = sessions::issue_api_token(&app.db, &Actor::system("test"), rita, "t", None)
        .await
        .unwrap()
        .token;
    let acc = app
        .register_accession(&curator, common::seed_accession("MAIL-1"))
        .await["id"]
        .as_i64()
        .unwrap();
    app.add_sample(&curator, acc, common::sample_body(50.0))
        .await;
    let (status, r) = app
        .json(
            "POST",
            "/api/v1/requests",
            Some(&researcher),
            Some(json!({
                "items": [{"accession_id": acc, "quantity": 5, "unit": "seeds"}],
                "intended_use": "research", "project_description": "Mail check",
                "shipping_address": "1 Campus Road",
            })),
        )
        .await;
    assert_eq!(status, Status::Created, "{r}");
    let id = r["id"].as_i64().unwrap();
    let step = |token: &str, action: &str| {
        let (app, token, path) = (
            &app,
            token.to_string(),
            format!("/api/v1/requests/{id}/{action}"),
        );
        async move {
            app.json("POST", &path, Some(&token), Some(json!({})))
                .await
                .0
        }
    };
    assert_eq!(step(&researcher, "submit").await, Status::Ok);
    mail::install(Some(
        Mailer::new(&format!("smtp://127.0.0.1:{port}"), "biobank@example.org").unwrap(),
    ));
    assert_eq!(step(&curator, "review").await, Status::Ok);
    let mut waited = 0;
    while mailbox.lock().unwrap().is_empty() && waited < 50 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        waited += 1;
    }
    mail::install(None);
    let mails = mailbox.lock().unwrap();
    assert_eq!(mails.len(), 1, "the researcher hears that review started");
    assert_eq!(mails[0].0, vec!["<rita@example.org>".to_string()]);
    assert!(mails[0].1.contains("under review"), "{}", mails[0].1);
    assert!(mails[0].1.contains(r["request_number"].as_str().unwrap()));
}
