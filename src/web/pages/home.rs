//! The start page.

use crate::AppState;
use crate::error::AppResult;
use crate::services::overview;
use crate::web::page::PageCtx;
use askama::Template;
use askama_web::WebTemplate;
use rocket::{Route, State, get, routes};

#[derive(Template, WebTemplate)]
#[template(path = "home.html")]
struct HomePage {
    ctx: PageCtx,
    accessions: u64,
    samples: u64,
    pending_users: u64,
}

#[get("/")]
async fn home(ctx: PageCtx, state: &State<AppState>) -> AppResult<HomePage> {
    let o = overview::overview(&state.db, ctx.is_staff(), ctx.is_curator()).await?;
    Ok(HomePage {
        ctx,
        accessions: o.accessions,
        samples: o.samples,
        pending_users: o.pending_users,
    })
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![home]
}
