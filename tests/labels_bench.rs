//! The label benchmark's rendering half (run by `scripts/bench-labels`, which also decodes
//! every label with zbarimg). Ignored in the normal suite: it is a measurement, not a check.

use std::time::Instant;

use biobank::domain::label_code::LabelCode;
use biobank::labels::{LabelData, LabelLayout, SheetTemplate, render_pdf};

fn labels(n: usize) -> Vec<LabelData> {
    let mut rng = rand::rng();
    (0..n)
        .map(|i| {
            let code = LabelCode::generate(&mut rng).display();
            LabelData {
                url: format!("https://bank.example.org/s/{code}"),
                label_code: code,
                accession_number: format!("CHN001 ZDM{i:05}"),
                taxon: "水稻 Oryza sativa".into(),
                date: Some("2026-11-25".into()),
                extra: Some(format!("G{}", i % 9)),
                symbology: Default::default(),
            }
        })
        .collect()
}

#[test]
#[ignore]
fn bench_labels() {
    let out = std::env::var("BIOBANK_BENCH_OUT")
        .unwrap_or_else(|_| std::env::temp_dir().display().to_string());
    let data = labels(1000);
    let urls: Vec<&str> = data.iter().map(|l| l.url.as_str()).collect();
    std::fs::write(format!("{out}/expected.txt"), urls.join("\n") + "\n").unwrap();
    for layout in [
        LabelLayout::A4Sheet {
            template: SheetTemplate::AveryL7651,
        },
        LabelLayout::A4Sheet {
            template: SheetTemplate::AveryL7160,
        },
        LabelLayout::Cryo25x13,
        LabelLayout::Label50x25,
    ] {
        let _ = render_pdf(&data[..1], layout).unwrap(); // font load
        let start = Instant::now();
        let pdf = render_pdf(&data, layout).unwrap();
        let ms = start.elapsed().as_secs_f64() * 1000.0;
        println!(
            "BENCH {:<10} 1000 labels  {:>7.0} ms  {:>8} bytes",
            layout.id(),
            ms,
            pdf.bytes.len()
        );
        std::fs::write(format!("{out}/{}.pdf", layout.id()), &pdf.bytes).unwrap();
    }
}
