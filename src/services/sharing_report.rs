//! The open-sharing report a funder's annual evaluation asks for: for a period, by material
//! type, what the repository holds, how much of it is open for distribution, the requests it
//! received and how they ended, what it distributed to whom, how fast, how recipients rated it,
//! and the viability of what it keeps.
//!
//! The figures are computed by [`compute`], a pure function over plain rows, so that they can
//! be checked by hand; [`load`] reads those rows from the database. The accession table has no
//! collection column, so the report groups by material type only.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde::Serialize;

use entities::{
    accession, feedback, institution, ledger_entry, request, request_item, sample, user,
};

use crate::domain::material::LedgerReason;
use crate::domain::requests::RequestStatus;
use crate::error::{AppError, AppResult};
use crate::services::viability::worklists;

/// The reporting period, both dates inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Period {
    /// The last 12 months up to `today`: from the day after the same date a year earlier.
    pub fn last_12_months(today: NaiveDate) -> Period {
        let from = today
            .checked_sub_months(chrono::Months::new(12))
            .and_then(|d| d.succ_opt())
            .unwrap_or(today);
        Period { from, to: today }
    }

    /// Parses `from` / `to` (YYYY-MM-DD, either may be missing) around the default period.
    pub fn parse(from: Option<&str>, to: Option<&str>, today: NaiveDate) -> AppResult<Period> {
        let date = |field: &str, v: Option<&str>| -> AppResult<Option<NaiveDate>> {
            match v.map(str::trim).filter(|v| !v.is_empty()) {
                None => Ok(None),
                Some(v) => NaiveDate::parse_from_str(v, "%Y-%m-%d")
                    .map(Some)
                    .map_err(|_| {
                        AppError::bad(field, format!("{field}: '{v}' is not a date (YYYY-MM-DD)"))
                    }),
            }
        };
        let to = date("to", to)?.unwrap_or(today);
        let from = date("from", from)?.unwrap_or(Period::last_12_months(to).from);
        if from > to {
            return Err(AppError::bad(
                "from",
                "from: the period starts after it ends",
            ));
        }
        Ok(Period { from, to })
    }

    pub fn contains(&self, d: NaiveDate) -> bool {
        self.from <= d && d <= self.to
    }
}

/// One accession as the report sees it.
#[derive(Debug, Clone)]
pub struct AccessionRow {
    pub id: i64,
    pub material_type: String,
    pub available: bool,
    pub created: NaiveDate,
    pub deaccessioned: Option<NaiveDate>,
}

/// One request with the material types it asked for and where it went.
#[derive(Debug, Clone)]
pub struct RequestRow {
    pub id: i64,
    pub status: RequestStatus,
    pub material_types: Vec<String>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub decided_at: Option<DateTime<Utc>>,
    pub shipped_at: Option<DateTime<Utc>>,
    pub institution: Option<String>,
    pub country: Option<String>,
    /// Ratings (1-5) left as feedback on the request.
    pub ratings: Vec<i32>,
}

/// One distribution entry of the ledger.
#[derive(Debug, Clone)]
pub struct DistributionRow {
    pub sample_id: i64,
    pub material_type: String,
    pub request_id: Option<i64>,
    /// Units handed out (positive).
    pub units: f64,
    pub at: DateTime<Utc>,
}

