//! Material-transfer agreements: the PDF issued at approval (parties, every Annex 1 row over
//! several pages with the header repeated, identifiers, page numbers, Chinese text, a QR code
//! back to the request), click-wrap acceptance bound to the SHA-256 of the exact bytes
//! downloaded, acceptance by a signed copy, no picking before acceptance, the admins'
//! versioned agreement texts, the report of concluded SMTAs, and the packing list.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use biobank::domain::material::Role;
use biobank::services::Actor;
use biobank::services::users::{NewUser, create_user};
use common::{PASSWORD, TestApp, app, error_of, sample_body, seed_accession};
use rocket::http::{Header, Status};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};
use sha2::{Digest, Sha256};

const RECIPIENT_INSTITUTE: &str = "中国农业科学院作物科学研究所";
const PROVIDER_NAME: &str = "National Crop Genebank 国家作物种质库";

/// A curator, a technician, a researcher of a Chinese institute, the provider's institution
/// record, and `n` seed accessions of the Multilateral System with a sample each.
struct Setup {
    curator: String,
    technician: String,
    researcher: String,
    accessions: Vec<i64>,
    samples: Vec<i64>,
}

async fn researcher_of_institute(app: &TestApp, username: &str) -> String {
    let input = NewUser {
        username: username.into(),
        display_name: Some("Li Wei 李伟".into()),
        email: Some("liwei@example.org".into()),
        password: PASSWORD.into(),
        role: Role::Researcher,
        institution: Some(RECIPIENT_INSTITUTE.into()),
    };
    let id = create_user(&app.db, &Actor::system("test"), input, "active")
        .await
        .expect("researcher")
        .id;
    biobank::services::sessions::issue_api_token(&app.db, &Actor::system("test"), id, "t", None)
        .await
        .expect("token")
        .token
}

