//! A technician prints labels for samples from the server, scans them with a standard QR
//! decoder, and every print is in the audit trail.

mod common;

use std::process::Command;

use biobank::domain::material::Role;
use common::{TestApp, sample_body, seed_accession};
use rocket::http::{Header, Status};

fn tool(cmd: &str, args: &[&str]) -> String {
    let out = Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("{cmd} must be installed: {e}"));
    assert!(
        out.status.success(),
        "{cmd} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Writes the PDF, renders it at 600 dpi and returns (QR payloads, text).
fn read_like_a_person(pdf: &[u8], name: &str) -> (Vec<String>, String) {
    let dir =
        std::env::temp_dir().join(format!("biobank-labels-http-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("labels.pdf");
    std::fs::write(&file, pdf).unwrap();
    let prefix = dir.join("page");
    tool(
        "pdftoppm",
        &[
            "-r",
            "600",
            "-png",
            file.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    let mut codes = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "png") {
            codes.extend(
                tool("zbarimg", &["--raw", "-q", path.to_str().unwrap()])
                    .lines()
                    .map(str::to_string),
            );
        }
    }
    let text = tool("pdftotext", &[file.to_str().unwrap(), "-"]);
    let _ = std::fs::remove_dir_all(&dir);
    codes.sort();
    (codes, text)
}

async fn seed_sample(app: &TestApp, curator: &str, number: &str) -> serde_json::Value {
    let accession = app
        .register_accession(curator, seed_accession(number))
        .await;
    app.add_sample(
        curator,
        accession["id"].as_i64().unwrap(),
        sample_body(500.0),
    )
    .await
}

async fn get_bytes(app: &TestApp, path: &str, token: &str) -> (Status, Vec<u8>) {
    let res = app
        .client
        .get(path.to_string())
        .header(Header::new("Authorization", format!("Bearer {token}")))
        .dispatch()
        .await;
    (res.status(), res.into_bytes().await.unwrap_or_default())
}

#[rocket::async_test]
async fn technician_prints_a_cryo_label_that_scans_back_to_the_sample() {
    let app = common::app().await;
    let curator = app.token(Role::Curator).await;
    let technician = app.token(Role::Technician).await;
    let sample = seed_sample(&app, &curator, "ZDM00077").await;
    let (id, code) = (
        sample["id"].as_i64().unwrap(),
        sample["label_code"].as_str().unwrap().to_string(),
    );

    let (status, pdf) = get_bytes(&app, &format!("/samples/{id}/label.pdf"), &technician).await;
    assert_eq!(status, Status::Ok);
    assert!(pdf.starts_with(b"%PDF"), "a PDF comes back");

    let (codes, text) = read_like_a_person(&pdf, "cryo");
    assert_eq!(
        codes,
        vec![format!("http://127.0.0.1:8000/s/{code}")],
        "the QR opens the sample page"
    );
    assert!(
        text.contains(&code),
        "the code is printed for people: {text}"
    );
    assert!(
        text.contains("ZDM00077"),
        "the accession number is printed: {text}"
    );

    let (_, page) = app
        .json(
            "GET",
            &format!("/api/v1/audit?table=samples&row_id={id}"),
            Some(&curator),
            None,
        )
        .await;
    let prints = page["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["action"] == "print_label")
        .count();
    assert_eq!(prints, 1, "the print is logged");
}

#[rocket::async_test]
async fn a_sheet_for_several_samples_decodes_every_label() {
    let app = common::app().await;
    let curator = app.token(Role::Curator).await;
    let mut ids = Vec::new();
    let mut expected = Vec::new();
    for n in 0..3 {
        let s = seed_sample(&app, &curator, &format!("ZDM0010{n}")).await;
        ids.push(s["id"].as_i64().unwrap().to_string());
        expected.push(format!(
            "http://127.0.0.1:8000/s/{}",
            s["label_code"].as_str().unwrap()
        ));
    }
    expected.sort();
    let res = app
        .client
        .post(format!("/labels.pdf?ids={}&layout=50x25", ids.join(",")))
        .header(Header::new("Authorization", format!("Bearer {curator}")))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    let pdf = res.into_bytes().await.unwrap();
    let (codes, _) = read_like_a_person(&pdf, "sheet");
    assert_eq!(codes, expected, "one readable QR per sample");
}

#[rocket::async_test]
async fn label_requests_with_bad_input_are_refused_clearly() {
    let app = common::app().await;
    let curator = app.token(Role::Curator).await;
    let researcher = app.token(Role::Researcher).await;
    let sample = seed_sample(&app, &curator, "ZDM00078").await;
    let id = sample["id"].as_i64().unwrap();

    let (status, _) = get_bytes(&app, &format!("/samples/{id}/label.pdf"), &researcher).await;
    assert_eq!(status, Status::Forbidden, "researchers do not print labels");
    let (status, body) = get_bytes(
        &app,
        &format!("/samples/{id}/label.pdf?layout=postage-stamp"),
        &curator,
    )
    .await;
    assert_eq!(status, Status::BadRequest);
    assert!(
        String::from_utf8_lossy(&body).contains("layout"),
        "the message names the layout"
    );
    let (status, _) = get_bytes(&app, "/samples/999999/label.pdf", &curator).await;
    assert_eq!(
        status,
        Status::UnprocessableEntity,
        "an unknown sample is named, not a 500"
    );
    let (status, body) = app
        .json("POST", "/api/v1/labels/print?ids=abc", Some(&curator), None)
        .await;
    assert_eq!(status, Status::Conflict, "no printer configured: {body}");
}

#[rocket::async_test]
async fn labels_go_straight_to_a_networked_zebra_printer() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap().to_string();
    let received = tokio::spawn(async move {
        use tokio::io::AsyncReadExt;
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut zpl = String::new();
        socket.read_to_string(&mut zpl).await.unwrap();
        zpl
    });
    let app = common::app_with(|c| c.zpl_printer = Some(address.clone())).await;
    let curator = app.token(Role::Curator).await;
    let sample = seed_sample(&app, &curator, "ZDM00079").await;
    let id = sample["id"].as_i64().unwrap();

    let (status, body) = app
        .json(
            "POST",
            &format!("/api/v1/labels/print?ids={id}"),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok, "{body}");
    assert_eq!(body["labels"], 1);
    let zpl = received.await.unwrap();
    assert!(
        zpl.starts_with("^XA") && zpl.trim_end().ends_with("^XZ"),
        "one ZPL label: {zpl}"
    );
    assert!(
        zpl.contains(sample["label_code"].as_str().unwrap()),
        "the code is on the label"
    );
}

#[rocket::async_test]
async fn a_box_label_scans_to_the_box_map_and_its_print_is_logged() {
    let app = common::app().await;
    let curator = app.token(Role::Curator).await;
    let (_, room) = app
        .json(
            "POST",
            "/api/v1/storage",
            Some(&curator),
            Some(serde_json::json!({"kind": "room", "name": "Cold room 2"})),
        )
        .await;
    let (status, bx) = app
        .json(
            "POST",
            "/api/v1/storage",
            Some(&curator),
            Some(
                serde_json::json!({"kind": "box", "name": "Box 冷-7", "parent_id": room["id"],
                                    "box_type": "cryobox_9x9"}),
            ),
        )
        .await;
    assert_eq!(status, Status::Created, "{bx}");
    let id = bx["id"].as_i64().unwrap();
    let code = bx["barcode"].as_str().unwrap().to_string();

    let (status, pdf) = get_bytes(&app, &format!("/storage/{id}/label.pdf"), &curator).await;
    assert_eq!(status, Status::Ok);
    let (codes, text) = read_like_a_person(&pdf, "box");
    assert_eq!(codes.len(), 1, "one box label");
    let url = &codes[0];
    assert!(
        url.starts_with("http://127.0.0.1:8000/s/"),
        "the QR is a label URL: {url}"
    );
    assert!(text.contains("Box 冷-7"), "the box name is printed: {text}");
    assert!(text.contains("Cold room 2"), "and where it stands: {text}");

    // Scanning it (the URL the camera read) opens the box map.
    app.user("tess", Role::Technician).await;
    let mut browser = app.signed_in_browser("tess", common::PASSWORD).await;
    let path = url.trim_start_matches("http://127.0.0.1:8000");
    let res = app.browse(&mut browser, "GET", path, None).await;
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    assert_eq!(
        res.location.as_deref(),
        Some(format!("/storage/{id}").as_str())
    );
    let typed = biobank::domain::label_code::LabelCode::parse(path.trim_start_matches("/s/"))
        .expect("the printed code parses");
    assert_eq!(
        typed.as_str(),
        code.replace('-', ""),
        "the label carries the box's own code"
    );

    let (_, page) = app
        .json(
            "GET",
            &format!("/api/v1/audit?table=storage_units&row_id={id}"),
            Some(&curator),
            None,
        )
        .await;
    assert!(
        page["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["action"] == "print_label"),
        "the box label print is logged: {page}"
    );
}

#[rocket::async_test]
async fn the_smallest_tube_label_can_carry_a_data_matrix_that_decodes_to_the_sample() {
    let app = common::app().await;
    let curator = app.token(Role::Curator).await;
    let sample = seed_sample(&app, &curator, "ZDM00078").await;
    let (id, code) = (
        sample["id"].as_i64().unwrap(),
        sample["label_code"].as_str().unwrap().to_string(),
    );
    let (status, pdf) = get_bytes(
        &app,
        &format!("/samples/{id}/label.pdf?layout=cryo-25x13&symbol=datamatrix"),
        &curator,
    )
    .await;
    assert_eq!(status, Status::Ok);
    let dir = std::env::temp_dir().join(format!("biobank-dm-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("label.pdf");
    std::fs::write(&file, &pdf).unwrap();
    let png = dir.join("label");
    tool(
        "pdftoppm",
        &[
            "-r",
            "600",
            "-png",
            "-singlefile",
            file.to_str().unwrap(),
            png.to_str().unwrap(),
        ],
    );
    let png = dir.join("label.png");
    let read = tool(
        "dmtxread",
        &["-n", "-N1", "-m", "2000", png.to_str().unwrap()],
    );
    assert_eq!(
        read.trim(),
        format!("http://127.0.0.1:8000/s/{code}"),
        "a Data Matrix reader gets the sample's URL"
    );
    let _ = std::fs::remove_dir_all(&dir);

    let (status, _) = get_bytes(
        &app,
        &format!("/samples/{id}/label.pdf?symbol=aztec"),
        &curator,
    )
    .await;
    assert_eq!(
        status,
        Status::BadRequest,
        "an unknown symbology is refused"
    );
}

#[rocket::async_test]
async fn a_label_too_small_for_its_code_is_refused_and_a_larger_layout_is_suggested() {
    // A repository behind a long reverse-proxy path: the URL no longer fits a 25 × 13 mm label.
    let app = common::app_with(|c| {
        c.base_url = format!(
            "https://biobank.example.org/{}",
            "very-long-path/".repeat(40)
        );
    })
    .await;
    let curator = app.token(Role::Curator).await;
    let sample = seed_sample(&app, &curator, "ZDM00079").await;
    let id = sample["id"].as_i64().unwrap();
    let audits = app.count_rows("audit_log").await;
    let res = app
        .client
        .get(format!("/samples/{id}/label.pdf?layout=cryo-25x13"))
        .header(Header::new("Authorization", format!("Bearer {curator}")))
        .header(rocket::http::Accept::JSON)
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let body = res.into_string().await.unwrap();
    assert!(
        body.contains("too long") && body.contains("larger label"),
        "{body}"
    );
    assert_eq!(
        app.count_rows("audit_log").await,
        audits,
        "nothing printed, nothing logged"
    );
    let (status, pdf) = get_bytes(
        &app,
        &format!("/samples/{id}/label.pdf?layout=100x50"),
        &curator,
    )
    .await;
    assert_eq!(status, Status::Ok, "the large label holds it");
    let (codes, _) = read_like_a_person(&pdf, "long-url");
    assert!(
        codes[0].ends_with(sample["label_code"].as_str().unwrap()),
        "{codes:?}"
    );
}
