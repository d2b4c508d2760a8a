//! `samples` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "samples")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub accession_id: i64,
    #[sea_orm(unique, column_type = "Text")]
    pub label_code: String,
    pub parent_sample_id: Option<i64>,
    pub generation: Option<i32>,
    pub passage: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub form: String,
    pub quantity: f64,
    #[sea_orm(default_value = 0.0)]
    pub reserved_quantity: f64,
    #[sea_orm(column_type = "Text")]
    pub unit: String,
    #[sea_orm(column_type = "Text")]
    pub conservation_purpose: String,
    pub storage_unit_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub position: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    pub freeze_thaw_count: i32,
    pub moisture_pct: Option<f64>,
    pub banked_on: Option<Date>,
    #[sea_orm(column_type = "Text")]
    pub notes: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::accession::Entity",
        from = "Column::AccessionId",
        to = "super::accession::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Accession,
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ParentSampleId",
        to = "Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    ParentSample,
    #[sea_orm(
        belongs_to = "super::storage_unit::Entity",
        from = "Column::StorageUnitId",
        to = "super::storage_unit::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    StorageUnit,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::CreatedBy",
        to = "super::user::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    CreatedBy,
    #[sea_orm(has_many = "Entity", via_rel = "Relation::ParentSample")]
    Children,
    #[sea_orm(has_many = "super::ledger_entry::Entity", via_rel = "Relation::Sample")]
    LedgerEntries,
    #[sea_orm(has_many = "super::sample_event::Entity", via_rel = "Relation::Sample")]
    SampleEvents,
    #[sea_orm(
        has_many = "super::viability_test::Entity",
        via_rel = "Relation::Sample"
    )]
    ViabilityTests,
    #[sea_orm(
        has_many = "super::request_item_sample::Entity",
        via_rel = "Relation::Sample"
    )]
    RequestItemSamples,
}

impl Related<super::accession::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Accession.def()
    }
}

impl Related<super::storage_unit::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::StorageUnit.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CreatedBy.def()
    }
}

impl Related<super::ledger_entry::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LedgerEntries.def()
    }
}

impl Related<super::sample_event::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::SampleEvents.def()
    }
}

impl Related<super::viability_test::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ViabilityTests.def()
    }
}

impl Related<super::request_item_sample::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RequestItemSamples.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
