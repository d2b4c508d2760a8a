//! Schema round trip: migrate up, write and read a row in the core tables through the
//! entities, migrate fully down, and up again.
//!
//! Runs on an in-memory SQLite database, and on PostgreSQL when
//! `BIOBANK_TEST_DATABASE_URL` is set (inside a throw-away schema `t_<random>`).

use chrono::{NaiveDate, TimeZone, Utc};
use entities::prelude::*;
use entities::{
    accession, accession_plant, app_setting, audit_log, institution, ledger_entry, request,
    request_document, sample, storage_unit, user,
};
use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ActiveModelTrait, ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend,
    DbErr, EntityTrait, ModelTrait, Set, Statement,
};

/// Tables created by the migration (without `seaql_migrations`).
const TABLES: &[&str] = &[
    "institutions",
    "users",
    "user_sessions",
    "api_tokens",
    "login_throttle",
    "app_settings",
    "accessions",
    "accession_plant",
    "accession_strain",
    "accession_cell_line",
    "accession_specimen",
    "accession_animal",
    "storage_units",
    "samples",
    "viability_tests",
    "viability_test_replicates",
    "requests",
    "request_items",
    "request_item_samples",
    "request_documents",
    "request_messages",
    "mta_templates",
    "mtas",
    "shipments",
    "feedback",
    "notifications",
    "ledger_entries",
    "sample_events",
    "audit_log",
    "viability_policies",
    "species_viability_constants",
    "identifier_registrations",
];

/// Tables whose primary key is not the auto-increment `id`.
const NO_ID: [&str; 7] = [
    "login_throttle",
    "app_settings",
    "accession_plant",
    "accession_strain",
    "accession_cell_line",
    "accession_specimen",
    "accession_animal",
];

async fn query_strings(db: &DatabaseConnection, sql: &str) -> Vec<Vec<String>> {
    let backend = db.get_database_backend();
    let rows = db
        .query_all_raw(Statement::from_string(backend, sql.to_owned()))
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    rows.iter()
        .map(|row| {
            row.column_names()
                .iter()
                .map(|c| row.try_get::<String>("", c).unwrap())
                .collect()
        })
        .collect()
}

async fn user_tables(db: &DatabaseConnection) -> Vec<String> {
    let sql = match db.get_database_backend() {
        DbBackend::Sqlite => {
            "SELECT name FROM sqlite_master WHERE type = 'table' \
             AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations' ORDER BY name"
        }
        _ => {
            "SELECT CAST(table_name AS TEXT) AS name FROM information_schema.tables \
             WHERE table_schema = current_schema() AND table_name <> 'seaql_migrations' \
             ORDER BY name"
        }
    };
    let mut names: Vec<String> = query_strings(db, sql)
        .await
        .into_iter()
        .map(|r| r[0].clone())
        .collect();
    names.sort();
    names
}

