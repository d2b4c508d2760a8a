//! `identifier_registrations` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "identifier_registrations")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub accession_id: i64,
    #[sea_orm(unique, column_type = "Text")]
    pub pid: String,
    #[sea_orm(column_type = "Text")]
    pub agency: String,
    pub registered_by: Option<i64>,
    pub registered_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
