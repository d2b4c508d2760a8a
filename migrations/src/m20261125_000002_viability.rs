//! Viability and quality monitoring: policies per material type and conservation purpose,
//! species viability constants added by curators, and typed result fields on viability tests.
//!
//! SQLite alters one column per statement, so each new column is its own `ALTER TABLE`.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ViabilityPolicies::Table)
                    .col(big_pk_auto(ViabilityPolicies::Id))
                    .col(text(ViabilityPolicies::MaterialType))
                    // `any` when the row applies to every conservation purpose.
                    .col(text(ViabilityPolicies::ConservationPurpose))
                    .col(big_integer(ViabilityPolicies::IntervalDays))
                    .col(double(ViabilityPolicies::ThresholdFraction))
                    .col(double_null(ViabilityPolicies::DefaultTemperatureC))
                    .col(double_null(ViabilityPolicies::MinRegenerationQty))
                    .col(double_null(ViabilityPolicies::MinDistributionQty))
                    .col(double_null(ViabilityPolicies::MinSafetyDuplicateQty))
                    .col(double_null(ViabilityPolicies::RebankBelowQty))
                    .col(text_null(ViabilityPolicies::RequiredBatchTests))
                    .col(big_integer_null(ViabilityPolicies::UpdatedBy))
                    .col(timestamp_with_time_zone(ViabilityPolicies::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_viability_policies_updated_by")
                            .from(ViabilityPolicies::Table, ViabilityPolicies::UpdatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_viability_policies_material_type_purpose")
                    .table(ViabilityPolicies::Table)
                    .col(ViabilityPolicies::MaterialType)
                    .col(ViabilityPolicies::ConservationPurpose)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(SpeciesViabilityConstants::Table)
                    .col(big_pk_auto(SpeciesViabilityConstants::Id))
                    .col(text(SpeciesViabilityConstants::Genus))
                    .col(text(SpeciesViabilityConstants::Species))
                    .col(double(SpeciesViabilityConstants::Ke))
                    .col(double(SpeciesViabilityConstants::Cw))
                    .col(double(SpeciesViabilityConstants::Ch))
                    .col(double(SpeciesViabilityConstants::Cq))
                    .col(text(SpeciesViabilityConstants::Source))
                    .col(big_integer_null(SpeciesViabilityConstants::CreatedBy))
                    .col(timestamp_with_time_zone(
                        SpeciesViabilityConstants::CreatedAt,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_species_viability_constants_created_by")
                            .from(
                                SpeciesViabilityConstants::Table,
                                SpeciesViabilityConstants::CreatedBy,
                            )
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_species_viability_constants_genus_species")
                    .table(SpeciesViabilityConstants::Table)
                    .col(SpeciesViabilityConstants::Genus)
                    .col(SpeciesViabilityConstants::Species)
                    .unique()
                    .to_owned(),
            )
            .await?;

        let columns = [
            text_null(ViabilityTests::Growth),
            text_null(ViabilityTests::Contaminants),
            text_null(ViabilityTests::ColonyMorphology),
            boolean_null(ViabilityTests::Conforms),
            text_null(ViabilityTests::StrMarkers),
            double_null(ViabilityTests::StrMatchPct),
            double_null(ViabilityTests::Rin),
            double_null(ViabilityTests::ConsumedQuantity),
        ];
        for mut col in columns {
            manager
                .alter_table(
                    Table::alter()
                        .table(ViabilityTests::Table)
                        .add_column(&mut col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_index(
                Index::create()
                    .name("idx_viability_tests_test_type")
                    .table(ViabilityTests::Table)
                    .col(ViabilityTests::TestType)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_viability_tests_test_type")
                    .table(ViabilityTests::Table)
                    .to_owned(),
            )
            .await?;
        for col in [
            ViabilityTests::ConsumedQuantity,
            ViabilityTests::Rin,
            ViabilityTests::StrMatchPct,
            ViabilityTests::StrMarkers,
            ViabilityTests::Conforms,
            ViabilityTests::ColonyMorphology,
            ViabilityTests::Contaminants,
            ViabilityTests::Growth,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ViabilityTests::Table)
                        .drop_column(col)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .drop_table(
                Table::drop()
                    .table(SpeciesViabilityConstants::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(ViabilityPolicies::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ViabilityTests {
    Table,
    TestType,
    Growth,
    Contaminants,
    ColonyMorphology,
    Conforms,
    StrMarkers,
    StrMatchPct,
    Rin,
    ConsumedQuantity,
}

#[derive(DeriveIden)]
enum ViabilityPolicies {
    Table,
    Id,
    MaterialType,
    ConservationPurpose,
    IntervalDays,
    ThresholdFraction,
    DefaultTemperatureC,
    MinRegenerationQty,
    MinDistributionQty,
    MinSafetyDuplicateQty,
    RebankBelowQty,
    RequiredBatchTests,
    UpdatedBy,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum SpeciesViabilityConstants {
    Table,
    Id,
    Genus,
    Species,
    Ke,
    Cw,
    Ch,
    Cq,
    Source,
    CreatedBy,
    CreatedAt,
}
