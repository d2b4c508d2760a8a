//! BrAPI v2.1 Germplasm module under `/brapi/v2`: public, read-only, in the BrAPI envelope
//! (`metadata` with 0-based pagination, `result` or `result.data`).

use rocket::form::FromForm;
use rocket::serde::json::Json;
use rocket::{Route, State, get, routes};
use serde_json::{Value, json};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::services::brapi::{
    self, GermplasmFilter, Listed, MAX_PAGE_SIZE, PageRequest, SeedLotFilter, TransactionFilter,
};

/// `?page=&pageSize=` as typed.
#[derive(Debug, Default, FromForm)]
pub struct BrapiPaging {
    pub page: Option<String>,
    #[field(name = "pageSize")]
    pub page_size: Option<String>,
}

impl BrapiPaging {
    /// The page wanted: 0-based, at most [`MAX_PAGE_SIZE`] per page (the default).
    pub fn parse(&self) -> AppResult<PageRequest> {
        let number = |name: &str, v: &Option<String>, min: u64, max: u64, default: u64| match v
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => Ok(default),
            Some(s) => s
                .parse::<u64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    AppError::bad(
                        name,
                        format!(
                            "{name}: must be a whole number from {min} to {max}, got '{}'",
                            s.chars().take(40).collect::<String>()
                        ),
                    )
                }),
        };
        Ok(PageRequest {
            page: number("page", &self.page, 0, 1_000_000, 0)?,
            page_size: number("pageSize", &self.page_size, 1, MAX_PAGE_SIZE, MAX_PAGE_SIZE)?,
        })
    }
}

fn metadata(page: u64, page_size: u64, total: u64) -> Value {
    json!({
        "pagination": {
            "currentPage": page,
            "pageSize": page_size,
            "totalCount": total,
            "totalPages": total.div_ceil(page_size.max(1)),
        },
        "status": [{"message": "Request accepted, response successful", "messageType": "INFO"}],
        "datafiles": [],
    })
}

/// A list in the envelope: `result.data` with the page's pagination.
fn list(listed: Listed) -> Json<Value> {
    Json(json!({
        "metadata": metadata(listed.page.page, listed.page.page_size, listed.total),
        "result": {"data": listed.data},
    }))
}

/// One object in the envelope: `result` itself.
fn single(result: Value) -> Json<Value> {
    Json(json!({"metadata": metadata(0, 1, 1), "result": result}))
}

async fn server(state: &AppState) -> AppResult<brapi::Server> {
    brapi::server(
        &state.db,
        &state.config.institute_code,
        &state.config.base_url,
    )
    .await
}

/// Which calls, methods, data types and versions this server supports.
#[utoipa::path(get, path = "/brapi/v2/serverinfo", tag = "brapi", responses((status = 200, description = "BrAPI ServerInfo")))]
#[get("/brapi/v2/serverinfo")]
pub async fn serverinfo(state: &State<AppState>) -> AppResult<Json<Value>> {
    Ok(single(brapi::server_info(&server(state).await?)))
}

/// The crop names present.
#[utoipa::path(get, path = "/brapi/v2/commoncropnames", tag = "brapi",
    params(("page" = Option<u64>, Query), ("pageSize" = Option<u64>, Query)),
    responses((status = 200, description = "BrAPI CommonCropNames"), (status = 400, body = crate::web::api::ErrorBody)))]
#[get("/brapi/v2/commoncropnames?<paging..>")]
pub async fn commoncropnames(
    state: &State<AppState>,
    paging: BrapiPaging,
) -> AppResult<Json<Value>> {
    Ok(list(
        brapi::common_crop_names(&state.db, paging.parse()?).await?,
    ))
}

