//! Fonts, text measurement and fitting the text lines into a label.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::SystemTime;

use printpdf::{BuiltinFont, ParsedFont};

use super::layout::{Geometry, PT_PER_MM, Style};
use super::{FontSource, LabelData, LabelField};

/// A font as far as layout is concerned: which characters it can show and how wide they are.
#[derive(Clone)]
pub(crate) enum Face {
    /// A TrueType/OpenType font embedded (subset) into the PDF.
    Embedded(Arc<ParsedFont>),
    /// Built-in Helvetica (WinAnsi only).
    Helvetica,
    /// Built-in Courier-Bold (WinAnsi only), monospace: used for the label code.
    CourierBold,
    /// A printer-resident ZPL font whose metrics are unknown: Helvetica-Bold widths
    /// for Latin, a full em for anything else (CJK). Can show every character.
    ZplEstimate,
}

impl Face {
    /// Advance width of `c` in em, or `None` if the font cannot show it.
    pub(crate) fn char_em(&self, c: char) -> Option<f32> {
        match self {
            Face::Embedded(font) => {
                let gid = font.lookup_glyph_index(c as u32).filter(|&g| g != 0)?;
                let upm = f32::from(font.pdf_font_metrics.units_per_em.max(1));
                Some(f32::from(font.get_horizontal_advance(gid)) / upm)
            }
            Face::Helvetica => {
                win_ansi(c)?;
                Some(builtin_width(BuiltinFont::Helvetica, c))
            }
            Face::CourierBold => {
                win_ansi(c)?;
                Some(0.6)
            }
            Face::ZplEstimate => Some(if win_ansi(c).is_some() {
                builtin_width(BuiltinFont::HelveticaBold, c)
            } else {
                1.0
            }),
        }
    }

    /// Height above the baseline used for line placement, in em.
    fn ascent(&self, code: bool) -> f32 {
        match self {
            // A ZPL field is placed by the top of its character cell, one em high.
            Face::ZplEstimate => 0.85,
            _ if code => 0.75,
            _ => 0.92,
        }
    }

    /// Depth below the baseline used for line placement, in em.
    fn descent(&self, code: bool) -> f32 {
        match self {
            Face::ZplEstimate => 0.15,
            _ if code => 0.12,
            _ => 0.24,
        }
    }

    fn ellipsis(&self) -> &'static str {
        match self {
            // Not every printer-resident font has U+2026.
            Face::ZplEstimate => "...",
            _ if self.char_em('…').is_some() => "…",
            _ => "...",
        }
    }

    /// Width of `text` in em; characters the font lacks count as `?`.
    pub(crate) fn text_em(&self, text: &str) -> f32 {
        text.chars()
            .map(|c| self.char_em(c).or_else(|| self.char_em('?')).unwrap_or(1.0))
            .sum()
    }
}

/// The single WinAnsi (CP1252) byte for `c`, if the built-in PDF fonts can show it.
fn win_ansi(c: char) -> Option<u8> {
    match c as u32 {
        cp @ 0x20..=0x7E => return Some(cp as u8),
        cp @ 0xA0..=0xFF => return Some(cp as u8),
        _ => {}
    }
    const EXTRA: [(char, u8); 27] = [
        ('€', 0x80),
        ('‚', 0x82),
        ('ƒ', 0x83),
        ('„', 0x84),
        ('…', 0x85),
        ('†', 0x86),
        ('‡', 0x87),
        ('ˆ', 0x88),
        ('‰', 0x89),
        ('Š', 0x8A),
        ('‹', 0x8B),
        ('Œ', 0x8C),
        ('Ž', 0x8E),
        ('\u{2018}', 0x91),
        ('\u{2019}', 0x92),
        ('\u{201C}', 0x93),
        ('\u{201D}', 0x94),
        ('•', 0x95),
        ('–', 0x96),
        ('—', 0x97),
        ('˜', 0x98),
        ('™', 0x99),
        ('š', 0x9A),
        ('›', 0x9B),
        ('œ', 0x9C),
        ('ž', 0x9E),
        ('Ÿ', 0x9F),
    ];
    EXTRA.iter().find(|(ch, _)| *ch == c).map(|&(_, b)| b)
}

