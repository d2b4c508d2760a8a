//! End-to-end checks of the label PDFs, done the way a person would check a
//! print: rasterise with poppler (`pdftoppm`), scan the QR codes with zbar
//! (`zbarimg`), read the text back (`pdftotext`) and look for ink where there
//! must be none. Needs Debian `poppler-utils`, `zbar-tools` and
//! `fonts-wqy-microhei`.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;

use biobank::labels::*;

const BASE_URL: &str = "https://biobank.example.org";
const ALPHABET: &[u8] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A plausible label code `XXXX-XXXX-C` derived from `i`.
fn code(i: usize) -> String {
    let mut x = (i as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0x0005_DEEC_E66D;
    let mut s = String::new();
    for k in 0..9 {
        if k == 4 || k == 8 {
            s.push('-');
        }
        s.push(ALPHABET[(x % 32) as usize] as char);
        x /= 32;
    }
    s
}

fn label(i: usize, taxon: &str) -> LabelData {
    let c = code(i);
    LabelData {
        url: format!("{BASE_URL}/s/{c}"),
        label_code: c,
        accession_number: format!("IRGC {}", 117_000 + i),
        taxon: taxon.to_string(),
        date: Some("2024-05-01".to_string()),
        extra: Some(format!("P{}", i % 40)),
        symbology: Default::default(),
    }
}

fn rice(i: usize) -> LabelData {
    label(i, "水稻 Oryza sativa")
}

/// A label with every field far too long for any layout.
fn overlong(i: usize) -> LabelData {
    LabelData {
        accession_number: "GBIS-IPK-2024-ACCESSION-000000000123456789-EXTRA".to_string(),
        taxon: "拟南芥 Arabidopsis thaliana (L.) Heynh. subsp. thaliana var. extremely-long-name"
            .to_string(),
        date: Some("2024-05-01T12:34:56+08:00 (frozen at −80 °C)".to_string()),
        extra: Some("Passage P123 / generation F7 / lineage WWWWWWWWWWWWWWWW".to_string()),
        symbology: Default::default(),
        ..rice(i)
    }
}

fn out_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir()
        .join(format!("biobank-label-tests-{}", std::process::id()))
        .join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn run(cmd: &str, args: &[&str]) -> std::process::Output {
    Command::new(cmd)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {cmd} (install poppler-utils / zbar-tools): {e}"))
}

/// Rasterises every page with `pdftoppm`; returns the image files in page order.
fn rasterise(pdf: &Path, dpi: u32, format: &str) -> Vec<PathBuf> {
    let prefix = pdf.with_extension("");
    let flag = if format == "pgm" { "-gray" } else { "-png" };
    let out = run(
        "pdftoppm",
        &[
            "-r",
            &dpi.to_string(),
            flag,
            pdf.to_str().unwrap(),
            prefix.to_str().unwrap(),
        ],
    );
    assert!(
        out.status.success(),
        "pdftoppm failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let stem = prefix.file_name().unwrap().to_str().unwrap().to_string();
    let mut pages: Vec<PathBuf> = std::fs::read_dir(pdf.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_str().unwrap();
            name.starts_with(&format!("{stem}-")) && name.ends_with(&format!(".{format}"))
        })
        .collect();
    pages.sort();
    pages
}

/// Every QR code zbar finds in an image.
fn scan(png: &Path) -> Vec<String> {
    let out = run("zbarimg", &["--raw", "-q", png.to_str().unwrap()]);
    String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(str::to_string)
        .collect()
}

/// Scans one label cell (mm from the page's top-left) of a page, rasterised at 600 dpi.
fn scan_cell(pdf: &Path, page: usize, (x, y, w, h): (f32, f32, f32, f32)) -> Vec<String> {
    let px = |mm: f32| ((mm * 600.0 / 25.4).round() as i64).to_string();
    let out = pdf.with_file_name(format!("cell-p{page}-{}-{}", px(x), px(y)));
    let page = page.to_string();
    let status = run(
        "pdftoppm",
        &[
            "-r",
            "600",
            "-png",
            "-singlefile",
            "-f",
            &page,
            "-l",
            &page,
            "-x",
            &px(x),
            "-y",
            &px(y),
            "-W",
            &px(w),
            "-H",
            &px(h),
            pdf.to_str().unwrap(),
            out.to_str().unwrap(),
        ],
    );
    assert!(status.status.success());
    scan(&out.with_extension("png"))
}

fn text_of(pdf: &Path) -> String {
    let out = run("pdftotext", &["-enc", "UTF-8", pdf.to_str().unwrap(), "-"]);
    assert!(out.status.success());
    String::from_utf8(out.stdout).unwrap()
}

/// Word boxes from `pdftotext -bbox`: (page index, text, xmin, ymin, xmax, ymax) in pt,
/// y from the top of the page.
fn word_boxes(pdf: &Path) -> Vec<(usize, String, f32, f32, f32, f32)> {
    let out = run(
        "pdftotext",
        &["-bbox", "-enc", "UTF-8", pdf.to_str().unwrap(), "-"],
    );
    let html = String::from_utf8(out.stdout).unwrap();
    let attr = |s: &str, name: &str| -> f32 {
        let start = s.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        s[start..].split('"').next().unwrap().parse().unwrap()
    };
    let mut page = 0;
    let mut words = Vec::new();
    for line in html.lines() {
        let line = line.trim();
        if line.starts_with("<page ") {
            page += 1;
        } else if line.starts_with("<word ") {
            let text = line
                .split('>')
                .nth(1)
                .unwrap()
                .split('<')
                .next()
                .unwrap()
                .to_string();
            words.push((
                page - 1,
                text,
                attr(line, "xMin"),
                attr(line, "yMin"),
                attr(line, "xMax"),
                attr(line, "yMax"),
            ));
        }
    }
    words
}

/// A greyscale page image.
struct Gray {
    w: usize,
    h: usize,
    px: Vec<u8>,
}

fn read_pgm(path: &Path) -> Gray {
    let data = std::fs::read(path).unwrap();
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while data[i].is_ascii_whitespace() {
            i += 1;
        }
        let start = i;
        while !data[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8(data[start..i].to_vec()).unwrap());
    }
    assert_eq!(fields[0], "P5");
    let (w, h): (usize, usize) = (fields[1].parse().unwrap(), fields[2].parse().unwrap());
    let px = data[i + 1..].to_vec();
    assert_eq!(px.len(), w * h);
    Gray { w, h, px }
}

