use super::*;

fn opts() -> ReadOptions {
    ReadOptions {
        today: NaiveDate::from_ymd_opt(2026, 1, 1).unwrap(),
        default_instcode: Some("CHN001".into()),
        column_map: Vec::new(),
    }
}

fn read(text: &str) -> McpdFile {
    read_mcpd(text.as_bytes(), &opts()).unwrap()
}

fn errors(row: &McpdRow) -> Vec<(&str, &str)> {
    row.findings
        .iter()
        .filter(|f| f.severity == Severity::Error)
        .map(|f| (f.column.as_str(), f.message.as_str()))
        .collect()
}

#[test]
fn semicolon_tab_and_comma_files_read_the_same() {
    for d in [",", "\t", ";"] {
        let text = format!("INSTCODE{d}ACCENUMB{d}GENUS\nCHN001{d}A1{d}Oryza\n");
        let f = read(&text);
        assert_eq!(f.delimiter.to_string(), d);
        assert_eq!(f.rows[0].get("ACCENUMB"), Some("A1"));
    }
}

#[test]
fn bom_crlf_and_embedded_newlines_are_handled() {
    let f = read("\u{FEFF}ACCENUMB,GENUS,REMARKS\r\nA1,Oryza,\"two\r\nlines\"\r\nA2,Zea,\r\n");
    assert_eq!(f.rows.len(), 2);
    assert_eq!(f.rows[0].get("REMARKS"), Some("two\r\nlines"));
    assert_eq!(f.rows[1].line, 4);
}

#[test]
fn legacy_values_are_normalised_and_reported() {
    let f = read(
        "ACCENUMB,GENUS,SPECIES,MLSSTAT,LATITUDE,LONGITUDE,ORIGCTY,ELEVATION,STORAGE\n\
         A1,Brassica,oleracea L.,Y,3655--N,-4.5,chn,12.6,13; 40\n",
    );
    let r = &f.rows[0];
    assert!(r.is_valid(), "{:?}", r.findings);
    assert_eq!(r.get("SPECIES"), Some("oleracea"));
    assert_eq!(r.get("SPAUTHOR"), Some("L."));
    assert_eq!(r.get("MLSSTAT"), Some("1"));
    assert_eq!(r.get("DECLATITUDE"), Some("36.925"));
    assert_eq!(r.get("DECLONGITUDE"), Some("-4.5"));
    assert_eq!(r.get("COORDUNCERT"), Some("926"));
    assert_eq!(r.get("ORIGCTY"), Some("CHN"));
    assert_eq!(r.get("ELEVATION"), Some("13"));
    assert_eq!(r.get("STORAGE"), Some("13;40"));
    assert_eq!(r.get("INSTCODE"), Some("CHN001"));
    let changed: Vec<&str> = r
        .findings
        .iter()
        .filter(|f| f.severity == Severity::Normalised)
        .map(|f| f.column.as_str())
        .collect();
    for col in [
        "SPECIES",
        "MLSSTAT",
        "LATITUDE",
        "LONGITUDE",
        "COORDUNCERT",
        "ORIGCTY",
        "ELEVATION",
        "STORAGE",
    ] {
        assert!(changed.contains(&col), "{col} in {changed:?}");
    }
}

#[test]
fn na_and_dash_mean_empty() {
    let f = read("ACCENUMB,GENUS,ORIGCTY,COLLSITE\nA1,Zea,NA,-\n");
    assert_eq!(f.rows[0].get("ORIGCTY"), None);
    assert_eq!(f.rows[0].get("COLLSITE"), None);
    assert!(f.rows[0].is_valid());
}

