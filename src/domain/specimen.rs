//! Human and animal specimens. Donor codes must be pseudonyms: a name or a
//! national ID typed into the donor field would turn the whole catalogue into
//! identifiable personal data (GDPR, PIPL, HIPAA), so the rules err on the
//! side of rejecting anything that merely looks like one.

use super::{FieldError, string_enum};

const DONOR_FIELD: &str = "donor_code";

/// Checks a pseudonymised donor code such as `D-2024-00017` or `PT0042`.
pub fn validate_donor_code(s: &str) -> Result<(), FieldError> {
    let err = |code: &'static str, why: &str| {
        Err(FieldError::new(
            DONOR_FIELD,
            code,
            format!("{DONOR_FIELD}: '{s}' {why}"),
        ))
    };
    if s.is_empty() {
        return Err(FieldError::new(
            DONOR_FIELD,
            "required",
            format!("{DONOR_FIELD}: a donor code is required"),
        ));
    }
    if s.chars().any(is_cjk) {
        return err(
            "looks_like_name",
            "contains Chinese characters and may be a person's name; use the pseudonymous donor code",
        );
    }
    if s.contains([' ', ',']) {
        return err(
            "looks_like_name",
            "contains a space or comma and may be a person's name; use the pseudonymous donor code",
        );
    }
    if !s
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
    {
        return err(
            "invalid_format",
            "may only contain letters, digits, '-', '_' and '.'",
        );
    }
    if let Some(kind) = national_id_kind(s) {
        return err(
            "looks_like_national_id",
            &format!("{kind}; never store identity numbers, use the pseudonymous donor code"),
        );
    }
    let len = s.chars().count();
    if len < 3 {
        return err("too_short", "is shorter than 3 characters");
    }
    if len > 40 {
        return err("too_long", "is longer than 40 characters");
    }
    if !s.bytes().any(|b| b.is_ascii_digit()) {
        return err(
            "looks_like_name",
            "has no digits and may be a person's name; donor codes contain a number",
        );
    }
    Ok(())
}

/// True if `s` is an 18-character Chinese resident ID whose GB 11643 check character is right.
pub fn is_valid_cn_resident_id(s: &str) -> bool {
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    if !has_cn_id_shape(s) {
        return false;
    }
    let sum: u32 = s
        .bytes()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    s.as_bytes()[17].to_ascii_uppercase() == CHECK[(sum % 11) as usize]
}

fn has_cn_id_shape(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 18
        && b[..17].iter().all(u8::is_ascii_digit)
        && matches!(b[17], b'0'..=b'9' | b'X' | b'x')
}

/// Describes which identity-number pattern `s` matches, if any.
fn national_id_kind(s: &str) -> Option<&'static str> {
    let b = s.as_bytes();
    if is_valid_cn_resident_id(s) {
        return Some("is a Chinese resident identity card number");
    }
    if has_cn_id_shape(s) {
        return Some("has the shape of a Chinese resident identity card number");
    }
    if b.len() == 15 && b.iter().all(u8::is_ascii_digit) {
        return Some("has the shape of an old 15-digit Chinese identity card number");
    }
    let ssn = b.len() == 11
        && b.iter().enumerate().all(|(i, c)| {
            if i == 3 || i == 6 {
                *c == b'-'
            } else {
                c.is_ascii_digit()
            }
        });
    if ssn || (b.len() == 9 && b.iter().all(u8::is_ascii_digit)) {
        return Some("has the shape of a US Social Security number");
    }
    if is_uk_nino(&s.replace(['-', '_', '.'], "")) {
        return Some("has the shape of a UK National Insurance number");
    }
    let longest_run = b
        .split(|c| !c.is_ascii_digit())
        .map(<[u8]>::len)
        .max()
        .unwrap_or(0);
    (longest_run >= 9)
        .then_some("contains 9 or more consecutive digits, like an identity or phone number")
}

fn is_uk_nino(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 9
        && b[..2].iter().all(u8::is_ascii_alphabetic)
        && b[2..8].iter().all(u8::is_ascii_digit)
        && matches!(b[8].to_ascii_uppercase(), b'A'..=b'D')
}

fn is_cjk(c: char) -> bool {
    matches!(c,
        '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{3134F}')
}

