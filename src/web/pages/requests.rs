//! Request pages: "My requests" (for staff: every request, the review queue), a request form
//! reached from the catalog, and a request's page with the actions its reader may take.

use std::collections::BTreeMap;

use askama::Template;
use askama_web::WebTemplate;
use rocket::form::FromForm;
use rocket::request::FlashMessage;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::AppState;
use crate::domain::material::Unit;
use crate::domain::requests::{IntendedUse, Party, RequestAction, RequestStatus, next_status};
use crate::error::{AppError, AppResult};
use crate::impl_csrf;
use crate::services::Page;
use crate::services::mtas::{PaperworkActions, paperwork_actions};
use crate::services::request_views::RequestView;
use crate::services::requests::{self, ActionInput, Caller, ItemDecision, NewItem, NewRequest};
use crate::web::forms::CsrfForm;
use crate::web::guards::{AuthUser, ClientIp};
use crate::web::page::PageCtx;
use crate::web::query::Paging;

fn caller(user: &AuthUser) -> Caller {
    Caller {
        user_id: user.user_id,
        role: user.role,
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "requests/list.html")]
struct ListPage {
    ctx: PageCtx,
    page: Page<RequestView>,
    staff: bool,
    status: String,
    statuses: Vec<&'static str>,
}

#[get("/requests?<status>&<page>")]
async fn list(
    ctx: PageCtx,
    user: AuthUser,
    state: &State<AppState>,
    status: Option<String>,
    page: Option<String>,
) -> AppResult<ListPage> {
    let (page, per_page) = Paging {
        page,
        per_page: None,
    }
    .parse(50)?;
    let status = status.unwrap_or_default();
    let wanted = match status.trim() {
        "" => None,
        s => Some(
            s.parse::<RequestStatus>()
                .map_err(|e| AppError::bad("status", format!("status: {e}")))?,
        ),
    };
    let page = requests::list(&state.db, caller(&user), wanted, page, per_page).await?;
    Ok(ListPage {
        ctx,
        page,
        staff: user.role.can_handle_samples(),
        status,
        statuses: RequestStatus::KEYS.to_vec(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "requests/new.html")]
struct NewPage {
    ctx: PageCtx,
    accession: String,
    units: Vec<&'static str>,
    uses: Vec<&'static str>,
}

#[get("/requests/new?<accession>")]
async fn new_form(ctx: PageCtx, _user: AuthUser, accession: Option<i64>) -> NewPage {
    NewPage {
        ctx,
        accession: accession.map(|a| a.to_string()).unwrap_or_default(),
        units: Unit::KEYS.to_vec(),
        uses: IntendedUse::KEYS.to_vec(),
    }
}

/// The request form: up to three items (a simple cart) and the request's fields.
#[derive(Debug, FromForm)]
struct RequestForm {
    csrf_token: String,
    accession_1: Option<String>,
    quantity_1: Option<String>,
    unit_1: Option<String>,
    accession_2: Option<String>,
    quantity_2: Option<String>,
    unit_2: Option<String>,
    accession_3: Option<String>,
    quantity_3: Option<String>,
    unit_3: Option<String>,
    intended_use: String,
    project_description: String,
    shipping_address: String,
}

#[derive(Debug, FromForm)]
struct ActionForm {
    csrf_token: String,
    reason: Option<String>,
    carrier: Option<String>,
    tracking_number: Option<String>,
    rating: Option<String>,
    comment: Option<String>,
    accept: Option<String>,
    /// `approve`: per-item decisions, sent as `item[<item id>].grant|decision|note`.
    item: BTreeMap<String, ItemDecisionForm>,
}

/// One item's decision on the approve form: grant a quantity, or reject it with a reason.
#[derive(Debug, FromForm)]
struct ItemDecisionForm {
    grant: Option<String>,
    decision: Option<String>,
    note: Option<String>,
}

impl_csrf!(RequestForm, ActionForm);

/// Turns the approve form's per-item fields into decisions, checked against the request's items
/// so every message names the form field and the accession. No fields: grant everything asked.
fn parse_decisions(
    r: &RequestView,
    fields: &BTreeMap<String, ItemDecisionForm>,
) -> AppResult<Option<Vec<ItemDecision>>> {
    if fields.is_empty() {
        return Ok(None);
    }
    let mut out = Vec::new();
    for (key, f) in fields {
        let item = key
            .trim()
            .parse::<i64>()
            .ok()
            .and_then(|id| r.items.iter().find(|i| i.id == id))
            .ok_or_else(|| {
                let field = format!("item[{key}]");
                AppError::bad(&field, format!("{field}: not an item of this request"))
            })?;
        let field = |name: &str| format!("item[{}].{name}", item.id);
        let note = f
            .note
            .as_deref()
            .map(str::trim)
            .filter(|n| !n.is_empty())
            .map(str::to_string);
        let quantity = match f.decision.as_deref().map(str::trim).unwrap_or("grant") {
            "reject" => 0.0,
            "grant" | "" => {
                let raw = f.grant.as_deref().map(str::trim).unwrap_or("");
                let q = raw
                    .parse::<f64>()
                    .ok()
                    .filter(|q| q.is_finite())
                    .ok_or_else(|| {
                        AppError::bad(
                            &field("grant"),
                            format!(
                                "{}: the quantity to grant for accession {} must be a number",
                                field("grant"),
                                item.accession_id
                            ),
                        )
                    })?;
                if q < 0.0 || q > item.quantity_requested {
                    return Err(AppError::bad(
                        &field("grant"),
                        format!(
                            "{}: grant from 0 to the {} {} requested for accession {}",
                            field("grant"),
                            item.quantity_requested,
                            item.unit,
                            item.accession_id
                        ),
                    ));
                }
                q
            }
            other => {
                return Err(AppError::bad(
                    &field("decision"),
                    format!(
                        "{}: must be grant or reject, not {other:?}",
                        field("decision")
                    ),
                ));
            }
        };
        if quantity <= 0.0 && note.is_none() {
            return Err(AppError::bad(
                &field("note"),
                format!(
                    "{}: give the reason for rejecting accession {}",
                    field("note"),
                    item.accession_id
                ),
            ));
        }
        out.push(ItemDecision {
            item_id: item.id,
            quantity,
            note,
        });
    }
    Ok(Some(out))
}

fn parse_item(
    n: usize,
    acc: &Option<String>,
    qty: &Option<String>,
    unit: &Option<String>,
) -> AppResult<Option<NewItem>> {
    let acc = acc.as_deref().map(str::trim).unwrap_or("");
    if acc.is_empty() {
        return Ok(None);
    }
    let field = |f: &str| format!("{f}_{n}");
    let accession_id = acc.parse::<i64>().map_err(|_| {
        AppError::bad(
            &field("accession"),
            format!("{}: must be an accession id", field("accession")),
        )
    })?;
    let quantity = qty
        .as_deref()
        .map(str::trim)
        .unwrap_or("")
        .parse::<f64>()
        .map_err(|_| {
            AppError::bad(
                &field("quantity"),
                format!("{}: must be a number", field("quantity")),
            )
        })?;
    Ok(Some(NewItem {
        accession_id,
        quantity,
        unit: unit.clone().unwrap_or_default(),
    }))
}

#[post("/requests", data = "<form>")]
async fn create(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    form: CsrfForm<RequestForm>,
) -> AppResult<Flash<Redirect>> {
    let f = form.0;
    let mut items = Vec::new();
    for (n, a, q, u) in [
        (1, &f.accession_1, &f.quantity_1, &f.unit_1),
        (2, &f.accession_2, &f.quantity_2, &f.unit_2),
        (3, &f.accession_3, &f.quantity_3, &f.unit_3),
    ] {
        items.extend(parse_item(n, a, q, u)?);
    }
    let input = NewRequest {
        items,
        intended_use: f.intended_use,
        project_description: f.project_description,
        shipping_address: f.shipping_address,
    };
    let r = requests::create(&state.db, &user.actor(ip.0), caller(&user), input).await?;
    Ok(Flash::success(
        Redirect::to(format!("/requests/{}", r.id)),
        "request.created_notice",
    ))
}

#[derive(Template, WebTemplate)]
#[template(path = "requests/show.html")]
struct ShowPage {
    ctx: PageCtx,
    r: RequestView,
    actions: Vec<&'static str>,
    paperwork: PaperworkActions,
}

impl ShowPage {
    /// The catalog key of an action's button.
    fn action_key(&self, action: &str) -> &'static str {
        match action {
            "submit" => "request.action.submit",
            "review" => "request.action.review",
            "approve" => "request.action.approve",
            "reject" => "request.action.reject",
            "cancel" => "request.action.cancel",
            "accept-mta" => "request.action.accept-mta",
            "pick" => "request.action.pick",
            "ship" => "request.action.ship",
            "receive" => "request.action.receive",
            _ => "request.action.feedback",
        }
    }
}

/// The actions this reader may take on the request now.
fn actions_for(caller: Caller, r: &RequestView) -> Vec<&'static str> {
    let Ok(status) = r.status.parse::<RequestStatus>() else {
        return Vec::new();
    };
    RequestAction::ALL
        .iter()
        .filter(|a| next_status(status, **a).is_ok())
        .filter(|a| {
            a.parties().iter().any(|p| match p {
                Party::Requester => r.requester_id == caller.user_id,
                Party::Curator => caller.role.can_curate(),
                Party::Staff => caller.role.can_handle_samples(),
            })
        })
        .map(|a| a.as_str())
        .collect()
}

