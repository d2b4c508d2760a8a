//! Darwin Core Archive export (GBIF): a zip with `meta.xml` (which column is which Darwin Core
//! term), `eml.xml` (the dataset's description) and `occurrence.txt`, one occurrence per
//! specimen, strain and plant accession still held. Built from public records only.

use std::io::Write;

use sea_orm::ConnectionTrait;

use super::public_records::{self, PublicRecord};
use crate::domain::country;
use crate::domain::material::MaterialType;
use crate::error::{AppError, AppResult};

/// The material types that are occurrences in the archive.
pub const DWCA_TYPES: [MaterialType; 5] = [
    MaterialType::Seed,
    MaterialType::ClonalPlant,
    MaterialType::InVitroPlant,
    MaterialType::Strain,
    MaterialType::Specimen,
];

/// The namespace of every term in the occurrence core.
pub const DWC_NS: &str = "http://rs.tdwg.org/dwc/terms/";

/// The occurrence core's columns, in file order; each is the Darwin Core term of that name.
pub const OCCURRENCE_TERMS: [&str; 22] = [
    "occurrenceID",
    "basisOfRecord",
    "institutionCode",
    "collectionCode",
    "catalogNumber",
    "scientificName",
    "scientificNameAuthorship",
    "kingdom",
    "genus",
    "specificEpithet",
    "infraspecificEpithet",
    "typeStatus",
    "recordedBy",
    "eventDate",
    "country",
    "countryCode",
    "locality",
    "decimalLatitude",
    "decimalLongitude",
    "coordinateUncertaintyInMeters",
    "minimumElevationInMeters",
    "associatedSequences",
];

/// Who publishes the dataset, for `eml.xml`.
#[derive(Debug, Clone)]
pub struct Dataset {
    pub institute_code: String,
    pub institute_name: String,
    pub base_url: String,
    pub published_on: chrono::NaiveDate,
}

/// An archive ready to write, with the number of occurrences in it.
pub struct Archive {
    pub bytes: Vec<u8>,
    pub occurrences: usize,
}

/// `basisOfRecord`: living material is a LivingSpecimen; a specimen is a PreservedSpecimen,
/// or a MaterialSample when it is a derivative (nucleic acids, cells, fluids separated from it).
fn basis_of_record(rec: &PublicRecord) -> &'static str {
    match rec.material_type {
        MaterialType::Specimen => match rec.text("specimen_type").as_deref() {
            Some("tissue_frozen" | "tissue_ffpe" | "tissue_fresh" | "hair" | "nail") => {
                "PreservedSpecimen"
            }
            _ => "MaterialSample",
        },
        _ => "LivingSpecimen",
    }
}

/// (scientificName, kingdom, genus, specificEpithet) as Darwin Core wants them.
fn taxon(rec: &PublicRecord) -> (String, &'static str, Option<String>, Option<String>) {
    match rec.material_type {
        t if t.is_plant() => (
            rec.taxon_name.clone(),
            "Plantae",
            rec.text("genus"),
            rec.text("species"),
        ),
        MaterialType::Strain => {
            let kingdom = match rec.text("organism_type").as_deref() {
                Some("bacterium") => "Bacteria",
                Some("archaeon") => "Archaea",
                Some("fungus" | "yeast") => "Fungi",
                Some("virus" | "phage") => "Viruses",
                Some("protist") => "Protozoa",
                _ => "",
            };
            (
                rec.taxon_name.clone(),
                kingdom,
                rec.text("genus"),
                rec.text("species"),
            )
        }
        // Specimens carry no Linnean name of their own: the source says what they are.
        _ => match rec.text("sample_source").as_deref() {
            Some("human") => (
                "Homo sapiens".into(),
                "Animalia",
                Some("Homo".into()),
                Some("sapiens".into()),
            ),
            Some("animal") => ("Animalia".into(), "Animalia", None, None),
            _ => ("incertae sedis".into(), "", None, None),
        },
    }
}

