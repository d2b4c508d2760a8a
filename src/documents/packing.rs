//! The packing list that goes in the parcel: who it is for, the agreement it travels under,
//! and one line per sample with its label code and quantity; a QR code links back to the
//! request record.

use crate::labels::FontSource;

use super::DocumentError;
use super::layout::{Column, Doc, Table};

/// One sample in the parcel.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackingLine {
    pub accession: String,
    pub taxon: String,
    pub label_code: String,
    /// Quantity with unit, e.g. `20 seeds`.
    pub quantity: String,
    /// Form of supply (seed packet, ampoule, vial, …).
    pub form: String,
    /// Picked and checked (`yes`) or still to pick.
    pub picked: bool,
}

/// What a packing list shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PackingList {
    pub request_number: String,
    pub request_url: String,
    pub agreement_number: Option<String>,
    pub provider: String,
    pub recipient: String,
    pub shipping_address: String,
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub shipped_on: Option<String>,
    pub lines: Vec<PackingLine>,
}

/// Renders the packing list as a PDF.
pub fn render_packing_list(p: &PackingList) -> Result<Vec<u8>, DocumentError> {
    let mut doc = Doc::new(
        &format!("Packing list {}", p.request_number),
        &FontSource::Default,
    );
    let top = doc.cursor();
    doc.qr_top_right(&p.request_url, 28.0)?;
    let narrow = doc.text_width() - 32.0;
    doc.paragraph_at("Packing list · 装箱单", 18.0, narrow, 15.0);
    doc.space(2.0);
    let mut pairs = vec![
        ("Request · 申请".to_string(), p.request_number.clone()),
        ("From · 发件方".to_string(), p.provider.clone()),
        ("To · 收件方".to_string(), p.recipient.clone()),
        ("Ship to · 收货地址".to_string(), p.shipping_address.clone()),
    ];
    if let Some(a) = &p.agreement_number {
        pairs.push(("Agreement · 协议".into(), a.clone()));
    }
    if let Some(c) = &p.carrier {
        pairs.push(("Carrier · 承运方".into(), c.clone()));
    }
    if let Some(t) = &p.tracking_number {
        pairs.push(("Tracking no. · 运单号".into(), t.clone()));
    }
    if let Some(d) = &p.shipped_on {
        pairs.push(("Shipped · 发货日期".into(), d.clone()));
    }
    doc.key_values(&pairs, 9.0);
    if doc.cursor() < top + 30.0 {
        doc.set_cursor(top + 30.0);
    }
    doc.space(4.0);
    let col = |t: &str, share: f32| Column {
        title: t.to_string(),
        share,
    };
    let table = Table {
        columns: vec![
            col("#", 0.5),
            col("Accession", 2.0),
            col("Taxon", 2.4),
            col("Label code", 1.8),
            col("Quantity", 1.3),
            col("Form", 1.4),
            col("Picked", 0.9),
        ],
        rows: p
            .lines
            .iter()
            .enumerate()
            .map(|(i, l)| {
                vec![
                    (i + 1).to_string(),
                    l.accession.clone(),
                    l.taxon.clone(),
                    l.label_code.clone(),
                    l.quantity.clone(),
                    l.form.clone(),
                    if l.picked { "yes" } else { "" }.to_string(),
                ]
            })
            .collect(),
    };
    doc.table(&table, 9.0);
    doc.space(6.0);
    doc.paragraph(
        "Packed by · 装箱人 ____________________    Checked by · 核对人 ____________________",
        9.0,
    );
    doc.finish(&format!("Packing list · {}", p.request_number))
}
