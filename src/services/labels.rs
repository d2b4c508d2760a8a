//! Printing labels: gathering what a label says, rendering off the async runtime, sending ZPL
//! to a thermal printer, and logging every print (reprints included) in the audit trail.

use std::time::Duration;

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use tokio::io::AsyncWriteExt;

use entities::{accession, sample};

use super::{Actor, audit, storage};
use crate::domain::label_code::LabelCode;
use crate::error::{AppError, AppResult};
use crate::labels::{LabelData, LabelLayout, Symbology, render_pdf, render_zpl};

/// The most labels one request may render (a few A4 boxes' worth is far below it).
pub const MAX_LABELS: usize = 5000;

/// What to label: storage units themselves (box and rack labels), explicit samples, or every
/// sample stored in a box.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub sample_ids: Vec<i64>,
    pub box_id: Option<i64>,
    pub unit_ids: Vec<i64>,
    /// QR (the default) or Data Matrix.
    pub symbology: Symbology,
}

impl Selection {
    /// One sample's label.
    pub fn sample(id: i64) -> Selection {
        Selection {
            sample_ids: vec![id],
            ..Default::default()
        }
    }

    /// The label of one storage unit (a box, rack or drawer).
    pub fn unit(id: i64) -> Selection {
        Selection {
            unit_ids: vec![id],
            ..Default::default()
        }
    }
}

/// What a printed label belongs to, for the print log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Printed {
    Sample(i64),
    Unit(i64),
}

/// What each selected unit's and sample's label says, in the order asked (box: by position).
pub async fn label_data<C: ConnectionTrait>(
    conn: &C,
    base_url: &str,
    selection: &Selection,
) -> AppResult<Vec<(Printed, LabelData)>> {
    let base = base_url.trim_end_matches('/');
    let mut out = Vec::new();
    if !selection.unit_ids.is_empty() {
        let tree = storage::Tree::load(conn).await?;
        for id in &selection.unit_ids {
            let u = tree.unit(*id).ok_or_else(|| {
                AppError::invalid(
                    "unit_ids",
                    "not_found",
                    format!("unit_ids: there is no storage unit {id}"),
                )
            })?;
            let code = u
                .barcode
                .as_deref()
                .and_then(|b| LabelCode::parse(b).ok())
                .ok_or_else(|| {
                    AppError::conflict(
                        "unit_ids",
                        format!("{}: this unit has no label code", u.name),
                    )
                })?
                .display();
            let path = u.parent_id.map(|p| tree.path_text(p)).unwrap_or_default();
            out.push((
                Printed::Unit(u.id),
                LabelData {
                    url: format!("{base}/s/{code}"),
                    label_code: code,
                    accession_number: u.name.clone(),
                    taxon: path,
                    date: Some(
                        chrono::Utc::now()
                            .date_naive()
                            .format("%Y-%m-%d")
                            .to_string(),
                    ),
                    // The box type's name, never its internal key.
                    extra: u
                        .box_type
                        .as_deref()
                        .and_then(|k| crate::domain::storage::BoxType::by_key(k).ok())
                        .map(|b| b.name.to_string()),
                    symbology: selection.symbology,
                },
            ));
        }
    }
    let mut samples = Vec::new();
    if let Some(box_id) = selection.box_id {
        samples.extend(
            sample::Entity::find()
                .filter(sample::Column::StorageUnitId.eq(box_id))
                .order_by_asc(sample::Column::Position)
                .all(conn)
                .await?,
        );
    }
    if !selection.sample_ids.is_empty() {
        let found = sample::Entity::find()
            .filter(sample::Column::Id.is_in(selection.sample_ids.clone()))
            .all(conn)
            .await?;
        for id in &selection.sample_ids {
            match found.iter().find(|s| s.id == *id) {
                Some(s) => samples.push(s.clone()),
                None => {
                    return Err(AppError::invalid(
                        "sample_ids",
                        "not_found",
                        format!("sample_ids: there is no sample {id}"),
                    ));
                }
            }
        }
    }
    if samples.is_empty() && out.is_empty() {
        return Err(AppError::invalid(
            "sample_ids",
            "required",
            "sample_ids: choose at least one sample (or a box that holds samples)",
        ));
    }
    if samples.len() + out.len() > MAX_LABELS {
        return Err(AppError::invalid(
            "sample_ids",
            "too_many",
            format!("sample_ids: at most {MAX_LABELS} labels at once"),
        ));
    }
    let accession_ids: Vec<i64> = samples.iter().map(|s| s.accession_id).collect();
    let accessions = accession::Entity::find()
        .filter(accession::Column::Id.is_in(accession_ids))
        .all(conn)
        .await?;
    let labelled: AppResult<Vec<(Printed, LabelData)>> = samples
        .into_iter()
        .map(|s| {
            let a = accessions
                .iter()
                .find(|a| a.id == s.accession_id)
                .ok_or(AppError::NotFound)?;
            let code = LabelCode::parse(&s.label_code)
                .map(|c| c.display())
                .unwrap_or_else(|_| s.label_code.clone());
            let extra = match (s.passage, s.generation) {
                (Some(p), _) => Some(format!("P{p}")),
                (None, Some(g)) => Some(format!("G{g}")),
                _ => None,
            };
            let data = LabelData {
                url: format!("{base}/s/{code}"),
                label_code: code,
                accession_number: format!("{} {}", a.institute_code, a.accession_number),
                taxon: a.taxon_name.clone(),
                date: Some(
                    s.banked_on
                        .unwrap_or(s.created_at.date_naive())
                        .format("%Y-%m-%d")
                        .to_string(),
                ),
                extra,
                symbology: selection.symbology,
            };
            Ok((Printed::Sample(s.id), data))
        })
        .collect();
    out.extend(labelled?);
    Ok(out)
}