/// Width in em of `c` in a built-in font, from the metrics printpdf ships for it;
/// a conservative full em if those are unavailable.
fn builtin_width(font: BuiltinFont, c: char) -> f32 {
    static HELVETICA: OnceLock<Option<ParsedFont>> = OnceLock::new();
    static HELVETICA_BOLD: OnceLock<Option<ParsedFont>> = OnceLock::new();
    let cell = if font == BuiltinFont::HelveticaBold {
        &HELVETICA_BOLD
    } else {
        &HELVETICA
    };
    let Some(parsed) = cell.get_or_init(|| font.get_parsed_font()) else {
        return 1.0;
    };
    let upm = f32::from(parsed.pdf_font_metrics.units_per_em.max(1));
    match parsed.lookup_glyph_index(c as u32) {
        Some(gid) if gid != 0 => f32::from(parsed.get_horizontal_advance(gid)) / upm,
        _ => 1.0,
    }
}

/// Resolves the configured font path: the env override, else the Debian default.
pub(crate) fn font_path(source: &FontSource) -> Option<PathBuf> {
    match source {
        FontSource::BuiltinOnly => None,
        FontSource::Path(p) => Some(p.clone()),
        FontSource::Default => Some(
            std::env::var_os(super::FONT_ENV_VAR)
                .filter(|v| !v.is_empty())
                .map(PathBuf::from)
                .unwrap_or_else(|| PathBuf::from(super::DEFAULT_FONT_PATH)),
        ),
    }
}

/// Loads (and caches, keyed by path, size and modification time) face 0 of a font file.
pub(crate) fn load_font(path: &Path) -> Result<Arc<ParsedFont>, String> {
    type Key = (PathBuf, u64, Option<SystemTime>);
    type Cache = Mutex<Vec<(Key, Arc<ParsedFont>)>>;
    static CACHE: OnceLock<Cache> = OnceLock::new();

    let meta = std::fs::metadata(path).map_err(|e| e.to_string())?;
    let key: Key = (path.to_path_buf(), meta.len(), meta.modified().ok());
    let cache = CACHE.get_or_init(|| Mutex::new(Vec::new()));
    if let Some((_, font)) = cache
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .iter()
        .find(|(k, _)| *k == key)
    {
        return Ok(font.clone());
    }
    let bytes = std::fs::read(path).map_err(|e| e.to_string())?;
    let mut warnings = Vec::new();
    let font = ParsedFont::from_bytes(&bytes, 0, &mut warnings)
        .ok_or_else(|| "not a readable TrueType/OpenType font".to_string())?;
    if font.lookup_glyph_index('A' as u32).is_none_or(|g| g == 0) {
        return Err("the font has no Latin glyphs".to_string());
    }
    let font = Arc::new(font);
    let mut cache = cache.lock().unwrap_or_else(|e| e.into_inner());
    cache.retain(|(k, _)| k.0 != key.0);
    cache.push((key, font.clone()));
    Ok(font)
}

/// Cleans one line of label text for `face`: control characters and runs of
/// whitespace become one space, characters the font lacks become `?`.
/// Returns the text and whether anything was replaced.
pub(crate) fn prepare(face: &Face, raw: &str) -> (String, bool) {
    let mut out = String::with_capacity(raw.len());
    let mut replaced = false;
    for c in raw
        .split_whitespace()
        .flat_map(|w| std::iter::once(' ').chain(w.chars()))
        .skip(1)
    {
        let c = if c.is_control() { ' ' } else { c };
        if face.char_em(c).is_some() {
            out.push(c);
        } else {
            out.push('?');
            replaced = true;
        }
    }
    (out, replaced)
}

/// A line of text at the size it fits at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Fitted {
    pub text: String,
    pub size_pt: f32,
    pub truncated: bool,
}

/// Fits `text` into `max_w_mm`: the largest size up to `max_pt`, at least
/// `min_pt`; at `min_pt` the text is cut and ends with an ellipsis.
pub(crate) fn fit(face: &Face, text: &str, max_w_mm: f32, max_pt: f32, min_pt: f32) -> Fitted {
    let max_w_pt = max_w_mm.max(0.0) * PT_PER_MM;
    let em = face.text_em(text);
    if em * max_pt <= max_w_pt {
        return Fitted {
            text: text.to_string(),
            size_pt: max_pt,
            truncated: false,
        };
    }
    // Slightly under the exact fit so rounding in the PDF never pushes it over.
    let fit_pt = (max_w_pt / em) * 0.995;
    if fit_pt >= min_pt {
        return Fitted {
            text: text.to_string(),
            size_pt: fit_pt,
            truncated: false,
        };
    }
    let ellipsis = face.ellipsis();
    let budget = max_w_pt / min_pt - face.text_em(ellipsis);
    let mut used = 0.0;
    let mut cut = String::new();
    for c in text.chars() {
        let w = face.text_em(c.encode_utf8(&mut [0; 4]));
        if used + w > budget {
            break;
        }
        used += w;
        cut.push(c);
    }
    let mut cut = cut.trim_end().to_string();
    if budget >= 0.0 {
        cut.push_str(ellipsis);
    }
    Fitted {
        text: cut,
        size_pt: min_pt,
        truncated: true,
    }
}

