//! Importing and exporting MCPD passport files: the real-format Germinate example, the messy
//! files curators actually receive, all-or-nothing imports, re-imports, the round trip, and the
//! `biobank import mcpd` / `biobank export mcpd` commands.

mod common;

use std::path::PathBuf;
use std::process::Command;

use biobank::domain::pid::PidScheme;
use biobank::services::Actor;
use biobank::services::accessions;
use biobank::services::export::export_mcpd;
use biobank::services::import::{ImportOptions, ImportReport, import_mcpd};
use entities::{accession, audit_log};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter};

const GERMINATE: &str = include_str!("fixtures/mcpd_example_germinate.csv");

/// A canonical MCPD file: canonical column order, normalised values, no DMS columns.
const CANONICAL: &str = "\
PUID,INSTCODE,ACCENUMB,COLLNUMB,COLLCODE,COLLNAME,COLLINSTADDRESS,COLLMISSID,GENUS,SPECIES,SPAUTHOR,SUBTAXA,SUBTAUTHOR,CROPNAME,ACCENAME,ACQDATE,ORIGCTY,COLLSITE,DECLATITUDE,LATITUDE,DECLONGITUDE,LONGITUDE,COORDUNCERT,COORDDATUM,GEOREFMETH,ELEVATION,COLLDATE,BREDCODE,BREDNAME,SAMPSTAT,ANCEST,COLLSRC,DONORCODE,DONORNAME,DONORNUMB,OTHERNUMB,DUPLSITE,DUPLINSTNAME,STORAGE,MLSSTAT,REMARKS,ACCEURL
10.18730/ABC1,CHN001,ZDM00001,C-77,CHN004,,,M1998,Oryza,sativa,L.,subsp. japonica,,rice,Nipponbare;日本晴,1998----,CHN,\"Yunnan, Xishuangbanna\",21.95,,100.8,,926,WGS84,GPS,650,19970915,,,300,,21,CHN004,,D-12,IRRI:1234;:88,NOR051,,13;40,1,\"SAMPSTAT:landrace\nsecond line\",https://example.org/a/1
,CHN001,ZDM00002,,,,,,Zea,mays,,,,maize,,,,,,,,,,,,,,,,500,A/B//C,,,,,,,,20,0,,
";

fn scheme() -> PidScheme {
    PidScheme::from_config("url", "", "http://127.0.0.1:8000").unwrap()
}

async fn import(db: &DatabaseConnection, text: &[u8], opts: ImportOptions) -> ImportReport {
    import_mcpd(db, &Actor::system("test"), &scheme(), "CHN001", text, &opts)
        .await
        .expect("file is readable")
}

fn all_or_nothing() -> ImportOptions {
    ImportOptions::default()
}

async fn count(db: &DatabaseConnection) -> u64 {
    accession::Entity::find().count(db).await.unwrap()
}

async fn detail(db: &DatabaseConnection, number: &str) -> accessions::AccessionDetail {
    let core = accession::Entity::find()
        .filter(accession::Column::AccessionNumber.eq(number))
        .one(db)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("{number} not imported"));
    accessions::load(db, core.id).await.unwrap()
}

fn error_columns(report: &ImportReport) -> Vec<(usize, String)> {
    report
        .errors()
        .map(|f| (f.line, f.column.clone()))
        .collect()
}

