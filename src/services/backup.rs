//! Online backups of the embedded SQLite database, and putting one back.
//!
//! `VACUUM INTO` writes a consistent snapshot (one read transaction) to a new file while the
//! server keeps serving: writers are not blocked in WAL mode, and the copy is compact and has no
//! write-ahead log of its own. PostgreSQL has `pg_dump` for this, which the README documents.

use std::path::{Path, PathBuf};

use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};
use serde::Serialize;

use crate::error::{AppError, AppResult};

/// What a backup (or a restore) holds, so the operator can see it is the data they expect.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Contents {
    pub accessions: i64,
    pub samples: i64,
    pub ledger_entries: i64,
    pub audit_records: i64,
}

impl std::fmt::Display for Contents {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} accessions, {} samples, {} ledger entries, {} audit records",
            self.accessions, self.samples, self.ledger_entries, self.audit_records
        )
    }
}

/// Counts what a database holds.
pub async fn contents<C: ConnectionTrait>(conn: &C) -> AppResult<Contents> {
    let count = |table: &'static str| async move {
        let row = conn
            .query_one_raw(Statement::from_string(
                conn.get_database_backend(),
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await?
            .ok_or_else(|| AppError::Internal(format!("no count for {table}")))?;
        Ok::<i64, AppError>(row.try_get("", "n")?)
    };
    Ok(Contents {
        accessions: count("accessions").await?,
        samples: count("samples").await?,
        ledger_entries: count("ledger_entries").await?,
        audit_records: count("audit_log").await?,
    })
}

/// Writes a consistent copy of the running SQLite database to `out` (which must not exist yet)
/// and checks the copy before saying it is done.
pub async fn backup(db: &DatabaseConnection, out: &Path) -> AppResult<Contents> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return Err(AppError::conflict(
            "database",
            "this database is PostgreSQL: back it up with pg_dump \
             (pg_dump -Fc DBNAME > biobank.dump; see the README)",
        ));
    }
    if out.exists() {
        return Err(AppError::conflict(
            "out",
            format!("{} already exists; choose a new file name", out.display()),
        ));
    }
    let target = out.to_str().ok_or_else(|| {
        AppError::invalid("out", "invalid_path", "out: the path is not valid UTF-8")
    })?;
    db.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "VACUUM INTO ?",
        [target.into()],
    ))
    .await
    .map_err(|e| AppError::conflict("out", format!("cannot write {}: {e}", out.display())))?;
    verify(out).await
}

/// Opens a backup file read-only, checks its integrity and that it is a biobank database, and
/// counts what it holds.
pub async fn verify(file: &Path) -> AppResult<Contents> {
    if !file.is_file() {
        return Err(AppError::invalid(
            "file",
            "not_found",
            format!("{} does not exist", file.display()),
        ));
    }
    let url = format!("sqlite://{}?mode=ro", file.display());
    let copy = sea_orm::Database::connect(url.as_str())
        .await
        .map_err(|e| {
            AppError::invalid(
                "file",
                "unreadable",
                format!("{} cannot be opened as a database: {e}", file.display()),
            )
        })?;
    let not_ours = |why: String| {
        AppError::invalid(
            "file",
            "not_a_backup",
            format!("{} is not a usable biobank backup: {why}", file.display()),
        )
    };
    let check = copy
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "PRAGMA integrity_check",
        ))
        .await
        .map_err(|e| not_ours(e.to_string()))?
        .and_then(|r| r.try_get_by_index::<String>(0).ok())
        .unwrap_or_default();
    if check != "ok" {
        return Err(not_ours(format!("integrity check says '{check}'")));
    }
    let found = contents(&copy)
        .await
        .map_err(|e| not_ours(e.public_message()));
    let _ = copy.close().await;
    found
}

/// Puts a verified backup in place of the SQLite database at `database_url`. The server must be
/// stopped: the copy goes to a temporary file beside the database and is renamed over it, and
/// the old write-ahead log is removed so it cannot be replayed onto the restored file.
pub async fn restore(database_url: &str, from: &Path) -> AppResult<Contents> {
    let Some(target) = sqlite_path(database_url) else {
        return Err(AppError::conflict(
            "database",
            "restore is for the embedded SQLite database; for PostgreSQL use pg_restore \
             (see the README)",
        ));
    };
    let found = verify(from).await?;
    let staging = target.with_extension("restoring");
    std::fs::copy(from, &staging).map_err(|e| {
        AppError::conflict("file", format!("cannot write {}: {e}", staging.display()))
    })?;
    for suffix in ["-wal", "-shm"] {
        let mut side = target.clone().into_os_string();
        side.push(suffix);
        let _ = std::fs::remove_file(side);
    }
    std::fs::rename(&staging, &target).map_err(|e| {
        AppError::conflict("file", format!("cannot replace {}: {e}", target.display()))
    })?;
    Ok(found)
}

/// The file behind a SQLite URL (`sqlite://biobank.db?mode=rwc` → `biobank.db`).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url.strip_prefix("sqlite:")?;
    let rest = rest.strip_prefix("//").unwrap_or(rest);
    let path = rest.split('?').next()?;
    (!path.is_empty() && !path.contains(":memory:")).then(|| PathBuf::from(path))
}

#[cfg(test)]
mod tests {
    use super::sqlite_path;
    use std::path::PathBuf;

    #[test]
    fn the_database_file_is_read_from_its_url() {
        assert_eq!(
            sqlite_path("sqlite://biobank.db?mode=rwc"),
            Some(PathBuf::from("biobank.db"))
        );
        assert_eq!(
            sqlite_path("sqlite:///var/lib/biobank/bb.db"),
            Some(PathBuf::from("/var/lib/biobank/bb.db"))
        );
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://postgres@localhost/biobank"), None);
    }
}
