//! The audit page: every write, filterable by user, record and date range.

use askama::Template;
use askama_web::WebTemplate;
use chrono::NaiveDate;
use rocket::form::FromForm;
use rocket::{Route, State, get, routes};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use entities::{audit_log, user};

use crate::AppState;
use crate::domain::text::check_text;
use crate::error::{AppError, AppResult};
use crate::i18n::Lang;
use crate::services::Page;
use crate::services::audit::{self, AuditFilter};
use crate::web::guards::Curator;
use crate::web::page::PageCtx;
use crate::web::query::Paging;

/// One audit record as people read it.
pub struct AuditRowView {
    pub action: String,
    pub actor: String,
    pub table: String,
    pub row_id: String,
    pub at: String,
    pub at_iso: String,
    pub ip: Option<String>,
    /// (field, before, after) for the fields that changed.
    pub changes: Vec<(String, String, String)>,
}

fn short(v: Option<&serde_json::Value>) -> String {
    match v {
        None | Some(serde_json::Value::Null) => "—".into(),
        Some(serde_json::Value::String(s)) => s.chars().take(120).collect(),
        Some(other) => other.to_string().chars().take(120).collect(),
    }
}

fn changes(before: Option<&str>, after: Option<&str>) -> Vec<(String, String, String)> {
    let parse = |s: Option<&str>| s.and_then(|s| serde_json::from_str::<serde_json::Value>(s).ok());
    let (b, a) = (parse(before), parse(after));
    let empty = serde_json::Map::new();
    let bm = b.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
    let am = a.as_ref().and_then(|v| v.as_object()).unwrap_or(&empty);
    let mut keys: Vec<&String> = bm.keys().chain(am.keys()).collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|k| !matches!(k.as_str(), "updated_at" | "created_at" | "password_hash"))
        .filter(|k| bm.get(*k) != am.get(*k))
        .filter(|k| !(bm.is_empty() && am.get(*k).is_none_or(|v| v.is_null())))
        .map(|k| (k.clone(), short(bm.get(k)), short(am.get(k))))
        .collect()
}

/// Audit records as view rows.
pub fn rows(lang: Lang, records: Vec<audit_log::Model>) -> Vec<AuditRowView> {
    records
        .into_iter()
        .map(|r| AuditRowView {
            action: super::view::tr(lang, &format!("audit.action.{}", r.action), &r.action),
            changes: changes(r.before_json.as_deref(), r.after_json.as_deref()),
            actor: r.actor_name,
            table: r.table_name,
            row_id: r.row_id,
            at: r.created_at.format("%Y-%m-%d %H:%M:%S UTC").to_string(),
            at_iso: r.created_at.to_rfc3339(),
            ip: r.client_ip,
        })
        .collect()
}

/// The audit page's filters as typed.
#[derive(Debug, Default, FromForm)]
pub struct AuditQuery {
    pub user: Option<String>,
    pub table: Option<String>,
    pub row_id: Option<String>,
    pub from: Option<String>,
    pub to: Option<String>,
    pub page: Option<String>,
    pub per_page: Option<String>,
}

fn parse_day(name: &str, v: &Option<String>) -> AppResult<Option<NaiveDate>> {
    match v.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| AppError::bad(name, format!("{name}: '{s}' is not a date (YYYY-MM-DD)"))),
    }
}

impl AuditQuery {
    /// The service filter; an unknown username matches nothing rather than everything.
    pub async fn to_filter(
        &self,
        db: &sea_orm::DatabaseConnection,
    ) -> AppResult<(AuditFilter, u64, u64)> {
        for (name, v) in [
            ("user", &self.user),
            ("table", &self.table),
            ("row_id", &self.row_id),
        ] {
            if let Some(v) = v {
                check_text(name, v, 200).map_err(|e| AppError::bad(name, e.message))?;
            }
        }
        let actor_id = match self
            .user
            .as_deref()
            .map(str::trim)
            .filter(|s| !s.is_empty())
        {
            None => None,
            Some(name) => Some(
                user::Entity::find()
                    .filter(user::Column::Username.eq(name))
                    .one(db)
                    .await?
                    .map(|u| u.id)
                    .unwrap_or(-1),
            ),
        };
        let from = parse_day("from", &self.from)?
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc());
        let to = parse_day("to", &self.to)?
            .and_then(|d| d.succ_opt())
            .and_then(|d| d.and_hms_opt(0, 0, 0))
            .map(|d| d.and_utc());
        let clean = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let (page, per_page) = Paging {
            page: self.page.clone(),
            per_page: self.per_page.clone(),
        }
        .parse(50)?;
        Ok((
            AuditFilter {
                actor_id,
                table: clean(&self.table),
                row_id: clean(&self.row_id),
                from,
                to,
            },
            page,
            per_page,
        ))
    }

    fn value<'a>(&'a self, v: &'a Option<String>) -> &'a str {
        v.as_deref().unwrap_or("")
    }

    /// The same query on another page.
    pub fn with_page(&self, page: u64) -> String {
        let mut s = format!("?page={page}");
        for (k, v) in [
            ("user", &self.user),
            ("table", &self.table),
            ("row_id", &self.row_id),
            ("from", &self.from),
            ("to", &self.to),
        ] {
            if let Some(v) = v.as_deref().filter(|v| !v.is_empty()) {
                s.push_str(&format!("&{k}={}", super::url_encode(v)));
            }
        }
        s
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "audit/list.html")]
struct AuditPage {
    ctx: PageCtx,
    query: AuditQuery,
    page: Page<()>,
    rows: Vec<AuditRowView>,
}

#[get("/audit?<query..>")]
async fn audit_page(
    ctx: PageCtx,
    _c: Curator,
    state: &State<AppState>,
    query: AuditQuery,
) -> AppResult<AuditPage> {
    let (filter, page, per_page) = query.to_filter(&state.db).await?;
    let found = audit::search(&state.db, &filter, page, per_page).await?;
    let rows = rows(ctx.lang, found.items);
    Ok(AuditPage {
        ctx,
        query,
        page: Page {
            items: Vec::new(),
            total: found.total,
            page,
            per_page,
        },
        rows,
    })
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![audit_page]
}
