//! Storage and custody, told the way the people at the freezer live it: build a freezer from a
//! template, store, move, check out and in, aliquot, thaw, discard, scan labels, take stock.

mod common;

use biobank::domain::material::Role;
use common::{TestApp, app, error_of, sample_body, seed_accession};
use rocket::http::Status;
use serde_json::{Value, json};

/// A room with a −80 °C freezer built from a template: 2 racks × 3 cryoboxes 9×9.
struct Freezer {
    room: i64,
    freezer: i64,
    boxes: Vec<i64>,
    racks: Vec<i64>,
}

async fn freezer(app: &TestApp, curator: &str, name: &str) -> Freezer {
    let (s, site) = app
        .json(
            "POST",
            "/api/v1/storage",
            Some(curator),
            Some(json!({"kind": "site", "name": format!("{name} site")})),
        )
        .await;
    assert_eq!(s, Status::Created, "{site}");
    let (s, room) = app
        .json(
            "POST",
            "/api/v1/storage",
            Some(curator),
            Some(json!({"kind": "room", "name": "Room 101", "parent_id": site["id"]})),
        )
        .await;
    assert_eq!(s, Status::Created, "{room}");
    let (s, fr) = app
        .json(
            "POST",
            "/api/v1/storage/from-template",
            Some(curator),
            Some(
                json!({"parent_id": room["id"], "name": name, "equipment_type": "freezer_minus80",
                        "racks": 2, "boxes_per_rack": 3, "box_type": "cryobox_9x9"}),
            ),
        )
        .await;
    assert_eq!(s, Status::Created, "{fr}");
    let (_, all) = app
        .json("GET", "/api/v1/storage", Some(curator), None)
        .await;
    let fid = fr["id"].as_i64().unwrap();
    let racks: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["parent_id"] == json!(fid))
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    let boxes: Vec<i64> = all
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["kind"] == "box" && racks.contains(&u["parent_id"].as_i64().unwrap_or(0)))
        .map(|u| u["id"].as_i64().unwrap())
        .collect();
    Freezer {
        room: room["id"].as_i64().unwrap(),
        freezer: fid,
        boxes,
        racks,
    }
}

async fn new_sample(app: &TestApp, curator: &str, number: &str, qty: f64) -> Value {
    let acc = app
        .register_accession(curator, seed_accession(number))
        .await;
    app.add_sample(curator, acc["id"].as_i64().unwrap(), sample_body(qty))
        .await
}

async fn act(
    app: &TestApp,
    token: &str,
    sample: &Value,
    action: &str,
    body: Value,
) -> (Status, Value) {
    app.json(
        "POST",
        &format!("/api/v1/samples/{}/{action}", sample["id"]),
        Some(token),
        Some(body),
    )
    .await
}

async fn ledger_sum(app: &TestApp, token: &str, id: i64) -> f64 {
    let (_, lines) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{id}/ledger"),
            Some(token),
            None,
        )
        .await;
    lines
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["delta"].as_f64().unwrap())
        .sum()
}

