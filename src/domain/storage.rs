//! Storage layout rules: what a storage unit may contain, box-type templates, and how grid
//! positions are labelled (`A1…H12` row-letter style or `1…81` numbered) and read back.

use std::str::FromStr;

use super::{FieldError, string_enum};

string_enum! {
    /// A level of the storage tree, from the site down to the box that holds samples.
    pub enum StorageKind("storage kind") {
        Site = "site" => "Site",
        Room = "room" => "Room",
        Equipment = "equipment" => "Equipment",
        Rack = "rack" => "Rack",
        Shelf = "shelf" => "Shelf",
        Box = "box" => "Box",
    }
}

impl StorageKind {
    /// Whether a unit of this kind may hold a unit of `child` kind directly.
    pub fn may_contain(self, child: StorageKind) -> bool {
        use StorageKind::*;
        match self {
            Site => matches!(child, Room | Equipment),
            Room => matches!(child, Equipment | Rack | Shelf | Box),
            Equipment => matches!(child, Rack | Shelf | Box),
            Rack | Shelf => matches!(child, Box),
            Box => false,
        }
    }

    /// Whether a unit of this kind may stand at the top of the tree.
    pub fn may_be_root(self) -> bool {
        matches!(self, StorageKind::Site | StorageKind::Room)
    }
}

string_enum! {
    /// The kind of cold-storage equipment, which sets the usual temperature.
    pub enum EquipmentType("equipment type") {
        Freezer80 = "freezer_minus80" => "−80 °C freezer",
        Ln2Tank = "ln2_tank" => "Liquid-nitrogen tank",
        SeedVault = "seed_vault" => "−18 °C seed vault",
        ColdRoom = "cold_room" => "Cold room",
        Refrigerator = "refrigerator" => "Refrigerator (4 °C)",
    }
}

impl EquipmentType {
    /// The usual set-point temperature, used when none is given.
    pub fn default_temperature_c(self) -> f64 {
        match self {
            EquipmentType::Freezer80 => -80.0,
            EquipmentType::Ln2Tank => -196.0,
            EquipmentType::SeedVault => -18.0,
            EquipmentType::ColdRoom => 4.0,
            EquipmentType::Refrigerator => 4.0,
        }
    }
}

string_enum! {
    /// How a grid box names its positions.
    pub enum PositionLabels("position labelling") {
        RowLetter = "row_letter" => "Row letter and column number (A1…H12)",
        Numeric = "numeric" => "Numbered left to right, top to bottom (1…81)",
    }
}

/// A box's layout: a grid of rows × columns, or position-free with an optional capacity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Layout {
    /// Every sample sits at a labelled position; at most one per position.
    Grid(Grid),
    /// Bags, bins and drawers: samples are inside, at no position.
    Free {
        /// How many samples fit, when limited.
        capacity: Option<u32>,
    },
}

impl Layout {
    /// Number of places in the box, when known.
    pub fn capacity(&self) -> Option<u32> {
        match self {
            Layout::Grid(g) => Some(g.capacity()),
            Layout::Free { capacity } => *capacity,
        }
    }
}

/// A template for boxes: cryoboxes, racks of tubes, drawers, bags and bins.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BoxType {
    /// Stable key stored on the box and exchanged over the API.
    pub key: &'static str,
    /// English name for pick lists (the catalog translates `box_type.{key}`).
    pub name: &'static str,
    /// Grid or position-free.
    pub layout: Layout,
}

/// The box types a repository can choose from.
pub const BOX_TYPES: &[BoxType] = &[
    BoxType {
        key: "cryobox_9x9",
        name: "Cryobox 9 × 9 (1…81)",
        layout: Layout::Grid(Grid {
            rows: 9,
            cols: 9,
            labels: PositionLabels::Numeric,
        }),
    },
    BoxType {
        key: "cryobox_10x10",
        name: "Cryobox 10 × 10 (A1…J10)",
        layout: Layout::Grid(Grid {
            rows: 10,
            cols: 10,
            labels: PositionLabels::RowLetter,
        }),
    },
    BoxType {
        key: "rack_8x12",
        name: "Rack 8 × 12 (A1…H12)",
        layout: Layout::Grid(Grid {
            rows: 8,
            cols: 12,
            labels: PositionLabels::RowLetter,
        }),
    },
    BoxType {
        key: "drawer",
        name: "Drawer (no positions)",
        layout: Layout::Free { capacity: None },
    },
    BoxType {
        key: "bag",
        name: "Bag (no positions, up to 50)",
        layout: Layout::Free { capacity: Some(50) },
    },
    BoxType {
        key: "bin",
        name: "Bin (no positions, up to 200)",
        layout: Layout::Free {
            capacity: Some(200),
        },
    },
];

