//! Initial schema of the biobank: every table, foreign key and index.
//!
//! The same schema-builder code runs on SQLite and PostgreSQL. Table creation order
//! respects foreign-key dependencies (SQLite can only declare foreign keys inside
//! `CREATE TABLE`); `down` drops the tables in reverse order.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // institutions
        manager
            .create_table(
                Table::create()
                    .table(Institutions::Table)
                    .col(big_pk_auto(Institutions::Id))
                    .col(text_null(Institutions::Code).unique_key())
                    .col(text(Institutions::Name))
                    .col(text_null(Institutions::Address))
                    .col(text_null(Institutions::Country))
                    .col(timestamp_with_time_zone(Institutions::CreatedAt))
                    .to_owned(),
            )
            .await?;

        // users
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(big_pk_auto(Users::Id))
                    .col(text(Users::Username).unique_key())
                    .col(text(Users::DisplayName))
                    .col(text_null(Users::Email))
                    .col(text(Users::PasswordHash))
                    .col(text(Users::Role))
                    .col(text(Users::Status))
                    .col(big_integer_null(Users::InstitutionId))
                    .col(text_null(Users::PreferredLang))
                    .col(timestamp_with_time_zone_null(Users::LastLoginAt))
                    .col(timestamp_with_time_zone(Users::CreatedAt))
                    .col(timestamp_with_time_zone(Users::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_users_institution_id")
                            .from(Users::Table, Users::InstitutionId)
                            .to(Institutions::Table, Institutions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        // user_sessions
        manager
            .create_table(
                Table::create()
                    .table(UserSessions::Table)
                    .col(big_pk_auto(UserSessions::Id))
                    .col(big_integer(UserSessions::UserId))
                    .col(text(UserSessions::TokenHash).unique_key())
                    .col(text_null(UserSessions::ClientIp))
                    .col(text_null(UserSessions::UserAgent))
                    .col(timestamp_with_time_zone(UserSessions::CreatedAt))
                    .col(timestamp_with_time_zone(UserSessions::ExpiresAt))
                    .col(timestamp_with_time_zone(UserSessions::LastSeenAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_user_sessions_user_id")
                            .from(UserSessions::Table, UserSessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_user_sessions_user_id")
                    .table(UserSessions::Table)
                    .col(UserSessions::UserId)
                    .to_owned(),
            )
            .await?;

        // api_tokens
        manager
            .create_table(
                Table::create()
                    .table(ApiTokens::Table)
                    .col(big_pk_auto(ApiTokens::Id))
                    .col(big_integer(ApiTokens::UserId))
                    .col(text(ApiTokens::Name))
                    .col(text(ApiTokens::TokenHash).unique_key())
                    .col(timestamp_with_time_zone(ApiTokens::CreatedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::ExpiresAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::LastUsedAt))
                    .col(timestamp_with_time_zone_null(ApiTokens::RevokedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_api_tokens_user_id")
                            .from(ApiTokens::Table, ApiTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_api_tokens_user_id")
                    .table(ApiTokens::Table)
                    .col(ApiTokens::UserId)
                    .to_owned(),
            )
            .await?;

        // login_throttle
        manager
            .create_table(
                Table::create()
                    .table(LoginThrottle::Table)
                    .col(text(LoginThrottle::Key).primary_key())
                    .col(integer(LoginThrottle::Failures))
                    .col(timestamp_with_time_zone(LoginThrottle::WindowStartedAt))
                    .col(timestamp_with_time_zone_null(LoginThrottle::LockedUntil))
                    .to_owned(),
            )
            .await?;

        // app_settings
        manager
            .create_table(
                Table::create()
                    .table(AppSettings::Table)
                    .col(text(AppSettings::Key).primary_key())
                    .col(text(AppSettings::Value))
                    .col(timestamp_with_time_zone(AppSettings::UpdatedAt))
                    .to_owned(),
            )
            .await?;

        // accessions
        manager
            .create_table(
                Table::create()
                    .table(Accessions::Table)
                    .col(big_pk_auto(Accessions::Id))
                    .col(text(Accessions::AccessionNumber))
                    .col(text(Accessions::InstituteCode))
                    .col(text(Accessions::Pid).unique_key())
                    .col(text(Accessions::MaterialType))
                    .col(text_null(Accessions::Genus))
                    .col(text_null(Accessions::Species))
                    .col(text_null(Accessions::SpeciesAuthority))
                    .col(text_null(Accessions::Subtaxa))
                    .col(text_null(Accessions::SubtaxaAuthority))
                    .col(text(Accessions::TaxonName))
                    .col(text_null(Accessions::CropName))
                    .col(text_null(Accessions::AccessionNames))
                    .col(text_null(Accessions::AcquisitionDate))
                    .col(text_null(Accessions::AcquisitionSource))
                    .col(text_null(Accessions::DonorInstituteCode))
                    .col(text_null(Accessions::DonorName))
                    .col(text_null(Accessions::DonorAccessionNumber))
                    .col(text_null(Accessions::OriginCountry))
                    .col(text_null(Accessions::CollectingSite))
                    .col(double_null(Accessions::Latitude))
                    .col(double_null(Accessions::Longitude))
                    .col(integer_null(Accessions::CoordinateUncertaintyM))
                    .col(integer_null(Accessions::ElevationM))
                    .col(text_null(Accessions::CollectingDate))
                    .col(text_null(Accessions::BiologicalStatus))
                    .col(boolean(Accessions::Available))
                    .col(text_null(Accessions::AvailabilityNote))
                    .col(text_null(Accessions::MlsStatus))
                    .col(integer_null(Accessions::RiskGroup))
                    .col(text_null(Accessions::NagoyaStatus))
                    .col(text_null(Accessions::ConsentScope))
                    .col(text(Accessions::Status))
                    .col(text_null(Accessions::DeaccessionReason))
                    .col(timestamp_with_time_zone_null(Accessions::DeaccessionedAt))
                    .col(text_null(Accessions::Remarks))
                    .col(big_integer_null(Accessions::CreatedBy))
                    .col(timestamp_with_time_zone(Accessions::CreatedAt))
                    .col(timestamp_with_time_zone(Accessions::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accessions_created_by")
                            .from(Accessions::Table, Accessions::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_accessions_material_type_status")
                    .table(Accessions::Table)
                    .col(Accessions::MaterialType)
                    .col(Accessions::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_accessions_taxon_name")
                    .table(Accessions::Table)
                    .col(Accessions::TaxonName)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_accessions_genus_species")
                    .table(Accessions::Table)
                    .col(Accessions::Genus)
                    .col(Accessions::Species)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_accessions_crop_name")
                    .table(Accessions::Table)
                    .col(Accessions::CropName)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_accessions_created_at")
                    .table(Accessions::Table)
                    .col(Accessions::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_accessions_institute_code_accession_number")
                    .table(Accessions::Table)
                    .col(Accessions::InstituteCode)
                    .col(Accessions::AccessionNumber)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // accession_plant
        manager
            .create_table(
                Table::create()
                    .table(AccessionPlant::Table)
                    .col(big_integer(AccessionPlant::AccessionId).primary_key())
                    .col(text_null(AccessionPlant::Puid))
                    .col(text_null(AccessionPlant::CollectingNumber))
                    .col(text_null(AccessionPlant::CollectingInstituteCodes))
                    .col(text_null(AccessionPlant::CollectingInstituteName))
                    .col(text_null(AccessionPlant::CollectingInstituteAddress))
                    .col(text_null(AccessionPlant::CollectingMissionId))
                    .col(text_null(AccessionPlant::BredInstituteCodes))
                    .col(text_null(AccessionPlant::BredInstituteName))
                    .col(text_null(AccessionPlant::AncestralData))
                    .col(text_null(AccessionPlant::OtherNumbers))
                    .col(text_null(AccessionPlant::SafetyDuplicateSites))
                    .col(text_null(AccessionPlant::SafetyDuplicateInstituteNames))
                    .col(text_null(AccessionPlant::StorageTypes))
                    .col(text_null(AccessionPlant::CoordinateDatum))
                    .col(text_null(AccessionPlant::GeoreferenceMethod))
                    .col(text_null(AccessionPlant::AccessionUrl))
                    .col(text_null(AccessionPlant::SeedStorageBehaviour))
                    .col(double_null(AccessionPlant::ThousandSeedWeightG))
                    .col(double_null(AccessionPlant::Pdci))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accession_plant_accession_id")
                            .from(AccessionPlant::Table, AccessionPlant::AccessionId)
                            .to(Accessions::Table, Accessions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        // accession_strain
        manager
            .create_table(
                Table::create()
                    .table(AccessionStrain::Table)
                    .col(big_integer(AccessionStrain::AccessionId).primary_key())
                    .col(text_null(AccessionStrain::StrainDesignation))
                    .col(text_null(AccessionStrain::OtherCollectionNumbers))
                    .col(text_null(AccessionStrain::OrganismType))
                    .col(boolean(AccessionStrain::TypeStrain).default(false))
                    .col(text_null(AccessionStrain::IsolationSource))
                    .col(text_null(AccessionStrain::IsolationDate))
                    .col(text_null(AccessionStrain::Depositor))
                    .col(text_null(AccessionStrain::DepositHistory))
                    .col(text_null(AccessionStrain::GrowthMedium))
                    .col(double_null(AccessionStrain::GrowthTemperatureC))
                    .col(text_null(AccessionStrain::Atmosphere))
                    .col(text_null(AccessionStrain::FormOfSupply))
                    .col(text_null(AccessionStrain::SequenceAccessions))
                    .col(text_null(AccessionStrain::Literature))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accession_strain_accession_id")
                            .from(AccessionStrain::Table, AccessionStrain::AccessionId)
                            .to(Accessions::Table, Accessions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        // accession_cell_line
        manager
            .create_table(
                Table::create()
                    .table(AccessionCellLine::Table)
                    .col(big_integer(AccessionCellLine::AccessionId).primary_key())
                    .col(text_null(AccessionCellLine::CellosaurusAccession))
                    .col(text_null(AccessionCellLine::Synonyms))
                    .col(text_null(AccessionCellLine::Organism))
                    .col(text_null(AccessionCellLine::Tissue))
                    .col(text_null(AccessionCellLine::Disease))
                    .col(text_null(AccessionCellLine::Sex))
                    .col(text_null(AccessionCellLine::AgeAtSampling))
                    .col(text_null(AccessionCellLine::Category))
                    .col(text_null(AccessionCellLine::CultureMedium))
                    .col(integer_null(AccessionCellLine::PassageAtBanking))
                    .col(text_null(AccessionCellLine::BankLevel))
                    .col(text_null(AccessionCellLine::StrProfile))
                    .col(text_null(AccessionCellLine::KnownProblems))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accession_cell_line_accession_id")
                            .from(AccessionCellLine::Table, AccessionCellLine::AccessionId)
                            .to(Accessions::Table, Accessions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        // accession_specimen
        manager
            .create_table(
                Table::create()
                    .table(AccessionSpecimen::Table)
                    .col(big_integer(AccessionSpecimen::AccessionId).primary_key())
                    .col(text(AccessionSpecimen::DonorCode))
                    .col(text_null(AccessionSpecimen::SampleSource))
                    .col(text(AccessionSpecimen::SpecimenType))
                    .col(text_null(AccessionSpecimen::AnatomicalSite))
                    .col(text_null(AccessionSpecimen::Diagnosis))
                    .col(timestamp_with_time_zone_null(
                        AccessionSpecimen::CollectionDatetime,
                    ))
                    .col(text_null(AccessionSpecimen::SprecCode))
                    .col(text_null(AccessionSpecimen::ConsentStatus))
                    .col(text_null(AccessionSpecimen::ConsentScope))
                    .col(text_null(AccessionSpecimen::EthicsReference))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accession_specimen_accession_id")
                            .from(AccessionSpecimen::Table, AccessionSpecimen::AccessionId)
                            .to(Accessions::Table, Accessions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        // accession_animal
        manager
            .create_table(
                Table::create()
                    .table(AccessionAnimal::Table)
                    .col(big_integer(AccessionAnimal::AccessionId).primary_key())
                    .col(text_null(AccessionAnimal::Breed))
                    .col(text_null(AccessionAnimal::GermplasmType))
                    .col(text_null(AccessionAnimal::AnimalSex))
                    .col(text_null(AccessionAnimal::DonorAnimalId))
                    .col(text_null(AccessionAnimal::Sire))
                    .col(text_null(AccessionAnimal::Dam))
                    .col(text_null(AccessionAnimal::CollectionDate))
                    .col(text_null(AccessionAnimal::CollectionSite))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_accession_animal_accession_id")
                            .from(AccessionAnimal::Table, AccessionAnimal::AccessionId)
                            .to(Accessions::Table, Accessions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        // storage_units
        manager
            .create_table(
                Table::create()
                    .table(StorageUnits::Table)
                    .col(big_pk_auto(StorageUnits::Id))
                    .col(big_integer_null(StorageUnits::ParentId))
                    .col(text(StorageUnits::Kind))
                    .col(text_null(StorageUnits::EquipmentType))
                    .col(text(StorageUnits::Name))
                    .col(text_null(StorageUnits::Barcode).unique_key())
                    .col(double_null(StorageUnits::TemperatureC))
                    .col(double_null(StorageUnits::HumidityPct))
                    .col(integer_null(StorageUnits::GridRows))
                    .col(integer_null(StorageUnits::GridCols))
                    .col(text_null(StorageUnits::PositionLabels))
                    .col(integer_null(StorageUnits::Capacity))
                    .col(text_null(StorageUnits::Notes))
                    .col(timestamp_with_time_zone(StorageUnits::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_storage_units_parent_id")
                            .from(StorageUnits::Table, StorageUnits::ParentId)
                            .to(StorageUnits::Table, StorageUnits::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_storage_units_parent_id")
                    .table(StorageUnits::Table)
                    .col(StorageUnits::ParentId)
                    .to_owned(),
            )
            .await?;

        // samples
        manager
            .create_table(
                Table::create()
                    .table(Samples::Table)
                    .col(big_pk_auto(Samples::Id))
                    .col(big_integer(Samples::AccessionId))
                    .col(text(Samples::LabelCode).unique_key())
                    .col(big_integer_null(Samples::ParentSampleId))
                    .col(integer_null(Samples::Generation))
                    .col(integer_null(Samples::Passage))
                    .col(text(Samples::Form))
                    .col(double(Samples::Quantity))
                    .col(double(Samples::ReservedQuantity).default(0.0))
                    .col(text(Samples::Unit))
                    .col(text(Samples::ConservationPurpose))
                    .col(big_integer_null(Samples::StorageUnitId))
                    .col(text_null(Samples::Position))
                    .col(text(Samples::Status))
                    .col(integer(Samples::FreezeThawCount))
                    .col(double_null(Samples::MoisturePct))
                    .col(date_null(Samples::BankedOn))
                    .col(text_null(Samples::Notes))
                    .col(big_integer_null(Samples::CreatedBy))
                    .col(timestamp_with_time_zone(Samples::CreatedAt))
                    .col(timestamp_with_time_zone(Samples::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_samples_accession_id")
                            .from(Samples::Table, Samples::AccessionId)
                            .to(Accessions::Table, Accessions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_samples_parent_sample_id")
                            .from(Samples::Table, Samples::ParentSampleId)
                            .to(Samples::Table, Samples::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_samples_storage_unit_id")
                            .from(Samples::Table, Samples::StorageUnitId)
                            .to(StorageUnits::Table, StorageUnits::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_samples_created_by")
                            .from(Samples::Table, Samples::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_samples_accession_id")
                    .table(Samples::Table)
                    .col(Samples::AccessionId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_samples_parent_sample_id")
                    .table(Samples::Table)
                    .col(Samples::ParentSampleId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_samples_status")
                    .table(Samples::Table)
                    .col(Samples::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_samples_storage_unit_id_position")
                    .table(Samples::Table)
                    .col(Samples::StorageUnitId)
                    .col(Samples::Position)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // viability_tests
        manager
            .create_table(
                Table::create()
                    .table(ViabilityTests::Table)
                    .col(big_pk_auto(ViabilityTests::Id))
                    .col(big_integer(ViabilityTests::SampleId))
                    .col(text(ViabilityTests::TestType))
                    .col(date(ViabilityTests::TestedOn))
                    .col(integer_null(ViabilityTests::Replicates))
                    .col(integer_null(ViabilityTests::SeedsPerReplicate))
                    .col(text_null(ViabilityTests::Substrate))
                    .col(text_null(ViabilityTests::TemperatureRegime))
                    .col(double_null(ViabilityTests::LightHours))
                    .col(integer_null(ViabilityTests::PrechillDays))
                    .col(integer_null(ViabilityTests::CountDays))
                    .col(integer_null(ViabilityTests::Normal))
                    .col(integer_null(ViabilityTests::Abnormal))
                    .col(integer_null(ViabilityTests::Dormant))
                    .col(integer_null(ViabilityTests::Dead))
                    .col(double_null(ViabilityTests::ResultPct))
                    .col(boolean_null(ViabilityTests::Passed))
                    .col(boolean(ViabilityTests::Conclusive))
                    .col(text_null(ViabilityTests::Method))
                    .col(text_null(ViabilityTests::Details))
                    .col(big_integer_null(ViabilityTests::TesterId))
                    .col(text_null(ViabilityTests::Notes))
                    .col(timestamp_with_time_zone(ViabilityTests::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_viability_tests_sample_id")
                            .from(ViabilityTests::Table, ViabilityTests::SampleId)
                            .to(Samples::Table, Samples::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_viability_tests_tester_id")
                            .from(ViabilityTests::Table, ViabilityTests::TesterId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_viability_tests_sample_id_tested_on")
                    .table(ViabilityTests::Table)
                    .col(ViabilityTests::SampleId)
                    .col(ViabilityTests::TestedOn)
                    .to_owned(),
            )
            .await?;

        // viability_test_replicates
        manager
            .create_table(
                Table::create()
                    .table(ViabilityTestReplicates::Table)
                    .col(big_pk_auto(ViabilityTestReplicates::Id))
                    .col(big_integer(ViabilityTestReplicates::ViabilityTestId))
                    .col(integer(ViabilityTestReplicates::ReplicateNo))
                    .col(integer(ViabilityTestReplicates::Normal))
                    .col(integer(ViabilityTestReplicates::Abnormal))
                    .col(integer(ViabilityTestReplicates::Dormant))
                    .col(integer(ViabilityTestReplicates::Dead))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_viability_test_replicates_viability_test_id")
                            .from(
                                ViabilityTestReplicates::Table,
                                ViabilityTestReplicates::ViabilityTestId,
                            )
                            .to(ViabilityTests::Table, ViabilityTests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_viability_test_replicates_viability_test_id_replicate_no")
                    .table(ViabilityTestReplicates::Table)
                    .col(ViabilityTestReplicates::ViabilityTestId)
                    .col(ViabilityTestReplicates::ReplicateNo)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // requests
        manager
            .create_table(
                Table::create()
                    .table(Requests::Table)
                    .col(big_pk_auto(Requests::Id))
                    .col(text(Requests::RequestNumber).unique_key())
                    .col(big_integer(Requests::RequesterId))
                    .col(big_integer_null(Requests::RecipientInstitutionId))
                    .col(text_null(Requests::ShippingAddress))
                    .col(text(Requests::IntendedUse))
                    .col(text_null(Requests::ProjectDescription))
                    .col(text(Requests::Status))
                    .col(big_integer_null(Requests::CuratorId))
                    .col(text_null(Requests::RejectionReason))
                    .col(text_null(Requests::CancelReason))
                    .col(timestamp_with_time_zone(Requests::CreatedAt))
                    .col(timestamp_with_time_zone(Requests::UpdatedAt))
                    .col(timestamp_with_time_zone_null(Requests::SubmittedAt))
                    .col(timestamp_with_time_zone_null(Requests::ReviewedAt))
                    .col(timestamp_with_time_zone_null(Requests::DecidedAt))
                    .col(timestamp_with_time_zone_null(Requests::MtaAcceptedAt))
                    .col(timestamp_with_time_zone_null(Requests::PickingStartedAt))
                    .col(timestamp_with_time_zone_null(Requests::ShippedAt))
                    .col(timestamp_with_time_zone_null(Requests::ReceivedAt))
                    .col(timestamp_with_time_zone_null(Requests::ClosedAt))
                    .col(timestamp_with_time_zone_null(Requests::CancelledAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_requests_requester_id")
                            .from(Requests::Table, Requests::RequesterId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_requests_recipient_institution_id")
                            .from(Requests::Table, Requests::RecipientInstitutionId)
                            .to(Institutions::Table, Institutions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_requests_curator_id")
                            .from(Requests::Table, Requests::CuratorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_status")
                    .table(Requests::Table)
                    .col(Requests::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_requests_requester_id")
                    .table(Requests::Table)
                    .col(Requests::RequesterId)
                    .to_owned(),
            )
            .await?;

        // request_items
        manager
            .create_table(
                Table::create()
                    .table(RequestItems::Table)
                    .col(big_pk_auto(RequestItems::Id))
                    .col(big_integer(RequestItems::RequestId))
                    .col(big_integer(RequestItems::AccessionId))
                    .col(double(RequestItems::QuantityRequested))
                    .col(text(RequestItems::Unit))
                    .col(double_null(RequestItems::QuantityApproved))
                    .col(text(RequestItems::Status))
                    .col(text_null(RequestItems::CuratorNote))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_items_request_id")
                            .from(RequestItems::Table, RequestItems::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_items_accession_id")
                            .from(RequestItems::Table, RequestItems::AccessionId)
                            .to(Accessions::Table, Accessions::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_items_request_id")
                    .table(RequestItems::Table)
                    .col(RequestItems::RequestId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_items_accession_id")
                    .table(RequestItems::Table)
                    .col(RequestItems::AccessionId)
                    .to_owned(),
            )
            .await?;

        // request_item_samples
        manager
            .create_table(
                Table::create()
                    .table(RequestItemSamples::Table)
                    .col(big_pk_auto(RequestItemSamples::Id))
                    .col(big_integer(RequestItemSamples::RequestItemId))
                    .col(big_integer(RequestItemSamples::SampleId))
                    .col(double(RequestItemSamples::QuantityReserved))
                    .col(timestamp_with_time_zone_null(RequestItemSamples::PickedAt))
                    .col(big_integer_null(RequestItemSamples::PickedBy))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_item_samples_request_item_id")
                            .from(RequestItemSamples::Table, RequestItemSamples::RequestItemId)
                            .to(RequestItems::Table, RequestItems::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_item_samples_sample_id")
                            .from(RequestItemSamples::Table, RequestItemSamples::SampleId)
                            .to(Samples::Table, Samples::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_item_samples_picked_by")
                            .from(RequestItemSamples::Table, RequestItemSamples::PickedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_request_item_samples_sample_id")
                    .table(RequestItemSamples::Table)
                    .col(RequestItemSamples::SampleId)
                    .to_owned(),
            )
            .await?;

        // request_documents
        manager
            .create_table(
                Table::create()
                    .table(RequestDocuments::Table)
                    .col(big_pk_auto(RequestDocuments::Id))
                    .col(big_integer(RequestDocuments::RequestId))
                    .col(text(RequestDocuments::DocType))
                    .col(text(RequestDocuments::Filename))
                    .col(text(RequestDocuments::ContentType))
                    .col(big_integer(RequestDocuments::SizeBytes))
                    .col(text(RequestDocuments::Sha256))
                    .col(blob(RequestDocuments::Data))
                    .col(big_integer_null(RequestDocuments::UploadedBy))
                    .col(timestamp_with_time_zone(RequestDocuments::UploadedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_documents_request_id")
                            .from(RequestDocuments::Table, RequestDocuments::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_documents_uploaded_by")
                            .from(RequestDocuments::Table, RequestDocuments::UploadedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        // request_messages
        manager
            .create_table(
                Table::create()
                    .table(RequestMessages::Table)
                    .col(big_pk_auto(RequestMessages::Id))
                    .col(big_integer(RequestMessages::RequestId))
                    .col(big_integer(RequestMessages::AuthorId))
                    .col(text(RequestMessages::Body))
                    .col(timestamp_with_time_zone(RequestMessages::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_messages_request_id")
                            .from(RequestMessages::Table, RequestMessages::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_request_messages_author_id")
                            .from(RequestMessages::Table, RequestMessages::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        // mta_templates
        manager
            .create_table(
                Table::create()
                    .table(MtaTemplates::Table)
                    .col(big_pk_auto(MtaTemplates::Id))
                    .col(text(MtaTemplates::Name))
                    .col(text(MtaTemplates::Kind))
                    .col(integer(MtaTemplates::Version))
                    .col(text_null(MtaTemplates::Language))
                    .col(text(MtaTemplates::Body))
                    .col(big_integer_null(MtaTemplates::CreatedBy))
                    .col(timestamp_with_time_zone(MtaTemplates::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mta_templates_created_by")
                            .from(MtaTemplates::Table, MtaTemplates::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("uq_mta_templates_name_version")
                    .table(MtaTemplates::Table)
                    .col(MtaTemplates::Name)
                    .col(MtaTemplates::Version)
                    .unique()
                    .to_owned(),
            )
            .await?;

        // mtas
        manager
            .create_table(
                Table::create()
                    .table(Mtas::Table)
                    .col(big_pk_auto(Mtas::Id))
                    .col(big_integer(Mtas::RequestId).unique_key())
                    .col(big_integer_null(Mtas::TemplateId))
                    .col(text(Mtas::TemplateKind))
                    .col(text(Mtas::PdfSha256))
                    .col(text_null(Mtas::AcceptanceType))
                    .col(big_integer_null(Mtas::AcceptedBy))
                    .col(timestamp_with_time_zone_null(Mtas::AcceptedAt))
                    .col(text_null(Mtas::AcceptanceIp))
                    .col(timestamp_with_time_zone(Mtas::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mtas_request_id")
                            .from(Mtas::Table, Mtas::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mtas_template_id")
                            .from(Mtas::Table, Mtas::TemplateId)
                            .to(MtaTemplates::Table, MtaTemplates::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_mtas_accepted_by")
                            .from(Mtas::Table, Mtas::AcceptedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        // shipments
        manager
            .create_table(
                Table::create()
                    .table(Shipments::Table)
                    .col(big_pk_auto(Shipments::Id))
                    .col(big_integer(Shipments::RequestId))
                    .col(text_null(Shipments::Carrier))
                    .col(text_null(Shipments::TrackingNumber))
                    .col(big_integer_null(Shipments::ShippedBy))
                    .col(timestamp_with_time_zone_null(Shipments::ShippedAt))
                    .col(timestamp_with_time_zone_null(Shipments::ReceivedAt))
                    .col(timestamp_with_time_zone(Shipments::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_shipments_request_id")
                            .from(Shipments::Table, Shipments::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_shipments_shipped_by")
                            .from(Shipments::Table, Shipments::ShippedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        // feedback
        manager
            .create_table(
                Table::create()
                    .table(Feedback::Table)
                    .col(big_pk_auto(Feedback::Id))
                    .col(big_integer(Feedback::RequestId).unique_key())
                    .col(integer(Feedback::Rating))
                    .col(text_null(Feedback::Comment))
                    .col(big_integer_null(Feedback::CreatedBy))
                    .col(timestamp_with_time_zone(Feedback::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feedback_request_id")
                            .from(Feedback::Table, Feedback::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_feedback_created_by")
                            .from(Feedback::Table, Feedback::CreatedBy)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        // notifications
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(big_pk_auto(Notifications::Id))
                    .col(big_integer(Notifications::UserId))
                    .col(big_integer_null(Notifications::RequestId))
                    .col(text(Notifications::MessageKey))
                    .col(text_null(Notifications::MessageArgs))
                    .col(timestamp_with_time_zone(Notifications::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notifications::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notifications_user_id")
                            .from(Notifications::Table, Notifications::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notifications_request_id")
                            .from(Notifications::Table, Notifications::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_user_id_read_at")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::ReadAt)
                    .to_owned(),
            )
            .await?;

        // ledger_entries
        manager
            .create_table(
                Table::create()
                    .table(LedgerEntries::Table)
                    .col(big_pk_auto(LedgerEntries::Id))
                    .col(big_integer(LedgerEntries::SampleId))
                    .col(double(LedgerEntries::Delta))
                    .col(text(LedgerEntries::Unit))
                    .col(text(LedgerEntries::Reason))
                    .col(double(LedgerEntries::BalanceAfter))
                    .col(big_integer_null(LedgerEntries::RequestId))
                    .col(big_integer_null(LedgerEntries::ViabilityTestId))
                    .col(big_integer_null(LedgerEntries::ActorId))
                    .col(text_null(LedgerEntries::Note))
                    .col(timestamp_with_time_zone(LedgerEntries::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ledger_entries_sample_id")
                            .from(LedgerEntries::Table, LedgerEntries::SampleId)
                            .to(Samples::Table, Samples::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ledger_entries_request_id")
                            .from(LedgerEntries::Table, LedgerEntries::RequestId)
                            .to(Requests::Table, Requests::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ledger_entries_viability_test_id")
                            .from(LedgerEntries::Table, LedgerEntries::ViabilityTestId)
                            .to(ViabilityTests::Table, ViabilityTests::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_ledger_entries_actor_id")
                            .from(LedgerEntries::Table, LedgerEntries::ActorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_ledger_entries_sample_id_id")
                    .table(LedgerEntries::Table)
                    .col(LedgerEntries::SampleId)
                    .col(LedgerEntries::Id)
                    .to_owned(),
            )
            .await?;

        // sample_events
        manager
            .create_table(
                Table::create()
                    .table(SampleEvents::Table)
                    .col(big_pk_auto(SampleEvents::Id))
                    .col(big_integer(SampleEvents::SampleId))
                    .col(text(SampleEvents::Kind))
                    .col(big_integer_null(SampleEvents::FromStorageUnitId))
                    .col(text_null(SampleEvents::FromPosition))
                    .col(big_integer_null(SampleEvents::ToStorageUnitId))
                    .col(text_null(SampleEvents::ToPosition))
                    .col(big_integer_null(SampleEvents::ActorId))
                    .col(text_null(SampleEvents::Note))
                    .col(timestamp_with_time_zone_null(SampleEvents::DueBackAt))
                    .col(timestamp_with_time_zone(SampleEvents::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sample_events_sample_id")
                            .from(SampleEvents::Table, SampleEvents::SampleId)
                            .to(Samples::Table, Samples::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sample_events_from_storage_unit_id")
                            .from(SampleEvents::Table, SampleEvents::FromStorageUnitId)
                            .to(StorageUnits::Table, StorageUnits::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sample_events_to_storage_unit_id")
                            .from(SampleEvents::Table, SampleEvents::ToStorageUnitId)
                            .to(StorageUnits::Table, StorageUnits::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_sample_events_actor_id")
                            .from(SampleEvents::Table, SampleEvents::ActorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_sample_events_sample_id_created_at")
                    .table(SampleEvents::Table)
                    .col(SampleEvents::SampleId)
                    .col(SampleEvents::CreatedAt)
                    .to_owned(),
            )
            .await?;

        // audit_log
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_pk_auto(AuditLog::Id))
                    .col(big_integer_null(AuditLog::ActorId))
                    .col(text(AuditLog::ActorName))
                    .col(text(AuditLog::Action))
                    .col(text(AuditLog::TableName))
                    .col(text(AuditLog::RowId))
                    .col(text_null(AuditLog::BeforeJson))
                    .col(text_null(AuditLog::AfterJson))
                    .col(text_null(AuditLog::ClientIp))
                    .col(timestamp_with_time_zone(AuditLog::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_audit_log_actor_id")
                            .from(AuditLog::Table, AuditLog::ActorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_table_name_row_id_id")
                    .table(AuditLog::Table)
                    .col(AuditLog::TableName)
                    .col(AuditLog::RowId)
                    .col(AuditLog::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_actor_id_created_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::ActorId)
                    .col(AuditLog::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_audit_log_created_at")
                    .table(AuditLog::Table)
                    .col(AuditLog::CreatedAt)
                    .to_owned(),
            )
            .await?;

        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // Self-referencing ON DELETE RESTRICT keys: SQLite's DROP TABLE deletes the rows
        // first and checks RESTRICT row by row, so a parent row could not go before its
        // children. Detach them first (harmless on PostgreSQL).
        manager
            .exec_stmt(
                Query::update()
                    .table(StorageUnits::Table)
                    .value(StorageUnits::ParentId, Option::<i64>::None)
                    .and_where(Expr::col(StorageUnits::ParentId).is_not_null())
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Samples::Table)
                    .value(Samples::ParentSampleId, Option::<i64>::None)
                    .and_where(Expr::col(Samples::ParentSampleId).is_not_null())
                    .to_owned(),
            )
            .await?;

        // Reverse creation order; indexes and foreign keys go with their tables.
        let tables: [DynIden; 29] = [
            AuditLog::Table.into_iden(),
            SampleEvents::Table.into_iden(),
            LedgerEntries::Table.into_iden(),
            Notifications::Table.into_iden(),
            Feedback::Table.into_iden(),
            Shipments::Table.into_iden(),
            Mtas::Table.into_iden(),
            MtaTemplates::Table.into_iden(),
            RequestMessages::Table.into_iden(),
            RequestDocuments::Table.into_iden(),
            RequestItemSamples::Table.into_iden(),
            RequestItems::Table.into_iden(),
            Requests::Table.into_iden(),
            ViabilityTestReplicates::Table.into_iden(),
            ViabilityTests::Table.into_iden(),
            Samples::Table.into_iden(),
            StorageUnits::Table.into_iden(),
            AccessionAnimal::Table.into_iden(),
            AccessionSpecimen::Table.into_iden(),
            AccessionCellLine::Table.into_iden(),
            AccessionStrain::Table.into_iden(),
            AccessionPlant::Table.into_iden(),
            Accessions::Table.into_iden(),
            AppSettings::Table.into_iden(),
            LoginThrottle::Table.into_iden(),
            ApiTokens::Table.into_iden(),
            UserSessions::Table.into_iden(),
            Users::Table.into_iden(),
            Institutions::Table.into_iden(),
        ];
        for table in tables {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Institutions {
    Table,
    Id,
    Code,
    Name,
    Address,
    Country,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Username,
    DisplayName,
    Email,
    PasswordHash,
    Role,
    Status,
    InstitutionId,
    PreferredLang,
    LastLoginAt,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum UserSessions {
    Table,
    Id,
    UserId,
    TokenHash,
    ClientIp,
    UserAgent,
    CreatedAt,
    ExpiresAt,
    LastSeenAt,
}

#[derive(DeriveIden)]
enum ApiTokens {
    Table,
    Id,
    UserId,
    Name,
    TokenHash,
    CreatedAt,
    ExpiresAt,
    LastUsedAt,
    RevokedAt,
}

#[derive(DeriveIden)]
enum LoginThrottle {
    Table,
    Key,
    Failures,
    WindowStartedAt,
    LockedUntil,
}

#[derive(DeriveIden)]
enum AppSettings {
    Table,
    Key,
    Value,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Accessions {
    Table,
    Id,
    AccessionNumber,
    InstituteCode,
    Pid,
    MaterialType,
    Genus,
    Species,
    SpeciesAuthority,
    Subtaxa,
    SubtaxaAuthority,
    TaxonName,
    CropName,
    AccessionNames,
    AcquisitionDate,
    AcquisitionSource,
    DonorInstituteCode,
    DonorName,
    DonorAccessionNumber,
    OriginCountry,
    CollectingSite,
    Latitude,
    Longitude,
    CoordinateUncertaintyM,
    ElevationM,
    CollectingDate,
    BiologicalStatus,
    Available,
    AvailabilityNote,
    MlsStatus,
    RiskGroup,
    NagoyaStatus,
    ConsentScope,
    Status,
    DeaccessionReason,
    DeaccessionedAt,
    Remarks,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum AccessionPlant {
    Table,
    AccessionId,
    Puid,
    CollectingNumber,
    CollectingInstituteCodes,
    CollectingInstituteName,
    CollectingInstituteAddress,
    CollectingMissionId,
    BredInstituteCodes,
    BredInstituteName,
    AncestralData,
    OtherNumbers,
    SafetyDuplicateSites,
    SafetyDuplicateInstituteNames,
    StorageTypes,
    CoordinateDatum,
    GeoreferenceMethod,
    AccessionUrl,
    SeedStorageBehaviour,
    ThousandSeedWeightG,
    Pdci,
}

#[derive(DeriveIden)]
enum AccessionStrain {
    Table,
    AccessionId,
    StrainDesignation,
    OtherCollectionNumbers,
    OrganismType,
    TypeStrain,
    IsolationSource,
    IsolationDate,
    Depositor,
    DepositHistory,
    GrowthMedium,
    GrowthTemperatureC,
    Atmosphere,
    FormOfSupply,
    SequenceAccessions,
    Literature,
}

#[derive(DeriveIden)]
enum AccessionCellLine {
    Table,
    AccessionId,
    CellosaurusAccession,
    Synonyms,
    Organism,
    Tissue,
    Disease,
    Sex,
    AgeAtSampling,
    Category,
    CultureMedium,
    PassageAtBanking,
    BankLevel,
    StrProfile,
    KnownProblems,
}

#[derive(DeriveIden)]
enum AccessionSpecimen {
    Table,
    AccessionId,
    DonorCode,
    SampleSource,
    SpecimenType,
    AnatomicalSite,
    Diagnosis,
    CollectionDatetime,
    SprecCode,
    ConsentStatus,
    ConsentScope,
    EthicsReference,
}

#[derive(DeriveIden)]
enum AccessionAnimal {
    Table,
    AccessionId,
    Breed,
    GermplasmType,
    AnimalSex,
    DonorAnimalId,
    Sire,
    Dam,
    CollectionDate,
    CollectionSite,
}

#[derive(DeriveIden)]
enum StorageUnits {
    Table,
    Id,
    ParentId,
    Kind,
    EquipmentType,
    Name,
    Barcode,
    TemperatureC,
    HumidityPct,
    GridRows,
    GridCols,
    PositionLabels,
    Capacity,
    Notes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Samples {
    Table,
    Id,
    AccessionId,
    LabelCode,
    ParentSampleId,
    Generation,
    Passage,
    Form,
    Quantity,
    ReservedQuantity,
    Unit,
    ConservationPurpose,
    StorageUnitId,
    Position,
    Status,
    FreezeThawCount,
    MoisturePct,
    BankedOn,
    Notes,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ViabilityTests {
    Table,
    Id,
    SampleId,
    TestType,
    TestedOn,
    Replicates,
    SeedsPerReplicate,
    Substrate,
    TemperatureRegime,
    LightHours,
    PrechillDays,
    CountDays,
    Normal,
    Abnormal,
    Dormant,
    Dead,
    ResultPct,
    Passed,
    Conclusive,
    Method,
    Details,
    TesterId,
    Notes,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ViabilityTestReplicates {
    Table,
    Id,
    ViabilityTestId,
    ReplicateNo,
    Normal,
    Abnormal,
    Dormant,
    Dead,
}

#[derive(DeriveIden)]
enum Requests {
    Table,
    Id,
    RequestNumber,
    RequesterId,
    RecipientInstitutionId,
    ShippingAddress,
    IntendedUse,
    ProjectDescription,
    Status,
    CuratorId,
    RejectionReason,
    CancelReason,
    CreatedAt,
    UpdatedAt,
    SubmittedAt,
    ReviewedAt,
    DecidedAt,
    MtaAcceptedAt,
    PickingStartedAt,
    ShippedAt,
    ReceivedAt,
    ClosedAt,
    CancelledAt,
}

#[derive(DeriveIden)]
enum RequestItems {
    Table,
    Id,
    RequestId,
    AccessionId,
    QuantityRequested,
    Unit,
    QuantityApproved,
    Status,
    CuratorNote,
}

#[derive(DeriveIden)]
enum RequestItemSamples {
    Table,
    Id,
    RequestItemId,
    SampleId,
    QuantityReserved,
    PickedAt,
    PickedBy,
}

#[derive(DeriveIden)]
enum RequestDocuments {
    Table,
    Id,
    RequestId,
    DocType,
    Filename,
    ContentType,
    SizeBytes,
    Sha256,
    Data,
    UploadedBy,
    UploadedAt,
}

#[derive(DeriveIden)]
enum RequestMessages {
    Table,
    Id,
    RequestId,
    AuthorId,
    Body,
    CreatedAt,
}

#[derive(DeriveIden)]
enum MtaTemplates {
    Table,
    Id,
    Name,
    Kind,
    Version,
    Language,
    Body,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Mtas {
    Table,
    Id,
    RequestId,
    TemplateId,
    TemplateKind,
    PdfSha256,
    AcceptanceType,
    AcceptedBy,
    AcceptedAt,
    AcceptanceIp,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Shipments {
    Table,
    Id,
    RequestId,
    Carrier,
    TrackingNumber,
    ShippedBy,
    ShippedAt,
    ReceivedAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Feedback {
    Table,
    Id,
    RequestId,
    Rating,
    Comment,
    CreatedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    RequestId,
    MessageKey,
    MessageArgs,
    CreatedAt,
    ReadAt,
}

#[derive(DeriveIden)]
enum LedgerEntries {
    Table,
    Id,
    SampleId,
    Delta,
    Unit,
    Reason,
    BalanceAfter,
    RequestId,
    ViabilityTestId,
    ActorId,
    Note,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SampleEvents {
    Table,
    Id,
    SampleId,
    Kind,
    FromStorageUnitId,
    FromPosition,
    ToStorageUnitId,
    ToPosition,
    ActorId,
    Note,
    DueBackAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ActorId,
    ActorName,
    Action,
    TableName,
    RowId,
    BeforeJson,
    AfterJson,
    ClientIp,
    CreatedAt,
}
