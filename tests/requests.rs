//! Distribution requests from the researcher's and the curator's side: the whole lifecycle,
//! cancellation, required documents, wrong roles, bad input, and racing approvals that must
//! never oversell the last units of a sample.

mod common;

use std::sync::Arc;

use biobank::domain::material::Role;
use common::{TestApp, app, app_racing, cell_line_accession, sample_body, seed_accession};
use rocket::http::Status;
use serde_json::{Value, json};

/// A curator, a technician and a researcher with tokens, and one seed sample of `seeds` units.
struct Setup {
    curator: String,
    technician: String,
    researcher: String,
    accession: i64,
    sample: i64,
}

async fn setup(app: &TestApp, seeds: f64) -> Setup {
    let curator = app.token(Role::Curator).await;
    let technician = app.token(Role::Technician).await;
    let researcher = app.token(Role::Researcher).await;
    let acc = app
        .register_accession(&curator, seed_accession("REQ-SEED-1"))
        .await["id"]
        .as_i64()
        .unwrap();
    let sample = app.add_sample(&curator, acc, sample_body(seeds)).await["id"]
        .as_i64()
        .unwrap();
    Setup {
        curator,
        technician,
        researcher,
        accession: acc,
        sample,
    }
}

fn request_body(accession: i64, quantity: f64, unit: &str) -> Value {
    json!({
        "items": [{"accession_id": accession, "quantity": quantity, "unit": unit}],
        "intended_use": "research",
        "project_description": "Drought tolerance screening",
        "shipping_address": "Plant Science Lab, 1 Campus Road",
    })
}

async fn create(app: &TestApp, token: &str, body: Value) -> i64 {
    let (status, r) = app
        .json("POST", "/api/v1/requests", Some(token), Some(body))
        .await;
    assert_eq!(status, Status::Created, "created: {r}");
    assert_eq!(r["status"], "draft");
    r["id"].as_i64().unwrap()
}

async fn act(app: &TestApp, token: &str, id: i64, action: &str, body: Value) -> (Status, Value) {
    app.json(
        "POST",
        &format!("/api/v1/requests/{id}/{action}"),
        Some(token),
        Some(body),
    )
    .await
}

async fn act_ok(app: &TestApp, token: &str, id: i64, action: &str, body: Value) -> Value {
    let (status, r) = act(app, token, id, action, body).await;
    assert_eq!(status, Status::Ok, "{action}: {r}");
    r
}

/// Creates, submits and puts a request under review.
async fn reviewed(app: &TestApp, s: &Setup, quantity: f64) -> i64 {
    let id = create(
        app,
        &s.researcher,
        request_body(s.accession, quantity, "seeds"),
    )
    .await;
    act_ok(app, &s.researcher, id, "submit", json!({})).await;
    act_ok(app, &s.curator, id, "review", json!({})).await;
    id
}

/// (quantity, reserved, ledger sum) of a sample.
async fn stock(app: &TestApp, token: &str, sample: i64) -> (f64, f64, f64) {
    let (status, s) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{sample}"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok, "{s}");
    let (status, ledger) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{sample}/ledger"),
            Some(token),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok, "{ledger}");
    let entries = ledger
        .as_array()
        .or_else(|| ledger["items"].as_array())
        .or_else(|| ledger["entries"].as_array())
        .expect("ledger entries")
        .clone();
    let sum: f64 = entries.iter().map(|e| e["delta"].as_f64().unwrap()).sum();
    (
        s["quantity"].as_f64().unwrap(),
        s["reserved_quantity"].as_f64().unwrap_or(0.0),
        sum,
    )
}