#[rocket::async_test]
async fn curator_builds_a_freezer_from_a_template_in_one_action() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let f = freezer(&app, &curator, "Freezer A").await;
    assert_eq!(f.racks.len(), 2);
    assert_eq!(f.boxes.len(), 6);
    let (s, detail) = app
        .json(
            "GET",
            &format!("/api/v1/storage/{}", f.freezer),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(s, Status::Ok);
    assert_eq!(detail["unit"]["temperature_c"], json!(-80.0));
    assert_eq!(detail["unit"]["capacity"], json!(6 * 81));
    assert_eq!(detail["unit"]["percent_full"], json!(0));
    let (_, bx) = app
        .json(
            "GET",
            &format!("/api/v1/storage/{}", f.boxes[0]),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(bx["rows"].as_array().unwrap().len(), 9);
    assert_eq!(bx["rows"][0][0]["position"], "1");
    assert_eq!(bx["rows"][8][8]["position"], "81");
    assert_eq!(bx["path"].as_array().unwrap().len(), 5, "{}", bx["path"]);
}

#[rocket::async_test]
async fn a_bad_template_names_its_field_and_writes_nothing() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let f = freezer(&app, &curator, "Freezer A").await;
    let before = app.count_rows("storage_units").await;
    let (s, body) = app
        .json(
            "POST",
            "/api/v1/storage/from-template",
            Some(&curator),
            Some(
                json!({"parent_id": f.room, "name": "Tank", "equipment_type": "ln2_tank",
                        "racks": 1, "boxes_per_rack": 2, "box_type": "shoebox"}),
            ),
        )
        .await;
    assert_eq!(s, Status::UnprocessableEntity, "{body}");
    assert_eq!(error_of(&body)["field"], "box_type");
    let (s, body) = app
        .json(
            "POST",
            "/api/v1/storage",
            Some(&curator),
            Some(json!({"kind": "box", "name": "Loose box", "box_type": "rack_8x12"})),
        )
        .await;
    assert_eq!(s, Status::UnprocessableEntity, "{body}");
    assert_eq!(error_of(&body)["field"], "parent_id");
    assert_eq!(app.count_rows("storage_units").await, before);
}

#[rocket::async_test]
async fn technician_stores_a_sample_and_two_samples_cannot_share_a_position() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let tech = app.token(Role::Technician).await;
    let f = freezer(&app, &curator, "Freezer A").await;
    let first = new_sample(&app, &curator, "ACC-1", 100.0).await;
    let second = new_sample(&app, &curator, "ACC-2", 100.0).await;
    let (s, stored) = act(
        &app,
        &tech,
        &first,
        "store",
        json!({"storage_unit_id": f.boxes[0], "position": "007"}),
    )
    .await;
    assert_eq!(s, Status::Ok, "{stored}");
    assert_eq!(
        stored["position"], "7",
        "positions are stored in canonical form"
    );
    let (s, body) = act(
        &app,
        &tech,
        &second,
        "store",
        json!({"storage_unit_id": f.boxes[0], "position": "7"}),
    )
    .await;
    assert_eq!(s, Status::Conflict, "{body}");
    assert_eq!(error_of(&body)["field"], "position");
    let (s, body) = act(
        &app,
        &tech,
        &second,
        "store",
        json!({"storage_unit_id": f.boxes[0], "position": "82"}),
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity, "{body}");
    assert!(
        body["error"]["message"].as_str().unwrap().contains("1…81"),
        "{body}"
    );
    let (s, body) = act(
        &app,
        &tech,
        &second,
        "store",
        json!({"storage_unit_id": f.racks[0], "position": "1"}),
    )
    .await;
    assert_eq!(s, Status::UnprocessableEntity, "{body}");
    assert_eq!(error_of(&body)["field"], "storage_unit_id");
    let (_, bx) = app
        .json(
            "GET",
            &format!("/api/v1/storage/{}", f.boxes[0]),
            Some(&tech),
            None,
        )
        .await;
    assert_eq!(bx["rows"][0][6]["state"], "occupied");
    assert_eq!(bx["rows"][0][6]["sample"]["id"], first["id"]);
    assert_eq!(bx["unit"]["used"], json!(1));
}

#[rocket::async_test]
async fn two_technicians_racing_for_one_position_get_one_success_and_one_conflict() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let tech = app.token(Role::Technician).await;
    let f = freezer(&app, &curator, "Freezer A").await;
    let a = new_sample(&app, &curator, "ACC-1", 10.0).await;
    let b = new_sample(&app, &curator, "ACC-2", 10.0).await;
    let body = json!({"storage_unit_id": f.boxes[1], "position": "40"});
    let (ra, rb) = tokio::join!(
        act(&app, &tech, &a, "store", body.clone()),
        act(&app, &tech, &b, "store", body.clone())
    );
    let mut codes = [ra.0.code, rb.0.code];
    codes.sort();
    assert_eq!(codes, [200, 409], "{} / {}", ra.1, rb.1);
}

