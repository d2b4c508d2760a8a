//! BrAPI v2.1 Germplasm module, read-only and public: plant accessions as germplasm (and in
//! MCPD form), their samples as seed lots and the ledger as seed-lot transactions. Every
//! object carries every key the official schemas require (null where the registry has no
//! value), and only public fields, so an anonymous breeding tool sees what the catalog shows.

mod objects;

use std::collections::HashMap;

use sea_orm::sea_query::{Expr, ExprTrait, Func, Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};
use serde_json::Value;

use entities::{accession, accession_plant, institution, ledger_entry, sample, storage_unit};

use super::public_records::{self, PublicRecord};
use crate::domain::material::{AccessionStatus, MaterialType};
use crate::error::{AppError, AppResult};
pub use objects::{CALLS, server_info};
use objects::{germplasm_json, mcpd_json, seed_lot_json, transaction_json};

/// The largest page BrAPI serves (also its default).
pub const MAX_PAGE_SIZE: u64 = 1000;

/// A 0-based page as BrAPI asks for it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageRequest {
    pub page: u64,
    pub page_size: u64,
}

/// One page of results with the total count.
#[derive(Debug, Clone)]
pub struct Listed {
    pub data: Vec<Value>,
    pub total: u64,
    pub page: PageRequest,
}

/// Who serves the data: the repository's code, name and address.
#[derive(Debug, Clone)]
pub struct Server {
    pub institute_code: String,
    pub institute_name: String,
    pub base_url: String,
}

/// The germplasm list's filters (all optional, ANDed).
#[derive(Debug, Clone, Default)]
pub struct GermplasmFilter {
    pub germplasm_db_id: Option<String>,
    pub germplasm_name: Option<String>,
    pub germplasm_pui: Option<String>,
    pub accession_number: Option<String>,
    pub common_crop_name: Option<String>,
    pub genus: Option<String>,
    pub species: Option<String>,
    pub synonym: Option<String>,
}

/// The seed-lot list's filters.
#[derive(Debug, Clone, Default)]
pub struct SeedLotFilter {
    pub seed_lot_db_id: Option<String>,
    pub germplasm_db_id: Option<String>,
}

/// The transaction list's filters.
#[derive(Debug, Clone, Default)]
pub struct TransactionFilter {
    pub transaction_db_id: Option<String>,
    pub seed_lot_db_id: Option<String>,
    pub germplasm_db_id: Option<String>,
}

fn plant_types() -> Vec<MaterialType> {
    MaterialType::ALL
        .iter()
        .copied()
        .filter(|t| t.is_plant())
        .collect()
}

/// A database id from a BrAPI DbId; anything else matches nothing.
fn db_id(s: &str) -> Option<i64> {
    s.trim().parse::<i64>().ok().filter(|id| *id > 0)
}

/// An id filter: `Some(None)` when given but not an id (so nothing matches).
fn id_filter(v: &Option<String>) -> Option<Option<i64>> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(db_id)
}

fn text_filter(v: &Option<String>) -> Option<String> {
    v.as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
}

fn like_contains(q: &str) -> sea_orm::sea_query::LikeExpr {
    let escaped = q
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    sea_orm::sea_query::LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

fn lower(col: impl sea_orm::sea_query::IntoColumnRef) -> Expr {
    Expr::expr(Func::lower(Expr::col(col)))
}

/// Ids of the plant accessions still held.
fn held_plant_ids() -> SelectStatement {
    Query::select()
        .column(accession::Column::Id)
        .from(accession::Entity)
        .and_where(accession::Column::MaterialType.is_in(plant_types().iter().map(|t| t.as_str())))
        .and_where(accession::Column::Status.ne(AccessionStatus::Deaccessioned.as_str()))
        .to_owned()
}

/// Samples gone from the repository are no longer seed lots.
const GONE: [&str; 2] = ["discarded", "distributed"];

/// Ids of the seed lots visible through BrAPI.
fn visible_lot_ids() -> SelectStatement {
    Query::select()
        .column(sample::Column::Id)
        .from(sample::Entity)
        .and_where(sample::Column::Status.is_not_in(GONE))
        .and_where(sample::Column::AccessionId.in_subquery(held_plant_ids()))
        .to_owned()
}

async fn page_of<C, E>(
    conn: &C,
    select: Select<E>,
    page: PageRequest,
) -> AppResult<(Vec<E::Model>, u64)>
where
    C: ConnectionTrait,
    E: EntityTrait,
    E::Model: Sync,
{
    let paginator = select.paginate(conn, page.page_size);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page.page).await?;
    Ok((rows, total))
}