/// Lots by viability band (`ge90`, `85to90`, `75to85`, `lt75`, `untested`) for one material type.
#[derive(Debug, Clone)]
pub struct ViabilityRow {
    pub material_type: String,
    pub bands: Vec<(&'static str, usize)>,
}

/// Everything [`compute`] needs.
#[derive(Debug, Clone, Default)]
pub struct Rows {
    pub accessions: Vec<AccessionRow>,
    pub requests: Vec<RequestRow>,
    pub distributions: Vec<DistributionRow>,
    pub viability: Vec<ViabilityRow>,
}

/// The figures of one line of the report (a material type, or the total).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Figures {
    /// Material type, or `all` for the total line.
    pub material_type: String,
    /// Accessions held at the end of the period (registered by then, not deaccessioned by then).
    pub accessions_held: usize,
    /// Of those, available for distribution.
    pub accessions_available: usize,
    /// Available / held, in percent (one decimal); absent when nothing is held.
    pub share_available_pct: Option<f64>,
    /// Accessions registered during the period.
    pub new_accessions: usize,
    /// Requests submitted during the period.
    pub requests_received: usize,
    /// Of those, approved in whole or in part.
    pub requests_approved: usize,
    /// Of those, shipped (or received, closed).
    pub requests_fulfilled: usize,
    /// Of those, rejected.
    pub requests_rejected: usize,
    /// Distinct samples with a distribution entry during the period.
    pub samples_distributed: usize,
    /// Units distributed during the period (sum of distribution entries).
    pub units_distributed: f64,
    /// Distinct recipient institutions of requests shipped during the period.
    pub institutions: usize,
    /// Distinct recipient countries of requests shipped during the period.
    pub countries: usize,
    /// Days from submission to shipment of requests shipped during the period: median.
    pub turnaround_median_days: Option<f64>,
    /// ... and 90th percentile (nearest rank).
    pub turnaround_p90_days: Option<f64>,
    /// Mean feedback rating on requests shipped during the period (two decimals).
    pub feedback_mean: Option<f64>,
    pub feedback_count: usize,
    /// Lots by viability band now: (band, lots).
    #[schema(value_type = Object)]
    pub viability: Vec<(String, usize)>,
}

/// The report: one line per material type, then the total.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Report {
    #[schema(value_type = String)]
    pub from: NaiveDate,
    #[schema(value_type = String)]
    pub to: NaiveDate,
    pub lines: Vec<Figures>,
    pub total: Figures,
}

/// Median of the values (mean of the two middle ones on an even count).
pub fn median(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let n = v.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(v[n / 2]),
        _ => Some((v[n / 2 - 1] + v[n / 2]) / 2.0),
    }
}

/// 90th percentile by nearest rank: the value at rank ceil(0.9 n) of the sorted values.
pub fn p90(values: &[f64]) -> Option<f64> {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    if v.is_empty() {
        return None;
    }
    let rank = (v.len() * 9).div_ceil(10).max(1);
    Some(v[rank - 1])
}

fn round(v: f64, places: i32) -> f64 {
    let f = 10f64.powi(places);
    (v * f).round() / f
}

const APPROVED: [RequestStatus; 8] = [
    RequestStatus::Approved,
    RequestStatus::PartiallyApproved,
    RequestStatus::MtaPending,
    RequestStatus::MtaAccepted,
    RequestStatus::Picking,
    RequestStatus::Shipped,
    RequestStatus::Received,
    RequestStatus::Closed,
];

