//! What a distribution request looks like to its readers: the request with its items,
//! reservations, MTA, shipment, feedback and documents (never the documents' bytes).

use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use entities::{
    feedback, mta, request, request_document, request_item, request_item_sample, shipment,
};

use crate::error::{AppError, AppResult};

/// A request as the API returns it.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct RequestView {
    pub id: i64,
    pub request_number: String,
    pub requester_id: i64,
    pub status: String,
    pub intended_use: String,
    pub project_description: Option<String>,
    pub shipping_address: Option<String>,
    pub curator_id: Option<i64>,
    pub rejection_reason: Option<String>,
    pub cancel_reason: Option<String>,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub submitted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub reviewed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub decided_at: Option<chrono::DateTime<chrono::Utc>>,
    pub mta_accepted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub picking_started_at: Option<chrono::DateTime<chrono::Utc>>,
    pub shipped_at: Option<chrono::DateTime<chrono::Utc>>,
    pub received_at: Option<chrono::DateTime<chrono::Utc>>,
    pub closed_at: Option<chrono::DateTime<chrono::Utc>>,
    pub cancelled_at: Option<chrono::DateTime<chrono::Utc>>,
    pub items: Vec<ItemView>,
    pub mta: Option<MtaView>,
    pub shipment: Option<ShipmentView>,
    pub feedback: Option<FeedbackView>,
    pub documents: Vec<DocumentView>,
}

/// One requested accession, with what was approved and reserved.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ItemView {
    pub id: i64,
    pub accession_id: i64,
    pub quantity_requested: f64,
    pub unit: String,
    pub quantity_approved: Option<f64>,
    pub status: String,
    pub curator_note: Option<String>,
    pub reservations: Vec<ReservationView>,
}

/// A quantity held on one sample for an item.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ReservationView {
    pub sample_id: i64,
    pub quantity_reserved: f64,
    pub picked_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The request's agreement and its acceptance.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct MtaView {
    /// The agreement's identifier, e.g. `CHN001-SMTA-2026-00042`.
    pub agreement_number: Option<String>,
    pub template_kind: String,
    /// The version of the repository's own text used, if any (else the built-in text).
    pub template_id: Option<i64>,
    /// SHA-256 of the issued PDF (`GET /requests/{id}/mta.pdf` serves exactly these bytes).
    pub pdf_sha256: String,
    pub acceptance_type: Option<String>,
    pub accepted_by: Option<i64>,
    pub accepted_at: Option<chrono::DateTime<chrono::Utc>>,
    pub acceptance_ip: Option<String>,
    /// The uploaded signed copy (a document of type `signed_mta`), if any.
    pub signed_document_id: Option<i64>,
}

/// How and when the material travelled.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct ShipmentView {
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    pub shipped_at: Option<chrono::DateTime<chrono::Utc>>,
    pub received_at: Option<chrono::DateTime<chrono::Utc>>,
}

/// The requester's rating of the service.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct FeedbackView {
    pub rating: i32,
    pub comment: Option<String>,
}

/// An uploaded document's metadata.
#[derive(Debug, Clone, Serialize, Deserialize, utoipa::ToSchema)]
pub struct DocumentView {
    pub id: i64,
    pub doc_type: String,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    pub uploaded_at: chrono::DateTime<chrono::Utc>,
}

/// Loads a request with everything that hangs off it.
pub async fn load<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<RequestView> {
    let r = request::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    view_of(conn, r).await
}

/// Builds the view of a loaded request.
pub async fn view_of<C: ConnectionTrait>(conn: &C, r: request::Model) -> AppResult<RequestView> {
    let items = request_item::Entity::find()
        .filter(request_item::Column::RequestId.eq(r.id))
        .order_by_asc(request_item::Column::Id)
        .all(conn)
        .await?;
    let ids: Vec<i64> = items.iter().map(|i| i.id).collect();
    let reservations = request_item_sample::Entity::find()
        .filter(request_item_sample::Column::RequestItemId.is_in(ids))
        .order_by_asc(request_item_sample::Column::Id)
        .all(conn)
        .await?;
    let items = items
        .into_iter()
        .map(|i| ItemView {
            reservations: reservations
                .iter()
                .filter(|s| s.request_item_id == i.id)
                .map(|s| ReservationView {
                    sample_id: s.sample_id,
                    quantity_reserved: s.quantity_reserved,
                    picked_at: s.picked_at,
                })
                .collect(),
            id: i.id,
            accession_id: i.accession_id,
            quantity_requested: i.quantity_requested,
            unit: i.unit,
            quantity_approved: i.quantity_approved,
            status: i.status,
            curator_note: i.curator_note,
        })
        .collect();
    let mta = mta::Entity::find()
        .filter(mta::Column::RequestId.eq(r.id))
        .order_by_desc(mta::Column::Id)
        .one(conn)
        .await?
        .map(|m| MtaView {
            agreement_number: m.agreement_number,
            template_kind: m.template_kind,
            template_id: m.template_id,
            pdf_sha256: m.pdf_sha256,
            acceptance_type: m.acceptance_type,
            accepted_by: m.accepted_by,
            accepted_at: m.accepted_at,
            acceptance_ip: m.acceptance_ip,
            signed_document_id: m.signed_document_id,
        });
    let shipment = shipment::Entity::find()
        .filter(shipment::Column::RequestId.eq(r.id))
        .one(conn)
        .await?
        .map(|s| ShipmentView {
            carrier: s.carrier,
            tracking_number: s.tracking_number,
            shipped_at: s.shipped_at,
            received_at: s.received_at,
        });
    let feedback = feedback::Entity::find()
        .filter(feedback::Column::RequestId.eq(r.id))
        .one(conn)
        .await?
        .map(|f| FeedbackView {
            rating: f.rating,
            comment: f.comment,
        });
    let documents = request_document::Entity::find()
        .filter(request_document::Column::RequestId.eq(r.id))
        .order_by_asc(request_document::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|d| DocumentView {
            id: d.id,
            doc_type: d.doc_type,
            filename: d.filename,
            content_type: d.content_type,
            size_bytes: d.size_bytes,
            sha256: d.sha256,
            uploaded_at: d.uploaded_at,
        })
        .collect();
    Ok(RequestView {
        id: r.id,
        request_number: r.request_number,
        requester_id: r.requester_id,
        status: r.status,
        intended_use: r.intended_use,
        project_description: r.project_description,
        shipping_address: r.shipping_address,
        curator_id: r.curator_id,
        rejection_reason: r.rejection_reason,
        cancel_reason: r.cancel_reason,
        created_at: r.created_at,
        submitted_at: r.submitted_at,
        reviewed_at: r.reviewed_at,
        decided_at: r.decided_at,
        mta_accepted_at: r.mta_accepted_at,
        picking_started_at: r.picking_started_at,
        shipped_at: r.shipped_at,
        received_at: r.received_at,
        closed_at: r.closed_at,
        cancelled_at: r.cancelled_at,
        items,
        mta,
        shipment,
        feedback,
        documents,
    })
}
