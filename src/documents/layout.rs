//! A small page-layout engine for A4 documents: wrapped paragraphs, key–value blocks, tables
//! whose header repeats on every page they continue onto, a QR code, and a footer with
//! "Page i of n" added once the page count is known.

use std::sync::Arc;

use printpdf::{
    BuiltinFont, Color, Greyscale, Line, LinePoint, Mm, Op, PaintMode, PdfDocument, PdfFontHandle,
    PdfPage, Point, Polygon, PolygonRing, Pt, TextItem, WindingOrder,
};

use crate::labels::FontSource;
use crate::labels::pdf::{qr_ops, save};
use crate::labels::qr;
use crate::labels::text::{Face, font_path, load_font};

use super::DocumentError;

const PAGE_W: f32 = 210.0;
const PAGE_H: f32 = 297.0;
const MARGIN_X: f32 = 18.0;
const MARGIN_TOP: f32 = 16.0;
/// The body stops here (mm from the top); the footer lives below.
const BODY_BOTTOM: f32 = PAGE_H - 20.0;
const PT_PER_MM: f32 = 72.0 / 25.4;
/// Quiet zone around a QR code, in modules.
const QR_QUIET: usize = 4;

/// One column of a table: its title and its share of the text width.
#[derive(Debug, Clone)]
pub struct Column {
    pub title: String,
    pub share: f32,
}

/// A table to lay out; rows may wrap and continue across pages.
#[derive(Debug, Clone)]
pub struct Table {
    pub columns: Vec<Column>,
    pub rows: Vec<Vec<String>>,
}

/// Lays a document out page by page.
pub struct Doc {
    doc: PdfDocument,
    face: Face,
    font: PdfFontHandle,
    pages: Vec<Vec<Op>>,
    /// Distance of the cursor from the top of the current page, in mm.
    y: f32,
    /// Characters the font could not show were printed as `?`.
    pub replaced_characters: bool,
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x2E80..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFFEF)
}

impl Doc {
    /// A new document titled `title`, set in the configured embedded font (Chinese-capable),
    /// or Helvetica when that font cannot be loaded.
    pub fn new(title: &str, font: &FontSource) -> Doc {
        let mut doc = PdfDocument::new(title);
        let mut face = Face::Helvetica;
        let mut handle = PdfFontHandle::Builtin(BuiltinFont::Helvetica);
        if let Some(path) = font_path(font) {
            match load_font(&path) {
                Ok(parsed) => {
                    let id = doc.add_font(&parsed);
                    face = Face::Embedded(Arc::clone(&parsed));
                    handle = PdfFontHandle::External(id);
                }
                Err(reason) => tracing::warn!(
                    path = %path.display(),
                    reason,
                    "document font unavailable; non-Latin text will show as '?'"
                ),
            }
        }
        Doc {
            doc,
            face,
            font: handle,
            pages: vec![page_start()],
            y: MARGIN_TOP,
            replaced_characters: false,
        }
    }

    /// Width available for text, in mm.
    pub fn text_width(&self) -> f32 {
        PAGE_W - 2.0 * MARGIN_X
    }

    /// Starts a new page.
    pub fn new_page(&mut self) {
        self.pages.push(page_start());
        self.y = MARGIN_TOP;
    }

    /// Moves down `mm`, or to a new page when that passes the bottom.
    pub fn space(&mut self, mm: f32) {
        self.y += mm;
        if self.y > BODY_BOTTOM {
            self.new_page();
        }
    }

    fn ensure_room(&mut self, mm: f32) {
        if self.y + mm > BODY_BOTTOM && self.y > MARGIN_TOP + 0.1 {
            self.new_page();
        }
    }

    fn ops(&mut self) -> &mut Vec<Op> {
        self.pages.last_mut().expect("a document always has a page")
    }

    /// Text cleaned for the font: control characters become spaces, missing glyphs `?`.
    fn clean(&mut self, raw: &str) -> String {
        let mut out = String::with_capacity(raw.len());
        for c in raw.chars() {
            let c = if c.is_control() { ' ' } else { c };
            if self.face.char_em(c).is_some() {
                out.push(c);
            } else {
                out.push('?');
                self.replaced_characters = true;
            }
        }
        out
    }

    fn width_pt(&self, text: &str, size_pt: f32) -> f32 {
        self.face.text_em(text) * size_pt
    }

