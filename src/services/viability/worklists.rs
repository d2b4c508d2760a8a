//! Work lists: which lots to test, regenerate, re-bank or duplicate, computed from every
//! active lot with a fixed handful of queries so that thousands of lots stay fast.

use std::collections::HashMap;
use std::str::FromStr;

use chrono::{Datelike, NaiveDate, TimeDelta};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use entities::{accession, sample, viability_test};

use super::{ConstantsBook, Policies, StorageMap, ViabilitySummary, summarise};
use crate::domain::material::{AccessionStatus, ConservationPurpose, SampleForm, SampleStatus};
use crate::domain::string_enum;
use crate::error::{AppError, AppResult};

string_enum! {
    /// The work lists a technician or curator works through.
    pub enum Worklist("work list") {
        TestsDue = "tests-due" => "Tests due",
        Regenerate = "regenerate" => "Regenerate",
        Rebank = "rebank" => "Re-bank",
        MissingSafetyDuplicate = "missing-safety-duplicate" => "Missing safety duplicate",
        MissingInitialTest = "missing-initial-test" => "Missing initial test",
        FailedQc = "failed-qc" => "Failed mycoplasma or STR (quarantined)",
    }
}

/// One line of a work list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct WorklistRow {
    pub sample_id: i64,
    pub label_code: String,
    pub accession_id: i64,
    pub accession_number: String,
    pub taxon_name: String,
    pub material_type: String,
    pub conservation_purpose: String,
    pub quantity: f64,
    pub unit: String,
    /// Storage path, outermost first, with the position.
    pub location: String,
    /// Why the lot is on the list (`overdue`, `below_threshold`, `below_minimum_quantity`, …).
    pub reason: String,
    /// `overdue`, `this_month` or `next_90_days` on the tests-due list.
    pub bucket: Option<String>,
    pub due: Option<NaiveDate>,
    pub latest_pct: Option<f64>,
    pub predicted_today_pct: Option<f64>,
    pub basis: Option<String>,
    pub detail: Option<String>,
}

/// Narrows a list.
#[derive(Debug, Clone, Default)]
pub struct WorklistFilter {
    pub bucket: Option<String>,
    pub material_type: Option<String>,
    pub conservation_purpose: Option<String>,
}

/// Every active lot with its summary; shared by the lists and the health overview.
pub struct Lot {
    pub sample: sample::Model,
    pub accession: accession::Model,
    pub summary: ViabilitySummary,
    pub location: String,
    /// Storage walking order: path, then position, then label.
    pub walk_key: (String, String, String),
}

const ACTIVE_STATUSES: [SampleStatus; 3] = [
    SampleStatus::Available,
    SampleStatus::Reserved,
    SampleStatus::CheckedOut,
];

/// Loads every active lot of non-deaccessioned accessions with its viability summary.
pub async fn lots<C: ConnectionTrait>(conn: &C, today: NaiveDate) -> AppResult<Vec<Lot>> {
    let samples = sample::Entity::find()
        .filter(sample::Column::Status.is_in(ACTIVE_STATUSES.map(|s| s.as_str())))
        .order_by_asc(sample::Column::Id)
        .all(conn)
        .await?;
    let accessions: HashMap<i64, accession::Model> = accession::Entity::find()
        .filter(accession::Column::Status.ne(AccessionStatus::Deaccessioned.as_str()))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let mut tests: HashMap<i64, Vec<viability_test::Model>> = HashMap::new();
    for t in viability_test::Entity::find()
        .order_by_asc(viability_test::Column::SampleId)
        .order_by_asc(viability_test::Column::TestedOn)
        .order_by_asc(viability_test::Column::Id)
        .all(conn)
        .await?
    {
        tests.entry(t.sample_id).or_default().push(t);
    }
    let storage = StorageMap::load_all(conn).await?;
    let book = ConstantsBook::load(conn).await?;
    let policies = Policies::load(conn).await?;
    let mut out = Vec::with_capacity(samples.len());
    for s in samples {
        let Some(a) = accessions.get(&s.accession_id) else {
            continue;
        };
        let t = tests.get(&s.id).map(Vec::as_slice).unwrap_or(&[]);
        let (summary, _) = summarise(&s, a, t, &storage, &book, &policies, today);
        let path = storage.path(s.storage_unit_id);
        let position = s.position.clone().unwrap_or_default();
        let location = match (path.is_empty(), position.is_empty()) {
            (true, _) => String::new(),
            (false, true) => path.clone(),
            (false, false) => format!("{path} · {position}"),
        };
        // Unstored lots sort last.
        let walk_key = (
            if path.is_empty() {
                "\u{10FFFF}".into()
            } else {
                path
            },
            position,
            s.label_code.clone(),
        );
        out.push(Lot {
            summary,
            location,
            walk_key,
            accession: a.clone(),
            sample: s,
        });
    }
    Ok(out)
}