/// One line of text placed on a label, in mm from the label's top-left corner.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlacedLine {
    pub field: LabelField,
    /// The label code line, set in the monospace code face.
    pub is_code: bool,
    pub text: String,
    pub size_pt: f32,
    pub x: f32,
    /// Distance of the baseline from the label's top edge.
    pub baseline: f32,
    /// Distance of the top of the line box from the label's top edge.
    pub top: f32,
}

/// The text of one label laid out, plus which lines were altered.
#[derive(Debug, Clone, Default)]
pub(crate) struct TextBlock {
    pub lines: Vec<PlacedLine>,
    pub replaced: Vec<LabelField>,
    pub truncated: Vec<LabelField>,
}

/// Lays out the label code and the body lines in the label's text area.
pub(crate) fn layout_text(
    label: &LabelData,
    geo: &Geometry,
    style: &Style,
    code_face: &Face,
    body_face: &Face,
) -> TextBlock {
    let mut block = TextBlock::default();

    let (code, code_replaced) = prepare(code_face, &label.label_code);
    if code_replaced {
        block.replaced.push(LabelField::LabelCode);
    }
    let date_extra = [label.date.as_deref(), label.extra.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(" ");
    let mut body = Vec::new();
    for (field, raw) in [
        (LabelField::AccessionNumber, label.accession_number.as_str()),
        (LabelField::Taxon, label.taxon.as_str()),
        (LabelField::DateExtra, date_extra.as_str()),
    ] {
        let (text, replaced) = prepare(body_face, raw);
        if replaced {
            block.replaced.push(field);
        }
        if !text.is_empty() {
            body.push((field, text));
        }
    }

    // Code: as large as fits the width; body text stays smaller than the code.
    let min = style.min_pt;
    let mut code_pt = fit(code_face, &code, geo.text_w, style.code_max_pt, min).size_pt;
    let mut body_pt = style.body_max_pt.min(code_pt * 0.85).max(min);

    // Shrink both if the lines do not fit the height.
    let (ca, cd) = (code_face.ascent(true), code_face.descent(true));
    let (ba, bd) = (body_face.ascent(false), body_face.descent(false));
    let line_gap = 0.15;
    let height = |code_pt: f32, body_pt: f32| {
        let code_h = if code.is_empty() {
            0.0
        } else {
            (ca + cd) * code_pt
        };
        let n = body.len() as f32;
        (code_h + n * (ba + bd + line_gap) * body_pt) / PT_PER_MM
    };
    let need = height(code_pt, body_pt);
    if need > geo.text_h {
        let k = geo.text_h / need * 0.995;
        code_pt = (code_pt * k).max(min);
        body_pt = (body_pt * k).max(min);
    }
    let total = height(code_pt, body_pt);
    let mut y = geo.text_y + ((geo.text_h - total) / 2.0).max(0.0);

    if !code.is_empty() {
        let fitted = fit(code_face, &code, geo.text_w, code_pt, min);
        if fitted.truncated {
            block.truncated.push(LabelField::LabelCode);
        }
        block.lines.push(PlacedLine {
            field: LabelField::LabelCode,
            is_code: true,
            text: fitted.text,
            size_pt: fitted.size_pt,
            x: geo.text_x,
            baseline: y + ca * code_pt / PT_PER_MM,
            top: y,
        });
        y += (ca + cd) * code_pt / PT_PER_MM;
    }
    for (field, text) in body {
        y += line_gap * body_pt / PT_PER_MM;
        let fitted = fit(body_face, &text, geo.text_w, body_pt, min);
        if fitted.truncated {
            block.truncated.push(field);
        }
        block.lines.push(PlacedLine {
            field,
            is_code: false,
            text: fitted.text,
            size_pt: fitted.size_pt,
            x: geo.text_x,
            baseline: y + ba * body_pt / PT_PER_MM,
            top: y,
        });
        y += (ba + bd) * body_pt / PT_PER_MM;
    }
    block
}
