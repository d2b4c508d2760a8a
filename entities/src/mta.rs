//! `mtas` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "mtas")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub request_id: i64,
    pub template_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub template_kind: String,
    #[sea_orm(column_type = "Text")]
    pub pdf_sha256: String,
    #[sea_orm(column_type = "Text")]
    pub acceptance_type: Option<String>,
    pub accepted_by: Option<i64>,
    pub accepted_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub acceptance_ip: Option<String>,
    pub created_at: DateTimeUtc,
    /// The agreement's identifier, e.g. `CHN001-SMTA-2026-00042`.
    #[sea_orm(column_type = "Text")]
    pub agreement_number: Option<String>,
    /// The exact PDF issued; every download serves these bytes.
    #[sea_orm(column_type = "Blob")]
    pub pdf: Option<Vec<u8>>,
    /// The uploaded signed copy (a `request_documents` row), once there is one.
    pub signed_document_id: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::request::Entity",
        from = "Column::RequestId",
        to = "super::request::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Request,
    #[sea_orm(
        belongs_to = "super::mta_template::Entity",
        from = "Column::TemplateId",
        to = "super::mta_template::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Template,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::AcceptedBy",
        to = "super::user::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    AcceptedBy,
}

impl Related<super::request::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Request.def()
    }
}

impl Related<super::mta_template::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Template.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::AcceptedBy.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