    /// Breaks `text` into lines no wider than `width_mm` at `size_pt`: between words, and
    /// between any two CJK characters; a word longer than a line is broken anywhere.
    pub fn wrap(&mut self, text: &str, width_mm: f32, size_pt: f32) -> Vec<String> {
        let max = width_mm * PT_PER_MM;
        let mut lines = Vec::new();
        for para in text.split('\n') {
            let para = self.clean(para);
            // Tokens: (text, preceded by a space).
            let mut tokens: Vec<(String, bool)> = Vec::new();
            let mut word = String::new();
            let mut space = false;
            for c in para.chars() {
                if c.is_whitespace() {
                    if !word.is_empty() {
                        tokens.push((std::mem::take(&mut word), space));
                    }
                    space = true;
                } else if is_cjk(c) {
                    if !word.is_empty() {
                        tokens.push((std::mem::take(&mut word), space));
                        space = false;
                    }
                    tokens.push((c.to_string(), space));
                    space = false;
                } else {
                    word.push(c);
                }
            }
            if !word.is_empty() {
                tokens.push((word, space));
            }
            let mut line = String::new();
            let mut w = 0.0;
            let space_w = self.width_pt(" ", size_pt);
            for (tok, spaced) in tokens {
                let tw = self.width_pt(&tok, size_pt);
                let sep = if spaced && !line.is_empty() {
                    space_w
                } else {
                    0.0
                };
                if w + sep + tw <= max {
                    if sep > 0.0 {
                        line.push(' ');
                    }
                    line.push_str(&tok);
                    w += sep + tw;
                    continue;
                }
                if !line.is_empty() {
                    lines.push(std::mem::take(&mut line));
                }
                if tw <= max {
                    line.push_str(&tok);
                    w = tw;
                    continue;
                }
                let mut pieces = self.split_long(&tok, max, size_pt);
                let last = pieces.pop().unwrap_or_default();
                lines.extend(pieces);
                w = self.width_pt(&last, size_pt);
                line = last;
            }
            lines.push(line);
        }
        lines
    }

    /// Cuts a word wider than a line into pieces that fit: after a `/` where possible (so a
    /// URL's last segment, usually the identifier, stays whole), else after `.`, `:`, `-` or
    /// `_`, else anywhere.
    fn split_long(&self, token: &str, max_pt: f32, size_pt: f32) -> Vec<String> {
        let mut pieces = Vec::new();
        let mut rest = token.to_string();
        while self.width_pt(&rest, size_pt) > max_pt {
            let chars: Vec<char> = rest.chars().collect();
            // The longest prefix that fits, in characters (at least one).
            let mut fit = 0;
            let mut w = 0.0;
            for c in &chars {
                w += self.width_pt(c.encode_utf8(&mut [0; 4]), size_pt);
                if w > max_pt {
                    break;
                }
                fit += 1;
            }
            let fit = fit.max(1);
            let after = |set: &[char]| {
                (1..fit)
                    .rev()
                    .find(|&i| set.contains(&chars[i - 1]))
                    .filter(|&i| i < chars.len())
            };
            let cut = after(&['/'])
                .or_else(|| after(&['.', ':', '-', '_']))
                .unwrap_or(fit);
            pieces.push(chars[..cut].iter().collect());
            rest = chars[cut..].iter().collect();
        }
        pieces.push(rest);
        pieces
    }

    fn line_height(size_pt: f32) -> f32 {
        size_pt * 1.3 / PT_PER_MM
    }

    /// Draws one line of text with its baseline `baseline_mm` from the top of the page.
    fn text_at(&mut self, text: &str, x_mm: f32, baseline_mm: f32, size_pt: f32) {
        if text.is_empty() {
            return;
        }
        let font = self.font.clone();
        self.ops().extend([
            Op::StartTextSection,
            Op::SetFont {
                font,
                size: Pt(size_pt),
            },
            Op::SetTextCursor {
                pos: Point {
                    x: Pt(x_mm * PT_PER_MM),
                    y: Pt((PAGE_H - baseline_mm) * PT_PER_MM),
                },
            },
            Op::ShowText {
                items: vec![TextItem::Text(text.to_string())],
            },
            Op::EndTextSection,
        ]);
    }

    /// A paragraph wrapped to the text width, continuing on the next page when needed.
    pub fn paragraph(&mut self, text: &str, size_pt: f32) {
        self.paragraph_at(text, MARGIN_X, self.text_width(), size_pt);
    }