#[rocket::async_test]
async fn moving_a_box_moves_its_samples_with_it() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let tech = app.token(Role::Technician).await;
    let a = freezer(&app, &curator, "Freezer A").await;
    let b = freezer(&app, &curator, "Freezer B").await;
    let s = new_sample(&app, &curator, "ACC-1", 10.0).await;
    act(
        &app,
        &tech,
        &s,
        "store",
        json!({"storage_unit_id": a.boxes[0], "position": "1"}),
    )
    .await;
    let (st, moved) = app
        .json(
            "POST",
            &format!("/api/v1/storage/{}/move", a.boxes[0]),
            Some(&tech),
            Some(json!({"parent_id": b.racks[1]})),
        )
        .await;
    assert_eq!(st, Status::Ok, "{moved}");
    let code = s["label_code"].as_str().unwrap();
    let (_, scanned) = app
        .json("GET", &format!("/api/v1/scan/{code}"), Some(&tech), None)
        .await;
    let names: Vec<&str> = scanned["location"]["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    assert!(names.contains(&"Freezer B"), "{names:?}");
    assert_eq!(scanned["location"]["position"], "1");
    let (_, fa) = app
        .json(
            "GET",
            &format!("/api/v1/storage/{}", a.freezer),
            Some(&tech),
            None,
        )
        .await;
    assert_eq!(fa["unit"]["used"], json!(0));
    let (_, fb) = app
        .json(
            "GET",
            &format!("/api/v1/storage/{}", b.freezer),
            Some(&tech),
            None,
        )
        .await;
    assert_eq!(fb["unit"]["used"], json!(1));
    // A box cannot go inside itself, nor a rack into a box.
    let (st, body) = app
        .json(
            "POST",
            &format!("/api/v1/storage/{}/move", b.racks[1]),
            Some(&tech),
            Some(json!({"parent_id": a.boxes[0]})),
        )
        .await;
    assert_eq!(st, Status::UnprocessableEntity, "{body}");
    assert_eq!(error_of(&body)["field"], "parent_id");
}

#[rocket::async_test]
async fn a_sample_moves_checks_out_holding_its_place_and_checks_back_in() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let tech = app.token(Role::Technician).await;
    let f = freezer(&app, &curator, "Freezer A").await;
    let s = new_sample(&app, &curator, "ACC-1", 10.0).await;
    let other = new_sample(&app, &curator, "ACC-2", 10.0).await;
    act(
        &app,
        &tech,
        &s,
        "store",
        json!({"storage_unit_id": f.boxes[0], "position": "1"}),
    )
    .await;
    let (st, moved) = act(
        &app,
        &tech,
        &s,
        "move",
        json!({"storage_unit_id": f.boxes[2], "position": "5"}),
    )
    .await;
    assert_eq!(st, Status::Ok, "{moved}");
    assert_eq!(moved["storage_unit_id"], json!(f.boxes[2]));
    let (st, out) = act(
        &app,
        &tech,
        &s,
        "check-out",
        json!({"reason": "passage", "due_back_on": "2999-01-01"}),
    )
    .await;
    assert_eq!(st, Status::Ok, "{out}");
    assert_eq!(out["status"], "checked_out");
    // The held position is not free for another sample.
    let (st, _) = act(
        &app,
        &tech,
        &other,
        "store",
        json!({"storage_unit_id": f.boxes[2], "position": "5"}),
    )
    .await;
    assert_eq!(st, Status::Conflict);
    let (_, bx) = app
        .json(
            "GET",
            &format!("/api/v1/storage/{}", f.boxes[2]),
            Some(&tech),
            None,
        )
        .await;
    assert_eq!(bx["rows"][0][4]["state"], "checked_out");
    let (st, body) = act(
        &app,
        &tech,
        &s,
        "move",
        json!({"storage_unit_id": f.boxes[1], "position": "1"}),
    )
    .await;
    assert_eq!(st, Status::Conflict, "{body}");
    let (st, body) = act(&app, &tech, &s, "check-out", json!({"reason": ""})).await;
    assert_eq!(st, Status::UnprocessableEntity, "{body}");
    assert_eq!(error_of(&body)["field"], "reason");
    let (st, back) = act(&app, &tech, &s, "check-in", json!({})).await;
    assert_eq!(st, Status::Ok, "{back}");
    assert_eq!(back["status"], "available");
    assert_eq!(back["position"], "5");
    let (st, _) = act(&app, &tech, &s, "check-in", json!({})).await;
    assert_eq!(st, Status::Conflict);
}