async fn setup(app: &TestApp, n: usize, mls: &str) -> Setup {
    // A failure answered with a plain 500 is logged; show the log in the test output.
    let _ = tracing_subscriber::fmt()
        .with_env_filter("warn")
        .with_test_writer()
        .try_init();
    entities::institution::ActiveModel {
        code: Set(Some("CHN001".into())),
        name: Set(PROVIDER_NAME.into()),
        address: Set(Some(
            "12 Zhongguancun South Street, Beijing 北京市海淀区".into(),
        )),
        country: Set(Some("CHN".into())),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(&app.db)
    .await
    .expect("provider institution");
    let curator = app.token(Role::Curator).await;
    let technician = app.token(Role::Technician).await;
    let researcher = researcher_of_institute(app, "liwei").await;
    let mut accessions = Vec::new();
    let mut samples = Vec::new();
    for i in 0..n {
        let mut body = seed_accession(&format!("MTA-{i:04}"));
        body["crop_name"] = json!("水稻 rice");
        body["mls_status"] = json!(mls);
        let acc = app.register_accession(&curator, body).await["id"]
            .as_i64()
            .unwrap();
        let sample = app.add_sample(&curator, acc, sample_body(100.0)).await["id"]
            .as_i64()
            .unwrap();
        accessions.push(acc);
        samples.push(sample);
    }
    Setup {
        curator,
        technician,
        researcher,
        accessions,
        samples,
    }
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

/// The researcher requests 5 seeds of each accession; the curator reviews and approves.
async fn approved_request(app: &TestApp, s: &Setup) -> i64 {
    let items: Vec<Value> = s
        .accessions
        .iter()
        .map(|a| json!({"accession_id": a, "quantity": 5, "unit": "seeds"}))
        .collect();
    let (status, r) = app
        .json(
            "POST",
            "/api/v1/requests",
            Some(&s.researcher),
            Some(json!({
                "items": items,
                "intended_use": "breeding",
                "project_description": "Cold tolerance of japonica rice 粳稻耐冷性",
                "shipping_address": "北京市海淀区中关村南大街12号 Room 301",
            })),
        )
        .await;
    assert_eq!(status, Status::Created, "{r}");
    let id = r["id"].as_i64().unwrap();
    act_ok(app, &s.researcher, id, "submit", json!({})).await;
    act_ok(app, &s.curator, id, "review", json!({})).await;
    let r = act_ok(app, &s.curator, id, "approve", json!({})).await;
    assert_eq!(r["status"], "approved");
    id
}

async fn get_bytes(app: &TestApp, path: &str, token: &str) -> (Status, Vec<u8>) {
    let res = app
        .client
        .get(path.to_string())
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch()
        .await;
    let status = res.status();
    (status, res.into_bytes().await.unwrap_or_default())
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("biobank-mta-tests-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cmd: &str, args: &[&str]) -> std::process::Output {
    Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd} (install poppler-utils / zbar-tools): {e}"))
}

/// The text of each page, as pdftotext reads it.
fn pages_of(pdf: &Path) -> Vec<String> {
    let out = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(out.status.success(), "pdftotext failed");
    let text = String::from_utf8(out.stdout).unwrap();
    let mut pages: Vec<String> = text.split('\u{c}').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

/// The QR codes zbar finds on the first page rendered at 300 dpi.
fn qr_codes_on_first_page(pdf: &Path) -> Vec<String> {
    let prefix = pdf.with_extension("");
    let out = run(
        "pdftoppm",
        &[
            "-r",
            "300",
            "-png",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    assert!(out.status.success(), "pdftoppm failed");
    let png = prefix.with_extension("png");
    let out = run("zbarimg", &["--raw", "-q", png.to_str().unwrap()]);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .filter(|l| !l.is_empty())
        .collect()
}

fn sha256_hex(data: &[u8]) -> String {
    Sha256::digest(data)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

#[rocket::async_test]
async fn smta_pdf_carries_parties_every_annex_row_identifiers_page_numbers_and_qr() {
    let app = app().await;
    let s = setup(&app, 50, "1").await;
    let id = approved_request(&app, &s).await;
    let (_, r) = app
        .json(
            "GET",
            &format!("/api/v1/requests/{id}"),
            Some(&s.researcher),
            None,
        )
        .await;
    assert_eq!(r["mta"]["template_kind"], "smta");
    let number = r["mta"]["agreement_number"].as_str().unwrap().to_string();
    assert!(number.starts_with("CHN001-SMTA-"), "{number}");

    let (status, pdf) = get_bytes(&app, &format!("/requests/{id}/mta.pdf"), &s.researcher).await;
    assert_eq!(status, Status::Ok);
    assert!(pdf.starts_with(b"%PDF-"));
    let dir = out_dir("smta");
    let file = dir.join("smta.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let pages = pages_of(&file);
    let n = pages.len();
    assert!(
        n >= 4,
        "50 items should make a multi-page agreement, got {n} pages"
    );
    let all = pages.join("\n");

    // Parties, identifiers and the Chinese text.
    for expected in [
        "Standard Material Transfer Agreement",
        number.as_str(),
        "National Crop Genebank",
        "国家作物种质库",
        "CHN001",
        RECIPIENT_INSTITUTE,
        "Li Wei",
        "李伟",
        "Room 301",
        "北京市海淀区",
        "Article 6",
        "Annex 1",
        "附件1",
    ] {
        assert!(all.contains(expected), "the agreement lacks {expected:?}");
    }
    // Page numbers on every page.
    for (i, page) in pages.iter().enumerate() {
        let label = format!("Page {} of {n}", i + 1);
        assert!(page.contains(&label), "page {} lacks {label:?}", i + 1);
    }
    // Every Annex 1 row: accession number, identifier and quantity, and the table header on
    // every page the annex continues onto.
    let annex_start = pages
        .iter()
        .position(|p| p.contains("Annex 1"))
        .expect("an Annex 1 page");
    let annex = pages[annex_start..].join("\n");
    for (i, acc) in s.accessions.iter().enumerate() {
        let (_, a) = app
            .json(
                "GET",
                &format!("/api/v1/accessions/{acc}"),
                Some(&s.curator),
                None,
            )
            .await;
        let accenumb = format!("MTA-{i:04}");
        assert!(annex.contains(&accenumb), "Annex 1 lacks row {accenumb}");
        let pid = a["pid"].as_str().unwrap();
        let tail = pid.rsplit(['/', ':', '.']).next().unwrap();
        assert!(annex.contains(tail), "Annex 1 lacks the identifier {pid}");
    }
    assert!(annex.matches("5 seeds").count() >= 50, "a quantity per row");
    let annex_pages = &pages[annex_start..];
    assert!(
        annex_pages.len() >= 2,
        "50 rows continue onto a further page ({} annex pages)",
        annex_pages.len()
    );
    for (k, page) in annex_pages.iter().enumerate() {
        if page.contains("MTA-0") {
            for header in ["Accession", "Identifier (PUID)", "Taxon", "Quantity"] {
                assert!(
                    page.contains(header),
                    "annex page {k} lacks the header {header:?}"
                );
            }
        }
    }
    // The QR code on the first page opens the request.
    let codes = qr_codes_on_first_page(&file);
    assert_eq!(codes, vec![format!("http://127.0.0.1:8000/requests/{id}")]);
}

#[rocket::async_test]
async fn click_wrap_records_who_when_where_and_the_hash_of_the_exact_pdf() {
    let app = app().await;
    let s = setup(&app, 2, "1").await;
    let id = approved_request(&app, &s).await;
    let (_, first) = get_bytes(&app, &format!("/requests/{id}/mta.pdf"), &s.researcher).await;
    let (_, again) = get_bytes(&app, &format!("/api/v1/requests/{id}/mta.pdf"), &s.curator).await;
    assert_eq!(first, again, "every download serves the same bytes");

    // Picking cannot start before the agreement is accepted.
    let (status, body) = act(&app, &s.technician, id, "pick", json!({})).await;
    assert_eq!(status, Status::Conflict, "{body}");
    assert_eq!(error_of(&body)["field"], "status");

    let (status, body) = act(&app, &s.researcher, id, "accept-mta", json!({})).await;
    assert_eq!(
        status,
        Status::UnprocessableEntity,
        "acceptance must be explicit: {body}"
    );
    let res = app
        .client
        .post(format!("/api/v1/requests/{id}/accept-mta"))
        .header(Header::new(
            "Authorization",
            format!("Bearer {}", s.researcher),
        ))
        .header(Header::new("X-Real-IP", "203.0.113.7"))
        .header(rocket::http::ContentType::JSON)
        .body(json!({"accept": true}).to_string())
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    let r: Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert_eq!(r["status"], "mta_accepted");
    let mta = &r["mta"];
    assert_eq!(mta["acceptance_type"], "click_wrap");
    assert_eq!(mta["accepted_by"], r["requester_id"]);
    assert!(mta["accepted_at"].is_string());
    assert_eq!(
        mta["acceptance_ip"], "203.0.113.7",
        "the address is recorded"
    );
    assert_eq!(mta["pdf_sha256"].as_str().unwrap(), sha256_hex(&first));

    // Accepting twice is refused and changes nothing.
    let (status, body) = act(
        &app,
        &s.researcher,
        id,
        "accept-mta",
        json!({"accept": true}),
    )
    .await;
    assert_eq!(status, Status::Conflict, "{body}");
    let (_, after) = app
        .json(
            "GET",
            &format!("/api/v1/requests/{id}"),
            Some(&s.researcher),
            None,
        )
        .await;
    assert_eq!(after["mta"], r["mta"]);
    let (_, later) = get_bytes(&app, &format!("/requests/{id}/mta.pdf"), &s.researcher).await;
    assert_eq!(later, first);

    let r = act_ok(&app, &s.technician, id, "pick", json!({})).await;
    assert_eq!(r["status"], "picking");
}

#[rocket::async_test]
async fn only_the_requester_and_curators_open_the_agreement() {
    let app = app().await;
    let s = setup(&app, 1, "0").await;
    let id = approved_request(&app, &s).await;
    let (_, r) = app
        .json(
            "GET",
            &format!("/api/v1/requests/{id}"),
            Some(&s.curator),
            None,
        )
        .await;
    assert_eq!(
        r["mta"]["template_kind"], "ubmta",
        "not in the MLS: UBMTA-style"
    );
    let other = app.token(Role::Researcher).await;
    let admin = app.token(Role::Admin).await;
    for (token, want) in [
        (&s.researcher, Status::Ok),
        (&s.curator, Status::Ok),
        (&admin, Status::Ok),
        (&s.technician, Status::Forbidden),
        (&other, Status::NotFound),
    ] {
        let (status, _) = get_bytes(&app, &format!("/api/v1/requests/{id}/mta.pdf"), token).await;
        assert_eq!(status, want);
    }
    let (status, _) = app.get_page(&format!("/requests/{id}/mta.pdf")).await;
    assert_eq!(status, Status::SeeOther, "a visitor is sent to sign in");

    let (_, pdf) = get_bytes(&app, &format!("/requests/{id}/mta.pdf"), &s.curator).await;
    let dir = out_dir("ubmta");
    let file = dir.join("ubmta.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let all = pages_of(&file).join("\n");
    for expected in [
        "Material Transfer Agreement",
        "材料转让协议",
        "Risk group",
        "MTA-0000",
        "no onward",
    ] {
        assert!(all.contains(expected), "the UBMTA lacks {expected:?}");
    }
}

#[rocket::async_test]
async fn a_signed_copy_is_uploaded_by_the_requester_and_confirmed_by_a_curator() {
    let app = app().await;
    let s = setup(&app, 1, "1").await;
    let id = approved_request(&app, &s).await;
    let path = format!("/api/v1/requests/{id}/mta/signed-copy");
    let upload = |data: &[u8]| {
        use base64::Engine;
        json!({
            "filename": "signed.pdf",
            "data_base64": base64::engine::general_purpose::STANDARD.encode(data),
        })
    };

    let (status, body) = app
        .json(
            "POST",
            &path,
            Some(&s.researcher),
            Some(upload(b"GIF89a not a pdf")),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity, "{body}");
    assert_eq!(error_of(&body)["field"], "file");
    let (status, _) = app
        .json(
            "POST",
            &path,
            Some(&s.researcher),
            Some(upload(&vec![b'%'; 3 * 1024 * 1024])),
        )
        .await;
    assert_eq!(status, Status::PayloadTooLarge);
    let (status, _) = app
        .json(
            "POST",
            &path,
            Some(&s.curator),
            Some(upload(b"%PDF-1.4 signed")),
        )
        .await;
    assert_eq!(status, Status::Forbidden, "only the requester signs");
    assert_eq!(
        app.count_rows("request_documents").await,
        0,
        "nothing written"
    );

    let (status, r) = app
        .json(
            "POST",
            &path,
            Some(&s.researcher),
            Some(upload(b"%PDF-1.4 signed by the director")),
        )
        .await;
    assert_eq!(status, Status::Created, "{r}");
    assert_eq!(r["status"], "mta_pending");
    assert!(
        r["documents"]
            .as_array()
            .unwrap()
            .iter()
            .any(|d| d["doc_type"] == "signed_mta")
    );
    let (status, _) = act(&app, &s.technician, id, "pick", json!({})).await;
    assert_eq!(
        status,
        Status::Conflict,
        "no picking before the copy is confirmed"
    );

    let confirm = format!("/api/v1/requests/{id}/mta/confirm-signed-copy");
    let (status, _) = app.json("POST", &confirm, Some(&s.researcher), None).await;
    assert_eq!(status, Status::Forbidden);
    let (status, r) = app.json("POST", &confirm, Some(&s.curator), None).await;
    assert_eq!(status, Status::Ok, "{r}");
    assert_eq!(r["status"], "mta_accepted");
    assert_eq!(r["mta"]["acceptance_type"], "signature");
    assert_eq!(r["mta"]["accepted_by"], r["requester_id"]);
    assert!(r["mta_accepted_at"].is_string());

    let (status, _) = app.json("POST", &confirm, Some(&s.curator), None).await;
    assert_eq!(status, Status::Conflict, "confirming twice is refused");
    let (status, _) = act(
        &app,
        &s.researcher,
        id,
        "accept-mta",
        json!({"accept": true}),
    )
    .await;
    assert_eq!(status, Status::Conflict, "accepting twice is refused");
    act_ok(&app, &s.technician, id, "pick", json!({})).await;
}

#[rocket::async_test]
async fn admin_saves_the_repository_text_as_versions_and_each_agreement_records_its_version() {
    let app = app().await;
    let s = setup(&app, 1, "0").await;
    let admin = app.token(Role::Admin).await;
    let save = |name: &str, body: &str| json!({"kind": "ubmta", "name": name, "language": "en", "body": body});
    let (status, body) = app
        .json(
            "POST",
            "/api/v1/mta-templates",
            Some(&s.curator),
            Some(save("x", "y")),
        )
        .await;
    assert_eq!(status, Status::Forbidden, "{body}");
    let (status, body) = app
        .json(
            "POST",
            "/api/v1/mta-templates",
            Some(&admin),
            Some(save("Our MTA", "  ")),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(error_of(&body)["field"], "body");
    let (status, body) = app
        .json(
            "POST",
            "/api/v1/mta-templates",
            Some(&admin),
            Some(json!({"kind": "other", "name": "n", "body": "b"})),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(error_of(&body)["field"], "kind");

    let (status, body) = app
        .json(
            "POST",
            "/api/v1/mta-templates",
            Some(&admin),
            Some(json!({"kind": "smta", "name": "Taken", "body": "b"})),
        )
        .await;
    assert_eq!(status, Status::Created, "{body}");
    let (status, body) = app
        .json(
            "POST",
            "/api/v1/mta-templates",
            Some(&admin),
            Some(save("Taken", "b")),
        )
        .await;
    assert_eq!(
        status,
        Status::UnprocessableEntity,
        "a name belongs to one kind"
    );
    assert_eq!(error_of(&body)["field"], "name");

    let (status, v1) = app
        .json(
            "POST",
            "/api/v1/mta-templates",
            Some(&admin),
            Some(save("Our MTA", "## Terms\nFirst wording of clause ALPHA.")),
        )
        .await;
    assert_eq!(status, Status::Created, "{v1}");
    assert_eq!(v1["version"], 1);
    let (_, v2) = app
        .json(
            "POST",
            "/api/v1/mta-templates",
            Some(&admin),
            Some(save(
                "Our MTA",
                "## Terms\nSecond wording of clause BRAVO.\n\n本协议受中国法律管辖。",
            )),
        )
        .await;
    assert_eq!(v2["version"], 2);
    let (_, list) = app
        .json("GET", "/api/v1/mta-templates", Some(&s.curator), None)
        .await;
    let versions: Vec<i64> = list
        .as_array()
        .unwrap()
        .iter()
        .filter(|t| t["kind"] == "ubmta")
        .map(|t| t["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, vec![2, 1], "every save kept, newest first");

    let id = approved_request(&app, &s).await;
    let (_, r) = app
        .json(
            "GET",
            &format!("/api/v1/requests/{id}"),
            Some(&s.researcher),
            None,
        )
        .await;
    assert_eq!(r["mta"]["template_id"], v2["id"]);
    let (_, pdf) = get_bytes(&app, &format!("/requests/{id}/mta.pdf"), &s.researcher).await;
    let file = out_dir("own-text").join("own.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let all = pages_of(&file).join("\n");
    assert!(
        all.contains("BRAVO") && all.contains("本协议受中国法律管辖"),
        "{all}"
    );
    assert!(!all.contains("ALPHA"));
    assert!(all.contains("Our MTA (version 2)"));

    // The admin page shows the versions and saves a third through the form.
    app.user("ada", Role::Admin).await;
    assert_eq!(app.sign_in("ada", PASSWORD).await, Status::SeeOther);
    let (status, page) = app.get_page("/admin/mta-templates").await;
    assert_eq!(status, Status::Ok);
    assert!(
        page.contains("BRAVO"),
        "the editor starts from the text in use"
    );
    let res = app
        .submit_form(
            "/admin/mta-templates",
            "/admin/mta-templates",
            &[
                ("kind", "ubmta"),
                ("name", "Our MTA"),
                ("language", "en"),
                ("body", "Third, CHARLIE."),
            ],
        )
        .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, list) = app
        .json("GET", "/api/v1/mta-templates", Some(&s.curator), None)
        .await;
    let newest = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["kind"] == "ubmta")
        .unwrap();
    assert_eq!(newest["version"], 3);
}

#[rocket::async_test]
async fn the_smta_report_lists_each_material_of_every_concluded_smta() {
    let app = app().await;
    let s = setup(&app, 2, "1").await;
    let accepted = approved_request(&app, &s).await;
    act_ok(
        &app,
        &s.researcher,
        accepted,
        "accept-mta",
        json!({"accept": true}),
    )
    .await;
    let _pending = approved_request(&app, &s).await;

    let (status, _) = get_bytes(&app, "/api/v1/reports/smta.csv", &s.researcher).await;
    assert_eq!(status, Status::Forbidden);
    let (status, _) = get_bytes(&app, "/api/v1/reports/smta.csv?from=yesterday", &s.curator).await;
    assert_eq!(status, Status::BadRequest);
    let (status, csv) = get_bytes(&app, "/api/v1/reports/smta.csv", &s.curator).await;
    assert_eq!(status, Status::Ok);
    let csv = String::from_utf8(csv).unwrap();
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers: Vec<String> = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_string)
        .collect();
    assert_eq!(
        headers,
        [
            "smta_id",
            "acceptance_date",
            "acceptance_type",
            "request_number",
            "provider_instcode",
            "provider_name",
            "provider_address",
            "recipient_name",
            "recipient_institution",
            "recipient_address",
            "recipient_country",
            "shipping_date",
            "material_puid",
            "material_instcode",
            "accession_number",
            "crop_name",
            "taxon",
            "quantity",
            "unit",
            "pgrfa_under_development",
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(
        rows.len(),
        2,
        "one row per material of the one concluded SMTA:\n{csv}"
    );
    let (_, r) = app
        .json(
            "GET",
            &format!("/api/v1/requests/{accepted}"),
            Some(&s.curator),
            None,
        )
        .await;
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    for (row, acc) in rows.iter().zip(&s.accessions) {
        let (_, a) = app
            .json(
                "GET",
                &format!("/api/v1/accessions/{acc}"),
                Some(&s.curator),
                None,
            )
            .await;
        assert_eq!(
            &row[col("smta_id")],
            r["mta"]["agreement_number"].as_str().unwrap()
        );
        assert_eq!(&row[col("acceptance_type")], "click_wrap");
        assert_eq!(&row[col("provider_instcode")], "CHN001");
        assert_eq!(&row[col("provider_name")], PROVIDER_NAME);
        assert_eq!(&row[col("recipient_institution")], RECIPIENT_INSTITUTE);
        assert_eq!(
            &row[col("accession_number")],
            a["accession_number"].as_str().unwrap()
        );
        assert_eq!(&row[col("material_puid")], a["pid"].as_str().unwrap());
        assert_eq!(&row[col("crop_name")], "水稻 rice");
        assert_eq!(&row[col("quantity")], "5");
        assert_eq!(&row[col("unit")], "seeds");
        assert_eq!(&row[col("pgrfa_under_development")], "N");
        assert_eq!(row[col("acceptance_date")].len(), 10);
    }
    let (_, none) = get_bytes(&app, "/api/v1/reports/smta.csv?to=2000-01-01", &s.curator).await;
    assert_eq!(
        String::from_utf8(none).unwrap().lines().count(),
        1,
        "only the header"
    );
}

#[rocket::async_test]
async fn the_packing_list_names_every_sample_once_picking_starts() {
    let app = app().await;
    let s = setup(&app, 3, "1").await;
    let id = approved_request(&app, &s).await;
    let path = format!("/requests/{id}/packing-list.pdf");
    let (status, _) = get_bytes(&app, &path, &s.technician).await;
    assert_eq!(status, Status::Conflict, "no packing list before picking");
    act_ok(
        &app,
        &s.researcher,
        id,
        "accept-mta",
        json!({"accept": true}),
    )
    .await;
    act_ok(&app, &s.technician, id, "pick", json!({})).await;
    let (status, _) = get_bytes(&app, &path, &s.researcher).await;
    assert_eq!(status, Status::Forbidden);
    let (status, pdf) = get_bytes(&app, &path, &s.technician).await;
    assert_eq!(status, Status::Ok);
    let file = out_dir("packing").join("packing.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let all = pages_of(&file).join("\n");
    assert!(all.contains("Packing list") && all.contains("装箱单"));
    assert!(all.contains(RECIPIENT_INSTITUTE));
    for sample in &s.samples {
        let (_, smp) = app
            .json(
                "GET",
                &format!("/api/v1/samples/{sample}"),
                Some(&s.curator),
                None,
            )
            .await;
        let code = smp["label_code"].as_str().unwrap();
        assert!(all.contains(code), "the packing list lacks sample {code}");
    }
    assert!(all.contains("Page 1 of 1"));
    let codes = qr_codes_on_first_page(&file);
    assert_eq!(codes, vec![format!("http://127.0.0.1:8000/requests/{id}")]);
}

#[rocket::async_test]
async fn the_request_page_offers_the_agreement_and_the_signed_copy_upload() {
    let app = app().await;
    let s = setup(&app, 1, "1").await;
    let id = approved_request(&app, &s).await;
    let (_, r) = app
        .json(
            "GET",
            &format!("/api/v1/requests/{id}"),
            Some(&s.researcher),
            None,
        )
        .await;
    // The researcher created through the service signs in on the page.
    assert_eq!(app.sign_in("liwei", PASSWORD).await, Status::SeeOther);
    let (status, page) = app.get_page(&format!("/requests/{id}")).await;
    assert_eq!(status, Status::Ok);
    assert!(page.contains(&format!("/requests/{id}/mta.pdf")));
    assert!(page.contains("data-testid=\"mta-signed-upload\""));
    assert!(page.contains("action-accept-mta"));
    assert!(page.contains(r["mta"]["pdf_sha256"].as_str().unwrap()));
    assert!(page.contains(r["mta"]["agreement_number"].as_str().unwrap()));
    let res = app
        .submit_form(
            &format!("/requests/{id}"),
            &format!("/requests/{id}/accept-mta"),
            &[("accept", "yes")],
        )
        .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, page) = app.get_page(&format!("/requests/{id}")).await;
    assert!(page.contains("data-testid=\"mta-accepted\""));
    assert!(!page.contains("data-testid=\"mta-signed-upload\""));
}

#[rocket::async_test]
async fn the_agreement_routes_are_in_the_openapi_document() {
    let app = app().await;
    let (status, doc) = app.json("GET", "/api/v1/openapi.json", None, None).await;
    assert_eq!(status, Status::Ok);
    for path in [
        "/api/v1/requests/{id}/mta.pdf",
        "/api/v1/requests/{id}/mta/signed-copy",
        "/api/v1/requests/{id}/mta/confirm-signed-copy",
        "/api/v1/mta-templates",
        "/api/v1/reports/smta.csv",
    ] {
        assert!(doc["paths"][path].is_object(), "{path} is not documented");
    }
}

#[rocket::async_test]
async fn the_requester_uploads_the_signed_copy_from_the_request_page() {
    let app = app().await;
    let s = setup(&app, 1, "1").await;
    let id = approved_request(&app, &s).await;
    assert_eq!(app.sign_in("liwei", PASSWORD).await, Status::SeeOther);
    let (_, page) = app.get_page(&format!("/requests/{id}")).await;
    let token = common::csrf_from(&page);
    let body = format!(
        "--XYZ\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n\
         --XYZ\r\nContent-Disposition: form-data; name=\"file\"; filename=\"signed.pdf\"\r\n\
         Content-Type: application/pdf\r\n\r\n%PDF-1.4 signed by the director\r\n--XYZ--\r\n"
    );
    let res = app
        .client
        .post(format!("/requests/{id}/mta/signed-copy"))
        .header(
            rocket::http::ContentType::new("multipart", "form-data")
                .with_params(("boundary", "XYZ")),
        )
        .body(body)
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::SeeOther);
    let (_, r) = app
        .json(
            "GET",
            &format!("/api/v1/requests/{id}"),
            Some(&s.curator),
            None,
        )
        .await;
    assert_eq!(r["status"], "mta_pending");
    let doc = r["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["doc_type"] == "signed_mta")
        .expect("the signed copy is kept");
    assert_eq!(doc["filename"], "signed.pdf");
    assert_eq!(doc["content_type"], "application/pdf");
    let (_, page) = app.get_page(&format!("/requests/{id}")).await;
    assert!(
        page.contains("Signed copy received"),
        "the page says the copy waits for a curator"
    );
}
