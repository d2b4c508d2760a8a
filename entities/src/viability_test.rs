//! `viability_tests` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "viability_tests")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sample_id: i64,
    #[sea_orm(column_type = "Text")]
    pub test_type: String,
    pub tested_on: Date,
    pub replicates: Option<i32>,
    pub seeds_per_replicate: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub substrate: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub temperature_regime: Option<String>,
    pub light_hours: Option<f64>,
    pub prechill_days: Option<i32>,
    pub count_days: Option<i32>,
    pub normal: Option<i32>,
    pub abnormal: Option<i32>,
    pub dormant: Option<i32>,
    pub dead: Option<i32>,
    pub result_pct: Option<f64>,
    pub passed: Option<bool>,
    pub conclusive: bool,
    #[sea_orm(column_type = "Text")]
    pub method: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub details: Option<String>,
    pub tester_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
    /// Revival: `good`, `poor` or `none`.
    #[sea_orm(column_type = "Text")]
    pub growth: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub contaminants: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub colony_morphology: Option<String>,
    /// Purity: the culture conforms to the strain's description.
    pub conforms: Option<bool>,
    #[sea_orm(column_type = "Text")]
    pub str_markers: Option<String>,
    pub str_match_pct: Option<f64>,
    /// RNA integrity number (1–10).
    pub rin: Option<f64>,
    /// What the test used up, posted to the ledger.
    pub consumed_quantity: Option<f64>,
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
        belongs_to = "super::user::Entity",
        from = "Column::TesterId",
        to = "super::user::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Tester,
    #[sea_orm(
        has_many = "super::viability_test_replicate::Entity",
        via_rel = "Relation::ViabilityTest"
    )]
    Replicates,
    #[sea_orm(
        has_many = "super::ledger_entry::Entity",
        via_rel = "Relation::ViabilityTest"
    )]
    LedgerEntries,
}

impl Related<super::sample::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sample.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Tester.def()
    }
}

impl Related<super::viability_test_replicate::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Replicates.def()
    }
}

impl Related<super::ledger_entry::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::LedgerEntries.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
