//! Malformed input of every kind gets a clear 4xx that names the problem, never a 500:
//! broken JSON, wrong types, unknown and missing fields, oversized bodies, bad encodings,
//! metacharacters, malformed query strings, unknown ids, and broken forms.

mod common;

use biobank::domain::material::Role;
use common::{
    PASSWORD, TestApp, app, app_untracked, error_of, form_body, sample_body, seed_accession,
};
use rocket::http::{ContentType, Header, Status};
use serde_json::{Value, json};

/// Sends a raw body with a content type and a bearer token; returns status and parsed JSON.
async fn send_raw(
    app: &TestApp,
    method: &str,
    path: &str,
    token: Option<&str>,
    content_type: Option<ContentType>,
    body: impl AsRef<[u8]>,
) -> (Status, Value) {
    let mut req = match method {
        "GET" => app.client.get(path.to_string()),
        "POST" => app.client.post(path.to_string()),
        "PATCH" => app.client.patch(path.to_string()),
        "DELETE" => app.client.delete(path.to_string()),
        other => panic!("unsupported method {other}"),
    };
    if let Some(t) = token {
        req = req.header(Header::new("Authorization", format!("Bearer {t}")));
    }
    if let Some(ct) = content_type {
        req = req.header(ct);
    }
    let res = req.body(body.as_ref()).dispatch().await;
    let status = res.status();
    let text = res.into_string().await.unwrap_or_default();
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

/// Asserts a JSON error with this status that names `field` (when given) in field and message.
fn assert_error(what: &str, got: (Status, Value), status: Status, field: Option<&str>) {
    let (s, body) = got;
    assert_eq!(s, status, "{what}: {body}");
    let err = error_of(&body);
    if let Some(f) = field {
        assert_eq!(
            err.get("field").and_then(Value::as_str),
            Some(f),
            "{what}: {body}"
        );
        assert!(
            err["message"].as_str().unwrap().contains(f),
            "{what}: the message names {f}: {body}"
        );
    }
}

struct Setup {
    app: TestApp,
    curator: String,
    accession_id: i64,
}

async fn setup() -> Setup {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    let a = app
        .register_accession(&curator, seed_accession("ZDM00001"))
        .await;
    Setup {
        app,
        curator,
        accession_id: a["id"].as_i64().unwrap(),
    }
}

#[rocket::async_test]
async fn malformed_json_is_a_400_that_says_where() {
    let s = setup().await;
    for (body, line) in [
        (r#"{"material_type": "seed","#.to_string(), "line 1"),
        (
            "{\n  \"material_type\": \"seed\",\n  \"genus\": Oryza\n}".to_string(),
            "line 3",
        ),
        ("{'material_type': 'seed'}".to_string(), "line 1"),
        ("{\"a\": 1} trailing".to_string(), "line 1"),
    ] {
        let (status, err) = send_raw(
            &s.app,
            "POST",
            "/api/v1/accessions",
            Some(&s.curator),
            Some(ContentType::JSON),
            &body,
        )
        .await;
        assert_eq!(status, Status::BadRequest, "{body}: {err}");
        let message = error_of(&err)["message"].as_str().unwrap().to_string();
        assert!(message.contains("malformed JSON"), "{message}");
        assert!(
            message.contains(line) && message.contains("column"),
            "{message}"
        );
        assert_eq!(error_of(&err)["code"], "bad_request");
    }
    let deep = format!("{{\"remarks\": {}", "[".repeat(10_000));
    let got = send_raw(
        &s.app,
        "POST",
        "/api/v1/accessions",
        Some(&s.curator),
        Some(ContentType::JSON),
        deep,
    )
    .await;
    assert_error("deeply nested", got, Status::BadRequest, None);
    let got = send_raw(
        &s.app,
        "POST",
        "/api/v1/accessions",
        Some(&s.curator),
        Some(ContentType::JSON),
        "",
    )
    .await;
    assert_error("empty body", got, Status::BadRequest, Some("body"));
    assert_eq!(
        s.app.count_rows("accessions").await,
        1,
        "nothing was written"
    );
}

#[rocket::async_test]
async fn wrong_types_are_422_naming_the_field() {
    let s = setup().await;
    let acc = s.accession_id;
    let mut sample = sample_body(10.0);
    sample["quantity"] = json!("lots");
    let mut dated = sample_body(10.0);
    dated["banked_on"] = json!("yesterday");
    let mut seed = seed_accession("ZDM00002");
    seed["latitude"] = json!("north");
    let mut flag = seed_accession("ZDM00003");
    flag["available"] = json!("perhaps");
    let mut listed = seed_accession("ZDM00004");
    listed["genus"] = json!(["Oryza"]);
    let cases: Vec<(&str, String, Value, &str)> = vec![
        ("POST", "/api/v1/tokens".into(), json!({"name": 5}), "name"),
        (
            "POST",
            format!("/api/v1/accessions/{acc}/samples"),
            sample,
            "quantity",
        ),
        (
            "POST",
            format!("/api/v1/accessions/{acc}/samples"),
            dated,
            "banked_on",
        ),
        ("POST", "/api/v1/accessions".into(), seed, "latitude"),
        ("POST", "/api/v1/accessions".into(), flag, "available"),
        ("POST", "/api/v1/accessions".into(), listed, "genus"),
        (
            "PATCH",
            format!("/api/v1/accessions/{acc}"),
            json!({"elevation_m": 12.5}),
            "elevation_m",
        ),
        (
            "PATCH",
            "/api/v1/users/1".into(),
            json!({"status": 1}),
            "status",
        ),
        (
            "POST",
            format!("/api/v1/accessions/{acc}/deaccession"),
            json!({"reason": false}),
            "reason",
        ),
        (
            "POST",
            "/api/v1/auth/token".into(),
            json!({"username": {"a": 1}, "password": "x"}),
            "username",
        ),
    ];
    for (method, path, body, field) in cases {
        let got = s
            .app
            .json(method, &path, Some(&s.curator), Some(body))
            .await;
        assert_error(
            &format!("{method} {path}"),
            got,
            Status::UnprocessableEntity,
            Some(field),
        );
    }
    let got = s
        .app
        .json(
            "POST",
            "/api/v1/accessions",
            Some(&s.curator),
            Some(json!(["not", "an", "object"])),
        )
        .await;
    assert_error(
        "an array for an object",
        got,
        Status::UnprocessableEntity,
        Some("body"),
    );
    assert_eq!(s.app.count_rows("accessions").await, 1);
    assert_eq!(s.app.count_rows("samples").await, 0);
}

#[rocket::async_test]
async fn unknown_fields_are_422_naming_them() {
    let s = setup().await;
    let acc = s.accession_id;
    let mut seed = seed_accession("ZDM00002");
    seed["colour"] = json!("red");
    let mut sample = sample_body(10.0);
    sample["colour"] = json!("red");
    let cases: Vec<(&str, String, Value, &str)> = vec![
        ("POST", "/api/v1/accessions".into(), seed, "colour"),
        (
            "PATCH",
            format!("/api/v1/accessions/{acc}"),
            json!({"colour": "red"}),
            "colour",
        ),
        (
            "POST",
            format!("/api/v1/accessions/{acc}/samples"),
            sample,
            "colour",
        ),
        (
            "POST",
            format!("/api/v1/accessions/{acc}/deaccession"),
            json!({"reason": "x", "force": true}),
            "force",
        ),
        (
            "POST",
            "/api/v1/tokens".into(),
            json!({"name": "ci", "scope": "all"}),
            "scope",
        ),
        (
            "PATCH",
            "/api/v1/users/1".into(),
            json!({"status": "active", "is_admin": true}),
            "is_admin",
        ),
        (
            "POST",
            "/api/v1/auth/token".into(),
            json!({"username": "a", "password": "b", "otp": "1"}),
            "otp",
        ),
    ];
    for (method, path, body, field) in cases {
        let got = s
            .app
            .json(method, &path, Some(&s.curator), Some(body))
            .await;
        assert_error(
            &format!("{method} {path}"),
            got,
            Status::UnprocessableEntity,
            Some(field),
        );
    }
    let (_, kept) = s
        .app
        .json(
            "GET",
            &format!("/api/v1/accessions/{acc}"),
            Some(&s.curator),
            None,
        )
        .await;
    assert_eq!(kept["status"], "active", "nothing changed");
    assert_eq!(s.app.count_rows("accessions").await, 1);
}

#[rocket::async_test]
async fn missing_required_fields_are_422_naming_them() {
    let s = setup().await;
    let acc = s.accession_id;
    let mut no_number = seed_accession("x");
    no_number
        .as_object_mut()
        .unwrap()
        .remove("accession_number");
    let mut no_genus = seed_accession("ZDM00002");
    no_genus.as_object_mut().unwrap().remove("genus");
    let mut sample = sample_body(10.0);
    sample.as_object_mut().unwrap().remove("quantity");
    let cases: Vec<(&str, String, Value, &str)> = vec![
        (
            "POST",
            "/api/v1/accessions".into(),
            no_number,
            "accession_number",
        ),
        ("POST", "/api/v1/accessions".into(), no_genus, "genus"),
        (
            "POST",
            "/api/v1/accessions".into(),
            json!({"accession_number": "X1", "genus": "Oryza"}),
            "material_type",
        ),
        (
            "POST",
            "/api/v1/accessions".into(),
            json!({"material_type": "strain", "accession_number": "S1", "genus": "Bacillus"}),
            "risk_group",
        ),
        (
            "POST",
            "/api/v1/accessions".into(),
            json!({"material_type": "specimen", "accession_number": "B1", "specimen_type": "serum", "sample_source": "human"}),
            "donor_code",
        ),
        (
            "POST",
            format!("/api/v1/accessions/{acc}/samples"),
            sample,
            "quantity",
        ),
        (
            "POST",
            format!("/api/v1/accessions/{acc}/deaccession"),
            json!({}),
            "reason",
        ),
        (
            "POST",
            "/api/v1/auth/token".into(),
            json!({"username": "a"}),
            "password",
        ),
        (
            "POST",
            "/api/v1/register".into(),
            json!({"username": "abc", "display_name": "A", "institution": "I", "password": PASSWORD}),
            "email",
        ),
    ];
    for (method, path, body, field) in cases {
        let got = s
            .app
            .json(method, &path, Some(&s.curator), Some(body))
            .await;
        assert_error(
            &format!("{method} {path} without {field}"),
            got,
            Status::UnprocessableEntity,
            Some(field),
        );
    }
    assert_eq!(s.app.count_rows("accessions").await, 1);
}

#[rocket::async_test]
async fn overlong_strings_are_refused() {
    let s = setup().await;
    let acc = s.accession_id;
    let long = |n: usize| "x".repeat(n);
    let mut names = seed_accession("ZDM00002");
    names["accession_names"] = json!(long(501));
    let mut number = seed_accession(&long(65));
    number["accession_number"] = json!(long(65));
    let mut remarks = seed_accession("ZDM00003");
    remarks["remarks"] = json!("界".repeat(4001));
    let cases: Vec<(&str, String, Value, &str)> = vec![
        (
            "POST",
            "/api/v1/accessions".into(),
            names,
            "accession_names",
        ),
        (
            "POST",
            "/api/v1/accessions".into(),
            number,
            "accession_number",
        ),
        ("POST", "/api/v1/accessions".into(), remarks, "remarks"),
        (
            "PATCH",
            format!("/api/v1/accessions/{acc}"),
            json!({"collecting_site": long(501)}),
            "collecting_site",
        ),
        (
            "POST",
            format!("/api/v1/accessions/{acc}/deaccession"),
            json!({"reason": long(1001)}),
            "reason",
        ),
        (
            "POST",
            "/api/v1/tokens".into(),
            json!({"name": long(101)}),
            "name",
        ),
        (
            "POST",
            "/api/v1/register".into(),
            json!({"username": long(41), "display_name": "A", "email": "a@example.org", "institution": "I", "password": PASSWORD}),
            "username",
        ),
    ];
    for (method, path, body, field) in cases {
        let got = s
            .app
            .json(method, &path, Some(&s.curator), Some(body))
            .await;
        assert_error(
            &format!("{method} {path} with a long {field}"),
            got,
            Status::UnprocessableEntity,
            Some(field),
        );
    }
    let got = s
        .app
        .json(
            "GET",
            &format!("/api/v1/accessions?q={}", long(201)),
            Some(&s.curator),
            None,
        )
        .await;
    assert_error("a long search", got, Status::BadRequest, Some("q"));
    assert_eq!(s.app.count_rows("accessions").await, 1);
}

#[rocket::async_test]
async fn a_body_over_one_mebibyte_is_413_and_writes_nothing() {
    let s = setup().await;
    let mut body = seed_accession("ZDM00002");
    body["remarks"] = json!("x".repeat(1024 * 1024 + 10));
    let got = s
        .app
        .json("POST", "/api/v1/accessions", Some(&s.curator), Some(body))
        .await;
    assert_error(
        "1 MiB of remarks",
        got.clone(),
        Status::PayloadTooLarge,
        None,
    );
    assert_eq!(error_of(&got.1)["code"], "too_large");

    let mut body = seed_accession("ZDM00003");
    body["remarks"] = json!("x".repeat(1000 * 1000));
    let got = s
        .app
        .json("POST", "/api/v1/accessions", Some(&s.curator), Some(body))
        .await;
    assert_error(
        "just under the limit",
        got,
        Status::UnprocessableEntity,
        Some("remarks"),
    );
    assert_eq!(s.app.count_rows("accessions").await, 1);
}

#[rocket::async_test]
async fn invalid_utf8_and_wrong_content_types_are_400() {
    let s = setup().await;
    let bytes: Vec<u8> = [
        b"{\"material_type\": \"seed\", \"genus\": \"".as_slice(),
        &[0xff, 0xfe],
        b"\"}",
    ]
    .concat();
    let got = send_raw(
        &s.app,
        "POST",
        "/api/v1/accessions",
        Some(&s.curator),
        Some(ContentType::JSON),
        bytes,
    )
    .await;
    assert_error("invalid UTF-8", got.clone(), Status::BadRequest, None);
    assert!(
        got.1["error"]["message"]
            .as_str()
            .unwrap()
            .contains("UTF-8")
    );

    let json_text = seed_accession("ZDM00002").to_string();
    for ct in [ContentType::Plain, ContentType::Form, ContentType::XML] {
        let got = send_raw(
            &s.app,
            "POST",
            "/api/v1/accessions",
            Some(&s.curator),
            Some(ct.clone()),
            &json_text,
        )
        .await;
        assert_error(
            &format!("Content-Type {ct}"),
            got.clone(),
            Status::BadRequest,
            None,
        );
        assert!(
            got.1["error"]["message"]
                .as_str()
                .unwrap()
                .contains("Content-Type"),
            "the message says what was wrong: {}",
            got.1
        );
    }
    assert_eq!(
        s.app.count_rows("accessions").await,
        1,
        "nothing was written"
    );
}

/// True when `text` appears on the page HTML-escaped: `<` as `&lt;` (askama writes the
/// numeric `&#60;`), and so on for `>`, `&`, `"` and `'`. An attribute's own quotes stay.
fn shows_escaped(html: &str, text: &str) -> bool {
    let (attr, inner) = match text
        .strip_prefix("value=\"")
        .and_then(|t| t.strip_suffix('"'))
    {
        Some(inner) => ("value=\"", inner),
        None => ("", text),
    };
    let escape = |named: bool| -> String {
        let mut out = String::from(attr);
        for c in inner.chars() {
            match (c, named) {
                ('<', true) => out.push_str("&lt;"),
                ('>', true) => out.push_str("&gt;"),
                ('&', true) => out.push_str("&amp;"),
                ('"', true) => out.push_str("&quot;"),
                ('<', false) => out.push_str("&#60;"),
                ('>', false) => out.push_str("&#62;"),
                ('&', false) => out.push_str("&#38;"),
                ('"', false) => out.push_str("&#34;"),
                ('\'', _) => out.push_str("&#39;"),
                (c, _) => out.push(c),
            }
        }
        if !attr.is_empty() {
            out.push('"');
        }
        out
    };
    html.contains(&escape(true)) || html.contains(&escape(false))
}

#[rocket::async_test]
async fn sql_and_html_metacharacters_are_stored_verbatim_and_escaped_on_pages() {
    let app = app().await;
    let curator = app.token(Role::Curator).await;
    app.user("carla", Role::Curator).await;
    let drop = "'; DROP TABLE accessions; --";
    let script = "<script>alert(1)</script>";
    let mut body = seed_accession("O'Neil-1");
    body["accession_names"] = json!(drop);
    body["remarks"] = json!(script);
    body["collecting_site"] = json!("\"quoted\" & <b>bold</b>");
    let created = app.register_accession(&curator, body).await;
    let id = created["id"].as_i64().unwrap();

    let (_, shown) = app
        .json(
            "GET",
            &format!("/api/v1/accessions/{id}"),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(shown["accession_names"], drop, "stored verbatim");
    assert_eq!(shown["remarks"], script);
    assert_eq!(shown["accession_number"], "O'Neil-1");
    assert_eq!(
        app.count_rows("accessions").await,
        1,
        "the table is still there"
    );

    let q = common::form_body(&[("q", drop)]);
    let (status, found) = app
        .json(
            "GET",
            &format!("/api/v1/accessions?{q}"),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(found["total"], 1, "searching for it finds it, and only it");

    assert_eq!(app.sign_in("carla", PASSWORD).await, Status::SeeOther);
    for page in [
        format!("/accessions/{id}"),
        format!("/accessions/{id}/edit"),
        format!("/accessions?{}", common::form_body(&[("q", "<script>")])),
        "/accessions".to_string(),
        "/audit".to_string(),
    ] {
        let (status, html) = app.get_page(&page).await;
        assert_eq!(status, Status::Ok, "{page}");
        assert!(
            !html.contains("<script>alert"),
            "{page} runs no injected script"
        );
        assert!(!html.contains("<b>bold"), "{page} shows no injected markup");
    }
    let (_, html) = app.get_page(&format!("/accessions/{id}")).await;
    assert!(
        shows_escaped(&html, "<script>alert(1)</script>"),
        "the remark is shown escaped"
    );
    assert!(shows_escaped(&html, drop), "the name is shown escaped");
    let (_, html) = app
        .get_page(&biobank::domain::pid::resolver_path(
            created["pid"].as_str().unwrap(),
            "http://127.0.0.1:8000",
        ))
        .await;
    assert!(
        shows_escaped(&html, script) && !html.contains("<script>alert"),
        "public page too"
    );

    // A refused form shows the typed text again, escaped.
    let (_, form) = app.get_page("/accessions/new").await;
    let token = common::csrf_from(&form);
    let res = app
        .client
        .post("/accessions")
        .header(ContentType::Form)
        .body(form_body(&[
            ("csrf_token", &token),
            ("material_type", "seed"),
            ("accession_number", "ZDM00009"),
            ("genus", "Oryza"),
            ("accession_names", script),
            ("latitude", "95"),
        ]))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::UnprocessableEntity);
    let html = res.into_string().await.unwrap();
    assert!(
        shows_escaped(&html, &format!("value=\"{script}\"")),
        "the typed value is shown again, escaped"
    );
    assert!(!html.contains("<script>alert"));
}

#[rocket::async_test]
async fn malformed_query_strings_are_400_naming_the_parameter() {
    let s = setup().await;
    let cases = [
        ("/api/v1/accessions?page=abc", "page"),
        ("/api/v1/accessions?page=0", "page"),
        ("/api/v1/accessions?page=-1", "page"),
        ("/api/v1/accessions?page=99999999999999999999999", "page"),
        ("/api/v1/accessions?per_page=0", "per_page"),
        ("/api/v1/accessions?per_page=201", "per_page"),
        ("/api/v1/accessions?per_page=ten", "per_page"),
        ("/api/v1/accessions?sort=drop", "sort"),
        (
            "/api/v1/accessions?sort=id;DROP%20TABLE%20accessions",
            "sort",
        ),
        ("/api/v1/accessions?dir=sideways", "dir"),
        ("/api/v1/accessions?material_type=rock", "material_type"),
        ("/api/v1/accessions?status=lost", "status"),
        ("/api/v1/audit?from=yesterday", "from"),
        ("/api/v1/audit?to=2024-13-01", "to"),
        ("/api/v1/audit?per_page=0", "per_page"),
        ("/api/v1/users?status=everyone", "status"),
    ];
    for (path, param) in cases {
        let got = s.app.json("GET", path, Some(&s.curator), None).await;
        assert_error(path, got, Status::BadRequest, Some(param));
    }

    app_pages_refuse_bad_queries().await;
}

async fn app_pages_refuse_bad_queries() {
    let app = app().await;
    app.user("carla", Role::Curator).await;
    assert_eq!(app.sign_in("carla", PASSWORD).await, Status::SeeOther);
    for (path, param) in [
        ("/accessions?page=abc", "page"),
        ("/accessions?per_page=0", "per_page"),
        ("/accessions?sort=drop", "sort"),
        ("/accessions?material_type=rock", "material_type"),
        ("/audit?from=last%20week", "from"),
    ] {
        let (status, html) = app.get_page(path).await;
        assert_eq!(status, Status::BadRequest, "{path}");
        assert!(
            html.contains(&format!("{param}:")),
            "{path}: the page names {param}"
        );
    }
}

#[rocket::async_test]
async fn unknown_ids_are_404_with_the_json_error_body() {
    let s = setup().await;
    let admin = s.app.token(Role::Admin).await;
    let cases: Vec<(&str, &str, Option<Value>)> = vec![
        ("GET", "/api/v1/accessions/999999", None),
        ("GET", "/api/v1/accessions/-1", None),
        (
            "PATCH",
            "/api/v1/accessions/999999",
            Some(json!({"remarks": "x"})),
        ),
        (
            "POST",
            "/api/v1/accessions/999999/deaccession",
            Some(json!({"reason": "x"})),
        ),
        ("GET", "/api/v1/accessions/999999/samples", None),
        (
            "POST",
            "/api/v1/accessions/999999/samples",
            Some(sample_body(1.0)),
        ),
        ("GET", "/api/v1/samples/999999", None),
        ("GET", "/api/v1/samples/999999/ledger", None),
        (
            "PATCH",
            "/api/v1/users/999999",
            Some(json!({"status": "active"})),
        ),
        ("DELETE", "/api/v1/tokens/999999", None),
        ("GET", "/api/v1/no-such-thing", None),
    ];
    for (method, path, body) in cases {
        let (status, got) = s.app.json(method, path, Some(&admin), body).await;
        assert_eq!(status, Status::NotFound, "{method} {path}: {got}");
        let err = error_of(&got);
        assert_eq!(err["code"], "not_found", "{method} {path}");
        let keys: Vec<&String> = err.keys().collect();
        assert_eq!(
            keys,
            ["code", "message"],
            "{method} {path}: only code and message"
        );
    }
    for path in [
        "/api/v1/accessions/abc",
        "/api/v1/samples/1.5/ledger",
        "/api/v1/accessions/99999999999999999999",
    ] {
        // An id that is not a whole number is a malformed address, not a missing record.
        let (status, got) = s.app.json("GET", path, Some(&admin), None).await;
        assert_eq!(status, Status::BadRequest, "{path}: {got}");
        assert_eq!(error_of(&got)["code"], "bad_request", "{path}");
    }
    assert_eq!(s.app.count_rows("samples").await, 0);
}

#[rocket::async_test]
async fn pages_for_unknown_records_are_404() {
    let app = app_untracked().await;
    app.user("carla", Role::Curator).await;
    let mut b = app.signed_in_browser("carla", PASSWORD).await;
    for path in [
        "/accessions/999999",
        "/accessions/999999/edit",
        "/samples/999999",
        "/s/0000-0000-0",
        "/id/CHN001-NOTHING",
    ] {
        let res = app.browse(&mut b, "GET", path, None).await;
        assert_eq!(res.status, Status::NotFound, "{path}");
        assert!(
            res.body.contains("<html"),
            "{path}: an HTML page for people"
        );
    }
}

/// The text of the field block that holds an input, from its label to the next field.
fn field_block<'a>(html: &'a str, name: &str) -> &'a str {
    let at = html
        .find(&format!("id=\"f-{name}\""))
        .unwrap_or_else(|| panic!("an input {name}"));
    let start = html[..at].rfind("<div class=\"field").unwrap();
    let end = html[at..]
        .find("<div class=\"field")
        .map(|e| at + e)
        .unwrap_or(html.len());
    &html[start..end]
}

#[rocket::async_test]
async fn the_accession_form_with_errors_keeps_the_input_and_explains_beside_the_field() {
    let app = app_untracked().await;
    app.user("carla", Role::Curator).await;
    let mut b = app.signed_in_browser("carla", PASSWORD).await;
    let res = app
        .browse(
            &mut b,
            "POST",
            "/accessions",
            Some(&[
                ("material_type", "seed"),
                ("accession_number", "ZDM00100"),
                ("genus", "Oryza"),
                ("accession_names", "Nanjing 11"),
                ("latitude", "95"),
                ("origin_country", "China"),
                ("acquisition_date", "19841345"),
            ]),
        )
        .await;
    assert_eq!(res.status, Status::UnprocessableEntity);
    let html = &res.body;
    assert!(
        field_block(html, "accession_names").contains("value=\"Nanjing 11\""),
        "input kept"
    );
    assert!(field_block(html, "accession_number").contains("value=\"ZDM00100\""));
    for (field, value) in [
        ("latitude", "95"),
        ("origin_country", "China"),
        ("acquisition_date", "19841345"),
    ] {
        let block = field_block(html, field);
        assert!(
            block.contains(&format!("value=\"{value}\"")),
            "{field} keeps {value}"
        );
        assert!(
            block.contains("field-error"),
            "{field} has its message beside it: {block}"
        );
        assert!(
            block.contains("aria-invalid=\"true\""),
            "{field} is marked invalid"
        );
    }
    let block = field_block(html, "genus");
    assert!(
        !block.contains("field-error"),
        "a valid field has no message"
    );
    assert!(
        html.contains("<option value=\"seed\" selected>"),
        "the material type stays chosen"
    );
    assert_eq!(app.count_rows("accessions").await, 0);

    // The edit form does the same.
    let curator = app.token(Role::Curator).await;
    let a = app
        .register_accession(&curator, seed_accession("ZDM00101"))
        .await;
    let id = a["id"].as_i64().unwrap();
    let res = app
        .browse(
            &mut b,
            "POST",
            &format!("/accessions/{id}"),
            Some(&[
                ("accession_number", "ZDM00101"),
                ("genus", "Oryza"),
                ("elevation_m", "high"),
            ]),
        )
        .await;
    assert_eq!(res.status, Status::UnprocessableEntity);
    let block = field_block(&res.body, "elevation_m");
    assert!(block.contains("value=\"high\"") && block.contains("field-error"));
    let (_, kept) = app
        .json(
            "GET",
            &format!("/api/v1/accessions/{id}"),
            Some(&curator),
            None,
        )
        .await;
    assert_eq!(
        kept["accession_names"], "Nanjing 11",
        "a refused edit changes nothing"
    );
}

#[rocket::async_test]
async fn a_form_body_over_the_limit_is_413() {
    let app = app_untracked().await;
    app.user("carla", Role::Curator).await;
    let mut b = app.signed_in_browser("carla", PASSWORD).await;
    let huge = "x".repeat(300 * 1024);
    for path in ["/accessions", "/login"] {
        let res = app
            .browse(
                &mut b,
                "POST",
                path,
                Some(&[
                    ("material_type", "seed"),
                    ("accession_number", "Z1"),
                    ("genus", "Oryza"),
                    ("remarks", &huge),
                    ("username", "a"),
                    ("password", "b"),
                ]),
            )
            .await;
        assert_eq!(res.status, Status::PayloadTooLarge, "{path}");
        assert!(res.body.contains("<html"), "{path}: a page, not a crash");
    }
    assert_eq!(app.count_rows("accessions").await, 0);
}

#[rocket::async_test]
async fn control_characters_are_refused_rather_than_stored() {
    let s = setup().await;
    let nul = "a\u{0}b";
    let mut seed = seed_accession("ZDM00002");
    seed["accession_names"] = json!(nul);
    let got = s
        .app
        .json("POST", "/api/v1/accessions", Some(&s.curator), Some(seed))
        .await;
    assert_error(
        "NUL in a name",
        got,
        Status::UnprocessableEntity,
        Some("accession_names"),
    );
    let got = s
        .app
        .json(
            "POST",
            "/api/v1/tokens",
            Some(&s.curator),
            Some(json!({"name": nul})),
        )
        .await;
    assert_error(
        "NUL in a token name",
        got,
        Status::UnprocessableEntity,
        Some("name"),
    );
    let got = s
        .app
        .json(
            "POST",
            "/api/v1/register",
            None,
            Some(json!({"username": "abc", "display_name": "A", "email": "a\u{0}@example.org", "institution": "I", "password": PASSWORD})),
        )
        .await;
    assert_error(
        "NUL in an e-mail",
        got,
        Status::UnprocessableEntity,
        Some("email"),
    );
    let got = s
        .app
        .json(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(json!({"username": nul, "password": "x"})),
        )
        .await;
    assert_eq!(
        got.0,
        Status::UnprocessableEntity,
        "a NUL username is just a wrong one: {}",
        got.1
    );
    for (path, param) in [
        ("/api/v1/accessions?q=a%00b", "q"),
        ("/api/v1/audit?user=a%00b", "user"),
        ("/api/v1/audit?table=a%00b", "table"),
        ("/api/v1/audit?row_id=%00", "row_id"),
    ] {
        let got = s.app.json("GET", path, Some(&s.curator), None).await;
        assert_error(path, got, Status::BadRequest, Some(param));
    }
    let (status, _) = s.app.json("GET", "/id/CHN001-%00", None, None).await;
    assert_eq!(status, Status::NotFound, "no identifier holds a NUL");
    assert_eq!(s.app.count_rows("accessions").await, 1);
}

#[rocket::async_test]
async fn no_route_answers_500_to_garbage() {
    let app = app_untracked().await;
    let admin = app.token(Role::Admin).await;
    app.user("root", Role::Admin).await;
    let a = app
        .register_accession(&admin, seed_accession("ZDM00001"))
        .await;
    let id = a["id"].as_i64().unwrap();
    let sample = app.add_sample(&admin, id, sample_body(5.0)).await;
    let sid = sample["id"].as_i64().unwrap();
    let mut browser = app.signed_in_browser("root", PASSWORD).await;

    let api_routes: Vec<(&str, String)> = vec![
        ("POST", "/api/v1/auth/token".into()),
        ("POST", "/api/v1/register".into()),
        ("POST", "/api/v1/tokens".into()),
        ("POST", "/api/v1/me/password".into()),
        ("POST", "/api/v1/accessions".into()),
        ("PATCH", format!("/api/v1/accessions/{id}")),
        ("POST", format!("/api/v1/accessions/{id}/samples")),
        ("POST", "/api/v1/users".into()),
        ("PATCH", "/api/v1/users/1".into()),
        ("POST", format!("/api/v1/accessions/{id}/deaccession")),
    ];
    let bodies: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"null".to_vec(),
        b"[]".to_vec(),
        b"{}".to_vec(),
        b"\"text\"".to_vec(),
        b"123".to_vec(),
        b"1e400".to_vec(),
        b"{\"quantity\": 1e400}".to_vec(),
        b"{\"quantity\": -1, \"form\": \"vial\", \"unit\": \"vials\", \"conservation_purpose\": \"base\"}".to_vec(),
        b"{\"name\": \"\\u0000\"}".to_vec(),
        b"{\"username\": \"\\ud800\", \"password\": \"x\"}".to_vec(),
        b"{\"material_type\": \"seed\", \"accession_number\": \"\\u0000\", \"genus\": \"Oryza\"}".to_vec(),
        b"{\"material_type\": \"seed\", \"accession_number\": \"A:1\", \"genus\": \"Oryza\", \"latitude\": 1e308}".to_vec(),
        b"{\"material_type\": \"specimen\", \"accession_number\": \"B1\", \"donor_code\": \"D-1\", \"specimen_type\": \"serum\", \"sample_source\": \"human\", \"collection_datetime\": \"9999-99-99\"}".to_vec(),
        b"{\"risk_group\": 99999999999999999999, \"elevation_m\": -99999999999}".to_vec(),
        b"{\"status\": \"\", \"role\": \"\"}".to_vec(),
        vec![0xff, 0x00, 0xfe],
        "{\"a\": 1}".repeat(1000).into_bytes(),
    ];
    let mut fives = Vec::new();
    for (method, path) in &api_routes {
        for body in &bodies {
            let (status, answer) = send_raw(
                &app,
                method,
                path,
                Some(&admin),
                Some(ContentType::JSON),
                body,
            )
            .await;
            if status.code >= 500 {
                fives.push(format!(
                    "{method} {path} {:?}: {answer}",
                    String::from_utf8_lossy(body)
                ));
            }
        }
    }
    let queries = [
        "?page=%ZZ",
        "?q=%00",
        "?per_page=-1",
        "?page=1000000&per_page=200",
        "?sort=",
        "?q=%25%5F%5C",
        "?from=2024-02-30",
        "?user=%27",
        "?status=%00",
    ];
    for base in [
        "/api/v1/accessions",
        "/api/v1/audit",
        "/api/v1/users",
        "/accessions",
        "/audit",
        "/users",
    ] {
        for q in queries {
            let path = format!("{base}{q}");
            let status = if base.starts_with("/api") {
                app.json("GET", &path, Some(&admin), None).await.0
            } else {
                app.browse(&mut browser, "GET", &path, None).await.status
            };
            if status.code >= 500 {
                fives.push(format!("GET {path}: {status}"));
            }
        }
    }
    let forms: Vec<(String, String)> = vec![
        ("/accessions".into(), "%%%".into()),
        ("/accessions".into(), "csrf_token=a&csrf_token=b".into()),
        (format!("/accessions/{id}"), "material_type=strain".into()),
        (format!("/accessions/{id}/samples"), "quantity=1e400".into()),
        (format!("/accessions/{id}/deaccession"), "reason=%00".into()),
        ("/users".into(), "role=god".into()),
        ("/users/1".into(), "status=%00".into()),
        (
            "/account/tokens".into(),
            "name=%00&days=99999999999999999999".into(),
        ),
        ("/account/password".into(), "current_password=%00".into()),
        ("/login".into(), "username=%00&password=%00".into()),
        ("/register".into(), "username=%00".into()),
    ];
    for (path, raw) in forms {
        for with_token in [false, true] {
            let body = if with_token {
                format!("csrf_token={}&{raw}", browser.csrf)
            } else {
                raw.clone()
            };
            let res = app
                .browse_raw(&mut browser, "POST", &path, Some(body))
                .await;
            if res.status.code >= 500 {
                fives.push(format!("POST {path} {raw:?}: {}", res.status));
            }
        }
    }
    for path in [
        format!("/s/{}", "Z".repeat(5000)),
        "/s/%00".into(),
        "/id/%ZZ".into(),
        "/id/%00".into(),
        format!("/samples/{sid}"),
        "/lang/xx?next=//evil".into(),
    ] {
        let res = app.browse(&mut browser, "GET", &path, None).await;
        if res.status.code >= 500 {
            fives.push(format!("GET {path}: {}", res.status));
        }
    }
    assert!(
        fives.is_empty(),
        "server errors for client input:\n{}",
        fives.join("\n")
    );
}
