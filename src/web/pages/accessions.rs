//! Registry pages: list and search, register, show, edit, deaccession, add samples.

use std::collections::{BTreeMap, HashMap};

use askama::Template;
use askama_web::WebTemplate;
use rocket::form::FromForm;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::AppState;
use crate::domain::material::{AccessionStatus, ConservationPurpose, SampleForm, Unit};
use crate::error::{AppError, AppResult};
use crate::services::accessions::{self, AccessionDetail, AccessionRow};
use crate::services::samples::{self, NewSample, SampleView};
use crate::services::{Page, audit, fields::RawInput};
use crate::web::forms::{CsrfForm, FormState, Rejected, opt_number};
use crate::web::guards::{ClientIp, Curator, Staff};
use crate::web::page::PageCtx;
use crate::web::query::AccessionQuery;

use super::view::{self, DetailGroup, FieldsetView, option_label};

#[derive(Template, WebTemplate)]
#[template(path = "accessions/list.html")]
struct ListPage {
    ctx: PageCtx,
    query: AccessionQuery,
    page: Page<AccessionRow>,
    type_options: Vec<(String, String)>,
    status_options: Vec<(String, String)>,
}

impl ListPage {
    fn type_label(&self, t: &str) -> String {
        option_label(self.ctx.lang, "material_type", t)
    }
    fn status_label(&self, s: &str) -> String {
        option_label(self.ctx.lang, "status", s)
    }
    fn q(&self) -> &str {
        self.query.q.as_deref().unwrap_or("")
    }
    fn selected(&self, which: &str, value: &str) -> bool {
        let current = match which {
            "material_type" => &self.query.material_type,
            "status" => &self.query.status,
            "sort" => &self.query.sort,
            _ => &self.query.dir,
        };
        current.as_deref() == Some(value)
    }
}

#[get("/accessions?<query..>")]
async fn list(
    ctx: PageCtx,
    _staff: Staff,
    state: &State<AppState>,
    query: AccessionQuery,
) -> AppResult<ListPage> {
    let (filter, page, per_page) = query.parse()?;
    let page = accessions::search(&state.db, &filter, page, per_page).await?;
    let lang = ctx.lang;
    Ok(ListPage {
        ctx,
        query,
        page,
        type_options: view::material_type_options(lang),
        status_options: AccessionStatus::ALL
            .iter()
            .map(|s| {
                (
                    s.as_str().to_string(),
                    option_label(lang, "status", s.as_str()),
                )
            })
            .collect(),
    })
}

#[derive(Template, WebTemplate)]
#[template(path = "accessions/form.html")]
struct FormPage {
    ctx: PageCtx,
    /// None while registering.
    accession: Option<AccessionDetail>,
    material_type: String,
    type_options: Vec<(String, String)>,
    fieldsets: Vec<FieldsetView>,
    general_errors: Vec<String>,
}

fn form_page(ctx: PageCtx, accession: Option<AccessionDetail>, form: FormState) -> FormPage {
    let lang = ctx.lang;
    let only = accession.as_ref().map(|a| a.material_type);
    let known: Vec<&str> = crate::services::fields::FIELDS
        .iter()
        .map(|s| s.name)
        .chain(["material_type"])
        .collect();
    FormPage {
        general_errors: form
            .general_errors(&known)
            .into_iter()
            .map(str::to_string)
            .collect(),
        material_type: form.value("material_type").to_string(),
        fieldsets: view::fieldsets(lang, &form, only),
        type_options: view::material_type_options(lang),
        accession,
        ctx,
    }
}

#[get("/accessions/new?<material_type>")]
fn new_form(
    ctx: PageCtx,
    _c: Curator,
    state: &State<AppState>,
    material_type: Option<&str>,
) -> FormPage {
    let mut values = BTreeMap::new();
    values.insert("available".into(), "true".into());
    values.insert("institute_code".into(), state.config.institute_code.clone());
    values.insert(
        "material_type".into(),
        material_type.unwrap_or("seed").to_string(),
    );
    form_page(ctx, None, FormState::with_values(values))
}

fn raw_from_form(mut form: HashMap<String, String>) -> RawInput {
    form.remove("csrf_token");
    form.into_iter().collect()
}

