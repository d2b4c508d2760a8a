//! Acceptance by signature: the requester uploads the agreement signed by their authorised
//! official (a PDF within the size limit), the request waits in `mta_pending`, and a curator
//! confirms the copy, after which picking may start.

use base64::Engine;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set,
    TransactionSession, TransactionTrait,
};
use serde::Deserialize;

use entities::{mta, request, request_document};

use super::mtas::{audit_view, mta_of};
use super::request_views::{RequestView, load};
use super::requests::Caller;
use super::{Actor, audit, notices, now, sha256_hex};
use crate::domain::FieldError;
use crate::domain::mta::{AcceptanceType, after_signed_copy_confirmed, after_signed_copy_upload};
use crate::domain::requests::RequestStatus;
use crate::error::{AppError, AppResult};

/// The largest signed copy accepted, in bytes.
pub const MAX_SIGNED_COPY_BYTES: usize = 2 * 1024 * 1024;

/// The `request_documents.doc_type` of an uploaded signed agreement.
pub const SIGNED_COPY_DOC_TYPE: &str = "signed_mta";

/// A signed copy of the agreement, as the API receives it.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewSignedCopy {
    pub filename: String,
    /// The signed PDF's bytes, base64-encoded.
    pub data_base64: String,
}

/// Decodes an API upload and hands it to [`upload_signed_copy`].
pub async fn upload_signed_copy_base64<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    caller: Caller,
    request_id: i64,
    input: NewSignedCopy,
) -> AppResult<RequestView> {
    let data = base64::engine::general_purpose::STANDARD
        .decode(input.data_base64.trim())
        .map_err(|_| {
            AppError::invalid(
                "data_base64",
                "invalid_type",
                "data_base64: is not valid base64",
            )
        })?;
    upload_signed_copy(db, actor, caller, request_id, &input.filename, &data).await
}

/// Claims the request in its current state inside `txn` (a write first, which takes SQLite's
/// write lock), refusing when someone changed it meanwhile.
async fn claim<C: ConnectionTrait>(
    txn: &C,
    r: &request::Model,
    to: RequestStatus,
) -> AppResult<request::Model> {
    let stamp = now();
    let claimed = request::Entity::update_many()
        .col_expr(request::Column::UpdatedAt, Expr::value(stamp))
        .col_expr(request::Column::Status, Expr::value(to.as_str()))
        .filter(request::Column::Id.eq(r.id))
        .filter(request::Column::Status.eq(r.status.clone()))
        .exec(txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(AppError::conflict(
            "status",
            "status: the request was changed by someone else; reload it",
        ));
    }
    request::Entity::find_by_id(r.id)
        .one(txn)
        .await?
        .ok_or(AppError::NotFound)
}