#[rocket::async_test]
async fn researcher_request_travels_from_draft_to_closed() {
    let app = app().await;
    let s = setup(&app, 10.0).await;
    let id = reviewed(&app, &s, 3.0).await;

    let r = act_ok(&app, &s.curator, id, "approve", json!({})).await;
    assert_eq!(r["status"], "approved");
    assert_eq!(r["items"][0]["quantity_approved"], 3.0);
    assert_eq!(r["items"][0]["reservations"][0]["sample_id"], s.sample);
    assert_eq!(r["mta"]["template_kind"], "smta");
    assert_eq!(r["mta"]["pdf_sha256"].as_str().unwrap().len(), 64);
    assert_eq!(stock(&app, &s.curator, s.sample).await, (10.0, 3.0, 10.0));

    // Picking waits for the MTA.
    let (status, _) = act(&app, &s.technician, id, "pick", json!({})).await;
    assert_eq!(status, Status::Conflict);
    let r = act_ok(
        &app,
        &s.researcher,
        id,
        "accept-mta",
        json!({"accept": true}),
    )
    .await;
    assert_eq!(r["status"], "mta_accepted");
    assert_eq!(r["mta"]["acceptance_type"], "click_wrap");
    assert!(r["mta"]["accepted_at"].is_string());

    act_ok(&app, &s.technician, id, "pick", json!({})).await;
    // The technician scans the reserved sample as it comes out of the freezer.
    let (_, picked) = app
        .json(
            "GET",
            &format!("/api/v1/samples/{}", s.sample),
            Some(&s.curator),
            None,
        )
        .await;
    let (status, line) = app
        .json(
            "POST",
            &format!("/api/v1/requests/{id}/picks"),
            Some(&s.technician),
            Some(json!({"code": picked["label_code"]})),
        )
        .await;
    assert_eq!(status, Status::Ok, "{line}");
    let r = act_ok(
        &app,
        &s.technician,
        id,
        "ship",
        json!({"carrier": "EMS", "tracking_number": "EE123456789CN"}),
    )
    .await;
    assert_eq!(r["status"], "shipped");
    assert_eq!(r["shipment"]["tracking_number"], "EE123456789CN");
    assert_eq!(stock(&app, &s.curator, s.sample).await, (7.0, 0.0, 7.0));

    act_ok(&app, &s.researcher, id, "receive", json!({})).await;
    let r = act_ok(
        &app,
        &s.researcher,
        id,
        "feedback",
        json!({"rating": 5, "comment": "Germinated well"}),
    )
    .await;
    assert_eq!(r["status"], "closed");
    assert_eq!(r["feedback"]["rating"], 5);
    for stamp in [
        "submitted_at",
        "reviewed_at",
        "decided_at",
        "mta_accepted_at",
        "picking_started_at",
        "shipped_at",
        "received_at",
        "closed_at",
    ] {
        assert!(r[stamp].is_string(), "{stamp} recorded: {r}");
    }
    // The requester was told about every step staff took; the curator about the requester's.
    assert!(app.count_rows("notifications").await >= 8);
    let (_, audit) = app
        .json(
            "GET",
            "/api/v1/audit?table=requests&per_page=100",
            Some(&s.curator),
            None,
        )
        .await;
    assert!(audit["total"].as_u64().unwrap() >= 9, "{audit}");
}

#[rocket::async_test]
async fn cancelling_an_approved_request_releases_its_reservation() {
    let app = app().await;
    let s = setup(&app, 10.0).await;
    let id = reviewed(&app, &s, 4.0).await;
    act_ok(&app, &s.curator, id, "approve", json!({})).await;
    assert_eq!(stock(&app, &s.curator, s.sample).await, (10.0, 4.0, 10.0));

    let (status, e) = act(&app, &s.researcher, id, "cancel", json!({})).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(e["error"]["field"], "reason");
    let r = act_ok(
        &app,
        &s.researcher,
        id,
        "cancel",
        json!({"reason": "project postponed"}),
    )
    .await;
    assert_eq!(r["status"], "cancelled");
    assert_eq!(stock(&app, &s.curator, s.sample).await, (10.0, 0.0, 10.0));
    let (status, _) = act(&app, &s.curator, id, "approve", json!({})).await;
    assert_eq!(
        status,
        Status::Conflict,
        "a cancelled request stays cancelled"
    );
}

#[rocket::async_test]
async fn curator_grants_less_than_asked_and_the_request_is_partially_approved() {
    let app = app().await;
    let s = setup(&app, 10.0).await;
    let id = reviewed(&app, &s, 8.0).await;
    let (_, r) = app
        .json(
            "GET",
            &format!("/api/v1/requests/{id}"),
            Some(&s.researcher),
            None,
        )
        .await;
    let item = r["items"][0]["id"].as_i64().unwrap();
    let (status, e) = act(
        &app,
        &s.curator,
        id,
        "approve",
        json!({"items": [{"item_id": item, "quantity": 20}]}),
    )
    .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(e["error"]["field"], "items[0].quantity");
    let r = act_ok(
        &app,
        &s.curator,
        id,
        "approve",
        json!({"items": [{"item_id": item, "quantity": 5, "note": "keep a reserve"}]}),
    )
    .await;
    assert_eq!(r["status"], "partially_approved");
    assert_eq!(stock(&app, &s.curator, s.sample).await, (10.0, 5.0, 10.0));
}

