//! `accession_plant` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "accession_plant")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub accession_id: i64,
    #[sea_orm(column_type = "Text")]
    pub puid: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub collecting_number: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub collecting_institute_codes: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub collecting_institute_name: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub collecting_institute_address: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub collecting_mission_id: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub bred_institute_codes: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub bred_institute_name: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub ancestral_data: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub other_numbers: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub safety_duplicate_sites: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub safety_duplicate_institute_names: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub storage_types: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub coordinate_datum: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub georeference_method: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub accession_url: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub seed_storage_behaviour: Option<String>,
    pub thousand_seed_weight_g: Option<f64>,
    pub pdci: Option<f64>,
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
