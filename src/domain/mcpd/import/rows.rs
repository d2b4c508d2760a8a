//! Row-level rules: unknown markers, mojibake, codes, dates, coordinates, taxon, required
//! fields and duplicates within the file. Each change or problem becomes a finding.

use super::*;

/// Values that mean "unknown" in the wild but must be empty cells in MCPD.
fn means_unknown(v: &str) -> bool {
    matches!(v.to_ascii_uppercase().as_str(), "NA" | "N/A" | "-" | "--")
}

struct RowBuilder<'o> {
    line: usize,
    values: BTreeMap<&'static str, String>,
    findings: Vec<Finding>,
    opts: &'o ReadOptions,
}

impl RowBuilder<'_> {
    fn error(&mut self, column: &str, value: &str, message: String) {
        self.findings.push(Finding {
            line: self.line,
            column: column.to_string(),
            value: value.to_string(),
            severity: Severity::Error,
            message,
        });
    }

    fn changed(&mut self, column: &str, value: &str, message: String) {
        self.findings.push(Finding {
            line: self.line,
            column: column.to_string(),
            value: value.to_string(),
            severity: Severity::Normalised,
            message,
        });
    }

    fn field_error(&mut self, column: &str, value: &str, e: FieldError) {
        self.error(column, value, e.message);
    }

    fn set(&mut self, column: &'static str, value: String) {
        self.values.insert(column, value);
    }

    fn take(&self, column: &str) -> String {
        self.values.get(column).cloned().unwrap_or_default()
    }
}