#[tokio::test]
async fn curator_imports_the_germinate_example_and_child_rows_are_skipped() {
    let (db, _guard) = common::fresh_db().await;
    let started = std::time::Instant::now();
    let report = import(&db, GERMINATE.as_bytes(), all_or_nothing()).await;
    let elapsed = started.elapsed();
    eprintln!(
        "imported {} rows in {:?} ({:.0} rows/s)",
        report.rows,
        elapsed,
        report.rows as f64 / elapsed.as_secs_f64()
    );
    assert!(
        report.committed,
        "{:?}",
        report.errors().collect::<Vec<_>>()
    );
    assert_eq!(
        (report.rows, report.created, report.children_skipped),
        (2000, 2000, 10)
    );
    assert_eq!(count(&db).await, 2000);
    let audits = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("import"))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(audits, 2000);
    let first = detail(&db, "CACTUAR-2001").await;
    assert_eq!(first.material_type.as_str(), "seed");
    assert_eq!(first.text("puid"), "GBR251:CACTUAR-2001:HORDEUM");
    assert_eq!(first.text("origin_country"), "IND");
    assert_eq!(first.text("storage_types"), "11");
    assert_eq!(first.text("latitude"), "26.183333");
    // Decimal elevations are rounded to whole metres and the report says so.
    assert_eq!(detail(&db, "CACTUAR-2002").await.text("elevation_m"), "38");
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.line == 3 && f.column == "ELEVATION" && f.message.contains("'38'"))
    );
    assert!(report.mean_pdci > 0.0);
}

#[tokio::test]
async fn reimporting_updates_what_changed_and_leaves_the_rest() {
    let (db, _guard) = common::fresh_db().await;
    import(&db, CANONICAL.as_bytes(), all_or_nothing()).await;
    let again = import(&db, CANONICAL.as_bytes(), all_or_nothing()).await;
    assert_eq!((again.created, again.updated, again.unchanged), (0, 0, 2));
    // Matched by INSTCODE+ACCENUMB (no PUID) and by PUID: a duplicate is an update, not an error.
    let changed = CANONICAL
        .replace(",maize,", ",corn,")
        .replace("Nipponbare;日本晴", "Nipponbare");
    let report = import(&db, changed.as_bytes(), all_or_nothing()).await;
    assert!(report.committed);
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 2, 0)
    );
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.message.contains("updated") && f.message.contains("crop_name"))
    );
    let maize = detail(&db, "ZDM00002").await;
    assert_eq!(maize.text("crop_name"), "corn");
    let updates = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("update"))
        .filter(audit_log::Column::RowId.eq(maize.core.id.to_string()))
        .count(&db)
        .await
        .unwrap();
    assert_eq!(updates, 1);
    assert_eq!(count(&db).await, 2);
}

#[tokio::test]
async fn messy_files_read_like_clean_ones() {
    let header = ["INSTCODE", "ACCENUMB", "GENUS", "SPECIES", "REMARKS"];
    let row = ["CHN001", "M-1", "Oryza", "sativa", "two\nlines"];
    let quoted = |d: &str, nl: &str| {
        format!(
            "{}{nl}{}{d}{}{d}{}{d}{}{d}\"{}\"{nl}",
            header.join(d),
            row[0],
            row[1],
            row[2],
            row[3],
            row[4].replace('\n', nl)
        )
    };
    let files: Vec<(&str, Vec<u8>)> = vec![
        (
            "BOM and CRLF",
            [b"\xEF\xBB\xBF".as_slice(), quoted(",", "\r\n").as_bytes()].concat(),
        ),
        ("tabs", quoted("\t", "\n").into_bytes()),
        ("semicolons", quoted(";", "\n").into_bytes()),
    ];
    for (what, bytes) in files {
        let (db, _guard) = common::fresh_db().await;
        let report = import(&db, &bytes, all_or_nothing()).await;
        assert!(report.committed, "{what}: {:?}", error_columns(&report));
        let d = detail(&db, "M-1").await;
        assert_eq!(d.text("genus"), "Oryza", "{what}");
        assert!(d.text("remarks").starts_with("two"), "{what}");
        assert!(d.text("remarks").ends_with("lines"), "{what}");
    }
}