fn figures(
    material_type: &str,
    period: Period,
    accessions: &[&AccessionRow],
    requests: &[&RequestRow],
    distributions: &[&DistributionRow],
    viability: Vec<(String, usize)>,
) -> Figures {
    let held: Vec<_> = accessions
        .iter()
        .filter(|a| a.created <= period.to && a.deaccessioned.is_none_or(|d| d > period.to))
        .collect();
    let available = held.iter().filter(|a| a.available).count();
    let received: Vec<_> = requests
        .iter()
        .filter(|r| {
            r.submitted_at
                .is_some_and(|s| period.contains(s.date_naive()))
        })
        .collect();
    let shipped: Vec<_> = requests
        .iter()
        .filter(|r| {
            r.shipped_at
                .is_some_and(|s| period.contains(s.date_naive()))
        })
        .collect();
    let turnaround: Vec<f64> = shipped
        .iter()
        .filter_map(|r| {
            let (s, d) = (r.submitted_at?, r.shipped_at?);
            Some((d - s).num_seconds() as f64 / 86_400.0)
        })
        .collect();
    let ratings: Vec<i32> = shipped.iter().flat_map(|r| r.ratings.clone()).collect();
    let dist: Vec<_> = distributions
        .iter()
        .filter(|d| period.contains(d.at.date_naive()))
        .collect();
    Figures {
        material_type: material_type.to_string(),
        accessions_held: held.len(),
        accessions_available: available,
        share_available_pct: (!held.is_empty())
            .then(|| round(available as f64 * 100.0 / held.len() as f64, 1)),
        new_accessions: accessions
            .iter()
            .filter(|a| period.contains(a.created))
            .count(),
        requests_received: received.len(),
        requests_approved: received
            .iter()
            .filter(|r| {
                APPROVED.contains(&r.status)
                    || (r.status == RequestStatus::Cancelled && r.shipped_at.is_some())
            })
            .count(),
        requests_fulfilled: received.iter().filter(|r| r.shipped_at.is_some()).count(),
        requests_rejected: received
            .iter()
            .filter(|r| r.status == RequestStatus::Rejected)
            .count(),
        samples_distributed: dist
            .iter()
            .map(|d| d.sample_id)
            .collect::<BTreeSet<_>>()
            .len(),
        units_distributed: round(dist.iter().map(|d| d.units).sum(), 3),
        institutions: shipped
            .iter()
            .filter_map(|r| r.institution.as_deref())
            .collect::<BTreeSet<_>>()
            .len(),
        countries: shipped
            .iter()
            .filter_map(|r| r.country.as_deref())
            .collect::<BTreeSet<_>>()
            .len(),
        turnaround_median_days: median(&turnaround).map(|v| round(v, 1)),
        turnaround_p90_days: p90(&turnaround).map(|v| round(v, 1)),
        feedback_mean: (!ratings.is_empty()).then(|| {
            round(
                ratings.iter().map(|r| *r as f64).sum::<f64>() / ratings.len() as f64,
                2,
            )
        }),
        feedback_count: ratings.len(),
        viability,
    }
}

/// The report for `period` over `rows`. A request asking for several material types counts
/// once in each of their lines and once in the total.
pub fn compute(rows: &Rows, period: Period) -> Report {
    let mut types: BTreeSet<&str> = rows
        .accessions
        .iter()
        .map(|a| a.material_type.as_str())
        .collect();
    types.extend(
        rows.requests
            .iter()
            .flat_map(|r| r.material_types.iter().map(String::as_str)),
    );
    let bands = |of: &dyn Fn(&str) -> bool| -> Vec<(String, usize)> {
        let mut acc: Vec<(String, usize)> = BANDS.iter().map(|b| (b.to_string(), 0)).collect();
        for v in rows.viability.iter().filter(|v| of(&v.material_type)) {
            for (band, n) in &v.bands {
                match acc.iter_mut().find(|(b, _)| b == band) {
                    Some((_, total)) => *total += n,
                    None => acc.push((band.to_string(), *n)),
                }
            }
        }
        acc
    };
    let lines = types
        .iter()
        .map(|t| {
            figures(
                t,
                period,
                &rows
                    .accessions
                    .iter()
                    .filter(|a| a.material_type == *t)
                    .collect::<Vec<_>>(),
                &rows
                    .requests
                    .iter()
                    .filter(|r| r.material_types.iter().any(|m| m == t))
                    .collect::<Vec<_>>(),
                &rows
                    .distributions
                    .iter()
                    .filter(|d| d.material_type == *t)
                    .collect::<Vec<_>>(),
                bands(&|m| m == *t),
            )
        })
        .collect();
    let total = figures(
        "all",
        period,
        &rows.accessions.iter().collect::<Vec<_>>(),
        &rows.requests.iter().collect::<Vec<_>>(),
        &rows.distributions.iter().collect::<Vec<_>>(),
        bands(&|_| true),
    );
    Report {
        from: period.from,
        to: period.to,
        lines,
        total,
    }
}