/// Cleans one row: unknown markers, mojibake, codes, dates, coordinates, taxon.
pub(super) fn normalise_row(
    line: usize,
    cells: &[(&'static str, &str)],
    opts: &ReadOptions,
) -> McpdRow {
    let mut b = RowBuilder {
        line,
        values: BTreeMap::new(),
        findings: Vec::new(),
        opts,
    };
    for &(col, raw) in cells {
        let v = raw.trim();
        if v.is_empty() {
            b.set(col, String::new());
        } else if means_unknown(v) {
            b.changed(
                col,
                v,
                format!("'{v}' means unknown; MCPD leaves the cell empty"),
            );
            b.set(col, String::new());
        } else if let Some(fixed) = repair_mojibake(v) {
            b.error(
                col,
                v,
                format!(
                    "{col}: '{v}' looks double-encoded (mojibake) and probably means '{fixed}'; save the file as UTF-8 once and import again"
                ),
            );
            b.set(col, String::new());
        } else {
            b.set(col, v.to_string());
        }
    }
    for &(col, _) in cells {
        let v = b.take(col);
        if v.is_empty() {
            continue;
        }
        normalise_cell(&mut b, col, &v);
    }
    normalise_taxon(&mut b);
    normalise_coordinates(&mut b);
    required(&mut b);
    let values = b.values;
    let score = pdci(|c| values.get(c).map(String::as_str));
    McpdRow {
        line,
        values,
        pdci: score,
        findings: b.findings,
    }
}

fn normalise_cell(b: &mut RowBuilder, col: &'static str, v: &str) {
    let today = b.opts.today;
    let result: Result<Option<String>, FieldError> = match col {
        "INSTCODE" => validate_instcode(v).map(|_| None),
        "GENUS" => validate_genus(v).map(|_| None),
        "ACQDATE" | "COLLDATE" => PartialDate::parse(col, v, today).map(|d| Some(d.to_mcpd())),
        "ORIGCTY" => match validate_country_code(col, v) {
            Err(_) if validate_country_code(col, &v.to_ascii_uppercase()).is_ok() => {
                Ok(Some(v.to_ascii_uppercase()))
            }
            other => other.map(|_| None),
        },
        "DECLATITUDE" | "DECLONGITUDE" => decimal_degrees(col, v).map(Some),
        "COORDUNCERT" => whole_number(col, v, 0).map(Some),
        "ELEVATION" => whole_number(col, v, i64::MIN).map(Some),
        "SAMPSTAT" => parse_sampstat(v).map(|c| Some(c.to_string())),
        "COLLSRC" => parse_collsrc(v).map(|c| Some(c.to_string())),
        "STORAGE" => parse_storage(v).map(|c| Some(format_storage(&c))),
        "MLSSTAT" => normalise_mlsstat(v).map(|(c, _)| Some(c.to_string())),
        "COLLCODE" | "BREDCODE" | "DUPLSITE" => wiews_list(col, v).map(Some),
        "DONORCODE" => validate_wiews_code(col, v).map(|_| None),
        _ => Ok(None),
    };
    match result {
        Ok(Some(new)) if new != v => {
            b.changed(col, v, format!("{col}: '{v}' written as '{new}'"));
            b.set(col, new);
        }
        Ok(_) => {}
        Err(e) => {
            b.field_error(col, v, e);
            b.set(col, String::new());
        }
    }
}

fn decimal_degrees(col: &str, v: &str) -> Result<String, FieldError> {
    let x: f64 = v.replace(',', ".").parse().map_err(|_| {
        FieldError::new(
            col,
            "invalid_format",
            format!("{col}: '{v}' is not a number of decimal degrees"),
        )
    })?;
    let limit = if col == "DECLATITUDE" { 90.0 } else { 180.0 };
    if !x.is_finite() || x.abs() > limit {
        return Err(FieldError::new(
            col,
            "out_of_range",
            format!("{col}: {v} is outside -{limit} to {limit} decimal degrees"),
        ));
    }
    Ok(x.to_string())
}

fn whole_number(col: &str, v: &str, min: i64) -> Result<String, FieldError> {
    let x: f64 = v.replace(',', ".").parse().map_err(|_| {
        FieldError::new(
            col,
            "invalid_format",
            format!("{col}: '{v}' is not a number of metres"),
        )
    })?;
    let n = x.round() as i64;
    if !x.is_finite() || n < min {
        return Err(FieldError::new(
            col,
            "out_of_range",
            format!("{col}: '{v}' cannot be negative"),
        ));
    }
    Ok(n.to_string())
}

fn wiews_list(col: &str, v: &str) -> Result<String, FieldError> {
    let codes: Vec<&str> = v
        .split(';')
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .collect();
    for c in &codes {
        validate_wiews_code(col, c)?;
    }
    Ok(codes.join(";"))
}

/// Moves an authority out of SPECIES ("oleracea L.") into SPAUTHOR.
fn normalise_taxon(b: &mut RowBuilder) {
    let species = b.take("SPECIES");
    if species.is_empty() {
        return;
    }
    let (epithet, authority) = split_species_authority(&species);
    let epithet = epithet.to_string();
    if let Some(author) = authority.map(str::to_string) {
        let existing = b.take("SPAUTHOR");
        let msg = if existing.is_empty() {
            b.set("SPAUTHOR", author.clone());
            format!("SPECIES: authority '{author}' moved to SPAUTHOR")
        } else {
            format!("SPECIES: authority '{author}' dropped; SPAUTHOR already says '{existing}'")
        };
        b.changed("SPECIES", &species, msg);
        b.set("SPECIES", epithet.clone());
    }
    if let Err(e) = validate_species(&epithet) {
        b.field_error("SPECIES", &species, e);
    }
}

/// Fills DECLATITUDE/DECLONGITUDE from the DMS columns when they are empty.
fn normalise_coordinates(b: &mut RowBuilder) {
    let mut implied: Option<i32> = None;
    for (dms_col, dec_col, is_lat) in [
        ("LATITUDE", "DECLATITUDE", true),
        ("LONGITUDE", "DECLONGITUDE", false),
    ] {
        let dms = b.take(dms_col);
        if dms.is_empty() || !b.take(dec_col).is_empty() {
            continue;
        }
        let parsed = parse_dms(dms_col, &dms, is_lat)
            .and_then(|d| decimal_degrees(dec_col, &d.degrees.to_string()).map(|s| (d, s)));
        match parsed {
            Ok((d, text)) => {
                let why = if d.was_decimal {
                    format!("{dms_col}: decimal degrees moved to {dec_col} as {text}")
                } else if let Some(u) = d.uncertainty_m {
                    format!(
                        "{dms_col}: '{dms}' converted to {dec_col} {text}; missing digits imply ±{u} m"
                    )
                } else {
                    format!("{dms_col}: '{dms}' converted to {dec_col} {text}")
                };
                b.changed(dms_col, &dms, why);
                b.set(dec_col, text);
                implied = implied.max(d.uncertainty_m);
            }
            Err(e) => b.field_error(dms_col, &dms, e),
        }
    }
    if let Some(u) = implied
        && b.take("COORDUNCERT").is_empty()
    {
        b.changed(
            "COORDUNCERT",
            "",
            format!("COORDUNCERT: set to {u} m, the uncertainty the DMS coordinates imply"),
        );
        b.set("COORDUNCERT", u.to_string());
    }
}

fn required(b: &mut RowBuilder) {
    if b.take("ACCENUMB").is_empty() {
        b.error(
            "ACCENUMB",
            "",
            "ACCENUMB: is empty; every accession needs its number".into(),
        );
    }
    if b.take("GENUS").is_empty() && !b.findings.iter().any(|f| f.column == "GENUS") {
        b.error(
            "GENUS",
            "",
            "GENUS: is empty; every accession needs at least its genus".into(),
        );
    }
    if b.take("INSTCODE").is_empty()
        && !b.findings.iter().any(|f| f.column == "INSTCODE")
        && let Some(code) = b.opts.default_instcode.clone()
    {
        b.findings.push(note(
            b.line,
            "INSTCODE",
            "",
            format!("INSTCODE: empty; this repository's code {code} used"),
        ));
        b.set("INSTCODE", code);
    }
}

pub(super) fn check_duplicate(row: &mut McpdRow, seen: &mut HashMap<(String, String), usize>) {
    let (Some(inst), Some(number)) = (row.get("INSTCODE"), row.get("ACCENUMB")) else {
        return;
    };
    let key = (inst.to_string(), number.to_string());
    if let Some(first) = seen.get(&key) {
        let msg = format!(
            "ACCENUMB: {} {} already appears on line {first}; accession numbers are unique within an institute",
            key.0, key.1
        );
        let number = key.1.clone();
        row.add_error("ACCENUMB", &number, msg);
    } else {
        seen.insert(key, row.line);
    }
}
