//! Reading MCPD files as people really send them (reference/MCPD.md, "What real files look
//! like"): any delimiter, BOM, CRLF, legacy encodings, legacy codes. Every row is checked and
//! normalised here, without a database, and every change or problem is reported with the file
//! line, column and value so the curator can trust (or fix) what is imported.

mod columns;
mod dms;
mod encoding;
mod pdci;
mod rows;

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;

pub use columns::{COLUMNS, field_for, material_type_for_storage};
pub use dms::{DmsValue, parse_dms};
pub use encoding::{Decoded, decode, repair_mojibake};
pub use pdci::pdci;
use rows::{check_duplicate, normalise_row};

use super::super::FieldError;
use super::{
    PartialDate, format_storage, normalise_mlsstat, parse_collsrc, parse_sampstat, parse_storage,
    split_species_authority, validate_country_code, validate_genus, validate_instcode,
    validate_species, validate_wiews_code,
};

/// How serious a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    /// The row cannot be imported as it is.
    Error,
    /// The value was rewritten into its MCPD form.
    Normalised,
    /// Information: an ignored column, a skipped child row, the detected encoding.
    Note,
}

impl Severity {
    /// The word used in reports.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Normalised => "normalised",
            Severity::Note => "note",
        }
    }
}

/// One line of the import report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    /// Line of the file where the row starts (the header is line 1); 0 for the whole file.
    pub line: usize,
    /// MCPD column (or the file's own header for unknown columns); empty for the whole row.
    pub column: String,
    /// The value as it was in the file.
    pub value: String,
    /// Error, normalisation or note.
    pub severity: Severity,
    /// What is wrong or what was changed, in plain words.
    pub message: String,
}

/// One accession row, normalised.
#[derive(Debug, Clone)]
pub struct McpdRow {
    /// Line of the file where the row starts.
    pub line: usize,
    /// Normalised values by MCPD column, for every column the file has (empty = unknown).
    pub values: BTreeMap<&'static str, String>,
    /// Passport data completeness index of the row, 0–10.
    pub pdci: f64,
    /// What was changed or is wrong in this row.
    pub findings: Vec<Finding>,
}

impl McpdRow {
    /// True when nothing stops the row from being imported.
    pub fn is_valid(&self) -> bool {
        !self.findings.iter().any(|f| f.severity == Severity::Error)
    }

    /// A column's value, `None` when absent or empty.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.values
            .get(column)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }

    /// Records an error found later (e.g. by the registry or against the database).
    pub fn add_error(&mut self, column: &str, value: &str, message: impl Into<String>) {
        self.findings.push(Finding {
            line: self.line,
            column: column.to_string(),
            value: value.to_string(),
            severity: Severity::Error,
            message: message.into(),
        });
    }
}

/// A whole file, read and checked.
#[derive(Debug, Clone)]
pub struct McpdFile {
    /// Encoding the file was read as.
    pub encoding: &'static str,
    /// The delimiter found in the header.
    pub delimiter: char,
    /// Accession rows in file order (child rows are left out).
    pub rows: Vec<McpdRow>,
    /// Findings about the whole file: encoding, ignored columns, skipped child rows.
    pub findings: Vec<Finding>,
    /// Number of child rows (Germinate plants/plots/samples) skipped.
    pub children_skipped: usize,
}

/// What the reader needs from outside: the date (for "not in the future"), the institute
/// code for rows without INSTCODE, and a mapping for descriptive headers.
#[derive(Debug, Clone)]
pub struct ReadOptions {
    /// Today, so dates in the future are refused.
    pub today: NaiveDate,
    /// INSTCODE used when a row leaves it empty.
    pub default_instcode: Option<String>,
    /// File header → MCPD column, for files with descriptive headers ("Accession number").
    pub column_map: Vec<(String, String)>,
}

/// A header cell's meaning.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Col {
    Mcpd(&'static str),
    EntityType,
    EntityParent,
    Ignored,
}

