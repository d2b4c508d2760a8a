//! Quality tests beyond germination: the test vocabulary and the pure rules that turn a
//! technician's readings into a pass or fail (DESIGN.md, "Viability schedule").

use super::string_enum;

string_enum! {
    /// What a viability or quality test measured.
    pub enum TestType("test type") {
        Germination = "germination" => "Germination",
        Tetrazolium = "tetrazolium" => "Tetrazolium (TZ)",
        Revival = "revival" => "Strain revival",
        Purity = "purity" => "Purity check",
        PostThawViability = "post_thaw_viability" => "Post-thaw viability",
        Mycoplasma = "mycoplasma" => "Mycoplasma",
        StrProfile = "str_profile" => "STR profile",
        Sterility = "sterility" => "Sterility",
        Rin = "rin" => "RNA integrity (RIN)",
    }
}

impl TestType {
    /// Tests whose percentage tracks a seed lot's viability (and so feed its schedule).
    pub fn measures_seed_viability(self) -> bool {
        matches!(self, TestType::Germination | TestType::Tetrazolium)
    }

    /// Tests that, failed, put the batch in quarantine until a later test clears it.
    pub fn quarantines_on_failure(self) -> bool {
        matches!(self, TestType::Mycoplasma | TestType::StrProfile)
    }
}

string_enum! {
    /// How a strain grew back from its preserved form.
    pub enum Growth("growth") {
        Good = "good" => "Good growth",
        Poor = "poor" => "Poor growth",
        NoGrowth = "none" => "No growth",
    }
}

/// STR match at or above this (Tanabe %) means the same cell line (ANSI/ATCC ASN-0002: 80 %).
pub const STR_MATCH_PASS_PCT: f64 = 80.0;

/// True when an STR match percentage authenticates the line.
pub fn str_match_passes(match_pct: f64) -> bool {
    match_pct >= STR_MATCH_PASS_PCT
}

/// A revival passes unless nothing grew.
pub fn revival_passes(growth: Growth) -> bool {
    growth != Growth::NoGrowth
}

/// A purity check passes when the culture conforms and no contaminant was seen.
pub fn purity_passes(conforms: bool, contaminants: Option<&str>) -> bool {
    conforms && contaminants.is_none_or(|c| c.trim().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn str_matches_pass_from_eighty_percent() {
        assert!(str_match_passes(80.0));
        assert!(!str_match_passes(79.9));
    }

    #[test]
    fn a_contaminated_or_nonconforming_culture_fails_purity() {
        assert!(purity_passes(true, None));
        assert!(purity_passes(true, Some("  ")));
        assert!(!purity_passes(true, Some("Bacillus sp.")));
        assert!(!purity_passes(false, None));
        assert!(!revival_passes(Growth::NoGrowth));
        assert!(revival_passes(Growth::Poor));
    }

    #[test]
    fn only_germination_and_tetrazolium_drive_the_seed_schedule() {
        let seed: Vec<_> = TestType::ALL
            .iter()
            .filter(|t| t.measures_seed_viability())
            .collect();
        assert_eq!(seed, [&TestType::Germination, &TestType::Tetrazolium]);
    }
}
