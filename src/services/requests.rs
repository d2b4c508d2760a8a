//! Distribution requests: a researcher asks for material, a curator decides, the requester
//! accepts the MTA, staff pick and ship, the requester confirms receipt and rates the service.
//! Transitions follow `domain::requests`; approval reserves stock through the ledger and
//! shipping turns the reservation into a distribution, so quantity never goes below zero.

use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, Set, TransactionSession, TransactionTrait,
};
use serde::Deserialize;

use entities::{
    accession, feedback, request, request_document, request_item, request_item_sample, sample,
    shipment,
};

use super::request_views::{RequestView, load, view_of};
use super::{Actor, Page, audit, ledger, notices, now};
use crate::AppConfig;
use crate::domain::FieldError;
use crate::domain::material::{AccessionStatus, MaterialType, Role, SampleStatus, Unit};
use crate::domain::requests::{
    IntendedUse, Party, RequestAction, RequestStatus, check_rating, next_status, required_documents,
};
use crate::error::{AppError, AppResult};

/// The most items one request may carry.
pub const MAX_ITEMS: usize = 50;

/// Who is acting on a request: their account and role.
#[derive(Debug, Clone, Copy)]
pub struct Caller {
    pub user_id: i64,
    pub role: Role,
}

/// One requested accession.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewItem {
    pub accession_id: i64,
    pub quantity: f64,
    /// `seeds`, `g`, `vials`, `ampoules`, …
    pub unit: String,
}

/// What a researcher fills in to request material.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct NewRequest {
    pub items: Vec<NewItem>,
    /// `research`, `breeding`, `training` or `other`.
    pub intended_use: String,
    pub project_description: String,
    pub shipping_address: String,
}

/// A curator's decision on one item when approving.
#[derive(Debug, Clone, Deserialize, utoipa::ToSchema)]
pub struct ItemDecision {
    pub item_id: i64,
    /// How much to grant (0 declines the item).
    pub quantity: f64,
    pub note: Option<String>,
}

/// The fields an action may carry; each action reads only its own.
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
pub struct ActionInput {
    /// `reject` and `cancel`: why.
    pub reason: Option<String>,
    /// `approve`: per-item quantities (omit to grant everything requested).
    pub items: Option<Vec<ItemDecision>>,
    /// `accept-mta`: must be true (click-wrap acceptance).
    pub accept: Option<bool>,
    /// `ship`: carrier and tracking number.
    pub carrier: Option<String>,
    pub tracking_number: Option<String>,
    /// `feedback`: 1–5 and an optional comment.
    pub rating: Option<i32>,
    pub comment: Option<String>,
}

fn required_text(field: &str, value: Option<&str>) -> Result<String, FieldError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        Some(v) if v.chars().count() <= 4000 => Ok(v.to_string()),
        Some(_) => Err(FieldError::new(
            field,
            "too_long",
            format!("{field}: must be at most 4000 characters"),
        )),
        None => Err(FieldError::new(
            field,
            "required",
            format!("{field}: is required"),
        )),
    }
}

fn check_new(conn_errors: &mut Vec<FieldError>, input: &NewRequest) {
    if let Err(e) = input.intended_use.trim().parse::<IntendedUse>() {
        conn_errors.push(e.to_field_error("intended_use"));
    }
    for (field, v) in [
        ("project_description", &input.project_description),
        ("shipping_address", &input.shipping_address),
    ] {
        if let Err(e) = required_text(field, Some(v)) {
            conn_errors.push(e);
        }
    }
    if input.items.is_empty() || input.items.len() > MAX_ITEMS {
        conn_errors.push(FieldError::new(
            "items",
            "invalid_count",
            format!("items: request from 1 to {MAX_ITEMS} accessions"),
        ));
    }
    for (i, item) in input.items.iter().enumerate() {
        if !item.quantity.is_finite() || item.quantity <= 0.0 {
            let f = format!("items[{i}].quantity");
            conn_errors.push(FieldError::new(
                &f,
                "out_of_range",
                format!("{f}: must be a number above zero"),
            ));
        }
        if let Err(e) = item.unit.trim().parse::<Unit>() {
            conn_errors.push(e.to_field_error(&format!("items[{i}].unit")));
        }
    }
}