/// Reads an MCPD file. Problems with single rows are findings; only a file that cannot be
/// read as MCPD at all (no header, no ACCENUMB column, broken quoting) is an error.
pub fn read_mcpd(bytes: &[u8], opts: &ReadOptions) -> Result<McpdFile, FieldError> {
    let decoded = decode(bytes);
    let mut findings = Vec::new();
    if decoded.encoding != "UTF-8" {
        findings.push(note(
            0,
            "",
            "",
            format!(
                "the file is not UTF-8; it was read as {} — check accented and Chinese names",
                decoded.encoding
            ),
        ));
    }
    let header_line = decoded.text.lines().next().unwrap_or("");
    let delimiter = detect_delimiter(header_line);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(delimiter as u8)
        .has_headers(false)
        .flexible(true)
        .from_reader(decoded.text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(csv_error(&e)),
        None => {
            return Err(FieldError::new(
                "file",
                "empty",
                "the file is empty; expected a header row of MCPD columns",
            ));
        }
    };
    let cols = map_header(&header, &opts.column_map, &mut findings)?;
    let mut rows = Vec::new();
    let mut seen: HashMap<(String, String), usize> = HashMap::new();
    let mut children_skipped = 0;
    // The reader's own line count skips newlines inside quotes; count them from byte offsets.
    let (mut counted_to, mut line) = (0usize, 1usize);
    for record in records {
        let record = record.map_err(|e| csv_error(&e))?;
        let bytes = decoded.text.as_bytes();
        // After CRLF the reported start is the '\n'; the record begins after line breaks.
        let mut start = record
            .position()
            .map_or(counted_to, |p| p.byte() as usize)
            .min(bytes.len());
        while bytes.get(start).is_some_and(|b| matches!(b, b'\r' | b'\n')) {
            start += 1;
        }
        line += bytes[counted_to.min(start)..start]
            .iter()
            .filter(|b| **b == b'\n')
            .count();
        counted_to = start;
        if record.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        let mut cells: Vec<(&'static str, &str)> = Vec::new();
        let (mut entity, mut parent) = ("", "");
        for (i, cell) in record.iter().enumerate() {
            match cols.get(i).copied().unwrap_or(Col::Ignored) {
                Col::Mcpd(c) => cells.push((c, cell)),
                Col::EntityType => entity = cell.trim(),
                Col::EntityParent => parent = cell.trim(),
                Col::Ignored => {}
            }
        }
        if !entity.is_empty() && !entity.eq_ignore_ascii_case("accession") {
            children_skipped += 1;
            findings.push(note(
                line,
                "Entity type",
                entity,
                format!(
                    "child row ({entity}) of accession {} skipped; only accessions are imported",
                    if parent.is_empty() { "?" } else { parent }
                ),
            ));
            continue;
        }
        // Columns the file lacks still exist as empty values so every row has the same shape.
        for c in cols.iter() {
            if let Col::Mcpd(code) = c
                && !cells.iter().any(|(k, _)| k == code)
            {
                cells.push((code, ""));
            }
        }
        let mut row = normalise_row(line, &cells, opts);
        check_duplicate(&mut row, &mut seen);
        rows.push(row);
    }
    if children_skipped > 0 {
        findings.push(note(
            0,
            "Entity type",
            "",
            format!("{children_skipped} child rows (plants, plots, samples) skipped"),
        ));
    }
    Ok(McpdFile {
        encoding: decoded.encoding,
        delimiter,
        rows,
        findings,
        children_skipped,
    })
}

fn note(line: usize, column: &str, value: &str, message: String) -> Finding {
    Finding {
        line,
        column: column.to_string(),
        value: value.to_string(),
        severity: Severity::Note,
        message,
    }
}

fn csv_error(e: &csv::Error) -> FieldError {
    let line = e.position().map(|p| p.line()).unwrap_or(0);
    FieldError::new(
        "file",
        "unreadable",
        format!("line {line}: the file cannot be read as CSV: {e}"),
    )
}

/// The most frequent of comma, tab and semicolon in the header line (outside quotes).
fn detect_delimiter(header: &str) -> char {
    let mut counts = [(',', 0), ('\t', 0), (';', 0)];
    let mut quoted = false;
    for ch in header.chars() {
        if ch == '"' {
            quoted = !quoted;
        } else if !quoted && let Some(e) = counts.iter_mut().find(|(d, _)| *d == ch) {
            e.1 += 1;
        }
    }
    counts
        .iter()
        .max_by_key(|(_, n)| *n)
        .map_or(',', |(d, _)| *d)
}

fn map_header(
    header: &csv::StringRecord,
    column_map: &[(String, String)],
    findings: &mut Vec<Finding>,
) -> Result<Vec<Col>, FieldError> {
    let mut cols = Vec::new();
    for name in header.iter() {
        let name = name.trim().trim_start_matches('\u{FEFF}');
        let mapped = column_map
            .iter()
            .find(|(from, _)| from.trim().eq_ignore_ascii_case(name))
            .map(|(_, to)| to.as_str())
            .unwrap_or(name);
        let col = if let Some((code, _)) = COLUMNS
            .iter()
            .find(|(code, _)| code.eq_ignore_ascii_case(mapped.trim()))
        {
            Col::Mcpd(code)
        } else if name.eq_ignore_ascii_case("Entity type") {
            Col::EntityType
        } else if name.eq_ignore_ascii_case("Entity parent ACCENUMB") {
            Col::EntityParent
        } else {
            if !name.is_empty() {
                findings.push(note(
                    1,
                    name,
                    "",
                    format!("column '{name}' is not an MCPD field and was ignored"),
                ));
            }
            Col::Ignored
        };
        if let Col::Mcpd(code) = col
            && cols.contains(&col)
        {
            return Err(FieldError::new(
                code,
                "duplicate_column",
                format!("line 1: column {code} appears twice in the header"),
            ));
        }
        cols.push(col);
    }
    for required in ["ACCENUMB", "GENUS"] {
        if !cols.contains(&Col::Mcpd(required)) {
            return Err(FieldError::new(
                required,
                "missing_column",
                format!(
                    "line 1: the header has no {required} column (is this an MCPD file, and is the delimiter a comma, tab or semicolon?)"
                ),
            ));
        }
    }
    Ok(cols)
}

/// The report as CSV: line, column, value, severity, message.
pub fn report_csv<'a>(findings: impl IntoIterator<Item = &'a Finding>) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(["line", "column", "value", "severity", "message"]);
    for f in findings {
        let line = f.line.to_string();
        let _ = w.write_record([
            line.as_str(),
            f.column.as_str(),
            f.value.as_str(),
            f.severity.as_str(),
            f.message.as_str(),
        ]);
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

/// Writes accessions as an MCPD file in the canonical column order; `value` gives a column's
/// content for a record.
pub fn write_mcpd<R>(records: &[R], value: impl Fn(&R, &str) -> String) -> String {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(Vec::new());
    let _ = w.write_record(COLUMNS.iter().map(|(c, _)| *c));
    for r in records {
        let _ = w.write_record(COLUMNS.iter().map(|(c, _)| value(r, c)));
    }
    String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
}

#[cfg(test)]
mod tests;
