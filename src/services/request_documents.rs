//! Documents a request carries (ethics approval, biosafety permit, import permit), uploaded
//! as base64 in JSON within a type and size limit and kept in the database with their hash.

use base64::Engine;
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, Set};
use serde::Deserialize;

use entities::{request, request_document};

use super::request_views::DocumentView;
use super::requests::Caller;
use super::{Actor, audit, now, sha256_hex};
use crate::domain::FieldError;
use crate::domain::requests::{DocumentType, RequestStatus};
use crate::error::{AppError, AppResult};

/// The largest document accepted, in bytes (the JSON body limit bounds the base64 text too).
pub const MAX_DOCUMENT_BYTES: usize = 512 * 1024;

/// The file types a document may have.
pub const CONTENT_TYPES: &[&str] = &["application/pdf", "image/png", "image/jpeg"];

/// An uploaded document.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewDocument {
    /// `ethics_approval`, `biosafety_permit`, `import_permit` or `other`.
    pub doc_type: String,
    pub filename: String,
    /// `application/pdf`, `image/png` or `image/jpeg`.
    pub content_type: String,
    /// The file's bytes, base64-encoded.
    pub data_base64: String,
}

/// Attaches a document to a request that has not been decided yet (its requester or a curator).
pub async fn upload<C: ConnectionTrait>(
    conn: &C,
    actor: &Actor,
    caller: Caller,
    request_id: i64,
    input: NewDocument,
) -> AppResult<DocumentView> {
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
    let open = matches!(
        r.status.parse::<RequestStatus>(),
        Ok(RequestStatus::Draft | RequestStatus::Submitted | RequestStatus::UnderReview)
    );
    if !open {
        return Err(AppError::conflict(
            "status",
            format!(
                "status: documents can be added only before a decision (the request is {})",
                r.status
            ),
        ));
    }
    let mut errors = Vec::new();
    if let Err(e) = input.doc_type.trim().parse::<DocumentType>() {
        errors.push(e.to_field_error("doc_type"));
    }
    let filename = input.filename.trim();
    if filename.is_empty() || filename.chars().count() > 255 || filename.contains(['/', '\\']) {
        errors.push(FieldError::new(
            "filename",
            "invalid",
            "filename: must be a plain file name of 1 to 255 characters",
        ));
    }
    if !CONTENT_TYPES.contains(&input.content_type.trim()) {
        errors.push(FieldError::new(
            "content_type",
            "invalid_code",
            format!("content_type: must be one of {}", CONTENT_TYPES.join(", ")),
        ));
    }
    let data = base64::engine::general_purpose::STANDARD
        .decode(input.data_base64.trim())
        .map_err(|_| {
            FieldError::new(
                "data_base64",
                "invalid_type",
                "data_base64: is not valid base64",
            )
        });
    match &data {
        Err(e) => errors.push(e.clone()),
        Ok(d) if d.is_empty() => errors.push(FieldError::new(
            "data_base64",
            "required",
            "data_base64: the file is empty",
        )),
        Ok(d) if d.len() > MAX_DOCUMENT_BYTES => {
            return Err(AppError::TooLarge {
                limit: MAX_DOCUMENT_BYTES as u64,
            });
        }
        Ok(_) => {}
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let data = data.unwrap_or_default();
    let d = request_document::ActiveModel {
        request_id: Set(request_id),
        doc_type: Set(input.doc_type.trim().to_string()),
        filename: Set(filename.to_string()),
        content_type: Set(input.content_type.trim().to_string()),
        size_bytes: Set(data.len() as i64),
        sha256: Set(sha256_hex(&data)),
        data: Set(data),
        uploaded_by: Set(Some(caller.user_id)),
        uploaded_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    let mut snap = audit::snapshot(&d);
    if let Some(serde_json::Value::Object(m)) = snap.as_mut() {
        m.remove("data");
    }
    audit::record(conn, actor, "create", "request_documents", d.id, None, snap).await?;
    Ok(DocumentView {
        id: d.id,
        doc_type: d.doc_type,
        filename: d.filename,
        content_type: d.content_type,
        size_bytes: d.size_bytes,
        sha256: d.sha256,
        uploaded_at: d.uploaded_at,
    })
}