#[rocket::async_test]
async fn aliquoting_keeps_the_ledger_sum_of_parent_and_children() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let tech = app.token(Role::Technician).await;
    let f = freezer(&app, &curator, "Freezer A").await;
    let parent = new_sample(&app, &curator, "ACC-1", 100.0).await;
    let (st, out) = act(
        &app,
        &tech,
        &parent,
        "aliquot",
        json!({"count": 4, "quantity_each": 12.5, "form": "vial", "storage_unit_id": f.boxes[0]}),
    )
    .await;
    assert_eq!(st, Status::Created, "{out}");
    let children = out["children"].as_array().unwrap();
    assert_eq!(children.len(), 4);
    assert_eq!(out["parent"]["quantity"], json!(50.0));
    let mut total = ledger_sum(&app, &tech, parent["id"].as_i64().unwrap()).await;
    assert_eq!(total, 50.0);
    let mut positions = Vec::new();
    for c in children {
        assert_eq!(c["parent_sample_id"], parent["id"]);
        assert_eq!(c["quantity"], json!(12.5));
        assert_ne!(c["label_code"], parent["label_code"]);
        positions.push(c["position"].as_str().unwrap().to_string());
        total += ledger_sum(&app, &tech, c["id"].as_i64().unwrap()).await;
    }
    assert_eq!(positions, ["1", "2", "3", "4"]);
    assert_eq!(total, 100.0, "parent + children hold what the parent held");
    // Taking more than is left is refused and changes nothing.
    let before = app.count_rows("samples").await;
    let (st, body) = act(
        &app,
        &tech,
        &parent,
        "aliquot",
        json!({"count": 3, "quantity_each": 20}),
    )
    .await;
    assert_eq!(st, Status::Conflict, "{body}");
    assert_eq!(app.count_rows("samples").await, before);
    let (st, body) = act(
        &app,
        &tech,
        &parent,
        "aliquot",
        json!({"count": 0, "quantity_each": 1}),
    )
    .await;
    assert_eq!(st, Status::UnprocessableEntity, "{body}");
    assert_eq!(error_of(&body)["field"], "count");
}

#[rocket::async_test]
async fn thawing_counts_freeze_thaw_cycles_and_discarding_empties_the_ledger_and_frees_the_place() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let tech = app.token(Role::Technician).await;
    let f = freezer(&app, &curator, "Freezer A").await;
    let s = new_sample(&app, &curator, "ACC-1", 30.0).await;
    act(
        &app,
        &tech,
        &s,
        "store",
        json!({"storage_unit_id": f.boxes[0], "position": "9"}),
    )
    .await;
    act(&app, &tech, &s, "thaw", json!({})).await;
    act(&app, &tech, &s, "freeze", json!({})).await;
    let (st, t) = act(&app, &tech, &s, "thaw", json!({"note": "second"})).await;
    assert_eq!(st, Status::Ok, "{t}");
    assert_eq!(t["freeze_thaw_count"], json!(2));
    let (st, body) = act(&app, &tech, &s, "discard", json!({"reason": "  "})).await;
    assert_eq!(st, Status::UnprocessableEntity, "{body}");
    let (st, d) = act(
        &app,
        &tech,
        &s,
        "discard",
        json!({"reason": "contaminated"}),
    )
    .await;
    assert_eq!(st, Status::Ok, "{d}");
    assert_eq!(d["status"], "discarded");
    assert_eq!(d["quantity"], json!(0.0));
    assert_eq!(d["position"], Value::Null);
    assert_eq!(
        ledger_sum(&app, &tech, s["id"].as_i64().unwrap()).await,
        0.0
    );
    let (st, _) = act(&app, &tech, &s, "thaw", json!({})).await;
    assert_eq!(st, Status::Conflict);
    let (_, scanned) = app
        .json(
            "GET",
            &format!("/api/v1/scan/{}", s["label_code"].as_str().unwrap()),
            Some(&tech),
            None,
        )
        .await;
    assert_eq!(scanned["actions"], json!([]));
}

