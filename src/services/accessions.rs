//! The accession registry: register, edit, deaccession (never delete), find.

use std::collections::BTreeMap;
use std::str::FromStr;

use sea_orm::sea_query::{Expr, ExprTrait, Func, LikeExpr};
use sea_orm::{
    ActiveModelBehavior, ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait,
    IntoActiveModel, ModelTrait, PaginatorTrait, PrimaryKeyTrait, QueryFilter, QueryOrder, Set,
    TransactionSession, TransactionTrait, Value,
};
use serde::Serialize;

use entities::{
    accession, accession_animal, accession_cell_line, accession_plant, accession_specimen,
    accession_strain,
};

use super::fields::{self, Checked, FIELDS, RawInput, Store};
use super::{Actor, Page, audit, now};
use crate::domain::material::{AccessionStatus, MaterialType};
use crate::domain::{FieldError, mcpd, pid};
use crate::error::{AppError, AppResult, is_unique_violation};

/// An accession with every field value, core and type-specific.
#[derive(Debug, Clone)]
pub struct AccessionDetail {
    pub core: accession::Model,
    pub material_type: MaterialType,
    pub values: BTreeMap<&'static str, Value>,
}

impl AccessionDetail {
    /// A field's value as text ("" when empty).
    pub fn text(&self, name: &str) -> String {
        self.values
            .get(name)
            .and_then(fields::value_to_text)
            .unwrap_or_default()
    }

    /// Every field as text, for a form.
    pub fn as_raw(&self) -> RawInput {
        let mut raw: RawInput = self
            .values
            .iter()
            .filter_map(|(k, v)| fields::value_to_text(v).map(|t| (k.to_string(), t)))
            .collect();
        raw.insert("material_type".into(), self.material_type.as_str().into());
        raw
    }

    /// The record as the API shows it: identity, status and every field, flat.
    pub fn to_json(&self, public_only: bool) -> serde_json::Value {
        let c = &self.core;
        let mut obj = serde_json::json!({
            "id": c.id,
            "pid": c.pid,
            "material_type": c.material_type,
            "taxon_name": c.taxon_name,
            "status": c.status,
            "deaccession_reason": c.deaccession_reason,
            "deaccessioned_at": c.deaccessioned_at,
            "created_at": c.created_at,
            "updated_at": c.updated_at,
        });
        let map = obj.as_object_mut().expect("object literal");
        for spec in fields::fields_for(self.material_type) {
            if public_only && !spec.public {
                continue;
            }
            let v = self
                .values
                .get(spec.name)
                .map(fields::value_to_json)
                .unwrap_or(serde_json::Value::Null);
            map.insert(spec.name.to_string(), v);
        }
        obj
    }
}

