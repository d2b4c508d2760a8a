//! One helper for every integration test: the application on its own fresh database
//! (SQLite in memory, or a fresh PostgreSQL schema when BIOBANK_TEST_DATABASE_URL is set),
//! driven through Rocket's local client.
#![allow(dead_code)]

use biobank::domain::material::Role;
use biobank::services::users::{NewUser, create_user};
use biobank::services::{Actor, sessions};
use rocket::http::{ContentType, Header, Status};
use rocket::local::asynchronous::{Client, LocalResponse};
use sea_orm::{ConnectionTrait, DatabaseConnection};
use serde_json::Value;

/// A password every test account uses (tests only; the product has no default password).
pub const PASSWORD: &str = "correct horse battery";

/// The application under test.
pub struct TestApp {
    pub client: Client,
    pub db: DatabaseConnection,
    pub setup_url: Option<String>,
    _schema: Option<SchemaGuard>,
    _file: Option<TempDbFile>,
}

/// Drops a PostgreSQL test schema when the test ends.
pub struct SchemaGuard {
    url: String,
    name: String,
}

impl Drop for SchemaGuard {
    fn drop(&mut self) {
        let (url, name) = (self.url.clone(), self.name.clone());
        // Drop runs outside async context; a short-lived runtime on its own thread does it.
        let _ = std::thread::spawn(move || {
            let rt = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .ok()?;
            rt.block_on(async {
                let db = biobank::db::connect(&url).await.ok()?;
                db.execute_unprepared(&format!("DROP SCHEMA IF EXISTS {name} CASCADE"))
                    .await
                    .ok()?;
                Some(())
            })
        })
        .join();
    }
}

/// Opens a fresh, migrated database for one test.
pub async fn fresh_db() -> (DatabaseConnection, Option<SchemaGuard>) {
    match std::env::var("BIOBANK_TEST_DATABASE_URL")
        .ok()
        .filter(|u| !u.is_empty())
    {
        Some(url) => {
            let name = format!(
                "t_{}",
                biobank::services::random_token(9)
                    .to_lowercase()
                    .replace('-', "_")
            );
            let admin = biobank::db::connect(&url)
                .await
                .expect("connect to PostgreSQL");
            admin
                .execute_unprepared(&format!("CREATE SCHEMA {name}"))
                .await
                .expect("create schema");
            drop(admin);
            let db = biobank::db::connect_in_schema(&url, Some(&name))
                .await
                .expect("connect in schema");
            biobank::db::migrate(&db).await.expect("migrate");
            (db, Some(SchemaGuard { url, name }))
        }
        None => {
            let db = biobank::db::connect("sqlite::memory:")
                .await
                .expect("open SQLite");
            biobank::db::migrate(&db).await.expect("migrate");
            (db, None)
        }
    }
}

/// Builds the application on a fresh database.
pub async fn app() -> TestApp {
    build_app(true, |_| {}).await
}

/// The application with a client that keeps no cookies: every request carries exactly the
/// cookies a test gives it (see [`Browser`]), so several people can use one app at once.
pub async fn app_untracked() -> TestApp {
    build_app(false, |_| {}).await
}

/// The application with its configuration adjusted (identifier scheme, limits, …).
pub async fn app_with(configure: impl FnOnce(&mut biobank::AppConfig)) -> TestApp {
    build_app(true, configure).await
}

/// The application on a database where writers really race: a fresh PostgreSQL schema, or on
/// SQLite a temporary file with a pool of several connections (an in-memory database has one).
pub async fn app_racing() -> TestApp {
    let (db, guard, file) =
        if std::env::var("BIOBANK_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty()) {
            let (db, guard) = fresh_db().await;
            (db, guard, None)
        } else {
            let path = std::env::temp_dir().join(format!(
                "biobank-race-{}.db",
                biobank::services::random_token(9).replace(['-', '_'], "x")
            ));
            let db = biobank::db::connect(&format!("sqlite://{}", path.display()))
                .await
                .expect("open SQLite file");
            biobank::db::migrate(&db).await.expect("migrate");
            (db, None, Some(TempDbFile(path)))
        };
    let mut app = build_app_on(db, guard, true, |_| {}).await;
    app._file = file;
    app
}