/// Reads the rows of the report from the database.
pub async fn load<C: ConnectionTrait>(conn: &C, today: NaiveDate) -> AppResult<Rows> {
    let accs = accession::Entity::find().all(conn).await?;
    let type_of: HashMap<i64, String> = accs
        .iter()
        .map(|a| (a.id, a.material_type.clone()))
        .collect();
    let accessions = accs
        .iter()
        .map(|a| AccessionRow {
            id: a.id,
            material_type: a.material_type.clone(),
            available: a.available && a.status != "deaccessioned",
            created: a.created_at.date_naive(),
            deaccessioned: a.deaccessioned_at.map(|d| d.date_naive()),
        })
        .collect();
    let institutions: HashMap<i64, institution::Model> = institution::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|i| (i.id, i))
        .collect();
    let user_inst: HashMap<i64, Option<i64>> = user::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u.institution_id))
        .collect();
    let mut items: HashMap<i64, BTreeSet<String>> = HashMap::new();
    for it in request_item::Entity::find().all(conn).await? {
        if let Some(t) = type_of.get(&it.accession_id) {
            items.entry(it.request_id).or_default().insert(t.clone());
        }
    }
    let mut ratings: HashMap<i64, Vec<i32>> = HashMap::new();
    for f in feedback::Entity::find().all(conn).await? {
        ratings.entry(f.request_id).or_default().push(f.rating);
    }
    let mut requests = Vec::new();
    for r in request::Entity::find().all(conn).await? {
        let Ok(status) = r.status.parse::<RequestStatus>() else {
            continue;
        };
        let inst = r
            .recipient_institution_id
            .or(user_inst.get(&r.requester_id).copied().flatten())
            .and_then(|id| institutions.get(&id));
        requests.push(RequestRow {
            id: r.id,
            status,
            material_types: items
                .remove(&r.id)
                .unwrap_or_default()
                .into_iter()
                .collect(),
            submitted_at: r.submitted_at,
            decided_at: r.decided_at,
            shipped_at: r.shipped_at,
            institution: inst.map(|i| i.code.clone().unwrap_or_else(|| i.name.clone())),
            country: inst
                .and_then(|i| i.country.clone())
                .filter(|c| !c.trim().is_empty()),
            ratings: ratings.remove(&r.id).unwrap_or_default(),
        });
    }
    let sample_acc: HashMap<i64, i64> = sample::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s.accession_id))
        .collect();
    let distributions = ledger_entry::Entity::find()
        .filter(ledger_entry::Column::Reason.eq(LedgerReason::Distribution.as_str()))
        .all(conn)
        .await?
        .into_iter()
        .map(|e| DistributionRow {
            sample_id: e.sample_id,
            material_type: sample_acc
                .get(&e.sample_id)
                .and_then(|a| type_of.get(a))
                .cloned()
                .unwrap_or_default(),
            request_id: e.request_id,
            units: e.delta.abs(),
            at: e.created_at,
        })
        .collect();
    let lots = worklists::lots(conn, today).await?;
    let mut by_type: BTreeMap<String, Vec<worklists::Lot>> = BTreeMap::new();
    for l in lots {
        by_type
            .entry(l.accession.material_type.clone())
            .or_default()
            .push(l);
    }
    let viability = by_type
        .into_iter()
        .map(|(t, lots)| ViabilityRow {
            bands: worklists::health(&lots, today).viability,
            material_type: t,
        })
        .collect();
    Ok(Rows {
        accessions,
        requests,
        distributions,
        viability,
    })
}

/// Loads and computes the report for `period`.
pub async fn report<C: ConnectionTrait>(
    conn: &C,
    period: Period,
    today: NaiveDate,
) -> AppResult<Report> {
    Ok(compute(&load(conn, today).await?, period))
}

/// The viability bands of [`worklists::health`], in order.
pub const BANDS: [&str; 5] = ["ge90", "85to90", "75to85", "lt75", "untested"];