/// Label cells of a layout on one page, in mm from the page's top-left: (x, y, w, h).
fn cells(layout: LabelLayout) -> Vec<(f32, f32, f32, f32)> {
    let (w, h) = layout.label_size_mm();
    match layout {
        LabelLayout::A4Sheet {
            template: SheetTemplate::AveryL7651,
        } => (0..65)
            .map(|i| {
                (
                    4.75 + (i % 5) as f32 * 40.6,
                    10.7 + (i / 5) as f32 * 21.2,
                    w,
                    h,
                )
            })
            .collect(),
        LabelLayout::A4Sheet {
            template: SheetTemplate::AveryL7160,
        } => (0..21)
            .map(|i| {
                (
                    7.21 + (i % 3) as f32 * 66.04,
                    15.15 + (i / 3) as f32 * 38.1,
                    w,
                    h,
                )
            })
            .collect(),
        _ => vec![(0.0, 0.0, w, h)],
    }
}

/// Asserts no ink within `inset_mm` of any label edge, nor between labels on a sheet.
fn assert_clear_edges(pdf: &Path, layout: LabelLayout, inset_mm: f32) {
    let dpi = 300.0;
    let px_per_mm = dpi / 25.4;
    for page in rasterise(pdf, dpi as u32, "pgm") {
        let img = read_pgm(&page);
        let cells = cells(layout);
        let mut inked_outside = 0;
        for y in 0..img.h {
            for x in 0..img.w {
                if img.px[y * img.w + x] > 160 {
                    continue;
                }
                // Pixel centre in mm.
                let (mx, my) = ((x as f32 + 0.5) / px_per_mm, (y as f32 + 0.5) / px_per_mm);
                let inside = cells.iter().any(|&(cx, cy, cw, ch)| {
                    mx >= cx + inset_mm
                        && mx <= cx + cw - inset_mm
                        && my >= cy + inset_mm
                        && my <= cy + ch - inset_mm
                });
                if !inside {
                    inked_outside += 1;
                }
            }
        }
        assert_eq!(
            inked_outside,
            0,
            "{}: ink within {inset_mm} mm of a label edge",
            page.display()
        );
    }
}