#[rocket::async_test]
async fn a_scan_takes_a_code_or_a_label_url_and_a_mistyped_code_names_the_check_character() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let tech = app.token(Role::Technician).await;
    let s = new_sample(&app, &curator, "ACC-1", 30.0).await;
    let code = s["label_code"].as_str().unwrap().to_string();
    let (st, body) = app
        .json("GET", &format!("/api/v1/scan/{code}"), Some(&tech), None)
        .await;
    assert_eq!(st, Status::Ok, "{body}");
    assert_eq!(body["kind"], "sample");
    assert_eq!(body["sample"]["id"], s["id"]);
    assert_eq!(body["actions"][0], "store");
    let url = format!("http%3A%2F%2F127.0.0.1%3A8000%2Fs%2F{code}");
    let (st, body) = app
        .json("GET", &format!("/api/v1/scan/{url}"), Some(&tech), None)
        .await;
    assert_eq!(st, Status::Ok, "{body}");
    assert_eq!(body["sample"]["id"], s["id"]);
    // Change one character: the check character catches it.
    let mut chars: Vec<char> = code.chars().collect();
    chars[0] = if chars[0] == '7' { '8' } else { '7' };
    let typo: String = chars.into_iter().collect();
    let (st, body) = app
        .json("GET", &format!("/api/v1/scan/{typo}"), Some(&tech), None)
        .await;
    assert_eq!(st, Status::UnprocessableEntity, "{body}");
    assert!(
        body["error"]["message"]
            .as_str()
            .unwrap()
            .contains("check character"),
        "{body}"
    );
    assert_eq!(error_of(&body)["field"], "code");
}

#[rocket::async_test]
async fn scanning_a_box_label_finds_the_box() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let f = freezer(&app, &curator, "Freezer A").await;
    let (_, bx) = app
        .json(
            "GET",
            &format!("/api/v1/storage/{}", f.boxes[3]),
            Some(&curator),
            None,
        )
        .await;
    let code = bx["unit"]["barcode"].as_str().unwrap();
    let (st, body) = app
        .json("GET", &format!("/api/v1/scan/{code}"), Some(&curator), None)
        .await;
    assert_eq!(st, Status::Ok, "{body}");
    assert_eq!(body["kind"], "storage_unit");
    assert_eq!(body["storage_unit_id"], json!(f.boxes[3]));
}

#[rocket::async_test]
async fn find_free_space_returns_the_nearest_boxes_first() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let tech = app.token(Role::Technician).await;
    let a = freezer(&app, &curator, "Freezer A").await;
    let b = freezer(&app, &curator, "Freezer B").await;
    let s = new_sample(&app, &curator, "ACC-1", 30.0).await;
    act(
        &app,
        &tech,
        &s,
        "store",
        json!({"storage_unit_id": b.boxes[0], "position": "1"}),
    )
    .await;
    let (st, body) = app
        .json(
            "GET",
            &format!(
                "/api/v1/storage/free-space?box_type=cryobox_9x9&count=90&near={}",
                b.freezer
            ),
            Some(&tech),
            None,
        )
        .await;
    assert_eq!(st, Status::Ok, "{body}");
    let boxes = body["boxes"].as_array().unwrap();
    assert_eq!(
        boxes.len(),
        2,
        "80 free in the first box + 10 in the next: {body}"
    );
    assert_eq!(boxes[0]["storage_unit_id"], json!(b.boxes[0]));
    assert_eq!(boxes[0]["free"], json!(80));
    assert_eq!(boxes[0]["positions"][0], "2");
    assert!(boxes[1]["path"].as_str().unwrap().contains("Freezer B"));
    assert_eq!(body["found"], json!(90));
    assert!(
        !a.boxes
            .contains(&boxes[1]["storage_unit_id"].as_i64().unwrap())
    );
    let (st, body) = app
        .json(
            "GET",
            "/api/v1/storage/free-space?box_type=shoebox&count=1",
            Some(&tech),
            None,
        )
        .await;
    assert_eq!(st, Status::UnprocessableEntity, "{body}");
    assert_eq!(error_of(&body)["field"], "box_type");
}