/// Checks a SPREC pre-analytical code: 7 elements for fluids (e.g.
/// `BLD-SST-A-B-N-A-E`) or 5 for solid tissue; the first element is the
/// 3-character sample type and every element is 1–3 upper-case letters or digits.
pub fn validate_sprec(s: &str) -> Result<(), FieldError> {
    let parts: Vec<&str> = s.split('-').collect();
    let element_ok = |p: &&str| {
        (1..=3).contains(&p.len())
            && p.bytes()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
    };
    let ok = matches!(parts.len(), 5 | 7) && parts[0].len() == 3 && parts.iter().all(element_ok);
    if ok {
        return Ok(());
    }
    let hint = if s.bytes().any(|b| b.is_ascii_lowercase()) {
        " (SPREC codes are upper case)"
    } else {
        ""
    };
    Err(FieldError::new(
        "sprec",
        "invalid_format",
        format!(
            "sprec: '{s}' is not a SPREC code: expected 7 elements for fluids (e.g. BLD-SST-A-B-N-A-E) or 5 for solid tissue, separated by '-'{hint}"
        ),
    ))
}

string_enum! {
    /// Kind of specimen, following the MIABIS sample-type vocabulary.
    pub enum SpecimenType("specimen type") {
        WholeBlood = "whole_blood" => "Whole blood",
        Serum = "serum" => "Serum",
        Plasma = "plasma" => "Plasma",
        BuffyCoat = "buffy_coat" => "Buffy coat",
        PeripheralBloodCells = "peripheral_blood_cells" => "Peripheral blood mononuclear cells",
        BoneMarrow = "bone_marrow" => "Bone marrow",
        Dna = "dna" => "DNA",
        Rna = "rna" => "RNA",
        TissueFrozen = "tissue_frozen" => "Tissue (frozen)",
        TissueFfpe = "tissue_ffpe" => "Tissue (FFPE)",
        TissueFresh = "tissue_fresh" => "Tissue (fresh)",
        Urine = "urine" => "Urine",
        Saliva = "saliva" => "Saliva",
        BuccalSwab = "buccal_swab" => "Buccal swab",
        NasalSwab = "nasal_swab" => "Nasal swab",
        Sputum = "sputum" => "Sputum",
        Faeces = "faeces" => "Faeces",
        Csf = "csf" => "Cerebrospinal fluid",
        AmnioticFluid = "amniotic_fluid" => "Amniotic fluid",
        BreastMilk = "breast_milk" => "Breast milk",
        Hair = "hair" => "Hair",
        Nail = "nail" => "Nail",
        CellsViable = "cells_viable" => "Viable cells",
        IsolatedMicrobes = "isolated_microbes" => "Isolated microbial strains",
        ImmortalizedCellLine = "immortalized_cell_line" => "Immortalized cell line",
        CancerCellLine = "cancer_cell_line" => "Cancer cell line",
        PrimaryCells = "primary_cells" => "Primary cells",
        StemCells = "stem_cells" => "Stem cells",
        Organoid = "organoid" => "Organoid",
        Environmental = "environmental" => "Environmental sample",
        Other = "other" => "Other",
    }
}

string_enum! {
    /// State of the donor's consent; withdrawn consent blocks any further use.
    pub enum ConsentStatus("consent status") {
        Given = "given" => "Consent given",
        Withdrawn = "withdrawn" => "Consent withdrawn",
        NotRequired = "not_required" => "Consent not required",
        Unknown = "unknown" => "Unknown",
    }
}

impl ConsentStatus {
    /// True when the specimen may be used or distributed as far as consent goes.
    pub fn permits_use(self) -> bool {
        matches!(self, ConsentStatus::Given | ConsentStatus::NotRequired)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code_of(s: &str) -> &'static str {
        validate_donor_code(s).unwrap_err().code
    }

