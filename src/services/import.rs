//! Importing MCPD passport files into the accession registry. The file is read and every row
//! checked first (domain::mcpd::import); then all rows are written in one transaction, so a
//! refused import leaves nothing behind. Rows that match an existing accession (by PUID, else
//! INSTCODE+ACCENUMB) update it and the report says which fields changed.

use std::collections::{HashMap, HashSet};

use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set, TransactionSession,
    TransactionTrait, Value,
};

use entities::{accession, accession_plant, audit_log};

use super::accessions::{self, AccessionDetail};
use super::fields::{self, Checked, RawInput, Store};
use super::{Actor, now};
use crate::domain::material::{AccessionStatus, MaterialType};
use crate::domain::mcpd::import::{
    self as mcpd_import, COLUMNS, Finding, McpdRow, ReadOptions, Severity,
};
use crate::domain::pid;
use crate::error::{AppError, AppResult};

/// How to import.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Check and report, write nothing.
    pub dry_run: bool,
    /// Import the valid rows even when others are invalid.
    pub skip_invalid: bool,
    /// File header → MCPD column, for descriptive headers.
    pub column_map: Vec<(String, String)>,
}

/// What an import did (or, refused or dry, would have done).
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// Encoding the file was read as.
    pub encoding: &'static str,
    /// Accession rows in the file (child rows not counted).
    pub rows: usize,
    /// New accessions.
    pub created: usize,
    /// Existing accessions whose passport changed.
    pub updated: usize,
    /// Existing accessions the file leaves as they were.
    pub unchanged: usize,
    /// Rows with at least one error.
    pub invalid: usize,
    /// Germinate child rows skipped.
    pub children_skipped: usize,
    /// Mean PDCI of the accession rows.
    pub mean_pdci: f64,
    /// True when the changes were committed.
    pub committed: bool,
    /// True when invalid rows stopped the import (all-or-nothing).
    pub refused: bool,
    /// Every finding: file notes, row errors, normalisations and per-row outcomes.
    pub findings: Vec<Finding>,
}

impl ImportReport {
    /// Errors only, in file order.
    pub fn errors(&self) -> impl Iterator<Item = &Finding> {
        self.findings
            .iter()
            .filter(|f| f.severity == Severity::Error)
    }

    /// The per-row report as CSV.
    pub fn to_csv(&self) -> String {
        mcpd_import::report_csv(&self.findings)
    }
}

/// A row ready to write.
struct Planned {
    row: McpdRow,
    raw: RawInput,
    material_type: MaterialType,
    values: std::collections::BTreeMap<&'static str, Checked>,
    existing: Option<i64>,
    pid: String,
}

/// Rows per multi-row INSERT; PostgreSQL and SQLite both allow far more bind values than
/// 200 × the widest table.
const CHUNK: usize = 200;