    /// A paragraph in a narrower box starting `x_mm` from the left edge.
    pub fn paragraph_at(&mut self, text: &str, x_mm: f32, width_mm: f32, size_pt: f32) {
        let lh = Self::line_height(size_pt);
        for line in self.wrap(text, width_mm, size_pt) {
            self.ensure_room(lh);
            self.text_at(&line, x_mm, self.y + size_pt * 0.95 / PT_PER_MM, size_pt);
            self.y += lh;
        }
    }

    /// A heading kept together with at least a few lines of what follows.
    pub fn heading(&mut self, text: &str, size_pt: f32) {
        self.ensure_room(Self::line_height(size_pt) + 15.0);
        self.space(1.5);
        self.paragraph(text, size_pt);
        self.y += 1.0;
    }

    /// Label–value pairs: labels in a left column, values wrapped beside them.
    pub fn key_values(&mut self, pairs: &[(String, String)], size_pt: f32) {
        let label_w = 48.0;
        let value_w = self.text_width() - label_w - 2.0;
        let lh = Self::line_height(size_pt);
        for (label, value) in pairs {
            let labels = self.wrap(label, label_w, size_pt);
            let values = self.wrap(value, value_w, size_pt);
            let n = labels.len().max(values.len());
            self.ensure_room(lh * n.min(3) as f32);
            for i in 0..n {
                self.ensure_room(lh);
                let base = self.y + size_pt * 0.95 / PT_PER_MM;
                if let Some(l) = labels.get(i) {
                    self.text_at(l, MARGIN_X, base, size_pt);
                }
                if let Some(v) = values.get(i) {
                    self.text_at(v, MARGIN_X + label_w + 2.0, base, size_pt);
                }
                self.y += lh;
            }
        }
    }

    /// A signature line: a rule with a caption under it.
    pub fn signature_line(&mut self, caption: &str, size_pt: f32) {
        self.ensure_room(14.0);
        self.y += 9.0;
        let y = self.y;
        self.rule(MARGIN_X, MARGIN_X + 95.0, y, 0.5);
        self.y += 1.0;
        self.paragraph(caption, size_pt);
    }

    fn rule(&mut self, x1: f32, x2: f32, y_mm: f32, thickness_pt: f32) {
        let p = |x: f32| LinePoint {
            p: Point {
                x: Pt(x * PT_PER_MM),
                y: Pt((PAGE_H - y_mm) * PT_PER_MM),
            },
            bezier: false,
        };
        self.ops().extend([
            Op::SetOutlineThickness {
                pt: Pt(thickness_pt),
            },
            Op::DrawLine {
                line: Line {
                    points: vec![p(x1), p(x2)],
                    is_closed: false,
                },
            },
        ]);
    }

