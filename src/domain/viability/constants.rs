//! Species viability constants (KE, CW, CH, CQ) for the Ellis & Roberts
//! equation, from the table shipped beside this file.

use std::sync::OnceLock;

/// The constants table, embedded so the binary never reads files at run time.
///
/// Columns: `species,single_temperature_fit,KE,CW,CH,CQ,source`. The rows are
/// the compilation of Hong, Linington & Ellis (1996) updated from later
/// literature; the `source` column credits each row and must be kept.
pub const CONSTANTS_CSV: &str = include_str!("seed_viability_constants.csv");

/// One published fit of the viability equation for a species (one CSV row).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SpeciesConstants {
    /// Genus as written in the table, e.g. `Triticum`.
    pub genus: String,
    /// Specific epithet, e.g. `aestivum`; `sp.` marks a genus-level row.
    pub species: String,
    /// Rest of the name (`subsp. indica`, `cv. Muri`, `(Intact seed)`), often empty.
    pub qualifier: String,
    /// True when fitted at one temperature, so CH and CQ are the universal values.
    pub single_temperature_fit: bool,
    /// KE, the species' longevity constant (log10 days).
    pub ke: f64,
    /// CW, the moisture coefficient (per log10 % moisture).
    pub cw: f64,
    /// CH, the linear temperature coefficient (per °C).
    pub ch: f64,
    /// CQ, the quadratic temperature coefficient (per °C²).
    pub cq: f64,
    /// Citation of the fit, shown wherever a prediction is shown.
    pub source: String,
}

impl SpeciesConstants {
    /// The full name as the table writes it, e.g. `Oryza sativa subsp. indica`.
    pub fn name(&self) -> String {
        [&self.genus, &self.species, &self.qualifier]
            .iter()
            .filter(|s| !s.is_empty())
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    }

    /// True when the fit can drive a schedule.
    ///
    /// The equation assumes drier and colder seed lives longer, so CW and CH
    /// must be positive (≥ 0.001: smaller means the fit found no effect) and
    /// CQ non-negative; CH above 1 (σ falling tenfold per °C) is a
    /// transcription slip — the Saccharum row repeats its CW as CH. About ten
    /// rows fail; they stay in the table for display but `lookup` skips them.
    pub fn is_plausible(&self) -> bool {
        [self.ke, self.cw, self.ch, self.cq]
            .iter()
            .all(|v| v.is_finite())
            && self.cw >= 0.001
            && (0.001..1.0).contains(&self.ch)
            && self.cq >= 0.0
    }

    /// True for a row that stands for the whole genus (`Saccharum sp.`).
    pub fn is_genus_level(&self) -> bool {
        matches!(self.species.as_str(), "" | "sp." | "spp.")
    }

    /// True for a hybrid row, which must not stand in for either parent species.
    fn is_hybrid(&self) -> bool {
        self.qualifier.starts_with('×') || self.qualifier.starts_with("x ")
    }
}

/// Every row of the embedded table, in file order, parsed once.
pub fn constants_table() -> &'static [SpeciesConstants] {
    static TABLE: OnceLock<Vec<SpeciesConstants>> = OnceLock::new();
    TABLE.get_or_init(|| {
        // The CSV is compiled in and a unit test parses it, so failure here
        // can only mean the file was edited without running the tests.
        parse_constants(CONSTANTS_CSV).expect("embedded seed_viability_constants.csv is valid")
    })
}

/// Finds the constants for a taxon, case-insensitively.
///
/// Order of preference: the exact name including any qualifier (so
/// `sativa subsp. indica` finds that row); then the species without a
/// qualifier; then a qualified row of the species (not a hybrid); then a
/// genus-level row. Rows failing [`SpeciesConstants::is_plausible`] are never
/// returned. Where a species has several fits, a multi-temperature fit wins
/// (its own CH and CQ matter when extrapolating to −18 °C), then file order —
/// which reproduces the wheat, rice, lettuce and soybean figures of
/// GENEBANK_STANDARDS.md.
pub fn lookup(genus: &str, species: &str) -> Option<&'static SpeciesConstants> {
    lookup_in(constants_table(), genus, species)
}

