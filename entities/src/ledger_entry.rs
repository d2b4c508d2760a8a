//! `ledger_entries` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "ledger_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub sample_id: i64,
    pub delta: f64,
    #[sea_orm(column_type = "Text")]
    pub unit: String,
    #[sea_orm(column_type = "Text")]
    pub reason: String,
    pub balance_after: f64,
    pub request_id: Option<i64>,
    pub viability_test_id: Option<i64>,
    pub actor_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub note: Option<String>,
    pub created_at: DateTimeUtc,
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
        belongs_to = "super::request::Entity",
        from = "Column::RequestId",
        to = "super::request::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Request,
    #[sea_orm(
        belongs_to = "super::viability_test::Entity",
        from = "Column::ViabilityTestId",
        to = "super::viability_test::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    ViabilityTest,
    #[sea_orm(
        belongs_to = "super::user::Entity",
        from = "Column::ActorId",
        to = "super::user::Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Actor,
}

impl Related<super::sample::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Sample.def()
    }
}

impl Related<super::request::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Request.def()
    }
}

impl Related<super::viability_test::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ViabilityTest.def()
    }
}

impl Related<super::user::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Actor.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
