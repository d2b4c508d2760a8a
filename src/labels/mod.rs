//! Sample labels: PDF (single labels or A4 label sheets) and ZPL for Zebra
//! thermal printers.
//!
//! Pure functions — label data in, bytes out. Each label carries the QR code of
//! the sample URL (`{base_url}/s/{label_code}`), the human-readable label code
//! as the largest text, and the accession number, taxon, date and passage or
//! generation. Text never runs off a label: every line is measured, shrunk down
//! to a minimum size and then cut with an ellipsis.
//!
//! Chinese and other non-Latin text needs an embedded font. It is read at run
//! time from `BIOBANK_LABEL_FONT` or the Debian `fonts-wqy-microhei` path
//! ([`DEFAULT_FONT_PATH`]) and subset into the PDF, so files stay small. When
//! the font is missing the PDF falls back to the built-in Helvetica, replaces
//! characters it cannot show with `?` and reports a [`LabelWarning`].

mod layout;
// The PDF, QR and font helpers are shared with `crate::documents` (MTAs, packing lists).
pub(crate) mod pdf;
pub(crate) mod qr;
pub(crate) mod text;
mod zpl;

use std::fmt;
use std::path::PathBuf;

pub use layout::{LabelLayout, SheetTemplate};
pub use pdf::{render_pdf, render_pdf_with_font};
pub use zpl::{ZplOptions, render_zpl, render_zpl_with};

/// Where the embedded font is looked for when [`FontSource::Default`] is used.
pub const DEFAULT_FONT_PATH: &str = "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc";

/// Environment variable that overrides [`DEFAULT_FONT_PATH`] (a `.ttf`, `.otf`
/// or `.ttc`; face 0 of a collection is used).
pub const FONT_ENV_VAR: &str = "BIOBANK_LABEL_FONT";

/// What one label shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct LabelData {
    /// Hyphenated label code, e.g. `7K3F-9Q2C-D`.
    pub label_code: String,
    /// Resolvable sample URL encoded in the QR code: `{base_url}/s/{code}`.
    pub url: String,
    /// Accession number of the sample's accession.
    pub accession_number: String,
    /// Taxon name, e.g. `水稻 Oryza sativa`.
    pub taxon: String,
    /// Collection, banking or freezing date, already formatted.
    pub date: Option<String>,
    /// Passage or generation, e.g. `P12`.
    pub extra: Option<String>,
    /// The 2D code the URL is printed as.
    pub symbology: Symbology,
}

/// The 2D code on a label: QR, or Data Matrix for the smallest tube labels (a Data Matrix of
/// the same URL is a little smaller and is what many tube scanners read).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Symbology {
    #[default]
    Qr,
    DataMatrix,
}

impl Symbology {
    /// Every symbology, in the order offered.
    pub const ALL: [Symbology; 2] = [Symbology::Qr, Symbology::DataMatrix];

    /// The name used in query strings: `qr` or `datamatrix`.
    pub fn id(self) -> &'static str {
        match self {
            Symbology::Qr => "qr",
            Symbology::DataMatrix => "datamatrix",
        }
    }

    /// The symbology a query-string name stands for.
    pub fn from_id(id: &str) -> Option<Symbology> {
        Symbology::ALL.into_iter().find(|s| s.id() == id)
    }
}

/// Which font the PDF text (other than the label code) is set in.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum FontSource {
    /// `BIOBANK_LABEL_FONT` if set and non-empty, else [`DEFAULT_FONT_PATH`];
    /// falls back to Helvetica with a warning when the file cannot be loaded.
    #[default]
    Default,
    /// A specific font file; falls back to Helvetica with a warning when missing.
    Path(PathBuf),
    /// Only the built-in Latin-1 fonts (no embedded font, no warning).
    BuiltinOnly,
}

/// A rendered PDF plus anything the user should be told about it.
#[derive(Debug, Clone, PartialEq)]
pub struct LabelPdf {
    /// The PDF file.
    pub bytes: Vec<u8>,
    /// Fallbacks, replaced characters and shortened text, in label order.
    pub warnings: Vec<LabelWarning>,
}

impl LabelPdf {
    /// The PDF bytes, dropping the warnings.
    pub fn into_bytes(self) -> Vec<u8> {
        self.bytes
    }
}

/// Which text line of a label a warning is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LabelField {
    /// The human-readable label code.
    LabelCode,
    /// The accession number.
    AccessionNumber,
    /// The taxon.
    Taxon,
    /// The date and passage/generation line.
    DateExtra,
}

impl fmt::Display for LabelField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LabelField::LabelCode => "label code",
            LabelField::AccessionNumber => "accession number",
            LabelField::Taxon => "taxon",
            LabelField::DateExtra => "date/passage",
        })
    }
}

/// Something the labels were printed with that the user may want to know.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LabelWarning {
    /// The embedded font could not be loaded; Helvetica (Latin-1 only) was used.
    FontUnavailable {
        /// The font file that was tried.
        path: PathBuf,
        /// Why it could not be used.
        reason: String,
    },
    /// Characters the font cannot show were printed as `?`.
    CharactersReplaced {
        /// Label code of the affected label.
        label_code: String,
        /// The affected line.
        field: LabelField,
    },
    /// The text did not fit even at the smallest size and was cut with `…`.
    TextTruncated {
        /// Label code of the affected label.
        label_code: String,
        /// The affected line.
        field: LabelField,
    },
}

impl fmt::Display for LabelWarning {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelWarning::FontUnavailable { path, reason } => write!(
                f,
                "label font {} could not be used ({reason}); non-Latin characters are printed as '?'",
                path.display()
            ),
            LabelWarning::CharactersReplaced { label_code, field } => write!(
                f,
                "label {label_code}: some characters of the {field} cannot be printed and show as '?'"
            ),
            LabelWarning::TextTruncated { label_code, field } => write!(
                f,
                "label {label_code}: the {field} is too long for the label and was shortened"
            ),
        }
    }
}

/// Why labels could not be rendered.
#[derive(Debug, Clone, PartialEq)]
pub enum LabelError {
    /// No labels were given.
    NoLabels,
    /// The URL cannot be encoded as a QR code at all (far too long).
    QrEncoding {
        /// Label code of the affected label.
        label_code: String,
        /// The encoder's reason.
        reason: String,
    },
    /// The QR code would have modules too small to print and scan on this layout.
    UrlTooLongForLabel {
        /// Label code of the affected label.
        label_code: String,
        /// Module (cell) size that would result, in mm.
        module_mm: f32,
        /// Smallest module size accepted, in mm.
        min_module_mm: f32,
    },
    /// Writing the PDF failed (not expected in practice).
    Pdf {
        /// What the PDF writer reported.
        reason: String,
    },
}

impl fmt::Display for LabelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LabelError::NoLabels => f.write_str("no labels to print"),
            LabelError::QrEncoding { label_code, reason } => {
                write!(
                    f,
                    "label {label_code}: the URL cannot be encoded as a QR code ({reason})"
                )
            }
            LabelError::UrlTooLongForLabel {
                label_code,
                module_mm,
                min_module_mm,
            } => write!(
                f,
                "label {label_code}: the URL is too long for a QR code on this label size \
                 (cells would be {module_mm:.2} mm, at least {min_module_mm:.2} mm are needed); \
                 use a larger label or a shorter base URL"
            ),
            LabelError::Pdf { reason } => write!(f, "the label PDF could not be written: {reason}"),
        }
    }
}

impl std::error::Error for LabelError {}