#[tokio::test]
async fn legacy_values_are_normalised_before_they_are_stored() {
    let (db, _guard) = common::fresh_db().await;
    let file = "ACCENUMB;GENUS;SPECIES;MLSSTAT;LATITUDE;LONGITUDE;ORIGCTY;STORAGE\n\
                L-1;Brassica;oleracea L.;Y;3655--N;0762510W;NA;20\n";
    let report = import(&db, file.as_bytes(), all_or_nothing()).await;
    assert!(report.committed, "{:?}", error_columns(&report));
    let d = detail(&db, "L-1").await;
    assert_eq!(d.material_type.as_str(), "clonal_plant");
    assert_eq!(d.text("species"), "oleracea");
    assert_eq!(d.text("species_authority"), "L.");
    assert_eq!(d.text("mls_status"), "1");
    assert_eq!(d.text("latitude"), "36.925");
    assert_eq!(d.text("longitude"), "-76.419444");
    assert_eq!(d.text("coordinate_uncertainty_m"), "926");
    assert_eq!(d.text("origin_country"), "");
    assert_eq!(d.text("institute_code"), "CHN001");
    let normalised: Vec<&str> = report
        .findings
        .iter()
        .filter(|f| f.severity.as_str() == "normalised")
        .map(|f| f.column.as_str())
        .collect();
    for col in ["SPECIES", "MLSSTAT", "LATITUDE", "COORDUNCERT", "ORIGCTY"] {
        assert!(normalised.contains(&col), "{col} in {normalised:?}");
    }
}

const BAD: &str = "INSTCODE,ACCENUMB,GENUS,SAMPSTAT,COLLSRC,STORAGE,DECLATITUDE,ORIGCTY,ACQDATE,DONORNAME\n\
CHN001,OK-1,Zea,500,,,,,,\n\
CHN001,BAD-1,Zea,123,77,14,95,XYZ,19841345,\n\
CHN001,OK-1,Zea,,,,,,,\n\
CHN001,BAD-2,,,,,,,,Centro de MaÃ\u{ad}z\n\
CHN001,OK-2,Zea,,,,,,,\n";

#[tokio::test]
async fn one_bad_row_stops_the_whole_import() {
    let (db, _guard) = common::fresh_db().await;
    let report = import(&db, BAD.as_bytes(), all_or_nothing()).await;
    assert!(report.refused && !report.committed);
    assert_eq!(count(&db).await, 0);
    let errors = error_columns(&report);
    for expected in [
        (3, "SAMPSTAT"),
        (3, "COLLSRC"),
        (3, "STORAGE"),
        (3, "DECLATITUDE"),
        (3, "ORIGCTY"),
        (3, "ACQDATE"),
        (4, "ACCENUMB"),
        (5, "DONORNAME"),
        (5, "GENUS"),
    ] {
        assert!(
            errors.contains(&(expected.0, expected.1.to_string())),
            "{expected:?} in {errors:?}"
        );
    }
    let mojibake = report.errors().find(|f| f.column == "DONORNAME").unwrap();
    assert!(mojibake.message.contains("Centro de Maíz"));
}

#[tokio::test]
async fn skip_invalid_imports_the_valid_rows() {
    let (db, _guard) = common::fresh_db().await;
    let opts = ImportOptions {
        skip_invalid: true,
        ..Default::default()
    };
    let report = import(&db, BAD.as_bytes(), opts).await;
    assert!(report.committed);
    assert_eq!((report.created, report.invalid), (2, 3));
    assert_eq!(count(&db).await, 2);
}

#[tokio::test]
async fn a_dry_run_reports_but_writes_nothing() {
    let (db, _guard) = common::fresh_db().await;
    let opts = ImportOptions {
        dry_run: true,
        ..Default::default()
    };
    let report = import(&db, CANONICAL.as_bytes(), opts).await;
    assert_eq!(report.created, 2);
    assert!(!report.committed);
    assert_eq!(count(&db).await, 0);
}

#[tokio::test]
async fn a_canonical_file_comes_back_unchanged() {
    let (db, _guard) = common::fresh_db().await;
    let report = import(&db, CANONICAL.as_bytes(), all_or_nothing()).await;
    assert!(report.committed, "{:?}", error_columns(&report));
    let (text, rows) = export_mcpd(&db).await.unwrap();
    assert_eq!(rows, 2);
    assert_eq!(text, CANONICAL);
}

