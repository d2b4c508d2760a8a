//! `mta_templates` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "mta_templates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    pub version: i32,
    #[sea_orm(column_type = "Text")]
    pub language: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub body: String,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::CreatedBy",
        to = "super::user::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    CreatedBy,
    #[sea_orm(has_many = "super::mta::Entity", via_rel = "Relation::Template")]
    Mtas,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CreatedBy.def()
    }
}

impl Related<super::mta::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Mtas.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
