//! Database migrations for the biobank.
//!
//! ```ignore
//! use migrations::{Migrator, MigratorTrait};
//! Migrator::up(&db, None).await?;
//! ```

pub use sea_orm_migration::prelude::*;

mod m20261125_000001_initial_schema;
mod m20261125_000002_viability;
mod m20261125_000003_storage;
mod m20261126_000001_identifier_registrations;
mod m20261126_000010_mta_documents;

pub struct Migrator;

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261125_000001_initial_schema::Migration),
            Box::new(m20261125_000002_viability::Migration),
            Box::new(m20261125_000003_storage::Migration),
            Box::new(m20261126_000001_identifier_registrations::Migration),
            Box::new(m20261126_000010_mta_documents::Migration),
        ]
    }
}
