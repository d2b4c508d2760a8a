//! `storage_units` table.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel, serde::Serialize, serde::Deserialize)]
#[sea_orm(table_name = "storage_units")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub parent_id: Option<i64>,
    #[sea_orm(column_type = "Text")]
    pub kind: String,
    #[sea_orm(column_type = "Text")]
    pub equipment_type: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub name: String,
    #[sea_orm(unique, column_type = "Text")]
    pub barcode: Option<String>,
    pub temperature_c: Option<f64>,
    pub humidity_pct: Option<f64>,
    pub grid_rows: Option<i32>,
    pub grid_cols: Option<i32>,
    #[sea_orm(column_type = "Text")]
    pub position_labels: Option<String>,
    pub capacity: Option<i32>,
    /// The box-type template a box was made from (`cryobox_9x9`, `rack_8x12`, `bag`, …).
    #[sea_orm(column_type = "Text")]
    pub box_type: Option<String>,
    #[sea_orm(column_type = "Text")]
    pub notes: Option<String>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "Entity",
        from = "Column::ParentId",
        to = "Column::Id",
        on_update = "NoAction",
        on_delete = "Restrict"
    )]
    Parent,
    #[sea_orm(has_many = "Entity", via_rel = "Relation::Parent")]
    Children,
    #[sea_orm(has_many = "super::sample::Entity", via_rel = "Relation::StorageUnit")]
    Samples,
}

impl Related<super::sample::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Samples.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