/// [`lookup`] over any table, so the preference order can be tested on small tables.
fn lookup_in<'t>(
    table: &'t [SpeciesConstants],
    genus: &str,
    species: &str,
) -> Option<&'t SpeciesConstants> {
    let genus = normalise(genus);
    let species = normalise(species);
    let epithet = species.split(' ').next().unwrap_or("");
    let rows: Vec<&SpeciesConstants> = table
        .iter()
        .filter(|c| c.is_plausible() && normalise(&c.genus) == genus)
        .collect();
    let tiers: [&dyn Fn(&SpeciesConstants) -> bool; 4] = [
        &|c| normalise(&format!("{} {}", c.species, c.qualifier)) == species,
        &|c| normalise(&c.species) == epithet && c.qualifier.is_empty(),
        &|c| normalise(&c.species) == epithet && !c.is_hybrid() && !epithet.is_empty(),
        &|c| c.is_genus_level(),
    ];
    tiers.iter().find_map(|matches| {
        let mut hits = rows.iter().copied().filter(|c| matches(c)).peekable();
        let first = *hits.peek()?;
        Some(hits.find(|c| !c.single_temperature_fit).unwrap_or(first))
    })
}

/// Lower-cases and collapses whitespace so user input matches table names.
fn normalise(s: &str) -> String {
    s.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

/// Parses the constants CSV, locating columns by header name.
fn parse_constants(text: &str) -> Result<Vec<SpeciesConstants>, String> {
    let mut lines = text.lines().filter(|l| !l.trim().is_empty());
    let header = split_csv_line(lines.next().ok_or("empty constants table")?)?;
    let col = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| format!("constants table has no '{name}' column"))
    };
    let (name_i, single_i, source_i) = (
        col("species")?,
        col("single_temperature_fit")?,
        col("source")?,
    );
    let (ke_i, cw_i, ch_i, cq_i) = (col("KE")?, col("CW")?, col("CH")?, col("CQ")?);

    let mut rows = Vec::new();
    for (n, line) in lines.enumerate() {
        let row_no = n + 2;
        let fields = split_csv_line(line)?;
        let get = |i: usize| fields.get(i).map(|s| s.trim()).unwrap_or("");
        let num = |i: usize| {
            get(i)
                .parse::<f64>()
                .map_err(|_| format!("row {row_no}: '{}' is not a number", get(i)))
        };
        let mut words = get(name_i).splitn(3, ' ');
        let genus = words.next().unwrap_or("").to_string();
        let species = words.next().unwrap_or("").to_string();
        let qualifier = words.next().unwrap_or("").trim().to_string();
        if genus.is_empty() {
            return Err(format!("row {row_no}: no species name"));
        }
        let single_temperature_fit = match get(single_i).to_ascii_lowercase().as_str() {
            "yes" | "true" | "y" | "1" => true,
            "no" | "false" | "n" | "0" | "" => false,
            other => return Err(format!("row {row_no}: '{other}' is not yes/no")),
        };
        rows.push(SpeciesConstants {
            genus,
            species,
            qualifier,
            single_temperature_fit,
            ke: num(ke_i)?,
            cw: num(cw_i)?,
            ch: num(ch_i)?,
            cq: num(cq_i)?,
            source: get(source_i).to_string(),
        });
    }
    Ok(rows)
}