    #[test]
    fn pseudonymous_donor_codes_pass() {
        for ok in [
            "D-2024-00017",
            "PT0042",
            "BB-HX-0193",
            "d_7.a",
            "X12",
            "P-12345678",
        ] {
            assert!(validate_donor_code(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn names_with_spaces_or_commas_are_rejected() {
        assert_eq!(code_of("Zhang Wei"), "looks_like_name");
        assert_eq!(code_of("Smith, John"), "looks_like_name");
        assert_eq!(code_of("Smith,J1"), "looks_like_name");
    }

    #[test]
    fn chinese_characters_are_rejected_as_names() {
        assert_eq!(code_of("张伟"), "looks_like_name");
        assert_eq!(code_of("P001张"), "looks_like_name");
    }

    #[test]
    fn codes_without_digits_are_rejected_as_possible_names() {
        assert_eq!(code_of("ZhangWei"), "looks_like_name");
        assert_eq!(code_of("smith-john"), "looks_like_name");
    }

    #[test]
    fn valid_chinese_resident_ids_are_rejected() {
        assert!(is_valid_cn_resident_id("11010519491231002X"));
        assert!(is_valid_cn_resident_id("11010519491231002x"));
        let e = validate_donor_code("11010519491231002X").unwrap_err();
        assert_eq!(e.code, "looks_like_national_id");
        assert!(
            e.message
                .contains("is a Chinese resident identity card number")
        );
    }

    #[test]
    fn id_shaped_numbers_with_a_bad_check_digit_are_still_rejected() {
        assert!(!is_valid_cn_resident_id("110105194912310021"));
        let e = validate_donor_code("110105194912310021").unwrap_err();
        assert_eq!(e.code, "looks_like_national_id");
        assert!(e.message.contains("shape of a Chinese"));
    }

    #[test]
    fn old_fifteen_digit_ids_are_rejected() {
        let e = validate_donor_code("110105491231002").unwrap_err();
        assert!(e.message.contains("15-digit"));
    }

    #[test]
    fn us_social_security_numbers_are_rejected() {
        assert!(
            validate_donor_code("123-45-6789")
                .unwrap_err()
                .message
                .contains("Social Security")
        );
        assert!(
            validate_donor_code("123456789")
                .unwrap_err()
                .message
                .contains("Social Security")
        );
    }

    #[test]
    fn uk_national_insurance_numbers_are_rejected() {
        for nino in ["QQ123456C", "qq123456a", "QQ-12-34-56-C"] {
            assert_eq!(code_of(nino), "looks_like_national_id", "{nino}");
        }
        assert!(validate_donor_code("QQ123456E").is_ok());
    }

    #[test]
    fn long_digit_runs_are_rejected() {
        assert_eq!(code_of("P-123456789"), "looks_like_national_id");
        assert_eq!(code_of("tel13812345678"), "looks_like_national_id");
    }

    #[test]
    fn length_and_character_rules_apply() {
        assert_eq!(code_of(""), "required");
        assert_eq!(code_of("P1"), "too_short");
        assert_eq!(code_of(&format!("P{}", "-1".repeat(20))), "too_long");
        assert_eq!(code_of("P#0042"), "invalid_format");
        assert_eq!(code_of("ＰＴ００４２"), "invalid_format");
    }

    #[test]
    fn sprec_codes_with_five_or_seven_elements_pass() {
        for ok in [
            "BLD-SST-A-B-N-A-E",
            "PL1-CPD-A-B-N-A-E",
            "TIS-ZZZ-A-B-N",
            "URN-A-B-C-D",
        ] {
            assert!(validate_sprec(ok).is_ok(), "{ok}");
        }
    }

    #[test]
    fn malformed_sprec_codes_are_rejected() {
        for bad in [
            "BLD-SST-A-B-N-A",
            "BL-SST-A-B-N",
            "BLD-SSTX-A-B-N",
            "BLD--A-B-N",
            "BLD SST A B N",
            "",
        ] {
            assert!(validate_sprec(bad).is_err(), "{bad}");
        }
        let e = validate_sprec("bld-sst-a-b-n-a-e").unwrap_err();
        assert!(e.message.contains("upper case"));
    }

    #[test]
    fn specimen_types_cover_the_common_miabis_values() {
        assert!(SpecimenType::ALL.len() >= 30);
        for key in [
            "whole_blood",
            "serum",
            "tissue_ffpe",
            "csf",
            "organoid",
            "other",
        ] {
            assert!(key.parse::<SpecimenType>().is_ok(), "{key}");
        }
        assert_eq!(SpecimenType::Csf.label(), "Cerebrospinal fluid");
    }

    #[test]
    fn only_given_or_unneeded_consent_permits_use() {
        assert!(ConsentStatus::Given.permits_use());
        assert!(ConsentStatus::NotRequired.permits_use());
        assert!(!ConsentStatus::Withdrawn.permits_use());
        assert!(!ConsentStatus::Unknown.permits_use());
    }
}