/// The germplasm list's query string.
#[derive(Debug, Default, FromForm)]
pub struct GermplasmQuery {
    #[field(name = "germplasmDbId")]
    pub germplasm_db_id: Option<String>,
    #[field(name = "germplasmName")]
    pub germplasm_name: Option<String>,
    #[field(name = "germplasmPUI")]
    pub germplasm_pui: Option<String>,
    #[field(name = "accessionNumber")]
    pub accession_number: Option<String>,
    #[field(name = "commonCropName")]
    pub common_crop_name: Option<String>,
    pub genus: Option<String>,
    pub species: Option<String>,
    pub synonym: Option<String>,
    pub page: Option<String>,
    #[field(name = "pageSize")]
    pub page_size: Option<String>,
}

/// Plant accessions as germplasm, filtered and paginated.
#[utoipa::path(get, path = "/brapi/v2/germplasm", tag = "brapi",
    params(("germplasmDbId" = Option<String>, Query), ("germplasmName" = Option<String>, Query), ("germplasmPUI" = Option<String>, Query),
           ("accessionNumber" = Option<String>, Query), ("commonCropName" = Option<String>, Query), ("genus" = Option<String>, Query),
           ("species" = Option<String>, Query), ("synonym" = Option<String>, Query), ("page" = Option<u64>, Query), ("pageSize" = Option<u64>, Query)),
    responses((status = 200, description = "BrAPI Germplasm list"), (status = 400, body = crate::web::api::ErrorBody)))]
#[get("/brapi/v2/germplasm?<q..>")]
pub async fn germplasm(state: &State<AppState>, q: GermplasmQuery) -> AppResult<Json<Value>> {
    let page = BrapiPaging {
        page: q.page,
        page_size: q.page_size,
    }
    .parse()?;
    let filter = GermplasmFilter {
        germplasm_db_id: q.germplasm_db_id,
        germplasm_name: q.germplasm_name,
        germplasm_pui: q.germplasm_pui,
        accession_number: q.accession_number,
        common_crop_name: q.common_crop_name,
        genus: q.genus,
        species: q.species,
        synonym: q.synonym,
    };
    let server = server(state).await?;
    Ok(list(
        brapi::germplasm(&state.db, &server, &filter, page).await?,
    ))
}

/// One germplasm.
#[utoipa::path(get, path = "/brapi/v2/germplasm/{id}", tag = "brapi",
    params(("id" = String, Path, description = "germplasmDbId")),
    responses((status = 200, description = "BrAPI Germplasm"), (status = 404, body = crate::web::api::ErrorBody)))]
#[get("/brapi/v2/germplasm/<id>")]
pub async fn germplasm_one(state: &State<AppState>, id: &str) -> AppResult<Json<Value>> {
    let server = server(state).await?;
    Ok(single(
        brapi::germplasm_by_id(&state.db, &server, id).await?,
    ))
}

/// One germplasm in MCPD form.
#[utoipa::path(get, path = "/brapi/v2/germplasm/{id}/mcpd", tag = "brapi",
    params(("id" = String, Path, description = "germplasmDbId")),
    responses((status = 200, description = "BrAPI germplasm MCPD"), (status = 404, body = crate::web::api::ErrorBody)))]
#[get("/brapi/v2/germplasm/<id>/mcpd")]
pub async fn germplasm_mcpd(state: &State<AppState>, id: &str) -> AppResult<Json<Value>> {
    Ok(single(brapi::germplasm_mcpd(&state.db, id).await?))
}

/// The seed-lot list's query string.
#[derive(Debug, Default, FromForm)]
pub struct SeedLotQuery {
    #[field(name = "seedLotDbId")]
    pub seed_lot_db_id: Option<String>,
    #[field(name = "germplasmDbId")]
    pub germplasm_db_id: Option<String>,
    pub page: Option<String>,
    #[field(name = "pageSize")]
    pub page_size: Option<String>,
}

/// Samples of plant accessions as seed lots.
#[utoipa::path(get, path = "/brapi/v2/seedlots", tag = "brapi",
    params(("seedLotDbId" = Option<String>, Query), ("germplasmDbId" = Option<String>, Query), ("page" = Option<u64>, Query), ("pageSize" = Option<u64>, Query)),
    responses((status = 200, description = "BrAPI SeedLot list"), (status = 400, body = crate::web::api::ErrorBody)))]