/// Splits one RFC 4180 line; quoted fields may hold commas and doubled quotes.
fn split_csv_line(line: &str) -> Result<Vec<String>, String> {
    let mut fields = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    while let Some(ch) = chars.next() {
        match (quoted, ch) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => fields.push(std::mem::take(&mut field)),
            (_, c) => field.push(c),
        }
    }
    if quoted {
        return Err(format!("unterminated quote in: {line}"));
    }
    fields.push(field);
    Ok(fields)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_table_parses_all_164_rows_with_sources() {
        let table = parse_constants(CONSTANTS_CSV).unwrap();
        assert_eq!(table.len(), 164);
        assert_eq!(constants_table().len(), 164);
        let with_source = table.iter().filter(|c| !c.source.is_empty()).count();
        assert_eq!(
            with_source, 163,
            "one Lallemantia row has no source in the reference"
        );
        let first = &table[0];
        assert_eq!(first.name(), "Abelmoschus esculentus");
        assert!(first.single_temperature_fit);
        assert_eq!(first.source, "Daniel, Kruse, and Börner, 2013");
    }

    #[test]
    fn quoted_fields_keep_commas_and_doubled_quotes() {
        let f = split_csv_line(r#"a,"b, c","say ""hi""",,x"#).unwrap();
        assert_eq!(f, ["a", "b, c", "say \"hi\"", "", "x"]);
        assert!(split_csv_line(r#"a,"open"#).is_err());
    }

    #[test]
    fn columns_are_found_by_header_name_not_position() {
        let csv = "source,CQ,CH,CW,KE,single_temperature_fit,species\n\"X, 2000\",0.1,0.2,3,9,no,Zea mays\n";
        let rows = parse_constants(csv).unwrap();
        assert_eq!(
            (rows[0].ke, rows[0].cw, rows[0].ch, rows[0].cq),
            (9.0, 3.0, 0.2, 0.1)
        );
        assert_eq!(rows[0].source, "X, 2000");
        assert!(parse_constants("species,KE\nZea mays,1\n").is_err());
    }

    #[test]
    fn lookup_prefers_the_multi_temperature_fit_in_file_order() {
        let wheat = lookup("Triticum", "aestivum").unwrap();
        assert_eq!((wheat.ke, wheat.cw, wheat.ch), (9.043, 5.183, 0.0351));
        assert_eq!(lookup("Oryza", "sativa").unwrap().ke, 8.242);
        assert_eq!(lookup("Lactuca", "sativa").unwrap().ke, 7.938);
        assert_eq!(lookup("Glycine", "max").unwrap().ke, 7.525);
        assert_eq!(lookup("Hordeum", "vulgare").unwrap().ke, 9.144);
    }

    #[test]
    fn lookup_is_case_and_space_insensitive() {
        let a = lookup("triticum", "  AESTIVUM ").unwrap();
        assert_eq!(a, lookup("Triticum", "aestivum").unwrap());
    }

    #[test]
    fn lookup_matches_an_exact_qualified_name_before_the_species() {
        assert_eq!(lookup("Oryza", "sativa subsp. indica").unwrap().ke, 8.81);
        assert_eq!(lookup("Eragrostis", "tef cv. Muri").unwrap().ke, 9.727);
        // An unknown subspecies falls back to the species.
        assert_eq!(lookup("Oryza", "sativa subsp. nova").unwrap().ke, 8.242);
    }

    #[test]
    fn lookup_uses_a_qualified_row_when_the_species_has_no_plain_one() {
        let b = lookup("Brachiaria", "brizantha").unwrap();
        assert_eq!(b.qualifier, "(Intact seed)");
    }

    #[test]
    fn lookup_never_lets_a_hybrid_stand_in_for_a_parent() {
        assert!(lookup("Pennisetum", "purpureum").is_none());
        let hybrid = lookup("Pennisetum", "purpureum × P. glaucum (Grazing type)").unwrap();
        assert_eq!(hybrid.ke, 8.825);
    }

    #[test]
    fn lookup_falls_back_to_a_genus_level_row_if_any() {
        let csv = "species,single_temperature_fit,KE,CW,CH,CQ,source\n\
                   Vicia sp.,no,8,4,0.03,0.0004,G\n\
                   Vicia faba,yes,9,5,0.0329,0.000478,F\n";
        let table = parse_constants(csv).unwrap();
        assert_eq!(lookup_in(&table, "Vicia", "faba").unwrap().source, "F");
        assert_eq!(lookup_in(&table, "vicia", "sativa").unwrap().source, "G");
        assert!(table[0].is_genus_level());
        // The real table's only Saccharum row is implausible (CH copied from CW).
        assert!(lookup("Saccharum", "officinarum").is_none());
        assert!(lookup("Triticum", "durum").is_none());
        assert!(lookup("Nonexistus", "fictus").is_none());
    }

    #[test]
    fn lookup_skips_implausible_rows() {
        let sorghum = lookup("Sorghum", "bicolor").unwrap();
        assert_eq!(sorghum.ke, 9.472, "the Ali 2014 row has a negative CW");
        assert!(lookup("Dioscorea", "dumetorum").is_none());
        let implausible = constants_table()
            .iter()
            .filter(|c| !c.is_plausible())
            .count();
        assert_eq!(implausible, 10);
    }
}