#[rocket::async_test]
async fn rejection_needs_a_reason_and_ends_the_request() {
    let app = app().await;
    let s = setup(&app, 10.0).await;
    let id = reviewed(&app, &s, 1.0).await;
    let (status, e) = act(&app, &s.curator, id, "reject", json!({"reason": "  "})).await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(e["error"]["field"], "reason");
    let r = act_ok(
        &app,
        &s.curator,
        id,
        "reject",
        json!({"reason": "material reserved for regeneration"}),
    )
    .await;
    assert_eq!(r["status"], "rejected");
    assert_eq!(r["rejection_reason"], "material reserved for regeneration");
}

#[rocket::async_test]
async fn each_side_may_take_only_its_own_actions() {
    let app = app().await;
    let s = setup(&app, 10.0).await;
    let other = app.token(Role::Researcher).await;
    let id = create(&app, &s.researcher, request_body(s.accession, 1.0, "seeds")).await;

    // Another researcher neither sees nor submits it.
    let (status, _) = app
        .json("GET", &format!("/api/v1/requests/{id}"), Some(&other), None)
        .await;
    assert_eq!(status, Status::NotFound);
    let (status, _) = act(&app, &other, id, "submit", json!({})).await;
    assert_eq!(status, Status::NotFound);
    let (_, mine) = app
        .json("GET", "/api/v1/requests", Some(&other), None)
        .await;
    assert_eq!(mine["total"], 0);
    let (_, all) = app
        .json("GET", "/api/v1/requests", Some(&s.curator), None)
        .await;
    assert_eq!(all["total"], 1);

    act_ok(&app, &s.researcher, id, "submit", json!({})).await;
    for (token, action) in [
        (&s.researcher, "review"),
        (&s.technician, "review"),
        (&s.researcher, "approve"),
        (&s.technician, "reject"),
    ] {
        let (status, e) = act(&app, token, id, action, json!({"reason": "x"})).await;
        assert_eq!(status, Status::Forbidden, "{action}: {e}");
        assert_eq!(e["error"]["code"], "forbidden");
    }
    act_ok(&app, &s.curator, id, "review", json!({})).await;
    act_ok(&app, &s.curator, id, "approve", json!({})).await;
    let (status, _) = act(&app, &s.curator, id, "accept-mta", json!({"accept": true})).await;
    assert_eq!(
        status,
        Status::Forbidden,
        "only the requester accepts the MTA"
    );
    let (status, _) = app
        .json(
            "POST",
            &format!("/api/v1/requests/{id}/approve"),
            None,
            None,
        )
        .await;
    assert_eq!(status, Status::Unauthorized);
}