#[get("/brapi/v2/seedlots?<q..>")]
pub async fn seedlots(state: &State<AppState>, q: SeedLotQuery) -> AppResult<Json<Value>> {
    let page = BrapiPaging {
        page: q.page,
        page_size: q.page_size,
    }
    .parse()?;
    let filter = SeedLotFilter {
        seed_lot_db_id: q.seed_lot_db_id,
        germplasm_db_id: q.germplasm_db_id,
    };
    Ok(list(brapi::seed_lots(&state.db, &filter, page).await?))
}

/// The transactions query string.
#[derive(Debug, Default, FromForm)]
pub struct TransactionQuery {
    #[field(name = "transactionDbId")]
    pub transaction_db_id: Option<String>,
    #[field(name = "seedLotDbId")]
    pub seed_lot_db_id: Option<String>,
    #[field(name = "germplasmDbId")]
    pub germplasm_db_id: Option<String>,
    pub page: Option<String>,
    #[field(name = "pageSize")]
    pub page_size: Option<String>,
}

/// Every seed-lot transaction (the ledger), filtered and paginated.
#[utoipa::path(get, path = "/brapi/v2/seedlots/transactions", tag = "brapi",
    params(("transactionDbId" = Option<String>, Query), ("seedLotDbId" = Option<String>, Query), ("germplasmDbId" = Option<String>, Query),
           ("page" = Option<u64>, Query), ("pageSize" = Option<u64>, Query)),
    responses((status = 200, description = "BrAPI SeedLotTransaction list"), (status = 400, body = crate::web::api::ErrorBody)))]
#[get("/brapi/v2/seedlots/transactions?<q..>", rank = 1)]
pub async fn all_transactions(
    state: &State<AppState>,
    q: TransactionQuery,
) -> AppResult<Json<Value>> {
    let page = BrapiPaging {
        page: q.page,
        page_size: q.page_size,
    }
    .parse()?;
    let filter = TransactionFilter {
        transaction_db_id: q.transaction_db_id,
        seed_lot_db_id: q.seed_lot_db_id,
        germplasm_db_id: q.germplasm_db_id,
    };
    Ok(list(brapi::transactions(&state.db, &filter, page).await?))
}

/// One seed lot.
#[utoipa::path(get, path = "/brapi/v2/seedlots/{id}", tag = "brapi",
    params(("id" = String, Path, description = "seedLotDbId")),
    responses((status = 200, description = "BrAPI SeedLot"), (status = 404, body = crate::web::api::ErrorBody)))]
#[get("/brapi/v2/seedlots/<id>", rank = 2)]
pub async fn seedlot(state: &State<AppState>, id: &str) -> AppResult<Json<Value>> {
    Ok(single(brapi::seed_lot(&state.db, id).await?))
}

/// One seed lot's transactions.
#[utoipa::path(get, path = "/brapi/v2/seedlots/{id}/transactions", tag = "brapi",
    params(("id" = String, Path, description = "seedLotDbId"), ("page" = Option<u64>, Query), ("pageSize" = Option<u64>, Query)),
    responses((status = 200, description = "BrAPI SeedLotTransaction list"), (status = 404, body = crate::web::api::ErrorBody)))]
#[get("/brapi/v2/seedlots/<id>/transactions?<paging..>")]
pub async fn seedlot_transactions(
    state: &State<AppState>,
    id: &str,
    paging: BrapiPaging,
) -> AppResult<Json<Value>> {
    Ok(list(
        brapi::lot_transactions(&state.db, id, paging.parse()?).await?,
    ))
}

/// The BrAPI routes.
pub fn routes() -> Vec<Route> {
    routes![
        serverinfo,
        commoncropnames,
        germplasm,
        germplasm_one,
        germplasm_mcpd,
        seedlots,
        all_transactions,
        seedlot,
        seedlot_transactions
    ]
}
