//! Query-string parsing shared by pages and the API. Values arrive as text and are checked
//! here, so a malformed query gets a 400 naming the parameter instead of a silent default.

use std::str::FromStr;

use rocket::form::FromForm;

use crate::domain::material::{AccessionStatus, MaterialType};
use crate::error::{AppError, AppResult};
use crate::services::accessions::{AccessionFilter, SORTABLE};

/// The largest page a list serves.
pub const MAX_PER_PAGE: u64 = 200;

/// `?page=&per_page=` as typed.
#[derive(Debug, Default, FromForm)]
pub struct Paging {
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn parse_positive(name: &str, v: Option<&str>, default: u64, max: u64) -> AppResult<u64> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(default),
        Some(s) => match s.parse::<u64>() {
            Ok(n) if (1..=max).contains(&n) => Ok(n),
            _ => Err(AppError::bad(
                name,
                format!("{name}: must be a whole number from 1 to {max}, got '{s}'"),
            )),
        },
    }
}

impl Paging {
    /// (page, per_page), 1-based.
    pub fn parse(&self, default_per_page: u64) -> AppResult<(u64, u64)> {
        Ok((
            parse_positive("page", self.page.as_deref(), 1, 1_000_000)?,
            parse_positive(
                "per_page",
                self.per_page.as_deref(),
                default_per_page,
                MAX_PER_PAGE,
            )?,
        ))
    }
}

/// The accession list's filters as typed.
#[derive(Debug, Default, FromForm)]
pub struct AccessionQuery {
    pub q: Option<String>,
    pub material_type: Option<String>,
    pub status: Option<String>,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn opt_enum<T: FromStr<Err = crate::domain::ParseEnumError>>(
    name: &str,
    v: &Option<String>,
) -> AppResult<Option<T>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => T::from_str(s)
            .map(Some)
            .map_err(|e| AppError::bad(name, format!("{name}: {e}"))),
    }
}

impl AccessionQuery {
    /// The service filter and the page wanted.
    pub fn parse(&self) -> AppResult<(AccessionFilter, u64, u64)> {
        let q = self.q.as_deref().map(str::trim).filter(|s| !s.is_empty());
        if let Some(q) = q {
            crate::domain::text::check_text("q", q, 200)
                .map_err(|e| AppError::bad("q", e.message))?;
        }
        let sort = match self.sort.as_deref().filter(|s| !s.is_empty()) {
            None => None,
            Some(s) if SORTABLE.contains(&s) => Some(s.to_string()),
            Some(s) => {
                return Err(AppError::bad(
                    "sort",
                    format!("sort: '{s}' is not one of {}", SORTABLE.join(", ")),
                ));
            }
        };
        let descending = match self.dir.as_deref() {
            None | Some("") | Some("asc") => false,
            Some("desc") => true,
            Some(d) => {
                return Err(AppError::bad(
                    "dir",
                    format!("dir: '{d}' must be asc or desc"),
                ));
            }
        };
        let filter = AccessionFilter {
            q: q.map(str::to_string),
            material_type: opt_enum::<MaterialType>("material_type", &self.material_type)?,
            status: opt_enum::<AccessionStatus>("status", &self.status)?,
            sort,
            descending,
        };
        let (page, per_page) = Paging {
            page: self.page.clone(),
            per_page: self.per_page.clone(),
        }
        .parse(25)?;
        Ok((filter, page, per_page))
    }

    /// The same query as a query string with another page number (for pager links).
    pub fn with_page(&self, page: u64) -> String {
        let mut parts = vec![format!("page={page}")];
        for (k, v) in [
            ("q", &self.q),
            ("material_type", &self.material_type),
            ("status", &self.status),
            ("sort", &self.sort),
            ("dir", &self.dir),
            ("per_page", &self.per_page),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                parts.push(format!("{k}={}", super::pages::url_encode(v)));
            }
        }
        format!("?{}", parts.join("&"))
    }
}