impl BoxType {
    /// Looks a box type up by its key, naming the field when there is none.
    pub fn by_key(key: &str) -> Result<&'static BoxType, FieldError> {
        BOX_TYPES
            .iter()
            .find(|b| b.key == key.trim())
            .ok_or_else(|| {
                let allowed: Vec<&str> = BOX_TYPES.iter().map(|b| b.key).collect();
                FieldError::new(
                    "box_type",
                    "invalid_choice",
                    format!(
                        "box_type: '{}' is not a box type; expected one of: {}",
                        key.trim(),
                        allowed.join(", ")
                    ),
                )
            })
    }
}

/// The largest grid side: 26 rows keeps row letters single (A…Z).
pub const MAX_GRID_SIDE: u16 = 26;

/// A grid of positions and how they are labelled.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Grid {
    /// Number of rows (letters A… in row-letter style).
    pub rows: u16,
    /// Number of columns.
    pub cols: u16,
    /// Labelling style.
    pub labels: PositionLabels,
}

/// Why a position label was refused, phrased for the person at the freezer.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PositionError {
    /// Nothing was given where a grid box needs a position.
    #[error("this box has numbered positions; give one (e.g. {example})")]
    Missing {
        /// An example label in this box's style.
        example: String,
    },
    /// Not a label this box's style can read.
    #[error("'{given}' is not a position label in this box (e.g. {example})")]
    Unreadable {
        /// What was given.
        given: String,
        /// An example label in this box's style.
        example: String,
    },
    /// A well-formed label beyond the grid's edge.
    #[error("'{given}' is outside this box, whose positions are {first}…{last}")]
    OutOfRange {
        /// What was given.
        given: String,
        /// The first position label.
        first: String,
        /// The last position label.
        last: String,
    },
}

impl PositionError {
    /// Converts to a form error on the `position` field.
    pub fn to_field_error(&self) -> FieldError {
        let code = match self {
            PositionError::Missing { .. } => "required",
            PositionError::Unreadable { .. } => "invalid_format",
            PositionError::OutOfRange { .. } => "out_of_range",
        };
        FieldError::new("position", code, format!("position: {self}"))
    }
}

impl Grid {
    /// A grid after checking its size.
    pub fn new(rows: u16, cols: u16, labels: PositionLabels) -> Result<Grid, FieldError> {
        for (field, n) in [("grid_rows", rows), ("grid_cols", cols)] {
            if !(1..=MAX_GRID_SIDE).contains(&n) {
                return Err(FieldError::new(
                    field,
                    "out_of_range",
                    format!("{field}: must be 1…{MAX_GRID_SIDE}"),
                ));
            }
        }
        Ok(Grid { rows, cols, labels })
    }

    /// Number of positions.
    pub fn capacity(&self) -> u32 {
        u32::from(self.rows) * u32::from(self.cols)
    }

    /// The label of the position at a 0-based row and column.
    pub fn label_at(&self, row: u16, col: u16) -> String {
        match self.labels {
            PositionLabels::RowLetter => format!("{}{}", (b'A' + row as u8) as char, col + 1),
            PositionLabels::Numeric => {
                (u32::from(row) * u32::from(self.cols) + u32::from(col) + 1).to_string()
            }
        }
    }

    /// Every position label, row by row.
    pub fn all_labels(&self) -> Vec<String> {
        (0..self.rows)
            .flat_map(|r| (0..self.cols).map(move |c| (r, c)))
            .map(|(r, c)| self.label_at(r, c))
            .collect()
    }

    fn first_last(&self) -> (String, String) {
        (
            self.label_at(0, 0),
            self.label_at(self.rows - 1, self.cols - 1),
        )
    }

    /// Reads a typed position back to its 0-based (row, column), tolerant of case, spaces and
    /// leading zeros (`a01` is `A1`).
    pub fn parse(&self, input: &str) -> Result<(u16, u16), PositionError> {
        let given: String = input.chars().filter(|c| !c.is_whitespace()).collect();
        let (first, last) = self.first_last();
        if given.is_empty() {
            return Err(PositionError::Missing { example: first });
        }
        let unreadable = || PositionError::Unreadable {
            given: given.clone(),
            example: last.clone(),
        };
        let out_of_range = || PositionError::OutOfRange {
            given: given.clone(),
            first: first.clone(),
            last: last.clone(),
        };
        match self.labels {
            PositionLabels::RowLetter => {
                let mut chars = given.chars();
                let letter = chars.next().filter(char::is_ascii_alphabetic);
                let digits = chars.as_str();
                let (Some(letter), true) = (
                    letter,
                    !digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()),
                ) else {
                    return Err(unreadable());
                };
                let row = (letter.to_ascii_uppercase() as u8 - b'A') as u16;
                let col = digits.parse::<u32>().map_err(|_| out_of_range())?;
                if row >= self.rows || col == 0 || col > u32::from(self.cols) {
                    return Err(out_of_range());
                }
                Ok((row, (col - 1) as u16))
            }
            PositionLabels::Numeric => {
                if !given.chars().all(|c| c.is_ascii_digit()) {
                    return Err(unreadable());
                }
                let n = given.parse::<u32>().map_err(|_| out_of_range())?;
                if n == 0 || n > self.capacity() {
                    return Err(out_of_range());
                }
                let i = n - 1;
                let cols = u32::from(self.cols);
                Ok(((i / cols) as u16, (i % cols) as u16))
            }
        }
    }

    /// The canonical label of a typed position (`a01` → `A1`, `007` → `7`).
    pub fn canonical(&self, input: &str) -> Result<String, PositionError> {
        let (r, c) = self.parse(input)?;
        Ok(self.label_at(r, c))
    }

    /// The 0-based index (row by row) of a canonical label, for ordering positions.
    pub fn index_of(&self, label: &str) -> Option<u32> {
        self.parse(label)
            .ok()
            .map(|(r, c)| u32::from(r) * u32::from(self.cols) + u32::from(c))
    }
}