/// Imports an MCPD file. A file that cannot be read at all is an `Invalid` error; row problems
/// are in the report, and with any of them (unless `skip_invalid`) nothing is written.
pub async fn import_mcpd<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    pid_scheme: &pid::PidScheme,
    default_institute: &str,
    bytes: &[u8],
    opts: &ImportOptions,
) -> AppResult<ImportReport> {
    let today = now().date_naive();
    let read = ReadOptions {
        today,
        default_instcode: Some(default_institute.to_string()),
        column_map: opts.column_map.clone(),
    };
    let file = mcpd_import::read_mcpd(bytes, &read).map_err(|e| AppError::Invalid(vec![e]))?;
    let mut report = ImportReport {
        encoding: file.encoding,
        rows: file.rows.len(),
        children_skipped: file.children_skipped,
        findings: file.findings.clone(),
        ..Default::default()
    };
    if !file.rows.is_empty() {
        report.mean_pdci = file.rows.iter().map(|r| r.pdci).sum::<f64>() / file.rows.len() as f64;
    }

    let index = ExistingIndex::load(db).await?;
    let mut planned = Vec::new();
    let mut new_pids: HashMap<String, usize> = HashMap::new();
    let mut invalid_rows = Vec::new();
    for mut row in file.rows {
        let plan = plan_row(&mut row, &index, pid_scheme, today, &mut new_pids);
        match plan {
            Some((raw, material_type, values, existing, pid)) if row.is_valid() => {
                planned.push(Planned {
                    row,
                    raw,
                    material_type,
                    values,
                    existing,
                    pid,
                })
            }
            _ => invalid_rows.push(row),
        }
    }
    report.invalid = invalid_rows.len();
    let refuse = !invalid_rows.is_empty() && !opts.skip_invalid;
    let mut row_findings: Vec<Finding> = Vec::new();
    for r in &invalid_rows {
        row_findings.extend(r.findings.iter().cloned());
        if !refuse {
            row_findings.push(outcome(r.line, "row skipped because of the errors above"));
        }
    }
    if refuse {
        report.refused = true;
        for p in &planned {
            row_findings.extend(p.row.findings.iter().cloned());
        }
        finish(&mut report, row_findings);
        return Ok(report);
    }

    let txn = db.begin().await?;
    let new: Vec<&Planned> = planned.iter().filter(|p| p.existing.is_none()).collect();
    for chunk in new.chunks(CHUNK) {
        insert_chunk(&txn, actor, chunk).await?;
    }
    report.created = new.len();
    for p in &planned {
        row_findings.extend(p.row.findings.iter().cloned());
        match p.existing {
            None => row_findings.push(outcome(
                p.row.line,
                format!("created {} accession {}", p.material_type.as_str(), p.pid),
            )),
            Some(id) => match update_existing(&txn, actor, id, p).await {
                Ok(changed) if changed.is_empty() => {
                    report.unchanged += 1;
                    row_findings.push(outcome(p.row.line, "unchanged"));
                }
                Ok(changed) => {
                    report.updated += 1;
                    row_findings.push(outcome(
                        p.row.line,
                        format!("updated {}: {}", p.pid, changed.join(", ")),
                    ));
                }
                Err(e) => {
                    let message = e.public_message();
                    row_findings.push(Finding {
                        line: p.row.line,
                        column: "ACCENUMB".into(),
                        value: p.raw.get("accession_number").cloned().unwrap_or_default(),
                        severity: Severity::Error,
                        message: message.clone(),
                    });
                    report.invalid += 1;
                    if !opts.skip_invalid {
                        drop(txn);
                        report.refused = true;
                        report.created = 0;
                        report.updated = 0;
                        report.unchanged = 0;
                        finish(&mut report, row_findings);
                        return Ok(report);
                    }
                    row_findings.push(outcome(
                        p.row.line,
                        "row skipped because of the error above",
                    ));
                }
            },
        }
    }
    if opts.dry_run {
        txn.rollback().await?;
    } else {
        txn.commit().await?;
        report.committed = true;
    }
    finish(&mut report, row_findings);
    Ok(report)
}

fn outcome(line: usize, message: impl Into<String>) -> Finding {
    Finding {
        line,
        column: String::new(),
        value: String::new(),
        severity: Severity::Note,
        message: message.into(),
    }
}

fn finish(report: &mut ImportReport, mut row_findings: Vec<Finding>) {
    row_findings.sort_by_key(|f| f.line);
    report.findings.sort_by_key(|f| f.line);
    report.findings.extend(row_findings);
    report.findings.sort_by_key(|f| f.line);
}

/// Identifiers already in the database, loaded once so rows are matched without a query each.
struct ExistingIndex {
    by_number: HashMap<(String, String), i64>,
    by_puid: HashMap<String, i64>,
    pids: HashSet<String>,
}

