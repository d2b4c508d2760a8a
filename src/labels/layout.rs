//! Label sizes, A4 sheet grids and where the QR code and text go on a label.

use std::fmt;
use std::str::FromStr;

/// Label stock to print on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LabelLayout {
    /// Cryo-tube side label, 25 × 13 mm, one label per page.
    Cryo25x13,
    /// Seed packet / box label, 50 × 25 mm, one label per page.
    Label50x25,
    /// Large box label, 100 × 50 mm, one label per page.
    Label100x50,
    /// A4 sheet of labels on a common grid, continuing on further sheets.
    A4Sheet {
        /// The label grid.
        template: SheetTemplate,
    },
}

/// Common A4 label sheet grids.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SheetTemplate {
    /// Avery L7651: 65 labels of 38.1 × 21.2 mm, 5 columns × 13 rows.
    AveryL7651,
    /// Avery L7160: 21 labels of 63.5 × 38.1 mm, 3 columns × 7 rows.
    AveryL7160,
}

/// A4 page size in mm.
pub(crate) const A4_MM: (f32, f32) = (210.0, 297.0);

/// Position of the label grid on an A4 sheet (all mm, from the top-left corner).
#[derive(Debug, Clone, Copy)]
pub(crate) struct SheetGrid {
    pub columns: usize,
    pub rows: usize,
    pub left: f32,
    pub top: f32,
    pub pitch_x: f32,
    pub pitch_y: f32,
}

impl SheetTemplate {
    /// Every supported template.
    pub const ALL: [SheetTemplate; 2] = [SheetTemplate::AveryL7651, SheetTemplate::AveryL7160];

    /// Width and height of one label in mm.
    pub fn label_size_mm(self) -> (f32, f32) {
        match self {
            SheetTemplate::AveryL7651 => (38.1, 21.2),
            SheetTemplate::AveryL7160 => (63.5, 38.1),
        }
    }

    /// Labels per A4 sheet.
    pub fn labels_per_sheet(self) -> usize {
        let g = self.grid();
        g.columns * g.rows
    }

    pub(crate) fn grid(self) -> SheetGrid {
        match self {
            // 4.75 + 5 × 38.1 + 4 × 2.5 + 4.75 = 210; 10.7 + 13 × 21.2 + 10.7 = 297.
            SheetTemplate::AveryL7651 => SheetGrid {
                columns: 5,
                rows: 13,
                left: 4.75,
                top: 10.7,
                pitch_x: 40.6,
                pitch_y: 21.2,
            },
            // 7.21 + 3 × 63.5 + 2 × 2.54 + 7.21 = 210; 15.15 + 7 × 38.1 + 15.15 = 297.
            SheetTemplate::AveryL7160 => SheetGrid {
                columns: 3,
                rows: 7,
                left: 7.21,
                top: 15.15,
                pitch_x: 66.04,
                pitch_y: 38.1,
            },
        }
    }

    /// Bottom-left corner (PDF coordinates, mm) of the `index`-th label on a sheet,
    /// counting row by row from the top-left.
    pub(crate) fn cell_origin(self, index: usize) -> (f32, f32) {
        let g = self.grid();
        let (_, h) = self.label_size_mm();
        let col = index % g.columns;
        let row = index / g.columns;
        let x = g.left + col as f32 * g.pitch_x;
        let y = A4_MM.1 - g.top - row as f32 * g.pitch_y - h;
        (x, y)
    }
}

impl LabelLayout {
    /// Every supported layout.
    pub const ALL: [LabelLayout; 5] = [
        LabelLayout::Cryo25x13,
        LabelLayout::Label50x25,
        LabelLayout::Label100x50,
        LabelLayout::A4Sheet {
            template: SheetTemplate::AveryL7651,
        },
        LabelLayout::A4Sheet {
            template: SheetTemplate::AveryL7160,
        },
    ];

    /// Width and height of one label in mm.
    pub fn label_size_mm(self) -> (f32, f32) {
        match self {
            LabelLayout::Cryo25x13 => (25.0, 13.0),
            LabelLayout::Label50x25 => (50.0, 25.0),
            LabelLayout::Label100x50 => (100.0, 50.0),
            LabelLayout::A4Sheet { template } => template.label_size_mm(),
        }
    }

