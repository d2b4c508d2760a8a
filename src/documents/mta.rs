//! The material-transfer agreement PDF: title, parties, the agreement text (built-in SMTA or
//! UBMTA-style, or the repository's own versioned text), safety and restrictions, acceptance
//! and signature blocks, and Annex 1 — the list of materials — whose table header repeats on
//! every page it continues onto. A QR code on the first page links back to the request.

use crate::domain::mta::MtaKind;
use crate::labels::FontSource;

use super::DocumentError;
use super::layout::{Column, Doc, Table};
use super::texts::{self, Block};

/// One party to the agreement.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PartyBlock {
    /// Institution name (any script).
    pub institution: String,
    /// FAO WIEWS code where there is one.
    pub code: Option<String>,
    pub address: String,
    pub country: Option<String>,
    /// The authorised official's name and title.
    pub official_name: String,
    pub official_title: String,
    pub email: Option<String>,
}

/// One Annex 1 row.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MaterialRow {
    /// `INSTCODE ACCENUMB`.
    pub accession: String,
    /// Persistent identifier (PUID / DOI / CSTR / URL).
    pub identifier: String,
    pub crop: String,
    pub taxon: String,
    /// Quantity with unit, e.g. `50 seeds`.
    pub quantity: String,
    /// Biosafety risk group, when known.
    pub risk_group: Option<i32>,
    /// SMTA: PGRFA under development (the repository distributes material as conserved).
    pub under_development: bool,
    /// Restrictions on this material (ABS status, consent scope, availability note).
    pub restrictions: String,
}

/// Everything an agreement shows.
#[derive(Debug, Clone, PartialEq)]
pub struct MtaDocument {
    pub kind: MtaKind,
    pub agreement_number: String,
    pub request_number: String,
    /// `{base_url}/requests/{id}`, encoded in the QR code.
    pub request_url: String,
    /// Date of issue, `YYYY-MM-DD`.
    pub issued_on: String,
    pub provider: PartyBlock,
    pub recipient: PartyBlock,
    /// The recipient scientist (who asked for the material).
    pub recipient_scientist: String,
    pub intended_use: String,
    pub project: String,
    pub shipping_address: String,
    pub materials: Vec<MaterialRow>,
    /// The repository's own text and its version label; `None` uses the built-in text.
    pub own_text: Option<(String, String)>,
    /// Handling requirements and restrictions, one statement per line.
    pub conditions: Vec<String>,
}

fn title(kind: MtaKind) -> &'static str {
    match kind {
        MtaKind::Smta => "Standard Material Transfer Agreement · 标准材料转让协议",
        MtaKind::Ubmta => "Material Transfer Agreement · 材料转让协议",
    }
}

fn party_pairs(p: &PartyBlock) -> Vec<(String, String)> {
    let mut pairs = vec![(
        "Institution · 机构".to_string(),
        match &p.code {
            Some(c) if !c.is_empty() => format!("{} ({c})", p.institution),
            _ => p.institution.clone(),
        },
    )];
    let address = [Some(p.address.as_str()), p.country.as_deref()]
        .into_iter()
        .flatten()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ");
    pairs.push(("Address · 地址".into(), address));
    pairs.push((
        "Authorised official · 授权代表".into(),
        format!("{}, {}", p.official_name, p.official_title),
    ));
    if let Some(e) = p.email.as_deref().filter(|e| !e.is_empty()) {
        pairs.push(("E-mail · 电子邮件".into(), e.to_string()));
    }
    pairs
}

/// Renders the agreement as a PDF with the default font.
pub fn render_mta(m: &MtaDocument) -> Result<Vec<u8>, DocumentError> {
    render_mta_with_font(m, &FontSource::Default)
}

