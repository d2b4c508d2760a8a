//! `accession_specimen` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "accession_specimen")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub accession_id: i64,
    #[sea_orm(column_type = "Text")]
    pub donor_code: String,
    #[sea_orm(column_type = "Text")]
    pub sample_source: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub specimen_type: String,
    #[sea_orm(column_type = "Text")]
    pub anatomical_site: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub diagnosis: Option<String>,
    pub collection_datetime: Option<DateTimeUtc>,
    #[sea_orm(column_type = "Text")]
    pub sprec_code: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub consent_status: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub consent_scope: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub ethics_reference: Option<String>,
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
