//! A technician picks an approved request at the freezer: the list comes in the order the store
//! is walked, each tube is confirmed by scanning it, a wrong tube is refused on the spot, and
//! the request cannot ship until every reserved sample has been scanned.

mod common;

use biobank::domain::material::Role;
use common::{TestApp, app, sample_body, seed_accession};
use rocket::http::Status;
use serde_json::{Value, json};

async fn call(
    app: &TestApp,
    token: &str,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> (Status, Value) {
    app.json(method, path, Some(token), body).await
}

/// Builds a freezer with two racks, stores `n` samples of one accession in the given boxes and
/// positions, and takes a request for all of them up to the start of picking.
struct Picking {
    technician: String,
    curator: String,
    request: i64,
    codes: Vec<String>,
    stray: String,
}

async fn request_in_picking(app: &TestApp) -> Picking {
    let curator = app.token(Role::Curator).await;
    let technician = app.token(Role::Technician).await;
    let researcher = app.token(Role::Researcher).await;
    let (_, room) = call(
        app,
        &curator,
        "POST",
        "/api/v1/storage",
        Some(json!({"kind": "room", "name": "Store"})),
    )
    .await;
    let (_, fr) = call(
        app,
        &curator,
        "POST",
        "/api/v1/storage/from-template",
        Some(
            json!({"parent_id": room["id"], "name": "Vault", "equipment_type": "seed_vault",
                    "racks": 1, "boxes_per_rack": 10, "box_type": "cryobox_9x9"}),
        ),
    )
    .await;
    assert!(fr["id"].is_i64(), "{fr}");
    let (_, tree) = call(app, &curator, "GET", "/api/v1/storage", None).await;
    let boxes: Vec<(i64, String)> = tree
        .as_array()
        .unwrap()
        .iter()
        .filter(|u| u["kind"] == "box")
        .map(|u| {
            (
                u["id"].as_i64().unwrap(),
                u["name"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let box_named = |name: &str| boxes.iter().find(|(_, n)| n == name).unwrap().0;
    let acc = app
        .register_accession(&curator, seed_accession("PICK-1"))
        .await["id"]
        .as_i64()
        .unwrap();
    // Stored out of walking order on purpose: box 10 first, then box 2 position 9, box 2 position 1.
    let mut codes = Vec::new();
    for (bx, pos) in [("Box 1-10", "1"), ("Box 1-2", "9"), ("Box 1-2", "1")] {
        let s = app.add_sample(&curator, acc, sample_body(5.0)).await;
        let (st, b) = call(
            app,
            &technician,
            "POST",
            &format!("/api/v1/samples/{}/store", s["id"]),
            Some(json!({"storage_unit_id": box_named(bx), "position": pos})),
        )
        .await;
        assert_eq!(st, Status::Ok, "{b}");
        codes.push(s["label_code"].as_str().unwrap().to_string());
    }
    let other = app
        .register_accession(&curator, seed_accession("PICK-2"))
        .await["id"]
        .as_i64()
        .unwrap();
    let stray = app.add_sample(&curator, other, sample_body(5.0)).await["label_code"]
        .as_str()
        .unwrap()
        .to_string();
    let (st, r) = call(
        app,
        &researcher,
        "POST",
        "/api/v1/requests",
        Some(
            json!({"items": [{"accession_id": acc, "quantity": 15, "unit": "seeds"}],
                    "intended_use": "research", "project_description": "Heat stress",
                    "shipping_address": "Lab 4, Campus Road"}),
        ),
    )
    .await;
    assert_eq!(st, Status::Created, "{r}");
    let id = r["id"].as_i64().unwrap();
    for (who, action, body) in [
        (&researcher, "submit", json!({})),
        (&curator, "review", json!({})),
        (&curator, "approve", json!({})),
        (&researcher, "accept-mta", json!({"accept": true})),
    ] {
        let (st, b) = call(
            app,
            who,
            "POST",
            &format!("/api/v1/requests/{id}/{action}"),
            Some(body),
        )
        .await;
        assert_eq!(st, Status::Ok, "{action}: {b}");
    }
    Picking {
        technician,
        curator,
        request: id,
        codes,
        stray,
    }
}

#[rocket::async_test]
async fn the_pick_list_walks_the_store_and_each_tube_is_confirmed_by_its_label() {
    let app = app().await;
    let p = request_in_picking(&app).await;
    let id = p.request;

    // Scanning before picking has started is refused.
    let (st, _) = call(
        &app,
        &p.technician,
        "POST",
        &format!("/api/v1/requests/{id}/picks"),
        Some(json!({"code": p.codes[0]})),
    )
    .await;
    assert_eq!(st, Status::Conflict);
    let (st, b) = call(
        &app,
        &p.technician,
        "POST",
        &format!("/api/v1/requests/{id}/pick"),
        Some(json!({})),
    )
    .await;
    assert_eq!(st, Status::Ok, "{b}");

    let (st, list) = call(
        &app,
        &p.technician,
        "GET",
        &format!("/api/v1/requests/{id}/pick-list"),
        None,
    )
    .await;
    assert_eq!(st, Status::Ok, "{list}");
    let order: Vec<(&str, &str)> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["label_code"].as_str().unwrap(),
                l["position"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        order,
        [
            (p.codes[2].as_str(), "1"),
            (p.codes[1].as_str(), "9"),
            (p.codes[0].as_str(), "1")
        ],
        "box 2 before box 10, position 1 before 9"
    );

    // Shipping before the tubes are scanned is refused.
    let (st, b) = call(
        &app,
        &p.technician,
        "POST",
        &format!("/api/v1/requests/{id}/ship"),
        Some(json!({})),
    )
    .await;
    assert_eq!(st, Status::Conflict, "{b}");
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("3 sample(s)"),
        "{b}"
    );

    // A wrong tube, a mistyped code and a second scan of the same tube are each refused clearly.
    let scan = |code: String| {
        let app = &app;
        let tech = p.technician.clone();
        async move {
            call(
                app,
                &tech,
                "POST",
                &format!("/api/v1/requests/{id}/picks"),
                Some(json!({"code": code})),
            )
            .await
        }
    };
    let (st, b) = scan(p.stray.clone()).await;
    assert_eq!(st, Status::Conflict);
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("not on this request's pick list"),
        "{b}"
    );
    // One character mistyped (the next letter of the alphabet); the check character catches it.
    let alphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";
    let first = p.codes[0].chars().next().unwrap();
    let next = alphabet
        .chars()
        .cycle()
        .skip_while(|c| *c != first)
        .nth(1)
        .unwrap();
    let typo = format!("{next}{}", &p.codes[0][1..]);
    let (st, b) = scan(typo).await;
    assert_eq!(st, Status::UnprocessableEntity, "{b}");
    let (st, b) = scan(format!("http://127.0.0.1:8000/s/{}", p.codes[2])).await;
    assert_eq!(st, Status::Ok, "a label URL from a scanner works: {b}");
    assert_eq!(b["picked"], true);
    let (st, b) = scan(p.codes[2].clone()).await;
    assert_eq!(st, Status::Conflict);
    assert!(
        b["error"]["message"]
            .as_str()
            .unwrap()
            .contains("already picked"),
        "{b}"
    );

    // The page shows the same list and takes the remaining scans.
    app.user("pia", Role::Technician).await;
    let mut browser = app.signed_in_browser("pia", common::PASSWORD).await;
    let page = app
        .browse(
            &mut browser,
            "GET",
            &format!("/requests/{id}/pick-list"),
            None,
        )
        .await;
    assert_eq!(page.status, Status::Ok);
    let first = page.body.find(&p.codes[2]).unwrap();
    let last = page.body.find(&p.codes[0]).unwrap();
    assert!(first < last, "walking order on the page too");
    for code in [&p.codes[1], &p.codes[0]] {
        let res = app
            .browse(
                &mut browser,
                "POST",
                &format!("/requests/{id}/picks"),
                Some(&[("code", code.as_str())]),
            )
            .await;
        assert_eq!(res.status, Status::Ok, "{}", res.body);
        assert!(res.body.contains("data-testid=\"picked\""), "{}", res.body);
    }
    let res = app
        .browse(
            &mut browser,
            "POST",
            &format!("/requests/{id}/picks"),
            Some(&[("code", p.stray.as_str())]),
        )
        .await;
    assert_eq!(
        res.status,
        Status::Conflict,
        "the page refuses the wrong tube too"
    );
    assert!(res.body.contains("code-error"), "{}", res.body);

    let (st, b) = call(
        &app,
        &p.technician,
        "POST",
        &format!("/api/v1/requests/{id}/ship"),
        Some(json!({"carrier": "EMS", "tracking_number": "EE1"})),
    )
    .await;
    assert_eq!(st, Status::Ok, "everything scanned, the request ships: {b}");
    let (_, audit) = call(
        &app,
        &p.curator,
        "GET",
        "/api/v1/audit?table=request_item_samples&per_page=50",
        None,
    )
    .await;
    assert_eq!(
        audit["items"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["action"] == "pick")
            .count(),
        3,
        "each confirmation is in the audit trail"
    );
}