/// Institution names by code, for `instituteName`.
async fn institute_names<C: ConnectionTrait>(conn: &C) -> AppResult<HashMap<String, String>> {
    Ok(institution::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .filter_map(|i| i.code.map(|c| (c, i.name)))
        .collect())
}

fn germplasm_select(filter: &GermplasmFilter) -> Select<accession::Entity> {
    use accession::Column as A;
    let mut q = public_records::still_held(&plant_types());
    if let Some(id) = id_filter(&filter.germplasm_db_id) {
        q = q.filter(A::Id.eq(id.unwrap_or(0)));
    }
    if let Some(name) = text_filter(&filter.germplasm_name) {
        q = q.filter(
            sea_orm::Condition::any()
                .add(lower(A::AccessionNames).like(like_contains(&name)))
                .add(A::AccessionNumber.eq(name)),
        );
    }
    if let Some(pui) = text_filter(&filter.germplasm_pui) {
        let by_puid = Query::select()
            .column(accession_plant::Column::AccessionId)
            .from(accession_plant::Entity)
            .and_where(accession_plant::Column::Puid.eq(pui.clone()))
            .to_owned();
        q = q.filter(
            sea_orm::Condition::any()
                .add(A::Pid.eq(pui))
                .add(A::Id.in_subquery(by_puid)),
        );
    }
    if let Some(n) = text_filter(&filter.accession_number) {
        q = q.filter(A::AccessionNumber.eq(n));
    }
    if let Some(c) = text_filter(&filter.common_crop_name) {
        q = q.filter(lower(A::CropName).eq(c.to_lowercase()));
    }
    if let Some(g) = text_filter(&filter.genus) {
        q = q.filter(lower(A::Genus).eq(g.to_lowercase()));
    }
    if let Some(s) = text_filter(&filter.species) {
        q = q.filter(lower(A::Species).eq(s.to_lowercase()));
    }
    if let Some(s) = text_filter(&filter.synonym) {
        let by_number = Query::select()
            .column(accession_plant::Column::AccessionId)
            .from(accession_plant::Entity)
            .and_where(lower(accession_plant::Column::OtherNumbers).like(like_contains(&s)))
            .to_owned();
        q = q.filter(
            sea_orm::Condition::any()
                .add(lower(A::AccessionNames).like(like_contains(&s)))
                .add(A::Id.in_subquery(by_number)),
        );
    }
    q
}

/// A page of germplasm matching the filter.
pub async fn germplasm<C: ConnectionTrait>(
    conn: &C,
    server: &Server,
    filter: &GermplasmFilter,
    page: PageRequest,
) -> AppResult<Listed> {
    let (cores, total) = page_of(conn, germplasm_select(filter), page).await?;
    let names = institute_names(conn).await?;
    let data = public_records::of_cores(conn, cores)
        .await?
        .iter()
        .map(|r| germplasm_json(r, server, &names))
        .collect();
    Ok(Listed { data, total, page })
}