fn row(l: &Lot, reason: &str) -> WorklistRow {
    WorklistRow {
        sample_id: l.sample.id,
        label_code: l.summary.label_code.clone(),
        accession_id: l.accession.id,
        accession_number: l.accession.accession_number.clone(),
        taxon_name: l.accession.taxon_name.clone(),
        material_type: l.accession.material_type.clone(),
        conservation_purpose: l.sample.conservation_purpose.clone(),
        quantity: l.sample.quantity,
        unit: l.sample.unit.clone(),
        location: l.location.clone(),
        reason: reason.into(),
        bucket: None,
        due: l.summary.next_test_due,
        latest_pct: l.summary.latest_test.as_ref().and_then(|t| t.result_pct),
        predicted_today_pct: l.summary.predicted_viability_today_pct,
        basis: l.summary.basis.clone(),
        detail: None,
    }
}

/// The tests-due bucket of a due date, or None when it is more than 90 days away.
pub fn due_bucket(due: NaiveDate, today: NaiveDate) -> Option<&'static str> {
    if due < today {
        Some("overdue")
    } else if due.year() == today.year() && due.month() == today.month() {
        Some("this_month")
    } else if due <= today + TimeDelta::days(90) {
        Some("next_90_days")
    } else {
        None
    }
}

/// The lots on one list, most urgent first.
pub fn select(list: Worklist, lots: &[Lot], today: NaiveDate) -> Vec<WorklistRow> {
    let mut rows = Vec::new();
    match list {
        Worklist::TestsDue => {
            for l in lots {
                let Some(due) = l.summary.next_test_due else {
                    continue;
                };
                if l.summary.basis.is_none() {
                    continue;
                }
                if let Some(bucket) = due_bucket(due, today) {
                    let mut r = row(
                        l,
                        if l.summary.missing_initial_test {
                            "initial_test"
                        } else {
                            "monitoring_test"
                        },
                    );
                    r.bucket = Some(bucket.into());
                    rows.push(r);
                }
            }
            rows.sort_by_key(|r| (r.due, r.sample_id));
        }
        Worklist::Regenerate => {
            for l in lots.iter().filter(|l| l.accession.material_type == "seed") {
                if l.summary.below_threshold {
                    let mut r = row(l, "below_threshold");
                    r.detail = l.summary.threshold_pct.map(|t| format!("{t:.1}"));
                    rows.push(r);
                } else if let Some(min) = l.summary.policy.min_regeneration_qty
                    && l.sample.quantity < min
                {
                    let mut r = row(l, "below_minimum_quantity");
                    r.detail = Some(format!("{min}"));
                    rows.push(r);
                }
            }
        }
        Worklist::Rebank => {
            for l in lots {
                let form = SampleForm::from_str(&l.sample.form);
                if !matches!(form, Ok(SampleForm::Ampoule | SampleForm::Vial)) {
                    continue;
                }
                if let Some(min) = l.summary.policy.rebank_below_qty
                    && l.sample.quantity < min
                {
                    let mut r = row(l, "below_rebank_threshold");
                    r.detail = Some(format!("{min}"));
                    rows.push(r);
                }
            }
            rows.sort_by(|a, b| a.quantity.total_cmp(&b.quantity));
        }
        Worklist::MissingSafetyDuplicate => {
            let mut by_accession: HashMap<i64, Vec<&Lot>> = HashMap::new();
            for l in lots.iter().filter(|l| l.accession.material_type == "seed") {
                by_accession.entry(l.accession.id).or_default().push(l);
            }
            let dup = ConservationPurpose::SafetyDuplicate.as_str();
            for group in by_accession.values() {
                let dups: Vec<&&Lot> = group
                    .iter()
                    .filter(|l| l.sample.conservation_purpose == dup)
                    .collect();
                if dups.is_empty() {
                    let lead = group
                        .iter()
                        .find(|l| l.sample.conservation_purpose == "base")
                        .unwrap_or(&group[0]);
                    rows.push(row(lead, "no_safety_duplicate"));
                }
                for d in dups {
                    if let Some(min) = d.summary.policy.min_safety_duplicate_qty
                        && d.sample.quantity < min
                    {
                        let mut r = row(d, "safety_duplicate_too_small");
                        r.detail = Some(format!("{min}"));
                        rows.push(r);
                    }
                }
            }
            rows.sort_by(|a, b| a.accession_number.cmp(&b.accession_number));
        }
        Worklist::MissingInitialTest => {
            for l in lots {
                if l.summary.missing_initial_test || !l.summary.missing_tests.is_empty() {
                    let mut r = row(
                        l,
                        if l.summary.missing_initial_test {
                            "no_initial_test"
                        } else {
                            "missing_batch_tests"
                        },
                    );
                    if !l.summary.missing_tests.is_empty() {
                        r.detail = Some(l.summary.missing_tests.join(", "));
                    }
                    rows.push(r);
                }
            }
            rows.sort_by_key(|r| (r.due, r.sample_id));
        }
        Worklist::FailedQc => {
            for l in lots.iter().filter(|l| l.summary.quarantined) {
                let mut r = row(l, "quarantined");
                r.detail = Some(l.summary.failed_qc.join(", "));
                rows.push(r);
            }
        }
    }
    rows
}