#[rocket::async_test]
async fn stock_take_lists_what_is_missing_and_what_belongs_elsewhere() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let tech = app.token(Role::Technician).await;
    let f = freezer(&app, &curator, "Freezer A").await;
    let here = new_sample(&app, &curator, "ACC-1", 1.0).await;
    let gone = new_sample(&app, &curator, "ACC-2", 1.0).await;
    let stray = new_sample(&app, &curator, "ACC-3", 1.0).await;
    act(
        &app,
        &tech,
        &here,
        "store",
        json!({"storage_unit_id": f.boxes[0], "position": "1"}),
    )
    .await;
    act(
        &app,
        &tech,
        &gone,
        "store",
        json!({"storage_unit_id": f.boxes[0], "position": "2"}),
    )
    .await;
    act(
        &app,
        &tech,
        &stray,
        "store",
        json!({"storage_unit_id": f.boxes[1], "position": "1"}),
    )
    .await;
    let (st, body) = app
        .json(
            "POST",
            &format!("/api/v1/storage/{}/stock-take", f.boxes[0]),
            Some(&tech),
            Some(json!({"codes": [here["label_code"], stray["label_code"], "NOT-A-CODE"]})),
        )
        .await;
    assert_eq!(st, Status::Ok, "{body}");
    assert_eq!(body["confirmed"], json!([here["label_code"]]));
    assert_eq!(body["missing"][0]["label_code"], gone["label_code"]);
    assert_eq!(body["misplaced"][0]["label_code"], stray["label_code"]);
    assert!(
        body["misplaced"][0]["recorded_at"]
            .as_str()
            .unwrap()
            .contains("Box 1-2")
    );
    assert_eq!(body["unknown"], json!(["NOT-A-CODE"]));
}

#[rocket::async_test]
async fn every_custody_action_leaves_an_event_and_an_audit_record() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let tech = app.token(Role::Technician).await;
    let f = freezer(&app, &curator, "Freezer A").await;
    let s = new_sample(&app, &curator, "ACC-1", 10.0).await;
    let events = app.count_rows("sample_events").await;
    let audits = app.count_rows("audit_log").await;
    act(
        &app,
        &tech,
        &s,
        "store",
        json!({"storage_unit_id": f.boxes[0], "position": "1"}),
    )
    .await;
    act(&app, &tech, &s, "check-out", json!({"reason": "imaging"})).await;
    act(&app, &tech, &s, "check-in", json!({})).await;
    act(&app, &tech, &s, "thaw", json!({})).await;
    assert_eq!(app.count_rows("sample_events").await, events + 4);
    // Each action: its event's audit record and the sample's before/after.
    assert_eq!(app.count_rows("audit_log").await, audits + 8);
}

#[rocket::async_test]
async fn researchers_cannot_touch_custody_and_anonymous_visitors_must_sign_in() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let researcher = app.token(Role::Researcher).await;
    let s = new_sample(&app, &curator, "ACC-1", 10.0).await;
    let (st, _) = act(&app, &researcher, &s, "thaw", json!({})).await;
    assert_eq!(st, Status::Forbidden);
    let (st, _) = app
        .json(
            "POST",
            &format!("/api/v1/samples/{}/thaw", s["id"]),
            None,
            Some(json!({})),
        )
        .await;
    assert_eq!(st, Status::Unauthorized);
    let tech = app.token(Role::Technician).await;
    let (st, _) = app
        .json(
            "POST",
            "/api/v1/storage",
            Some(&tech),
            Some(json!({"kind": "site", "name": "X"})),
        )
        .await;
    assert_eq!(
        st,
        Status::Forbidden,
        "technicians use the layout, curators build it"
    );
}

