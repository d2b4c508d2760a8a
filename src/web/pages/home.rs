//! The start page.

use askama::Template;
use askama_web::WebTemplate;
use rocket::{Route, State, get, routes};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};

use entities::{accession, sample, user};

use crate::AppState;
use crate::error::AppResult;
use crate::web::page::PageCtx;

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
    let (mut accessions, mut samples, mut pending_users) = (0, 0, 0);
    if ctx.is_staff() {
        accessions = accession::Entity::find().count(&state.db).await?;
        samples = sample::Entity::find().count(&state.db).await?;
    }
    if ctx.is_curator() {
        pending_users = user::Entity::find()
            .filter(user::Column::Status.eq("pending"))
            .count(&state.db)
            .await?;
    }
    Ok(HomePage {
        ctx,
        accessions,
        samples,
        pending_users,
    })
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![home]
}