#[tokio::test]
async fn the_germinate_example_survives_export_and_reimport() {
    let (db, _guard) = common::fresh_db().await;
    import(&db, GERMINATE.as_bytes(), all_or_nothing()).await;
    let (first, rows) = export_mcpd(&db).await.unwrap();
    assert_eq!(rows, 2000);
    let (other, _guard2) = common::fresh_db().await;
    let report = import(&other, first.as_bytes(), all_or_nothing()).await;
    assert_eq!(report.created, 2000);
    assert!(
        !report
            .findings
            .iter()
            .any(|f| f.severity.as_str() == "normalised"),
        "an exported file needs no normalising"
    );
    let (second, _) = export_mcpd(&other).await.unwrap();
    assert_eq!(first, second);
}

/// A scratch directory and SQLite database for running the binary.
struct Scratch {
    dir: PathBuf,
}

impl Scratch {
    fn new() -> Scratch {
        let dir = std::env::temp_dir().join(format!(
            "biobank-mcpd-{}",
            biobank::services::random_token(6).replace(['-', '_'], "x")
        ));
        std::fs::create_dir_all(&dir).unwrap();
        Scratch { dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn write(&self, name: &str, text: &str) -> PathBuf {
        let p = self.path(name);
        std::fs::write(&p, text).unwrap();
        p
    }

    fn biobank(&self, args: &[&str]) -> std::process::Output {
        Command::new(env!("CARGO_BIN_EXE_biobank"))
            .args(args)
            .env(
                "BIOBANK_DATABASE_URL",
                format!("sqlite://{}?mode=rwc", self.path("db.sqlite").display()),
            )
            .env("BIOBANK_INSTITUTE_CODE", "CHN001")
            .env("BIOBANK_LOG", "error")
            .output()
            .unwrap()
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn the_cli_refuses_a_bad_file_with_one_line_and_writes_the_report() {
    let s = Scratch::new();
    let file = s.write("bad.csv", BAD);
    let report = s.path("report.csv");
    let out = s.biobank(&[
        "import",
        "mcpd",
        file.to_str().unwrap(),
        "--report",
        report.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("bad.csv") && stderr.contains("line 3"),
        "{stderr}"
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("line 3, SAMPSTAT, '123'"), "{stdout}");
    let csv = std::fs::read_to_string(&report).unwrap();
    assert!(csv.starts_with("line,column,value,severity,message\n"));
    assert!(csv.contains("3,SAMPSTAT,123,error,"), "{csv}");
    assert!(!stderr.contains("panicked"));
}

#[test]
fn the_cli_imports_skips_and_exports() {
    let s = Scratch::new();
    let bad = s.write("bad.csv", BAD);
    let out = s.biobank(&["import", "mcpd", bad.to_str().unwrap(), "--skip-invalid"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2 created"));
    let good = s.write("good.csv", CANONICAL);
    let out = s.biobank(&["import", "mcpd", good.to_str().unwrap(), "--dry-run"]);
    assert_eq!(out.status.code(), Some(0));
    assert!(text(&out.stdout).contains("dry run"));
    let out = s.biobank(&["import", "mcpd", good.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let export = s.path("export.csv");
    let out = s.biobank(&["export", "mcpd", "--out", export.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let exported = std::fs::read_to_string(&export).unwrap();
    assert!(exported.contains("ZDM00001") && exported.contains("OK-2"));
}

#[test]
fn the_cli_names_the_file_when_it_cannot_be_read_as_mcpd() {
    let s = Scratch::new();
    let out = s.biobank(&["import", "mcpd", s.path("missing.csv").to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("missing.csv"));
    let f = s.write("plain.csv", "name,colour\nrose,red\n");
    let out = s.biobank(&["import", "mcpd", f.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert_eq!(stderr.trim().lines().count(), 1, "{stderr}");
    assert!(
        stderr.contains("plain.csv") && stderr.contains("ACCENUMB"),
        "{stderr}"
    );
}
