//! The pick list page: the request's samples in walking order, and a scan box that confirms
//! each one as it comes out of the freezer (a wrong tube is refused on the spot).

use askama::Template;
use askama_web::WebTemplate;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::{Route, State, get, post, routes};

use crate::AppState;
use crate::error::{AppError, AppResult};
use crate::services::picking::{self, PickLine};
use crate::web::forms::CsrfForm;
use crate::web::guards::{ClientIp, Staff};
use crate::web::page::PageCtx;

#[derive(Template, WebTemplate)]
#[template(path = "requests/pick.html")]
struct PickPage {
    ctx: PageCtx,
    request_id: i64,
    lines: Vec<PickLine>,
    /// The last scan: what was confirmed (label code), or why it was refused.
    confirmed: Option<String>,
    error: Option<String>,
}

impl PickPage {
    fn remaining(&self) -> usize {
        self.lines.iter().filter(|l| !l.picked).count()
    }
}

#[get("/requests/<id>/pick-list")]
async fn show(ctx: PageCtx, _s: Staff, state: &State<AppState>, id: i64) -> AppResult<PickPage> {
    Ok(PickPage {
        ctx,
        request_id: id,
        lines: picking::pick_list(&state.db, id).await?,
        confirmed: None,
        error: None,
    })
}

#[derive(FromForm)]
struct PickForm {
    csrf_token: String,
    code: String,
}
crate::impl_csrf!(PickForm);

#[post("/requests/<id>/picks", data = "<form>")]
async fn confirm(
    ctx: PageCtx,
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    form: CsrfForm<PickForm>,
) -> AppResult<(Status, PickPage)> {
    let (status, confirmed, error) =
        match picking::confirm(&state.db, &user.actor(ip.0), id, &form.0.code).await {
            Ok(line) => (Status::Ok, Some(line.label_code), None),
            Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
                (e.status(), None, Some(e.public_message()))
            }
            Err(e) => return Err(e),
        };
    Ok((
        status,
        PickPage {
            ctx,
            request_id: id,
            lines: picking::pick_list(&state.db, id).await?,
            confirmed,
            error,
        },
    ))
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![show, confirm]
}
