//! `accession_animal` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "accession_animal")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub accession_id: i64,
    #[sea_orm(column_type = "Text")]
    pub breed: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub germplasm_type: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub animal_sex: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub donor_animal_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub sire: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub dam: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub collection_date: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub collection_site: Option<String>,
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
