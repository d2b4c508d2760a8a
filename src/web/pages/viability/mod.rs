//! Viability pages: record a test from a sample's page (here), the sample page's viability
//! panel, the work lists with their CSV export and printable pick lists, and the monitoring
//! policies.

mod generations;
mod panel;
mod policies;
mod worklists;

pub use panel::{ViabilityPanel, panel};

use std::collections::{BTreeMap, HashMap};
use std::str::FromStr;

use askama::Template;
use askama_web::WebTemplate;
use rocket::http::Status;
use rocket::response::{Flash, Redirect};
use rocket::{Route, State, get, post, routes};

use crate::AppState;
use crate::domain::FieldError;
use crate::domain::material::MaterialType;
use crate::domain::quality::{Growth, TestType};
use crate::domain::viability::GerminationCounts;
use crate::error::{AppError, AppResult};
use crate::services::samples::{self, SampleView};
use crate::services::viability::{self, NewViabilityTest};
use crate::web::forms::{CsrfForm, FormState, Rejected, opt_number};
use crate::web::guards::{ClientIp, Staff};
use crate::web::page::PageCtx;

use super::view::{localize_errors, option_label, tr};

/// Replicate rows the germination form offers.
const REPLICATE_ROWS: usize = 4;

/// One input of the test form.
pub struct InputView {
    pub name: &'static str,
    pub label: String,
    pub hint: Option<&'static str>,
    /// `text`, `number`, `date` or `select`.
    pub kind: &'static str,
    pub options: Vec<(String, String)>,
    pub value: String,
    pub errors: Vec<String>,
}

fn yes_no(lang: crate::i18n::Lang) -> Vec<(String, String)> {
    vec![
        ("true".into(), lang.t("via.yes").into()),
        ("false".into(), lang.t("via.no").into()),
    ]
}

fn type_fields(kind: TestType) -> &'static [&'static str] {
    match kind {
        TestType::Germination => &[
            "seeds_per_replicate",
            "substrate",
            "temperature_regime",
            "light_hours",
            "prechill_days",
            "count_days",
        ],
        TestType::Tetrazolium | TestType::PostThawViability => &["result_pct", "method"],
        TestType::Revival => &["growth", "result_pct"],
        TestType::Purity => &["conforms", "contaminants", "colony_morphology"],
        TestType::Mycoplasma | TestType::Sterility => &["passed", "method"],
        TestType::StrProfile => &["str_markers", "str_match_pct"],
        TestType::Rin => &["rin"],
    }
}

fn inputs(lang: crate::i18n::Lang, kind: TestType, form: &FormState) -> Vec<InputView> {
    let mut names: Vec<&'static str> = vec!["tested_on"];
    names.extend_from_slice(type_fields(kind));
    names.extend_from_slice(&["consumed_quantity", "conclusive", "notes"]);
    names
        .into_iter()
        .map(|name| {
            let (input_kind, options) = match name {
                "tested_on" => ("date", Vec::new()),
                "growth" => (
                    "select",
                    Growth::ALL
                        .iter()
                        .map(|g| {
                            (
                                g.as_str().to_string(),
                                option_label(lang, "growth", g.as_str()),
                            )
                        })
                        .collect(),
                ),
                "passed" | "conforms" | "conclusive" => ("select", yes_no(lang)),
                "substrate" | "temperature_regime" | "method" | "contaminants"
                | "colony_morphology" | "str_markers" | "notes" => ("text", Vec::new()),
                _ => ("number", Vec::new()),
            };
            let hint_key = format!("hint.{name}");
            InputView {
                name,
                label: tr(lang, &format!("field.{name}"), name),
                hint: crate::i18n::has_key(&hint_key).then(|| lang.t(&hint_key)),
                kind: input_kind,
                options,
                value: form.value(name).to_string(),
                errors: form
                    .errors_for(name)
                    .into_iter()
                    .map(str::to_string)
                    .collect(),
            }
        })
        .collect()
}

/// One row of the germination counts grid.
pub struct ReplicateRow {
    pub no: usize,
    pub cells: Vec<(String, String)>,
    pub errors: Vec<String>,
}

