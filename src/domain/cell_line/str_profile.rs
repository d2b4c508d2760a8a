//! STR profiles: parsed from loosely typed text, stored in one canonical
//! form, and compared with the Tanabe score that ATCC, DSMZ and Cellosaurus
//! CLASTR all report.

use std::collections::BTreeMap;
use std::fmt;
use std::str::FromStr;

use super::super::FieldError;

const STR_FIELD: &str = "str_profile";

/// The core CODIS/ATCC markers, in the order cell banks print them.
pub const STANDARD_MARKERS: [&str; 9] = [
    "Amelogenin",
    "CSF1PO",
    "D13S317",
    "D16S539",
    "D5S818",
    "D7S820",
    "TH01",
    "TPOX",
    "vWA",
];

const MAX_ALLELES: usize = 4;

/// Maps common spellings of an STR marker to its conventional name
/// ('VWA' → 'vWA', 'AMEL' → 'Amelogenin', 'penta_d' → 'Penta D').
pub fn normalise_marker_name(name: &str) -> String {
    let key: String = name
        .chars()
        .filter(|c| !matches!(c, ' ' | '_' | '-'))
        .collect::<String>()
        .to_ascii_lowercase();
    let known = match key.as_str() {
        "amelogenin" | "amel" | "amelo" | "amg" => Some("Amelogenin"),
        "th01" | "tho1" => Some("TH01"),
        "vwa" | "vwa31" => Some("vWA"),
        "pentad" => Some("Penta D"),
        "pentae" => Some("Penta E"),
        "csf1po" | "tpox" | "fga" | "se33" => None,
        _ if !is_dxs_marker(&key) => return name.trim().to_string(),
        _ => None,
    };
    known.map_or_else(|| key.to_ascii_uppercase(), str::to_string)
}

/// True for D-loci names like d13s317 or dys391 (already lower-cased).
fn is_dxs_marker(key: &str) -> bool {
    let Some(rest) = key.strip_prefix('d') else {
        return false;
    };
    let rest = rest.trim_start_matches(|c: char| c.is_ascii_digit() || c == 'x' || c == 'y');
    rest.len() < key.len() - 1
        && rest
            .strip_prefix('s')
            .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// A parsed STR profile: marker name → sorted, de-duplicated alleles.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct StrProfile {
    markers: BTreeMap<String, Vec<String>>,
}

impl StrProfile {
    /// Parses loosely formatted text such as `Amelogenin: X,Y; TH01 = 9.3`
    /// (entries split by ';' or newlines, ':' '=' or tab before alleles,
    /// alleles split by ',' or spaces); homozygous repeats like `10,10` collapse.
    pub fn parse(input: &str) -> Result<StrProfile, FieldError> {
        let mut markers = BTreeMap::new();
        for entry in input.split([';', '\n']).map(str::trim) {
            if entry.is_empty() {
                continue;
            }
            let Some((raw_name, raw_alleles)) = entry.split_once([':', '=', '\t']) else {
                return Err(str_error(format!(
                    "'{entry}' needs ':' between the marker name and its alleles"
                )));
            };
            let name = check_marker_name(raw_name.trim())?;
            let alleles = parse_alleles(&name, raw_alleles)?;
            if markers.insert(name.clone(), alleles).is_some() {
                return Err(str_error(format!("marker {name} is listed twice")));
            }
        }
        if markers.is_empty() {
            return Err(FieldError::new(
                STR_FIELD,
                "required",
                format!("{STR_FIELD}: no markers were entered"),
            ));
        }
        Ok(StrProfile { markers })
    }

    /// Markers in canonical order: the 9 standard ones first, then others alphabetically.
    pub fn markers(&self) -> Vec<&str> {
        let mut names: Vec<&str> = self.markers.keys().map(String::as_str).collect();
        names.sort_by_key(|n| (marker_rank(n), *n));
        names
    }

    /// Alleles recorded for a marker (conventional spelling), if typed.
    pub fn alleles(&self, marker: &str) -> Option<&[String]> {
        self.markers.get(marker).map(Vec::as_slice)
    }

    /// Canonical text for storage and comparison: `Amelogenin:X,Y;CSF1PO:10,12;…`.
    pub fn to_canonical(&self) -> String {
        self.markers()
            .into_iter()
            .map(|m| format!("{m}:{}", self.markers[m].join(",")))
            .collect::<Vec<_>>()
            .join(";")
    }
}

impl fmt::Display for StrProfile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_canonical())
    }
}

impl FromStr for StrProfile {
    type Err = FieldError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        StrProfile::parse(s)
    }
}

