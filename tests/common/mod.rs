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
    let (db, guard) = fresh_db().await;
    let config = biobank::AppConfig::for_database("test");
    let figment = rocket::Config::figment().merge(("log_level", "off"));
    let prepared = biobank::build(figment, config, db.clone())
        .await
        .expect("build app");
    let client = Client::tracked(prepared.rocket)
        .await
        .expect("rocket client");
    TestApp {
        client,
        db,
        setup_url: prepared.setup_url,
        _schema: guard,
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