/// The CSV columns, in order.
pub const CSV_COLUMNS: &[&str] = &[
    "material_type",
    "accessions_held",
    "accessions_available",
    "share_available_pct",
    "new_accessions",
    "requests_received",
    "requests_approved",
    "requests_fulfilled",
    "requests_rejected",
    "samples_distributed",
    "units_distributed",
    "institutions",
    "countries",
    "turnaround_median_days",
    "turnaround_p90_days",
    "feedback_mean",
    "feedback_count",
    "viability_ge90",
    "viability_85to90",
    "viability_75to85",
    "viability_lt75",
    "viability_untested",
];

fn opt(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

/// The cells of one line, in [`CSV_COLUMNS`] order.
pub fn cells(f: &Figures) -> Vec<String> {
    let band = |k: &str| {
        f.viability
            .iter()
            .find(|(b, _)| b == k)
            .map(|(_, n)| *n)
            .unwrap_or(0)
            .to_string()
    };
    vec![
        f.material_type.clone(),
        f.accessions_held.to_string(),
        f.accessions_available.to_string(),
        opt(f.share_available_pct),
        f.new_accessions.to_string(),
        f.requests_received.to_string(),
        f.requests_approved.to_string(),
        f.requests_fulfilled.to_string(),
        f.requests_rejected.to_string(),
        f.samples_distributed.to_string(),
        f.units_distributed.to_string(),
        f.institutions.to_string(),
        f.countries.to_string(),
        opt(f.turnaround_median_days),
        opt(f.turnaround_p90_days),
        opt(f.feedback_mean),
        f.feedback_count.to_string(),
        band("ge90"),
        band("85to90"),
        band("75to85"),
        band("lt75"),
        band("untested"),
    ]
}

/// The report as CSV: one line per material type, then the `all` line.
pub fn to_csv(r: &Report) -> AppResult<String> {
    let fail = |e: csv::Error| AppError::Internal(format!("sharing report: {e}"));
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(CSV_COLUMNS).map_err(fail)?;
    for f in r.lines.iter().chain(std::iter::once(&r.total)) {
        w.write_record(cells(f)).map_err(fail)?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("sharing report: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(format!("sharing report: {e}")))
}

/// The report as an A4 PDF (the MTA layout engine: tables, page numbers, Chinese text).
pub fn to_pdf(r: &Report, font: &crate::labels::FontSource) -> AppResult<Vec<u8>> {
    use crate::documents::layout::{Column, Doc, Table};
    let title = format!("Open-sharing report · 开放共享报告 {} – {}", r.from, r.to);
    let mut doc = Doc::new(&title, font);
    doc.heading(&title, 14.0);
    doc.space(2.0);
    let t = &r.total;
    let dash = |v: Option<f64>| v.map(|v| v.to_string()).unwrap_or_else(|| "–".into());
    doc.key_values(
        &[
            (
                "Accessions held · 保存种质".into(),
                t.accessions_held.to_string(),
            ),
            (
                "Available for distribution · 可分发比例 %".into(),
                dash(t.share_available_pct),
            ),
            (
                "New accessions · 新增种质".into(),
                t.new_accessions.to_string(),
            ),
            (
                "Requests received / approved / fulfilled / rejected · 申请".into(),
                format!(
                    "{} / {} / {} / {}",
                    t.requests_received,
                    t.requests_approved,
                    t.requests_fulfilled,
                    t.requests_rejected
                ),
            ),
            (
                "Samples / units distributed · 分发样品/数量".into(),
                format!("{} / {}", t.samples_distributed, t.units_distributed),
            ),
            (
                "Institutions / countries reached · 受益机构/国家".into(),
                format!("{} / {}", t.institutions, t.countries),
            ),
            (
                "Turnaround median / p90 (days) · 周转天数".into(),
                format!(
                    "{} / {}",
                    dash(t.turnaround_median_days),
                    dash(t.turnaround_p90_days)
                ),
            ),
            (
                "Feedback score · 反馈评分".into(),
                format!("{} (n={})", dash(t.feedback_mean), t.feedback_count),
            ),
        ],
        9.0,
    );
    doc.space(4.0);
    let col = |title: &str, share: f32| Column {
        title: title.to_string(),
        share,
    };
    let table = Table {
        columns: vec![
            col("Material · 材料", 0.16),
            col("Held", 0.07),
            col("Avail. %", 0.08),
            col("New", 0.06),
            col("Recv.", 0.06),
            col("Appr.", 0.06),
            col("Fulf.", 0.06),
            col("Rej.", 0.06),
            col("Samples", 0.07),
            col("Units", 0.07),
            col("Inst./ctry", 0.08),
            col("Median / p90 d", 0.1),
            col("Score", 0.07),
        ],
        rows: r
            .lines
            .iter()
            .chain(std::iter::once(&r.total))
            .map(|f| {
                vec![
                    f.material_type.clone(),
                    f.accessions_held.to_string(),
                    dash(f.share_available_pct),
                    f.new_accessions.to_string(),
                    f.requests_received.to_string(),
                    f.requests_approved.to_string(),
                    f.requests_fulfilled.to_string(),
                    f.requests_rejected.to_string(),
                    f.samples_distributed.to_string(),
                    f.units_distributed.to_string(),
                    format!("{}/{}", f.institutions, f.countries),
                    format!(
                        "{} / {}",
                        dash(f.turnaround_median_days),
                        dash(f.turnaround_p90_days)
                    ),
                    dash(f.feedback_mean),
                ]
            })
            .collect(),
    };
    doc.table(&table, 8.0);
    doc.space(4.0);
    doc.heading("Viability of stored lots · 库存活力 (lots)", 11.0);
    let vt = Table {
        columns: vec![
            col("Material · 材料", 0.3),
            col(">=90%", 0.14),
            col("85-90%", 0.14),
            col("75-85%", 0.14),
            col("<75%", 0.14),
            col("untested", 0.14),
        ],
        rows: r
            .lines
            .iter()
            .chain(std::iter::once(&r.total))
            .map(|f| {
                let c = cells(f);
                let mut row = vec![f.material_type.clone()];
                row.extend(c[c.len() - 5..].iter().cloned());
                row
            })
            .collect(),
    };
    doc.table(&vt, 9.0);
    doc.finish(&format!("Open-sharing report {} – {}", r.from, r.to))
        .map_err(|e| AppError::Internal(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }
    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }
    fn acc(id: i64, ty: &str, available: bool, created: &str, gone: Option<&str>) -> AccessionRow {
        AccessionRow {
            id,
            material_type: ty.into(),
            available,
            created: d(created),
            deaccessioned: gone.map(d),
        }
    }
    #[allow(clippy::too_many_arguments)]
    fn req(
        id: i64,
        status: RequestStatus,
        types: &[&str],
        submitted: &str,
        shipped: Option<&str>,
        inst: Option<(&str, &str)>,
        ratings: &[i32],
    ) -> RequestRow {
        RequestRow {
            id,
            status,
            material_types: types.iter().map(|s| s.to_string()).collect(),
            submitted_at: Some(t(submitted)),
            decided_at: None,
            shipped_at: shipped.map(t),
            institution: inst.map(|i| i.0.to_string()),
            country: inst.map(|i| i.1.to_string()),
            ratings: ratings.to_vec(),
        }
    }
    fn dist(sample_id: i64, ty: &str, units: f64, at: &str) -> DistributionRow {
        DistributionRow {
            sample_id,
            material_type: ty.into(),
            request_id: None,
            units,
            at: t(at),
        }
    }

    #[test]
    fn median_and_p90_on_odd_and_even_counts() {
        assert_eq!(median(&[]), None);
        assert_eq!(p90(&[]), None);
        assert_eq!(median(&[13.0, 4.5, 10.0]), Some(10.0));
        assert_eq!(median(&[20.0, 4.5, 13.0, 10.0]), Some(11.5));
        // nearest rank: ceil(0.9 * 3) = 3rd, ceil(0.9 * 4) = 4th, ceil(0.9 * 10) = 9th
        assert_eq!(p90(&[13.0, 4.5, 10.0]), Some(13.0));
        assert_eq!(p90(&[20.0, 4.5, 13.0, 10.0]), Some(20.0));
        let ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(p90(&ten), Some(9.0));
        assert_eq!(median(&ten), Some(5.5));
        assert_eq!(median(&[7.0]), Some(7.0));
        assert_eq!(p90(&[7.0]), Some(7.0));
    }

    #[test]
    fn default_period_is_the_last_twelve_months_and_bad_dates_name_the_field() {
        let p = Period::parse(None, None, d("2026-11-26")).unwrap();
        assert_eq!((p.from, p.to), (d("2025-11-27"), d("2026-11-26")));
        let p = Period::parse(Some("2025-01-01"), Some("2025-12-31"), d("2026-11-26")).unwrap();
        assert_eq!((p.from, p.to), (d("2025-01-01"), d("2025-12-31")));
        let e = Period::parse(Some("2025-13-01"), None, d("2026-11-26")).unwrap_err();
        assert!(e.to_string().contains("from"), "{e}");
        assert!(Period::parse(Some("2025-12-01"), Some("2025-01-01"), d("2026-11-26")).is_err());
    }

    /// Every figure of a small data set, worked out by hand in the comments.
    #[test]
    fn every_figure_matches_the_hand_computed_report() {
        use RequestStatus as S;
        let rows = Rows {
            accessions: vec![
                acc(1, "seed", true, "2024-05-01", None),  // held
                acc(2, "seed", false, "2025-03-01", None), // held, new
                acc(3, "seed", true, "2025-06-01", Some("2025-09-01")), // new, gone by the end
                acc(4, "seed", true, "2026-01-05", None),  // after the period
                acc(5, "strain", true, "2025-02-01", None), // held, new
                acc(6, "seed", false, "2024-01-01", Some("2026-02-01")), // still held at the end
            ],
            requests: vec![
                // 10 days
                req(
                    1,
                    S::Shipped,
                    &["seed"],
                    "2025-01-10T00:00:00Z",
                    Some("2025-01-20T00:00:00Z"),
                    Some(("A", "CN")),
                    &[5],
                ),
                // 4.5 days
                req(
                    2,
                    S::Received,
                    &["seed", "strain"],
                    "2025-02-01T00:00:00Z",
                    Some("2025-02-05T12:00:00Z"),
                    Some(("B", "KE")),
                    &[3],
                ),
                req(
                    3,
                    S::Rejected,
                    &["seed"],
                    "2025-03-01T00:00:00Z",
                    None,
                    None,
                    &[],
                ),
                // 20 days
                req(
                    4,
                    S::Closed,
                    &["strain"],
                    "2025-04-01T00:00:00Z",
                    Some("2025-04-21T00:00:00Z"),
                    Some(("A", "CN")),
                    &[4],
                ),
                // submitted before the period, shipped in it: 13 days
                req(
                    5,
                    S::Shipped,
                    &["seed"],
                    "2024-12-20T00:00:00Z",
                    Some("2025-01-02T00:00:00Z"),
                    Some(("C", "CN")),
                    &[],
                ),
                // submitted in the period, shipped after it
                req(
                    6,
                    S::Shipped,
                    &["seed"],
                    "2025-12-20T00:00:00Z",
                    Some("2026-01-03T00:00:00Z"),
                    Some(("D", "BR")),
                    &[1],
                ),
                req(
                    7,
                    S::UnderReview,
                    &["strain"],
                    "2025-05-01T00:00:00Z",
                    None,
                    None,
                    &[],
                ),
            ],
            distributions: vec![
                dist(1, "seed", 10.0, "2025-01-19T10:00:00Z"),
                dist(1, "seed", 5.0, "2025-02-05T10:00:00Z"),
                dist(2, "strain", 2.0, "2025-02-05T10:00:00Z"),
                dist(3, "seed", 7.0, "2024-12-31T10:00:00Z"), // before the period
            ],
            viability: vec![
                ViabilityRow {
                    material_type: "seed".into(),
                    bands: vec![("ge90", 3), ("lt75", 1)],
                },
                ViabilityRow {
                    material_type: "strain".into(),
                    bands: vec![("untested", 2)],
                },
            ],
        };
        let r = compute(
            &rows,
            Period {
                from: d("2025-01-01"),
                to: d("2025-12-31"),
            },
        );
        let bands = |v: [usize; 5]| -> Vec<(String, usize)> {
            BANDS.iter().map(|b| b.to_string()).zip(v).collect()
        };
        let seed = Figures {
            material_type: "seed".into(),
            accessions_held: 3,      // 1, 2, 6
            accessions_available: 1, // 1
            share_available_pct: Some(33.3),
            new_accessions: 2,                  // 2, 3
            requests_received: 4,               // 1, 2, 3, 6
            requests_approved: 3,               // 1, 2, 6
            requests_fulfilled: 3,              // 1, 2, 6
            requests_rejected: 1,               // 3
            samples_distributed: 1,             // sample 1
            units_distributed: 15.0,            // 10 + 5
            institutions: 3,                    // shipped in period 1, 2, 5: A, B, C
            countries: 2,                       // CN, KE
            turnaround_median_days: Some(10.0), // 4.5, 10, 13
            turnaround_p90_days: Some(13.0),
            feedback_mean: Some(4.0), // (5 + 3) / 2
            feedback_count: 2,
            viability: bands([3, 0, 0, 1, 0]),
        };
        let strain = Figures {
            material_type: "strain".into(),
            accessions_held: 1,
            accessions_available: 1,
            share_available_pct: Some(100.0),
            new_accessions: 1,
            requests_received: 3, // 2, 4, 7
            requests_approved: 2, // 2, 4
            requests_fulfilled: 2,
            requests_rejected: 0,
            samples_distributed: 1,
            units_distributed: 2.0,
            institutions: 2, // B, A
            countries: 2,
            turnaround_median_days: Some(12.3), // (4.5 + 20) / 2 = 12.25
            turnaround_p90_days: Some(20.0),
            feedback_mean: Some(3.5), // (3 + 4) / 2
            feedback_count: 2,
            viability: bands([0, 0, 0, 0, 2]),
        };
        let total = Figures {
            material_type: "all".into(),
            accessions_held: 4,
            accessions_available: 2,
            share_available_pct: Some(50.0),
            new_accessions: 3,
            requests_received: 6, // all but 5
            requests_approved: 4, // 1, 2, 4, 6
            requests_fulfilled: 4,
            requests_rejected: 1,
            samples_distributed: 2,
            units_distributed: 17.0,
            institutions: 3, // 1, 2, 4, 5: A, B, C
            countries: 2,
            turnaround_median_days: Some(11.5), // 4.5, 10, 13, 20
            turnaround_p90_days: Some(20.0),
            feedback_mean: Some(4.0), // (5 + 3 + 4) / 3
            feedback_count: 3,
            viability: bands([3, 0, 0, 1, 2]),
        };
        assert_eq!(r.lines, vec![seed, strain]);
        assert_eq!(r.total, total);
        let csv = to_csv(&r).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], CSV_COLUMNS.join(","));
        assert_eq!(
            lines[3],
            "all,4,2,50,3,6,4,4,1,2,17,3,2,11.5,20,4,3,3,0,0,1,2"
        );
        assert_eq!(lines.len(), 4);
    }
}
