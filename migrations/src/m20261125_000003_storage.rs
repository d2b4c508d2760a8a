//! Storage layout: each box remembers the box-type template it was made from, so "find free
//! space" can search for boxes of one type. Samples already hold their storage unit and
//! position, and the unique (storage_unit_id, position) index already refuses double occupancy.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(StorageUnits::Table)
                    .add_column(text_null(StorageUnits::BoxType))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_storage_units_box_type")
                    .table(StorageUnits::Table)
                    .col(StorageUnits::BoxType)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_storage_units_box_type")
                    .table(StorageUnits::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(StorageUnits::Table)
                    .drop_column(StorageUnits::BoxType)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum StorageUnits {
    Table,
    BoxType,
}