async fn log_prints<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    printed: &[Printed],
    layout: LabelLayout,
    format: &str,
) -> AppResult<()> {
    for p in printed {
        let detail = serde_json::json!({ "layout": layout.id(), "format": format });
        let (table, id) = match p {
            Printed::Sample(id) => ("samples", *id),
            Printed::Unit(id) => ("storage_units", *id),
        };
        audit::record(conn, actor, "print_label", table, id, None, Some(detail)).await?;
    }
    Ok(())
}

/// Renders a PDF of the selection and logs the print.
pub async fn pdf<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    base_url: &str,
    selection: &Selection,
    layout: LabelLayout,
) -> AppResult<Vec<u8>> {
    let items = label_data(conn, base_url, selection).await?;
    let ids: Vec<Printed> = items.iter().map(|(p, _)| *p).collect();
    let data: Vec<LabelData> = items.into_iter().map(|(_, d)| d).collect();
    let rendered = tokio::task::spawn_blocking(move || render_pdf(&data, layout))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))?
        .map_err(|e| AppError::invalid("layout", "label_error", format!("labels: {e}")))?;
    for w in &rendered.warnings {
        tracing::warn!(warning = %w, "label rendering");
    }
    log_prints(conn, actor, &ids, layout, "pdf").await?;
    Ok(rendered.into_bytes())
}

/// Renders ZPL for the selection and logs the print.
pub async fn zpl<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    base_url: &str,
    selection: &Selection,
    layout: LabelLayout,
) -> AppResult<String> {
    let items = label_data(conn, base_url, selection).await?;
    let ids: Vec<Printed> = items.iter().map(|(p, _)| *p).collect();
    let data: Vec<LabelData> = items.into_iter().map(|(_, d)| d).collect();
    let text = render_zpl(&data, layout);
    log_prints(conn, actor, &ids, layout, "zpl").await?;
    Ok(text)
}

/// Sends ZPL to a networked Zebra printer (raw TCP, usually port 9100).
pub async fn send_to_printer(address: &str, zpl: &str) -> AppResult<()> {
    let unreachable = |e: std::io::Error| AppError::Conflict {
        field: Some("printer".into()),
        message: format!("printer {address} did not accept the labels: {e}"),
    };
    let connect = tokio::net::TcpStream::connect(address);
    let mut stream = tokio::time::timeout(Duration::from_secs(5), connect)
        .await
        .map_err(|_| {
            unreachable(std::io::Error::new(
                std::io::ErrorKind::TimedOut,
                "timed out",
            ))
        })?
        .map_err(unreachable)?;
    stream
        .write_all(zpl.as_bytes())
        .await
        .map_err(unreachable)?;
    stream.shutdown().await.map_err(unreachable)?;
    Ok(())
}
