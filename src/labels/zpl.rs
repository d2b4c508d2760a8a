//! ZPL II output for Zebra thermal label printers (sent raw to TCP port 9100).

use std::fmt::Write as _;

use super::layout::{PT_PER_MM, QUIET_MODULES};
use super::qr;
use super::text::{Face, layout_text};
use super::{LabelData, LabelLayout, Symbology};

/// Printer settings for ZPL output.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ZplOptions {
    /// Printer resolution in dots per mm: 8 (203 dpi), 12 (300 dpi) or 24 (600 dpi).
    pub dots_per_mm: u32,
    /// Printer-resident font with the needed glyphs, e.g. `E:ANMDS.TTF` for
    /// Chinese; `None` uses the built-in scalable font 0 (Latin only).
    pub font: Option<String>,
}

impl Default for ZplOptions {
    fn default() -> Self {
        ZplOptions {
            dots_per_mm: 8,
            font: None,
        }
    }
}

/// Renders labels as ZPL for a 203 dpi printer with its built-in font (one
/// `^XA…^XZ` block per label). A4 sheet layouts print one label of the
/// template's label size. Labels whose URL cannot be encoded are left out
/// (with a `^FX` comment); use [`super::render_pdf`] to get the error.
pub fn render_zpl(labels: &[LabelData], layout: LabelLayout) -> String {
    render_zpl_with(labels, layout, &ZplOptions::default())
}

/// Renders labels as ZPL with the given printer settings.
pub fn render_zpl_with(labels: &[LabelData], layout: LabelLayout, options: &ZplOptions) -> String {
    let dpmm = options.dots_per_mm.clamp(6, 24) as f32;
    let dots = |mm: f32| (mm * dpmm).round().max(0.0) as u32;
    let geo = layout.geometry();
    let mut style = layout.style();
    // Font 0 is not legible below 10 dots.
    style.min_pt = style.min_pt.max(10.0 / dpmm * PT_PER_MM);
    style.code_max_pt = style.code_max_pt.max(style.min_pt);
    style.body_max_pt = style.body_max_pt.max(style.min_pt);
    let face = Face::ZplEstimate;
    let font_cmd = |h: u32| match &options.font {
        Some(path) => format!("^A@N,{h},{h},{}", escape(path)),
        None => format!("^A0N,{h},{h}"),
    };

    let mut out = String::with_capacity(labels.len() * 400);
    for label in labels {
        let matrix = match qr::symbol(label, geo.qr_size) {
            Ok(m) => m,
            Err(e) => {
                let _ = writeln!(out, "^FX {}", escape(&e.to_string()));
                continue;
            }
        };
        out.push_str("^XA\n^CI28\n");
        let _ = writeln!(
            out,
            "^PW{}\n^LL{}\n^LH0,0",
            dots(geo.width),
            dots(geo.height)
        );

        // QR: whole dots per module, centred in the QR box.
        let box_dots = dots(geo.qr_size);
        let n = matrix.width as u32;
        let mag = (box_dots / (n + 2 * QUIET_MODULES as u32)).clamp(1, 10);
        let offset = box_dots.saturating_sub(n * mag) / 2;
        let _ = match label.symbology {
            Symbology::Qr => writeln!(
                out,
                "^FO{},{}^BQN,2,{mag}^FH\\^FD{}A,{}^FS",
                dots(geo.qr_x) + offset,
                dots(geo.qr_y) + offset,
                matrix.ec_level,
                escape(&label.url)
            ),
            Symbology::DataMatrix => writeln!(
                out,
                "^FO{},{}^BXN,{mag},200,{n},{n}^FH\\^FD{}^FS",
                dots(geo.qr_x) + offset,
                dots(geo.qr_y) + offset,
                escape(&label.url)
            ),
        };

        let block = layout_text(label, &geo, &style, &face, &face);
        for line in &block.lines {
            let h = dots(line.size_pt / PT_PER_MM);
            let _ = writeln!(
                out,
                "^FO{},{}{}^FH\\^FD{}^FS",
                dots(line.x),
                dots(line.top),
                font_cmd(h),
                escape(&line.text)
            );
        }
        out.push_str("^XZ\n");
    }
    out
}

/// Escapes ZPL control characters for a `^FH\` field (`\`, `^`, `~` as hex).
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\\' => out.push_str("\\5C"),
            '^' => out.push_str("\\5E"),
            '~' => out.push_str("\\7E"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}