#[rocket::async_test]
async fn bad_input_gets_a_4xx_naming_the_field() {
    let app = app().await;
    let s = setup(&app, 10.0).await;
    let cases = [
        (
            json!({"items": [], "intended_use": "research", "project_description": "p", "shipping_address": "a"}),
            "items",
        ),
        (
            request_body(s.accession, -1.0, "seeds"),
            "items[0].quantity",
        ),
        (request_body(s.accession, 1.0, "bushels"), "items[0].unit"),
        (request_body(999_999, 1.0, "seeds"), "items[0].accession_id"),
        (
            json!({"items": [{"accession_id": s.accession, "quantity": 1, "unit": "seeds"}], "intended_use": "resale", "project_description": "p", "shipping_address": "a"}),
            "intended_use",
        ),
        (
            json!({"items": [{"accession_id": s.accession, "quantity": 1, "unit": "seeds"}], "intended_use": "research", "project_description": "p", "shipping_address": " "}),
            "shipping_address",
        ),
        (
            json!({"items": [{"accession_id": "one", "quantity": 1, "unit": "seeds"}], "intended_use": "research", "project_description": "p", "shipping_address": "a"}),
            "items[0].accession_id",
        ),
        (
            json!({"intended_use": "research", "project_description": "p", "shipping_address": "a"}),
            "items",
        ),
    ];
    for (body, field) in cases {
        let (status, e) = app
            .json("POST", "/api/v1/requests", Some(&s.researcher), Some(body))
            .await;
        assert!(
            status.code == 422 || status.code == 400,
            "{field}: {status} {e}"
        );
        assert_eq!(e["error"]["field"], field, "{e}");
    }
    assert_eq!(app.count_rows("requests").await, 0, "nothing was written");

    let id = create(&app, &s.researcher, request_body(s.accession, 1.0, "seeds")).await;
    let (status, _) = act(&app, &s.researcher, id, "teleport", json!({})).await;
    assert_eq!(status, Status::NotFound);
    let (status, e) = act(&app, &s.researcher, id, "receive", json!({})).await;
    assert_eq!(status, Status::Conflict);
    assert_eq!(e["error"]["field"], "status");
    let res = app
        .client
        .post(format!("/api/v1/requests/{id}/submit"))
        .header(rocket::http::ContentType::JSON)
        .header(rocket::http::Header::new(
            "Authorization",
            format!("Bearer {}", s.researcher),
        ))
        .body("{not json")
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::BadRequest);
    let (status, _) = app
        .json(
            "GET",
            "/api/v1/requests?status=lost",
            Some(&s.researcher),
            None,
        )
        .await;
    assert_eq!(status, Status::BadRequest);

    for (body, field) in [
        (
            json!({"doc_type": "passport", "filename": "a.pdf", "content_type": "application/pdf", "data_base64": "JVBERg=="}),
            "doc_type",
        ),
        (
            json!({"doc_type": "ethics_approval", "filename": "a.exe", "content_type": "application/x-msdownload", "data_base64": "TVo="}),
            "content_type",
        ),
        (
            json!({"doc_type": "ethics_approval", "filename": "a.pdf", "content_type": "application/pdf", "data_base64": "%%%"}),
            "data_base64",
        ),
    ] {
        let (status, e) = app
            .json(
                "POST",
                &format!("/api/v1/requests/{id}/documents"),
                Some(&s.researcher),
                Some(body),
            )
            .await;
        assert_eq!(status, Status::UnprocessableEntity, "{e}");
        assert_eq!(e["error"]["field"], field);
    }
    use base64::Engine;
    let big = base64::engine::general_purpose::STANDARD.encode(vec![b'%'; 600 * 1024]);
    let (status, _) = app
        .json(
            "POST",
            &format!("/api/v1/requests/{id}/documents"),
            Some(&s.researcher),
            Some(json!({"doc_type": "ethics_approval", "filename": "a.pdf", "content_type": "application/pdf", "data_base64": big})),
        )
        .await;
    assert_eq!(status, Status::PayloadTooLarge);
}

#[rocket::async_test]
async fn human_cell_line_needs_ethics_approval_and_biosafety_permit_before_approval() {
    let app = app().await;
    let s = setup(&app, 10.0).await;
    let mut body = cell_line_accession("REQ-CELL-1");
    body["available"] = json!(true);
    let cells = app.register_accession(&s.curator, body).await["id"]
        .as_i64()
        .unwrap();
    app.add_sample(
        &s.curator,
        cells,
        json!({"form": "vial", "quantity": 6, "unit": "vials", "conservation_purpose": "working"}),
    )
    .await;
    let id = create(&app, &s.researcher, request_body(cells, 2.0, "vials")).await;
    act_ok(&app, &s.researcher, id, "submit", json!({})).await;
    act_ok(&app, &s.curator, id, "review", json!({})).await;

    let upload = |doc_type: &'static str| {
        json!({"doc_type": doc_type, "filename": format!("{doc_type}.pdf"),
               "content_type": "application/pdf", "data_base64": "JVBERi0xLjQKJSVFT0YK"})
    };
    for (missing, then_upload) in [
        ("ethics_approval", "ethics_approval"),
        ("biosafety_permit", "biosafety_permit"),
    ] {
        let (status, e) = act(&app, &s.curator, id, "approve", json!({})).await;
        assert_eq!(status, Status::UnprocessableEntity, "{e}");
        assert_eq!(e["error"]["field"], "documents");
        assert!(
            e["error"]["message"].as_str().unwrap().contains(missing),
            "{e}"
        );
        let (status, d) = app
            .json(
                "POST",
                &format!("/api/v1/requests/{id}/documents"),
                Some(&s.researcher),
                Some(upload(then_upload)),
            )
            .await;
        assert_eq!(status, Status::Created, "{d}");
        assert_eq!(d["size_bytes"], 15);
    }
    let r = act_ok(&app, &s.curator, id, "approve", json!({})).await;
    assert_eq!(r["status"], "approved");
    assert_eq!(r["mta"]["template_kind"], "ubmta");
    assert_eq!(r["documents"].as_array().unwrap().len(), 2);
}