/// Tanabe similarity in percent: 2 × shared alleles / (query alleles +
/// reference alleles) × 100, over markers typed in both, Amelogenin excluded.
/// ≥ 80 % usually means the same donor; 0 when no markers overlap.
pub fn str_match_percent(query: &StrProfile, reference: &StrProfile) -> f64 {
    let (mut shared, mut total) = (0usize, 0usize);
    for (marker, q) in &query.markers {
        if marker == "Amelogenin" {
            continue;
        }
        if let Some(r) = reference.markers.get(marker) {
            shared += q.iter().filter(|a| r.contains(a)).count();
            total += q.len() + r.len();
        }
    }
    if total == 0 {
        0.0
    } else {
        200.0 * shared as f64 / total as f64
    }
}

fn str_error(why: String) -> FieldError {
    FieldError::new(STR_FIELD, "invalid_format", format!("{STR_FIELD}: {why}"))
}

fn marker_rank(name: &str) -> usize {
    STANDARD_MARKERS
        .iter()
        .position(|m| *m == name)
        .unwrap_or(STANDARD_MARKERS.len())
}

fn check_marker_name(raw: &str) -> Result<String, FieldError> {
    let ok = !raw.is_empty()
        && raw
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, ' ' | '_' | '-' | '.'));
    if ok {
        Ok(normalise_marker_name(raw))
    } else {
        Err(str_error(format!("'{raw}' is not a marker name")))
    }
}

/// Sort key: (repeat number, microvariant); X/Y sort before numbers.
fn allele_key(a: &str) -> (u32, u32) {
    let (whole, micro) = a.split_once('.').unwrap_or((a, "0"));
    (whole.parse().unwrap_or(0), micro.parse().unwrap_or(0))
}

fn parse_alleles(marker: &str, raw: &str) -> Result<Vec<String>, FieldError> {
    let is_amelogenin = marker == "Amelogenin";
    let mut alleles: Vec<String> = Vec::new();
    for token in raw.split([',', ' ', '\t']).filter(|t| !t.is_empty()) {
        let allele = if is_amelogenin {
            match token.to_ascii_uppercase().as_str() {
                a @ ("X" | "Y") => a.to_string(),
                _ => {
                    return Err(str_error(format!(
                        "Amelogenin allele '{token}' must be X or Y"
                    )));
                }
            }
        } else {
            normalise_repeat(token).ok_or_else(|| {
                str_error(format!(
                    "{marker} allele '{token}' is not a repeat number (e.g. 9 or 9.3)"
                ))
            })?
        };
        if !alleles.contains(&allele) {
            alleles.push(allele);
        }
    }
    if alleles.is_empty() {
        return Err(str_error(format!("marker {marker} has no alleles")));
    }
    if alleles.len() > MAX_ALLELES {
        return Err(FieldError::new(
            STR_FIELD,
            "out_of_range",
            format!(
                "{STR_FIELD}: marker {marker} has {} alleles; at most {MAX_ALLELES} are allowed",
                alleles.len()
            ),
        ));
    }
    alleles.sort_by_key(|a| (allele_key(a), a.clone()));
    Ok(alleles)
}

