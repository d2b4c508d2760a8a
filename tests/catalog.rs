//! The public catalog: a visitor searches with facets, opens an accession's public page (with
//! its identifier, a citation and JSON-LD, never donor data) and crawlers read the sitemap.

mod common;

use biobank::domain::material::Role;
use common::{TestApp, app, seed_accession};
use rocket::http::Status;
use serde_json::json;

async fn holdings(app: &TestApp) -> Vec<serde_json::Value> {
    let curator = app.token(Role::Curator).await;
    let mut out = Vec::new();
    for (number, genus, country, available) in [
        ("CAT-1", "Oryza", "CHN", true),
        ("CAT-2", "Oryza", "IND", false),
        ("CAT-3", "Triticum", "CHN", true),
    ] {
        let mut body = seed_accession(number);
        body["genus"] = json!(genus);
        body["origin_country"] = json!(country);
        body["available"] = json!(available);
        body["donor_name"] = json!("Secret Donor Person");
        out.push(app.register_accession(&curator, body).await);
    }
    out
}

#[rocket::async_test]
async fn visitor_searches_the_catalog_with_facets_without_signing_in() {
    let app = app().await;
    holdings(&app).await;
    let (status, html) = app.get_page("/catalog").await;
    assert_eq!(status, Status::Ok);
    assert!(html.contains("CAT-1") && html.contains("CAT-3"));
    assert!(html.contains("data-testid=\"facets\""));
    assert!(html.contains("origin_country=CHN"), "facet links");

    let (_, html) = app.get_page("/catalog?q=oryza").await;
    assert!(html.contains("CAT-1") && html.contains("CAT-2") && !html.contains("CAT-3"));
    let (_, html) = app
        .get_page("/catalog?q=oryza&origin_country=chn&available=yes&material_type=seed")
        .await;
    assert!(html.contains("CAT-1") && !html.contains("CAT-2"));
    let (_, html) = app.get_page("/catalog?available=no").await;
    assert!(html.contains("CAT-2") && !html.contains("CAT-1"));
    let (_, html) = app.get_page("/catalog?per_page=1&page=2").await;
    assert!(html.contains("2 / 3"), "paginated");
    assert!(!html.contains("Secret Donor Person"));

    for (query, field) in [
        ("material_type=rock", "material_type"),
        ("origin_country=China", "origin_country"),
        ("available=maybe", "available"),
        ("biological_status=wild", "biological_status"),
        ("page=0", "page"),
    ] {
        let (status, html) = app.get_page(&format!("/catalog?{query}")).await;
        assert_eq!(status, Status::BadRequest, "{query}");
        assert!(html.contains(&format!("{field}:")), "{query} names {field}");
    }
}

#[rocket::async_test]
async fn accession_page_shows_pid_citation_and_json_ld_but_no_donor() {
    let app = app().await;
    let accs = holdings(&app).await;
    let (_, list) = app.get_page("/catalog?q=CAT-1").await;
    let start = list
        .find("href=\"/catalog/")
        .expect("link to the accession")
        + 6;
    let href = &list[start..start + list[start..].find('"').unwrap()];
    let (status, html) = app.get_page(href).await;
    assert_eq!(status, Status::Ok, "{href}");
    let pid = accs[0]["pid"].as_str().unwrap();
    assert!(html.contains(pid));
    assert!(html.contains("data-testid=\"citation\""));
    assert!(
        !html.contains("Secret Donor Person"),
        "donor data stays private"
    );
    let ld_start = html
        .find("<script type=\"application/ld+json\">")
        .expect("JSON-LD")
        + 35;
    let ld_end = ld_start + html[ld_start..].find("</script>").unwrap();
    let ld: serde_json::Value =
        serde_json::from_str(&html[ld_start..ld_end]).expect("JSON-LD parses");
    assert_eq!(ld["@context"], "https://schema.org");
    assert_eq!(ld["identifier"], pid);

    let (status, _) = app.get_page("/catalog/no-such-pid").await;
    assert_eq!(status, Status::NotFound);
}

#[rocket::async_test]
async fn sitemap_lists_the_catalog_and_every_public_accession() {
    let app = app().await;
    holdings(&app).await;
    let res = app.client.get("/sitemap.xml").dispatch().await;
    assert_eq!(res.status(), Status::Ok);
    assert_eq!(res.content_type(), Some(rocket::http::ContentType::XML));
    let xml = res.into_string().await.unwrap();
    assert!(xml.starts_with("<?xml"));
    assert!(xml.contains("/catalog</loc>"));
    assert_eq!(xml.matches("<loc>").count(), 4);
}