impl ExistingIndex {
    async fn load<C: ConnectionTrait>(conn: &C) -> AppResult<ExistingIndex> {
        let core: Vec<(i64, String, String, String)> = accession::Entity::find()
            .select_only()
            .columns([
                accession::Column::Id,
                accession::Column::InstituteCode,
                accession::Column::AccessionNumber,
                accession::Column::Pid,
            ])
            .into_tuple()
            .all(conn)
            .await?;
        let puids: Vec<(i64, Option<String>)> = accession_plant::Entity::find()
            .select_only()
            .columns([
                accession_plant::Column::AccessionId,
                accession_plant::Column::Puid,
            ])
            .filter(accession_plant::Column::Puid.is_not_null())
            .into_tuple()
            .all(conn)
            .await?;
        let mut index = ExistingIndex {
            by_number: HashMap::new(),
            by_puid: HashMap::new(),
            pids: HashSet::new(),
        };
        for (id, inst, number, pid) in core {
            index.by_number.insert((inst, number), id);
            index.pids.insert(pid);
        }
        for (id, puid) in puids {
            if let Some(p) = puid {
                index.by_puid.insert(p, id);
            }
        }
        Ok(index)
    }
}

type Plan = (
    RawInput,
    MaterialType,
    std::collections::BTreeMap<&'static str, Checked>,
    Option<i64>,
    String,
);

/// Checks a domain-valid row against the field registry and the database.
fn plan_row(
    row: &mut McpdRow,
    index: &ExistingIndex,
    pid_scheme: &pid::PidScheme,
    today: chrono::NaiveDate,
    new_pids: &mut HashMap<String, usize>,
) -> Option<Plan> {
    if !row.is_valid() {
        return None;
    }
    let material_type = mcpd_import::material_type_for_storage(row.get("STORAGE").unwrap_or(""));
    let mut raw = RawInput::new();
    for (col, value) in &row.values {
        if let Some(field) = mcpd_import::field_for(col) {
            raw.insert(field.to_string(), value.clone());
        }
    }
    let values = match fields::check_record(material_type, &raw, today, true) {
        Ok(v) => v,
        Err(errors) => {
            for e in errors {
                let col = column_of(&e.field);
                let value = raw.get(&e.field).cloned().unwrap_or_default();
                row.add_error(col, &value, e.message);
            }
            return None;
        }
    };
    let inst = raw.get("institute_code").cloned().unwrap_or_default();
    let number = raw.get("accession_number").cloned().unwrap_or_default();
    let existing = row
        .get("PUID")
        .and_then(|p| index.by_puid.get(p))
        .or_else(|| index.by_number.get(&(inst.clone(), number.clone())))
        .copied();
    let new_pid = pid_scheme.issue(&pid::local_id(&inst, &number));
    if existing.is_none() {
        let clash = if index.pids.contains(&new_pid) {
            Some("an accession already in the database".to_string())
        } else {
            new_pids.get(&new_pid).map(|l| format!("line {l}"))
        };
        if let Some(other) = clash {
            row.add_error(
                "ACCENUMB",
                &number,
                format!(
                    "ACCENUMB: {number} would get the identifier {new_pid}, which {other} already has; numbers must differ in more than punctuation"
                ),
            );
            return None;
        }
        new_pids.insert(new_pid.clone(), row.line);
    }
    Some((raw, material_type, values, existing, new_pid))
}

/// The MCPD column an accession field comes from (for messages).
fn column_of(field: &str) -> &'static str {
    COLUMNS
        .iter()
        .find(|(_, f)| *f == Some(field))
        .map_or("ACCENUMB", |(c, _)| c)
}

