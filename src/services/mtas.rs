//! Material-transfer agreements: issuing the agreement PDF when a request is approved (the
//! exact bytes are kept, so every download is identical and the accepted SHA-256 always
//! matches), serving it, and click-wrap acceptance. Acceptance by a signed copy lives in
//! `mta_signed`.

use chrono::Datelike;
use sea_orm::{ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use entities::{accession, accession_plant, institution, mta, request, request_item, user};

use super::request_views::RequestView;
use super::requests::Caller;
use super::{Actor, audit, mta_templates, now, sha256_hex};
use crate::AppConfig;
use crate::documents::{self, MaterialRow, MtaDocument, PartyBlock};
use crate::domain::mta::{
    AcceptanceType, MtaKind, after_signed_copy_upload, agreement_number, kind_for,
};
use crate::domain::requests::RequestStatus;
use crate::error::{AppError, AppResult};

/// The request record a QR code and the agreement point back to.
pub fn request_url(config: &AppConfig, request_id: i64) -> String {
    format!("{}/requests/{request_id}", config.base_url)
}

/// A quantity without a needless `.0`.
pub fn format_quantity(q: f64, unit: &str) -> String {
    if q.fract() == 0.0 && q.abs() < 1e15 {
        format!("{} {unit}", q as i64)
    } else {
        format!("{q} {unit}")
    }
}

pub(super) fn audit_view(m: &mta::Model) -> Option<serde_json::Value> {
    let mut snap = audit::snapshot(m);
    if let Some(serde_json::Value::Object(map)) = snap.as_mut() {
        map.remove("pdf");
    }
    snap
}

async fn institution_by_code<C: ConnectionTrait>(
    conn: &C,
    code: &str,
) -> AppResult<Option<institution::Model>> {
    Ok(institution::Entity::find()
        .filter(institution::Column::Code.eq(code))
        .one(conn)
        .await?)
}

/// The approved items with their accessions, in request order.
async fn granted_items<C: ConnectionTrait>(
    conn: &C,
    request_id: i64,
) -> AppResult<Vec<(request_item::Model, accession::Model)>> {
    use sea_orm::QueryOrder;
    let items = request_item::Entity::find()
        .filter(request_item::Column::RequestId.eq(request_id))
        .order_by_asc(request_item::Column::Id)
        .all(conn)
        .await?;
    let mut out = Vec::new();
    for it in items {
        if it.quantity_approved.unwrap_or(0.0) <= 0.0 {
            continue;
        }
        let a = accession::Entity::find_by_id(it.accession_id)
            .one(conn)
            .await?
            .ok_or_else(|| AppError::Internal(format!("accession {} missing", it.accession_id)))?;
        out.push((it, a));
    }
    Ok(out)
}

/// Gathers what the agreement shows from the request as it stands now.
async fn document_for<C: ConnectionTrait>(
    conn: &C,
    config: &AppConfig,
    r: &request::Model,
    curator_id: Option<i64>,
    kind: MtaKind,
    number: &str,
    own_text: Option<(String, String)>,
) -> AppResult<MtaDocument> {
    let items = granted_items(conn, r.id).await?;
    let provider_code = items
        .first()
        .map(|(_, a)| a.institute_code.clone())
        .unwrap_or_else(|| config.institute_code.clone());
    let provider_inst = institution_by_code(conn, &provider_code).await?;
    let curator = match curator_id {
        Some(id) => user::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    let provider = PartyBlock {
        institution: provider_inst
            .as_ref()
            .map(|i| i.name.clone())
            .unwrap_or_else(|| provider_code.clone()),
        code: Some(provider_code.clone()),
        address: provider_inst
            .as_ref()
            .and_then(|i| i.address.clone())
            .unwrap_or_default(),
        country: provider_inst.as_ref().and_then(|i| i.country.clone()),
        official_name: curator
            .as_ref()
            .map(|u| u.display_name.clone())
            .unwrap_or_default(),
        official_title: "Curator".into(),
        email: curator.as_ref().and_then(|u| u.email.clone()),
    };
    let requester = user::Entity::find_by_id(r.requester_id)
        .one(conn)
        .await?
        .ok_or_else(|| AppError::Internal(format!("requester of request {} missing", r.id)))?;
    let recipient_inst = match r.recipient_institution_id.or(requester.institution_id) {
        Some(id) => institution::Entity::find_by_id(id).one(conn).await?,
        None => None,
    };
    let shipping = r.shipping_address.clone().unwrap_or_default();
    let recipient = PartyBlock {
        institution: recipient_inst
            .as_ref()
            .map(|i| i.name.clone())
            .unwrap_or_else(|| format!("{} (individual recipient)", requester.display_name)),
        code: recipient_inst.as_ref().and_then(|i| i.code.clone()),
        address: recipient_inst
            .as_ref()
            .and_then(|i| i.address.clone())
            .unwrap_or_else(|| shipping.clone()),
        country: recipient_inst.as_ref().and_then(|i| i.country.clone()),
        official_name: requester.display_name.clone(),
        official_title: "Recipient scientist".into(),
        email: requester.email.clone(),
    };
    let mut materials = Vec::new();
    let mut conditions = Vec::new();
    for (it, a) in &items {
        let puid = accession_plant::Entity::find_by_id(a.id)
            .one(conn)
            .await?
            .and_then(|p| p.puid)
            .filter(|p| !p.trim().is_empty());
        let mut restrictions = Vec::new();
        if let Some(n) = a.nagoya_status.as_deref().filter(|s| !s.trim().is_empty()) {
            restrictions.push(format!("ABS/Nagoya: {n}"));
        }
        if let Some(c) = a.consent_scope.as_deref().filter(|s| !s.trim().is_empty()) {
            restrictions.push(format!("consent scope: {c}"));
        }
        if let Some(g) = a.risk_group.filter(|g| *g >= 2) {
            conditions.push(format!(
                "{} {}: biosafety risk group {g}; handle under containment level {g} or higher.",
                a.institute_code, a.accession_number
            ));
        }
        materials.push(MaterialRow {
            accession: format!("{} {}", a.institute_code, a.accession_number),
            identifier: puid.unwrap_or_else(|| a.pid.clone()),
            crop: a.crop_name.clone().unwrap_or_default(),
            taxon: a.taxon_name.clone(),
            quantity: format_quantity(it.quantity_approved.unwrap_or(0.0), &it.unit),
            risk_group: a.risk_group,
            under_development: false,
            restrictions: restrictions.join("; "),
        });
    }
    if kind == MtaKind::Ubmta {
        conditions.push(
            "Use is limited to non-commercial research and teaching; no use in humans; no onward \
             distribution without the Provider's written consent."
                .into(),
        );
    }
    Ok(MtaDocument {
        kind,
        agreement_number: number.to_string(),
        request_number: r.request_number.clone(),
        request_url: request_url(config, r.id),
        issued_on: now().format("%Y-%m-%d").to_string(),
        provider,
        recipient,
        recipient_scientist: requester.display_name,
        intended_use: r.intended_use.clone(),
        project: r.project_description.clone().unwrap_or_default(),
        shipping_address: shipping,
        materials,
        own_text,
        conditions,
    })
}

/// Issues the request's agreement when it is approved (inside the approval's transaction):
/// picks SMTA or UBMTA-style, the current version of the repository's own text if an admin
/// saved one, numbers it, renders the PDF and keeps its bytes and SHA-256.
pub async fn issue<C: ConnectionTrait>(
    txn: &C,
    config: &AppConfig,
    actor: &Actor,
    r: &request::Model,
    curator_id: i64,
) -> AppResult<mta::Model> {
    let items = granted_items(txn, r.id).await?;
    let statuses: Vec<Option<&str>> = items.iter().map(|(_, a)| a.mls_status.as_deref()).collect();
    let kind = kind_for(&statuses);
    let template = mta_templates::current(txn, kind).await?;
    let provider_code = items
        .first()
        .map(|(_, a)| a.institute_code.clone())
        .unwrap_or_else(|| config.institute_code.clone());
    let number = agreement_number(&provider_code, kind, now().year(), r.id);
    let own_text = template.as_ref().map(|t| {
        (
            t.body.clone(),
            format!("{} (version {})", t.name, t.version),
        )
    });
    let doc = document_for(txn, config, r, Some(curator_id), kind, &number, own_text).await?;
    let pdf = documents::render_mta(&doc).map_err(|e| AppError::Internal(e.to_string()))?;
    let m = mta::ActiveModel {
        request_id: Set(r.id),
        template_id: Set(template.map(|t| t.id)),
        template_kind: Set(kind.as_str().into()),
        pdf_sha256: Set(sha256_hex(&pdf)),
        pdf: Set(Some(pdf)),
        agreement_number: Set(Some(number)),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::record(txn, actor, "create", "mtas", m.id, None, audit_view(&m)).await?;
    Ok(m)
}

/// The request's agreement, or a conflict naming the missing agreement.
pub(super) async fn mta_of<C: ConnectionTrait>(conn: &C, request_id: i64) -> AppResult<mta::Model> {
    mta::Entity::find()
        .filter(mta::Column::RequestId.eq(request_id))
        .one(conn)
        .await?
        .ok_or_else(|| AppError::conflict("mta", "mta: this request has no agreement yet"))
}

/// Records click-wrap acceptance (inside the `accept-mta` transition's transaction): who,
/// when, from which address, of the PDF whose SHA-256 was stored at issue. Refused when the
/// agreement was accepted already.
pub async fn accept_click_wrap<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    caller: Caller,
    request_id: i64,
) -> AppResult<()> {
    let m = mta_of(txn, request_id).await?;
    if m.accepted_at.is_some() {
        return Err(AppError::conflict(
            "mta",
            "mta: the agreement has already been accepted",
        ));
    }
    if m.pdf.is_none() {
        return Err(AppError::conflict(
            "mta",
            "mta: the agreement document is missing; ask a curator to re-issue it",
        ));
    }
    let mut am: mta::ActiveModel = m.clone().into();
    am.acceptance_type = Set(Some(AcceptanceType::ClickWrap.as_str().into()));
    am.accepted_by = Set(Some(caller.user_id));
    am.accepted_at = Set(Some(now()));
    am.acceptance_ip = Set(actor.ip.clone());
    let after = am.update(txn).await?;
    audit::record(
        txn,
        actor,
        "accept",
        "mtas",
        m.id,
        audit_view(&m),
        audit_view(&after),
    )
    .await
}

/// The agreement PDF as issued, with a file name: for the requester, curators and admins.
pub async fn pdf<C: ConnectionTrait>(
    conn: &C,
    caller: Caller,
    request_id: i64,
) -> AppResult<(String, Vec<u8>)> {
    let r = request::Entity::find_by_id(request_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let is_requester = r.requester_id == caller.user_id;
    if !is_requester && !caller.role.can_handle_samples() {
        return Err(AppError::NotFound);
    }
    if !is_requester && !caller.role.can_curate() {
        return Err(AppError::forbidden());
    }
    let m = mta::Entity::find()
        .filter(mta::Column::RequestId.eq(request_id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let bytes = m.pdf.ok_or(AppError::NotFound)?;
    let name = m
        .agreement_number
        .unwrap_or_else(|| format!("mta-{request_id}"));
    Ok((format!("{name}.pdf"), bytes))
}

/// What the reader of a request page may do with its agreement and paperwork.
#[derive(Debug, Clone, Copy, Default)]
pub struct PaperworkActions {
    /// Open the agreement PDF (the requester, curators, admins).
    pub download: bool,
    /// Upload a signed copy (the requester, while the agreement awaits acceptance).
    pub upload_signed: bool,
    /// Confirm the uploaded signed copy (curators, while it waits).
    pub confirm_signed: bool,
    /// Print the packing list (staff, from picking on).
    pub packing_list: bool,
}

/// The paperwork actions open to `caller` on request `r`.
pub fn paperwork_actions(caller: Caller, r: &RequestView) -> PaperworkActions {
    let status = r.status.parse::<RequestStatus>().ok();
    let requester = r.requester_id == caller.user_id;
    let unaccepted = r.mta.as_ref().is_some_and(|m| m.accepted_at.is_none());
    PaperworkActions {
        download: r.mta.is_some() && (requester || caller.role.can_curate()),
        upload_signed: requester
            && unaccepted
            && status.is_some_and(|s| after_signed_copy_upload(s).is_ok()),
        confirm_signed: caller.role.can_curate()
            && unaccepted
            && r.mta
                .as_ref()
                .is_some_and(|m| m.signed_document_id.is_some())
            && status == Some(RequestStatus::MtaPending),
        packing_list: caller.role.can_handle_samples()
            && matches!(
                status,
                Some(
                    RequestStatus::Picking
                        | RequestStatus::Shipped
                        | RequestStatus::Received
                        | RequestStatus::Closed
                )
            ),
    }
}