/// `infraspecificEpithet` from an MCPD subtaxon such as `subsp. indica` or `var. alba`.
fn infraspecific_epithet(subtaxa: &str) -> String {
    subtaxa
        .split_whitespace()
        .last()
        .unwrap_or_default()
        .to_string()
}

/// One accession as an occurrence row, in [`OCCURRENCE_TERMS`] order.
pub fn occurrence(rec: &PublicRecord) -> Vec<String> {
    let (scientific_name, kingdom, genus, species) = taxon(rec);
    let origin = rec.text("origin_country");
    let num = |name: &str| rec.number(name).map(|x| x.to_string()).unwrap_or_default();
    let authorship = rec
        .text("subtaxa_authority")
        .or_else(|| rec.text("species_authority"));
    let recorded_by = if rec.material_type.is_plant() {
        rec.text("collecting_institute_name")
    } else {
        None
    };
    let event_date = rec
        .iso_date("collecting_date")
        .or_else(|| rec.iso_date("isolation_date"));
    let type_status = (rec.material_type == MaterialType::Strain && rec.flag("type_strain"))
        .then(|| "type strain".to_string());
    let locality = rec
        .text("collecting_site")
        .or_else(|| rec.text("isolation_source"));
    let sequences = rec.list("sequence_accessions").join(" | ");
    let row = [
        Some(rec.pid.clone()),
        Some(basis_of_record(rec).to_string()),
        Some(rec.institute_code.clone()),
        Some(rec.material_type.as_str().to_string()),
        Some(rec.accession_number.clone()),
        Some(scientific_name),
        authorship,
        Some(kingdom.to_string()),
        genus,
        species,
        rec.text("subtaxa").map(|s| infraspecific_epithet(&s)),
        type_status,
        recorded_by,
        event_date,
        origin
            .as_deref()
            .and_then(country::name)
            .map(str::to_string),
        origin
            .as_deref()
            .and_then(country::alpha2)
            .map(str::to_string),
        locality,
        Some(num("latitude")),
        Some(num("longitude")),
        Some(num("coordinate_uncertainty_m")),
        Some(num("elevation_m")),
        Some(sequences),
    ];
    row.into_iter()
        .map(|v| clean_cell(&v.unwrap_or_default()))
        .collect()
}

/// The file is tab-separated with no quoting: tabs and line breaks inside a value become
/// spaces, so every row stays one line with every column in place.
fn clean_cell(v: &str) -> String {
    v.chars()
        .map(|c| {
            if matches!(c, '\t' | '\r' | '\n') {
                ' '
            } else {
                c
            }
        })
        .collect()
}

/// Escapes text for an XML attribute or element.
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c if (c as u32) < 0x20 && !matches!(c, '\t' | '\n' | '\r') => {}
            c => out.push(c),
        }
    }
    out
}

/// `meta.xml`: the occurrence core, tab-separated with one header line, id in column 0.
pub fn meta_xml() -> String {
    let mut xml = String::from(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<archive xmlns=\"http://rs.tdwg.org/dwc/text/\" metadata=\"eml.xml\">\n",
        "  <core encoding=\"UTF-8\" fieldsTerminatedBy=\"\\t\" linesTerminatedBy=\"\\n\" ",
        "fieldsEnclosedBy=\"\" ignoreHeaderLines=\"1\" ",
        "rowType=\"http://rs.tdwg.org/dwc/terms/Occurrence\">\n",
        "    <files>\n      <location>occurrence.txt</location>\n    </files>\n",
        "    <id index=\"0\"/>\n",
    ));
    for (i, term) in OCCURRENCE_TERMS.iter().enumerate() {
        xml.push_str(&format!(
            "    <field index=\"{i}\" term=\"{DWC_NS}{term}\"/>\n"
        ));
    }
    xml.push_str("  </core>\n</archive>\n");
    xml
}

