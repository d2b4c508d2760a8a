//! View models that turn the field registry into what templates show.

use crate::domain::material::MaterialType;
use crate::domain::{FieldError, mcpd};
use crate::i18n::Lang;
use crate::services::accessions::AccessionDetail;
use crate::services::fields::{self, FIELDS, FieldSpec, Kind, Scope, Store};
use crate::web::forms::FormState;

/// One input on the accession form.
pub struct FieldView {
    pub name: &'static str,
    pub label: &'static str,
    pub hint: Option<&'static str>,
    /// `text`, `number`, `select`, `checkbox`, `textarea` or `datetime-local`.
    pub widget: &'static str,
    pub options: Vec<(String, String)>,
    pub value: String,
    pub errors: Vec<String>,
    pub required: bool,
    /// Material types that have this field (`data-types`, for the form script).
    pub types: String,
    /// Material types that require it (`data-required-for`).
    pub required_for: String,
}

/// A group of fields, shown only for the material types it applies to.
pub struct FieldsetView {
    pub legend: &'static str,
    pub types: String,
    pub fields: Vec<FieldView>,
}

/// Core fields fall into three groups on the form; extension tables are a group each.
fn group_of(spec: &FieldSpec) -> &'static str {
    match spec.store {
        Store::Plant => "plant",
        Store::Strain => "strain",
        Store::CellLine => "cell_line",
        Store::Specimen => "specimen",
        Store::Animal => "animal",
        Store::Core => match spec.name {
            "accession_number" | "institute_code" | "accession_names" | "genus" | "species"
            | "species_authority" | "subtaxa" | "subtaxa_authority" | "crop_name" => "identity",
            "available" | "availability_note" | "mls_status" | "risk_group" | "nagoya_status"
            | "consent_scope" | "remarks" => "access",
            _ => "origin",
        },
    }
}

fn label_key(prefix: &str, name: &str) -> String {
    format!("{prefix}.{name}")
}

/// Translates a key built at run time, falling back to a readable default.
pub fn tr(lang: Lang, key: &str, fallback: &str) -> String {
    if crate::i18n::has_key(key) {
        lang.t(key).to_string()
    } else {
        fallback.to_string()
    }
}

/// The label of a coded value (`opt.<vocabulary>.<value>`).
pub fn option_label(lang: Lang, vocabulary: &str, value: &str) -> String {
    tr(lang, &format!("opt.{vocabulary}.{value}"), value)
}

fn requiring_types(spec: &FieldSpec) -> Vec<&'static str> {
    MaterialType::ALL
        .iter()
        .filter(|t| spec.scope.covers(**t) && fields::required_for(**t).contains(&spec.name))
        .map(|t| t.as_str())
        .collect()
}

fn widget(kind: Kind) -> &'static str {
    match kind {
        Kind::Choice(_) => "select",
        Kind::Bool => "checkbox",
        Kind::LongText(_) => "textarea",
        Kind::Int(..) | Kind::Float(..) => "number",
        Kind::DateTime => "datetime-local",
        _ => "text",
    }
}