#[rocket::async_test]
async fn a_positional_stock_take_finds_a_swapped_sample_and_each_finding_is_corrected_with_one_button()
 {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    app.user("tomas", Role::Technician).await;
    let mut tech = app.signed_in_browser("tomas", common::PASSWORD).await;
    let f = freezer(&app, &curator, "Freezer S").await;
    let bx = f.boxes[0];
    let here = new_sample(&app, &curator, "ST-1", 1.0).await;
    let swapped = new_sample(&app, &curator, "ST-2", 1.0).await;
    let gone = new_sample(&app, &curator, "ST-3", 1.0).await;
    let stray = new_sample(&app, &curator, "ST-4", 1.0).await;
    for (s, unit, pos) in [
        (&here, bx, "1"),
        (&swapped, bx, "2"),
        (&gone, bx, "3"),
        (&stray, f.boxes[1], "1"),
    ] {
        let (st, body) = act(
            &app,
            &curator,
            s,
            "store",
            json!({"storage_unit_id": unit, "position": pos}),
        )
        .await;
        assert_eq!(st, Status::Ok, "{body}");
    }
    let code = |s: &Value| s["label_code"].as_str().unwrap().to_string();
    // The technician scans what is really in the box, saying where each one sits.
    let scans = format!(
        "1 {}\n4 {}\n{}\nA5, {}\n99 {}\n",
        code(&here),
        code(&swapped),
        code(&stray),
        code(&here),
        code(&here)
    );
    let (st, found) = app
        .json(
            "POST",
            &format!("/api/v1/storage/{bx}/stock-take"),
            Some(&curator),
            Some(json!({"codes": scans.lines().collect::<Vec<_>>()})),
        )
        .await;
    assert_eq!(st, Status::Ok, "{found}");
    assert_eq!(found["confirmed"], json!([code(&here)]));
    assert_eq!(found["wrong_position"][0]["label_code"], code(&swapped));
    assert_eq!(found["wrong_position"][0]["recorded_at"], "2");
    assert_eq!(found["wrong_position"][0]["found_at"], "4");
    assert_eq!(found["missing"][0]["label_code"], code(&gone));
    assert_eq!(found["misplaced"][0]["label_code"], code(&stray));
    assert_eq!(
        found["misplaced"][0]["suggested_position"], "5",
        "a sample scanned without a position is offered the first free place: {found}"
    );
    let bad = found["bad_positions"].as_array().unwrap();
    assert_eq!(
        bad.len(),
        2,
        "positions a numbered 9×9 box does not have: {found}"
    );
    assert!(bad[0].as_str().unwrap().starts_with("A5, "), "{found}");
    assert!(bad[1].as_str().unwrap().starts_with("99 "), "{found}");

    // The page shows the same findings with one button each; each press corrects one record
    // and checks the same scans again.
    let scans = format!(
        "1 {}\n4 {}\n5 {}\n",
        code(&here),
        code(&swapped),
        code(&stray)
    );
    let page = app
        .browse(
            &mut tech,
            "POST",
            &format!("/storage/{bx}/stock-take"),
            Some(&[("codes", &scans)]),
        )
        .await;
    assert_eq!(page.status, Status::Ok);
    assert!(
        page.body.contains("data-testid=\"wrong-position\""),
        "{}",
        page.body
    );
    let fix = |sample: &Value, fix: &'static str, position: &'static str| {
        let id = sample["id"].to_string();
        (id, fix, position)
    };
    for (id, how, position) in [
        fix(&swapped, "here", "4"),
        fix(&stray, "here", "5"),
        fix(&gone, "missing", ""),
    ] {
        let res = app
            .browse(
                &mut tech,
                "POST",
                &format!("/storage/{bx}/stock-take/correct"),
                Some(&[
                    ("codes", &scans),
                    ("sample_id", &id),
                    ("fix", how),
                    ("position", position),
                ]),
            )
            .await;
        assert_eq!(res.status, Status::Ok, "{how} {id}: {}", res.body);
        assert!(
            !res.body.contains("flash-error"),
            "{how} {id}: {}",
            res.body
        );
    }
    let (_, found) = app
        .json(
            "POST",
            &format!("/api/v1/storage/{bx}/stock-take"),
            Some(&curator),
            Some(json!({"codes": scans.lines().collect::<Vec<_>>()})),
        )
        .await;
    assert_eq!(found["confirmed"].as_array().unwrap().len(), 3, "{found}");
    for list in ["missing", "wrong_position", "misplaced", "unknown"] {
        assert_eq!(
            found[list],
            json!([]),
            "{list} is empty after the corrections: {found}"
        );
    }
    let (_, moved) = app
        .json(
            "GET",
            &format!("/api/v1/scan/{}", code(&stray)),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(moved["location"]["storage_unit_id"], json!(bx));
    assert_eq!(moved["location"]["position"], "5");
    let (_, lost) = app
        .json(
            "GET",
            &format!("/api/v1/scan/{}", code(&gone)),
            Some(&curator),
            None,
        )
        .await;
    assert!(
        lost["location"].is_null(),
        "the missing sample no longer holds position 3: {lost}"
    );
    let sample_page = app
        .browse(&mut tech, "GET", &format!("/s/{}", code(&gone)), None)
        .await;
    assert!(
        sample_page.body.contains("not found at its place"),
        "its chain of custody says it was not found: {}",
        sample_page.body
    );

    // A correction that cannot be made is refused and says why; nothing changes.
    let res = app
        .browse(
            &mut tech,
            "POST",
            &format!("/storage/{bx}/stock-take/correct"),
            Some(&[
                ("codes", &scans),
                ("sample_id", &here["id"].to_string()),
                ("fix", "here"),
                ("position", "4"),
            ]),
        )
        .await;
    assert_eq!(
        res.status,
        Status::Conflict,
        "position 4 is taken: {}",
        res.body
    );
    assert!(res.body.contains("already taken"), "{}", res.body);
}

#[rocket::async_test]
async fn a_technician_moves_a_box_to_another_rack_from_its_page() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    app.user("tomas", Role::Technician).await;
    let mut tech = app.signed_in_browser("tomas", common::PASSWORD).await;
    let f = freezer(&app, &curator, "Freezer M").await;
    let s = new_sample(&app, &curator, "MV-1", 1.0).await;
    act(
        &app,
        &curator,
        &s,
        "store",
        json!({"storage_unit_id": f.boxes[0], "position": "7"}),
    )
    .await;
    let page = app
        .browse(&mut tech, "GET", &format!("/storage/{}", f.boxes[0]), None)
        .await;
    assert!(
        page.body
            .contains(&format!("<option value=\"{}\">", f.racks[1])),
        "the other rack is offered: {}",
        page.body
    );
    assert!(
        !page
            .body
            .contains(&format!("<option value=\"{}\">", f.boxes[1])),
        "a box is not offered as a place for a box"
    );
    let res = app
        .browse(
            &mut tech,
            "POST",
            &format!("/storage/{}/move", f.boxes[0]),
            Some(&[("parent_id", &f.racks[1].to_string())]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    let (_, moved) = app
        .json(
            "GET",
            &format!("/api/v1/scan/{}", s["label_code"].as_str().unwrap()),
            Some(&curator),
            None,
        )
        .await;
    let path: Vec<i64> = moved["location"]["path"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["id"].as_i64().unwrap())
        .collect();
    assert!(
        path.contains(&f.racks[1]),
        "the sample travelled with its box: {moved}"
    );
    assert_eq!(moved["location"]["position"], "7");

    // A box cannot go inside itself or another box; the page says so and nothing moves.
    let res = app
        .browse(
            &mut tech,
            "POST",
            &format!("/storage/{}/move", f.racks[1]),
            Some(&[("parent_id", &f.boxes[0].to_string())]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther);
    let back = app
        .browse(&mut tech, "GET", res.location.as_deref().unwrap(), None)
        .await;
    assert!(back.body.contains("flash-error"), "{}", back.body);
    let _ = f.room;
    let _ = f.freezer;
}
