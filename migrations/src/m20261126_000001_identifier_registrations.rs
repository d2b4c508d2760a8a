//! Which persistent identifiers have been registered with a registration agency (CSTR, DOI),
//! so the bulk-registration export can offer only the ones still to register.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(IdentifierRegistrations::Table)
                    .if_not_exists()
                    .col(big_pk_auto(IdentifierRegistrations::Id))
                    .col(big_integer(IdentifierRegistrations::AccessionId))
                    .col(text(IdentifierRegistrations::Pid).unique_key())
                    .col(text(IdentifierRegistrations::Agency))
                    .col(big_integer_null(IdentifierRegistrations::RegisteredBy))
                    .col(timestamp_with_time_zone(
                        IdentifierRegistrations::RegisteredAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_identifier_registrations_accession_id")
                            .from(
                                IdentifierRegistrations::Table,
                                IdentifierRegistrations::AccessionId,
                            )
                            .to(Accessions::Table, Accessions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(IdentifierRegistrations::Table)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum IdentifierRegistrations {
    Table,
    Id,
    AccessionId,
    Pid,
    Agency,
    RegisteredBy,
    RegisteredAt,
}

#[derive(DeriveIden)]
enum Accessions {
    Table,
    Id,
}
