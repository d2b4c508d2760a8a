//! A new repository: the setup link creates the first admin, and only once.

mod common;

use common::{PASSWORD, app};
use rocket::http::Status;

#[rocket::async_test]
async fn setup_link_creates_the_first_admin_once() {
    let app = app().await;
    let url = app
        .setup_url
        .clone()
        .expect("an empty database prints a setup link");
    let path = url.trim_start_matches("http://127.0.0.1:8000").to_string();

    let res = app
        .submit_form(
            &path,
            &path,
            &[
                ("username", "admin"),
                ("display_name", "Ada Admin"),
                ("email", "ada@example.org"),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(res.status(), Status::SeeOther, "setup redirects to sign-in");

    assert_eq!(app.sign_in("admin", PASSWORD).await, Status::SeeOther);
    let (status, me) = app.json("GET", "/api/v1/me", None, None).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(me["role"], "admin");

    let (status, _) = app.get_page(&path).await;
    assert_eq!(
        status,
        Status::NotFound,
        "the setup link closes once an account exists"
    );
}

#[rocket::async_test]
async fn health_reports_the_database() {
    let app = app().await;
    let (status, body) = app.json("GET", "/health", None, None).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(body["status"], "ok");
    let expected = if std::env::var("BIOBANK_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
        "postgres"
    } else {
        "sqlite"
    };
    assert_eq!(body["database"], expected);
}
