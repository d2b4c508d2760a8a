//! `viability_policies` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "viability_policies")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(column_type = "Text")]
    pub material_type: String,
    /// A conservation purpose, or `any`.
    #[sea_orm(column_type = "Text")]
    pub conservation_purpose: String,
    pub interval_days: i64,
    pub threshold_fraction: f64,
    pub default_temperature_c: Option<f64>,
    pub min_regeneration_qty: Option<f64>,
    pub min_distribution_qty: Option<f64>,
    pub min_safety_duplicate_qty: Option<f64>,
    pub rebank_below_qty: Option<f64>,
    /// Comma-separated test types every new batch needs.
    #[sea_orm(column_type = "Text")]
    pub required_batch_tests: Option<String>,
    pub updated_by: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::UpdatedBy",
        to = "super::user::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    UpdatedBy,
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::UpdatedBy.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