/// Removes a temporary SQLite database (and its WAL files) when the test ends.
pub struct TempDbFile(std::path::PathBuf);

impl Drop for TempDbFile {
    fn drop(&mut self) {
        for suffix in ["", "-wal", "-shm"] {
            let mut p = self.0.clone().into_os_string();
            p.push(suffix);
            let _ = std::fs::remove_file(p);
        }
    }
}

async fn build_app(tracked: bool, configure: impl FnOnce(&mut biobank::AppConfig)) -> TestApp {
    let (db, guard) = fresh_db().await;
    build_app_on(db, guard, tracked, configure).await
}

async fn build_app_on(
    db: DatabaseConnection,
    guard: Option<SchemaGuard>,
    tracked: bool,
    configure: impl FnOnce(&mut biobank::AppConfig),
) -> TestApp {
    let mut config = biobank::AppConfig::for_database("test");
    configure(&mut config);
    let figment = rocket::Config::figment().merge(("log_level", "off"));
    let prepared = biobank::build(figment, config, db.clone())
        .await
        .expect("build app");
    let client = if tracked {
        Client::tracked(prepared.rocket).await
    } else {
        Client::untracked(prepared.rocket).await
    }
    .expect("rocket client");
    TestApp {
        client,
        db,
        setup_url: prepared.setup_url,
        _schema: guard,
        _file: None,
    }
}

/// Pulls the CSRF token out of a rendered form.
pub fn csrf_from(html: &str) -> String {
    let marker = "name=\"csrf_token\" value=\"";
    let start = html.find(marker).expect("page has a CSRF field") + marker.len();
    html[start..start + html[start..].find('"').unwrap()].to_string()
}

/// Percent-encodes form values.
pub fn form_body(fields: &[(&str, &str)]) -> String {
    fields
        .iter()
        .map(|(k, v)| {
            let enc: String = v
                .bytes()
                .map(|b| match b {
                    b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                        (b as char).to_string()
                    }
                    _ => format!("%{b:02X}"),
                })
                .collect();
            format!("{k}={enc}")
        })
        .collect::<Vec<_>>()
        .join("&")
}

impl TestApp {
    /// Creates an active account with the given role directly through the service.
    pub async fn user(&self, username: &str, role: Role) -> i64 {
        let input = NewUser {
            username: username.into(),
            display_name: Some(format!("{username} (test)")),
            email: None,
            password: PASSWORD.into(),
            role,
            institution: None,
        };
        create_user(&self.db, &Actor::system("test"), input, "active")
            .await
            .expect("create user")
            .id
    }

    /// A bearer token for a new user with this role.
    pub async fn token(&self, role: Role) -> String {
        let name = format!(
            "{}-{}",
            role.as_str(),
            biobank::services::random_token(4)
                .to_lowercase()
                .replace(['-', '_'], "x")
        );
        let id = self.user(&name, role).await;
        sessions::issue_api_token(&self.db, &Actor::system("test"), id, "test", None)
            .await
            .expect("token")
            .token
    }

    /// GET a page and return its status and body.
    pub async fn get_page(&self, path: &str) -> (Status, String) {
        let res = self.client.get(path.to_string()).dispatch().await;
        let status = res.status();
        (status, res.into_string().await.unwrap_or_default())
    }