/// Copies the fields stored in `store` from a model into `out`.
pub(crate) fn read_fields<M>(model: &M, store: Store, out: &mut BTreeMap<&'static str, Value>)
where
    M: ModelTrait,
    <M::Entity as sea_orm::EntityTrait>::Column: FromStr,
{
    for spec in FIELDS.iter().filter(|s| s.store == store) {
        if let Ok(col) = <M::Entity as sea_orm::EntityTrait>::Column::from_str(spec.name) {
            out.insert(spec.name, model.get(col));
        }
    }
}

/// Sets the fields stored in `store` that material type `t` has; absent values are cleared.
pub(crate) fn write_fields<A>(
    am: &mut A,
    store: Store,
    t: MaterialType,
    values: &BTreeMap<&'static str, Checked>,
) where
    A: ActiveModelTrait,
    <A::Entity as sea_orm::EntityTrait>::Column: FromStr,
{
    for spec in FIELDS
        .iter()
        .filter(|s| s.store == store && s.scope.covers(t))
    {
        if let Ok(col) = <A::Entity as sea_orm::EntityTrait>::Column::from_str(spec.name) {
            let v = values
                .get(spec.name)
                .map(Checked::to_value)
                .unwrap_or_else(|| fields::null_value(spec.kind));
            am.set(col, v);
        }
    }
}

/// Loads the type-specific row into `out`, whichever table it lives in.
async fn read_extension<C: ConnectionTrait>(
    conn: &C,
    t: MaterialType,
    id: i64,
    out: &mut BTreeMap<&'static str, Value>,
) -> AppResult<()> {
    macro_rules! read {
        ($m:ident, $store:expr) => {
            if let Some(row) = $m::Entity::find_by_id(id).one(conn).await? {
                read_fields(&row, $store, out);
            }
        };
    }
    match extension_store(t) {
        Store::Plant => read!(accession_plant, Store::Plant),
        Store::Strain => read!(accession_strain, Store::Strain),
        Store::CellLine => read!(accession_cell_line, Store::CellLine),
        Store::Specimen => read!(accession_specimen, Store::Specimen),
        Store::Animal => read!(accession_animal, Store::Animal),
        Store::Core => {}
    }
    Ok(())
}

/// Inserts or updates the type-specific row.
async fn save_extension<C: ConnectionTrait>(
    conn: &C,
    t: MaterialType,
    id: i64,
    values: &BTreeMap<&'static str, Checked>,
) -> AppResult<()> {
    async fn upsert<C, E>(
        conn: &C,
        store: Store,
        t: MaterialType,
        id: i64,
        values: &BTreeMap<&'static str, Checked>,
    ) -> AppResult<()>
    where
        C: ConnectionTrait,
        E: EntityTrait,
        E::Column: FromStr,
        E::Model: IntoActiveModel<E::ActiveModel>,
        E::ActiveModel: ActiveModelTrait<Entity = E> + ActiveModelBehavior + Send,
        <E::PrimaryKey as PrimaryKeyTrait>::ValueType: From<i64>,
    {
        match E::find_by_id(id).one(conn).await? {
            Some(row) => {
                let mut am = row.into_active_model();
                write_fields(&mut am, store, t, values);
                am.update(conn).await?;
            }
            None => {
                let mut am = E::ActiveModel::default();
                if let Ok(col) = E::Column::from_str("accession_id") {
                    am.set(col, Value::BigInt(Some(id)));
                }
                write_fields(&mut am, store, t, values);
                am.insert(conn).await?;
            }
        }
        Ok(())
    }
    match extension_store(t) {
        Store::Plant => {
            upsert::<C, accession_plant::Entity>(conn, Store::Plant, t, id, values).await
        }
        Store::Strain => {
            upsert::<C, accession_strain::Entity>(conn, Store::Strain, t, id, values).await
        }
        Store::CellLine => {
            upsert::<C, accession_cell_line::Entity>(conn, Store::CellLine, t, id, values).await
        }
        Store::Specimen => {
            upsert::<C, accession_specimen::Entity>(conn, Store::Specimen, t, id, values).await
        }
        Store::Animal => {
            upsert::<C, accession_animal::Entity>(conn, Store::Animal, t, id, values).await
        }
        Store::Core => Ok(()),
    }
}

/// The extension table of a material type.
pub fn extension_store(t: MaterialType) -> Store {
    use MaterialType as M;
    match t {
        M::Seed | M::ClonalPlant | M::InVitroPlant => Store::Plant,
        M::Strain => Store::Strain,
        M::CellLine => Store::CellLine,
        M::Specimen => Store::Specimen,
        M::AnimalGermplasm => Store::Animal,
    }
}

fn text_of<'a>(values: &'a BTreeMap<&'static str, Checked>, name: &str) -> Option<&'a str> {
    match values.get(name) {
        Some(Checked::Text(s)) => Some(s.as_str()),
        _ => None,
    }
}

/// The name the registry searches and lists: the Linnean name, else the organism, else the
/// specimen type.
pub(crate) fn display_taxon(values: &BTreeMap<&'static str, Checked>) -> String {
    if let Some(genus) = text_of(values, "genus") {
        return mcpd::taxon_name(
            genus,
            text_of(values, "species"),
            text_of(values, "subtaxa"),
        );
    }
    if let Some(organism) = text_of(values, "organism") {
        return organism.to_string();
    }
    text_of(values, "specimen_type")
        .map(|t| {
            t.parse::<crate::domain::specimen::SpecimenType>()
                .map(|s| s.label().to_string())
                .unwrap_or_else(|_| t.to_string())
        })
        .unwrap_or_default()
}

fn parse_material_type(raw: &RawInput) -> Result<MaterialType, FieldError> {
    let v = raw.get("material_type").map(|s| s.trim()).unwrap_or("");
    if v.is_empty() {
        return Err(FieldError::new(
            "material_type",
            "required",
            "material_type: a value is required",
        ));
    }
    MaterialType::from_str(v).map_err(|e| e.to_field_error("material_type"))
}

/// Registers a new accession and issues its persistent identifier.
pub async fn register<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    pid_scheme: &pid::PidScheme,
    default_institute: &str,
    mut raw: RawInput,
    strict: bool,
) -> AppResult<AccessionDetail> {
    let t = parse_material_type(&raw).map_err(|e| AppError::Invalid(vec![e]))?;
    if raw
        .get("institute_code")
        .is_none_or(|v| v.trim().is_empty())
    {
        raw.insert("institute_code".into(), default_institute.to_string());
    }
    let today = now().date_naive();
    let values = fields::check_record(t, &raw, today, strict)?;
    let inst = text_of(&values, "institute_code")
        .unwrap_or(default_institute)
        .to_string();
    let number = text_of(&values, "accession_number")
        .unwrap_or_default()
        .to_string();

    let txn = db.begin().await?;
    let taken = accession::Entity::find()
        .filter(accession::Column::InstituteCode.eq(inst.clone()))
        .filter(accession::Column::AccessionNumber.eq(number.clone()))
        .count(&txn)
        .await?;
    if taken > 0 {
        return Err(duplicate_number(&inst, &number));
    }
    // Numbers that differ only in punctuation ("A/1", "A:1") map to the same identifier.
    let new_pid = pid_scheme.issue(&pid::local_id(&inst, &number));
    if let Some(other) = accession::Entity::find()
        .filter(accession::Column::Pid.eq(new_pid.clone()))
        .one(&txn)
        .await?
    {
        return Err(AppError::conflict(
            "accession_number",
            format!(
                "accession_number: {number} would get the identifier {new_pid}, which {} {} already has; choose a number that differs in more than punctuation",
                other.institute_code, other.accession_number
            ),
        ));
    }
    let stamp = now();
    let mut am = accession::ActiveModel {
        pid: Set(new_pid),
        material_type: Set(t.as_str().to_string()),
        taxon_name: Set(display_taxon(&values)),
        status: Set(AccessionStatus::Active.as_str().to_string()),
        created_by: Set(actor.user_id),
        created_at: Set(stamp),
        updated_at: Set(stamp),
        ..Default::default()
    };
    write_fields(&mut am, Store::Core, t, &values);
    let core = am.insert(&txn).await.map_err(|e| {
        if is_unique_violation(&e) {
            duplicate_number(&inst, &number)
        } else {
            e.into()
        }
    })?;
    save_extension(&txn, t, core.id, &values).await?;
    let detail = load(&txn, core.id).await?;
    audit::record(
        &txn,
        actor,
        "create",
        "accessions",
        core.id,
        None,
        Some(detail.to_json(false)),
    )
    .await?;
    txn.commit().await?;
    Ok(detail)
}