async fn one_germplasm<C: ConnectionTrait>(conn: &C, id: &str) -> AppResult<PublicRecord> {
    let id = db_id(id).ok_or(AppError::NotFound)?;
    let core = public_records::still_held(&plant_types())
        .filter(accession::Column::Id.eq(id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    public_records::of_cores(conn, vec![core])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// One germplasm by its DbId.
pub async fn germplasm_by_id<C: ConnectionTrait>(
    conn: &C,
    server: &Server,
    id: &str,
) -> AppResult<Value> {
    let rec = one_germplasm(conn, id).await?;
    Ok(germplasm_json(&rec, server, &institute_names(conn).await?))
}

/// One germplasm in MCPD form.
pub async fn germplasm_mcpd<C: ConnectionTrait>(conn: &C, id: &str) -> AppResult<Value> {
    let rec = one_germplasm(conn, id).await?;
    Ok(mcpd_json(&rec, &institute_names(conn).await?))
}

/// The crop names present, sorted.
pub async fn common_crop_names<C: ConnectionTrait>(
    conn: &C,
    page: PageRequest,
) -> AppResult<Listed> {
    let all: Vec<Option<String>> = public_records::held(&plant_types())
        .select_only()
        .column(accession::Column::CropName)
        .group_by(accession::Column::CropName)
        .into_tuple()
        .all(conn)
        .await?;
    let mut crops: Vec<String> = all
        .into_iter()
        .flatten()
        .filter(|c| !c.trim().is_empty())
        .collect();
    crops.sort();
    crops.dedup();
    let total = crops.len() as u64;
    let data = crops
        .into_iter()
        .skip((page.page * page.page_size) as usize)
        .take(page.page_size as usize)
        .map(Value::String)
        .collect();
    Ok(Listed { data, total, page })
}

async fn seed_lots_json<C: ConnectionTrait>(
    conn: &C,
    lots: &[sample::Model],
) -> AppResult<Vec<Value>> {
    let ids: Vec<i64> = lots.iter().map(|l| l.accession_id).collect();
    let accessions: HashMap<i64, accession::Model> = accession::Entity::find()
        .filter(accession::Column::Id.is_in(ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let units: HashMap<i64, storage_unit::Model> = storage_unit::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|u| (u.id, u))
        .collect();
    Ok(lots
        .iter()
        .map(|l| seed_lot_json(l, accessions.get(&l.accession_id), &units))
        .collect())
}

fn visible_lots() -> Select<sample::Entity> {
    sample::Entity::find()
        .filter(sample::Column::Id.in_subquery(visible_lot_ids()))
        .order_by_asc(sample::Column::Id)
}

/// A page of seed lots matching the filter.
pub async fn seed_lots<C: ConnectionTrait>(
    conn: &C,
    filter: &SeedLotFilter,
    page: PageRequest,
) -> AppResult<Listed> {
    let mut q = visible_lots();
    if let Some(id) = id_filter(&filter.seed_lot_db_id) {
        q = q.filter(sample::Column::Id.eq(id.unwrap_or(0)));
    }
    if let Some(id) = id_filter(&filter.germplasm_db_id) {
        q = q.filter(sample::Column::AccessionId.eq(id.unwrap_or(0)));
    }
    let (lots, total) = page_of(conn, q, page).await?;
    let data = seed_lots_json(conn, &lots).await?;
    Ok(Listed { data, total, page })
}

/// One seed lot by its DbId.
pub async fn seed_lot<C: ConnectionTrait>(conn: &C, id: &str) -> AppResult<Value> {
    let id = db_id(id).ok_or(AppError::NotFound)?;
    let lot = visible_lots()
        .filter(sample::Column::Id.eq(id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    seed_lots_json(conn, &[lot])
        .await?
        .pop()
        .ok_or(AppError::NotFound)
}

/// A page of seed-lot transactions matching the filter, oldest first.
pub async fn transactions<C: ConnectionTrait>(
    conn: &C,
    filter: &TransactionFilter,
    page: PageRequest,
) -> AppResult<Listed> {
    use ledger_entry::Column as L;
    let mut q = ledger_entry::Entity::find()
        .filter(L::SampleId.in_subquery(visible_lot_ids()))
        // Reservations and releases are zero-delta notes, not movements of seed.
        .filter(L::Delta.ne(0.0))
        .order_by_asc(L::Id);
    if let Some(id) = id_filter(&filter.transaction_db_id) {
        q = q.filter(L::Id.eq(id.unwrap_or(0)));
    }
    if let Some(id) = id_filter(&filter.seed_lot_db_id) {
        q = q.filter(L::SampleId.eq(id.unwrap_or(0)));
    }
    if let Some(id) = id_filter(&filter.germplasm_db_id) {
        let lots_of = Query::select()
            .column(sample::Column::Id)
            .from(sample::Entity)
            .and_where(sample::Column::AccessionId.eq(id.unwrap_or(0)))
            .to_owned();
        q = q.filter(L::SampleId.in_subquery(lots_of));
    }
    let (entries, total) = page_of(conn, q, page).await?;
    Ok(Listed {
        data: entries.iter().map(transaction_json).collect(),
        total,
        page,
    })
}

/// One lot's transactions; a lot that is not visible is a 404.
pub async fn lot_transactions<C: ConnectionTrait>(
    conn: &C,
    lot_id: &str,
    page: PageRequest,
) -> AppResult<Listed> {
    seed_lot(conn, lot_id).await?;
    transactions(
        conn,
        &TransactionFilter {
            seed_lot_db_id: Some(lot_id.to_string()),
            ..Default::default()
        },
        page,
    )
    .await
}

/// The repository's own name, from the institutions table (else its code).
pub async fn server<C: ConnectionTrait>(
    conn: &C,
    institute_code: &str,
    base_url: &str,
) -> AppResult<Server> {
    let name = public_records::institute_name(conn, institute_code).await?;
    Ok(Server {
        institute_code: institute_code.to_string(),
        institute_name: name,
        base_url: base_url.trim_end_matches('/').to_string(),
    })
}