#[post("/accessions", data = "<form>")]
async fn create(
    ctx: PageCtx,
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<Flash<Redirect>, (Status, FormPage)> {
    let lang = ctx.lang;
    let raw = raw_from_form(form.0);
    let result = accessions::register(
        &state.db,
        &user.actor(ip.0),
        &state.pid,
        &state.config.institute_code,
        raw.clone(),
        false,
    )
    .await;
    match result {
        Ok(a) => Ok(Flash::success(
            Redirect::to(format!("/accessions/{}", a.core.id)),
            "accession.registered",
        )),
        Err(e) => Err((
            e.status(),
            form_page(
                ctx,
                None,
                FormState {
                    values: raw,
                    errors: error_list(lang, &e),
                },
            ),
        )),
    }
}

fn error_list(lang: crate::i18n::Lang, e: &AppError) -> Vec<crate::domain::FieldError> {
    let errs = view::localize_errors(lang, e.field_errors());
    if errs.is_empty() {
        vec![crate::domain::FieldError::new(
            "general",
            "error",
            e.public_message(),
        )]
    } else {
        errs
    }
}

#[derive(Template, WebTemplate)]
#[template(path = "accessions/show.html")]
struct ShowPage {
    ctx: PageCtx,
    a: AccessionDetail,
    groups: Vec<DetailGroup>,
    samples: Vec<SampleView>,
    history: Vec<crate::web::pages::audit::AuditRowView>,
    sample_form: FormState,
    form_options: Vec<(String, String)>,
    unit_options: Vec<(String, String)>,
    purpose_options: Vec<(String, String)>,
    pid_href: String,
}

impl ShowPage {
    fn opt(&self, vocabulary: &str, value: &str) -> String {
        option_label(self.ctx.lang, vocabulary, value)
    }
    fn is_deaccessioned(&self) -> bool {
        self.a.core.status == AccessionStatus::Deaccessioned.as_str()
    }
}

async fn show_page(
    ctx: PageCtx,
    state: &AppState,
    id: i64,
    sample_form: FormState,
) -> AppResult<ShowPage> {
    let a = accessions::load(&state.db, id).await?;
    let lang = ctx.lang;
    let options = |all: Vec<&'static str>, vocab: &str| {
        all.into_iter()
            .map(|v| (v.to_string(), option_label(lang, vocab, v)))
            .collect()
    };
    Ok(ShowPage {
        groups: view::detail_groups(lang, &a, false),
        samples: samples::for_accession(&state.db, id).await?,
        history: super::audit::rows(
            lang,
            audit::history(&state.db, "accessions", &id.to_string()).await?,
        ),
        sample_form,
        form_options: options(
            SampleForm::ALL.iter().map(|f| f.as_str()).collect(),
            "sample_form",
        ),
        unit_options: options(Unit::ALL.iter().map(|f| f.as_str()).collect(), "unit"),
        purpose_options: options(
            ConservationPurpose::ALL
                .iter()
                .map(|f| f.as_str())
                .collect(),
            "conservation_purpose",
        ),
        pid_href: crate::domain::pid::resolver_path(&a.core.pid, &state.config.base_url),
        a,
        ctx,
    })
}

#[get("/accessions/<id>")]
async fn show(ctx: PageCtx, _s: Staff, state: &State<AppState>, id: i64) -> AppResult<ShowPage> {
    show_page(ctx, state, id, FormState::default()).await
}

#[get("/accessions/<id>/edit")]
async fn edit_form(
    ctx: PageCtx,
    _c: Curator,
    state: &State<AppState>,
    id: i64,
) -> AppResult<FormPage> {
    let a = accessions::load(&state.db, id).await?;
    let form = FormState::with_values(a.as_raw());
    Ok(form_page(ctx, Some(a), form))
}

