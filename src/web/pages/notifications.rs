//! The signed-in user's notices: request transitions and viability reminders, newest first,
//! each with a link to what it is about and a button to mark it read.

use askama::Template;
use askama_web::WebTemplate;
use rocket::form::FromForm;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::services::notices;
use crate::services::viability::reminders::{REMINDER_KEY, ReminderArgs};
use crate::web::forms::CsrfForm;
use crate::web::guards::{AuthUser, ClientIp};
use crate::web::page::PageCtx;

/// The newest notices shown.
const SHOWN: u64 = 200;

/// One notice as the page shows it.
pub struct NoticeView {
    pub id: i64,
    pub text: String,
    pub link: Option<String>,
    pub created: String,
    pub unread: bool,
}

#[derive(Template, WebTemplate)]
#[template(path = "notifications/index.html")]
struct NotificationsPage {
    ctx: PageCtx,
    notices: Vec<NoticeView>,
    unread: u64,
}

fn view(lang: crate::i18n::Lang, n: entities::notification::Model) -> NoticeView {
    let args: serde_json::Value = n
        .message_args
        .as_deref()
        .and_then(|a| serde_json::from_str(a).ok())
        .unwrap_or_default();
    let (text, link) = if n.message_key == REMINDER_KEY {
        match serde_json::from_value::<ReminderArgs>(args) {
            Ok(r) => (r.text(lang), Some(format!("/s/{}#viability", r.label_code))),
            Err(_) => (n.message_key.clone(), None),
        }
    } else if let Some(status) = n.message_key.strip_prefix("request.notice.") {
        (
            notices::request_notice_text(
                lang,
                args["request_number"].as_str().unwrap_or(""),
                status,
            ),
            n.request_id.map(|id| format!("/requests/{id}")),
        )
    } else {
        (n.message_key.clone(), None)
    };
    NoticeView {
        id: n.id,
        text,
        link,
        created: n.created_at.format("%Y-%m-%d %H:%M").to_string(),
        unread: n.read_at.is_none(),
    }
}

#[get("/notifications")]
async fn notifications(
    ctx: PageCtx,
    user: AuthUser,
    state: &State<AppState>,
) -> AppResult<NotificationsPage> {
    let (items, unread) = notices::inbox(&state.db, user.user_id, SHOWN).await?;
    Ok(NotificationsPage {
        notices: items.into_iter().map(|n| view(ctx.lang, n)).collect(),
        unread,
        ctx,
    })
}

#[derive(FromForm)]
struct ReadForm {
    csrf_token: String,
    /// One notice; absent or empty: all of them.
    id: Option<String>,
}
crate::impl_csrf!(ReadForm);

#[post("/notifications/read", data = "<form>")]
async fn mark_read(
    user: AuthUser,
    ip: ClientIp,
    state: &State<AppState>,
    form: CsrfForm<ReadForm>,
) -> AppResult<Flash<Redirect>> {
    let id = match form
        .0
        .id
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(v) => Some(
            v.parse::<i64>()
                .map_err(|_| AppError::bad("id", format!("id: '{v}' is not a notice number")))?,
        ),
        None => None,
    };
    notices::mark_read(&state.db, &user.actor(ip.0), user.user_id, id).await?;
    Ok(Flash::success(
        Redirect::to("/notifications"),
        "notice.marked_read",
    ))
}

/// Routes of this page.
pub fn routes() -> Vec<Route> {
    routes![notifications, mark_read]
}
