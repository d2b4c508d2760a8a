//! `request_item_samples` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "request_item_samples")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub request_item_id: i64,
    pub sample_id: i64,
    pub quantity_reserved: f64,
    pub picked_at: Option<DateTimeUtc>,
    pub picked_by: Option<i64>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::request_item::Entity",
        from = "Column::RequestItemId",
        to = "super::request_item::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    RequestItem,
    #[sea_orm(
        belongs_to = "super::sample::Entity",
        from = "Column::SampleId",
        to = "super::sample::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Sample,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::PickedBy",
        to = "super::user::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    PickedBy,
}

impl Related<super::request_item::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RequestItem.def()
    }
}

impl Related<super::sample::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sample.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::PickedBy.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