/// `eml.xml`: a GBIF-profile EML description of the dataset.
pub fn eml_xml(d: &Dataset) -> String {
    let org = xml_escape(&d.institute_name);
    let code = xml_escape(&d.institute_code);
    let url = xml_escape(&d.base_url);
    let title = format!("{org} ({code}): specimens, strains and plant material");
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?>
<eml:eml xmlns:eml="eml://ecoinformatics.org/eml-2.1.1" xmlns:dc="http://purl.org/dc/terms/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:schemaLocation="eml://ecoinformatics.org/eml-2.1.1 http://rs.gbif.org/schema/eml-gbif-profile/1.1/eml.xsd" packageId="{url}/dwca/{date}" system="{url}" scope="system" xml:lang="eng">
  <dataset>
    <alternateIdentifier>{url}/catalog</alternateIdentifier>
    <title xml:lang="eng">{title}</title>
    <creator>
      <organizationName>{org}</organizationName>
      <onlineUrl>{url}</onlineUrl>
    </creator>
    <metadataProvider>
      <organizationName>{org}</organizationName>
      <onlineUrl>{url}</onlineUrl>
    </metadataProvider>
    <pubDate>{date}</pubDate>
    <language>eng</language>
    <abstract>
      <para>The living and preserved material held by {org} (institute code {code}): plant germplasm, microbial strains and specimens, one occurrence per accession, identified by its persistent identifier. Donor data and restricted fields are not published.</para>
    </abstract>
    <intellectualRights>
      <para>This work is licensed under a Creative Commons Attribution (CC-BY 4.0) License.</para>
    </intellectualRights>
    <distribution scope="document">
      <online>
        <url function="information">{url}/catalog</url>
      </online>
    </distribution>
    <contact>
      <organizationName>{org}</organizationName>
      <onlineUrl>{url}</onlineUrl>
    </contact>
  </dataset>
</eml:eml>
"#,
        date = d.published_on.format("%Y-%m-%d"),
    )
}

/// The occurrence core: a header line of term names, then one line per record.
pub fn occurrence_txt(records: &[PublicRecord]) -> String {
    let mut out = OCCURRENCE_TERMS.join("\t");
    out.push('\n');
    for rec in records {
        out.push_str(&occurrence(rec).join("\t"));
        out.push('\n');
    }
    out
}

/// Zips the three files.
fn zip_archive(files: &[(&str, &[u8])]) -> AppResult<Vec<u8>> {
    use zip::write::SimpleFileOptions;
    let zip_err =
        |e: &dyn std::fmt::Display| AppError::Internal(format!("writing the archive: {e}"));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for (name, body) in files {
        zip.start_file(*name, options).map_err(|e| zip_err(&e))?;
        zip.write_all(body).map_err(|e| zip_err(&e))?;
    }
    Ok(zip.finish().map_err(|e| zip_err(&e))?.into_inner())
}

/// The Darwin Core Archive of everything still held that is an occurrence.
pub async fn export_dwca<C: ConnectionTrait>(conn: &C, dataset: &Dataset) -> AppResult<Archive> {
    let records = public_records::load(conn, &DWCA_TYPES).await?;
    let occurrences = occurrence_txt(&records);
    let bytes = zip_archive(&[
        ("meta.xml", meta_xml().as_bytes()),
        ("eml.xml", eml_xml(dataset).as_bytes()),
        ("occurrence.txt", occurrences.as_bytes()),
    ])?;
    Ok(Archive {
        bytes,
        occurrences: records.len(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn meta_xml_names_every_column_once_in_file_order() {
        let xml = meta_xml();
        for (i, term) in OCCURRENCE_TERMS.iter().enumerate() {
            assert!(xml.contains(&format!("index=\"{i}\" term=\"{DWC_NS}{term}\"")));
        }
        assert_eq!(xml.matches("<field ").count(), OCCURRENCE_TERMS.len());
    }

    #[test]
    fn cells_never_break_the_tab_separated_layout() {
        assert_eq!(clean_cell("a\tb\r\nc"), "a b  c");
        assert_eq!(infraspecific_epithet("subsp. indica"), "indica");
        assert_eq!(xml_escape("A & B <x>"), "A &amp; B &lt;x&gt;");
    }
}
