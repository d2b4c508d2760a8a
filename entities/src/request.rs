//! `requests` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "requests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique, column_type = "Text")]
    pub request_number: String,
    pub requester_id: i64,
    pub recipient_institution_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub shipping_address: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub intended_use: String,
    #[sea_orm(column_type = "Text")]
    pub project_description: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub curator_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub rejection_reason: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub cancel_reason: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
    pub submitted_at: Option<DateTimeUtc>,
    pub reviewed_at: Option<DateTimeUtc>,
    pub decided_at: Option<DateTimeUtc>,
    pub mta_accepted_at: Option<DateTimeUtc>,
    pub picking_started_at: Option<DateTimeUtc>,
    pub shipped_at: Option<DateTimeUtc>,
    pub received_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub cancelled_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::RequesterId",
        to = "super::user::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Requester,
    #[sea_orm(
        belongs_to = "super::institution::Entity",
        from = "Column::RecipientInstitutionId",
        to = "super::institution::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    RecipientInstitution,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::CuratorId",
        to = "super::user::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Curator,
    #[sea_orm(
        has_many = "super::request_item::Entity",
        via_rel = "Relation::Request"
    )]
    Items,
    #[sea_orm(
        has_many = "super::request_document::Entity",
        via_rel = "Relation::Request"
    )]
    Documents,
    #[sea_orm(
        has_many = "super::request_message::Entity",
        via_rel = "Relation::Request"
    )]
    Messages,
    #[sea_orm(has_one = "super::mta::Entity")]
    Mta,
    #[sea_orm(has_many = "super::shipment::Entity", via_rel = "Relation::Request")]
    Shipments,
    #[sea_orm(has_one = "super::feedback::Entity")]
    Feedback,
    #[sea_orm(
        has_many = "super::ledger_entry::Entity",
        via_rel = "Relation::Request"
    )]
    LedgerEntries,
    #[sea_orm(
        has_many = "super::notification::Entity",
        via_rel = "Relation::Request"
    )]
    Notifications,
}

impl Related<super::institution::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RecipientInstitution.def()
    }
}

impl Related<super::request_item::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Items.def()
    }
}

impl Related<super::request_document::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Documents.def()
    }
}

impl Related<super::request_message::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Messages.def()
    }
}

impl Related<super::mta::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mta.def()
    }
}

impl Related<super::shipment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Shipments.def()
    }
}

impl Related<super::feedback::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Feedback.def()
    }
}

impl Related<super::ledger_entry::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LedgerEntries.def()
    }
}

impl Related<super::notification::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Notifications.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