    /// Submits a form found on `form_page`, with its CSRF token, the way a browser does.
    pub async fn submit_form(
        &self,
        form_page: &str,
        action: &str,
        fields: &[(&str, &str)],
    ) -> LocalResponse<'_> {
        let (_, html) = self.get_page(form_page).await;
        let token = csrf_from(&html);
        let mut all: Vec<(&str, &str)> = vec![("csrf_token", token.as_str())];
        all.extend_from_slice(fields);
        self.client
            .post(action.to_string())
            .header(ContentType::Form)
            .body(form_body(&all))
            .dispatch()
            .await
    }

    /// Signs in through the sign-in page; the client keeps the session cookie.
    pub async fn sign_in(&self, username: &str, password: &str) -> Status {
        self.submit_form(
            "/login",
            "/login",
            &[("username", username), ("password", password)],
        )
        .await
        .status()
    }

    /// Sends JSON with an optional bearer token; returns status and parsed body.
    pub async fn json(
        &self,
        method: &str,
        path: &str,
        token: Option<&str>,
        body: Option<Value>,
    ) -> (Status, Value) {
        let mut req = match method {
            "GET" => self.client.get(path.to_string()),
            "POST" => self.client.post(path.to_string()),
            "PATCH" => self.client.patch(path.to_string()),
            "DELETE" => self.client.delete(path.to_string()),
            other => panic!("unsupported method {other}"),
        };
        if let Some(t) = token {
            req = req.header(Header::new("Authorization", format!("Bearer {t}")));
        }
        if let Some(b) = body {
            req = req.header(ContentType::JSON).body(b.to_string());
        }
        let res = req.dispatch().await;
        let status = res.status();
        let text = res.into_string().await.unwrap_or_default();
        (
            status,
            serde_json::from_str(&text).unwrap_or(Value::String(text)),
        )
    }
}

/// A valid seed accession body for the API.
pub fn seed_accession(number: &str) -> Value {
    serde_json::json!({
        "material_type": "seed",
        "accession_number": number,
        "genus": "Oryza",
        "species": "sativa",
        "species_authority": "L.",
        "crop_name": "rice",
        "accession_names": "Nanjing 11",
        "origin_country": "CHN",
        "biological_status": "300",
        "acquisition_date": "198107--",
        "mls_status": "1",
        "available": true,
        "storage_types": "13",
    })
}

/// A valid cell-line accession body for the API.
pub fn cell_line_accession(number: &str) -> Value {
    serde_json::json!({
        "material_type": "cell_line",
        "accession_number": number,
        "accession_names": "HeLa",
        "organism": "Homo sapiens",
        "cellosaurus_accession": "CVCL_0030",
        "risk_group": 2,
        "str_profile": "Amelogenin: X; TH01: 7; vWA: 16, 18",
    })
}

/// One person's browser on an untracked app: the cookies it holds (as the server set them,
/// still encrypted) and the CSRF token its pages carry.
#[derive(Debug, Clone, Default)]
pub struct Browser {
    cookies: Vec<(String, String)>,
    pub csrf: String,
}

impl Browser {
    /// True while the browser holds a session cookie.
    pub fn has_session(&self) -> bool {
        self.cookies.iter().any(|(k, _)| k == "bb_session")
    }

    fn remember(&mut self, set_cookie: &str) {
        let Ok(c) = rocket::http::Cookie::parse_encoded(set_cookie.to_string()) else {
            return;
        };
        self.cookies.retain(|(k, _)| k != c.name());
        let removed =
            c.value().is_empty() || c.max_age().is_some_and(|a| a.is_zero() || a.is_negative());
        if !removed {
            self.cookies
                .push((c.name().to_string(), c.value().to_string()));
        }
    }
}

/// What a page request answered.
#[derive(Debug)]
pub struct PageResponse {
    pub status: Status,
    pub location: Option<String>,
    pub set_cookies: Vec<String>,
    pub body: String,
}

impl TestApp {
    /// A browser that has opened the sign-in page (so it holds a CSRF cookie), not signed in.
    pub async fn anonymous_browser(&self) -> Browser {
        let mut b = Browser::default();
        let res = self.browse(&mut b, "GET", "/login", None).await;
        assert_eq!(res.status, Status::Ok, "the sign-in page opens");
        b.csrf = csrf_from(&res.body);
        b
    }

