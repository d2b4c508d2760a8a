//! Who may do what: every page and API route, tried by an anonymous visitor, a researcher, a
//! technician, a curator and an admin. API routes are driven with bearer tokens, pages with
//! sessions that signed in through the sign-in page.

mod common;

use std::collections::HashMap;

use biobank::domain::material::Role;
use biobank::domain::pid::resolver_path;
use biobank::services::users::{NewUser, create_user};
use biobank::services::{Actor, sessions};
use common::{Browser, PASSWORD, TestApp, app_untracked, sample_body, seed_accession};
use rocket::http::{ContentType, Header, Status};
use serde_json::Value;

/// The people who try each route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Who {
    Anonymous,
    Researcher,
    Technician,
    Curator,
    Admin,
}

const EVERYONE: [Who; 5] = [
    Who::Anonymous,
    Who::Researcher,
    Who::Technician,
    Who::Curator,
    Who::Admin,
];

impl Who {
    fn name(self) -> &'static str {
        match self {
            Who::Anonymous => "anonymous",
            Who::Researcher => "researcher",
            Who::Technician => "technician",
            Who::Curator => "curator",
            Who::Admin => "admin",
        }
    }

    fn role(self) -> Option<Role> {
        match self {
            Who::Anonymous => None,
            Who::Researcher => Some(Role::Researcher),
            Who::Technician => Some(Role::Technician),
            Who::Curator => Some(Role::Curator),
            Who::Admin => Some(Role::Admin),
        }
    }
}

/// Who a route admits.
#[derive(Debug, Clone, Copy)]
enum Need {
    Public,
    SignedIn,
    Staff,
    Curator,
    Admin,
}

impl Need {
    fn admits(self, who: Who) -> bool {
        match self {
            Need::Public => true,
            Need::SignedIn => who != Who::Anonymous,
            Need::Staff => matches!(who, Who::Technician | Who::Curator | Who::Admin),
            Need::Curator => matches!(who, Who::Curator | Who::Admin),
            Need::Admin => who == Who::Admin,
        }
    }
}

