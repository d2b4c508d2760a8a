//! Regeneration and re-banking from the sample page: a curator records the new generation
//! (seeds harvested) or batch (ampoules, vials banked) as a child lot of the flagged one.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{State, get, post};

use crate::AppState;
use crate::domain::FieldError;
use crate::domain::material::ConservationPurpose;
use crate::error::{AppError, AppResult};
use crate::services::samples::{self, SampleView};
use crate::services::viability::regeneration::{self, NewGeneration};
use crate::web::forms::{CsrfForm, FormState, Rejected, opt_number};
use crate::web::guards::{ClientIp, Curator};
use crate::web::page::PageCtx;
use crate::web::pages::view::{localize_errors, option_label};

#[derive(Template, WebTemplate)]
#[template(path = "viability/generation_form.html")]
pub struct GenerationPage {
    ctx: PageCtx,
    s: SampleView,
    /// True for ampoules, vials and straws (re-banking), false for seed lots (regeneration).
    culture: bool,
    purposes: Vec<(String, String)>,
    form: FormState,
}

async fn page(
    ctx: PageCtx,
    state: &AppState,
    code: &str,
    mut form: FormState,
) -> AppResult<GenerationPage> {
    let s = samples::find_by_label(&state.db, code).await?;
    let culture = matches!(s.form.as_str(), "ampoule" | "vial" | "straw");
    form.values
        .entry("banked_on".into())
        .or_insert_with(|| crate::services::viability::today().to_string());
    form.values
        .entry("conservation_purpose".into())
        .or_insert_with(|| s.conservation_purpose.clone());
    let purposes = ConservationPurpose::ALL
        .iter()
        .map(|p| {
            (
                p.as_str().to_string(),
                option_label(ctx.lang, "conservation_purpose", p.as_str()),
            )
        })
        .collect();
    Ok(GenerationPage {
        s: s.into(),
        culture,
        purposes,
        form,
        ctx,
    })
}

#[get("/s/<code>/generations/new")]
async fn new_generation(
    ctx: PageCtx,
    _c: Curator,
    state: &State<AppState>,
    code: &str,
) -> AppResult<GenerationPage> {
    page(ctx, state, code, FormState::default()).await
}

fn parse(form: &HashMap<String, String>) -> Result<NewGeneration, Vec<FieldError>> {
    let get = |k: &str| form.get(k).map(|v| v.trim()).unwrap_or("");
    let mut errors = Vec::new();
    let quantity = opt_number::<f64>("quantity", get("quantity"), &mut errors);
    if quantity.is_none() && !errors.iter().any(|e| e.field == "quantity") {
        errors.push(FieldError::new(
            "quantity",
            "required",
            "quantity: how much was harvested or banked is required",
        ));
    }
    let banked_on = match chrono::NaiveDate::parse_from_str(get("banked_on"), "%Y-%m-%d") {
        Ok(d) => Some(d),
        Err(_) => {
            errors.push(FieldError::new(
                "banked_on",
                "invalid_format",
                "banked_on: use YYYY-MM-DD",
            ));
            None
        }
    };
    let moisture_pct = opt_number::<f64>("moisture_pct", get("moisture_pct"), &mut errors);
    let text = |k: &str| Some(get(k).to_string()).filter(|v| !v.is_empty());
    match (quantity, banked_on) {
        (Some(quantity), Some(banked_on)) if errors.is_empty() => Ok(NewGeneration {
            quantity,
            banked_on,
            moisture_pct,
            conservation_purpose: text("conservation_purpose"),
            notes: text("notes"),
        }),
        _ => Err(errors),
    }
}

#[post("/s/<code>/generations", data = "<form>")]
async fn record_generation(
    ctx: PageCtx,
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    code: &str,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<Flash<Redirect>, Rejected<GenerationPage>> {
    let form = form.0;
    let parent = samples::find_by_label(&state.db, code)
        .await
        .map_err(Rejected::Error)?;
    let result = match parse(&form) {
        Ok(input) => {
            regeneration::record_generation(&state.db, &user.actor(ip.0), parent.id, input).await
        }
        Err(errors) => Err(AppError::Invalid(errors)),
    };
    match result {
        Ok(child) => Ok(Flash::success(
            Redirect::to(format!("/s/{}", SampleView::from(child).label_code)),
            "gen.recorded",
        )),
        Err(e) => {
            let status = e.status();
            if status == Status::InternalServerError || status == Status::NotFound {
                return Err(Rejected::Error(e));
            }
            let values: BTreeMap<String, String> = form
                .into_iter()
                .filter(|(k, _)| k != "csrf_token")
                .collect();
            let state_form = FormState {
                values,
                errors: localize_errors(ctx.lang, e.field_errors()),
            };
            match page(ctx, state, code, state_form).await {
                Ok(p) => Err(Rejected::Form(status, p)),
                Err(e) => Err(Rejected::Error(e)),
            }
        }
    }
}

/// Routes of the regeneration form.
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![new_generation, record_generation]
}
