//! The standards downloads by file name, so that the exports page, the API and the command
//! line produce exactly the same files.

use sea_orm::ConnectionTrait;

use super::{dwca, export, gcm, miabis, pid_registration, public_records};
use crate::error::{AppError, AppResult};

/// One downloadable export.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportKind {
    Mcpd,
    Dwca,
    MiabisJson,
    MiabisCollectionsCsv,
    MiabisSamplesCsv,
    Gcm,
    Identifiers,
}

impl ExportKind {
    /// Every export, in the order the page lists them.
    pub const ALL: [ExportKind; 7] = [
        ExportKind::Mcpd,
        ExportKind::Dwca,
        ExportKind::MiabisJson,
        ExportKind::MiabisCollectionsCsv,
        ExportKind::MiabisSamplesCsv,
        ExportKind::Gcm,
        ExportKind::Identifiers,
    ];

    /// The file name in the download address and in `Content-Disposition`.
    pub fn file_name(self) -> &'static str {
        match self {
            ExportKind::Mcpd => "mcpd.csv",
            ExportKind::Dwca => "dwca.zip",
            ExportKind::MiabisJson => "miabis.json",
            ExportKind::MiabisCollectionsCsv => "miabis-collections.csv",
            ExportKind::MiabisSamplesCsv => "miabis-samples.csv",
            ExportKind::Gcm => "gcm.csv",
            ExportKind::Identifiers => "identifiers.csv",
        }
    }

    /// The catalog key of the export's name on the page.
    pub fn label_key(self) -> &'static str {
        match self {
            ExportKind::Mcpd => "std.mcpd",
            ExportKind::Dwca => "std.dwca",
            ExportKind::MiabisJson => "std.miabis_json",
            ExportKind::MiabisCollectionsCsv => "std.miabis_collections",
            ExportKind::MiabisSamplesCsv => "std.miabis_samples",
            ExportKind::Gcm => "std.gcm",
            ExportKind::Identifiers => "std.identifiers",
        }
    }

    /// The media type (type, subtype).
    pub fn media_type(self) -> (&'static str, &'static str) {
        match self {
            ExportKind::Dwca => ("application", "zip"),
            ExportKind::MiabisJson => ("application", "json"),
            _ => ("text", "csv"),
        }
    }

    /// The export named by a download address.
    pub fn from_file_name(name: &str) -> AppResult<ExportKind> {
        ExportKind::ALL
            .into_iter()
            .find(|k| k.file_name() == name)
            .ok_or_else(|| {
                AppError::bad(
                    "format",
                    format!(
                        "format: '{}' is not an export; choose one of {}",
                        name.chars().take(60).collect::<String>(),
                        ExportKind::ALL.map(|k| k.file_name()).join(", ")
                    ),
                )
            })
    }
}

/// Who publishes: the repository's institute code, name and address.
#[derive(Debug, Clone)]
pub struct Publisher {
    pub institute_code: String,
    pub institute_name: String,
    pub base_url: String,
}

impl Publisher {
    /// The publisher for the configured institute code and base URL.
    pub async fn of<C: ConnectionTrait>(
        conn: &C,
        institute_code: &str,
        base_url: &str,
    ) -> AppResult<Publisher> {
        Ok(Publisher {
            institute_code: institute_code.to_string(),
            institute_name: public_records::institute_name(conn, institute_code).await?,
            base_url: base_url.trim_end_matches('/').to_string(),
        })
    }

    fn biobank(&self) -> miabis::Biobank {
        miabis::Biobank {
            institute_code: self.institute_code.clone(),
            name: self.institute_name.clone(),
            base_url: self.base_url.clone(),
        }
    }
}

/// An export's bytes and how many records went into it.
pub struct ExportFile {
    pub kind: ExportKind,
    pub bytes: Vec<u8>,
    pub records: usize,
}

/// Produces one export.
pub async fn produce<C: ConnectionTrait>(
    conn: &C,
    publisher: &Publisher,
    kind: ExportKind,
) -> AppResult<ExportFile> {
    let (bytes, records) = match kind {
        ExportKind::Mcpd => {
            let (text, n) = export::export_mcpd(conn).await?;
            (text.into_bytes(), n)
        }
        ExportKind::Dwca => {
            let dataset = dwca::Dataset {
                institute_code: publisher.institute_code.clone(),
                institute_name: publisher.institute_name.clone(),
                base_url: publisher.base_url.clone(),
                published_on: chrono::Utc::now().date_naive(),
            };
            let archive = dwca::export_dwca(conn, &dataset).await?;
            (archive.bytes, archive.occurrences)
        }
        ExportKind::MiabisJson => {
            let doc = miabis::export_miabis(conn, &publisher.biobank()).await?;
            let bytes = serde_json::to_vec_pretty(&doc)
                .map_err(|e| AppError::Internal(format!("writing MIABIS JSON: {e}")))?;
            (bytes, doc.samples.len())
        }
        ExportKind::MiabisCollectionsCsv => {
            let doc = miabis::export_miabis(conn, &publisher.biobank()).await?;
            (
                miabis::collections_csv(&doc)?.into_bytes(),
                doc.collections.len(),
            )
        }
        ExportKind::MiabisSamplesCsv => {
            let doc = miabis::export_miabis(conn, &publisher.biobank()).await?;
            (miabis::samples_csv(&doc)?.into_bytes(), doc.samples.len())
        }
        ExportKind::Gcm => {
            let (text, n) = gcm::export_gcm(conn).await?;
            (text.into_bytes(), n)
        }
        ExportKind::Identifiers => {
            let (text, n) = pid_registration::registration_csv(conn, publisher).await?;
            (text.into_bytes(), n)
        }
    };
    Ok(ExportFile {
        kind,
        bytes,
        records,
    })
}