#[rocket::async_test]
async fn racing_approvals_never_oversell_the_last_units() {
    let app = Arc::new(app_racing().await);
    let s = setup(&app, 5.0).await;
    let mut ids = Vec::new();
    for _ in 0..20 {
        ids.push(reviewed(&app, &s, 1.0).await);
    }
    let mut tasks = Vec::new();
    for id in ids {
        let app = Arc::clone(&app);
        let curator = s.curator.clone();
        tasks.push(tokio::spawn(async move {
            act(&app, &curator, id, "approve", json!({})).await
        }));
    }
    let mut approved = 0;
    for t in tasks {
        let (status, body) = t.await.expect("task");
        match status.code {
            200 => approved += 1,
            409 => assert_eq!(body["error"]["field"], "items[0].quantity", "{body}"),
            other => panic!("approval answered {other}: {body}"),
        }
    }
    assert_eq!(approved, 5, "exactly the five units on hand were reserved");
    let (quantity, reserved, ledger_sum) = stock(&app, &s.curator, s.sample).await;
    assert_eq!(quantity, 5.0);
    assert!(
        quantity >= 0.0 && reserved <= quantity,
        "{reserved} of {quantity}"
    );
    assert_eq!(reserved, 5.0);
    assert_eq!(ledger_sum, quantity);
}