#[derive(Template, WebTemplate)]
#[template(path = "viability/test_form.html")]
struct TestFormPage {
    ctx: PageCtx,
    s: SampleView,
    taxon: String,
    kind: Option<String>,
    kind_label: String,
    choices: Vec<(String, String)>,
    inputs: Vec<InputView>,
    replicates: Vec<ReplicateRow>,
    general_errors: Vec<String>,
}

/// Test types that make sense for a material type, most usual first.
fn types_for(material: MaterialType) -> Vec<TestType> {
    use TestType::*;
    match material {
        MaterialType::Seed => vec![Germination, Tetrazolium],
        MaterialType::Strain => vec![Revival, Purity, Sterility],
        MaterialType::CellLine => vec![PostThawViability, Mycoplasma, StrProfile, Sterility],
        MaterialType::Specimen => vec![Rin, Sterility],
        MaterialType::AnimalGermplasm => vec![PostThawViability, Sterility],
        _ => TestType::ALL.to_vec(),
    }
}

async fn form_page(
    ctx: PageCtx,
    state: &AppState,
    code: &str,
    kind: Option<TestType>,
    mut form: FormState,
) -> AppResult<TestFormPage> {
    let s = samples::find_by_label(&state.db, code).await?;
    let a = crate::services::accessions::load(&state.db, s.accession_id).await?;
    let lang = ctx.lang;
    if form.value("tested_on").is_empty() {
        form.values
            .insert("tested_on".into(), viability::today().to_string());
    }
    if form.value("conclusive").is_empty() {
        form.values.insert("conclusive".into(), "true".into());
    }
    let mut known: Vec<String> = vec![
        "tested_on".into(),
        "consumed_quantity".into(),
        "conclusive".into(),
        "notes".into(),
        "test_type".into(),
    ];
    if let Some(k) = kind {
        known.extend(type_fields(k).iter().map(|f| f.to_string()));
    }
    let replicates = (0..REPLICATE_ROWS)
        .map(|i| {
            let prefix = format!("replicates[{i}]");
            ReplicateRow {
                no: i + 1,
                cells: ["normal", "abnormal", "dormant", "dead"]
                    .iter()
                    .map(|c| {
                        let name = format!("r{i}_{c}");
                        (name.clone(), form.value(&name).to_string())
                    })
                    .collect(),
                errors: form
                    .errors
                    .iter()
                    .filter(|e| e.field.starts_with(&prefix))
                    .map(|e| e.message.clone())
                    .collect(),
            }
        })
        .collect();
    let general_errors = form
        .errors
        .iter()
        .filter(|e| !known.contains(&e.field) && !e.field.starts_with("replicates["))
        .map(|e| e.message.clone())
        .collect();
    Ok(TestFormPage {
        inputs: kind.map(|k| inputs(lang, k, &form)).unwrap_or_default(),
        kind: kind.map(|k| k.as_str().to_string()),
        kind_label: kind
            .map(|k| option_label(lang, "test_type", k.as_str()))
            .unwrap_or_default(),
        choices: types_for(a.material_type)
            .into_iter()
            .map(|t| {
                (
                    t.as_str().to_string(),
                    option_label(lang, "test_type", t.as_str()),
                )
            })
            .collect(),
        taxon: a.core.taxon_name.clone(),
        s: s.into(),
        replicates,
        general_errors,
        ctx,
    })
}

#[get("/s/<code>/tests/new?<test_type>")]
async fn new_test(
    ctx: PageCtx,
    _s: Staff,
    state: &State<AppState>,
    code: &str,
    test_type: Option<&str>,
) -> AppResult<TestFormPage> {
    let kind = match test_type.filter(|t| !t.is_empty()) {
        Some(t) => {
            Some(TestType::from_str(t).map_err(|e| AppError::bad("test_type", e.to_string()))?)
        }
        None => None,
    };
    form_page(ctx, state, code, kind, FormState::default()).await
}

