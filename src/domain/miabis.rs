//! MIABIS (BBMRI-ERIC) vocabularies: the storage-temperature bands and the sample types a
//! biobank directory understands, derived from what the registry stores.

use crate::domain::material::MaterialType;
use crate::domain::specimen::SpecimenType;

/// The MIABIS storage-temperature band of a set-point in °C, with the equipment type telling
/// a liquid-nitrogen tank's vapour phase from its liquid phase.
pub fn storage_temperature_band(temperature_c: f64, equipment_type: Option<&str>) -> &'static str {
    let vapour = equipment_type.is_some_and(|e| e.contains("vapour") || e.contains("vapor"));
    match temperature_c {
        t if t >= 15.0 => "RT",
        t if (2.0..=10.0).contains(&t) => "2 °C to 10 °C",
        t if (-35.0..=-18.0).contains(&t) => "-18 °C to -35 °C",
        t if (-85.0..=-60.0).contains(&t) => "-60 °C to -85 °C",
        t if t <= -135.0 && (vapour || t > -190.0) => "Liquid nitrogen vapour phase",
        t if t <= -190.0 => "Liquid nitrogen liquid phase",
        _ => "Other",
    }
}

/// The MIABIS sample type of an accession: a specimen's own type, a cell line's category, or
/// isolated microbes for a strain.
pub fn sample_type(
    material_type: MaterialType,
    specimen_type: Option<&str>,
    cell_line_category: Option<&str>,
) -> String {
    match material_type {
        MaterialType::Specimen => specimen_type
            .and_then(|t| t.parse::<SpecimenType>().ok())
            .map(|t| t.label().to_string())
            .unwrap_or_else(|| "Other".into()),
        MaterialType::CellLine => {
            let category = cell_line_category.unwrap_or_default().to_lowercase();
            if category.contains("cancer") {
                "Cancer cell lines".into()
            } else if category.contains("stem") || category.contains("ipsc") {
                "Stem cells".into()
            } else {
                "Immortalized cell lines".into()
            }
        }
        MaterialType::Strain => "Isolated microbes".into(),
        _ => "Other".into(),
    }
}

/// The MIABIS sample source of an accession (human, animal or environment).
pub fn sample_source(material_type: MaterialType, specimen_source: Option<&str>) -> &'static str {
    match (material_type, specimen_source) {
        (MaterialType::Specimen, Some("animal")) => "Animal",
        (MaterialType::Specimen, Some("environment")) => "Environment",
        (MaterialType::Specimen, _) => "Human",
        (MaterialType::Strain, _) => "Environment",
        _ => "Other",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_points_fall_into_the_miabis_bands() {
        assert_eq!(storage_temperature_band(20.0, None), "RT");
        assert_eq!(storage_temperature_band(4.0, None), "2 °C to 10 °C");
        assert_eq!(storage_temperature_band(-20.0, None), "-18 °C to -35 °C");
        assert_eq!(
            storage_temperature_band(-80.0, Some("freezer_minus80")),
            "-60 °C to -85 °C"
        );
        assert_eq!(
            storage_temperature_band(-196.0, Some("ln2_tank")),
            "Liquid nitrogen liquid phase"
        );
        assert_eq!(
            storage_temperature_band(-150.0, Some("ln2_tank")),
            "Liquid nitrogen vapour phase"
        );
        assert_eq!(storage_temperature_band(-50.0, None), "Other");
    }

    #[test]
    fn sample_types_follow_the_material() {
        assert_eq!(
            sample_type(MaterialType::Specimen, Some("serum"), None),
            "Serum"
        );
        assert_eq!(
            sample_type(MaterialType::CellLine, None, Some("Cancer cell line")),
            "Cancer cell lines"
        );
        assert_eq!(
            sample_type(MaterialType::Strain, None, None),
            "Isolated microbes"
        );
    }
}