#[rocket::async_test]
async fn researcher_requests_from_the_catalog_page_and_curator_approves_in_the_queue() {
    let app = common::app_untracked().await;
    let s = setup(&app, 10.0).await;
    app.user("rita", Role::Researcher).await;
    app.user("carl", Role::Curator).await;
    let mut rita = app.signed_in_browser("rita", common::PASSWORD).await;
    let mut carl = app.signed_in_browser("carl", common::PASSWORD).await;

    let (_, list) = app.get_page("/catalog?q=REQ-SEED-1").await;
    let start = list.find("href=\"/catalog/").unwrap() + 6;
    let href = list[start..start + list[start..].find('"').unwrap()].to_string();
    let page = app.browse(&mut rita, "GET", &href, None).await;
    assert!(
        page.body
            .contains(&format!("/requests/new?accession={}", s.accession))
    );

    let acc = s.accession.to_string();
    let res = app
        .browse(
            &mut rita,
            "POST",
            "/requests",
            Some(&[
                ("accession_1", acc.as_str()),
                ("quantity_1", "2"),
                ("unit_1", "seeds"),
                ("intended_use", "breeding"),
                ("project_description", "Cold tolerance"),
                ("shipping_address", "Field station 4"),
            ]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    let path = res.location.unwrap();
    let res = app
        .browse(&mut rita, "POST", &format!("{path}/submit"), Some(&[]))
        .await;
    assert_eq!(res.status, Status::SeeOther);
    let mine = app.browse(&mut rita, "GET", "/requests", None).await;
    assert_eq!(mine.body.matches("data-testid=\"request-row\"").count(), 1);

    let queue = app
        .browse(&mut carl, "GET", "/requests?status=submitted", None)
        .await;
    assert!(queue.body.contains(&path));
    app.browse(&mut carl, "POST", &format!("{path}/review"), Some(&[]))
        .await;
    let page = app.browse(&mut carl, "GET", &path, None).await;
    assert!(page.body.contains("action-approve") && page.body.contains("action-reject"));
    let res = app
        .browse(&mut carl, "POST", &format!("{path}/approve"), Some(&[]))
        .await;
    assert_eq!(res.status, Status::SeeOther);
    let page = app.browse(&mut rita, "GET", &path, None).await;
    assert!(page.body.contains(">approved<"), "{}", page.body);
    assert!(page.body.contains("action-accept-mta"));
    assert_eq!(stock(&app, &s.curator, s.sample).await, (10.0, 2.0, 10.0));
}

/// The item ids the approve form on a request page asks about, in page order.
fn decision_items(html: &str) -> Vec<String> {
    html.match_indices("name=\"item[")
        .filter_map(|(at, m)| {
            let rest = &html[at + m.len()..];
            let id = &rest[..rest.find(']')?];
            rest[id.len()..]
                .starts_with("].grant")
                .then(|| id.to_string())
        })
        .collect()
}

#[rocket::async_test]
async fn curator_grants_one_item_and_rejects_the_other_on_the_request_page() {
    let app = common::app_untracked().await;
    let s = setup(&app, 10.0).await;
    let other = app
        .register_accession(&s.curator, seed_accession("REQ-SEED-2"))
        .await["id"]
        .as_i64()
        .unwrap();
    let other_sample = app.add_sample(&s.curator, other, sample_body(6.0)).await["id"]
        .as_i64()
        .unwrap();
    app.user("rosa", Role::Researcher).await;
    app.user("cleo", Role::Curator).await;
    let mut rosa = app.signed_in_browser("rosa", common::PASSWORD).await;
    let mut cleo = app.signed_in_browser("cleo", common::PASSWORD).await;

    // Rosa asks for 4 seeds of each accession and submits.
    let (first, second) = (s.accession.to_string(), other.to_string());
    let res = app
        .browse(
            &mut rosa,
            "POST",
            "/requests",
            Some(&[
                ("accession_1", first.as_str()),
                ("quantity_1", "4"),
                ("unit_1", "seeds"),
                ("accession_2", second.as_str()),
                ("quantity_2", "4"),
                ("unit_2", "seeds"),
                ("intended_use", "research"),
                ("project_description", "Salt stress trial"),
                ("shipping_address", "Greenhouse 2"),
            ]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    let path = res.location.unwrap();
    app.browse(&mut rosa, "POST", &format!("{path}/submit"), Some(&[]))
        .await;
    // Rosa cannot decide her own items: her page has no approve form.
    let page = app.browse(&mut rosa, "GET", &path, None).await;
    assert!(decision_items(&page.body).is_empty());

    // Cleo reviews; the approve form asks about each item, pre-filled with what was asked.
    app.browse(&mut cleo, "POST", &format!("{path}/review"), Some(&[]))
        .await;
    let page = app.browse(&mut cleo, "GET", &path, None).await;
    let items = decision_items(&page.body);
    assert_eq!(items.len(), 2, "{}", page.body);
    assert!(
        page.body
            .contains(&format!("data-testid=\"decide-item-{other}\""))
    );
    let (a, b) = (items[0].as_str(), items[1].as_str());
    let grant = |id: &str| format!("item[{id}].grant");
    let decision = |id: &str| format!("item[{id}].decision");
    let note = |id: &str| format!("item[{id}].note");
    let approve = format!("{path}/approve");

    // Bad values come back as a 4xx naming the field, and nothing is granted.
    for (fields, field) in [
        (vec![(grant(a), "lots"), (grant(b), "4")], grant(a)),
        (vec![(grant(a), "9"), (grant(b), "4")], grant(a)),
        (vec![(grant(a), "-1"), (grant(b), "4")], grant(a)),
        (vec![(grant(a), "3"), (decision(b), "reject")], note(b)),
        (vec![(grant(a), "3"), (grant(b), "0")], note(b)),
        (vec![(grant(a), "3"), (decision(b), "maybe")], decision(b)),
        (
            vec![(grant(a), "3"), ("item[99999].grant".to_string(), "1")],
            "item[99999]".to_string(),
        ),
    ] {
        let form: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (k.as_str(), *v)).collect();
        let res = app.browse(&mut cleo, "POST", &approve, Some(&form)).await;
        assert_eq!(res.status, Status::BadRequest, "{form:?}: {}", res.body);
        assert!(
            res.body.contains(&field),
            "{form:?} names {field}: {}",
            res.body
        );
    }
    let page = app.browse(&mut cleo, "GET", &path, None).await;
    assert!(page.body.contains(">under_review<"), "{}", page.body);
    assert_eq!(stock(&app, &s.curator, s.sample).await, (10.0, 0.0, 10.0));

    // Cleo grants 3 of the first and rejects the second with a reason.
    let (ga, db, nb) = (grant(a), decision(b), note(b));
    let res = app
        .browse(
            &mut cleo,
            "POST",
            &approve,
            Some(&[
                (ga.as_str(), "3"),
                (db.as_str(), "reject"),
                (nb.as_str(), "kept for regeneration"),
            ]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);

    // Rosa sees a partial approval: what was granted, which item was declined and why.
    let page = app.browse(&mut rosa, "GET", &path, None).await;
    assert!(page.body.contains(">partially_approved<"), "{}", page.body);
    assert!(page.body.contains("3 seeds"), "{}", page.body);
    assert!(page.body.contains("declined"), "{}", page.body);
    assert!(page.body.contains("kept for regeneration"), "{}", page.body);
    assert!(page.body.contains("action-accept-mta"));
    assert_eq!(stock(&app, &s.curator, s.sample).await, (10.0, 3.0, 10.0));
    assert_eq!(stock(&app, &s.curator, other_sample).await, (6.0, 0.0, 6.0));
}