/// Creates a draft request for `caller` after checking every field and accession.
pub async fn create<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    actor: &Actor,
    caller: Caller,
    input: NewRequest,
) -> AppResult<RequestView> {
    let mut errors = Vec::new();
    check_new(&mut errors, &input);
    for (i, item) in input.items.iter().enumerate() {
        let f = format!("items[{i}].accession_id");
        match accession::Entity::find_by_id(item.accession_id)
            .one(db)
            .await?
        {
            None => errors.push(FieldError::new(
                &f,
                "not_found",
                format!("{f}: no accession {}", item.accession_id),
            )),
            Some(a) if !a.available || a.status != AccessionStatus::Active.as_str() => {
                errors.push(FieldError::new(
                    &f,
                    "not_available",
                    format!(
                        "{f}: accession {} is not available for distribution",
                        a.accession_number
                    ),
                ))
            }
            Some(_) => {}
        }
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let txn = db.begin().await?;
    let stamp = now();
    let r = request::ActiveModel {
        request_number: Set(format!("tmp-{}", super::random_token(12))),
        requester_id: Set(caller.user_id),
        recipient_institution_id: Set(None),
        shipping_address: Set(Some(input.shipping_address.trim().to_string())),
        intended_use: Set(input.intended_use.trim().to_string()),
        project_description: Set(Some(input.project_description.trim().to_string())),
        status: Set(RequestStatus::Draft.as_str().to_string()),
        created_at: Set(stamp),
        updated_at: Set(stamp),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let mut am: request::ActiveModel = r.clone().into();
    am.request_number = Set(format!("REQ-{}-{:05}", stamp.format("%Y"), r.id));
    let r = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        "create",
        "requests",
        r.id,
        None,
        audit::snapshot(&r),
    )
    .await?;
    for item in &input.items {
        let it = request_item::ActiveModel {
            request_id: Set(r.id),
            accession_id: Set(item.accession_id),
            quantity_requested: Set(item.quantity),
            unit: Set(item.unit.trim().to_string()),
            status: Set("requested".into()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        audit::record(
            &txn,
            actor,
            "create",
            "request_items",
            it.id,
            None,
            audit::snapshot(&it),
        )
        .await?;
    }
    let view = view_of(&txn, r).await?;
    txn.commit().await?;
    Ok(view)
}

/// True when `caller` may read the request (its requester, or staff).
fn may_read(caller: Caller, r: &request::Model) -> bool {
    r.requester_id == caller.user_id || caller.role.can_handle_samples()
}

/// One request, if the caller may see it.
pub async fn get<C: ConnectionTrait>(conn: &C, caller: Caller, id: i64) -> AppResult<RequestView> {
    let r = request::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_read(caller, &r) {
        return Err(AppError::NotFound);
    }
    view_of(conn, r).await
}

/// A page of requests: researchers see their own, staff see all (optionally by status).
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    caller: Caller,
    status: Option<RequestStatus>,
    page: u64,
    per_page: u64,
) -> AppResult<Page<RequestView>> {
    let mut q = request::Entity::find();
    if !caller.role.can_handle_samples() {
        q = q.filter(request::Column::RequesterId.eq(caller.user_id));
    }
    if let Some(s) = status {
        q = q.filter(request::Column::Status.eq(s.as_str()));
    }
    let paginator = q
        .order_by_desc(request::Column::Id)
        .paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let mut items = Vec::new();
    for r in paginator.fetch_page(page.saturating_sub(1)).await? {
        items.push(view_of(conn, r).await?);
    }
    Ok(Page {
        items,
        total,
        page,
        per_page,
    })
}

fn plays(caller: Caller, r: &request::Model, party: Party) -> bool {
    match party {
        Party::Requester => r.requester_id == caller.user_id,
        Party::Curator => caller.role.can_curate(),
        Party::Staff => caller.role.can_handle_samples(),
    }
}

/// Takes `action` on request `id`: checks the caller's side and the state machine, then does
/// the action's work, records who and when, audits, and notifies the other side, all in one
/// transaction. `config` supplies the base URL the agreement PDF issued at approval links to.
pub async fn act<C: ConnectionTrait + TransactionTrait>(
    db: &C,
    config: &AppConfig,
    actor: &Actor,
    caller: Caller,
    id: i64,
    action: RequestAction,
    input: ActionInput,
) -> AppResult<RequestView> {
    let r = request::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    if !action.parties().iter().any(|&p| plays(caller, &r, p)) {
        // Someone else's request stays hidden unless the action is refused by role alone.
        let by_role_only = !action.parties().contains(&Party::Requester);
        if !by_role_only && !may_read(caller, &r) {
            return Err(AppError::NotFound);
        }
        return Err(AppError::Forbidden(format!(
            "your role does not allow '{action}' on this request"
        )));
    }
    let from: RequestStatus = r
        .status
        .parse()
        .map_err(|e| AppError::Internal(format!("request {id}: {e}")))?;
    let mut to =
        next_status(from, action).map_err(|e| AppError::conflict("status", e.to_string()))?;
    let txn = db.begin().await?;
    // Claim the request first: a write as the first statement takes SQLite's write lock (so
    // the reads below see the latest data) and refuses a racing action on the same request.
    let stamp = now();
    let claimed = request::Entity::update_many()
        .col_expr(request::Column::UpdatedAt, Expr::value(stamp))
        .filter(request::Column::Id.eq(id))
        .filter(request::Column::Status.eq(from.as_str()))
        .exec(&txn)
        .await?;
    if claimed.rows_affected == 0 {
        return Err(AppError::conflict(
            "status",
            "status: the request was changed by someone else; reload it",
        ));
    }
    let mut am: request::ActiveModel = r.clone().into();
    match action {
        RequestAction::Submit => am.submitted_at = Set(Some(stamp)),
        RequestAction::Review => {
            am.reviewed_at = Set(Some(stamp));
            am.curator_id = Set(Some(caller.user_id));
        }
        RequestAction::Approve => {
            to = approve(&txn, config, actor, caller, &r, input.items.as_deref()).await?;
            am.decided_at = Set(Some(stamp));
            am.curator_id = Set(Some(caller.user_id));
        }
        RequestAction::Reject => {
            let reason = required_text("reason", input.reason.as_deref())?;
            am.rejection_reason = Set(Some(reason));
            am.decided_at = Set(Some(stamp));
            am.curator_id = Set(Some(caller.user_id));
        }
        RequestAction::Cancel => {
            let reason = required_text("reason", input.reason.as_deref())?;
            if from.holds_reservation() {
                release_all(&txn, actor, id).await?;
            }
            am.cancel_reason = Set(Some(reason));
            am.cancelled_at = Set(Some(stamp));
        }
        RequestAction::AcceptMta => {
            if input.accept != Some(true) {
                return Err(FieldError::new(
                    "accept",
                    "required",
                    "accept: must be true to accept the material-transfer agreement",
                )
                .into());
            }
            super::mtas::accept_click_wrap(&txn, actor, caller, id).await?;
            am.mta_accepted_at = Set(Some(stamp));
        }
        RequestAction::Pick => {
            // Picking opens; each sample is then confirmed by scanning it (services::picking).
            am.picking_started_at = Set(Some(stamp));
        }
        RequestAction::Ship => {
            ship(&txn, actor, caller, id, &input).await?;
            am.shipped_at = Set(Some(stamp));
        }
        RequestAction::Receive => {
            receive(&txn, actor, id).await?;
            am.received_at = Set(Some(stamp));
        }
        RequestAction::Feedback => {
            let rating = check_rating(input.rating.ok_or_else(|| {
                FieldError::new("rating", "required", "rating: is required (1–5)")
            })?)?;
            let f = feedback::ActiveModel {
                request_id: Set(id),
                rating: Set(rating),
                comment: Set(input
                    .comment
                    .as_deref()
                    .map(str::trim)
                    .filter(|c| !c.is_empty())
                    .map(str::to_string)),
                created_by: Set(Some(caller.user_id)),
                created_at: Set(stamp),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
            audit::record(
                &txn,
                actor,
                "create",
                "feedback",
                f.id,
                None,
                audit::snapshot(&f),
            )
            .await?;
            am.closed_at = Set(Some(stamp));
        }
    }
    am.status = Set(to.as_str().to_string());
    am.updated_at = Set(stamp);
    let after = am.update(&txn).await?;
    audit::record(
        &txn,
        actor,
        action.as_str(),
        "requests",
        id,
        audit::snapshot(&r),
        audit::snapshot(&after),
    )
    .await?;
    notices::notify_other_side(&txn, actor, &after, caller.user_id, to).await?;
    let view = load(&txn, id).await?;
    txn.commit().await?;
    Ok(view)
}

/// Grants each item (all requested, or the curator's quantities), checks required documents,
/// reserves stock on specific samples and issues the MTA. Returns approved or partially approved.
async fn approve<C: ConnectionTrait>(
    txn: &C,
    config: &AppConfig,
    actor: &Actor,
    caller: Caller,
    r: &request::Model,
    decisions: Option<&[ItemDecision]>,
) -> AppResult<RequestStatus> {
    let items = request_item::Entity::find()
        .filter(request_item::Column::RequestId.eq(r.id))
        .order_by_asc(request_item::Column::Id)
        .all(txn)
        .await?;
    let mut granted: Vec<(request_item::Model, f64, Option<String>)> = Vec::new();
    for it in &items {
        granted.push((it.clone(), it.quantity_requested, None));
    }
    for (i, d) in decisions.unwrap_or_default().iter().enumerate() {
        let Some(slot) = granted.iter_mut().find(|g| g.0.id == d.item_id) else {
            let f = format!("items[{i}].item_id");
            return Err(FieldError::new(
                &f,
                "not_found",
                format!("{f}: item {} is not part of this request", d.item_id),
            )
            .into());
        };
        if !d.quantity.is_finite() || d.quantity < 0.0 || d.quantity > slot.0.quantity_requested {
            let f = format!("items[{i}].quantity");
            return Err(FieldError::new(
                &f,
                "out_of_range",
                format!(
                    "{f}: must be from 0 to the {} {} requested",
                    slot.0.quantity_requested, slot.0.unit
                ),
            )
            .into());
        }
        slot.1 = d.quantity;
        slot.2 = d.note.clone();
    }
    if granted.iter().all(|g| g.1 <= 0.0) {
        return Err(FieldError::new(
            "items",
            "nothing_granted",
            "items: grant at least one item, or reject the request",
        )
        .into());
    }
    check_documents(txn, r.id, &granted).await?;
    let mut partial = false;
    for (i, (it, qty, note)) in granted.iter().enumerate() {
        partial |= *qty < it.quantity_requested;
        if *qty > 0.0 {
            reserve_item(txn, actor, r.id, i, it, *qty).await?;
        }
        let mut am: request_item::ActiveModel = it.clone().into();
        am.quantity_approved = Set(Some(*qty));
        am.status = Set(if *qty > 0.0 { "approved" } else { "declined" }.into());
        am.curator_note = Set(note.clone());
        let after = am.update(txn).await?;
        audit::record(
            txn,
            actor,
            "approve",
            "request_items",
            it.id,
            audit::snapshot(it),
            audit::snapshot(&after),
        )
        .await?;
    }
    super::mtas::issue(txn, config, actor, r, caller.user_id).await?;
    Ok(if partial {
        RequestStatus::PartiallyApproved
    } else {
        RequestStatus::Approved
    })
}

/// Refuses approval while a required document (ethics approval for human material, biosafety
/// permit for risk group 2+) has not been uploaded, naming the document.
async fn check_documents<C: ConnectionTrait>(
    txn: &C,
    request_id: i64,
    granted: &[(request_item::Model, f64, Option<String>)],
) -> AppResult<()> {
    let mut human = false;
    let mut max_risk: Option<i32> = None;
    for (it, _, _) in granted.iter().filter(|g| g.1 > 0.0) {
        if let Some(a) = accession::Entity::find_by_id(it.accession_id)
            .one(txn)
            .await?
        {
            // Specimens carry no organism field; every specimen is treated as human material.
            human |= a.material_type == MaterialType::Specimen.as_str()
                || a.taxon_name.to_lowercase().starts_with("homo sapiens");
            max_risk = max_risk.max(a.risk_group);
        }
    }
    let have: Vec<String> = request_document::Entity::find()
        .filter(request_document::Column::RequestId.eq(request_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|d| d.doc_type)
        .collect();
    for doc in required_documents(human, max_risk) {
        if !have.iter().any(|h| h == doc.as_str()) {
            return Err(FieldError::new(
                "documents",
                "missing_document",
                format!(
                    "documents: a {} ({}) must be uploaded before this request can be approved",
                    doc.label().to_lowercase(),
                    doc.as_str()
                ),
            )
            .into());
        }
    }
    Ok(())
}

/// Reserves `qty` for one item across the accession's free samples of the item's unit.
async fn reserve_item<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    request_id: i64,
    index: usize,
    it: &request_item::Model,
    qty: f64,
) -> AppResult<()> {
    let candidates = sample::Entity::find()
        .filter(sample::Column::AccessionId.eq(it.accession_id))
        .filter(sample::Column::Unit.eq(it.unit.clone()))
        .filter(sample::Column::Status.is_in([
            SampleStatus::Available.as_str(),
            SampleStatus::Reserved.as_str(),
        ]))
        .order_by_asc(sample::Column::Id)
        .all(txn)
        .await?;
    let mut left = qty;
    let mut free_total = 0.0;
    // Batches held back by a failed mycoplasma or STR test: (label code, free quantity, tests).
    let mut quarantined: Vec<(String, f64, Vec<String>)> = Vec::new();
    for s in candidates {
        if left <= 0.0 {
            break;
        }
        let free = s.quantity - s.reserved_quantity;
        if free <= 0.0 {
            continue;
        }
        let failed = super::viability::distribution_block(txn, s.id).await?;
        if !failed.is_empty() {
            quarantined.push((s.label_code.clone(), free, failed));
            continue;
        }
        free_total += free;
        let take = free.min(left);
        if ledger::reserve(txn, actor, s.id, take, request_id).await? {
            let ris = request_item_sample::ActiveModel {
                request_item_id: Set(it.id),
                sample_id: Set(s.id),
                quantity_reserved: Set(take),
                ..Default::default()
            }
            .insert(txn)
            .await?;
            audit::record(
                txn,
                actor,
                "create",
                "request_item_samples",
                ris.id,
                None,
                audit::snapshot(&ris),
            )
            .await?;
            left -= take;
        }
    }
    if left > 1e-9 {
        let f = format!("items[{index}].quantity");
        let held: String = quarantined
            .iter()
            .map(|(code, free, failed)| {
                let code = crate::domain::label_code::LabelCode::parse(code)
                    .map(|c| c.display())
                    .unwrap_or_else(|_| code.clone());
                format!(
                    "; {free} {} in batch {code} are quarantined after a failed {} test and \
                     cannot be distributed until a later test passes",
                    it.unit,
                    failed.join(" and ").replace("str_profile", "STR profile")
                )
            })
            .collect();
        return Err(AppError::conflict(
            &f,
            format!(
                "{f}: only {} {} of accession {} can be reserved now{held}; approve less or reject",
                free_total.min(qty),
                it.unit,
                it.accession_id
            ),
        ));
    }
    Ok(())
}

async fn reservations<C: ConnectionTrait>(
    txn: &C,
    request_id: i64,
) -> AppResult<Vec<request_item_sample::Model>> {
    let ids: Vec<i64> = request_item::Entity::find()
        .filter(request_item::Column::RequestId.eq(request_id))
        .all(txn)
        .await?
        .into_iter()
        .map(|i| i.id)
        .collect();
    Ok(request_item_sample::Entity::find()
        .filter(request_item_sample::Column::RequestItemId.is_in(ids))
        .all(txn)
        .await?)
}

async fn release_all<C: ConnectionTrait>(txn: &C, actor: &Actor, request_id: i64) -> AppResult<()> {
    for ris in reservations(txn, request_id).await? {
        ledger::release(txn, actor, ris.sample_id, ris.quantity_reserved, request_id).await?;
    }
    Ok(())
}

async fn ship<C: ConnectionTrait>(
    txn: &C,
    actor: &Actor,
    caller: Caller,
    request_id: i64,
    input: &ActionInput,
) -> AppResult<()> {
    let waiting = super::picking::unpicked(txn, request_id).await?;
    if waiting > 0 {
        return Err(AppError::conflict(
            "status",
            format!(
                "status: {waiting} sample(s) on the pick list are not confirmed yet; scan each one before shipping"
            ),
        ));
    }
    for ris in reservations(txn, request_id).await? {
        ledger::distribute_reserved(txn, actor, ris.sample_id, ris.quantity_reserved, request_id)
            .await?;
    }
    let trimmed = |v: &Option<String>| {
        v.as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
    };
    let s = shipment::ActiveModel {
        request_id: Set(request_id),
        carrier: Set(trimmed(&input.carrier)),
        tracking_number: Set(trimmed(&input.tracking_number)),
        shipped_by: Set(Some(caller.user_id)),
        shipped_at: Set(Some(now())),
        received_at: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(txn)
    .await?;
    audit::record(
        txn,
        actor,
        "create",
        "shipments",
        s.id,
        None,
        audit::snapshot(&s),
    )
    .await
}

async fn receive<C: ConnectionTrait>(txn: &C, actor: &Actor, request_id: i64) -> AppResult<()> {
    let Some(s) = shipment::Entity::find()
        .filter(shipment::Column::RequestId.eq(request_id))
        .one(txn)
        .await?
    else {
        return Ok(());
    };
    let mut am: shipment::ActiveModel = s.clone().into();
    am.received_at = Set(Some(now()));
    let after = am.update(txn).await?;
    audit::record(
        txn,
        actor,
        "receive",
        "shipments",
        s.id,
        audit::snapshot(&s),
        audit::snapshot(&after),
    )
    .await
}