/// Asserts every word pdftotext finds lies inside one label cell.
fn assert_words_inside(pdf: &Path, layout: LabelLayout) {
    let mm = 72.0 / 25.4;
    let cells = cells(layout);
    let words = word_boxes(pdf);
    assert!(!words.is_empty());
    for (page, text, x0, y0, x1, y1) in words {
        let inside = cells.iter().any(|&(cx, cy, cw, ch)| {
            x0 >= cx * mm - 0.01
                && x1 <= (cx + cw) * mm + 0.01
                && y0 >= cy * mm - 0.01
                && y1 <= (cy + ch) * mm + 0.01
        });
        assert!(
            inside,
            "page {page}: word {text:?} at ({x0},{y0})-({x1},{y1}) leaves its label"
        );
    }
}

fn render_to(
    dir: &Path,
    name: &str,
    labels: &[LabelData],
    layout: LabelLayout,
) -> (PathBuf, LabelPdf) {
    let pdf = render_pdf(labels, layout).expect("render");
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, &pdf.bytes).unwrap();
    (path, pdf)
}

/// Single-label layouts: one page per label of exactly the label size, every QR
/// decodes at 600 dpi, and the code, accession and Chinese taxon read back.
fn check_single(layout: LabelLayout) {
    let dir = out_dir(layout.id());
    let labels: Vec<LabelData> = (0..3).map(rice).collect();
    let (path, pdf) = render_to(&dir, layout.id(), &labels, layout);
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
    assert!(
        pdf.bytes.len() < 40_000,
        "PDF too big: {} bytes",
        pdf.bytes.len()
    );

    let pages = rasterise(&path, 600, "png");
    assert_eq!(pages.len(), labels.len());
    let (w, h) = layout.label_size_mm();
    let info = String::from_utf8(run("pdfinfo", &[path.to_str().unwrap()]).stdout).unwrap();
    let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap();
    let nums: Vec<f32> = size
        .split_whitespace()
        .filter_map(|t| t.parse().ok())
        .collect();
    assert!(
        (nums[0] - w * 72.0 / 25.4).abs() < 0.01 && (nums[1] - h * 72.0 / 25.4).abs() < 0.01,
        "{size} is not {w} x {h} mm"
    );

    for (page, label) in pages.iter().zip(&labels) {
        assert_eq!(scan(page), vec![label.url.clone()], "{}", page.display());
    }
    let text = text_of(&path);
    for label in &labels {
        assert!(text.contains(&label.label_code), "{text}");
        assert!(text.contains(&label.accession_number), "{text}");
    }
    assert!(text.contains("水稻 Oryza sativa"), "{text}");
    assert!(text.contains("2024-05-01") && text.contains("P1"), "{text}");

    assert_words_inside(&path, layout);
    assert_clear_edges(&path, layout, 0.3);
}

#[test]
fn cryo_25x13_labels_scan_and_read_back() {
    check_single(LabelLayout::Cryo25x13);
}

#[test]
fn label_50x25_scans_and_reads_back() {
    check_single(LabelLayout::Label50x25);
}

#[test]
fn label_100x50_scans_and_reads_back() {
    check_single(LabelLayout::Label100x50);
}

