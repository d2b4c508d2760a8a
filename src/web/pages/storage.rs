//! Storage pages for the people at the freezer: the tree, box maps, storing into a position,
//! stock-takes, the scan page and the custody buttons on the sample page.

use askama::Template;
use askama_web::WebTemplate;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::AppState;
use crate::domain::storage::{BOX_TYPES, EquipmentType, StorageKind};
use crate::error::{AppError, AppResult};
use crate::services::custody::{
    self, AliquotInput, CheckOutInput, DiscardInput, NoteInput, PlaceInput,
};
use crate::services::storage::{
    self, EquipmentTemplate, NewStorageUnit, StockTake, StorageUnitView, Tree, UnitDetail,
};
use crate::web::forms::CsrfForm;
use crate::web::guards::{ClientIp, Curator, Staff};
use crate::web::page::PageCtx;

/// Translation helpers shared by the storage templates.
pub trait StorageText {
    /// The page context.
    fn page(&self) -> &PageCtx;
    /// `Site`, `Box`, … in the page's language.
    fn kind_name(&self, kind: &str) -> &'static str {
        self.page().t(&format!("storage.kind.{kind}"))
    }
    /// A box type's name in the page's language.
    fn box_type_name(&self, key: &str) -> &'static str {
        self.page().t(&format!("box_type.{key}"))
    }
    /// An equipment type's name in the page's language.
    fn equipment_name(&self, key: &str) -> &'static str {
        self.page().t(&format!("equipment.{key}"))
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "storage/index.html")]
struct IndexPage {
    ctx: PageCtx,
    units: Vec<StorageUnitView>,
    kinds: &'static [&'static str],
    equipment_types: &'static [&'static str],
    box_types: Vec<&'static str>,
}

impl StorageText for IndexPage {
    fn page(&self) -> &PageCtx {
        &self.ctx
    }
}

impl IndexPage {
    fn indent(&self, depth: &usize) -> usize {
        depth * 20
    }
}

#[get("/storage")]
async fn index(ctx: PageCtx, _s: Staff, state: &State<AppState>) -> AppResult<IndexPage> {
    Ok(IndexPage {
        ctx,
        units: Tree::load(&state.db).await?.flatten(),
        kinds: StorageKind::KEYS,
        equipment_types: EquipmentType::KEYS,
        box_types: BOX_TYPES.iter().map(|b| b.key).collect(),
    })
}

