//! The IT person backs the repository up while technicians keep working, restores the copy on
//! another machine, and finds everything there, every quantity matching its ledger.

mod common;

use biobank::domain::material::Role;
use biobank::services::{backup, integrity};
use common::{app_racing, sample_body, seed_accession};
use rocket::http::Status;

fn on_postgres() -> bool {
    std::env::var("BIOBANK_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty())
}

#[rocket::async_test]
async fn a_backup_taken_under_load_restores_with_everything_in_it() {
    let app = app_racing().await;
    let dir = std::env::temp_dir().join(format!(
        "biobank-backup-{}",
        biobank::services::random_token(6).replace(['-', '_'], "x")
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let out = dir.join("copy.db");
    if on_postgres() {
        let err = backup::backup(&app.db, &out).await.unwrap_err();
        assert!(
            err.public_message().contains("pg_dump"),
            "PostgreSQL is pointed to pg_dump: {}",
            err.public_message()
        );
        return;
    }
    let curator = app.token(Role::Curator).await;
    let mut accessions = Vec::new();
    for i in 0..10 {
        let a = app
            .register_accession(&curator, seed_accession(&format!("BK-{i}")))
            .await;
        accessions.push(a["id"].as_i64().unwrap());
    }
    let before = backup::contents(&app.db).await.unwrap();

    // Technicians keep adding samples (each one a ledger entry and audit records) while the
    // backup runs.
    let load = async {
        for round in 0..30 {
            let acc = accessions[round % accessions.len()];
            let (st, body) = app
                .json(
                    "POST",
                    &format!("/api/v1/accessions/{acc}/samples"),
                    Some(&curator),
                    Some(sample_body(100.0 + round as f64)),
                )
                .await;
            assert_eq!(st, Status::Created, "{body}");
        }
    };
    let (_, taken) = tokio::join!(load, backup::backup(&app.db, &out));
    let taken = taken.expect("the backup succeeds while the server is busy");
    let after = backup::contents(&app.db).await.unwrap();
    assert!(
        taken.samples >= before.samples && taken.samples <= after.samples,
        "the copy is one moment's state: {before} ≤ {taken} ≤ {after}"
    );
    assert_eq!(taken.accessions, 10);

    // The copy is refused as a destination a second time, and a file that is no database is
    // refused as a source.
    let again = backup::backup(&app.db, &out).await.unwrap_err();
    assert!(again.public_message().contains("already exists"));
    let junk = dir.join("junk.db");
    std::fs::write(&junk, b"not a database at all").unwrap();
    let bad = backup::verify(&junk).await.unwrap_err();
    assert!(
        bad.public_message().contains("junk.db"),
        "{}",
        bad.public_message()
    );

    // Restore onto a fresh machine: a new database file put in place from the copy.
    let restored_path = dir.join("restored.db");
    let url = format!("sqlite://{}", restored_path.display());
    let restored = backup::restore(&url, &out).await.expect("restore");
    assert_eq!(
        restored, taken,
        "the restored database holds what the copy held"
    );
    let db = biobank::db::connect(&url)
        .await
        .expect("open the restored database");
    assert_eq!(backup::contents(&db).await.unwrap(), taken);
    assert_eq!(
        integrity::problems(&db).await.unwrap(),
        Vec::<String>::new(),
        "every quantity equals its ledger and every write has its audit record"
    );
    assert_eq!(
        integrity::problems(&app.db).await.unwrap(),
        Vec::<String>::new()
    );
    drop(db);
    let _ = std::fs::remove_dir_all(&dir);
}

#[rocket::async_test]
async fn the_demonstration_data_keeps_every_promise_of_the_ledger_and_the_audit_trail() {
    let app = common::app().await;
    let config = biobank::AppConfig::for_database("test");
    biobank::services::demo::load(&app.db, &config)
        .await
        .expect("demo loads");
    assert_eq!(
        integrity::problems(&app.db).await.unwrap(),
        Vec::<String>::new()
    );
}