/// A4 sheets: labels fill the grid and continue on a second page; every QR on
/// every page decodes at 600 dpi and all text reads back.
fn check_sheet(template: SheetTemplate) {
    let layout = LabelLayout::A4Sheet { template };
    let per_sheet = template.labels_per_sheet();
    let dir = out_dir(layout.id());
    let labels: Vec<LabelData> = (0..per_sheet + 3).map(rice).collect();
    let (path, pdf) = render_to(&dir, layout.id(), &labels, layout);
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);

    let pages = rasterise(&path, 600, "png");
    assert_eq!(pages.len(), 2);
    // Scan label by label, as a phone would: each grid cell cropped at 600 dpi.
    // (zbar misses some codes when fed a whole A4 page holding 65 of them.)
    let cells = cells(layout);
    for (i, label) in labels.iter().enumerate() {
        let (page, cell) = (i / per_sheet + 1, cells[i % per_sheet]);
        assert_eq!(
            scan_cell(&path, page, cell),
            vec![label.url.clone()],
            "label {i}"
        );
    }
    // An empty cell on the last sheet has no code.
    assert!(scan_cell(&path, 2, cells[3]).is_empty());

    let text = text_of(&path);
    for label in &labels {
        assert!(
            text.contains(&label.label_code),
            "missing {}",
            label.label_code
        );
        assert!(text.contains(&label.accession_number));
    }
    assert!(
        text.matches("水稻 Oryza sativa").count() == labels.len(),
        "{text}"
    );

    assert_words_inside(&path, layout);
    assert_clear_edges(&path, layout, 0.5);
}

#[test]
fn avery_l7651_sheet_scans_and_reads_back() {
    check_sheet(SheetTemplate::AveryL7651);
}

#[test]
fn avery_l7160_sheet_scans_and_reads_back() {
    check_sheet(SheetTemplate::AveryL7160);
}

/// Overlong text is shrunk, then cut with an ellipsis, and never leaves the
/// label; the QR still decodes and the warnings say what was shortened. A label
/// with only a code renders too.
#[test]
fn overlong_text_is_shrunk_and_cut_on_every_layout() {
    let dir = out_dir("overlong");
    for layout in LabelLayout::ALL {
        // Plus a label with nothing but the code and URL.
        let bare = LabelData {
            label_code: code(3),
            url: format!("{BASE_URL}/s/{}", code(3)),
            ..LabelData::default()
        };
        let labels = vec![overlong(1), rice(2), bare];
        let (path, pdf) = render_to(&dir, layout.id(), &labels, layout);
        let truncated: Vec<_> = pdf
            .warnings
            .iter()
            .filter(|w| matches!(w, LabelWarning::TextTruncated { .. }))
            .collect();
        assert!(!truncated.is_empty(), "{layout}: {:?}", pdf.warnings);
        assert!(pdf.warnings.iter().all(|w| match w {
            LabelWarning::TextTruncated { label_code, field } =>
                *label_code == labels[0].label_code && *field != LabelField::LabelCode,
            _ => false,
        }));
        let text = text_of(&path);
        assert!(text.contains('…'), "{layout}: {text}");
        assert!(text.contains(&labels[0].label_code), "{layout}: {text}");
        assert_words_inside(&path, layout);
        assert_clear_edges(&path, layout, 0.3);

        let pages = rasterise(&path, 600, "png");
        let urls: BTreeSet<String> = pages.iter().flat_map(|p| scan(p)).collect();
        assert_eq!(
            urls,
            labels.iter().map(|l| l.url.clone()).collect(),
            "{layout}"
        );
    }
}