#[post("/accessions/<id>", data = "<form>")]
async fn update(
    ctx: PageCtx,
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<Flash<Redirect>, (Status, FormPage)> {
    let lang = ctx.lang;
    let raw = raw_from_form(form.0);
    match accessions::update(&state.db, &user.actor(ip.0), id, raw.clone(), false, false).await {
        Ok(_) => Ok(Flash::success(
            Redirect::to(format!("/accessions/{id}")),
            "accession.saved",
        )),
        Err(e) => {
            let current = accessions::load(&state.db, id).await.ok();
            let mut values = raw;
            if let Some(c) = &current {
                values.insert("material_type".into(), c.material_type.as_str().into());
            }
            Err((
                e.status(),
                form_page(
                    ctx,
                    current,
                    FormState {
                        values,
                        errors: error_list(lang, &e),
                    },
                ),
            ))
        }
    }
}

#[derive(FromForm)]
struct DeaccessionForm {
    csrf_token: String,
    reason: String,
}
crate::impl_csrf!(DeaccessionForm, SampleFormInput);

#[post("/accessions/<id>/deaccession", data = "<form>")]
async fn deaccession(
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    form: CsrfForm<DeaccessionForm>,
) -> AppResult<Flash<Redirect>> {
    let target = Redirect::to(format!("/accessions/{id}"));
    match accessions::deaccession(&state.db, &user.actor(ip.0), id, &form.0.reason).await {
        Ok(_) => Ok(Flash::success(target, "accession.deaccessioned")),
        Err(e @ (AppError::Invalid(_) | AppError::Conflict { .. })) => {
            Ok(Flash::error(target, e.public_message()))
        }
        Err(e) => Err(e),
    }
}

#[derive(FromForm)]
struct SampleFormInput {
    csrf_token: String,
    form: String,
    quantity: String,
    unit: String,
    conservation_purpose: String,
    generation: String,
    passage: String,
    moisture_pct: String,
    banked_on: String,
    notes: String,
}

impl SampleFormInput {
    fn values(&self) -> BTreeMap<String, String> {
        [
            ("form", &self.form),
            ("quantity", &self.quantity),
            ("unit", &self.unit),
            ("conservation_purpose", &self.conservation_purpose),
            ("generation", &self.generation),
            ("passage", &self.passage),
            ("moisture_pct", &self.moisture_pct),
            ("banked_on", &self.banked_on),
            ("notes", &self.notes),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect()
    }

    fn to_new_sample(&self) -> Result<NewSample, Vec<crate::domain::FieldError>> {
        let mut errors = Vec::new();
        let quantity = opt_number::<f64>("quantity", &self.quantity, &mut errors);
        if quantity.is_none() && errors.is_empty() {
            errors.push(crate::domain::FieldError::new(
                "quantity",
                "required",
                "quantity: a value is required",
            ));
        }
        let banked_on = match self.banked_on.trim() {
            "" => None,
            d => match chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(crate::domain::FieldError::new(
                        "banked_on",
                        "invalid_format",
                        "banked_on: use YYYY-MM-DD",
                    ));
                    None
                }
            },
        };
        let input = NewSample {
            form: self.form.clone(),
            quantity: quantity.unwrap_or(0.0),
            unit: self.unit.clone(),
            conservation_purpose: self.conservation_purpose.clone(),
            generation: opt_number("generation", &self.generation, &mut errors),
            passage: opt_number("passage", &self.passage, &mut errors),
            moisture_pct: opt_number("moisture_pct", &self.moisture_pct, &mut errors),
            banked_on,
            notes: Some(self.notes.clone()),
        };
        if errors.is_empty() {
            Ok(input)
        } else {
            Err(errors)
        }
    }
}

#[post("/accessions/<id>/samples", data = "<form>")]
async fn add_sample(
    ctx: PageCtx,
    user: Curator,
    ip: ClientIp,
    state: &State<AppState>,
    id: i64,
    form: CsrfForm<SampleFormInput>,
) -> Result<Flash<Redirect>, Rejected<ShowPage>> {
    let lang = ctx.lang;
    let f = form.0;
    let result = match f.to_new_sample() {
        Ok(input) => samples::add_sample(&state.db, &user.actor(ip.0), id, input).await,
        Err(errs) => Err(AppError::Invalid(errs)),
    };
    match result {
        Ok(s) => Ok(Flash::success(
            Redirect::to(format!("/accessions/{id}#sample-{}", s.id)),
            "sample.added",
        )),
        Err(e) => {
            let status = e.status();
            let form = FormState {
                values: f.values(),
                errors: error_list(lang, &e),
            };
            match show_page(ctx, state, id, form).await {
                Ok(page) => Err(Rejected::Form(status, page)),
                Err(e) => Err(Rejected::Error(e)),
            }
        }
    }
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    routes![
        list,
        new_form,
        create,
        show,
        edit_form,
        update,
        deaccession,
        add_sample
    ]
}
