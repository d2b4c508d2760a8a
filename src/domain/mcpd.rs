//! FAO/Bioversity Multi-Crop Passport Descriptors (MCPD v2.1) rules, so that
//! passport data entered here can be exchanged with Genesys and WIEWS without
//! clean-up. Code tables live in `codes`, dates in `date`, the country list
//! in `iso3166`; all are re-exported here.

mod codes;
mod date;
pub mod import;
mod iso3166;

use super::FieldError;
pub use codes::*;
pub use date::PartialDate;
pub use iso3166::{ISO3166_ALPHA3, is_iso3166_alpha3};

/// Checks an ISO 3166-1 alpha-3 country code such as ORIGCTY.
pub fn validate_country_code(field: &str, s: &str) -> Result<(), FieldError> {
    if is_iso3166_alpha3(s) {
        return Ok(());
    }
    let hint = if is_iso3166_alpha3(&s.to_ascii_uppercase()) {
        " (country codes are written in upper case)"
    } else {
        ""
    };
    Err(FieldError::new(
        field,
        "invalid_country",
        format!("{field}: '{s}' is not an ISO 3166-1 alpha-3 country code{hint}"),
    ))
}

/// Checks a FAO WIEWS institute code (country code + 3 or more digits, e.g.
/// CHN001) in any field that holds one (DONORCODE, COLLCODE, DUPLSITE…).
pub fn validate_wiews_code(field: &str, s: &str) -> Result<(), FieldError> {
    let shape_ok = s.len() >= 6
        && s.is_ascii()
        && s[..3].bytes().all(|b| b.is_ascii_alphabetic())
        && s[3..].bytes().all(|b| b.is_ascii_digit());
    if !shape_ok {
        return Err(FieldError::new(
            field,
            "invalid_format",
            format!(
                "{field}: '{s}' is not a FAO WIEWS institute code (3-letter country code followed by at least 3 digits, e.g. CHN001)"
            ),
        ));
    }
    let country = &s[..3];
    if !is_iso3166_alpha3(country) {
        let problem = if country.bytes().any(|b| b.is_ascii_lowercase()) {
            "must start with an upper-case country code"
        } else {
            "does not start with an ISO 3166-1 alpha-3 country code"
        };
        return Err(FieldError::new(
            field,
            "invalid_country",
            format!("{field}: '{s}' {problem}"),
        ));
    }
    Ok(())
}

/// Checks INSTCODE, the WIEWS code of the institute holding the accession.
pub fn validate_instcode(s: &str) -> Result<(), FieldError> {
    validate_wiews_code("INSTCODE", s)
}

/// Checks DECLATITUDE: decimal degrees within ±90.
pub fn validate_latitude(value: f64) -> Result<(), FieldError> {
    check_degrees("DECLATITUDE", value, 90.0)
}

/// Checks DECLONGITUDE: decimal degrees within ±180.
pub fn validate_longitude(value: f64) -> Result<(), FieldError> {
    check_degrees("DECLONGITUDE", value, 180.0)
}

fn check_degrees(field: &str, value: f64, limit: f64) -> Result<(), FieldError> {
    if !value.is_finite() {
        return Err(FieldError::new(
            field,
            "invalid_format",
            format!("{field}: is not a number"),
        ));
    }
    if value.abs() > limit {
        return Err(FieldError::new(
            field,
            "out_of_range",
            format!("{field}: {value} is outside -{limit} to {limit} decimal degrees"),
        ));
    }
    Ok(())
}

/// Checks GENUS: an initial capital then lower-case letters, optionally after
/// the '×' hybrid sign (e.g. ×Triticosecale).
pub fn validate_genus(s: &str) -> Result<(), FieldError> {
    let name = s.strip_prefix('×').map(str::trim_start).unwrap_or(s);
    let mut chars = name.chars();
    let ok = chars.next().is_some_and(|c| c.is_ascii_uppercase())
        && name.len() >= 2
        && chars.all(|c| c.is_ascii_lowercase());
    if ok {
        Ok(())
    } else {
        Err(FieldError::new(
            "GENUS",
            "invalid_format",
            format!(
                "GENUS: '{s}' should be one word with an initial capital followed by lower-case letters (e.g. Oryza)"
            ),
        ))
    }
}

/// Checks SPECIES: a lower-case epithet (hyphens allowed, '×' for hybrids) or
/// 'sp.' when unidentified; the authority belongs in SPAUTHOR.
pub fn validate_species(s: &str) -> Result<(), FieldError> {
    if s == "sp." {
        return Ok(());
    }
    let epithet = s.strip_prefix('×').map(str::trim_start).unwrap_or(s);
    let ok = epithet.len() >= 2
        && epithet.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
        && !epithet.starts_with('-')
        && !epithet.ends_with('-');
    if ok {
        return Ok(());
    }
    let why = if split_species_authority(s).1.is_some() {
        "contains more than the epithet; put the author in SPAUTHOR"
    } else {
        "should be a lower-case epithet (e.g. sativa) or 'sp.'"
    };
    Err(FieldError::new(
        "SPECIES",
        "invalid_format",
        format!("SPECIES: '{s}' {why}"),
    ))
}

