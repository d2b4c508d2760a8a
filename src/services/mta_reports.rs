//! Paperwork that reads the agreements back: the export of concluded SMTAs with the fields
//! the Treaty's Governing Body asks providers to report (Easy-SMTA), one row per material,
//! and the packing list PDF for a request being picked or shipped.

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};

use entities::{
    accession, accession_plant, institution, mta, request, request_item, request_item_sample,
    sample, shipment, user,
};

use super::mtas::{format_quantity, request_url};
use super::requests::Caller;
use crate::AppConfig;
use crate::documents::{self, PackingLine, PackingList};
use crate::domain::label_code::LabelCode;
use crate::domain::mta::MtaKind;
use crate::domain::requests::RequestStatus;
use crate::error::{AppError, AppResult};

/// The columns of the SMTA report, in order.
pub const SMTA_COLUMNS: &[&str] = &[
    "smta_id",
    "acceptance_date",
    "acceptance_type",
    "request_number",
    "provider_instcode",
    "provider_name",
    "provider_address",
    "recipient_name",
    "recipient_institution",
    "recipient_address",
    "recipient_country",
    "shipping_date",
    "material_puid",
    "material_instcode",
    "accession_number",
    "crop_name",
    "taxon",
    "quantity",
    "unit",
    "pgrfa_under_development",
];

fn date(d: Option<chrono::DateTime<chrono::Utc>>) -> String {
    d.map(|d| d.format("%Y-%m-%d").to_string())
        .unwrap_or_default()
}