fn duplicate_number(inst: &str, number: &str) -> AppError {
    AppError::conflict(
        "accession_number",
        format!(
            "accession_number: {inst} {number} is already registered; accession numbers are never reused"
        ),
    )
}

/// Edits an accession. With `partial`, fields not in `raw` keep their values (API PATCH);
/// otherwise the input replaces every field (the edit form).
pub async fn update<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    raw: RawInput,
    strict: bool,
    partial: bool,
) -> AppResult<AccessionDetail> {
    let txn = db.begin().await?;
    let before = load(&txn, id).await?;
    if before.core.status == AccessionStatus::Deaccessioned.as_str() {
        return Err(AppError::conflict(
            "status",
            "status: a deaccessioned record cannot be edited",
        ));
    }
    let t = before.material_type;
    if let Some(mt) = raw.get("material_type")
        && mt.trim() != t.as_str()
    {
        return Err(AppError::invalid(
            "material_type",
            "immutable",
            "material_type: cannot be changed after registration; register a new accession instead",
        ));
    }
    for fixed in ["accession_number", "institute_code"] {
        if let Some(v) = raw.get(fixed)
            && v.trim() != before.text(fixed)
        {
            return Err(AppError::invalid(
                fixed,
                "immutable",
                format!(
                    "{fixed}: cannot be changed after registration (the identifier depends on it)"
                ),
            ));
        }
    }
    let mut merged = if partial {
        before.as_raw()
    } else {
        RawInput::new()
    };
    merged.extend(raw);
    merged.insert("accession_number".into(), before.text("accession_number"));
    merged.insert("institute_code".into(), before.text("institute_code"));
    let values = fields::check_record(t, &merged, now().date_naive(), strict)?;
    let mut am = before.core.clone().into_active_model();
    write_fields(&mut am, Store::Core, t, &values);
    am.taxon_name = Set(display_taxon(&values));
    am.updated_at = Set(now());
    am.update(&txn).await?;
    save_extension(&txn, t, id, &values).await?;
    let after = load(&txn, id).await?;
    audit::record(
        &txn,
        actor,
        "update",
        "accessions",
        id,
        Some(before.to_json(false)),
        Some(after.to_json(false)),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Withdraws an accession from the collection. The record and its identifier stay; the
/// identifier then resolves to a tombstone.
pub async fn deaccession<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    id: i64,
    reason: &str,
) -> AppResult<AccessionDetail> {
    let reason = crate::domain::text::check_text("reason", reason, 1000)?;
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            "required",
            "reason: say why the accession is deaccessioned",
        ));
    }
    let txn = db.begin().await?;
    let before = load(&txn, id).await?;
    if before.core.status == AccessionStatus::Deaccessioned.as_str() {
        return Err(AppError::conflict(
            "status",
            "status: this accession is already deaccessioned",
        ));
    }
    let mut am = before.core.clone().into_active_model();
    am.status = Set(AccessionStatus::Deaccessioned.as_str().to_string());
    am.deaccession_reason = Set(Some(reason));
    am.deaccessioned_at = Set(Some(now()));
    am.available = Set(false);
    am.updated_at = Set(now());
    am.update(&txn).await?;
    let after = load(&txn, id).await?;
    audit::record(
        &txn,
        actor,
        "deaccession",
        "accessions",
        id,
        Some(before.to_json(false)),
        Some(after.to_json(false)),
    )
    .await?;
    txn.commit().await?;
    Ok(after)
}