#[get("/requests/<id>", rank = 2)]
async fn show(
    ctx: PageCtx,
    user: AuthUser,
    state: &State<AppState>,
    id: i64,
    _flash: Option<FlashMessage<'_>>,
) -> AppResult<ShowPage> {
    let r = requests::get(&state.db, caller(&user), id).await?;
    Ok(ShowPage {
        actions: actions_for(caller(&user), &r),
        paperwork: paperwork_actions(caller(&user), &r),
        ctx,
        r,
    })
}

#[post("/requests/<id>/<action>", data = "<form>", rank = 2)]
async fn act(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    action: &str,
    form: CsrfForm<ActionForm>,
) -> AppResult<Flash<Redirect>> {
    let action: RequestAction = action.parse().map_err(|_| AppError::NotFound)?;
    let f = form.0;
    let rating =
        match f.rating.as_deref().map(str::trim).filter(|r| !r.is_empty()) {
            None => None,
            Some(r) => Some(r.parse::<i32>().map_err(|_| {
                AppError::bad("rating", "rating: must be a whole number from 1 to 5")
            })?),
        };
    let items = if action == RequestAction::Approve && !f.item.is_empty() {
        let r = requests::get(&state.db, caller(&user), id).await?;
        parse_decisions(&r, &f.item)?
    } else {
        None
    };
    let input = ActionInput {
        reason: f.reason,
        items,
        accept: f.accept.map(|a| a == "yes" || a == "on" || a == "true"),
        carrier: f.carrier,
        tracking_number: f.tracking_number,
        rating,
        comment: f.comment,
    };
    requests::act(
        &state.db,
        &state.config,
        &user.actor(ip.0),
        caller(&user),
        id,
        action,
        input,
    )
    .await?;
    Ok(Flash::success(
        Redirect::to(format!("/requests/{id}")),
        "request.updated",
    ))
}

/// The request pages.
pub fn routes() -> Vec<Route> {
    routes![list, new_form, create, show, act]
}
