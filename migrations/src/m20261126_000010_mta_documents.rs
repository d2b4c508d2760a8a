//! MTA documents: an issued agreement keeps the exact PDF bytes it was issued with (so every
//! download is byte-identical and the accepted SHA-256 always matches), its agreement number
//! (the SMTA identifier the Treaty's reporting asks for), and the signed copy a requester may
//! upload instead of clicking to accept. Template versions are unique per kind.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite alters one column per statement.
        for col in [
            text_null(Mtas::AgreementNumber),
            blob_null(Mtas::Pdf),
            big_integer_null(Mtas::SignedDocumentId),
        ] {
            let mut col = col;
            manager
                .alter_table(
                    Table::alter()
                        .table(Mtas::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_mta_templates_kind_version")
                    .table(MtaTemplates::Table)
                    .col(MtaTemplates::Kind)
                    .col(MtaTemplates::Version)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_mta_templates_kind_version")
                    .table(MtaTemplates::Table)
                    .to_owned(),
            )
            .await?;
        for col in [Mtas::SignedDocumentId, Mtas::Pdf, Mtas::AgreementNumber] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Mtas::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Mtas {
    Table,
    AgreementNumber,
    Pdf,
    SignedDocumentId,
}

#[derive(DeriveIden)]
enum MtaTemplates {
    Table,
    Kind,
    Version,
}