#[test]
fn row_errors_name_the_column_and_value() {
    let f = read(
        "INSTCODE,ACCENUMB,GENUS,SAMPSTAT,COLLSRC,STORAGE,DECLATITUDE,DECLONGITUDE,ORIGCTY,ACQDATE\n\
         CHN001,A1,Oryza,123,77,14,91,181,XYZ,19841345\n\
         CHN001,,,,,,,,,\n\
         CHN001,A1,Oryza,,,,,,,\n",
    );
    let cols: Vec<&str> = errors(&f.rows[0]).iter().map(|e| e.0).collect();
    assert_eq!(
        cols,
        [
            "SAMPSTAT",
            "COLLSRC",
            "STORAGE",
            "DECLATITUDE",
            "DECLONGITUDE",
            "ORIGCTY",
            "ACQDATE"
        ]
    );
    let cols: Vec<&str> = errors(&f.rows[1]).iter().map(|e| e.0).collect();
    assert_eq!(cols, ["ACCENUMB", "GENUS"]);
    let dup = errors(&f.rows[2]);
    assert_eq!(dup[0].0, "ACCENUMB");
    assert!(dup[0].1.contains("line 2"), "{}", dup[0].1);
}

#[test]
fn mojibake_is_an_error_with_the_likely_meaning() {
    let f = read("ACCENUMB,GENUS,DONORNAME\nA1,Zea,Centro de MaÃ\u{ad}z\n");
    let e = errors(&f.rows[0]);
    assert_eq!(e[0].0, "DONORNAME");
    assert!(e[0].1.contains("Centro de Maíz"));
}

#[test]
fn legacy_encodings_are_reported() {
    let f = read_mcpd(b"ACCENUMB,GENUS,DONORNAME\nA1,Zea,Ma\xEFs\n", &opts()).unwrap();
    assert_eq!(f.encoding, "windows-1252");
    assert_eq!(f.rows[0].get("DONORNAME"), Some("Maïs"));
    assert!(f.findings[0].message.contains("windows-1252"));
}

#[test]
fn unknown_columns_are_reported_once_and_child_rows_skipped() {
    let f = read(
        "ACCENUMB,GENUS,DOI,Entity type,Entity parent ACCENUMB\n\
         A1,Zea,10.1/x,Accession,\nA1-1,,,Plant/Plot,A1\nA2,Zea,,,\n",
    );
    assert_eq!(f.rows.len(), 2);
    assert_eq!(f.children_skipped, 1);
    let doi: Vec<_> = f.findings.iter().filter(|x| x.column == "DOI").collect();
    assert_eq!(doi.len(), 1);
}

#[test]
fn descriptive_headers_map_with_a_column_map() {
    let mut o = opts();
    o.column_map = vec![
        ("Accession number".into(), "ACCENUMB".into()),
        ("Genus".into(), "GENUS".into()),
    ];
    let f = read_mcpd(b"Accession number,Genus\nA1,Zea\n", &o).unwrap();
    assert_eq!(f.rows[0].get("ACCENUMB"), Some("A1"));
    let e = read_mcpd(b"Accession number,Genus\nA1,Zea\n", &opts()).unwrap_err();
    assert!(e.message.contains("ACCENUMB"));
}

#[test]
fn pdci_is_computed_per_row() {
    let f = read("ACCENUMB,GENUS,SPECIES,SAMPSTAT\nA1,Oryza,sativa,410\n");
    assert_eq!(f.rows[0].pdci, 2.8);
}

#[test]
fn storage_decides_the_material_type() {
    use crate::domain::material::MaterialType as M;
    assert_eq!(material_type_for_storage(""), M::Seed);
    assert_eq!(material_type_for_storage("13;20"), M::Seed);
    assert_eq!(material_type_for_storage("20"), M::ClonalPlant);
    assert_eq!(material_type_for_storage("30;40"), M::InVitroPlant);
}

#[test]
fn export_writes_the_canonical_header() {
    let out = write_mcpd(&[()], |_, c| {
        if c == "GENUS" {
            "Zea".into()
        } else {
            String::new()
        }
    });
    assert!(out.starts_with("PUID,INSTCODE,ACCENUMB,COLLNUMB,"));
    assert!(
        out.trim_end()
            .ends_with("MLSSTAT,REMARKS,ACCEURL\n,,,,,,,,Zea,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,,")
    );
}