/// Validates `12` or `9.3` (microvariants .1–.3) and drops leading zeros.
fn normalise_repeat(token: &str) -> Option<String> {
    let (whole, micro) = match token.split_once('.') {
        Some((w, m)) => (w, Some(m)),
        None => (token, None),
    };
    if whole.is_empty() || whole.len() > 3 || !whole.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u32 = whole.parse().ok()?;
    match micro {
        None => Some(n.to_string()),
        Some(m @ ("1" | "2" | "3")) => Some(format!("{n}.{m}")),
        Some(_) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ATCC CCL-2 (HeLa, CVCL_0030) reference profile.
    const HELA: &str = "Amelogenin: X; CSF1PO: 9,10; D13S317: 12, 13.3; D16S539: 9,10; \
                        D5S818: 11,12; D7S820: 8,12; TH01: 7; TPOX: 8,12; vWA: 16,18";

    #[test]
    fn loose_str_input_becomes_canonical() {
        let p = StrProfile::parse("Amelogenin: X,Y; CSF1PO: 10,12; D13S317: 11, 12; TH01: 9.3")
            .unwrap();
        assert_eq!(
            p.to_canonical(),
            "Amelogenin:X,Y;CSF1PO:10,12;D13S317:11,12;TH01:9.3"
        );
    }

    #[test]
    fn markers_follow_the_standard_order_then_alphabetical() {
        let p = StrProfile::parse("FGA=21 24\nvWA=16\nD21S11=30\nTH01=7\nAmelogenin=X\nCSF1PO=9")
            .unwrap();
        assert_eq!(
            p.markers(),
            ["Amelogenin", "CSF1PO", "TH01", "vWA", "D21S11", "FGA"]
        );
    }

    #[test]
    fn marker_names_are_normalised_case_insensitively() {
        let p = StrProfile::parse("AMEL: x; VWA: 16; tho1: 7; d5s818: 11; penta_d: 9; Tpox: 8")
            .unwrap();
        assert_eq!(
            p.to_canonical(),
            "Amelogenin:X;D5S818:11;TH01:7;TPOX:8;vWA:16;Penta D:9"
        );
        assert_eq!(normalise_marker_name("dys391"), "DYS391");
        assert_eq!(normalise_marker_name("MyMarker"), "MyMarker");
    }

    #[test]
    fn alleles_are_sorted_deduplicated_and_stripped_of_leading_zeros() {
        let p = StrProfile::parse("D7S820: 12, 08, 12; TH01: 9.3 6").unwrap();
        assert_eq!(p.alleles("D7S820").unwrap(), ["8", "12"]);
        assert_eq!(p.alleles("TH01").unwrap(), ["6", "9.3"]);
    }

    #[test]
    fn bad_alleles_are_reported_with_their_marker() {
        let e = StrProfile::parse("CSF1PO: 10,12; TH01: 9.5").unwrap_err();
        assert!(e.message.contains("TH01 allele '9.5'"), "{}", e.message);
        let e = StrProfile::parse("Amelogenin: Z").unwrap_err();
        assert!(e.message.contains("Amelogenin allele 'Z'"));
        assert!(StrProfile::parse("TPOX: X").is_err());
        assert!(StrProfile::parse("TPOX: 8.").is_err());
    }

    #[test]
    fn more_than_four_alleles_per_marker_are_rejected() {
        let e = StrProfile::parse("D5S818: 9,10,11,12,13").unwrap_err();
        assert_eq!(e.code, "out_of_range");
        assert!(e.message.contains("D5S818"));
        assert!(StrProfile::parse("D5S818: 9,10,11,12").is_ok());
    }

    #[test]
    fn structural_problems_are_rejected() {
        assert_eq!(StrProfile::parse(" ; \n").unwrap_err().code, "required");
        assert!(
            StrProfile::parse("TH01 7")
                .unwrap_err()
                .message
                .contains("':'")
        );
        assert!(
            StrProfile::parse("TH01: ")
                .unwrap_err()
                .message
                .contains("TH01 has no alleles")
        );
        assert!(
            StrProfile::parse("TH01: 7; th01: 8")
                .unwrap_err()
                .message
                .contains("twice")
        );
    }

    #[test]
    fn canonical_text_parses_back_to_the_same_profile() {
        let p = StrProfile::parse(HELA).unwrap();
        assert_eq!(StrProfile::parse(&p.to_canonical()).unwrap(), p);
        assert_eq!(p.to_string(), p.to_canonical());
    }

    #[test]
    fn identical_profiles_match_one_hundred_percent() {
        let hela = StrProfile::parse(HELA).unwrap();
        assert_eq!(str_match_percent(&hela, &hela), 100.0);
    }

    #[test]
    fn tanabe_score_matches_a_worked_example() {
        // HeLa has 15 non-Amelogenin alleles. The variant adds TH01 9.3 and has
        // vWA 16,17: 16 alleles, 14 shared → 2·14 / (15 + 16) = 90.32 %.
        let hela = StrProfile::parse(HELA).unwrap();
        let variant = StrProfile::parse(
            &HELA
                .replace("TH01: 7", "TH01: 7,9.3")
                .replace("16,18", "16,17"),
        )
        .unwrap();
        let score = str_match_percent(&hela, &variant);
        assert!((score - 2.0 * 14.0 / 31.0 * 100.0).abs() < 1e-9, "{score}");
        assert!((score - 90.32).abs() < 0.01);
    }

    #[test]
    fn amelogenin_and_markers_missing_from_either_side_are_ignored() {
        let a = StrProfile::parse("Amelogenin: X; TH01: 7; FGA: 21").unwrap();
        let b = StrProfile::parse("Amelogenin: X,Y; TH01: 7; D21S11: 30").unwrap();
        assert_eq!(str_match_percent(&a, &b), 100.0);
        let c = StrProfile::parse("D3S1358: 15").unwrap();
        assert_eq!(str_match_percent(&a, &c), 0.0);
    }
}