fn text_opt(form: &HashMap<String, String>, name: &str) -> Option<String> {
    form.get(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

fn bool_opt(form: &HashMap<String, String>, name: &str) -> Option<bool> {
    match text_opt(form, name).as_deref() {
        Some("true") => Some(true),
        Some("false") => Some(false),
        _ => None,
    }
}

/// Reads the test form into the service's input, naming fields that are not numbers.
fn parse_test_form(
    sample_id: i64,
    form: &HashMap<String, String>,
) -> Result<NewViabilityTest, Vec<FieldError>> {
    let mut errors = Vec::new();
    let num = |name: &str| form.get(name).map(String::as_str).unwrap_or("");
    let tested_on = match chrono::NaiveDate::parse_from_str(num("tested_on").trim(), "%Y-%m-%d") {
        Ok(d) => d,
        Err(_) => {
            errors.push(FieldError::new(
                "tested_on",
                "invalid_format",
                "tested_on: use YYYY-MM-DD",
            ));
            chrono::NaiveDate::MIN
        }
    };
    let test_type = num("test_type").to_string();
    let mut replicates = Vec::new();
    if test_type == "germination" {
        for i in 0..REPLICATE_ROWS {
            let cells: Vec<String> = ["normal", "abnormal", "dormant", "dead"]
                .iter()
                .map(|c| num(&format!("r{i}_{c}")).to_string())
                .collect();
            if cells.iter().all(|c| c.trim().is_empty()) {
                continue;
            }
            let mut n = [0u32; 4];
            for (j, c) in cells.iter().enumerate() {
                n[j] = opt_number::<u32>(&format!("replicates[{i}]"), c, &mut errors).unwrap_or(0);
            }
            replicates.push(GerminationCounts {
                normal: n[0],
                abnormal: n[1],
                dormant: n[2],
                dead: n[3],
            });
        }
    }
    let input = NewViabilityTest {
        sample_id,
        test_type,
        tested_on,
        conclusive: bool_opt(form, "conclusive"),
        replicates: (!replicates.is_empty()).then_some(replicates),
        seeds_per_replicate: opt_number(
            "seeds_per_replicate",
            num("seeds_per_replicate"),
            &mut errors,
        ),
        substrate: text_opt(form, "substrate"),
        temperature_regime: text_opt(form, "temperature_regime"),
        light_hours: opt_number("light_hours", num("light_hours"), &mut errors),
        prechill_days: opt_number("prechill_days", num("prechill_days"), &mut errors),
        count_days: opt_number("count_days", num("count_days"), &mut errors),
        result_pct: opt_number("result_pct", num("result_pct"), &mut errors),
        passed: bool_opt(form, "passed"),
        method: text_opt(form, "method"),
        growth: text_opt(form, "growth"),
        contaminants: text_opt(form, "contaminants"),
        colony_morphology: text_opt(form, "colony_morphology"),
        conforms: bool_opt(form, "conforms"),
        str_markers: text_opt(form, "str_markers"),
        str_match_pct: opt_number("str_match_pct", num("str_match_pct"), &mut errors),
        rin: opt_number("rin", num("rin"), &mut errors),
        consumed_quantity: opt_number("consumed_quantity", num("consumed_quantity"), &mut errors),
        notes: text_opt(form, "notes"),
    };
    if errors.is_empty() {
        Ok(input)
    } else {
        Err(errors)
    }
}

#[post("/s/<code>/tests", data = "<form>")]
async fn record_test(
    ctx: PageCtx,
    user: Staff,
    ip: ClientIp,
    state: &State<AppState>,
    code: &str,
    form: CsrfForm<HashMap<String, String>>,
) -> Result<Flash<Redirect>, Rejected<TestFormPage>> {
    let form = form.0;
    let s = samples::find_by_label(&state.db, code)
        .await
        .map_err(Rejected::Error)?;
    let kind = form
        .get("test_type")
        .and_then(|t| TestType::from_str(t.trim()).ok());
    let result = match parse_test_form(s.id, &form) {
        Ok(input) => {
            viability::record(&state.db, &user.actor(ip.0), input, viability::today()).await
        }
        Err(errs) => Err(AppError::Invalid(errs)),
    };
    match result {
        Ok(_) => Ok(Flash::success(
            Redirect::to(format!("/s/{}#viability", SampleView::from(s).label_code)),
            "via.recorded",
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
            match form_page(ctx, state, code, kind, state_form).await {
                Ok(page) => Err(Rejected::Form(status, page)),
                Err(e) => Err(Rejected::Error(e)),
            }
        }
    }
}

/// Routes of this area.
pub fn routes() -> Vec<Route> {
    [
        routes![new_test, record_test],
        worklists::routes(),
        policies::routes(),
        generations::routes(),
    ]
    .concat()
}
