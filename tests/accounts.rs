//! Accounts: signing in and out, throttling, researcher registration and approval, password
//! changes, API tokens, cookies and CSRF.

mod common;

use biobank::domain::material::Role;
use biobank::services::{now, sha256_hex};
use common::{Browser, PASSWORD, TestApp, app_untracked, app_with, error_of};
use rocket::http::{Header, Status};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

const NEW_PASSWORD: &str = "a much longer passphrase";

/// The messages shown beside fields on a page.
fn field_errors(html: &str) -> Vec<String> {
    html.split("class=\"field-error\"")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('>')? + 1;
            let end = rest.find("</p>")?;
            Some(rest[start..end].trim().to_string())
        })
        .collect()
}

async fn token_for(app: &TestApp, username: &str, password: &str) -> (Status, Value) {
    app.json(
        "POST",
        "/api/v1/auth/token",
        None,
        Some(json!({"username": username, "password": password})),
    )
    .await
}

async fn sign_in_page(
    app: &TestApp,
    b: &mut Browser,
    username: &str,
    password: &str,
) -> common::PageResponse {
    app.browse(
        b,
        "POST",
        "/login",
        Some(&[("username", username), ("password", password)]),
    )
    .await
}

#[rocket::async_test]
async fn researcher_signs_in_and_out_through_the_pages() {
    let app = app_untracked().await;
    app.user("rosa", Role::Researcher).await;
    let mut b = app.anonymous_browser().await;

    let res = app.browse(&mut b, "GET", "/account", None).await;
    assert_eq!(
        res.status,
        Status::SeeOther,
        "the account page needs a session"
    );
    assert_eq!(res.location.as_deref(), Some("/login?next=%2Faccount"));

    let res = app
        .browse(
            &mut b,
            "POST",
            "/login",
            Some(&[
                ("username", "rosa"),
                ("password", PASSWORD),
                ("next", "/account"),
            ]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther);
    assert_eq!(
        res.location.as_deref(),
        Some("/account"),
        "back where she wanted to go"
    );
    assert!(b.has_session());

    let res = app.browse(&mut b, "GET", "/account", None).await;
    assert_eq!(res.status, Status::Ok);
    assert!(
        res.body.contains("rosa (test)"),
        "the page names who is signed in"
    );
    assert_eq!(app.count_rows("user_sessions").await, 1);

    let res = app.browse(&mut b, "POST", "/logout", Some(&[])).await;
    assert_eq!(res.status, Status::SeeOther);
    assert_eq!(res.location.as_deref(), Some("/login"));
    assert!(!b.has_session(), "signing out removes the cookie");
    assert_eq!(
        app.count_rows("user_sessions").await,
        0,
        "and ends the session on the server"
    );

    let res = app.browse(&mut b, "GET", "/account", None).await;
    assert_eq!(res.status, Status::SeeOther, "signed out means signed out");
}

#[rocket::async_test]
async fn a_sign_in_from_another_site_cannot_redirect_elsewhere() {
    let app = app_untracked().await;
    app.user("rosa", Role::Researcher).await;
    let mut b = app.anonymous_browser().await;
    let res = app
        .browse(
            &mut b,
            "POST",
            "/login",
            Some(&[
                ("username", "rosa"),
                ("password", PASSWORD),
                ("next", "//evil.example/x"),
            ]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther);
    assert_eq!(
        res.location.as_deref(),
        Some("/"),
        "open redirects are refused"
    );
}

#[rocket::async_test]
async fn wrong_password_and_unknown_username_get_the_same_answer() {
    let app = app_untracked().await;
    app.user("rosa", Role::Researcher).await;

    let (s1, wrong_password) = token_for(&app, "rosa", "not the password").await;
    let (s2, unknown_user) = token_for(&app, "nobody-here", "not the password").await;
    assert_eq!(s1, Status::UnprocessableEntity);
    assert_eq!(s1, s2);
    assert_eq!(
        wrong_password, unknown_user,
        "the API answer never tells which was wrong"
    );
    assert_eq!(
        error_of(&wrong_password)["message"],
        "wrong username or password"
    );

    let mut b = app.anonymous_browser().await;
    let page1 = sign_in_page(&app, &mut b, "rosa", "not the password").await;
    let page2 = sign_in_page(&app, &mut b, "nobody-here", "not the password").await;
    assert_eq!(page1.status, Status::UnprocessableEntity);
    assert_eq!(page1.status, page2.status);
    assert_eq!(
        field_errors(&page1.body),
        vec!["Wrong username or password.".to_string()]
    );
    assert_eq!(
        page1.body.replace("rosa", "USER"),
        page2.body.replace("nobody-here", "USER"),
        "the pages differ only in the username typed"
    );
    assert!(!b.has_session());
}

#[rocket::async_test]
async fn five_failed_sign_ins_lock_the_account_for_a_while() {
    let app = app_untracked().await;
    app.user("rosa", Role::Researcher).await;
    app.user("tom", Role::Technician).await;

    for attempt in 1..=5 {
        let (status, _) = token_for(&app, "rosa", "guess").await;
        assert_eq!(
            status,
            Status::UnprocessableEntity,
            "attempt {attempt} is just wrong"
        );
    }
    let res = app
        .client
        .post("/api/v1/auth/token")
        .header(rocket::http::ContentType::JSON)
        .body(json!({"username": "rosa", "password": PASSWORD}).to_string())
        .dispatch()
        .await;
    assert_eq!(
        res.status(),
        Status::TooManyRequests,
        "even the right password waits"
    );
    let retry: i64 = res
        .headers()
        .get_one("Retry-After")
        .expect("a Retry-After header")
        .parse()
        .expect("Retry-After in seconds");
    assert!(
        (1..=15 * 60).contains(&retry),
        "Retry-After {retry} s is within the lock"
    );
    let body: Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert_eq!(error_of(&body)["code"], "too_many_requests");

    let mut b = app.anonymous_browser().await;
    let page = sign_in_page(&app, &mut b, "rosa", PASSWORD).await;
    assert_eq!(page.status, Status::TooManyRequests);
    assert!(
        field_errors(&page.body)
            .iter()
            .any(|m| m.starts_with("Too many failed sign-ins")),
        "the page says why: {:?}",
        field_errors(&page.body)
    );
    assert!(!b.has_session());

    let (status, _) = token_for(&app, "tom", PASSWORD).await;
    assert_eq!(status, Status::Ok, "other accounts are not locked");
}

#[rocket::async_test]
async fn throttling_applies_to_unknown_usernames_too() {
    let app = app_untracked().await;
    let mut b = app.anonymous_browser().await;
    for _ in 0..5 {
        let page = sign_in_page(&app, &mut b, "ghost", "guess").await;
        assert_eq!(page.status, Status::UnprocessableEntity);
    }
    let page = sign_in_page(&app, &mut b, "ghost", "guess").await;
    assert_eq!(
        page.status,
        Status::TooManyRequests,
        "an unknown name locks like a real one, so locking reveals nothing"
    );
    let (status, _) = token_for(&app, "ghost", "guess").await;
    assert_eq!(status, Status::TooManyRequests);
}

/// The id in the approve form of a user's row on /users.
fn user_row_action(html: &str, username: &str) -> Option<i64> {
    let row = &html[html.find(&format!("data-username=\"{username}\""))?..];
    let row = &row[..row.find("</tr>")?];
    let at = row.find("action=\"/users/")? + "action=\"/users/".len();
    row[at..].split('"').next()?.parse().ok()
}

#[rocket::async_test]
async fn researcher_registers_on_the_page_and_waits_for_a_curator() {
    let app = app_untracked().await;
    app.user("carla", Role::Curator).await;
    let mut visitor = app.anonymous_browser().await;

    let page = app.browse(&mut visitor, "GET", "/register", None).await;
    assert_eq!(page.status, Status::Ok);
    let res = app
        .browse(
            &mut visitor,
            "POST",
            "/register",
            Some(&[
                ("username", "li.na"),
                ("display_name", "Li Na"),
                ("email", "li.na@example.edu.cn"),
                ("institution", "Nanjing Agricultural University"),
                ("password", PASSWORD),
            ]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther, "{}", res.body);
    assert_eq!(res.location.as_deref(), Some("/login"));

    let page = sign_in_page(&app, &mut visitor, "li.na", PASSWORD).await;
    assert_eq!(
        page.status,
        Status::Forbidden,
        "pending accounts cannot sign in"
    );
    assert!(
        page.body.contains("waiting for a curator"),
        "and are told why"
    );
    assert!(!visitor.has_session());
    let (status, _) = token_for(&app, "li.na", PASSWORD).await;
    assert_eq!(status, Status::Forbidden);

    let mut curator = app.signed_in_browser("carla", PASSWORD).await;
    let users = app.browse(&mut curator, "GET", "/users", None).await;
    let id = user_row_action(&users.body, "li.na").expect("an approve button for li.na");
    let res = app
        .browse(
            &mut curator,
            "POST",
            &format!("/users/{id}"),
            Some(&[("status", "active")]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther);

    let page = sign_in_page(&app, &mut visitor, "li.na", PASSWORD).await;
    assert_eq!(
        page.status,
        Status::SeeOther,
        "approved researchers sign in"
    );
    let (status, issued) = token_for(&app, "li.na", PASSWORD).await;
    assert_eq!(status, Status::Ok);
    let token = issued["token"].as_str().unwrap();
    let (_, me) = app.json("GET", "/api/v1/me", Some(token), None).await;
    assert_eq!(me["role"], "researcher");
}

#[rocket::async_test]
async fn researcher_registers_through_the_api_and_stays_pending_until_approved() {
    let app = app_untracked().await;
    let curator = app.token(Role::Curator).await;
    let registration = json!({
        "username": "wang.fang",
        "display_name": "Wang Fang",
        "email": "wang.fang@example.edu.cn",
        "institution": "China Agricultural University",
        "password": PASSWORD,
    });

    let mut asks_for_admin = registration.clone();
    asks_for_admin["role"] = json!("admin");
    let (status, body) = app
        .json("POST", "/api/v1/register", None, Some(asks_for_admin))
        .await;
    assert_eq!(
        status,
        Status::UnprocessableEntity,
        "nobody registers their own role"
    );
    assert_eq!(error_of(&body)["field"], "role");

    let (status, user) = app
        .json("POST", "/api/v1/register", None, Some(registration.clone()))
        .await;
    assert_eq!(status, Status::Created, "{user}");
    assert_eq!(user["status"], "pending");
    assert_eq!(user["role"], "researcher");
    assert!(user.get("password_hash").is_none());

    let (status, body) = app
        .json("POST", "/api/v1/register", None, Some(registration))
        .await;
    assert_eq!(status, Status::Conflict, "a username is taken once");
    assert_eq!(error_of(&body)["field"], "username");

    let (status, body) = token_for(&app, "wang.fang", PASSWORD).await;
    assert_eq!(status, Status::Forbidden, "{body}");

    let (_, pending) = app
        .json("GET", "/api/v1/users?status=pending", Some(&curator), None)
        .await;
    let names: Vec<&str> = pending
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["wang.fang"]);

    let (status, approved) = app
        .json(
            "PATCH",
            &format!("/api/v1/users/{}", user["id"]),
            Some(&curator),
            Some(json!({"status": "active"})),
        )
        .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(approved["status"], "active");
    let (status, _) = token_for(&app, "wang.fang", PASSWORD).await;
    assert_eq!(status, Status::Ok);

    let (_, audit) = app
        .json(
            "GET",
            &format!("/api/v1/audit?table=users&row_id={}", user["id"]),
            Some(&curator),
            None,
        )
        .await;
    let actions: Vec<&str> = audit["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["action"].as_str().unwrap())
        .collect();
    assert!(
        actions.contains(&"approve"),
        "the approval is audited: {actions:?}"
    );
}

#[rocket::async_test]
async fn curators_approve_researchers_but_only_admins_change_staff() {
    let app = app_untracked().await;
    let curator = app.token(Role::Curator).await;
    let admin = app.token(Role::Admin).await;
    let tech = app.user("tom", Role::Technician).await;
    let researcher = app.user("rosa", Role::Researcher).await;

    let patch = |id: i64, body: Value, token: String| {
        let app = &app;
        async move {
            app.json(
                "PATCH",
                &format!("/api/v1/users/{id}"),
                Some(&token),
                Some(body),
            )
            .await
        }
    };
    let (status, _) = patch(tech, json!({"status": "disabled"}), curator.clone()).await;
    assert_eq!(status, Status::Forbidden, "a curator cannot disable staff");
    let (status, _) = patch(researcher, json!({"role": "curator"}), curator.clone()).await;
    assert_eq!(status, Status::Forbidden, "a curator cannot promote anyone");
    let (status, body) = patch(researcher, json!({"status": "disabled"}), curator.clone()).await;
    assert_eq!(
        status,
        Status::Ok,
        "a curator may disable a researcher: {body}"
    );
    assert_eq!(body["status"], "disabled");

    let (status, body) = patch(tech, json!({"status": "disabled"}), admin.clone()).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(body["status"], "disabled");
    let (status, body) = patch(
        researcher,
        json!({"role": "technician", "status": "active"}),
        admin.clone(),
    )
    .await;
    assert_eq!(status, Status::Ok);
    assert_eq!(body["role"], "technician");

    // The page says the same through its flash message, and changes nothing.
    app.user("carla", Role::Curator).await;
    let mut b = app.signed_in_browser("carla", PASSWORD).await;
    let res = app
        .browse(
            &mut b,
            "POST",
            &format!("/users/{researcher}"),
            Some(&[("status", "disabled")]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther);
    let page = app.browse(&mut b, "GET", "/users", None).await;
    assert!(
        page.body.contains("your role does not allow this"),
        "the refusal is shown"
    );
    let (_, users) = app.json("GET", "/api/v1/users", Some(&admin), None).await;
    let now_tech = users
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["id"] == researcher)
        .unwrap();
    assert_eq!(
        now_tech["status"], "active",
        "the curator's change was not applied"
    );
}

#[rocket::async_test]
async fn changing_the_password_ends_other_sessions_and_the_old_password_stops_working() {
    let app = app_untracked().await;
    app.user("rosa", Role::Researcher).await;
    let mut laptop = app.signed_in_browser("rosa", PASSWORD).await;
    let mut phone = app.signed_in_browser("rosa", PASSWORD).await;
    assert_eq!(app.count_rows("user_sessions").await, 2);

    let res = app
        .browse(
            &mut laptop,
            "POST",
            "/account/password",
            Some(&[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
                ("confirm_password", "a typo in the confirmation"),
            ]),
        )
        .await;
    assert_eq!(
        res.status,
        Status::UnprocessableEntity,
        "the confirmation must match"
    );
    assert!(
        res.body.contains("confirm_password-error"),
        "the message is beside the field"
    );

    let res = app
        .browse(
            &mut laptop,
            "POST",
            "/account/password",
            Some(&[
                ("current_password", "not my password"),
                ("new_password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ]),
        )
        .await;
    assert_eq!(
        res.status,
        Status::UnprocessableEntity,
        "the current password is checked"
    );
    assert!(res.body.contains("current_password-error"));

    let res = app
        .browse(
            &mut laptop,
            "POST",
            "/account/password",
            Some(&[
                ("current_password", PASSWORD),
                ("new_password", NEW_PASSWORD),
                ("confirm_password", NEW_PASSWORD),
            ]),
        )
        .await;
    assert_eq!(res.status, Status::SeeOther);

    let here = app.browse(&mut laptop, "GET", "/account", None).await;
    assert_eq!(here.status, Status::Ok, "the session that changed it stays");
    let there = app.browse(&mut phone, "GET", "/account", None).await;
    assert_eq!(there.status, Status::SeeOther, "every other session ends");
    assert_eq!(app.count_rows("user_sessions").await, 1);

    let (status, _) = token_for(&app, "rosa", PASSWORD).await;
    assert_eq!(
        status,
        Status::UnprocessableEntity,
        "the old password stops working"
    );
    let mut b = app.anonymous_browser().await;
    assert_eq!(
        sign_in_page(&app, &mut b, "rosa", PASSWORD).await.status,
        Status::UnprocessableEntity
    );
    assert_eq!(
        sign_in_page(&app, &mut b, "rosa", NEW_PASSWORD)
            .await
            .status,
        Status::SeeOther
    );
}

#[rocket::async_test]
async fn password_change_through_the_api_ends_browser_sessions() {
    let app = app_untracked().await;
    app.user("rosa", Role::Researcher).await;
    let mut browser = app.signed_in_browser("rosa", PASSWORD).await;
    let (_, issued) = token_for(&app, "rosa", PASSWORD).await;
    let token = issued["token"].as_str().unwrap().to_string();

    let (status, body) = app
        .json(
            "POST",
            "/api/v1/me/password",
            Some(&token),
            Some(json!({"current_password": PASSWORD, "new_password": "short"})),
        )
        .await;
    assert_eq!(status, Status::UnprocessableEntity);
    assert_eq!(error_of(&body)["field"], "new_password");

    let (status, _) = app
        .json(
            "POST",
            "/api/v1/me/password",
            Some(&token),
            Some(json!({"current_password": PASSWORD, "new_password": NEW_PASSWORD})),
        )
        .await;
    assert_eq!(status, Status::NoContent);
    let res = app.browse(&mut browser, "GET", "/account", None).await;
    assert_eq!(res.status, Status::SeeOther, "the browser session ended");
    assert_eq!(
        token_for(&app, "rosa", PASSWORD).await.0,
        Status::UnprocessableEntity
    );
    assert_eq!(token_for(&app, "rosa", NEW_PASSWORD).await.0, Status::Ok);
}

#[rocket::async_test]
async fn api_tokens_are_named_listed_without_secrets_and_revocable() {
    let app = app_untracked().await;
    app.user("tom", Role::Technician).await;

    let (status, issued) = app
        .json(
            "POST",
            "/api/v1/auth/token",
            None,
            Some(json!({"username": "tom", "password": PASSWORD, "name": "bench scanner"})),
        )
        .await;
    assert_eq!(status, Status::Ok, "{issued}");
    let first = issued["token"].as_str().unwrap().to_string();
    assert!(
        first.starts_with("bb_") && first.len() > 30,
        "a long random secret: {first}"
    );
    assert_eq!(issued["name"], "bench scanner");
    let expires: chrono::DateTime<chrono::Utc> =
        issued["expires_at"].as_str().unwrap().parse().unwrap();
    let days = (expires - chrono::Utc::now()).num_days();
    assert!(
        (29..=30).contains(&days),
        "a sign-in token lasts 30 days, got {days}"
    );

    let (status, ci) = app
        .json(
            "POST",
            "/api/v1/tokens",
            Some(&first),
            Some(json!({"name": "nightly export", "expires_in_days": 7})),
        )
        .await;
    assert_eq!(status, Status::Created);
    let second = ci["token"].as_str().unwrap().to_string();

    let res = app
        .client
        .get("/api/v1/tokens")
        .header(Header::new("Authorization", format!("Bearer {second}")))
        .dispatch()
        .await;
    assert_eq!(res.status(), Status::Ok);
    let text = res.into_string().await.unwrap();
    assert!(
        !text.contains(&first) && !text.contains(&second),
        "no secret is ever listed"
    );
    assert!(!text.contains("token_hash"), "nor its hash");
    let list: Value = serde_json::from_str(&text).unwrap();
    let names: Vec<&str> = list
        .as_array()
        .unwrap()
        .iter()
        .map(|t| t["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["nightly export", "bench scanner"], "newest first");
    assert!(list[0].get("token").is_none());

    let (status, _) = app
        .json(
            "DELETE",
            &format!("/api/v1/tokens/{}", issued["id"]),
            Some(&second),
            None,
        )
        .await;
    assert_eq!(status, Status::NoContent);
    let res = app
        .client
        .get("/api/v1/me")
        .header(Header::new("Authorization", format!("Bearer {first}")))
        .dispatch()
        .await;
    assert_eq!(
        res.status(),
        Status::Unauthorized,
        "a revoked token is refused"
    );
    assert_eq!(res.headers().get_one("WWW-Authenticate"), Some("Bearer"));
    let body: Value = serde_json::from_str(&res.into_string().await.unwrap()).unwrap();
    assert_eq!(error_of(&body)["code"], "unauthenticated");

    let (_, list) = app.json("GET", "/api/v1/tokens", Some(&second), None).await;
    let revoked = list
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["id"] == issued["id"])
        .unwrap();
    assert!(
        revoked["revoked_at"].is_string(),
        "the list shows it revoked"
    );

    let (status, _) = app.json("GET", "/api/v1/me", Some(&second), None).await;
    assert_eq!(status, Status::Ok, "the other token still works");

    let stranger = app.token(Role::Technician).await;
    let (status, _) = app
        .json(
            "DELETE",
            &format!("/api/v1/tokens/{}", ci["id"]),
            Some(&stranger),
            None,
        )
        .await;
    assert_eq!(
        status,
        Status::NotFound,
        "nobody revokes someone else's token"
    );
}

#[rocket::async_test]
async fn an_expired_token_is_refused() {
    let app = app_untracked().await;
    let user_id = app.user("tom", Role::Technician).await;
    let mut secrets = Vec::new();
    for (name, offset) in [("expired", -1), ("still valid", 1)] {
        let secret = format!("bb_{name}-{}", biobank::services::random_token(16));
        entities::api_token::ActiveModel {
            user_id: Set(user_id),
            name: Set(name.to_string()),
            token_hash: Set(sha256_hex(secret.as_bytes())),
            created_at: Set(now() - chrono::Duration::days(2)),
            expires_at: Set(Some(now() + chrono::Duration::hours(offset))),
            ..Default::default()
        }
        .insert(&app.db)
        .await
        .expect("insert token");
        secrets.push(secret);
    }
    let (status, body) = app.json("GET", "/api/v1/me", Some(&secrets[0]), None).await;
    assert_eq!(status, Status::Unauthorized);
    assert_eq!(error_of(&body)["code"], "unauthenticated");
    let (status, me) = app.json("GET", "/api/v1/me", Some(&secrets[1]), None).await;
    assert_eq!(status, Status::Ok);
    assert_eq!(me["username"], "tom");

    let (status, _) = app
        .json("GET", "/api/v1/me", Some("bb_made-up"), None)
        .await;
    assert_eq!(status, Status::Unauthorized, "an unknown token is refused");
}

#[rocket::async_test]
async fn the_session_cookie_is_http_only_and_same_site_lax() {
    let app = app_untracked().await;
    app.user("rosa", Role::Researcher).await;
    let mut b = app.anonymous_browser().await;
    let res = sign_in_page(&app, &mut b, "rosa", PASSWORD).await;
    let session = res
        .set_cookies
        .iter()
        .find(|c| c.starts_with("bb_session="))
        .expect("a session cookie");
    assert!(session.contains("HttpOnly"), "{session}");
    assert!(session.contains("SameSite=Lax"), "{session}");
    assert!(session.contains("Path=/"), "{session}");
    assert!(
        !session.contains("Secure"),
        "plain http in tests: {session}"
    );
    assert!(!session.contains("rosa"), "the value is opaque: {session}");

    // Behind HTTPS the cookie is also Secure.
    let https = app_with(|c| c.base_url = "https://bank.example.org".into()).await;
    https.user("rosa", Role::Researcher).await;
    let res = https
        .submit_form(
            "/login",
            "/login",
            &[("username", "rosa"), ("password", PASSWORD)],
        )
        .await;
    let cookies: Vec<String> = res
        .headers()
        .get("Set-Cookie")
        .map(str::to_string)
        .collect();
    let session = cookies
        .iter()
        .find(|c| c.starts_with("bb_session="))
        .expect("a session cookie");
    assert!(
        session.contains("Secure") && session.contains("HttpOnly"),
        "{session}"
    );
}

#[rocket::async_test]
async fn a_form_with_a_stale_or_missing_csrf_token_is_refused_and_writes_nothing() {
    let app = app_untracked().await;
    app.user("carla", Role::Curator).await;
    let mut curator = app.signed_in_browser("carla", PASSWORD).await;
    let other = app.anonymous_browser().await;
    let accessions = app.count_rows("accessions").await;
    let audit = app.count_rows("audit_log").await;

    let fields = [
        ("material_type", "seed"),
        ("accession_number", "CSRF-1"),
        ("genus", "Oryza"),
    ];
    let stale: Vec<(&str, &str)> = [("csrf_token", other.csrf.as_str())]
        .into_iter()
        .chain(fields)
        .collect();
    let res = app
        .browse(&mut curator, "POST", "/accessions", Some(&stale))
        .await;
    assert_eq!(
        res.status,
        Status::Forbidden,
        "another browser's token is refused"
    );
    assert!(
        res.body.contains("this form has expired"),
        "and the page says so"
    );

    let missing = common::form_body(&fields);
    let res = app
        .browse_raw(&mut curator, "POST", "/accessions", Some(missing))
        .await;
    assert_eq!(
        res.status,
        Status::Forbidden,
        "a form without a token is refused"
    );

    assert_eq!(
        app.count_rows("accessions").await,
        accessions,
        "nothing registered"
    );
    assert_eq!(app.count_rows("audit_log").await, audit, "nothing audited");

    // Typed forms too: a password change and a sign-out without the token do nothing.
    let body = common::form_body(&[
        ("current_password", PASSWORD),
        ("new_password", NEW_PASSWORD),
        ("confirm_password", NEW_PASSWORD),
    ]);
    let res = app
        .browse_raw(&mut curator, "POST", "/account/password", Some(body))
        .await;
    assert_eq!(res.status, Status::Forbidden);
    let res = app
        .browse_raw(&mut curator, "POST", "/logout", Some(String::new()))
        .await;
    assert_eq!(res.status, Status::Forbidden);
    let res = app
        .browse(
            &mut curator,
            "POST",
            "/logout",
            Some(&[("csrf_token", "forged")]),
        )
        .await;
    assert_eq!(res.status, Status::Forbidden);
    assert_eq!(
        app.browse(&mut curator, "GET", "/account", None)
            .await
            .status,
        Status::Ok,
        "still signed in"
    );
    assert_eq!(
        token_for(&app, "carla", PASSWORD).await.0,
        Status::Ok,
        "password unchanged"
    );
    assert_eq!(
        app.count_rows("audit_log").await,
        audit + 1,
        "only the token sign-in was audited"
    );

    // With the right token the same form works.
    let res = app
        .browse(&mut curator, "POST", "/accessions", Some(&fields))
        .await;
    assert_eq!(res.status, Status::SeeOther);
    assert_eq!(app.count_rows("accessions").await, accessions + 1);
}

#[rocket::async_test]
async fn the_user_list_refuses_a_status_it_does_not_know() {
    let app = common::app().await;
    app.user("carla", Role::Curator).await;
    let mut b = app.signed_in_browser("carla", PASSWORD).await;
    let page = app
        .browse(&mut b, "GET", "/users?status=pending", None)
        .await;
    assert_eq!(page.status, Status::Ok);
    let page = app.browse(&mut b, "GET", "/users?status=bogus", None).await;
    assert_eq!(page.status, Status::BadRequest);
    assert!(
        page.body.contains("must be pending, active or disabled"),
        "the page names the problem"
    );
}