/// Splits "oleracea L." into ("oleracea", Some("L.")), because imports often
/// carry the authority in the species column.
pub fn split_species_authority(s: &str) -> (&str, Option<&str>) {
    let s = s.trim();
    // A detached hybrid sign ("× piperita L.") belongs to the epithet.
    let body = match s.strip_prefix('×') {
        Some(rest) => s.len() - rest.trim_start().len(),
        None => 0,
    };
    match s[body..].find(char::is_whitespace) {
        Some(i) => (&s[..body + i], Some(s[body + i..].trim())),
        None => (s, None),
    }
}

/// Full scientific name for display: genus, species and subtaxa joined, blanks skipped.
pub fn taxon_name(genus: &str, species: Option<&str>, subtaxa: Option<&str>) -> String {
    [Some(genus), species, subtaxa]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wiews_codes_need_a_country_and_three_digits() {
        for ok in ["CHN001", "USA022", "NGA039", "DEU146", "PER0001"] {
            assert!(validate_instcode(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn wiews_codes_with_unknown_countries_are_rejected() {
        let e = validate_instcode("XYZ001").unwrap_err();
        assert_eq!(e.code, "invalid_country");
        assert_eq!(e.field, "INSTCODE");
        assert!(
            validate_instcode("chn001")
                .unwrap_err()
                .message
                .contains("upper-case")
        );
    }

    #[test]
    fn malformed_wiews_codes_are_rejected() {
        for bad in [
            "CHN01", "CHN", "CH001", "CHN-001", "CHN001A", "001CHN", " CHN001", "",
        ] {
            assert_eq!(
                validate_instcode(bad).unwrap_err().code,
                "invalid_format",
                "{bad}"
            );
        }
        assert_eq!(
            validate_wiews_code("DONORCODE", "X").unwrap_err().field,
            "DONORCODE"
        );
    }

    #[test]
    fn country_errors_use_the_documented_message() {
        let e = validate_country_code("ORIGCTY", "XYZ").unwrap_err();
        assert_eq!(
            e.message,
            "ORIGCTY: 'XYZ' is not an ISO 3166-1 alpha-3 country code"
        );
        assert!(validate_country_code("ORIGCTY", "CHN").is_ok());
        assert!(
            validate_country_code("ORIGCTY", "chn")
                .unwrap_err()
                .message
                .contains("upper case")
        );
    }

    #[test]
    fn coordinates_must_be_on_the_globe() {
        assert!(validate_latitude(90.0).is_ok());
        assert!(validate_latitude(-33.86).is_ok());
        assert_eq!(validate_latitude(90.01).unwrap_err().code, "out_of_range");
        assert!(validate_longitude(-180.0).is_ok());
        assert_eq!(validate_longitude(181.0).unwrap_err().field, "DECLONGITUDE");
        assert_eq!(
            validate_latitude(f64::NAN).unwrap_err().code,
            "invalid_format"
        );
    }

    #[test]
    fn genus_needs_an_initial_capital_and_letters_only() {
        for ok in ["Oryza", "Brassica", "×Triticosecale", "× Triticosecale"] {
            assert!(validate_genus(ok).is_ok(), "{ok}");
        }
        for bad in ["oryza", "Oryza sativa", "Oryza1", "O", "", "ORYZA", "×"] {
            assert!(validate_genus(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn species_is_a_lower_case_epithet_or_sp() {
        for ok in ["sativa", "sp.", "uva-ursi", "×piperita", "× piperita"] {
            assert!(validate_species(ok).is_ok(), "{ok}");
        }
        for bad in ["Sativa", "sativa1", "-ursi", "sativa L.", "", "s"] {
            assert!(validate_species(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn species_with_an_author_points_to_spauthor() {
        let e = validate_species("oleracea L.").unwrap_err();
        assert!(e.message.contains("SPAUTHOR"));
    }

    #[test]
    fn authority_is_split_from_the_epithet() {
        assert_eq!(
            split_species_authority("oleracea L."),
            ("oleracea", Some("L."))
        );
        assert_eq!(
            split_species_authority("  sativa  (L.) Gaertn. "),
            ("sativa", Some("(L.) Gaertn."))
        );
        assert_eq!(split_species_authority("sativa"), ("sativa", None));
        assert_eq!(split_species_authority("sp."), ("sp.", None));
        assert_eq!(
            split_species_authority("× piperita L."),
            ("× piperita", Some("L."))
        );
    }

    #[test]
    fn taxon_names_join_the_known_parts() {
        assert_eq!(
            taxon_name("Brassica", Some("oleracea"), Some("var. capitata")),
            "Brassica oleracea var. capitata"
        );
        assert_eq!(taxon_name("Oryza", Some("sp."), None), "Oryza sp.");
        assert_eq!(taxon_name("Oryza", Some(" "), Some("")), "Oryza");
    }
}