/// The accession form's fieldsets with the user's values and messages.
pub fn fieldsets(lang: Lang, form: &FormState, only: Option<MaterialType>) -> Vec<FieldsetView> {
    let mut sets: Vec<(&'static str, Scope, Vec<FieldView>)> = Vec::new();
    for spec in FIELDS
        .iter()
        .filter(|s| only.is_none_or(|t| s.scope.covers(t)))
    {
        let group = group_of(spec);
        let options = match spec.kind {
            Kind::Choice(values) => values
                .iter()
                .map(|v| (v.to_string(), option_label(lang, spec.name, v)))
                .collect(),
            _ => Vec::new(),
        };
        let hint_key = label_key("hint", spec.name);
        let view = FieldView {
            name: spec.name,
            label: lang.t(&label_key("field", spec.name)),
            hint: crate::i18n::has_key(&hint_key).then(|| lang.t(&hint_key)),
            widget: widget(spec.kind),
            options,
            value: form.value(spec.name).to_string(),
            errors: form
                .errors_for(spec.name)
                .into_iter()
                .map(str::to_string)
                .collect(),
            required: !requiring_types(spec).is_empty(),
            types: spec.scope.type_list(),
            required_for: requiring_types(spec).join(" "),
        };
        match sets.iter_mut().find(|(g, ..)| *g == group) {
            Some((_, scope, list)) => {
                if *scope != spec.scope {
                    *scope = Scope::All;
                }
                list.push(view)
            }
            None => sets.push((group, spec.scope, vec![view])),
        }
    }
    sets.into_iter()
        .map(|(group, scope, fields)| {
            // A core group's fields have mixed scopes; it is shown for every type, and its
            // individual fields that do not apply are ignored on submit.
            let types = if matches!(group, "identity" | "origin" | "access") {
                Scope::All.type_list()
            } else {
                scope.type_list()
            };
            FieldsetView {
                legend: lang.t(&label_key("fieldset", group)),
                types,
                fields,
            }
        })
        .collect()
}

/// One line of the detail page.
pub struct DetailLine {
    pub label: &'static str,
    pub value: String,
}

/// A titled group of detail lines.
pub struct DetailGroup {
    pub legend: &'static str,
    pub lines: Vec<DetailLine>,
}

/// A stored value as a person reads it: coded values decoded, dates in ISO form.
pub fn display_value(lang: Lang, spec: &FieldSpec, raw: &str) -> String {
    let zh = lang == Lang::Zh;
    let decode =
        |code: &str, en: fn(i32) -> Option<&'static str>, cn: fn(i32) -> Option<&'static str>| {
            code.parse::<i32>()
                .ok()
                .and_then(|c| if zh { cn(c) } else { en(c) })
                .map(|l| format!("{code} – {l}"))
                .unwrap_or_else(|| code.to_string())
        };
    match (spec.name, spec.kind) {
        ("biological_status", _) => decode(raw, mcpd::sampstat_label, mcpd::sampstat_label_zh),
        ("acquisition_source", _) => decode(raw, mcpd::collsrc_label, mcpd::collsrc_label_zh),
        ("mls_status", _) => decode(raw, mcpd::mlsstat_label, mcpd::mlsstat_label_zh),
        ("storage_types", _) => raw
            .split(';')
            .map(|c| decode(c, mcpd::storage_label, mcpd::storage_label_zh))
            .collect::<Vec<_>>()
            .join("; "),
        (_, Kind::PartialDate) => {
            mcpd::PartialDate::parse(spec.name, raw, chrono::Utc::now().date_naive())
                .map(|d| d.to_iso_display())
                .unwrap_or_else(|_| raw.to_string())
        }
        (_, Kind::Choice(_)) => option_label(lang, spec.name, raw),
        (_, Kind::Bool) => option_label(lang, "bool", raw),
        _ => raw.to_string(),
    }
}

/// The filled-in fields of an accession, grouped as on the form.
pub fn detail_groups(lang: Lang, detail: &AccessionDetail, public_only: bool) -> Vec<DetailGroup> {
    let mut groups: Vec<DetailGroup> = Vec::new();
    let mut keys: Vec<&'static str> = Vec::new();
    for spec in fields::fields_for(detail.material_type).filter(|s| !public_only || s.public) {
        let raw = detail.text(spec.name);
        if raw.is_empty() {
            continue;
        }
        let line = DetailLine {
            label: lang.t(&label_key("field", spec.name)),
            value: display_value(lang, spec, &raw),
        };
        let group = group_of(spec);
        match keys.iter().position(|k| *k == group) {
            Some(i) => groups[i].lines.push(line),
            None => {
                keys.push(group);
                groups.push(DetailGroup {
                    legend: lang.t(&label_key("fieldset", group)),
                    lines: vec![line],
                });
            }
        }
    }
    groups
}

/// The material-type choices for selects, translated.
pub fn material_type_options(lang: Lang) -> Vec<(String, String)> {
    MaterialType::ALL
        .iter()
        .map(|t| {
            (
                t.as_str().to_string(),
                option_label(lang, "material_type", t.as_str()),
            )
        })
        .collect()
}

/// A field error as a person reads it on a page: the field's label instead of its API name,
/// and in Chinese the catalog's wording of the problem (the API keeps the English sentence).
pub fn localize_error(lang: Lang, e: &FieldError) -> FieldError {
    let label_key = format!("field.{}", e.field);
    let label = tr(lang, &label_key, &e.field);
    let detail = e
        .message
        .strip_prefix(&format!("{}: ", e.field))
        .unwrap_or(&e.message);
    let message = match lang {
        Lang::En => format!("{label}: {detail}"),
        Lang::Zh => {
            let problem = tr(lang, &format!("err.{}", e.code), detail);
            // Keep the offending value so the user sees what was refused.
            match detail
                .split('\'')
                .nth(1)
                .filter(|v| !v.is_empty() && problem != detail)
            {
                Some(value) => format!("{label}：{problem}（“{value}”）"),
                None => format!("{label}：{problem}"),
            }
        }
    };
    FieldError {
        field: e.field.clone(),
        code: e.code,
        message,
    }
}

/// Every error of a failed submission, localized for the page.
pub fn localize_errors(lang: Lang, errors: Vec<FieldError>) -> Vec<FieldError> {
    errors.iter().map(|e| localize_error(lang, e)).collect()
}