/// Renders the agreement as a PDF with the body font taken from `font`.
pub fn render_mta_with_font(m: &MtaDocument, font: &FontSource) -> Result<Vec<u8>, DocumentError> {
    let mut doc = Doc::new(&m.agreement_number, font);
    let top = doc.cursor();
    doc.qr_top_right(&m.request_url, 30.0)?;
    let narrow = doc.text_width() - 34.0;
    doc.paragraph_at(title(m.kind), 18.0, narrow, 15.0);
    doc.space(2.0);
    doc.paragraph_at(
        &format!("Agreement no. · 协议编号: {}", m.agreement_number),
        18.0,
        narrow,
        10.0,
    );
    doc.paragraph_at(
        &format!(
            "Request · 申请: {}    Issued · 签发日期: {}",
            m.request_number, m.issued_on
        ),
        18.0,
        narrow,
        9.0,
    );
    doc.paragraph_at(
        &format!("Request record: {}", m.request_url),
        18.0,
        narrow,
        8.0,
    );
    let below_qr = top + 32.0;
    if doc.cursor() < below_qr {
        doc.set_cursor(below_qr);
    }

    doc.heading("Parties · 协议双方", 12.0);
    doc.paragraph("Provider · 提供方", 10.5);
    doc.key_values(&party_pairs(&m.provider), 9.0);
    doc.space(2.0);
    doc.paragraph("Recipient · 接收方", 10.5);
    let mut recipient = party_pairs(&m.recipient);
    recipient.push((
        "Recipient scientist · 接收科学家".into(),
        m.recipient_scientist.clone(),
    ));
    recipient.push(("Intended use · 用途".into(), m.intended_use.clone()));
    recipient.push(("Project · 项目".into(), m.project.clone()));
    recipient.push(("Ship to · 收货地址".into(), m.shipping_address.clone()));
    doc.key_values(&recipient, 9.0);

    let (text, version) = match &m.own_text {
        Some((body, label)) => (body.as_str(), label.clone()),
        None => match m.kind {
            MtaKind::Smta => (texts::SMTA, "built-in text (SMTA 2006)".to_string()),
            MtaKind::Ubmta => (texts::UBMTA, "built-in text (UBMTA 1995 model)".to_string()),
        },
    };
    doc.heading("Terms · 协议条款", 12.0);
    doc.paragraph(&format!("Agreement text: {version}"), 8.0);
    for block in texts::blocks(text) {
        match block {
            Block::Heading(h) => doc.heading(h, 10.5),
            Block::Paragraph(p) => {
                doc.paragraph(&p, 9.0);
                doc.space(1.2);
            }
        }
    }

    doc.heading("Safety and restrictions · 安全与使用限制", 12.0);
    let mut groups: Vec<i32> = m.materials.iter().filter_map(|r| r.risk_group).collect();
    groups.sort_unstable();
    groups.dedup();
    let risk = if groups.is_empty() {
        "Biosafety risk group · 生物安全风险等级: not classified (plant material)".to_string()
    } else {
        format!(
            "Biosafety risk group · 生物安全风险等级: {}",
            groups
                .iter()
                .map(i32::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    doc.paragraph(&risk, 9.0);
    for c in &m.conditions {
        doc.paragraph(&format!("• {c}"), 9.0);
    }
    doc.paragraph(
        "Cite each accession's persistent identifier (Annex 1) in any publication that uses the material.",
        9.0,
    );

    doc.heading("Acceptance · 接受方式", 12.0);
    doc.paragraph(
        "Click-wrap: the Recipient accepts this Agreement online at the request record; the \
         Provider records who accepted, when, from which network address, and the SHA-256 \
         checksum of this exact PDF file. Signature: alternatively the authorised official \
         signs below and uploads the signed copy, which the Provider confirms.",
        9.0,
    );
    doc.space(2.0);
    doc.paragraph(
        &format!(
            "For the Provider: {}, {}",
            m.provider.official_name, m.provider.official_title
        ),
        9.0,
    );
    doc.signature_line("Signature · 签字                      Date · 日期", 8.0);
    doc.paragraph(
        &format!("For the Recipient: {}", m.recipient.official_name),
        9.0,
    );
    doc.signature_line(
        "Name, title, signature · 姓名、职务、签字          Date · 日期",
        8.0,
    );
    doc.paragraph(
        &format!("Recipient scientist: {}", m.recipient_scientist),
        9.0,
    );
    doc.signature_line("Signature · 签字                      Date · 日期", 8.0);

    doc.new_page();
    doc.heading(
        "Annex 1 — List of materials provided · 附件1 所提供材料清单",
        12.0,
    );
    doc.paragraph(
        &format!(
            "{} item(s) under agreement {}.",
            m.materials.len(),
            m.agreement_number
        ),
        9.0,
    );
    doc.space(1.5);
    let last = match m.kind {
        MtaKind::Smta => "PGRFA under development",
        MtaKind::Ubmta => "Risk group",
    };
    let col = |t: &str, share: f32| Column {
        title: t.to_string(),
        share,
    };
    let table = Table {
        columns: vec![
            col("#", 0.5),
            col("Accession", 2.0),
            col("Identifier (PUID)", 2.8),
            col("Crop", 1.3),
            col("Taxon", 2.0),
            col("Quantity", 1.3),
            col(last, 1.6),
        ],
        rows: m
            .materials
            .iter()
            .enumerate()
            .map(|(i, r)| {
                vec![
                    (i + 1).to_string(),
                    r.accession.clone(),
                    r.identifier.clone(),
                    r.crop.clone(),
                    r.taxon.clone(),
                    r.quantity.clone(),
                    match m.kind {
                        MtaKind::Smta => if r.under_development { "Yes" } else { "No" }.into(),
                        MtaKind::Ubmta => r
                            .risk_group
                            .map(|g| g.to_string())
                            .unwrap_or_else(|| "–".into()),
                    },
                ]
            })
            .collect(),
    };
    doc.table(&table, 8.5);
    let restricted: Vec<String> = m
        .materials
        .iter()
        .filter(|r| !r.restrictions.is_empty())
        .map(|r| format!("{}: {}", r.accession, r.restrictions))
        .collect();
    if !restricted.is_empty() {
        doc.heading("Restrictions per item · 各条目的限制", 10.5);
        for r in restricted {
            doc.paragraph(&r, 8.5);
        }
    }
    doc.finish(&format!("{} · {}", m.agreement_number, m.request_number))
}
