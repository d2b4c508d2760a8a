//! SeaORM entities for the biobank schema (see the `migrations` crate).
//!
//! One module per table; module names are the singular of the table name.

pub mod accession;
pub mod accession_animal;
pub mod accession_cell_line;
pub mod accession_plant;
pub mod accession_specimen;
pub mod accession_strain;
pub mod api_token;
pub mod app_setting;
pub mod audit_log;
pub mod feedback;
pub mod identifier_registration;
pub mod institution;
pub mod ledger_entry;
pub mod login_throttle;
pub mod mta;
pub mod mta_template;
pub mod notification;
pub mod request;
pub mod request_document;
pub mod request_item;
pub mod request_item_sample;
pub mod request_message;
pub mod sample;
pub mod sample_event;
pub mod shipment;
pub mod species_viability_constant;
pub mod storage_unit;
pub mod user;
pub mod user_session;
pub mod viability_policy;
pub mod viability_test;
pub mod viability_test_replicate;

/// Entity types under the (PascalCase) table names, e.g. `Users`, `Accessions`.
pub mod prelude {
    pub use super::accession::Entity as Accessions;
    pub use super::accession_animal::Entity as AccessionAnimal;
    pub use super::accession_cell_line::Entity as AccessionCellLine;
    pub use super::accession_plant::Entity as AccessionPlant;
    pub use super::accession_specimen::Entity as AccessionSpecimen;
    pub use super::accession_strain::Entity as AccessionStrain;
    pub use super::api_token::Entity as ApiTokens;
    pub use super::app_setting::Entity as AppSettings;
    pub use super::audit_log::Entity as AuditLog;
    pub use super::feedback::Entity as Feedback;
    pub use super::institution::Entity as Institutions;
    pub use super::ledger_entry::Entity as LedgerEntries;
    pub use super::login_throttle::Entity as LoginThrottle;
    pub use super::mta::Entity as Mtas;
    pub use super::mta_template::Entity as MtaTemplates;
    pub use super::notification::Entity as Notifications;
    pub use super::request::Entity as Requests;
    pub use super::request_document::Entity as RequestDocuments;
    pub use super::request_item::Entity as RequestItems;
    pub use super::request_item_sample::Entity as RequestItemSamples;
    pub use super::request_message::Entity as RequestMessages;
    pub use super::sample::Entity as Samples;
    pub use super::sample_event::Entity as SampleEvents;
    pub use super::shipment::Entity as Shipments;
    pub use super::species_viability_constant::Entity as SpeciesViabilityConstants;
    pub use super::storage_unit::Entity as StorageUnits;
    pub use super::user::Entity as Users;
    pub use super::user_session::Entity as UserSessions;
    pub use super::viability_policy::Entity as ViabilityPolicies;
    pub use super::viability_test::Entity as ViabilityTests;
    pub use super::viability_test_replicate::Entity as ViabilityTestReplicates;
}