/// Concluded (accepted) SMTAs accepted between `from` and `to` (inclusive dates, either
/// open), as CSV with one row per material.
pub async fn smta_csv<C: ConnectionTrait>(
    conn: &C,
    from: Option<chrono::NaiveDate>,
    to: Option<chrono::NaiveDate>,
) -> AppResult<String> {
    let mut q = mta::Entity::find()
        .filter(mta::Column::TemplateKind.eq(MtaKind::Smta.as_str()))
        .filter(mta::Column::AcceptedAt.is_not_null());
    if let Some(f) = from {
        q = q.filter(
            mta::Column::AcceptedAt.gte(f.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()),
        );
    }
    if let Some(t) = to.and_then(|t| t.succ_opt()) {
        q = q.filter(
            mta::Column::AcceptedAt.lt(t.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc()),
        );
    }
    let mtas = q.order_by_asc(mta::Column::Id).all(conn).await?;
    let mut w = csv::Writer::from_writer(Vec::new());
    let fail = |e: csv::Error| AppError::Internal(format!("SMTA report: {e}"));
    w.write_record(SMTA_COLUMNS).map_err(fail)?;
    for m in mtas {
        let Some(r) = request::Entity::find_by_id(m.request_id).one(conn).await? else {
            continue;
        };
        let requester = user::Entity::find_by_id(r.requester_id).one(conn).await?;
        let inst_id = r
            .recipient_institution_id
            .or(requester.as_ref().and_then(|u| u.institution_id));
        let recipient_inst = match inst_id {
            Some(id) => institution::Entity::find_by_id(id).one(conn).await?,
            None => None,
        };
        let shipped = shipment::Entity::find()
            .filter(shipment::Column::RequestId.eq(r.id))
            .one(conn)
            .await?
            .and_then(|s| s.shipped_at);
        let items = request_item::Entity::find()
            .filter(request_item::Column::RequestId.eq(r.id))
            .order_by_asc(request_item::Column::Id)
            .all(conn)
            .await?;
        for it in items
            .iter()
            .filter(|i| i.quantity_approved.unwrap_or(0.0) > 0.0)
        {
            let Some(a) = accession::Entity::find_by_id(it.accession_id)
                .one(conn)
                .await?
            else {
                continue;
            };
            let provider = institution::Entity::find()
                .filter(institution::Column::Code.eq(a.institute_code.clone()))
                .one(conn)
                .await?;
            let puid = accession_plant::Entity::find_by_id(a.id)
                .one(conn)
                .await?
                .and_then(|p| p.puid)
                .filter(|p| !p.trim().is_empty())
                .unwrap_or_else(|| a.pid.clone());
            let qty = it.quantity_approved.unwrap_or(0.0);
            let quantity = format_quantity(qty, "");
            let record = [
                m.agreement_number.clone().unwrap_or_default(),
                date(m.accepted_at),
                m.acceptance_type.clone().unwrap_or_default(),
                r.request_number.clone(),
                a.institute_code.clone(),
                provider
                    .as_ref()
                    .map(|p| p.name.clone())
                    .unwrap_or_default(),
                provider
                    .as_ref()
                    .and_then(|p| p.address.clone())
                    .unwrap_or_default(),
                requester
                    .as_ref()
                    .map(|u| u.display_name.clone())
                    .unwrap_or_default(),
                recipient_inst
                    .as_ref()
                    .map(|i| i.name.clone())
                    .unwrap_or_default(),
                recipient_inst
                    .as_ref()
                    .and_then(|i| i.address.clone())
                    .or_else(|| r.shipping_address.clone())
                    .unwrap_or_default(),
                recipient_inst
                    .as_ref()
                    .and_then(|i| i.country.clone())
                    .unwrap_or_default(),
                date(shipped),
                puid,
                a.institute_code.clone(),
                a.accession_number.clone(),
                a.crop_name.clone().unwrap_or_default(),
                a.taxon_name.clone(),
                quantity.trim().to_string(),
                it.unit.clone(),
                "N".into(),
            ];
            w.write_record(&record).map_err(fail)?;
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| AppError::Internal(format!("SMTA report: {e}")))?;
    String::from_utf8(bytes).map_err(|e| AppError::Internal(format!("SMTA report: {e}")))
}

/// The packing list PDF of a request being picked or already shipped (staff only).
pub async fn packing_list<C: ConnectionTrait>(
    conn: &C,
    config: &AppConfig,
    caller: Caller,
    request_id: i64,
) -> AppResult<(String, Vec<u8>)> {
    if !caller.role.can_handle_samples() {
        return Err(AppError::forbidden());
    }
    let r = request::Entity::find_by_id(request_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let status: RequestStatus = r
        .status
        .parse()
        .map_err(|e| AppError::Internal(format!("request {request_id}: {e}")))?;
    if !matches!(
        status,
        RequestStatus::Picking
            | RequestStatus::Shipped
            | RequestStatus::Received
            | RequestStatus::Closed
    ) {
        return Err(AppError::conflict(
            "status",
            format!(
                "status: a packing list exists once picking has started (the request is {status})"
            ),
        ));
    }
    let requester = user::Entity::find_by_id(r.requester_id).one(conn).await?;
    let inst_id = r
        .recipient_institution_id
        .or(requester.as_ref().and_then(|u| u.institution_id));
    let recipient_inst = match inst_id {
        Some(id) => institution::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    let m = mta::Entity::find()
        .filter(mta::Column::RequestId.eq(r.id))
        .one(conn)
        .await?;
    let ship = shipment::Entity::find()
        .filter(shipment::Column::RequestId.eq(r.id))
        .one(conn)
        .await?;
    let items = request_item::Entity::find()
        .filter(request_item::Column::RequestId.eq(r.id))
        .order_by_asc(request_item::Column::Id)
        .all(conn)
        .await?;
    let mut lines = Vec::new();
    let mut provider_code = config.institute_code.clone();
    for it in &items {
        let Some(a) = accession::Entity::find_by_id(it.accession_id)
            .one(conn)
            .await?
        else {
            continue;
        };
        provider_code = a.institute_code.clone();
        let held = request_item_sample::Entity::find()
            .filter(request_item_sample::Column::RequestItemId.eq(it.id))
            .order_by_asc(request_item_sample::Column::Id)
            .all(conn)
            .await?;
        for ris in held {
            let s = sample::Entity::find_by_id(ris.sample_id).one(conn).await?;
            lines.push(PackingLine {
                accession: format!("{} {}", a.institute_code, a.accession_number),
                taxon: a.taxon_name.clone(),
                label_code: s
                    .as_ref()
                    .map(|s| {
                        LabelCode::parse(&s.label_code)
                            .map(|c| c.display())
                            .unwrap_or_else(|_| s.label_code.clone())
                    })
                    .unwrap_or_default(),
                quantity: format_quantity(ris.quantity_reserved, &it.unit),
                form: s.map(|s| s.form).unwrap_or_default(),
                picked: ris.picked_at.is_some(),
            });
        }
    }
    let provider = institution::Entity::find()
        .filter(institution::Column::Code.eq(provider_code.clone()))
        .one(conn)
        .await?
        .map(|i| format!("{} ({provider_code})", i.name))
        .unwrap_or(provider_code);
    let list = PackingList {
        request_number: r.request_number.clone(),
        request_url: request_url(config, r.id),
        agreement_number: m.and_then(|m| m.agreement_number),
        provider,
        recipient: match (&recipient_inst, &requester) {
            (Some(i), Some(u)) => format!("{}, {}", u.display_name, i.name),
            (None, Some(u)) => u.display_name.clone(),
            (Some(i), None) => i.name.clone(),
            (None, None) => String::new(),
        },
        shipping_address: r.shipping_address.clone().unwrap_or_default(),
        carrier: ship.as_ref().and_then(|s| s.carrier.clone()),
        tracking_number: ship.as_ref().and_then(|s| s.tracking_number.clone()),
        shipped_on: ship
            .as_ref()
            .and_then(|s| s.shipped_at)
            .map(|d| d.format("%Y-%m-%d").to_string()),
        lines,
    };
    let bytes =
        documents::render_packing_list(&list).map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((format!("packing-list-{}.pdf", r.request_number), bytes))
}
