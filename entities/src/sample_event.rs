//! `sample_events` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "sample_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sample_id: i64,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    pub from_storage_unit_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub from_position: Option<String>,
    pub to_storage_unit_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub to_position: Option<String>,
    pub actor_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub note: Option<String>,
    pub due_back_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::sample::Entity",
        from = "Column::SampleId",
        to = "super::sample::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Sample,
    #[sea_orm(
        belongs_to = "super::storage_unit::Entity",
        from = "Column::FromStorageUnitId",
        to = "super::storage_unit::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    FromStorageUnit,
    #[sea_orm(
        belongs_to = "super::storage_unit::Entity",
        from = "Column::ToStorageUnitId",
        to = "super::storage_unit::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    ToStorageUnit,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::ActorId",
        to = "super::user::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Actor,
}

impl Related<super::sample::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sample.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Actor.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
