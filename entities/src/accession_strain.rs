//! `accession_strain` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "accession_strain")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub accession_id: i64,
    #[sea_orm(column_type = "Text")]
    pub strain_designation: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub other_collection_numbers: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub organism_type: Option<String>,
    #[sea_orm(default_value = false)]
    pub type_strain: bool,
    #[sea_orm(column_type = "Text")]
    pub isolation_source: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub isolation_date: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub depositor: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub deposit_history: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub growth_medium: Option<String>,
    pub growth_temperature_c: Option<f64>,
    #[sea_orm(column_type = "Text")]
    pub atmosphere: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub form_of_supply: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub sequence_accessions: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub literature: Option<String>,
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