fn keep(r: &WorklistRow, f: &WorklistFilter) -> bool {
    let matches = |want: &Option<String>, have: Option<&str>| {
        want.as_deref()
            .filter(|w| !w.is_empty())
            .is_none_or(|w| have == Some(w))
    };
    matches(&f.bucket, r.bucket.as_deref())
        && matches(&f.material_type, Some(&r.material_type))
        && matches(&f.conservation_purpose, Some(&r.conservation_purpose))
}

/// Parses a list's name as it appears in URLs.
pub fn parse_name(name: &str) -> AppResult<Worklist> {
    Worklist::from_str(name).map_err(|_| AppError::NotFound)
}

/// A work list, filtered.
pub async fn worklist<C: ConnectionTrait>(
    conn: &C,
    list: Worklist,
    filter: &WorklistFilter,
    today: NaiveDate,
) -> AppResult<Vec<WorklistRow>> {
    let lots = lots(conn, today).await?;
    Ok(select(list, &lots, today)
        .into_iter()
        .filter(|r| keep(r, filter))
        .collect())
}

/// Rows in storage walking order, for a printed pick list.
pub fn walking_order(rows: &mut [WorklistRow]) {
    rows.sort_by(|a, b| {
        let key = |r: &WorklistRow| {
            (
                r.location.is_empty(),
                r.location.clone(),
                r.label_code.clone(),
            )
        };
        key(a).cmp(&key(b))
    });
}

/// Counts for the collection-health chart.
#[derive(Debug, Clone, Serialize)]
pub struct Health {
    /// (band key, lots): `ge90`, `85to90`, `75to85`, `lt75`, `untested`.
    pub viability: Vec<(&'static str, usize)>,
    /// (band key, lots): `overdue`, `0to3`, `3to12`, `12to60`, `gt60`.
    pub months_until_due: Vec<(&'static str, usize)>,
}

/// Lots of monitored material by viability band and by months until the next test.
pub fn health(lots: &[Lot], today: NaiveDate) -> Health {
    let mut v = [0usize; 5];
    let mut d = [0usize; 5];
    for l in lots.iter().filter(|l| l.summary.basis.is_some()) {
        let pct = l.summary.predicted_viability_today_pct.or(l
            .summary
            .latest_test
            .as_ref()
            .and_then(|t| t.result_pct));
        let i = match pct {
            None => 4,
            Some(p) if p >= 90.0 => 0,
            Some(p) if p >= 85.0 => 1,
            Some(p) if p >= 75.0 => 2,
            Some(_) => 3,
        };
        v[i] += 1;
        if let Some(due) = l.summary.next_test_due {
            let days = (due - today).num_days();
            let j = match days {
                ..0 => 0,
                0..=91 => 1,
                92..=365 => 2,
                366..=1826 => 3,
                _ => 4,
            };
            d[j] += 1;
        }
    }
    Health {
        viability: ["ge90", "85to90", "75to85", "lt75", "untested"]
            .into_iter()
            .zip(v)
            .collect(),
        months_until_due: ["overdue", "0to3", "3to12", "12to60", "gt60"]
            .into_iter()
            .zip(d)
            .collect(),
    }
}

/// A list as CSV (RFC 4180 quoting; cells that a spreadsheet would run as formulas are defused).
pub fn to_csv(rows: &[WorklistRow]) -> String {
    fn cell(s: &str) -> String {
        let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
            format!("'{s}")
        } else {
            s.to_string()
        };
        if s.contains([',', '"', '\n', '\r']) {
            format!("\"{}\"", s.replace('"', "\"\""))
        } else {
            s
        }
    }
    let mut out = String::from(
        "label_code,accession_number,taxon_name,material_type,conservation_purpose,quantity,unit,location,reason,bucket,due,latest_pct,predicted_today_pct,basis,detail\r\n",
    );
    let opt = |v: Option<f64>| v.map(|v| format!("{v:.1}")).unwrap_or_default();
    for r in rows {
        let fields = [
            r.label_code.clone(),
            r.accession_number.clone(),
            r.taxon_name.clone(),
            r.material_type.clone(),
            r.conservation_purpose.clone(),
            r.quantity.to_string(),
            r.unit.clone(),
            r.location.clone(),
            r.reason.clone(),
            r.bucket.clone().unwrap_or_default(),
            r.due.map(|d| d.to_string()).unwrap_or_default(),
            opt(r.latest_pct),
            opt(r.predicted_today_pct),
            r.basis.clone().unwrap_or_default(),
            r.detail.clone().unwrap_or_default(),
        ];
        out.push_str(&fields.iter().map(|f| cell(f)).collect::<Vec<_>>().join(","));
        out.push_str("\r\n");
    }
    out
}
