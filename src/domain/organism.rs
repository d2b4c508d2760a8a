//! Rules for microbial strains and other organisms: biosafety risk group,
//! Nagoya Protocol access-and-benefit-sharing status, organism type and the
//! form in which cultures are supplied.

use super::{FieldError, string_enum};

/// Checks a WHO biosafety risk group (1–4), which decides containment and shipping.
pub fn validate_risk_group(value: i32) -> Result<(), FieldError> {
    if (1..=4).contains(&value) {
        Ok(())
    } else {
        Err(FieldError::new(
            "risk_group",
            "out_of_range",
            format!("risk_group: {value} is not a biosafety risk group; use 1, 2, 3 or 4"),
        ))
    }
}

string_enum! {
    /// Nagoya Protocol status; distribution must stop when PIC/MAT are not documented.
    pub enum NagoyaStatus("Nagoya status") {
        NotInScope = "not_in_scope" => "Not in scope of the Nagoya Protocol",
        InScopeCompliant = "in_scope_compliant" => "In scope, compliant (PIC and MAT documented)",
        InScopePending = "in_scope_pending" => "In scope, compliance pending",
        Unknown = "unknown" => "Unknown",
    }
}

impl NagoyaStatus {
    /// True when the material may be distributed without further ABS checks.
    pub fn allows_distribution(self) -> bool {
        matches!(
            self,
            NagoyaStatus::NotInScope | NagoyaStatus::InScopeCompliant
        )
    }
}

string_enum! {
    /// Broad kind of organism or replicon held as a strain.
    pub enum OrganismType("organism type") {
        Bacterium = "bacterium" => "Bacterium",
        Archaeon = "archaeon" => "Archaeon",
        Fungus = "fungus" => "Filamentous fungus",
        Yeast = "yeast" => "Yeast",
        Virus = "virus" => "Virus",
        Phage = "phage" => "Bacteriophage",
        Protist = "protist" => "Protist",
        Alga = "alga" => "Alga",
        Plasmid = "plasmid" => "Plasmid",
    }
}

string_enum! {
    /// How a strain is shipped to recipients; affects packaging and price.
    pub enum FormOfSupply("form of supply") {
        FreezeDried = "freeze_dried" => "Freeze-dried (lyophilised)",
        Frozen = "frozen" => "Frozen",
        ActiveCulture = "active_culture" => "Active culture",
        Dna = "dna" => "DNA",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn risk_groups_one_to_four_are_accepted() {
        for rg in 1..=4 {
            assert!(validate_risk_group(rg).is_ok());
        }
    }

    #[test]
    fn risk_groups_outside_one_to_four_are_rejected() {
        for rg in [0, 5, -1, 99] {
            let e = validate_risk_group(rg).unwrap_err();
            assert_eq!(e.code, "out_of_range");
            assert_eq!(e.field, "risk_group");
        }
    }

    #[test]
    fn nagoya_keys_are_stable() {
        let keys: Vec<_> = NagoyaStatus::ALL.iter().map(|s| s.as_str()).collect();
        assert_eq!(
            keys,
            [
                "not_in_scope",
                "in_scope_compliant",
                "in_scope_pending",
                "unknown"
            ]
        );
        assert!(NagoyaStatus::InScopeCompliant.label().contains("PIC"));
    }

    #[test]
    fn pending_or_unknown_nagoya_status_blocks_distribution() {
        assert!(NagoyaStatus::NotInScope.allows_distribution());
        assert!(NagoyaStatus::InScopeCompliant.allows_distribution());
        assert!(!NagoyaStatus::InScopePending.allows_distribution());
        assert!(!NagoyaStatus::Unknown.allows_distribution());
    }

    #[test]
    fn organism_types_and_supply_forms_parse_from_their_keys() {
        assert_eq!(
            "phage".parse::<OrganismType>().unwrap(),
            OrganismType::Phage
        );
        assert_eq!(OrganismType::ALL.len(), 9);
        assert_eq!(
            "freeze_dried".parse::<FormOfSupply>().unwrap(),
            FormOfSupply::FreezeDried
        );
        assert!("lyophilised".parse::<FormOfSupply>().is_err());
    }
}