/// The layout a storage unit's stored columns describe.
pub fn layout_of(
    grid_rows: Option<i32>,
    grid_cols: Option<i32>,
    position_labels: Option<&str>,
    capacity: Option<i32>,
) -> Layout {
    match (grid_rows, grid_cols) {
        (Some(r), Some(c)) if r > 0 && c > 0 => Layout::Grid(Grid {
            rows: r.min(i32::from(MAX_GRID_SIDE)) as u16,
            cols: c.min(i32::from(MAX_GRID_SIDE)) as u16,
            labels: position_labels
                .and_then(|l| PositionLabels::from_str(l).ok())
                .unwrap_or(PositionLabels::RowLetter),
        }),
        _ => Layout::Free {
            capacity: capacity.and_then(|c| u32::try_from(c).ok()),
        },
    }
}

/// Percent of `capacity` that `used` fills, rounded down; `None` when capacity is unknown.
pub fn percent_full(used: u64, capacity: Option<u64>) -> Option<u8> {
    match capacity {
        Some(0) | None => None,
        Some(cap) => Some((used.min(cap) * 100 / cap) as u8),
    }
}

/// Custody actions, in the order a scan page offers them (the API path segment of each).
pub const CUSTODY_ACTIONS: &[&str] = &[
    "store",
    "move",
    "check-out",
    "check-in",
    "aliquot",
    "thaw",
    "freeze",
    "discard",
];

