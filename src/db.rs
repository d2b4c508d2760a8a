//! Opening the database: SQLite (WAL, busy timeout, a small pool) or PostgreSQL.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{ConnectOptions, Database, DatabaseConnection, DbBackend, DbErr};

/// Normalises a user-written database URL: a bare `sqlite:` file gets `mode=rwc` so the file
/// is created on first start.
pub fn normalise_url(url: &str) -> String {
    if url.starts_with("sqlite:") && !url.contains("mode=") && !url.contains(":memory:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        format!("{url}{sep}mode=rwc")
    } else {
        url.to_string()
    }
}

/// Connects with options that suit each backend.
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbErr> {
    connect_in_schema(url, None).await
}

/// Connects, and on PostgreSQL works inside the given schema (tests isolate themselves so).
pub async fn connect_in_schema(
    url: &str,
    schema: Option<&str>,
) -> Result<DatabaseConnection, DbErr> {
    let url = normalise_url(url);
    let mut opts = ConnectOptions::new(url.clone());
    opts.sqlx_logging(false)
        .acquire_timeout(Duration::from_secs(30))
        .connect_timeout(Duration::from_secs(10));
    if url.starts_with("sqlite:") {
        // An in-memory database exists per connection, so it gets exactly one.
        let in_memory = url.contains(":memory:") || url.contains("mode=memory");
        opts.max_connections(if in_memory { 1 } else { 8 })
            .min_connections(1)
            .map_sqlx_sqlite_opts(|o| {
                o.journal_mode(SqliteJournalMode::Wal)
                    .synchronous(SqliteSynchronous::Normal)
                    .busy_timeout(Duration::from_secs(10))
                    .foreign_keys(true)
            });
        if in_memory {
            // Keep the single connection alive: dropping it would drop the database.
            opts.idle_timeout(None).max_lifetime(None);
        }
    } else {
        opts.max_connections(16).min_connections(1);
        if let Some(schema) = schema {
            opts.set_schema_search_path(schema);
        }
    }
    Database::connect(opts).await
}

/// Applies pending migrations.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbErr> {
    Migrator::up(db, None).await
}

/// `sqlite` or `postgres`, as `/health` reports it.
pub fn backend_name(db: &DatabaseConnection) -> &'static str {
    match db.get_database_backend() {
        DbBackend::Postgres => "postgres",
        DbBackend::Sqlite => "sqlite",
        _ => "other",
    }
}