    /// A browser signed in through the sign-in page.
    pub async fn signed_in_browser(&self, username: &str, password: &str) -> Browser {
        let mut b = self.anonymous_browser().await;
        let res = self
            .browse(
                &mut b,
                "POST",
                "/login",
                Some(&[("username", username), ("password", password)]),
            )
            .await;
        assert_eq!(
            res.status,
            Status::SeeOther,
            "{username} signs in: {}",
            res.body
        );
        assert!(b.has_session(), "{username} got a session cookie");
        b
    }

    /// Sends a request from a browser; a form gets the browser's CSRF token added (unless it
    /// names one itself) and the browser keeps the cookies the answer sets.
    pub async fn browse(
        &self,
        browser: &mut Browser,
        method: &str,
        path: &str,
        form: Option<&[(&str, &str)]>,
    ) -> PageResponse {
        let body = form.map(|fields| {
            let mut all: Vec<(&str, &str)> = Vec::new();
            if !fields.iter().any(|(k, _)| *k == "csrf_token") {
                all.push(("csrf_token", browser.csrf.as_str()));
            }
            all.extend_from_slice(fields);
            form_body(&all)
        });
        self.browse_raw(browser, method, path, body).await
    }

    /// Sends a request from a browser with a form body exactly as given (no CSRF token added).
    pub async fn browse_raw(
        &self,
        browser: &mut Browser,
        method: &str,
        path: &str,
        form_body: Option<String>,
    ) -> PageResponse {
        let mut req = match method {
            "GET" => self.client.get(path.to_string()),
            "POST" => self.client.post(path.to_string()),
            other => panic!("unsupported page method {other}"),
        };
        for (k, v) in &browser.cookies {
            req = req.cookie(rocket::http::Cookie::new(k.clone(), v.clone()));
        }
        if let Some(body) = form_body {
            req = req.header(ContentType::Form).body(body);
        }
        let res = req.dispatch().await;
        let status = res.status();
        let location = res.headers().get_one("Location").map(str::to_string);
        let set_cookies: Vec<String> = res
            .headers()
            .get("Set-Cookie")
            .map(str::to_string)
            .collect();
        let body = res.into_string().await.unwrap_or_default();
        for c in &set_cookies {
            browser.remember(c);
        }
        PageResponse {
            status,
            location,
            set_cookies,
            body,
        }
    }

    /// Registers an accession through the API and returns its JSON.
    pub async fn register_accession(&self, token: &str, body: Value) -> Value {
        let (status, created) = self
            .json("POST", "/api/v1/accessions", Some(token), Some(body))
            .await;
        assert_eq!(status, Status::Created, "registered: {created}");
        created
    }

    /// Adds a sample through the API and returns its JSON.
    pub async fn add_sample(&self, token: &str, accession_id: i64, body: Value) -> Value {
        let (status, created) = self
            .json(
                "POST",
                &format!("/api/v1/accessions/{accession_id}/samples"),
                Some(token),
                Some(body),
            )
            .await;
        assert_eq!(status, Status::Created, "sample added: {created}");
        created
    }

    /// Number of rows in a table (to check that a refused request wrote nothing).
    pub async fn count_rows(&self, table: &str) -> i64 {
        use sea_orm::{FromQueryResult, Statement};
        #[derive(FromQueryResult)]
        struct Count {
            n: i64,
        }
        let backend = self.db.get_database_backend();
        Count::find_by_statement(Statement::from_string(
            backend,
            format!("SELECT COUNT(*) AS n FROM {table}"),
        ))
        .one(&self.db)
        .await
        .expect("count rows")
        .expect("one row")
        .n
    }
}

/// A sample body for the API.
pub fn sample_body(quantity: f64) -> Value {
    serde_json::json!({
        "form": "seed_packet",
        "quantity": quantity,
        "unit": "seeds",
        "conservation_purpose": "base",
    })
}

/// The error object of a JSON error answer, checked to have the documented shape.
pub fn error_of(body: &Value) -> &serde_json::Map<String, Value> {
    let err = body["error"]
        .as_object()
        .unwrap_or_else(|| panic!("a JSON error body, got {body}"));
    assert!(err["code"].is_string(), "error.code is text: {body}");
    assert!(err["message"].is_string(), "error.message is text: {body}");
    err
}
