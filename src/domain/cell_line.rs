//! Cell-line identity: Cellosaurus accessions here, STR (short tandem
//! repeat) profiles in `str_profile`. Misidentified lines are a known plague,
//! so both are stored in one canonical form.

mod str_profile;

use super::FieldError;
pub use str_profile::{STANDARD_MARKERS, StrProfile, normalise_marker_name, str_match_percent};

const ACCESSION_FIELD: &str = "cellosaurus_accession";

/// Checks a Cellosaurus accession (`CVCL_` + 4 of [0-9A-Z]) and returns it
/// normalised; the RRID form `RRID:CVCL_0030` is accepted because papers cite that.
pub fn validate_cellosaurus_accession(s: &str) -> Result<String, FieldError> {
    let trimmed = s.trim();
    let upper = trimmed.to_ascii_uppercase();
    let acc = upper.strip_prefix("RRID:").unwrap_or(&upper).trim_start();
    let ok = acc.len() == 9
        && acc.starts_with("CVCL_")
        && acc[5..]
            .bytes()
            .all(|b| b.is_ascii_digit() || b.is_ascii_uppercase());
    if ok {
        Ok(acc.to_string())
    } else {
        Err(FieldError::new(
            ACCESSION_FIELD,
            "invalid_format",
            format!(
                "{ACCESSION_FIELD}: '{trimmed}' is not a Cellosaurus accession (CVCL_ followed by 4 letters or digits, e.g. CVCL_0030)"
            ),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cellosaurus_accessions_are_accepted_and_normalised() {
        assert_eq!(
            validate_cellosaurus_accession("CVCL_0030").unwrap(),
            "CVCL_0030"
        );
        assert_eq!(
            validate_cellosaurus_accession("CVCL_B6YM").unwrap(),
            "CVCL_B6YM"
        );
        assert_eq!(
            validate_cellosaurus_accession(" cvcl_b6ym ").unwrap(),
            "CVCL_B6YM"
        );
    }

    #[test]
    fn rrid_form_is_normalised_to_the_bare_accession() {
        assert_eq!(
            validate_cellosaurus_accession("RRID:CVCL_0030").unwrap(),
            "CVCL_0030"
        );
        assert_eq!(
            validate_cellosaurus_accession("rrid: CVCL_0030").unwrap(),
            "CVCL_0030"
        );
    }

    #[test]
    fn malformed_accessions_are_rejected() {
        for bad in [
            "CVCL_003",
            "CVCL_00301",
            "CVCL-0030",
            "CVCL_00#0",
            "0030",
            "RRID:AB_123456",
            "",
        ] {
            let e = validate_cellosaurus_accession(bad).unwrap_err();
            assert_eq!(e.code, "invalid_format", "{bad}");
        }
    }
}