/// The requester uploads the agreement signed by their authorised official (a PDF within the
/// size limit); the request waits in `mta_pending` for a curator to confirm it.
pub async fn upload_signed_copy<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    caller: Caller,
    request_id: i64,
    filename: &str,
    data: &[u8],
) -> AppResult<RequestView> {
    let r = request::Entity::find_by_id(request_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if r.requester_id != caller.user_id {
        if caller.role.can_handle_samples() {
            return Err(AppError::Forbidden(
                "only the requester uploads the signed agreement".into(),
            ));
        }
        return Err(AppError::NotFound);
    }
    let from: RequestStatus = r
        .status
        .parse()
        .map_err(|e| AppError::Internal(format!("request {request_id}: {e}")))?;
    let to = after_signed_copy_upload(from).map_err(|e| AppError::conflict("status", e))?;
    let filename = filename.trim();
    let mut errors = Vec::new();
    if filename.is_empty() || filename.chars().count() > 255 || filename.contains(['/', '\\']) {
        errors.push(FieldError::new(
            "filename",
            "invalid",
            "filename: must be a plain file name of 1 to 255 characters",
        ));
    }
    if data.len() > MAX_SIGNED_COPY_BYTES {
        return Err(AppError::TooLarge {
            limit: MAX_SIGNED_COPY_BYTES as u64,
        });
    }
    if !data.starts_with(b"%PDF-") {
        errors.push(FieldError::new(
            "file",
            "invalid_type",
            "file: the signed copy must be a PDF file",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let txn = db.begin().await?;
    let after = claim(&txn, &r, to).await?;
    let m = mta_of(&txn, request_id).await?;
    if m.accepted_at.is_some() {
        return Err(AppError::conflict(
            "mta",
            "mta: the agreement has already been accepted",
        ));
    }
    let d = request_document::ActiveModel {
        request_id: Set(request_id),
        doc_type: Set(SIGNED_COPY_DOC_TYPE.into()),
        filename: Set(filename.to_string()),
        content_type: Set("application/pdf".into()),
        size_bytes: Set(data.len() as i64),
        sha256: Set(sha256_hex(data)),
        data: Set(data.to_vec()),
        uploaded_by: Set(Some(caller.user_id)),
        uploaded_at: Set(now()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut snap = audit::snapshot(&d);
    if let Some(serde_json::Value::Object(map)) = snap.as_mut() {
        map.remove("data");
    }
    audit::record(&txn, actor, "create", "request_documents", d.id, None, snap).await?;
    let mut am: mta::ActiveModel = m.clone().into();
    am.signed_document_id = Set(Some(d.id));
    am.acceptance_ip = Set(actor.ip.clone());
    let updated = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "upload_signed_copy",
        "mtas",
        m.id,
        audit_view(&m),
        audit_view(&updated),
    )
    .await?;
    audit::record(
        &txn,
        actor,
        "upload_signed_copy",
        "requests",
        request_id,
        audit::snapshot(&r),
        audit::snapshot(&after),
    )
    .await?;
    notices::notify_other_side(&txn, actor, &after, caller.user_id, to).await?;
    let view = load(&txn, request_id).await?;
    txn.commit().await?;
    Ok(view)
}

/// A curator confirms the uploaded signed copy: the agreement counts as accepted by
/// signature (by the requester who uploaded it), and picking may start.
pub async fn confirm_signed_copy<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    caller: Caller,
    request_id: i64,
) -> AppResult<RequestView> {
    if !caller.role.can_curate() {
        return Err(AppError::forbidden());
    }
    let r = request::Entity::find_by_id(request_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let from: RequestStatus = r
        .status
        .parse()
        .map_err(|e| AppError::Internal(format!("request {request_id}: {e}")))?;
    let to = after_signed_copy_confirmed(from).map_err(|e| AppError::conflict("status", e))?;
    let txn = db.begin().await?;
    let claimed = claim(&txn, &r, to).await?;
    let m = mta_of(&txn, request_id).await?;
    let Some(doc_id) = m.signed_document_id else {
        return Err(AppError::conflict(
            "mta",
            "mta: no signed copy has been uploaded",
        ));
    };
    if m.accepted_at.is_some() {
        return Err(AppError::conflict(
            "mta",
            "mta: the agreement has already been accepted",
        ));
    }
    let doc = request_document::Entity::find_by_id(doc_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let stamp = now();
    let mut am: mta::ActiveModel = m.clone().into();
    am.acceptance_type = Set(Some(AcceptanceType::Signature.as_str().into()));
    am.accepted_by = Set(doc.uploaded_by);
    am.accepted_at = Set(Some(stamp));
    let updated = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "confirm_signed_copy",
        "mtas",
        m.id,
        audit_view(&m),
        audit_view(&updated),
    )
    .await?;
    let mut ram: request::ActiveModel = claimed.clone().into();
    ram.mta_accepted_at = Set(Some(stamp));
    let after = ram.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "confirm_signed_copy",
        "requests",
        request_id,
        audit::snapshot(&r),
        audit::snapshot(&after),
    )
    .await?;
    notices::notify_other_side(&txn, actor, &after, caller.user_id, to).await?;
    let view = load(&txn, request_id).await?;
    txn.commit().await?;
    Ok(view)
}