/// The `id` columns must be real auto-increment 64-bit keys on both backends.
async fn check_id_columns(db: &DatabaseConnection) {
    let with_id: Vec<&str> = TABLES
        .iter()
        .copied()
        .filter(|t| !NO_ID.contains(t))
        .collect();
    match db.get_database_backend() {
        DbBackend::Sqlite => {
            let rows = query_strings(
                db,
                "SELECT name, sql FROM sqlite_master WHERE type = 'table' \
                 AND name NOT LIKE 'sqlite_%' AND name <> 'seaql_migrations'",
            )
            .await;
            for table in &with_id {
                let sql = &rows.iter().find(|r| r[0] == *table).unwrap()[1];
                assert!(
                    sql.contains(r#""id" integer NOT NULL PRIMARY KEY AUTOINCREMENT"#),
                    "{table}: {sql}"
                );
            }
        }
        _ => {
            let rows = query_strings(
                db,
                "SELECT CAST(table_name AS TEXT), CAST(data_type AS TEXT), \
                 CAST(is_identity AS TEXT) FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND column_name = 'id' \
                 AND table_name <> 'seaql_migrations'",
            )
            .await;
            assert_eq!(rows.len(), with_id.len(), "{rows:?}");
            for table in &with_id {
                let row = rows.iter().find(|r| r[0] == *table).unwrap();
                assert_eq!(row[1], "bigint", "{table}");
                assert_eq!(row[2], "YES", "{table} id is not an identity column");
            }
        }
    }
}

/// Every entity can select all its columns (catches column-name drift between
/// the migration and the entities).
async fn select_all_entities(db: &DatabaseConnection) -> Result<(), DbErr> {
    Institutions::find().all(db).await?;
    Users::find().all(db).await?;
    UserSessions::find().all(db).await?;
    ApiTokens::find().all(db).await?;
    LoginThrottle::find().all(db).await?;
    AppSettings::find().all(db).await?;
    Accessions::find().all(db).await?;
    AccessionPlant::find().all(db).await?;
    AccessionStrain::find().all(db).await?;
    AccessionCellLine::find().all(db).await?;
    AccessionSpecimen::find().all(db).await?;
    AccessionAnimal::find().all(db).await?;
    StorageUnits::find().all(db).await?;
    Samples::find().all(db).await?;
    ViabilityTests::find().all(db).await?;
    ViabilityTestReplicates::find().all(db).await?;
    Requests::find().all(db).await?;
    RequestItems::find().all(db).await?;
    RequestItemSamples::find().all(db).await?;
    RequestDocuments::find().all(db).await?;
    RequestMessages::find().all(db).await?;
    MtaTemplates::find().all(db).await?;
    Mtas::find().all(db).await?;
    Shipments::find().all(db).await?;
    Feedback::find().all(db).await?;
    Notifications::find().all(db).await?;
    LedgerEntries::find().all(db).await?;
    SampleEvents::find().all(db).await?;
    AuditLog::find().all(db).await?;
    ViabilityPolicies::find().all(db).await?;
    SpeciesViabilityConstants::find().all(db).await?;
    Ok(())
}

async fn insert_and_read(db: &DatabaseConnection) -> Result<(), DbErr> {
    let now = Utc.with_ymd_and_hms(2026, 11, 25, 12, 30, 0).unwrap();

    let inst = institution::ActiveModel {
        code: Set(Some("CHN001".into())),
        name: Set("Institute of Crop Sciences".into()),
        country: Set(Some("CHN".into())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert!(inst.id > 0);
    assert_eq!(
        Institutions::find_by_id(inst.id).one(db).await?,
        Some(inst.clone())
    );

    let usr = user::ActiveModel {
        username: Set("curator1".into()),
        display_name: Set("Curator One".into()),
        email: Set(Some("c1@example.org".into())),
        password_hash: Set("$argon2id$v=19$...".into()),
        role: Set("curator".into()),
        status: Set("active".into()),
        institution_id: Set(Some(inst.id)),
        preferred_lang: Set(Some("en".into())),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert_eq!(Users::find_by_id(usr.id).one(db).await?, Some(usr.clone()));
    assert_eq!(inst.find_related(Users).all(db).await?, vec![usr.clone()]);

    let acc = accession::ActiveModel {
        accession_number: Set("CGN-00001".into()),
        institute_code: Set("CHN001".into()),
        pid: Set("BB-000001".into()),
        material_type: Set("seed".into()),
        genus: Set(Some("Oryza".into())),
        species: Set(Some("sativa".into())),
        taxon_name: Set("Oryza sativa L.".into()),
        crop_name: Set(Some("rice".into())),
        acquisition_date: Set(Some("2019----".into())),
        latitude: Set(Some(30.25)),
        longitude: Set(Some(-120.5)),
        elevation_m: Set(Some(12)),
        available: Set(true),
        mls_status: Set(Some("1".into())),
        status: Set("active".into()),
        created_by: Set(Some(usr.id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert_eq!(
        Accessions::find_by_id(acc.id).one(db).await?,
        Some(acc.clone())
    );

    let plant = accession_plant::ActiveModel {
        accession_id: Set(acc.id),
        puid: Set(Some("doi:10.18730/XYZ".into())),
        storage_types: Set(Some("11;13".into())),
        seed_storage_behaviour: Set(Some("orthodox".into())),
        thousand_seed_weight_g: Set(Some(25.4)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert_eq!(plant.accession_id, acc.id);
    assert_eq!(
        AccessionPlant::find_by_id(acc.id).one(db).await?,
        Some(plant.clone())
    );
    assert_eq!(acc.find_related(AccessionPlant).one(db).await?, Some(plant));

    let freezer = storage_unit::ActiveModel {
        kind: Set("equipment".into()),
        equipment_type: Set(Some("freezer_-20".into())),
        name: Set("Freezer A".into()),
        barcode: Set(Some("SU-0001".into())),
        temperature_c: Set(Some(-20.0)),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    let bx = storage_unit::ActiveModel {
        parent_id: Set(Some(freezer.id)),
        kind: Set("box".into()),
        name: Set("Box 1".into()),
        grid_rows: Set(Some(9)),
        grid_cols: Set(Some(9)),
        position_labels: Set(Some("alnum".into())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert_eq!(
        StorageUnits::find_by_id(bx.id).one(db).await?,
        Some(bx.clone())
    );

    let smp = sample::ActiveModel {
        accession_id: Set(acc.id),
        label_code: Set("S-000001".into()),
        form: Set("seed_packet".into()),
        quantity: Set(1000.0),
        reserved_quantity: Set(0.0),
        unit: Set("seeds".into()),
        conservation_purpose: Set("base".into()),
        storage_unit_id: Set(Some(bx.id)),
        position: Set(Some("A1".into())),
        status: Set("available".into()),
        freeze_thaw_count: Set(0),
        moisture_pct: Set(Some(5.5)),
        banked_on: Set(Some(NaiveDate::from_ymd_opt(2026, 11, 20).unwrap())),
        created_by: Set(Some(usr.id)),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert_eq!(
        Samples::find_by_id(smp.id).one(db).await?,
        Some(smp.clone())
    );
    assert_eq!(acc.find_related(Samples).all(db).await?, vec![smp.clone()]);
    assert_eq!(bx.find_related(Samples).all(db).await?, vec![smp.clone()]);

    // An aliquot (self-referencing parent_sample_id) in the same box.
    let aliquot = sample::ActiveModel {
        accession_id: Set(acc.id),
        label_code: Set("S-000001-01".into()),
        parent_sample_id: Set(Some(smp.id)),
        generation: Set(Some(1)),
        form: Set("seed_packet".into()),
        quantity: Set(100.0),
        reserved_quantity: Set(0.0),
        unit: Set("seeds".into()),
        conservation_purpose: Set("active".into()),
        storage_unit_id: Set(Some(bx.id)),
        position: Set(Some("A2".into())),
        status: Set("available".into()),
        freeze_thaw_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert_eq!(
        Samples::find_by_id(aliquot.id).one(db).await?,
        Some(aliquot.clone())
    );
    assert_eq!(bx.find_related(Samples).all(db).await?.len(), 2);

    // UNIQUE(storage_unit_id, position)
    let dup = sample::ActiveModel {
        accession_id: Set(acc.id),
        label_code: Set("S-000002".into()),
        form: Set("seed_packet".into()),
        quantity: Set(10.0),
        reserved_quantity: Set(0.0),
        unit: Set("seeds".into()),
        conservation_purpose: Set("active".into()),
        storage_unit_id: Set(Some(bx.id)),
        position: Set(Some("A1".into())),
        status: Set("available".into()),
        freeze_thaw_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    assert!(
        dup.insert(db).await.is_err(),
        "duplicate storage position accepted"
    );

    // Foreign keys are enforced.
    let orphan = sample::ActiveModel {
        accession_id: Set(acc.id + 1000),
        label_code: Set("S-ORPHAN".into()),
        form: Set("vial".into()),
        quantity: Set(1.0),
        reserved_quantity: Set(0.0),
        unit: Set("vial".into()),
        conservation_purpose: Set("active".into()),
        status: Set("available".into()),
        freeze_thaw_count: Set(0),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    };
    assert!(orphan.insert(db).await.is_err(), "foreign key not enforced");

    let req = request::ActiveModel {
        request_number: Set("REQ-2026-0001".into()),
        requester_id: Set(usr.id),
        recipient_institution_id: Set(Some(inst.id)),
        intended_use: Set("research".into()),
        status: Set("submitted".into()),
        created_at: Set(now),
        updated_at: Set(now),
        submitted_at: Set(Some(now)),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert_eq!(
        Requests::find_by_id(req.id).one(db).await?,
        Some(req.clone())
    );

    let doc = request_document::ActiveModel {
        request_id: Set(req.id),
        doc_type: Set("signed_mta".into()),
        filename: Set("mta.pdf".into()),
        content_type: Set("application/pdf".into()),
        size_bytes: Set(6),
        sha256: Set("00".repeat(32)),
        data: Set(vec![0x25, 0x50, 0x44, 0x46, 0x00, 0xff]),
        uploaded_by: Set(Some(usr.id)),
        uploaded_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert_eq!(
        RequestDocuments::find_by_id(doc.id).one(db).await?,
        Some(doc.clone())
    );

    let led = ledger_entry::ActiveModel {
        sample_id: Set(smp.id),
        delta: Set(1000.0),
        unit: Set("seeds".into()),
        reason: Set("initial".into()),
        balance_after: Set(1000.0),
        request_id: Set(Some(req.id)),
        actor_id: Set(Some(usr.id)),
        note: Set(Some("initial deposit".into())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert_eq!(
        LedgerEntries::find_by_id(led.id).one(db).await?,
        Some(led.clone())
    );
    assert_eq!(
        smp.find_related(LedgerEntries).all(db).await?,
        vec![led.clone()]
    );

    let audit = audit_log::ActiveModel {
        actor_id: Set(Some(usr.id)),
        actor_name: Set("curator1".into()),
        action: Set("create".into()),
        table_name: Set("samples".into()),
        row_id: Set(smp.id.to_string()),
        before_json: Set(None),
        after_json: Set(Some(r#"{"label_code":"S-000001"}"#.into())),
        client_ip: Set(Some("127.0.0.1".into())),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert_eq!(
        AuditLog::find_by_id(audit.id).one(db).await?,
        Some(audit.clone())
    );
    let system = audit_log::ActiveModel {
        actor_name: Set("system".into()),
        action: Set("migrate".into()),
        table_name: Set("app_settings".into()),
        row_id: Set("schema_version".into()),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    assert!(system.id > audit.id);
    assert_eq!(system.actor_id, None);

    let setting = app_setting::ActiveModel {
        key: Set("site_name".into()),
        value: Set("Biobank".into()),
        updated_at: Set(now),
    }
    .insert(db)
    .await?;
    assert_eq!(
        AppSettings::find_by_id("site_name").one(db).await?,
        Some(setting)
    );

    Ok(())
}

async fn round_trip(db: &DatabaseConnection) {
    Migrator::up(db, None).await.expect("migrate up");
    let mut expected: Vec<String> = TABLES.iter().map(|s| s.to_string()).collect();
    expected.sort();
    assert_eq!(user_tables(db).await, expected);
    check_id_columns(db).await;
    select_all_entities(db)
        .await
        .expect("select from every entity");

    insert_and_read(db).await.expect("insert/read rows");

    Migrator::down(db, None).await.expect("migrate down");
    assert_eq!(user_tables(db).await, Vec::<String>::new());
    assert!(
        Migrator::get_applied_migrations(db)
            .await
            .unwrap()
            .is_empty()
    );

    Migrator::up(db, None).await.expect("migrate up again");
    assert_eq!(user_tables(db).await, expected);
    select_all_entities(db).await.expect("select after re-up");
    assert!(Institutions::find().all(db).await.unwrap().is_empty());
}

#[tokio::test]
async fn schema_round_trip_sqlite() {
    let db = Database::connect("sqlite::memory:").await.unwrap();
    round_trip(&db).await;
    db.close().await.unwrap();
}

#[tokio::test]
async fn schema_round_trip_postgres() {
    let Ok(url) = std::env::var("BIOBANK_TEST_DATABASE_URL") else {
        eprintln!("BIOBANK_TEST_DATABASE_URL not set; skipping the PostgreSQL run");
        return;
    };
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_nanos();
    let schema = format!("t_{}_{:x}", std::process::id(), nanos);

    let admin = Database::connect(url.as_str()).await.unwrap();
    assert_eq!(admin.get_database_backend(), DbBackend::Postgres);
    admin
        .execute_unprepared(&format!(r#"CREATE SCHEMA "{schema}""#))
        .await
        .unwrap();

    let mut opts = ConnectOptions::new(url.clone());
    opts.set_schema_search_path(schema.clone())
        .max_connections(2);
    let db = Database::connect(opts).await.unwrap();

    // Run in a task so that a failed assertion still lets us drop the schema.
    let task_schema = schema.clone();
    let result = tokio::spawn(async move {
        let current = query_strings(&db, "SELECT CAST(current_schema() AS TEXT)").await;
        assert_eq!(current, vec![vec![task_schema]]);
        round_trip(&db).await;
        db.close().await.unwrap();
    })
    .await;

    admin
        .execute_unprepared(&format!(r#"DROP SCHEMA "{schema}" CASCADE"#))
        .await
        .unwrap();
    admin.close().await.unwrap();
    if let Err(e) = result {
        std::panic::resume_unwind(e.into_panic());
    }
}
