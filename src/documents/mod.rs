//! Documents other than labels: the material-transfer agreement that travels with a
//! distribution and the packing list that goes in the parcel. Pure functions — document
//! data in, PDF bytes out — sharing the label module's font loading, QR encoding and PDF
//! writer. Text is set in the embedded CJK-capable font so Chinese and Latin both render.

pub mod layout;
pub mod mta;
pub mod packing;
pub mod texts;

use std::fmt;

pub use mta::{MaterialRow, MtaDocument, PartyBlock, render_mta};
pub use packing::{PackingLine, PackingList, render_packing_list};

/// Why a document could not be rendered.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentError {
    /// What went wrong.
    pub reason: String,
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the document could not be written: {}", self.reason)
    }
}

impl std::error::Error for DocumentError {}