/// What a technician may do next with a sample in this status, stored somewhere or not.
pub fn available_actions(status: &str, stored: bool) -> Vec<&'static str> {
    match status {
        "available" | "reserved" => {
            let place = if stored { "move" } else { "store" };
            vec![place, "check-out", "aliquot", "thaw", "freeze", "discard"]
        }
        "checked_out" => vec!["check-in", "aliquot", "thaw", "freeze", "discard"],
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn grid(rows: u16, cols: u16, labels: PositionLabels) -> Grid {
        Grid::new(rows, cols, labels).unwrap()
    }

    #[test]
    fn an_8_by_12_rack_runs_from_a1_to_h12_row_by_row() {
        let g = grid(8, 12, PositionLabels::RowLetter);
        let labels = g.all_labels();
        assert_eq!(labels.len(), 96);
        assert_eq!(labels[0], "A1");
        assert_eq!(labels[11], "A12");
        assert_eq!(labels[12], "B1");
        assert_eq!(labels[95], "H12");
    }

    #[test]
    fn a_9_by_9_cryobox_is_numbered_1_to_81() {
        let g = grid(9, 9, PositionLabels::Numeric);
        let labels = g.all_labels();
        assert_eq!(labels.first().map(String::as_str), Some("1"));
        assert_eq!(labels[9], "10");
        assert_eq!(labels.last().map(String::as_str), Some("81"));
    }

    #[test]
    fn every_label_parses_back_to_its_own_position() {
        for labels in PositionLabels::ALL {
            let g = grid(9, 12, *labels);
            for r in 0..g.rows {
                for c in 0..g.cols {
                    assert_eq!(g.parse(&g.label_at(r, c)), Ok((r, c)));
                }
            }
        }
    }

    #[test]
    fn typed_positions_are_read_leniently_and_made_canonical() {
        let g = grid(8, 12, PositionLabels::RowLetter);
        assert_eq!(g.canonical("a01").unwrap(), "A1");
        assert_eq!(g.canonical(" h 12 ").unwrap(), "H12");
        let n = grid(9, 9, PositionLabels::Numeric);
        assert_eq!(n.canonical("007").unwrap(), "7");
        assert_eq!(n.parse("10"), Ok((1, 0)));
    }

    #[test]
    fn positions_outside_the_grid_are_refused_with_its_range() {
        let g = grid(8, 12, PositionLabels::RowLetter);
        for bad in ["I1", "A13", "A0"] {
            let e = g.parse(bad).unwrap_err();
            assert!(
                matches!(e, PositionError::OutOfRange { .. }),
                "{bad}: {e:?}"
            );
            assert!(e.to_string().contains("A1…H12"), "{e}");
        }
        let n = grid(9, 9, PositionLabels::Numeric);
        assert!(matches!(
            n.parse("82"),
            Err(PositionError::OutOfRange { .. })
        ));
        assert!(matches!(
            n.parse("0"),
            Err(PositionError::OutOfRange { .. })
        ));
        assert!(matches!(
            n.parse("99999999999999"),
            Err(PositionError::OutOfRange { .. })
        ));
    }

    #[test]
    fn unreadable_or_missing_positions_say_so() {
        let g = grid(8, 12, PositionLabels::RowLetter);
        for bad in ["1A", "AA1", "A", "A1x", "Ä1"] {
            assert!(
                matches!(g.parse(bad), Err(PositionError::Unreadable { .. })),
                "{bad}"
            );
        }
        let n = grid(9, 9, PositionLabels::Numeric);
        assert!(matches!(
            n.parse("A1"),
            Err(PositionError::Unreadable { .. })
        ));
        let e = n.parse("  ").unwrap_err();
        assert!(matches!(e, PositionError::Missing { .. }));
        assert_eq!(e.to_field_error().field, "position");
    }

    #[test]
    fn grids_larger_than_26_rows_or_empty_are_refused() {
        assert!(Grid::new(27, 1, PositionLabels::RowLetter).is_err());
        assert_eq!(
            Grid::new(0, 5, PositionLabels::Numeric).unwrap_err().field,
            "grid_rows"
        );
        assert_eq!(
            Grid::new(5, 0, PositionLabels::Numeric).unwrap_err().field,
            "grid_cols"
        );
    }

    #[test]
    fn box_types_cover_cryoboxes_racks_and_position_free_containers() {
        let nine = BoxType::by_key("cryobox_9x9").unwrap();
        assert_eq!(nine.layout.capacity(), Some(81));
        assert_eq!(
            BoxType::by_key("rack_8x12").unwrap().layout.capacity(),
            Some(96)
        );
        assert_eq!(
            BoxType::by_key("cryobox_10x10").unwrap().layout.capacity(),
            Some(100)
        );
        assert_eq!(
            BoxType::by_key("drawer").unwrap().layout,
            Layout::Free { capacity: None }
        );
        let e = BoxType::by_key("shoebox").unwrap_err();
        assert_eq!(e.field, "box_type");
        assert!(e.message.contains("cryobox_9x9"), "{}", e.message);
    }

    #[test]
    fn the_tree_nests_site_room_equipment_rack_box() {
        use StorageKind::*;
        assert!(Site.may_contain(Room));
        assert!(Room.may_contain(Equipment));
        assert!(Equipment.may_contain(Rack));
        assert!(Rack.may_contain(Box));
        assert!(Equipment.may_contain(Box));
        assert!(!Box.may_contain(Box));
        assert!(!Rack.may_contain(Equipment));
        assert!(!Box.may_be_root());
        assert!(Site.may_be_root());
    }

    #[test]
    fn stored_columns_describe_the_layout() {
        assert_eq!(
            layout_of(Some(9), Some(9), Some("numeric"), None),
            Layout::Grid(grid(9, 9, PositionLabels::Numeric))
        );
        assert_eq!(
            layout_of(None, None, None, Some(50)),
            Layout::Free { capacity: Some(50) }
        );
    }

    #[test]
    fn percent_full_rounds_down_and_needs_a_capacity() {
        assert_eq!(percent_full(40, Some(81)), Some(49));
        assert_eq!(percent_full(81, Some(81)), Some(100));
        assert_eq!(percent_full(3, None), None);
        assert_eq!(percent_full(3, Some(0)), None);
    }

    #[test]
    fn a_scan_offers_what_the_status_allows() {
        assert_eq!(available_actions("available", false)[0], "store");
        assert_eq!(available_actions("available", true)[0], "move");
        assert!(available_actions("checked_out", true).contains(&"check-in"));
        assert!(!available_actions("checked_out", true).contains(&"move"));
        assert!(available_actions("discarded", true).is_empty());
        for a in available_actions("available", true) {
            assert!(CUSTODY_ACTIONS.contains(&a));
        }
    }

    #[test]
    fn equipment_has_its_usual_temperature() {
        assert_eq!(EquipmentType::Ln2Tank.default_temperature_c(), -196.0);
        assert_eq!(EquipmentType::SeedVault.default_temperature_c(), -18.0);
    }
}
