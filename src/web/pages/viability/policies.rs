//! Monitoring policies (admins edit) and species viability constants (curators add).

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{State, get, post};

use crate::AppState;
use crate::domain::FieldError;
use crate::domain::viability::constants_table;
use crate::error::{AppError, AppResult};
use crate::services::viability::policy::{ANY_PURPOSE, Policy};
use crate::services::viability::{self, ConstantsBook, NewSpeciesConstants, Policies};
use crate::web::forms::{CsrfForm, FormState, Rejected, opt_number};
use crate::web::guards::{Admin, ClientIp, Curator};
use crate::web::page::PageCtx;
use crate::web::pages::view::{localize_errors, option_label};

/// One policy on the page, with the values to show in its form.
pub struct PolicyView {
    pub p: Policy,
    pub purpose_label: String,
    pub fields: Vec<(&'static str, String, String)>,
}

#[derive(Template, WebTemplate)]
#[template(path = "viability/policies.html")]
struct PoliciesPage {
    ctx: PageCtx,
    policies: Vec<PolicyView>,
    custom: Vec<crate::domain::viability::SpeciesConstants>,
    shipped: usize,
    form: FormState,
}

impl PoliciesPage {
    fn opt(&self, vocabulary: &str, value: &str) -> String {
        option_label(self.ctx.lang, vocabulary, value)
    }
}

fn num_text(v: Option<f64>) -> String {
    v.map(|v| v.to_string()).unwrap_or_default()
}

async fn policies_page(ctx: PageCtx, state: &AppState, form: FormState) -> AppResult<PoliciesPage> {
    let lang = ctx.lang;
    let policies = Policies::load(&state.db)
        .await?
        .listed()
        .into_iter()
        .map(|p| PolicyView {
            purpose_label: if p.conservation_purpose == ANY_PURPOSE {
                lang.t("opt.purpose_any.any").to_string()
            } else {
                option_label(lang, "conservation_purpose", &p.conservation_purpose)
            },
            fields: [
                ("interval_days", p.interval_days.to_string()),
                ("threshold_fraction", p.threshold_fraction.to_string()),
                ("default_temperature_c", num_text(p.default_temperature_c)),
                ("min_regeneration_qty", num_text(p.min_regeneration_qty)),
                ("min_distribution_qty", num_text(p.min_distribution_qty)),
                (
                    "min_safety_duplicate_qty",
                    num_text(p.min_safety_duplicate_qty),
                ),
                ("rebank_below_qty", num_text(p.rebank_below_qty)),
                ("required_batch_tests", p.required_batch_tests.join(",")),
            ]
            .into_iter()
            .map(|(k, v)| (k, lang.t(&format!("field.{k}")).to_string(), v))
            .collect(),
            p,
        })
        .collect();
    let book = ConstantsBook::load(&state.db).await?;
    Ok(PoliciesPage {
        ctx,
        policies,
        custom: book.custom().to_vec(),
        shipped: constants_table().len(),
        form,
    })
}

/// The policies page again with a refused form's messages.
async fn policies_rejected(
    ctx: PageCtx,
    state: &AppState,
    status: Status,
    form: FormState,
) -> Rejected<PoliciesPage> {
    match policies_page(ctx, state, form).await {
        Ok(page) => Rejected::Form(status, page),
        Err(e) => Rejected::Error(e),
    }
}

#[get("/viability/policies")]
async fn policies(ctx: PageCtx, _c: Curator, state: &State<AppState>) -> AppResult<PoliciesPage> {
    policies_page(ctx, state, FormState::default()).await
}

fn reject_with(
    lang: crate::i18n::Lang,
    e: AppError,
    values: BTreeMap<String, String>,
) -> Result<FormState, AppError> {
    if matches!(e.status().code, 500 | 404) {
        return Err(e);
    }
    Ok(FormState {
        values,
        errors: localize_errors(lang, e.field_errors()),
    })
}

#[post("/viability/policies", data = "<form>")]
async fn save_policy(
    ctx: PageCtx,
    user: Admin,
    ip: ClientIp,
    state: &State<AppState>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<Flash<Redirect>, Rejected<PoliciesPage>> {
    let f = form.0;
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let mut errors = Vec::new();
    let interval_days = opt_number::<i64>("interval_days", get("interval_days"), &mut errors);
    let threshold = opt_number::<f64>("threshold_fraction", get("threshold_fraction"), &mut errors);
    let p = Policy {
        material_type: get("material_type").trim().to_string(),
        conservation_purpose: get("conservation_purpose").trim().to_string(),
        interval_days: interval_days.unwrap_or(0),
        threshold_fraction: threshold.unwrap_or(0.0),
        default_temperature_c: opt_number(
            "default_temperature_c",
            get("default_temperature_c"),
            &mut errors,
        ),
        min_regeneration_qty: opt_number(
            "min_regeneration_qty",
            get("min_regeneration_qty"),
            &mut errors,
        ),
        min_distribution_qty: opt_number(
            "min_distribution_qty",
            get("min_distribution_qty"),
            &mut errors,
        ),
        min_safety_duplicate_qty: opt_number(
            "min_safety_duplicate_qty",
            get("min_safety_duplicate_qty"),
            &mut errors,
        ),
        rebank_below_qty: opt_number("rebank_below_qty", get("rebank_below_qty"), &mut errors),
        required_batch_tests: get("required_batch_tests")
            .split(',')
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .map(str::to_string)
            .collect(),
        customised: true,
    };
    let result = if errors.is_empty() {
        viability::policy::save(&state.db, &user.actor(ip.0), p).await
    } else {
        Err(AppError::Invalid(errors))
    };
    match result {
        Ok(_) => Ok(Flash::success(
            Redirect::to("/viability/policies"),
            "pol.saved",
        )),
        Err(e) => {
            let status = e.status();
            let values = f.into_iter().filter(|(k, _)| k != "csrf_token").collect();
            let form = reject_with(ctx.lang, e, values).map_err(Rejected::Error)?;
            Err(policies_rejected(ctx, state, status, form).await)
        }
    }
}

#[post("/viability/species", data = "<form>")]
async fn add_species(
    ctx: PageCtx,
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<Flash<Redirect>, Rejected<PoliciesPage>> {
    let f = form.0;
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let mut errors = Vec::new();
    let ke = opt_number::<f64>("ke", get("ke"), &mut errors);
    let cw = opt_number::<f64>("cw", get("cw"), &mut errors);
    for (name, v) in [("ke", ke), ("cw", cw)] {
        if v.is_none() && !errors.iter().any(|e| e.field == name) {
            errors.push(FieldError::new(
                name,
                "required",
                format!("{name}: a value is required"),
            ));
        }
    }
    let input = NewSpeciesConstants {
        genus: get("genus").into(),
        species: get("species").into(),
        ke: ke.unwrap_or(f64::NAN),
        cw: cw.unwrap_or(f64::NAN),
        ch: opt_number("ch", get("ch"), &mut errors),
        cq: opt_number("cq", get("cq"), &mut errors),
        source: get("source").into(),
    };
    let result = if errors.is_empty() {
        viability::add_species_constants(&state.db, &user.actor(ip.0), input).await
    } else {
        Err(AppError::Invalid(errors))
    };
    match result {
        Ok(_) => Ok(Flash::success(
            Redirect::to("/viability/policies#species"),
            "pol.species_added",
        )),
        Err(e) => {
            let status = e.status();
            let values = f.into_iter().filter(|(k, _)| k != "csrf_token").collect();
            let form = reject_with(ctx.lang, e, values).map_err(Rejected::Error)?;
            Err(policies_rejected(ctx, state, status, form).await)
        }
    }
}

/// Routes of the policies page.
pub fn routes() -> Vec<rocket::Route> {
    rocket::routes![policies, save_policy, add_species]
}
