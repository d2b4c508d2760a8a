//! `viability_test_replicates` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "viability_test_replicates")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub viability_test_id: i64,
    pub replicate_no: i32,
    pub normal: i32,
    pub abnormal: i32,
    pub dormant: i32,
    pub dead: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::viability_test::Entity",
        from = "Column::ViabilityTestId",
        to = "super::viability_test::Column::Id",
        on_update = "NoAction",
        on_delete = "Cascade"
    )]
    ViabilityTest,
}

impl Related<super::viability_test::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ViabilityTest.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
