//! `accessions` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "accessions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub accession_number: String,
    #[sea_orm(column_type = "Text")]
    pub institute_code: String,
    #[sea_orm(unique, column_type = "Text")]
    pub pid: String,
    #[sea_orm(column_type = "Text")]
    pub material_type: String,
    #[sea_orm(column_type = "Text")]
    pub genus: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub species: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub species_authority: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub subtaxa: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub subtaxa_authority: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub taxon_name: String,
    #[sea_orm(column_type = "Text")]
    pub crop_name: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub accession_names: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub acquisition_date: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub acquisition_source: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub donor_institute_code: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub donor_name: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub donor_accession_number: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub origin_country: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub collecting_site: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub coordinate_uncertainty_m: Option<i32>,
    pub elevation_m: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub collecting_date: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub biological_status: Option<String>,
    pub available: bool,
    #[sea_orm(column_type = "Text")]
    pub availability_note: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub mls_status: Option<String>,
    pub risk_group: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub nagoya_status: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub consent_scope: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub status: String,
    #[sea_orm(column_type = "Text")]
    pub deaccession_reason: Option<String>,
    pub deaccessioned_at: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub remarks: Option<String>,
    pub created_by: Option<i64>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
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
    #[sea_orm(has_one = "super::accession_plant::Entity")]
    Plant,
    #[sea_orm(has_one = "super::accession_strain::Entity")]
    Strain,
    #[sea_orm(has_one = "super::accession_cell_line::Entity")]
    CellLine,
    #[sea_orm(has_one = "super::accession_specimen::Entity")]
    Specimen,
    #[sea_orm(has_one = "super::accession_animal::Entity")]
    Animal,
    #[sea_orm(has_many = "super::sample::Entity", via_rel = "Relation::Accession")]
    Samples,
    #[sea_orm(
        has_many = "super::request_item::Entity",
        via_rel = "Relation::Accession"
    )]
    RequestItems,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CreatedBy.def()
    }
}

impl Related<super::accession_plant::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Plant.def()
    }
}

impl Related<super::accession_strain::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Strain.def()
    }
}

impl Related<super::accession_cell_line::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::CellLine.def()
    }
}

impl Related<super::accession_specimen::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Specimen.def()
    }
}

impl Related<super::accession_animal::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Animal.def()
    }
}

impl Related<super::sample::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Samples.def()
    }
}

impl Related<super::request_item::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::RequestItems.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