    fn shade(&mut self, x: f32, y_top: f32, w: f32, h: f32) {
        let p = |x: f32, y: f32| LinePoint {
            p: Point {
                x: Pt(x * PT_PER_MM),
                y: Pt((PAGE_H - y) * PT_PER_MM),
            },
            bezier: false,
        };
        self.ops().extend([
            Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(0.88, None)),
            },
            Op::DrawPolygon {
                polygon: Polygon {
                    rings: vec![PolygonRing {
                        points: vec![
                            p(x, y_top),
                            p(x + w, y_top),
                            p(x + w, y_top + h),
                            p(x, y_top + h),
                        ],
                    }],
                    mode: PaintMode::Fill,
                    winding_order: WindingOrder::NonZero,
                },
            },
            Op::SetFillColor {
                col: Color::Greyscale(Greyscale::new(0.0, None)),
            },
        ]);
    }

    /// A table: the header row is shaded and repeated at the top of every page the table
    /// continues onto; every cell wraps inside its column; a row never splits across pages.
    pub fn table(&mut self, table: &Table, size_pt: f32) {
        let total: f32 = table
            .columns
            .iter()
            .map(|c| c.share)
            .sum::<f32>()
            .max(0.001);
        let widths: Vec<f32> = table
            .columns
            .iter()
            .map(|c| c.share / total * self.text_width())
            .collect();
        let pad = 1.2;
        let lh = Self::line_height(size_pt);
        let wrap_row = |doc: &mut Doc, cells: &[String]| -> Vec<Vec<String>> {
            cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| doc.wrap(c, w - 2.0 * pad, size_pt))
                .collect()
        };
        let titles: Vec<String> = table.columns.iter().map(|c| c.title.clone()).collect();
        let header = wrap_row(self, &titles);
        let header_h = header.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * pad;
        let draw_row = |doc: &mut Doc, cells: &[Vec<String>], h: f32, shaded: bool| {
            let top = doc.y;
            if shaded {
                doc.shade(MARGIN_X, top, doc.text_width(), h);
            }
            let mut x = MARGIN_X;
            for (lines, w) in cells.iter().zip(&widths) {
                for (i, line) in lines.iter().enumerate() {
                    let base = top + pad + i as f32 * lh + size_pt * 0.95 / PT_PER_MM;
                    doc.text_at(line, x + pad, base, size_pt);
                }
                x += w;
            }
            doc.rule(MARGIN_X, MARGIN_X + doc.text_width(), top + h, 0.4);
            doc.y = top + h;
        };
        self.ensure_room(header_h + lh + 2.0 * pad);
        draw_row(self, &header, header_h, true);
        for row in &table.rows {
            let cells = wrap_row(self, row);
            let h = cells.iter().map(Vec::len).max().unwrap_or(1) as f32 * lh + 2.0 * pad;
            if self.y + h > BODY_BOTTOM {
                self.new_page();
                draw_row(self, &header, header_h, true);
            }
            draw_row(self, &cells, h, false);
        }
    }

    /// A QR code of `url`, `size_mm` square (quiet zone included), top-right of the current
    /// page at the cursor's height; the cursor does not move.
    pub fn qr_top_right(&mut self, url: &str, size_mm: f32) -> Result<(), DocumentError> {
        let matrix = qr::encode(url, "document", size_mm).map_err(|e| DocumentError {
            reason: e.to_string(),
        })?;
        let module = size_mm / (matrix.width + 2 * QR_QUIET) as f32;
        let left = PAGE_W - MARGIN_X - size_mm + QR_QUIET as f32 * module;
        let top = PAGE_H - self.y - QR_QUIET as f32 * module;
        let ops = qr_ops(&matrix, left, top, module);
        self.ops().extend(ops);
        Ok(())
    }

    /// The cursor's distance from the top of the page, in mm.
    pub fn cursor(&self) -> f32 {
        self.y
    }

    /// Moves the cursor to `y_mm` from the top (never upwards past the margin).
    pub fn set_cursor(&mut self, y_mm: f32) {
        self.y = y_mm.max(MARGIN_TOP);
    }

    /// Finishes the document: each page gets `footer_left` and "Page i of n" at the bottom.
    pub fn finish(mut self, footer_left: &str) -> Result<Vec<u8>, DocumentError> {
        let n = self.pages.len();
        let size = 8.0;
        let left = self.wrap(footer_left, 120.0, size).join(" ");
        let pages = std::mem::take(&mut self.pages);
        let mut out = Vec::with_capacity(n);
        for (i, ops) in pages.into_iter().enumerate() {
            self.pages = vec![ops];
            let base = PAGE_H - 10.0;
            self.rule(MARGIN_X, PAGE_W - MARGIN_X, base - 4.0, 0.3);
            self.text_at(&left, MARGIN_X, base, size);
            let number = format!("Page {} of {n} · 第 {} 页，共 {n} 页", i + 1, i + 1);
            let number = self.clean(&number);
            let w = self.width_pt(&number, size) / PT_PER_MM;
            self.text_at(&number, PAGE_W - MARGIN_X - w, base, size);
            let ops = self.pages.pop().unwrap_or_default();
            out.push(PdfPage::new(Mm(PAGE_W), Mm(PAGE_H), ops));
        }
        save(self.doc.with_pages(out)).map_err(|e| DocumentError {
            reason: e.to_string(),
        })
    }
}

fn page_start() -> Vec<Op> {
    vec![
        Op::SetFillColor {
            col: Color::Greyscale(Greyscale::new(0.0, None)),
        },
        Op::SetOutlineColor {
            col: Color::Greyscale(Greyscale::new(0.0, None)),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_words_break_after_a_slash_and_cjk_breaks_between_characters() {
        let mut doc = Doc::new("t", &FontSource::BuiltinOnly);
        let lines = doc.wrap(
            "see http://127.0.0.1:8000/id/CHN001-MTA-0042 now",
            45.0,
            8.5,
        );
        assert!(
            lines
                .iter()
                .any(|l| l == "CHN001-MTA-0042 now" || l == "CHN001-MTA-0042"),
            "{lines:?}"
        );
        assert!(
            lines
                .iter()
                .all(|l| doc.width_pt(l, 8.5) <= 45.0 * PT_PER_MM)
        );
        let lines = doc.wrap("abc\n\ndef", 100.0, 9.0);
        assert_eq!(lines, vec!["abc", "", "def"], "blank lines are kept");
    }
}
