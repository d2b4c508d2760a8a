//! The public catalog: what a visitor may search and see (public fields only, never donor or
//! restricted data), with facet counts for the filters.

use sea_orm::sea_query::{Expr, ExprTrait, Func};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde::Serialize;

use entities::accession;

use super::Page;
use crate::domain::material::{AccessionStatus, MaterialType};
use crate::error::AppResult;

/// The most URLs one sitemap file may hold (sitemaps.org).
pub const SITEMAP_MAX_URLS: u64 = 50_000;

/// The catalog's filters (all optional).
#[derive(Debug, Clone, Default)]
pub struct CatalogFilter {
    /// Taxon, name or accession number contains (or the exact identifier).
    pub q: Option<String>,
    pub material_type: Option<MaterialType>,
    /// ISO 3166-1 alpha-3 country of origin.
    pub origin_country: Option<String>,
    /// MCPD biological status code.
    pub biological_status: Option<String>,
    pub available: Option<bool>,
}

/// One accession as the public sees it in a list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CatalogRow {
    pub id: i64,
    pub pid: String,
    pub institute_code: String,
    pub accession_number: String,
    pub material_type: String,
    pub taxon_name: String,
    pub accession_names: Option<String>,
    pub origin_country: Option<String>,
    pub biological_status: Option<String>,
    pub available: bool,
}

impl From<accession::Model> for CatalogRow {
    fn from(a: accession::Model) -> Self {
        CatalogRow {
            id: a.id,
            pid: a.pid,
            institute_code: a.institute_code,
            accession_number: a.accession_number,
            material_type: a.material_type,
            taxon_name: a.taxon_name,
            accession_names: a.accession_names,
            origin_country: a.origin_country,
            biological_status: a.biological_status,
            available: a.available,
        }
    }
}

/// How many matching accessions carry each value of one facet.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Facets {
    pub material_type: Vec<(String, i64)>,
    pub origin_country: Vec<(String, i64)>,
    pub biological_status: Vec<(String, i64)>,
    pub available: Vec<(String, i64)>,
}

fn like_contains(q: &str) -> sea_orm::sea_query::LikeExpr {
    let escaped = q
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// The public, not-deaccessioned accessions matching the filter.
fn filtered(filter: &CatalogFilter) -> Select<accession::Entity> {
    use accession::Column as A;
    let mut q =
        accession::Entity::find().filter(A::Status.ne(AccessionStatus::Deaccessioned.as_str()));
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let lower = |c: A| Expr::expr(Func::lower(Expr::col(c)));
        q = q.filter(
            sea_orm::Condition::any()
                .add(lower(A::TaxonName).like(like_contains(text)))
                .add(lower(A::AccessionNumber).like(like_contains(text)))
                .add(lower(A::AccessionNames).like(like_contains(text)))
                .add(lower(A::CropName).like(like_contains(text)))
                .add(A::Pid.eq(text)),
        );
    }
    if let Some(t) = filter.material_type {
        q = q.filter(A::MaterialType.eq(t.as_str()));
    }
    if let Some(c) = &filter.origin_country {
        q = q.filter(A::OriginCountry.eq(c.clone()));
    }
    if let Some(b) = &filter.biological_status {
        q = q.filter(A::BiologicalStatus.eq(b.clone()));
    }
    if let Some(a) = filter.available {
        q = q.filter(A::Available.eq(a));
    }
    q
}

async fn facet<C: ConnectionTrait>(
    conn: &C,
    filter: &CatalogFilter,
    col: accession::Column,
) -> AppResult<Vec<(String, i64)>> {
    let rows: Vec<(Option<String>, i64)> = filtered(filter)
        .select_only()
        .column(col)
        .column_as(Expr::col(accession::Column::Id).count(), "n")
        .group_by(col)
        .order_by_asc(col)
        .into_tuple()
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(v, n)| v.map(|v| (v, n)))
        .collect())
}

/// Searches the public catalog, with a page of rows and the facet counts for the filter.
pub async fn search<C: ConnectionTrait>(
    conn: &C,
    filter: &CatalogFilter,
    page: u64,
    per_page: u64,
) -> AppResult<(Page<CatalogRow>, Facets)> {
    use accession::Column as A;
    let paginator = filtered(filter)
        .order_by_asc(A::TaxonName)
        .order_by_asc(A::Id)
        .paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = paginator
        .fetch_page(page.saturating_sub(1))
        .await?
        .into_iter()
        .map(CatalogRow::from)
        .collect();
    let available: Vec<(bool, i64)> = filtered(filter)
        .select_only()
        .column(A::Available)
        .column_as(Expr::col(A::Id).count(), "n")
        .group_by(A::Available)
        .into_tuple()
        .all(conn)
        .await?;
    let facets = Facets {
        material_type: facet(conn, filter, A::MaterialType).await?,
        origin_country: facet(conn, filter, A::OriginCountry).await?,
        biological_status: facet(conn, filter, A::BiologicalStatus).await?,
        available: available
            .into_iter()
            .map(|(a, n)| (if a { "yes" } else { "no" }.to_string(), n))
            .collect(),
    };
    Ok((
        Page {
            items,
            total,
            page,
            per_page,
        },
        facets,
    ))
}

/// The identifiers of public accessions for the sitemap, at most [`SITEMAP_MAX_URLS`].
pub async fn sitemap_pids<C: ConnectionTrait>(conn: &C) -> AppResult<Vec<String>> {
    Ok(filtered(&CatalogFilter::default())
        .select_only()
        .column(accession::Column::Pid)
        .order_by_asc(accession::Column::Id)
        .limit(SITEMAP_MAX_URLS)
        .into_tuple()
        .all(conn)
        .await?)
}