    /// Stable identifier for forms and URLs, e.g. `cryo-25x13` or `a4-l7651`.
    pub fn id(self) -> &'static str {
        match self {
            LabelLayout::Cryo25x13 => "cryo-25x13",
            LabelLayout::Label50x25 => "50x25",
            LabelLayout::Label100x50 => "100x50",
            LabelLayout::A4Sheet {
                template: SheetTemplate::AveryL7651,
            } => "a4-l7651",
            LabelLayout::A4Sheet {
                template: SheetTemplate::AveryL7160,
            } => "a4-l7160",
        }
    }

    /// Parses an identifier produced by [`LabelLayout::id`].
    pub fn from_id(id: &str) -> Option<LabelLayout> {
        LabelLayout::ALL
            .into_iter()
            .find(|l| l.id().eq_ignore_ascii_case(id.trim()))
    }

    /// Human-readable name for a picker.
    pub fn description(self) -> &'static str {
        match self {
            LabelLayout::Cryo25x13 => "Cryo-tube label 25 × 13 mm",
            LabelLayout::Label50x25 => "Label 50 × 25 mm",
            LabelLayout::Label100x50 => "Label 100 × 50 mm",
            LabelLayout::A4Sheet {
                template: SheetTemplate::AveryL7651,
            } => "A4 sheet, Avery L7651 (65 labels 38.1 × 21.2 mm)",
            LabelLayout::A4Sheet {
                template: SheetTemplate::AveryL7160,
            } => "A4 sheet, Avery L7160 (21 labels 63.5 × 38.1 mm)",
        }
    }

    /// Sizes and spacing used on this layout.
    pub(crate) fn style(self) -> Style {
        match self {
            LabelLayout::Cryo25x13 => Style {
                margin: 0.8,
                gap: 0.7,
                code_max_pt: 7.0,
                body_max_pt: 5.0,
                min_pt: 3.0,
            },
            LabelLayout::Label50x25 => Style {
                margin: 1.5,
                gap: 1.2,
                code_max_pt: 12.0,
                body_max_pt: 7.5,
                min_pt: 4.0,
            },
            LabelLayout::Label100x50 => Style {
                margin: 3.0,
                gap: 2.5,
                code_max_pt: 22.0,
                body_max_pt: 13.0,
                min_pt: 6.0,
            },
            LabelLayout::A4Sheet {
                template: SheetTemplate::AveryL7651,
            } => Style {
                margin: 1.5,
                gap: 1.0,
                code_max_pt: 9.0,
                body_max_pt: 6.5,
                min_pt: 3.5,
            },
            LabelLayout::A4Sheet {
                template: SheetTemplate::AveryL7160,
            } => Style {
                margin: 2.5,
                gap: 1.5,
                code_max_pt: 14.0,
                body_max_pt: 9.0,
                min_pt: 5.0,
            },
        }
    }

    /// Where the QR code and the text block go, in mm from the label's top-left.
    pub(crate) fn geometry(self) -> Geometry {
        let (w, h) = self.label_size_mm();
        let s = self.style();
        let qr_size = (h - 2.0 * s.margin).min(w * 0.45);
        let qr_x = s.margin;
        let qr_y = (h - qr_size) / 2.0;
        let text_x = qr_x + qr_size + s.gap;
        Geometry {
            width: w,
            height: h,
            qr_x,
            qr_y,
            qr_size,
            text_x,
            text_y: s.margin,
            text_w: w - s.margin - text_x,
            text_h: h - 2.0 * s.margin,
        }
    }
}

impl fmt::Display for LabelLayout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.id())
    }
}

impl FromStr for LabelLayout {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LabelLayout::from_id(s).ok_or_else(|| {
            let ids: Vec<&str> = LabelLayout::ALL.iter().map(|l| l.id()).collect();
            format!(
                "unknown label layout '{s}' (expected one of: {})",
                ids.join(", ")
            )
        })
    }
}

/// Typographic settings of a layout (lengths in mm, font sizes in pt).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Style {
    /// Blank border inside the label edge.
    pub margin: f32,
    /// Space between the QR code and the text.
    pub gap: f32,
    pub code_max_pt: f32,
    pub body_max_pt: f32,
    /// Smallest size any line is shrunk to before it is cut with an ellipsis.
    pub min_pt: f32,
}

/// Label regions in mm, origin at the label's top-left corner, y downwards.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Geometry {
    pub width: f32,
    pub height: f32,
    /// The QR box includes the quiet zone.
    pub qr_x: f32,
    pub qr_y: f32,
    pub qr_size: f32,
    pub text_x: f32,
    pub text_y: f32,
    pub text_w: f32,
    pub text_h: f32,
}

/// Smallest printable and scannable QR module: two dots of a 300 dpi printer.
pub(crate) const MIN_MODULE_MM: f32 = 0.17;

/// Quiet zone around the QR code, in modules (on top of the label margin).
pub(crate) const QUIET_MODULES: usize = 2;

pub(crate) const PT_PER_MM: f32 = 72.0 / 25.4;