fn blank(v: &str) -> Option<String> {
    let v = v.trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn number<T: std::str::FromStr>(field: &str, v: &str) -> AppResult<Option<T>> {
    match blank(v) {
        None => Ok(None),
        Some(v) => v.replace(',', ".").parse().map(Some).map_err(|_| {
            AppError::invalid(
                field,
                "invalid_type",
                format!("{field}: '{v}' is not a number"),
            )
        }),
    }
}

/// Form errors go back to the page they came from as a flash; faults become error pages.
fn back(target: String, result: AppResult<String>) -> AppResult<Flash<Redirect>> {
    match result {
        Ok(to) => Ok(Flash::success(Redirect::to(to), "custody.done")),
        Err(
            e @ (AppError::Invalid(_) | AppError::Conflict { .. } | AppError::BadRequest { .. }),
        ) => Ok(Flash::error(Redirect::to(target), e.public_message())),
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct UnitForm {
    csrf_token: String,
    parent_id: String,
    kind: String,
    name: String,
    equipment_type: String,
    box_type: String,
    temperature_c: String,
    humidity_pct: String,
}

#[derive(FromForm)]
struct TemplateForm {
    csrf_token: String,
    parent_id: String,
    name: String,
    equipment_type: String,
    box_type: String,
    racks: String,
    boxes_per_rack: String,
    temperature_c: String,
}
crate::impl_csrf!(UnitForm, TemplateForm);

#[post("/storage", data = "<form>")]
async fn create(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    form: CsrfForm<UnitForm>,
) -> AppResult<Flash<Redirect>> {
    let f = form.0;
    let result = async {
        let input = NewStorageUnit {
            parent_id: number("parent_id", &f.parent_id)?,
            kind: f.kind,
            name: f.name,
            equipment_type: blank(&f.equipment_type),
            temperature_c: number("temperature_c", &f.temperature_c)?,
            humidity_pct: number("humidity_pct", &f.humidity_pct)?,
            box_type: blank(&f.box_type),
            notes: None,
        };
        let u = storage::create_unit(&state.db, &user.actor(ip.0), input).await?;
        Ok(format!("/storage/{}", u.id))
    }
    .await;
    back("/storage".into(), result)
}

#[post("/storage/from-template", data = "<form>")]
async fn from_template(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    form: CsrfForm<TemplateForm>,
) -> AppResult<Flash<Redirect>> {
    let f = form.0;
    let result = async {
        let input = EquipmentTemplate {
            parent_id: number("parent_id", &f.parent_id)?.ok_or_else(|| {
                AppError::invalid("parent_id", "required", "parent_id: is required")
            })?,
            name: f.name,
            equipment_type: f.equipment_type,
            temperature_c: number("temperature_c", &f.temperature_c)?,
            humidity_pct: None,
            racks: number("racks", &f.racks)?.unwrap_or(0),
            boxes_per_rack: number("boxes_per_rack", &f.boxes_per_rack)?.unwrap_or(0),
            box_type: f.box_type,
        };
        let u = storage::create_from_template(&state.db, &user.actor(ip.0), input).await?;
        Ok(format!("/storage/{}", u.id))
    }
    .await;
    back("/storage".into(), result)
}

#[derive(Template, WebTemplate)]
#[template(path = "storage/unit.html")]
struct UnitPage {
    ctx: PageCtx,
    d: UnitDetail,
    /// Where this unit may be moved: units that may hold it, outside its own subtree.
    parents: Vec<StorageUnitView>,
    layouts: Vec<(&'static str, &'static str)>,
    stock: Option<StockTake>,
    /// The stock-take's scanned lines, carried through corrections.
    codes: String,
    /// A correction's outcome (a catalog key) or why it was refused (already in words).
    notice: Option<&'static str>,
    error: Option<String>,
}

impl UnitPage {
    async fn load(ctx: PageCtx, state: &AppState, id: i64) -> AppResult<UnitPage> {
        let d = storage::detail(&state.db, id).await?;
        let tree = Tree::load(&state.db).await?;
        let own = tree.subtree(id);
        let kind = d.unit.kind.parse::<StorageKind>().ok();
        let parents = tree
            .flatten()
            .into_iter()
            .filter(|p| !own.contains(&p.id) && Some(p.id) != d.unit.parent_id)
            .filter(|p| {
                let holder = p.kind.parse::<StorageKind>().ok();
                matches!((holder, kind), (Some(h), Some(k)) if h.may_contain(k))
            })
            .collect();
        Ok(UnitPage {
            ctx,
            d,
            parents,
            layouts: crate::labels::LabelLayout::ALL
                .iter()
                .map(|l| (l.id(), l.description()))
                .collect(),
            stock: None,
            codes: String::new(),
            notice: None,
            error: None,
        })
    }
}

impl StorageText for UnitPage {
    fn page(&self) -> &PageCtx {
        &self.ctx
    }
}

#[get("/storage/<id>")]
async fn unit(ctx: PageCtx, _s: Staff, state: &State<AppState>, id: i64) -> AppResult<UnitPage> {
    UnitPage::load(ctx, state, id).await
}

#[derive(FromForm)]
struct StockTakeForm {
    csrf_token: String,
    codes: String,
}

/// One correction from a stock-take's findings: `here` (record the sample at the position
/// it was found in this box) or `missing` (record it as not found).
#[derive(FromForm)]
struct CorrectionForm {
    csrf_token: String,
    codes: String,
    sample_id: i64,
    fix: String,
    position: Option<String>,
}

#[derive(FromForm)]
struct MoveUnitForm {
    csrf_token: String,
    parent_id: String,
}
crate::impl_csrf!(CorrectionForm, MoveUnitForm);

#[derive(FromForm)]
struct StoreForm {
    csrf_token: String,
    code: String,
    position: String,
}
crate::impl_csrf!(StockTakeForm, StoreForm);

#[post("/storage/<id>/stock-take", data = "<form>")]
async fn stock_take(
    ctx: PageCtx,
    _s: Staff,
    state: &State<AppState>,
    id: i64,
    form: CsrfForm<StockTakeForm>,
) -> AppResult<UnitPage> {
    let mut page = UnitPage::load(ctx, state, id).await?;
    page.stock = Some(storage::stock_take(&state.db, id, &scan_lines(&form.0.codes)).await?);
    page.codes = form.0.codes;
    Ok(page)
}

fn scan_lines(codes: &str) -> Vec<String> {
    codes.lines().map(str::to_string).collect()
}

/// Corrects the records for one finding, then checks the same scans again, so the technician
/// works down the list one button at a time.
#[post("/storage/<id>/stock-take/correct", data = "<form>")]
async fn stock_take_correct(
    ctx: PageCtx,
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    form: CsrfForm<CorrectionForm>,
) -> AppResult<(Status, UnitPage)> {
    let f = form.0;
    let actor = user.actor(ip.0);
    let result = match f.fix.as_str() {
        "here" => {
            let place = PlaceInput {
                storage_unit_id: id,
                position: f.position.as_deref().and_then(blank),
                note: Some("stock-take".into()),
            };
            custody::place(&state.db, &actor, f.sample_id, place).await
        }
        "missing" => {
            let note = Some("not found in a stock-take".to_string());
            custody::mark_missing(&state.db, &actor, f.sample_id, NoteInput { note }).await
        }
        other => Err(AppError::bad(
            "fix",
            format!("fix: '{other}' is not a correction (here or missing)"),
        )),
    };
    let mut page = UnitPage::load(ctx, state, id).await?;
    let status = match result {
        Ok(_) => {
            page.notice = Some("storage.corrected");
            Status::Ok
        }
        Err(
            e @ (AppError::Invalid(_) | AppError::Conflict { .. } | AppError::BadRequest { .. }),
        ) => {
            page.error = Some(e.public_message());
            e.status()
        }
        Err(e) => return Err(e),
    };
    page.stock = Some(storage::stock_take(&state.db, id, &scan_lines(&f.codes)).await?);
    page.codes = f.codes;
    Ok((status, page))
}

/// Moves a box or rack, with everything in it, under another unit.
#[post("/storage/<id>/move", data = "<form>")]
async fn move_unit(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    form: CsrfForm<MoveUnitForm>,
) -> AppResult<Flash<Redirect>> {
    let f = form.0;
    let result = async {
        let parent = number("parent_id", &f.parent_id)?.ok_or_else(|| {
            AppError::invalid("parent_id", "required", "parent_id: choose where to put it")
        })?;
        storage::move_unit(&state.db, &user.actor(ip.0), id, parent).await?;
        Ok(format!("/storage/{id}"))
    }
    .await;
    back(format!("/storage/{id}"), result)
}

#[derive(Template, WebTemplate)]
#[template(path = "storage/store.html")]
struct StorePage {
    ctx: PageCtx,
    d: UnitDetail,
    position: String,
}

#[get("/storage/<id>/store?<position>")]
async fn store_form(
    ctx: PageCtx,
    _s: Staff,
    state: &State<AppState>,
    id: i64,
    position: Option<&str>,
) -> AppResult<StorePage> {
    Ok(StorePage {
        ctx,
        d: storage::detail(&state.db, id).await?,
        position: position.unwrap_or("").to_string(),
    })
}

#[post("/storage/<id>/store", data = "<form>")]
async fn store(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    form: CsrfForm<StoreForm>,
) -> AppResult<Flash<Redirect>> {
    let f = form.0;
    let result = async {
        let s = crate::services::samples::find_by_label(&state.db, &f.code).await?;
        let place = PlaceInput {
            storage_unit_id: id,
            position: blank(&f.position),
            note: None,
        };
        custody::place(&state.db, &user.actor(ip.0), s.id, place).await?;
        Ok(format!("/storage/{id}"))
    }
    .await;
    back(
        format!(
            "/storage/{id}/store?position={}",
            super::url_encode(f.position.trim())
        ),
        result,
    )
}

#[derive(Template, WebTemplate)]
#[template(path = "storage/scan.html")]
struct ScanPage {
    ctx: PageCtx,
    code: String,
    error: Option<String>,
}

/// The scan page, or where a scan leads.
#[allow(clippy::large_enum_variant)]
enum Scanned {
    Page(Status, ScanPage),
    Go(Redirect),
}

impl<'r> rocket::response::Responder<'r, 'static> for Scanned {
    fn respond_to(self, req: &'r rocket::Request<'_>) -> rocket::response::Result<'static> {
        match self {
            Scanned::Page(status, page) => (status, page).respond_to(req),
            Scanned::Go(r) => r.respond_to(req),
        }
    }
}

#[get("/scan?<code>")]
async fn scan(
    ctx: PageCtx,
    _s: Staff,
    state: &State<AppState>,
    code: Option<&str>,
) -> AppResult<Scanned> {
    let Some(code) = code.map(str::trim).filter(|c| !c.is_empty()) else {
        return Ok(Scanned::Page(
            Status::Ok,
            ScanPage {
                ctx,
                code: String::new(),
                error: None,
            },
        ));
    };
    let page = |ctx, status, error: String| {
        Scanned::Page(
            status,
            ScanPage {
                ctx,
                code: code.to_string(),
                error: Some(error),
            },
        )
    };
    match custody::scan(&state.db, code).await {
        Ok(found) => match (found.sample, found.storage_unit_id) {
            (Some(s), _) => Ok(Scanned::Go(Redirect::to(format!("/s/{}", s.label_code)))),
            (None, Some(u)) => Ok(Scanned::Go(Redirect::to(format!("/storage/{u}")))),
            _ => Err(AppError::NotFound),
        },
        Err(e @ AppError::Invalid(_)) => {
            let msg = e.public_message();
            Ok(page(ctx, Status::UnprocessableEntity, msg))
        }
        Err(AppError::NotFound) => {
            let msg = ctx.t("scan.not_found").to_string();
            Ok(page(ctx, Status::NotFound, msg))
        }
        Err(e) => Err(e),
    }
}

/// Every field any custody form may send; each action reads the ones it needs.
#[derive(FromForm)]
struct CustodyForm {
    csrf_token: String,
    storage_unit_id: Option<String>,
    position: Option<String>,
    note: Option<String>,
    reason: Option<String>,
    taken_by: Option<String>,
    due_back_on: Option<String>,
    count: Option<String>,
    quantity_each: Option<String>,
}
crate::impl_csrf!(CustodyForm);

fn text(v: &Option<String>) -> &str {
    v.as_deref().unwrap_or("")
}

#[post("/samples/<id>/custody/<action>", data = "<form>")]
async fn custody_action(
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    action: &str,
    form: CsrfForm<CustodyForm>,
) -> AppResult<Flash<Redirect>> {
    let s = crate::services::samples::get(&state.db, id).await?;
    let page = format!(
        "/s/{}",
        crate::services::samples::SampleView::from(s).label_code
    );
    let f = form.0;
    let actor = user.actor(ip.0);
    let db = &state.db;
    let note = blank(text(&f.note));
    let result: AppResult<String> = async {
        let unit = unit_ref(db, text(&f.storage_unit_id)).await?;
        let place = || -> AppResult<PlaceInput> {
            Ok(PlaceInput {
                storage_unit_id: unit.ok_or_else(|| {
                    AppError::invalid(
                        "storage_unit_id",
                        "required",
                        "storage_unit_id: scan the box label or type the box number",
                    )
                })?,
                position: blank(text(&f.position)),
                note: note.clone(),
            })
        };
        match action {
            "store" => custody::store(db, &actor, id, place()?).await.map(|_| ()),
            "move" => custody::move_sample(db, &actor, id, place()?)
                .await
                .map(|_| ()),
            "check-out" => {
                let due = match blank(text(&f.due_back_on)) {
                    None => None,
                    Some(d) => Some(d.parse::<chrono::NaiveDate>().map_err(|_| {
                        AppError::invalid(
                            "due_back_on",
                            "invalid_format",
                            "due_back_on: use YYYY-MM-DD",
                        )
                    })?),
                };
                let input = CheckOutInput {
                    reason: text(&f.reason).to_string(),
                    taken_by: blank(text(&f.taken_by)),
                    due_back_on: due,
                };
                custody::check_out(db, &actor, id, input).await.map(|_| ())
            }
            "check-in" => custody::check_in(db, &actor, id, NoteInput { note: note.clone() })
                .await
                .map(|_| ()),
            "thaw" | "freeze" => custody::thaw_or_freeze(
                db,
                &actor,
                id,
                action == "thaw",
                NoteInput { note: note.clone() },
            )
            .await
            .map(|_| ()),
            "aliquot" => {
                let input = AliquotInput {
                    count: number("count", text(&f.count))?.unwrap_or(0),
                    quantity_each: number("quantity_each", text(&f.quantity_each))?.unwrap_or(0.0),
                    form: None,
                    storage_unit_id: unit,
                    note: note.clone(),
                };
                custody::aliquot(db, &actor, id, input).await.map(|_| ())
            }
            "discard" => {
                let input = DiscardInput {
                    reason: text(&f.reason).to_string(),
                };
                custody::discard(db, &actor, id, input).await.map(|_| ())
            }
            _ => Err(AppError::NotFound),
        }?;
        Ok(page.clone())
    }
    .await;
    back(page.clone(), result)
}

/// The box a custody form names: its number, or its label scanned into the field (the bare
/// code or the label URL).
async fn unit_ref(db: &sea_orm::DatabaseConnection, input: &str) -> AppResult<Option<i64>> {
    let Some(input) = blank(input) else {
        return Ok(None);
    };
    if input.chars().all(|c| c.is_ascii_digit()) {
        return number("storage_unit_id", &input);
    }
    let code = crate::domain::label_code::LabelCode::parse(&input)
        .map_err(|e| AppError::Invalid(vec![e.to_field_error("storage_unit_id")]))?;
    match storage::find_by_barcode(db, &code).await? {
        Some(u) => Ok(Some(u.id)),
        None => Err(AppError::invalid(
            "storage_unit_id",
            "not_found",
            format!("storage_unit_id: no box has the label {}", code.display()),
        )),
    }
}

/// The custody section of the sample page.
pub struct CustodySection {
    pub panel: custody::CustodyPanel,
    pub sample_id: i64,
}

/// Loads the custody section for a sample page.
pub async fn custody_section(
    state: &AppState,
    s: &entities::sample::Model,
) -> AppResult<CustodySection> {
    Ok(CustodySection {
        panel: custody::panel(&state.db, s).await?,
        sample_id: s.id,
    })
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![
        index,
        create,
        from_template,
        unit,
        stock_take,
        stock_take_correct,
        move_unit,
        store_form,
        store,
        scan,
        custody_action
    ]
}