/// Without the font: Helvetica, '?' for Chinese, a warning; labels still scan.
#[test]
fn missing_font_falls_back_to_helvetica_with_warning() {
    let dir = out_dir("fallback");
    let labels = vec![rice(7), label(8, "Zea mays — maïs")];
    let missing = PathBuf::from("/nonexistent/wqy-microhei.ttc");
    let pdf = render_pdf_with_font(
        &labels,
        LabelLayout::Cryo25x13,
        &FontSource::Path(missing.clone()),
    )
    .unwrap();
    assert!(
        matches!(&pdf.warnings[0], LabelWarning::FontUnavailable { path, .. } if *path == missing)
    );
    assert!(pdf.warnings.contains(&LabelWarning::CharactersReplaced {
        label_code: labels[0].label_code.clone(),
        field: LabelField::Taxon,
    }));
    assert!(!pdf.warnings.iter().any(|w| matches!(w,
        LabelWarning::CharactersReplaced { label_code, .. } if *label_code == labels[1].label_code)));
    let path = dir.join("fallback.pdf");
    std::fs::write(&path, &pdf.bytes).unwrap();
    let fonts = String::from_utf8(run("pdffonts", &[path.to_str().unwrap()]).stdout).unwrap();
    assert!(
        fonts.contains("Helvetica") && !fonts.contains("WenQuanYi"),
        "{fonts}"
    );
    let text = text_of(&path);
    assert!(text.contains("?? Oryza sativa"), "{text}");
    assert!(text.contains("Zea mays — maïs"), "{text}");
    assert!(text.contains(&labels[0].label_code));
    for (page, label) in rasterise(&path, 600, "png").iter().zip(&labels) {
        assert_eq!(scan(page), vec![label.url.clone()]);
    }
    assert_words_inside(&path, LabelLayout::Cryo25x13);
    assert_clear_edges(&path, LabelLayout::Cryo25x13, 0.3);

    // Built-in only: no embedded font and no warning about it.
    let pdf = render_pdf_with_font(
        &labels[1..],
        LabelLayout::Label50x25,
        &FontSource::BuiltinOnly,
    )
    .unwrap();
    assert!(pdf.warnings.is_empty(), "{:?}", pdf.warnings);
}

#[test]
fn errors_for_no_labels_and_unprintable_urls() {
    assert_eq!(
        render_pdf(&[], LabelLayout::Label50x25),
        Err(LabelError::NoLabels)
    );
    let mut long = rice(1);
    long.url = format!("{BASE_URL}/s/{}?{}", long.label_code, "x".repeat(300));
    match render_pdf(std::slice::from_ref(&long), LabelLayout::Cryo25x13) {
        Err(LabelError::UrlTooLongForLabel { label_code, .. }) => {
            assert_eq!(label_code, long.label_code)
        }
        other => panic!("{other:?}"),
    }
    // The same URL fits the big label.
    assert!(render_pdf(std::slice::from_ref(&long), LabelLayout::Label100x50).is_ok());
    long.url = "x".repeat(5000);
    assert!(matches!(
        render_pdf(&[long], LabelLayout::Label100x50),
        Err(LabelError::QrEncoding { .. })
    ));
}

#[test]
fn layout_ids_round_trip() {
    for layout in LabelLayout::ALL {
        assert_eq!(layout.id().parse::<LabelLayout>(), Ok(layout));
        assert!(!layout.description().is_empty());
    }
    assert!("a5".parse::<LabelLayout>().is_err());
    assert_eq!(SheetTemplate::AveryL7651.labels_per_sheet(), 65);
    assert_eq!(SheetTemplate::AveryL7160.labels_per_sheet(), 21);
}

/// 1,000 labels on A4 sheets; run with
/// `cargo test --release --test labels_pdf -- --ignored --nocapture`.
#[test]
#[ignore]
fn thousand_label_sheet_timing() {
    let labels: Vec<LabelData> = (0..1000).map(rice).collect();
    for template in SheetTemplate::ALL {
        let layout = LabelLayout::A4Sheet { template };
        let _ = render_pdf(&labels[..1], layout).unwrap(); // font load, warm caches
        let start = std::time::Instant::now();
        let pdf = render_pdf(&labels, layout).unwrap();
        let elapsed = start.elapsed();
        println!(
            "{layout}: 1000 labels, {} pages, {} bytes, {:?}",
            1000usize.div_ceil(template.labels_per_sheet()),
            pdf.bytes.len(),
            elapsed
        );
        std::fs::write(
            format!(
                "{}/biobank-label-timing-{}.pdf",
                std::env::temp_dir().display(),
                layout.id()
            ),
            &pdf.bytes,
        )
        .unwrap();
        if !cfg!(debug_assertions) {
            assert!(elapsed.as_secs_f32() < 1.0, "{elapsed:?}");
        }
    }
}