/// A request body; `{name}` placeholders are filled per person.
#[derive(Debug, Clone, Copy)]
enum Body {
    None,
    Json(&'static str),
    Form(&'static [(&'static str, &'static str)]),
}

/// One row of the matrix: a request, who it admits, and the status when admitted.
#[derive(Debug, Clone, Copy)]
struct Case {
    method: &'static str,
    path: &'static str,
    body: Body,
    need: Need,
    allowed: u16,
}

const fn case(
    method: &'static str,
    path: &'static str,
    body: Body,
    need: Need,
    allowed: u16,
) -> Case {
    Case {
        method,
        path,
        body,
        need,
        allowed,
    }
}

const NEW_PASSWORD: &str = "a much longer passphrase";
const NEWER_PASSWORD: &str = "yet another long passphrase";

/// Pages first; the cases that end sessions (password change, sign-out) come last among the
/// pages, and the API password change (which ends every browser session) comes last of all.
const CASES: &[Case] = &[
    // public pages
    case("GET", "/", Body::None, Need::Public, 200),
    case("GET", "/login", Body::None, Need::Public, 200),
    case("GET", "/register", Body::None, Need::Public, 200),
    case("GET", "/lang/en?next=/", Body::None, Need::Public, 303),
    case("GET", "/static/app.css", Body::None, Need::Public, 200),
    case("GET", "/static/app.js", Body::None, Need::Public, 200),
    case("GET", "/static/scan.js", Body::None, Need::Public, 200),
    case(
        "GET",
        "/static/vendor/zxing.min.js",
        Body::None,
        Need::Public,
        200,
    ),
    case(
        "GET",
        "/setup/not-a-setup-token",
        Body::None,
        Need::Public,
        404,
    ),
    case("GET", "/id/{pid}", Body::None, Need::Public, 200),
    case("GET", "/catalog", Body::None, Need::Public, 200),
    case(
        "GET",
        "/catalog?q=oryza&material_type=seed&available=yes",
        Body::None,
        Need::Public,
        200,
    ),
    case("GET", "/catalog/{pid}", Body::None, Need::Public, 200),
    case("GET", "/sitemap.xml", Body::None, Need::Public, 200),
    // request pages
    case("GET", "/requests", Body::None, Need::SignedIn, 200),
    case(
        "GET",
        "/requests?status=submitted",
        Body::None,
        Need::SignedIn,
        200,
    ),
    case(
        "GET",
        "/requests/new?accession={req_acc}",
        Body::None,
        Need::SignedIn,
        200,
    ),
    case(
        "POST",
        "/requests",
        Body::Form(&[
            ("accession_1", "{req_acc}"),
            ("quantity_1", "1"),
            ("unit_1", "seeds"),
            ("intended_use", "research"),
            ("project_description", "page matrix by {who}"),
            ("shipping_address", "Lab of {who}"),
        ]),
        Need::SignedIn,
        303,
    ),
    case(
        "GET",
        "/requests/{page_req}",
        Body::None,
        Need::SignedIn,
        200,
    ),
    case(
        "POST",
        "/requests/{page_req}/submit",
        Body::Form(&[]),
        Need::SignedIn,
        303,
    ),
    // agreements and paperwork: each person's own draft has no agreement yet
    case(
        "GET",
        "/requests/{page_req}/mta.pdf",
        Body::None,
        Need::SignedIn,
        404,
    ),
    case(
        "GET",
        "/requests/{page_req}/packing-list.pdf",
        Body::None,
        Need::Staff,
        409,
    ),
    case(
        "POST",
        "/requests/{page_req}/mta/signed-copy",
        Body::Form(&[("file", "%PDF-1.4 signed")]),
        Need::SignedIn,
        409,
    ),
    case(
        "POST",
        "/requests/{page_req}/mta/confirm",
        Body::Form(&[]),
        Need::Curator,
        409,
    ),
    case("GET", "/admin/mta-templates", Body::None, Need::Admin, 200),
    case(
        "POST",
        "/admin/mta-templates",
        Body::Form(&[
            ("kind", "ubmta"),
            ("name", "Text by {who}"),
            ("body", "Terms by {who}"),
        ]),
        Need::Admin,
        303,
    ),
    case("GET", "/api/docs/", Body::None, Need::Public, 200),
    // staff and curator pages
    case("GET", "/accessions", Body::None, Need::Staff, 200),
    case(
        "GET",
        "/accessions?q=oryza&material_type=seed&sort=taxon_name",
        Body::None,
        Need::Staff,
        200,
    ),
    case("GET", "/accessions/new", Body::None, Need::Curator, 200),
    case("GET", "/accessions/{acc}", Body::None, Need::Staff, 200),
    case(
        "GET",
        "/accessions/{acc}/edit",
        Body::None,
        Need::Curator,
        200,
    ),
    case("GET", "/s/{code}", Body::None, Need::Staff, 200),
    case("GET", "/samples/{sample}", Body::None, Need::Staff, 303),
    case(
        "GET",
        "/samples/{sample}/label.pdf",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "GET",
        "/samples/{sample}/label.zpl",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/labels.pdf?ids={sample}",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/labels.zpl?ids={sample}",
        Body::None,
        Need::Staff,
        200,
    ),
    // no printer is configured in tests: the admitted answer is a clear 409
    case(
        "POST",
        "/api/v1/labels/print?ids={sample}",
        Body::None,
        Need::Staff,
        409,
    ),
    // viability and quality monitoring (pages)
    case("GET", "/s/{code}/tests/new", Body::None, Need::Staff, 200),
    case(
        "GET",
        "/s/{code}/tests/new?test_type=germination",
        Body::None,
        Need::Staff,
        200,
    ),
    case("GET", "/worklists", Body::None, Need::Staff, 200),
    case(
        "GET",
        "/worklists?list=regenerate&material_type=seed",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "GET",
        "/worklists/tests-due/csv",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "GET",
        "/worklists/rebank/pick",
        Body::None,
        Need::Staff,
        200,
    ),
    case("GET", "/viability/policies", Body::None, Need::Curator, 200),
    case(
        "GET",
        "/s/{code}/generations/new",
        Body::None,
        Need::Curator,
        200,
    ),
    case("GET", "/notifications", Body::None, Need::SignedIn, 200),
    case("GET", "/audit", Body::None, Need::Curator, 200),
    // standards exports
    case("GET", "/exports", Body::None, Need::Curator, 200),
    case("GET", "/exports/dwca.zip", Body::None, Need::Curator, 200),
    // open-sharing report
    case("GET", "/reports/sharing", Body::None, Need::Curator, 200),
    case(
        "GET",
        "/reports/sharing.csv",
        Body::None,
        Need::Curator,
        200,
    ),
    case(
        "GET",
        "/reports/sharing.pdf",
        Body::None,
        Need::Curator,
        200,
    ),
    case(
        "GET",
        "/api/v1/reports/sharing",
        Body::None,
        Need::Curator,
        200,
    ),
    case("GET", "/users", Body::None, Need::Curator, 200),
    case("GET", "/account", Body::None, Need::SignedIn, 200),
    // storage and custody (pages)
    case("GET", "/storage", Body::None, Need::Staff, 200),
    case(
        "POST",
        "/storage",
        Body::Form(&[
            ("parent_id", ""),
            ("kind", "site"),
            ("name", "Page site {who}"),
            ("equipment_type", ""),
            ("box_type", ""),
            ("temperature_c", ""),
            ("humidity_pct", ""),
        ]),
        Need::Curator,
        303,
    ),
    case(
        "POST",
        "/storage/from-template",
        Body::Form(&[
            ("parent_id", "{room}"),
            ("name", "Page freezer {who}"),
            ("equipment_type", "freezer_minus80"),
            ("box_type", "rack_8x12"),
            ("racks", "1"),
            ("boxes_per_rack", "1"),
            ("temperature_c", ""),
        ]),
        Need::Curator,
        303,
    ),
    case("GET", "/storage/{own_box}", Body::None, Need::Staff, 200),
    case(
        "GET",
        "/storage/{own_box}/store?position=9",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/storage/{own_box}/store",
        Body::Form(&[("code", "{page_code}"), ("position", "9")]),
        Need::Staff,
        303,
    ),
    case(
        "POST",
        "/storage/{own_box}/stock-take",
        Body::Form(&[("codes", "{code}")]),
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/storage/{own_box}/stock-take/correct",
        Body::Form(&[
            ("codes", "8 {page_code}"),
            ("sample_id", "{page_sample}"),
            ("fix", "here"),
            ("position", "8"),
        ]),
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/storage/{own_box}/move",
        Body::Form(&[("parent_id", "{room}")]),
        Need::Staff,
        303,
    ),
    case(
        "GET",
        "/storage/{own_box}/label.pdf",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "GET",
        "/storage/{own_box}/label.zpl",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "GET",
        "/requests/{queued}/pick-list",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/requests/{queued}/picks",
        Body::Form(&[("code", "{code}")]),
        Need::Staff,
        409,
    ),
    case("GET", "/scan", Body::None, Need::Staff, 200),
    case("GET", "/scan?code={code}", Body::None, Need::Staff, 303),
    case(
        "POST",
        "/samples/{page_sample}/custody/thaw",
        Body::Form(&[("note", "page thaw by {who}")]),
        Need::Staff,
        303,
    ),
    // forms
    case(
        "POST",
        "/login",
        Body::Form(&[("username", "gatekeeper"), ("password", PASSWORD)]),
        Need::Public,
        303,
    ),
    case(
        "POST",
        "/register",
        Body::Form(&[
            ("username", "reg-page-{who}"),
            ("display_name", "Page Registrant"),
            ("email", "page-{who}@example.org"),
            ("institution", "Institute of Crop Science"),
            ("password", PASSWORD),
        ]),
        Need::Public,
        303,
    ),
    case(
        "POST",
        "/setup/not-a-setup-token",
        Body::Form(&[
            ("username", "setup-{who}"),
            ("display_name", "Setup"),
            ("email", "setup@example.org"),
            ("password", PASSWORD),
        ]),
        Need::Public,
        404,
    ),
    case(
        "POST",
        "/accessions",
        Body::Form(&[
            ("material_type", "seed"),
            ("accession_number", "PAGE-{who}"),
            ("genus", "Oryza"),
            ("species", "sativa"),
        ]),
        Need::Curator,
        303,
    ),
    case(
        "POST",
        "/accessions/{acc}",
        Body::Form(&[
            ("material_type", "seed"),
            ("accession_number", "SHARED-1"),
            ("genus", "Oryza"),
            ("species", "sativa"),
            ("remarks", "edited on the page by {who}"),
        ]),
        Need::Curator,
        303,
    ),
    case(
        "POST",
        "/accessions/{acc}/samples",
        Body::Form(&[
            ("form", "seed_packet"),
            ("quantity", "250"),
            ("unit", "seeds"),
            ("conservation_purpose", "active"),
            ("generation", ""),
            ("passage", ""),
            ("moisture_pct", ""),
            ("banked_on", ""),
            ("notes", ""),
        ]),
        Need::Curator,
        303,
    ),
    case(
        "POST",
        "/accessions/{doomed_page}/deaccession",
        Body::Form(&[("reason", "lost in a freezer failure")]),
        Need::Curator,
        303,
    ),
    case(
        "POST",
        "/s/{code}/tests",
        Body::Form(&[
            ("test_type", "tetrazolium"),
            ("tested_on", "2025-01-10"),
            ("result_pct", "92"),
            ("conclusive", "true"),
        ]),
        Need::Staff,
        303,
    ),
    case(
        "POST",
        "/viability/policies",
        Body::Form(&[
            ("material_type", "seed"),
            ("conservation_purpose", "active"),
            ("interval_days", "1500"),
            ("threshold_fraction", "0.85"),
            ("default_temperature_c", "5"),
        ]),
        Need::Admin,
        303,
    ),
    case(
        "POST",
        "/s/{code}/generations",
        Body::Form(&[("quantity", "300"), ("banked_on", "2025-09-01")]),
        Need::Curator,
        303,
    ),
    case(
        "POST",
        "/notifications/read",
        Body::Form(&[]),
        Need::SignedIn,
        303,
    ),
    case(
        "POST",
        "/viability/species",
        Body::Form(&[
            ("genus", "Matrixia"),
            ("species", "{who}"),
            ("ke", "8.0"),
            ("cw", "4.5"),
            ("source", "role matrix"),
        ]),
        Need::Curator,
        303,
    ),
    case(
        "POST",
        "/users",
        Body::Form(&[
            ("username", "staff-page-{who}"),
            ("display_name", "New Technician"),
            ("email", ""),
            ("role", "technician"),
            ("password", PASSWORD),
        ]),
        Need::Admin,
        303,
    ),
    case(
        "POST",
        "/users/{pending_page}",
        Body::Form(&[("status", "active")]),
        Need::Curator,
        303,
    ),
    case(
        "POST",
        "/account/tokens",
        Body::Form(&[("name", "page token {who}"), ("days", "30")]),
        Need::SignedIn,
        200,
    ),
    case(
        "POST",
        "/account/tokens/{spare_token_page}/revoke",
        Body::Form(&[]),
        Need::SignedIn,
        303,
    ),
    case(
        "POST",
        "/account/password",
        Body::Form(&[
            ("current_password", PASSWORD),
            ("new_password", NEW_PASSWORD),
            ("confirm_password", NEW_PASSWORD),
        ]),
        Need::SignedIn,
        303,
    ),
    case("POST", "/logout", Body::Form(&[]), Need::Public, 303),
    // the JSON API
    case("GET", "/health", Body::None, Need::Public, 200),
    case("GET", "/api/v1/openapi.json", Body::None, Need::Public, 200),
    case(
        "GET",
        "/api/v1/exports/miabis.json",
        Body::None,
        Need::Curator,
        200,
    ),
    case(
        "POST",
        "/api/v1/identifiers/registered",
        Body::Json(r#"{"identifiers": ["{pid_full}"]}"#),
        Need::Curator,
        200,
    ),
    // BrAPI: public read, public fields only, like the catalog
    case("GET", "/brapi/v2/serverinfo", Body::None, Need::Public, 200),
    case(
        "GET",
        "/brapi/v2/commoncropnames",
        Body::None,
        Need::Public,
        200,
    ),
    case("GET", "/brapi/v2/germplasm", Body::None, Need::Public, 200),
    case(
        "GET",
        "/brapi/v2/germplasm/{acc}",
        Body::None,
        Need::Public,
        200,
    ),
    case(
        "GET",
        "/brapi/v2/germplasm/{acc}/mcpd",
        Body::None,
        Need::Public,
        200,
    ),
    case("GET", "/brapi/v2/seedlots", Body::None, Need::Public, 200),
    case(
        "GET",
        "/brapi/v2/seedlots/{sample}",
        Body::None,
        Need::Public,
        200,
    ),
    case(
        "GET",
        "/brapi/v2/seedlots/{sample}/transactions",
        Body::None,
        Need::Public,
        200,
    ),
    case(
        "GET",
        "/brapi/v2/seedlots/transactions",
        Body::None,
        Need::Public,
        200,
    ),
    case(
        "POST",
        "/api/v1/auth/token",
        Body::Json(r#"{"username": "gatekeeper", "password": "{password}"}"#),
        Need::Public,
        200,
    ),
    case(
        "POST",
        "/api/v1/register",
        Body::Json(
            r#"{"username": "reg-api-{who}", "display_name": "API Registrant",
                "email": "api-{who}@example.org", "institution": "Institute of Crop Science",
                "password": "{password}"}"#,
        ),
        Need::Public,
        201,
    ),
    case("GET", "/api/v1/me", Body::None, Need::SignedIn, 200),
    case("GET", "/api/v1/tokens", Body::None, Need::SignedIn, 200),
    case(
        "POST",
        "/api/v1/tokens",
        Body::Json(r#"{"name": "api token {who}", "expires_in_days": 7}"#),
        Need::SignedIn,
        201,
    ),
    case(
        "DELETE",
        "/api/v1/tokens/{spare_token}",
        Body::None,
        Need::SignedIn,
        204,
    ),
    case("GET", "/api/v1/accessions", Body::None, Need::Staff, 200),
    case(
        "POST",
        "/api/v1/accessions",
        Body::Json(
            r#"{"material_type": "seed", "accession_number": "API-{who}", "genus": "Zea", "species": "mays"}"#,
        ),
        Need::Curator,
        201,
    ),
    case(
        "GET",
        "/api/v1/accessions/{acc}",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "PATCH",
        "/api/v1/accessions/{acc}",
        Body::Json(r#"{"remarks": "patched by {who}"}"#),
        Need::Curator,
        200,
    ),
    case(
        "POST",
        "/api/v1/accessions/{doomed}/deaccession",
        Body::Json(r#"{"reason": "contaminated"}"#),
        Need::Curator,
        200,
    ),
    case(
        "GET",
        "/api/v1/accessions/{acc}/samples",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/api/v1/accessions/{acc}/samples",
        Body::Json(
            r#"{"form": "vial", "quantity": 12, "unit": "vials", "conservation_purpose": "base"}"#,
        ),
        Need::Curator,
        201,
    ),
    case(
        "GET",
        "/api/v1/samples/{sample}",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "GET",
        "/api/v1/samples/{sample}/ledger",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/api/v1/viability-tests",
        Body::Json(
            r#"{"sample_id": {sample}, "test_type": "tetrazolium", "tested_on": "2025-01-10", "result_pct": 91}"#,
        ),
        Need::Staff,
        201,
    ),
    case(
        "POST",
        "/api/v1/samples/{sample}/generations",
        Body::Json(r#"{"quantity": 120, "banked_on": "2025-09-01"}"#),
        Need::Curator,
        201,
    ),
    case(
        "GET",
        "/api/v1/viability/policies",
        Body::None,
        Need::Curator,
        200,
    ),
    case(
        "PUT",
        "/api/v1/viability/policies/seed/active",
        Body::Json(r#"{"interval_days": 1600, "threshold_fraction": 0.85}"#),
        Need::Admin,
        200,
    ),
    case(
        "GET",
        "/api/v1/viability/species-constants",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/api/v1/viability/species-constants",
        Body::Json(
            r#"{"genus": "Apimatrix", "species": "{who}", "ke": 8.0, "cw": 4.5, "source": "role matrix"}"#,
        ),
        Need::Curator,
        201,
    ),
    case(
        "GET",
        "/api/v1/samples/{sample}/viability",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "GET",
        "/api/v1/worklists/tests-due?bucket=overdue",
        Body::None,
        Need::Staff,
        200,
    ),
    case("GET", "/api/v1/users", Body::None, Need::Curator, 200),
    case(
        "POST",
        "/api/v1/users",
        Body::Json(
            r#"{"username": "staff-api-{who}", "password": "{password}", "role": "technician"}"#,
        ),
        Need::Admin,
        201,
    ),
    case(
        "PATCH",
        "/api/v1/users/{pending}",
        Body::Json(r#"{"status": "active"}"#),
        Need::Curator,
        200,
    ),
    case("GET", "/api/v1/audit", Body::None, Need::Curator, 200),
    // storage and custody (API)
    case("GET", "/api/v1/storage", Body::None, Need::Staff, 200),
    case(
        "POST",
        "/api/v1/storage",
        Body::Json(r#"{"kind": "site", "name": "API site {who}"}"#),
        Need::Curator,
        201,
    ),
    case(
        "POST",
        "/api/v1/storage/from-template",
        Body::Json(
            r#"{"parent_id": {room}, "name": "API tank {who}", "equipment_type": "ln2_tank",
                "racks": 1, "boxes_per_rack": 2, "box_type": "cryobox_10x10"}"#,
        ),
        Need::Curator,
        201,
    ),
    case(
        "GET",
        "/api/v1/storage/box-types",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "GET",
        "/api/v1/storage/free-space?box_type=cryobox_9x9&count=3",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "GET",
        "/api/v1/storage/{own_box}",
        Body::None,
        Need::Staff,
        200,
    ),
    case(
        "PATCH",
        "/api/v1/storage/{own_box}",
        Body::Json(r#"{"name": "Box of {who}"}"#),
        Need::Curator,
        200,
    ),
    case(
        "POST",
        "/api/v1/storage/{own_box}/move",
        Body::Json(r#"{"parent_id": {rack2}}"#),
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/api/v1/storage/{own_box}/stock-take",
        Body::Json(r#"{"codes": ["{code}"]}"#),
        Need::Staff,
        200,
    ),
    case("GET", "/api/v1/scan/{code}", Body::None, Need::Staff, 200),
    case(
        "POST",
        "/api/v1/samples/{mine}/store",
        Body::Json(r#"{"storage_unit_id": {own_box}, "position": "1"}"#),
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/api/v1/samples/{mine}/move",
        Body::Json(r#"{"storage_unit_id": {own_box}, "position": "2"}"#),
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/api/v1/samples/{mine}/check-out",
        Body::Json(r#"{"reason": "passage by {who}"}"#),
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/api/v1/samples/{mine}/check-in",
        Body::Json(r#"{}"#),
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/api/v1/samples/{mine}/thaw",
        Body::Json(r#"{}"#),
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/api/v1/samples/{mine}/freeze",
        Body::Json(r#"{}"#),
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/api/v1/samples/{mine}/aliquot",
        Body::Json(r#"{"count": 2, "quantity_each": 5}"#),
        Need::Staff,
        201,
    ),
    case(
        "POST",
        "/api/v1/samples/{mine}/mark-missing",
        Body::Json(r#"{"note": "not in its box ({who})"}"#),
        Need::Staff,
        200,
    ),
    case(
        "POST",
        "/api/v1/samples/{mine}/discard",
        Body::Json(r#"{"reason": "matrix test by {who}"}"#),
        Need::Staff,
        200,
    ),
    // distribution requests: each person works on their own draft; curators review a
    // request the gatekeeper researcher submitted for them
    case(
        "POST",
        "/api/v1/requests",
        Body::Json(
            r#"{"items": [{"accession_id": {req_acc}, "quantity": 2, "unit": "seeds"}], "intended_use": "research", "project_description": "matrix by {who}", "shipping_address": "Lab of {who}"}"#,
        ),
        Need::SignedIn,
        201,
    ),
    case("GET", "/api/v1/requests", Body::None, Need::SignedIn, 200),
    case(
        "GET",
        "/api/v1/requests/{req}",
        Body::None,
        Need::SignedIn,
        200,
    ),
    case(
        "POST",
        "/api/v1/requests/{req}/documents",
        Body::Json(
            r#"{"doc_type": "import_permit", "filename": "permit.pdf", "content_type": "application/pdf", "data_base64": "JVBERi0xLjQK"}"#,
        ),
        Need::SignedIn,
        201,
    ),
    case(
        "POST",
        "/api/v1/requests/{req}/submit",
        Body::None,
        Need::SignedIn,
        200,
    ),
    case(
        "POST",
        "/api/v1/requests/{queued}/review",
        Body::None,
        Need::Curator,
        200,
    ),
    case(
        "GET",
        "/api/v1/requests/{queued}/pick-list",
        Body::None,
        Need::Staff,
        200,
    ),
    // Picking has not started on a request under review: staff are told so (409).
    case(
        "POST",
        "/api/v1/requests/{queued}/picks",
        Body::Json(r#"{"code": "{code}"}"#),
        Need::Staff,
        409,
    ),
    case(
        "GET",
        "/api/v1/requests/{req}/mta.pdf",
        Body::None,
        Need::SignedIn,
        404,
    ),
    case(
        "POST",
        "/api/v1/requests/{req}/mta/signed-copy",
        Body::Json(r#"{"filename": "signed.pdf", "data_base64": "JVBERi0xLjQK"}"#),
        Need::SignedIn,
        409,
    ),
    case(
        "POST",
        "/api/v1/requests/{req}/mta/confirm-signed-copy",
        Body::None,
        Need::Curator,
        409,
    ),
    case(
        "GET",
        "/api/v1/mta-templates",
        Body::None,
        Need::Curator,
        200,
    ),
    case(
        "POST",
        "/api/v1/mta-templates",
        Body::Json(r#"{"kind": "smta", "name": "SMTA text by {who}", "body": "Terms by {who}"}"#),
        Need::Admin,
        201,
    ),
    case(
        "GET",
        "/api/v1/reports/smta.csv",
        Body::None,
        Need::Curator,
        200,
    ),
    case(
        "POST",
        "/api/v1/me/password",
        Body::Json(r#"{"current_password": "{new_password}", "new_password": "{newer_password}"}"#),
        Need::SignedIn,
        204,
    ),
];

/// Everything one person needs to try the routes: credentials and their own targets.
struct Person {
    token: Option<String>,
    browser: Browser,
    vars: HashMap<&'static str, String>,
}

fn fill(template: &str, vars: &HashMap<&'static str, String>) -> String {
    vars.iter().fold(template.to_string(), |s, (k, v)| {
        s.replace(&format!("{{{k}}}"), v)
    })
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/") && !path.starts_with("/api/docs")
        || path.starts_with("/brapi/")
        || path == "/health"
}

async fn pending_researcher(app: &TestApp, username: &str) -> i64 {
    let input = NewUser {
        username: username.into(),
        display_name: None,
        email: None,
        password: PASSWORD.into(),
        role: Role::Researcher,
        institution: None,
    };
    create_user(&app.db, &Actor::system("test"), input, "pending")
        .await
        .expect("pending researcher")
        .id
}

async fn spare_token(app: &TestApp, user_id: i64, name: &str) -> String {
    sessions::issue_api_token(&app.db, &Actor::system("test"), user_id, name, None)
        .await
        .expect("spare token")
        .id
        .to_string()
}

/// A draft request of `user_id` for two seeds of accession `acc`.
async fn draft_request(app: &TestApp, user_id: i64, role: Role, acc: i64) -> i64 {
    use biobank::services::requests::{self, Caller, NewItem, NewRequest};
    let input = NewRequest {
        items: vec![NewItem {
            accession_id: acc,
            quantity: 2.0,
            unit: "seeds".into(),
        }],
        intended_use: "research".into(),
        project_description: "role matrix".into(),
        shipping_address: "Lab 1".into(),
    };
    requests::create(
        &app.db,
        &Actor::system("test"),
        Caller { user_id, role },
        input,
    )
    .await
    .expect("draft request")
    .id
}

/// Submits a researcher's draft request.
async fn submit_request(app: &TestApp, user_id: i64, id: i64) {
    use biobank::domain::requests::RequestAction;
    use biobank::services::requests::{self, ActionInput, Caller};
    let caller = Caller {
        user_id,
        role: Role::Researcher,
    };
    requests::act(
        &app.db,
        &biobank::AppConfig::for_database("test"),
        &Actor::system("test"),
        caller,
        id,
        RequestAction::Submit,
        ActionInput::default(),
    )
    .await
    .expect("submit");
}

/// The shared records every route is tried against, and one person per role.
async fn people(app: &TestApp) -> HashMap<Who, Person> {
    let gatekeeper = app.user("gatekeeper", Role::Researcher).await;
    let fixture_curator = app.token(Role::Curator).await;
    let shared = app
        .register_accession(&fixture_curator, seed_accession("SHARED-1"))
        .await;
    let acc = shared["id"].as_i64().unwrap();
    let sample = app
        .add_sample(&fixture_curator, acc, sample_body(500.0))
        .await;

    let req_acc = app
        .register_accession(&fixture_curator, seed_accession("REQUESTABLE-1"))
        .await["id"]
        .as_i64()
        .unwrap();

    let mut people = HashMap::new();
    for who in EVERYONE {
        let mut vars: HashMap<&'static str, String> = HashMap::new();
        vars.insert("who", who.name().to_string());
        vars.insert("password", PASSWORD.to_string());
        vars.insert("new_password", NEW_PASSWORD.to_string());
        vars.insert("newer_password", NEWER_PASSWORD.to_string());
        vars.insert("acc", acc.to_string());
        vars.insert("req_acc", req_acc.to_string());
        vars.insert(
            "pid",
            resolver_path(shared["pid"].as_str().unwrap(), "http://127.0.0.1:8000")
                .trim_start_matches("/id/")
                .to_string(),
        );
        vars.insert("pid_full", shared["pid"].as_str().unwrap().to_string());
        vars.insert("sample", sample["id"].to_string());
        vars.insert("code", sample["label_code"].as_str().unwrap().to_string());
        for (var, prefix) in [("doomed", "DOOMED-API"), ("doomed_page", "DOOMED-PAGE")] {
            let a = app
                .register_accession(
                    &fixture_curator,
                    seed_accession(&format!("{prefix}-{}", who.name())),
                )
                .await;
            vars.insert(var, a["id"].to_string());
        }
        storage_fixtures(app, &fixture_curator, acc, who, &mut vars).await;
        for (var, prefix) in [("pending", "pending-api"), ("pending_page", "pending-page")] {
            let id = pending_researcher(app, &format!("{prefix}-{}", who.name())).await;
            vars.insert(var, id.to_string());
        }
        let person = match who.role() {
            None => {
                // An anonymous visitor cannot own tokens; any id will do, the guard refuses first.
                vars.insert("spare_token", "1".into());
                vars.insert("spare_token_page", "1".into());
                vars.insert("req", "1".into());
                vars.insert("page_req", "1".into());
                vars.insert("queued", "1".into());
                Person {
                    token: None,
                    browser: app.anonymous_browser().await,
                    vars,
                }
            }
            Some(role) => {
                let username = format!("matrix-{}", who.name());
                let id = app.user(&username, role).await;
                let token =
                    sessions::issue_api_token(&app.db, &Actor::system("test"), id, "matrix", None)
                        .await
                        .expect("token")
                        .token;
                vars.insert("spare_token", spare_token(app, id, "spare api").await);
                let own = draft_request(app, id, role, req_acc).await;
                vars.insert("req", own.to_string());
                let page_own = draft_request(app, id, role, req_acc).await;
                vars.insert("page_req", page_own.to_string());
                let queued = draft_request(app, gatekeeper, Role::Researcher, req_acc).await;
                submit_request(app, gatekeeper, queued).await;
                vars.insert("queued", queued.to_string());
                vars.insert("spare_token_page", spare_token(app, id, "spare page").await);
                Person {
                    token: Some(token),
                    browser: app.signed_in_browser(&username, PASSWORD).await,
                    vars,
                }
            }
        };
        people.insert(who, person);
    }
    people
}

/// Each person's own freezer box and samples, so custody actions do not trip over each other.
async fn storage_fixtures(
    app: &TestApp,
    curator: &str,
    acc: i64,
    who: Who,
    vars: &mut HashMap<&'static str, String>,
) {
    use biobank::services::storage::{self, EquipmentTemplate, NewStorageUnit};
    let system = Actor::system("test");
    let room = storage::create_unit(
        &app.db,
        &system,
        NewStorageUnit {
            kind: "room".into(),
            name: format!("Room of {}", who.name()),
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
            name: format!("Freezer of {}", who.name()),
            equipment_type: "freezer_minus80".into(),
            racks: 2,
            boxes_per_rack: 1,
            box_type: "cryobox_9x9".into(),
            ..Default::default()
        },
    )
    .await
    .expect("freezer");
    let detail = storage::detail(&app.db, freezer.id).await.expect("freezer");
    let rack2 = detail.children[1].id;
    let rack1 = storage::detail(&app.db, detail.children[0].id)
        .await
        .expect("rack");
    vars.insert("room", room.id.to_string());
    vars.insert("rack2", rack2.to_string());
    vars.insert("own_box", rack1.children[0].id.to_string());
    let mine = app.add_sample(curator, acc, sample_body(50.0)).await;
    vars.insert("mine", mine["id"].to_string());
    let page = app.add_sample(curator, acc, sample_body(50.0)).await;
    vars.insert("page_sample", page["id"].to_string());
    vars.insert(
        "page_code",
        page["label_code"].as_str().unwrap().to_string(),
    );
}

/// What the person got: status, and where a redirect pointed.
async fn try_case(app: &TestApp, c: &Case, person: &Person) -> (Status, Option<String>, String) {
    let path = fill(c.path, &person.vars);
    if is_api(c.path) {
        let mut req = match c.method {
            "GET" => app.client.get(path),
            "POST" => app.client.post(path),
            "PATCH" => app.client.patch(path),
            "PUT" => app.client.put(path),
            "DELETE" => app.client.delete(path),
            other => panic!("unsupported method {other}"),
        };
        if let Some(t) = &person.token {
            req = req.header(Header::new("Authorization", format!("Bearer {t}")));
        }
        if let Body::Json(template) = c.body {
            let body = fill(template, &person.vars);
            serde_json::from_str::<Value>(&body).expect("case body is JSON");
            req = req.header(ContentType::JSON).body(body);
        }
        let res = req.dispatch().await;
        let status = res.status();
        let location = res.headers().get_one("Location").map(str::to_string);
        (
            status,
            location,
            res.into_string().await.unwrap_or_default(),
        )
    } else {
        // Each case starts from the person's own browser, so that signing in as someone else
        // in one case does not change who asks in the next.
        let mut browser = person.browser.clone();
        let filled: Vec<(String, String)>;
        let form = match c.body {
            Body::Form(fields) => {
                filled = fields
                    .iter()
                    .map(|(k, v)| (k.to_string(), fill(v, &person.vars)))
                    .collect();
                Some(
                    filled
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_str()))
                        .collect::<Vec<_>>(),
                )
            }
            _ => None,
        };
        let res = app
            .browse(&mut browser, c.method, &path, form.as_deref())
            .await;
        (res.status, res.location, res.body)
    }
}

/// A short readable version of an answer: the JSON as is, or a page's main text.
fn summary(body: &str) -> String {
    let main = body.find("<main").map(|i| &body[i..]).unwrap_or(body);
    let mut text = String::new();
    let mut in_tag = false;
    for ch in main.chars() {
        match ch {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let words: Vec<&str> = text.split_whitespace().collect();
    words.join(" ").chars().take(200).collect()
}

fn expected(c: &Case, who: Who) -> u16 {
    if c.need.admits(who) {
        c.allowed
    } else if who == Who::Anonymous {
        if is_api(c.path) { 401 } else { 303 }
    } else {
        403
    }
}

#[rocket::async_test]
async fn every_route_admits_exactly_the_roles_it_should() {
    let app = app_untracked().await;
    let people = people(&app).await;
    let mut failures = Vec::new();
    for c in CASES {
        for who in EVERYONE {
            let person = &people[&who];
            let (status, location, body) = try_case(&app, c, person).await;
            let want = expected(c, who);
            let mut problem = None;
            if status.code != want {
                problem = Some(format!("expected {want}, got {}", status.code));
            } else if !c.need.admits(who) && who == Who::Anonymous && !is_api(c.path) {
                // A visitor is sent to sign in and brought back afterwards.
                let loc = location.clone().unwrap_or_default();
                if !loc.starts_with("/login?next=") {
                    problem = Some(format!(
                        "expected a redirect to /login, got Location {loc:?}"
                    ));
                }
            } else if !c.need.admits(who) && is_api(c.path) {
                let v: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
                let code = v["error"]["code"].as_str().unwrap_or("");
                let want_code = if want == 401 {
                    "unauthenticated"
                } else {
                    "forbidden"
                };
                if code != want_code {
                    problem = Some(format!("expected error code {want_code}, got body {body}"));
                }
            }
            if let Some(p) = problem {
                let snippet = summary(&body);
                failures.push(format!(
                    "{} {} as {}: {p}\n    answer: {snippet}",
                    c.method,
                    c.path,
                    who.name()
                ));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cells differ from the role matrix:\n{}",
        failures.len(),
        CASES.len() * EVERYONE.len(),
        failures.join("\n")
    );
}

/// True when a route's path pattern (`/accessions/<id>/edit`) matches a concrete path.
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let path = path.split('?').next().unwrap_or(path);
    let pat: Vec<&str> = pattern.trim_matches('/').split('/').collect();
    let got: Vec<&str> = path.trim_matches('/').split('/').collect();
    for (i, p) in pat.iter().enumerate() {
        if p.starts_with('<') && p.ends_with("..>") {
            return true;
        }
        match got.get(i) {
            None => return false,
            Some(g) if p.starts_with('<') || p == g => {}
            Some(_) => return false,
        }
    }
    pat.len() == got.len()
}

#[rocket::async_test]
async fn the_matrix_covers_every_mounted_route() {
    let app = app_untracked().await;
    let missing: Vec<String> = app
        .client
        .rocket()
        .routes()
        .filter(|r| {
            !CASES
                .iter()
                .any(|c| c.method == r.method.as_str() && pattern_matches(r.uri.path(), c.path))
        })
        .map(|r| format!("{} {}", r.method, r.uri))
        .collect();
    assert!(
        missing.is_empty(),
        "routes with no row in the role matrix:\n{}",
        missing.join("\n")
    );
}
