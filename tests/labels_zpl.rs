//! ZPL output: structure a Zebra printer accepts, one `^XA…^XZ` per label.

use biobank::labels::*;

fn rice(code: &str) -> LabelData {
    LabelData {
        label_code: code.to_string(),
        url: format!("https://biobank.example.org/s/{code}"),
        accession_number: "IRGC 117265".to_string(),
        taxon: "水稻 Oryza sativa".to_string(),
        date: Some("2024-05-01".to_string()),
        extra: Some("P12".to_string()),
        symbology: Default::default(),
    }
}

fn fields(block: &str) -> Vec<&str> {
    block
        .split("^FD")
        .skip(1)
        .map(|f| f.split("^FS").next().unwrap())
        .collect()
}

fn num_after(block: &str, cmd: &str) -> u32 {
    let start = block.find(cmd).unwrap() + cmd.len();
    block[start..]
        .split(|c: char| !c.is_ascii_digit())
        .next()
        .unwrap()
        .parse()
        .unwrap()
}

#[test]
fn one_block_per_label_with_utf8_qr_and_text() {
    let labels = vec![rice("7K3F-9Q2C-D"), rice("A1B2-C3D4-E")];
    for layout in LabelLayout::ALL {
        // Cryo labels go to 300 dpi printers; at 203 dpi font 0's 10-dot minimum
        // leaves too little room and the taxon would be cut.
        let dpmm = if layout == LabelLayout::Cryo25x13 {
            12
        } else {
            8
        };
        let opts = ZplOptions {
            dots_per_mm: dpmm,
            font: None,
        };
        let zpl = render_zpl_with(&labels, layout, &opts);
        assert_eq!(zpl.matches("^XA").count(), 2, "{zpl}");
        assert_eq!(zpl.matches("^XZ").count(), 2);
        let (w, h) = layout.label_size_mm();
        for (block, label) in zpl.split("^XZ").zip(&labels) {
            assert!(block.contains("^CI28"), "UTF-8 encoding selected");
            assert_eq!(num_after(block, "^PW"), (w * dpmm as f32).round() as u32);
            assert_eq!(num_after(block, "^LL"), (h * dpmm as f32).round() as u32);
            assert!(block.contains("^BQN,2,"));
            let f = fields(block);
            assert_eq!(f[0], format!("MA,{}", label.url));
            assert!(f.contains(&label.label_code.as_str()), "{f:?}");
            assert!(f.contains(&"IRGC 117265"));
            assert!(f.contains(&"水稻 Oryza sativa"));
            assert!(f.contains(&"2024-05-01 P12"));
            // Every field starts on the label and its cell ends above the bottom edge.
            for pos in block.split("^FO").skip(1) {
                let mut nums = pos
                    .split(|c: char| !c.is_ascii_digit())
                    .filter(|s| !s.is_empty());
                let x: u32 = nums.next().unwrap().parse().unwrap();
                let y: u32 = nums.next().unwrap().parse().unwrap();
                assert!(
                    x < (w * dpmm as f32) as u32 && y < (h * dpmm as f32) as u32,
                    "{pos}"
                );
                if let Some(a) = pos.find("^A0N,") {
                    let height: u32 = pos[a + 5..].split(',').next().unwrap().parse().unwrap();
                    assert!(y + height <= (h * dpmm as f32) as u32, "{layout}: {pos}");
                }
            }
        }
    }
}

#[test]
fn text_too_long_at_203_dpi_is_cut_with_dots() {
    let zpl = render_zpl(&[rice("7K3F-9Q2C-D")], LabelLayout::Cryo25x13);
    let f = fields(&zpl);
    let taxon = f.iter().find(|t| t.starts_with("水稻")).unwrap();
    assert!(
        taxon.ends_with("...") && taxon.len() < "水稻 Oryza sativa...".len(),
        "{f:?}"
    );
    // Still no text field under 10 dots (font 0's smallest legible height).
    for a in zpl.split("^A0N,").skip(1) {
        let h: u32 = a.split(',').next().unwrap().parse().unwrap();
        assert!(h >= 10, "{zpl}");
    }
}

#[test]
fn control_characters_are_escaped_and_options_apply() {
    let mut label = rice("7K3F-9Q2C-D");
    label.accession_number = "A^B~C\\D".to_string();
    label.url = "https://example.org/s/7K3F-9Q2C-D?x=^".to_string();
    let opts = ZplOptions {
        dots_per_mm: 12,
        font: Some("E:ANMDS.TTF".to_string()),
    };
    let zpl = render_zpl_with(&[label], LabelLayout::Label50x25, &opts);
    assert!(zpl.contains("^FDA\\5EB\\7EC\\5CD^FS"), "{zpl}");
    assert!(zpl.contains("?x=\\5E^FS"), "{zpl}");
    assert_eq!(zpl.matches("^FH\\").count(), 5);
    assert!(zpl.contains("^PW600") && zpl.contains("^LL300"));
    assert!(zpl.contains("^A@N,") && zpl.contains(",E:ANMDS.TTF^FH"));
    assert!(!zpl.contains("^A0N"));
}

#[test]
fn unencodable_url_is_skipped_with_comment() {
    let mut bad = rice("7K3F-9Q2C-D");
    bad.url = "x".repeat(5000);
    let zpl = render_zpl(&[bad, rice("A1B2-C3D4-E")], LabelLayout::Cryo25x13);
    assert_eq!(zpl.matches("^XA").count(), 1);
    assert!(zpl.starts_with("^FX "));
}
