//! The viability panel on a sample's page.

use crate::AppState;
use crate::error::AppResult;
use crate::services::viability;
use crate::web::pages::view::option_label;

/// One row of the sample page's test history.
pub struct HistoryRow {
    pub tested_on: String,
    pub test_type: String,
    pub result: String,
}

/// The viability panel on a sample's page: key figures, warnings, chart and history.
pub struct ViabilityPanel {
    pub lines: Vec<(&'static str, String)>,
    pub warnings: Vec<&'static str>,
    pub chart: Option<String>,
    pub history: Vec<HistoryRow>,
}

fn pct(v: Option<f64>) -> Option<String> {
    v.map(|v| format!("{v:.1} %"))
}

/// Builds the panel for a sample.
pub async fn panel(
    lang: crate::i18n::Lang,
    state: &AppState,
    s: &entities::sample::Model,
) -> AppResult<ViabilityPanel> {
    let today = viability::today();
    let v = viability::summary(&state.db, s.id, today).await?;
    let mut lines: Vec<(&'static str, String)> = Vec::new();
    let mut push = |key: &'static str, value: Option<String>| {
        if let Some(value) = value {
            lines.push((lang.t(key), value));
        }
    };
    push(
        "via.initial",
        v.initial_viability_pct
            .zip(v.initial_tested_on)
            .map(|(p, d)| format!("{p:.1} % ({d})")),
    );
    push(
        "via.latest",
        v.latest_test.as_ref().map(|t| {
            let result = t
                .result_pct
                .map(|p| format!("{p:.1} %"))
                .or(t.passed.map(|p| {
                    lang.t(if p { "via.passed" } else { "via.failed" })
                        .to_string()
                }))
                .unwrap_or_default();
            format!(
                "{} · {} · {result}",
                t.tested_on,
                option_label(lang, "test_type", &t.test_type)
            )
        }),
    );
    push("via.predicted_today", pct(v.predicted_viability_today_pct));
    push("via.threshold", pct(v.threshold_pct));
    push(
        "via.threshold_date",
        v.threshold_date.map(|d| d.to_string()),
    );
    push("via.next_due", v.next_test_due.map(|d| d.to_string()));
    push(
        "via.basis",
        v.basis.as_deref().map(|b| option_label(lang, "basis", b)),
    );
    push(
        "via.temperature",
        v.temperature_c.map(|t| {
            let from = match v.temperature_source {
                Some(viability::TemperatureSource::StorageUnit) => {
                    lang.t("via.temperature_from_unit")
                }
                _ => lang.t("via.temperature_from_policy"),
            };
            format!("{t} °C ({from})")
        }),
    );
    push(
        "via.constants",
        v.constants.as_ref().map(|c| {
            format!(
                "{} — KE {}, CW {}, CH {}, CQ {} — {}",
                c.name, c.ke, c.cw, c.ch, c.cq, c.source
            )
        }),
    );
    push(
        "via.missing_tests",
        (!v.missing_tests.is_empty()).then(|| {
            v.missing_tests
                .iter()
                .map(|t| option_label(lang, "test_type", t))
                .collect::<Vec<_>>()
                .join(", ")
        }),
    );
    let mut warnings = Vec::new();
    if v.quarantined {
        warnings.push(lang.t("via.quarantined"));
    }
    if v.below_threshold {
        warnings.push(lang.t("via.below_threshold"));
    }
    if v.below_prediction {
        warnings.push(lang.t("via.below_prediction"));
    }
    if v.missing_initial_test && v.material_type == "seed" {
        warnings.push(lang.t("via.missing_initial"));
    }
    if v.material_type == "seed" && v.constants.is_none() && v.initial_viability_pct.is_some() {
        warnings.push(lang.t("via.no_constants"));
    }
    let history = v
        .history
        .iter()
        .rev()
        .map(|t| HistoryRow {
            tested_on: t.tested_on.to_string(),
            test_type: option_label(lang, "test_type", &t.test_type),
            result: [
                t.result_pct.map(|p| format!("{p:.1} %")),
                t.passed.map(|p| {
                    lang.t(if p { "via.passed" } else { "via.failed" })
                        .to_string()
                }),
                (!t.conclusive).then(|| lang.t("via.inconclusive").to_string()),
            ]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
            .join(" · "),
        })
        .collect();
    Ok(ViabilityPanel {
        chart: crate::web::charts::viability_chart(lang, &v, today),
        lines,
        warnings,
        history,
    })
}
