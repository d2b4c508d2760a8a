//! `accession_cell_line` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "accession_cell_line")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub accession_id: i64,
    #[sea_orm(column_type = "Text")]
    pub cellosaurus_accession: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub synonyms: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub organism: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub tissue: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub disease: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub sex: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub age_at_sampling: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub category: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub culture_medium: Option<String>,
    pub passage_at_banking: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub bank_level: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub str_profile: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub known_problems: Option<String>,
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
}

impl Related<super::accession::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Accession.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