/// Loads an accession with every field.
pub async fn load<C: ConnectionTrait>(conn: &C, id: i64) -> AppResult<AccessionDetail> {
    let core = accession::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    detail_of(conn, core).await
}

async fn detail_of<C: ConnectionTrait>(
    conn: &C,
    core: accession::Model,
) -> AppResult<AccessionDetail> {
    let material_type = MaterialType::from_str(&core.material_type).map_err(|_| {
        AppError::Internal(format!("accession {} has unknown material type", core.id))
    })?;
    let mut values = BTreeMap::new();
    read_fields(&core, Store::Core, &mut values);
    read_extension(conn, material_type, core.id, &mut values).await?;
    Ok(AccessionDetail {
        core,
        material_type,
        values,
    })
}

/// Finds an accession by its persistent identifier.
pub async fn find_by_pid<C: ConnectionTrait>(conn: &C, pid: &str) -> AppResult<AccessionDetail> {
    // No identifier holds a control character, and PostgreSQL refuses a NUL in a query.
    if pid.chars().any(char::is_control) {
        return Err(AppError::NotFound);
    }
    let core = accession::Entity::find()
        .filter(accession::Column::Pid.eq(pid))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    detail_of(conn, core).await
}

/// Search and list options.
#[derive(Debug, Clone, Default)]
pub struct AccessionFilter {
    /// Matches the accession number, names or taxon.
    pub q: Option<String>,
    pub material_type: Option<MaterialType>,
    pub status: Option<AccessionStatus>,
    /// `accession_number`, `taxon_name`, `created_at` or `material_type`.
    pub sort: Option<String>,
    pub descending: bool,
}

/// Columns a list may be sorted by.
pub const SORTABLE: &[&str] = &[
    "accession_number",
    "taxon_name",
    "created_at",
    "material_type",
];

/// A row in the accession list.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct AccessionRow {
    pub id: i64,
    pub pid: String,
    pub accession_number: String,
    pub institute_code: String,
    pub material_type: String,
    pub taxon_name: String,
    pub accession_names: Option<String>,
    pub status: String,
    pub available: bool,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

impl From<accession::Model> for AccessionRow {
    fn from(a: accession::Model) -> Self {
        AccessionRow {
            id: a.id,
            pid: a.pid,
            accession_number: a.accession_number,
            institute_code: a.institute_code,
            material_type: a.material_type,
            taxon_name: a.taxon_name,
            accession_names: a.accession_names,
            status: a.status,
            available: a.available,
            created_at: a.created_at,
        }
    }
}

/// Escapes LIKE wildcards in user text.
fn like_contains(q: &str) -> LikeExpr {
    let escaped = q
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

/// Searches the registry.
pub async fn search<C: ConnectionTrait>(
    conn: &C,
    filter: &AccessionFilter,
    page: u64,
    per_page: u64,
) -> AppResult<Page<AccessionRow>> {
    use accession::Column as A;
    let mut q = accession::Entity::find();
    if let Some(text) = filter.q.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let lower = |c: A| Expr::expr(Func::lower(Expr::col(c)));
        q = q.filter(
            sea_orm::Condition::any()
                .add(lower(A::AccessionNumber).like(like_contains(text)))
                .add(lower(A::AccessionNames).like(like_contains(text)))
                .add(lower(A::TaxonName).like(like_contains(text)))
                .add(lower(A::CropName).like(like_contains(text)))
                .add(A::Pid.eq(text)),
        );
    }
    if let Some(t) = filter.material_type {
        q = q.filter(A::MaterialType.eq(t.as_str()));
    }
    if let Some(s) = filter.status {
        q = q.filter(A::Status.eq(s.as_str()));
    }
    let col = match filter.sort.as_deref() {
        Some("taxon_name") => A::TaxonName,
        Some("created_at") => A::CreatedAt,
        Some("material_type") => A::MaterialType,
        _ => A::AccessionNumber,
    };
    q = if filter.descending {
        q.order_by_desc(col)
    } else {
        q.order_by_asc(col)
    };
    q = q.order_by_asc(A::Id);
    let paginator = q.paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let items = paginator
        .fetch_page(page.saturating_sub(1))
        .await?
        .into_iter()
        .map(AccessionRow::from)
        .collect();
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}