/// Inserts new accessions with their plant passport and audit records, a chunk at a time.
async fn insert_chunk<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    chunk: &[&Planned],
) -> AppResult<()> {
    let stamp = now();
    let cores = chunk.iter().map(|p| {
        let mut am = accession::ActiveModel {
            pid: Set(p.pid.clone()),
            material_type: Set(p.material_type.as_str().to_string()),
            taxon_name: Set(accessions::display_taxon(&p.values)),
            status: Set(AccessionStatus::Active.as_str().to_string()),
            created_by: Set(actor.user_id),
            created_at: Set(stamp),
            updated_at: Set(stamp),
            ..Default::default()
        };
        accessions::write_fields(&mut am, Store::Core, p.material_type, &p.values);
        am
    });
    accession::Entity::insert_many(cores)
        .exec_without_returning(conn)
        .await?;
    let pids: Vec<String> = chunk.iter().map(|p| p.pid.clone()).collect();
    let models: HashMap<String, accession::Model> = accession::Entity::find()
        .filter(accession::Column::Pid.is_in(pids))
        .all(conn)
        .await?
        .into_iter()
        .map(|m| (m.pid.clone(), m))
        .collect();
    let mut plants = Vec::with_capacity(chunk.len());
    let mut audits = Vec::with_capacity(chunk.len());
    for p in chunk {
        let core = models
            .get(&p.pid)
            .cloned()
            .ok_or_else(|| AppError::Internal(format!("imported {} not found", p.pid)))?;
        let mut am = accession_plant::ActiveModel {
            accession_id: Set(core.id),
            pdci: Set(Some(p.row.pdci)),
            ..Default::default()
        };
        accessions::write_fields(&mut am, Store::Plant, p.material_type, &p.values);
        plants.push(am);
        let detail = detail_from(core, p);
        audits.push(audit_log::ActiveModel {
            actor_id: Set(actor.user_id),
            actor_name: Set(actor.name.clone()),
            action: Set("import".to_string()),
            table_name: Set("accessions".to_string()),
            row_id: Set(detail.core.id.to_string()),
            before_json: Set(None),
            after_json: Set(Some(detail.to_json(false).to_string())),
            client_ip: Set(actor.ip.clone()),
            created_at: Set(stamp),
            ..Default::default()
        });
    }
    accession_plant::Entity::insert_many(plants)
        .exec_without_returning(conn)
        .await?;
    audit_log::Entity::insert_many(audits)
        .exec_without_returning(conn)
        .await?;
    Ok(())
}

/// The record as `accessions::load` would return it, without reading it back.
fn detail_from(core: accession::Model, p: &Planned) -> AccessionDetail {
    let mut values = std::collections::BTreeMap::new();
    for spec in fields::fields_for(p.material_type) {
        let v: Value = p
            .values
            .get(spec.name)
            .map(Checked::to_value)
            .unwrap_or_else(|| fields::null_value(spec.kind));
        values.insert(spec.name, v);
    }
    AccessionDetail {
        core,
        material_type: p.material_type,
        values,
    }
}

/// Updates an existing accession with the row's fields; returns the fields that changed
/// (empty when the record already says the same, in which case nothing is written).
async fn update_existing<C: ConnectionTrait + TransactionTrait>(
    conn: &C,
    actor: &Actor,
    id: i64,
    p: &Planned,
) -> AppResult<Vec<&'static str>> {
    let before = accessions::load(conn, id).await?;
    let mut changed = Vec::new();
    for (field, _) in p.raw.iter() {
        let Some(spec) = fields::spec(field) else {
            continue;
        };
        let new = p
            .values
            .get(spec.name)
            .map(|c| fields::value_to_text(&c.to_value()).unwrap_or_default())
            .unwrap_or_default();
        if new != before.text(spec.name) {
            changed.push(spec.name);
        }
    }
    if changed.is_empty() {
        return Ok(changed);
    }
    accessions::update(conn, actor, id, p.raw.clone(), true, true).await?;
    accession_plant::Entity::update_many()
        .col_expr(accession_plant::Column::Pdci, Expr::value(p.row.pdci))
        .filter(accession_plant::Column::AccessionId.eq(id))
        .exec(conn)
        .await?;
    Ok(changed)
}
