//! `BIOBANK_LABEL_FONT` overrides the font path (own test binary: it sets the
//! process environment).

use biobank::labels::*;

#[test]
fn env_var_overrides_font_path() {
    let label = LabelData {
        label_code: "7K3F-9Q2C-D".into(),
        url: "https://biobank.example.org/s/7K3F-9Q2C-D".into(),
        accession_number: "IRGC 117265".into(),
        taxon: "水稻 Oryza sativa".into(),
        date: None,
        extra: None,
        symbology: Default::default(),
    };
    // SAFETY: this test binary has a single test, so no other thread reads the environment.
    unsafe { std::env::set_var(FONT_ENV_VAR, "/nonexistent/font.ttf") };
    let pdf = render_pdf(std::slice::from_ref(&label), LabelLayout::Label50x25).unwrap();
    assert!(matches!(&pdf.warnings[0],
        LabelWarning::FontUnavailable { path, .. } if path.to_str() == Some("/nonexistent/font.ttf")));
    assert!(
        pdf.warnings[0]
            .to_string()
            .contains("/nonexistent/font.ttf")
    );

    unsafe { std::env::set_var(FONT_ENV_VAR, DEFAULT_FONT_PATH) };
    let pdf = render_pdf(std::slice::from_ref(&label), LabelLayout::Label50x25).unwrap();
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);

    unsafe { std::env::set_var(FONT_ENV_VAR, "") };
    let pdf = render_pdf(std::slice::from_ref(&label), LabelLayout::Label50x25).unwrap();
    assert!(
        pdf.warnings.is_empty(),
        "empty override means the default path"
    );
}
