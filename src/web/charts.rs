//! Charts drawn on the server as SVG, so they work without JavaScript and print well.
//! Text in them comes from the catalog or from numbers and dates, and is escaped anyway.

use std::fmt::Write;

use chrono::NaiveDate;

use crate::i18n::Lang;
use crate::services::viability::ViabilitySummary;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const W: f64 = 640.0;
const H: f64 = 300.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 16.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 36.0;

/// A lot's viability history: test results as dots, the predicted curve, the threshold line,
/// today and the next test. None when the lot has no percentage results to draw.
pub fn viability_chart(lang: Lang, s: &ViabilitySummary, today: NaiveDate) -> Option<String> {
    let points: Vec<(NaiveDate, f64)> = s
        .history
        .iter()
        .filter(|t| t.conclusive)
        .filter_map(|t| Some((t.tested_on, t.result_pct?)))
        .collect();
    if points.is_empty() {
        return None;
    }
    let start = points
        .iter()
        .map(|p| p.0)
        .chain([s.banked_on])
        .min()
        .unwrap_or(today);
    let mut end = points
        .iter()
        .map(|p| p.0)
        .chain([today])
        .max()
        .unwrap_or(today);
    for d in [s.next_test_due, s.threshold_date].into_iter().flatten() {
        // Keep far-off dates from squashing the history: draw at most 40 years ahead.
        end = end.max(d.min(today + chrono::TimeDelta::days(14_610)));
    }
    let span = ((end - start).num_days().max(30)) as f64;
    let x = |d: NaiveDate| LEFT + (d - start).num_days() as f64 / span * (W - LEFT - RIGHT);
    let y = |pct: f64| TOP + (100.0 - pct.clamp(0.0, 100.0)) / 100.0 * (H - TOP - BOTTOM);
    let mut svg = String::new();
    let title = esc(lang.t("via.chart_title"));
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {W} {H}" role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg"><title>{title}</title>"#
    );
    for pct in [0.0, 25.0, 50.0, 75.0, 100.0] {
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#ddd"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end">{pct}%</text>"##,
            W - RIGHT,
            LEFT - 4.0,
            y(pct) + 4.0,
            y = y(pct)
        );
    }
    let years = (end - start).num_days() / 365;
    let step = ((years / 6).max(1)) as i32;
    use chrono::Datelike;
    let mut year = start.year() + 1;
    while let Some(d) = NaiveDate::from_ymd_opt(year, 1, 1) {
        if d > end {
            break;
        }
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle">{year}</text>"##,
            x(d),
            H - BOTTOM + 16.0
        );
        year += step;
    }
    if let Some(m) = &s.model {
        let from = m.origin.min(points[0].0).max(start);
        let curve = m.curve(from, end, 60);
        if curve.len() > 1 {
            let path: Vec<String> = curve
                .iter()
                .map(|(d, p)| format!("{:.1},{:.1}", x(*d), y(*p)))
                .collect();
            let _ = write!(
                svg,
                r##"<polyline class="prediction" fill="none" stroke="#1f6feb" stroke-width="2" stroke-dasharray="6 4" points="{}"><title>{}</title></polyline>"##,
                path.join(" "),
                esc(lang.t("via.chart_prediction"))
            );
        }
    }
    if let Some(t) = s.threshold_pct {
        let _ = write!(
            svg,
            r##"<line class="threshold" x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#c62828" stroke-width="1.5"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#c62828" text-anchor="end">{} {t:.1}%</text>"##,
            W - RIGHT,
            W - RIGHT,
            y(t) - 4.0,
            esc(lang.t("via.chart_threshold")),
            y = y(t)
        );
    }
    for (d, label, colour) in [
        (Some(today), lang.t("via.chart_today"), "#555"),
        (s.next_test_due, lang.t("via.chart_due"), "#b26a00"),
    ] {
        let Some(d) = d.filter(|d| *d <= end) else {
            continue;
        };
        let _ = write!(
            svg,
            r##"<line x1="{x:.1}" x2="{x:.1}" y1="{TOP}" y2="{:.1}" stroke="{colour}" stroke-dasharray="2 3"/><text x="{x:.1}" y="{:.1}" font-size="11" fill="{colour}" text-anchor="middle">{}</text>"##,
            H - BOTTOM,
            TOP - 8.0,
            esc(label),
            x = x(d)
        );
    }
    for (d, p) in &points {
        let _ = write!(
            svg,
            r##"<circle class="test" cx="{:.1}" cy="{:.1}" r="5" fill="#2e7d32"><title>{d}: {p:.1}%</title></circle>"##,
            x(*d),
            y(*p)
        );
    }
    svg.push_str("</svg>");
    Some(svg)
}

/// A horizontal bar chart of counts with translated labels.
pub fn bar_chart(title: &str, bars: &[(String, usize)]) -> String {
    let row_h = 30.0;
    let label_w = 130.0;
    let h = TOP + row_h * bars.len() as f64 + 8.0;
    let max = bars.iter().map(|b| b.1).max().unwrap_or(0).max(1) as f64;
    let mut svg = String::new();
    let title = esc(title);
    let _ = write!(
        svg,
        r#"<svg class="chart" viewBox="0 0 {W} {h}" role="img" aria-label="{title}" xmlns="http://www.w3.org/2000/svg"><title>{title}</title><text x="0" y="16" font-size="14" font-weight="bold">{title}</text>"#
    );
    for (i, (label, n)) in bars.iter().enumerate() {
        let y = TOP + row_h * i as f64;
        let w = (W - label_w - 60.0) * *n as f64 / max;
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" font-size="12" text-anchor="end">{}</text><rect x="{label_w}" y="{:.1}" width="{w:.1}" height="{:.1}" fill="#1f6feb"/><text x="{:.1}" y="{:.1}" font-size="12">{n}</text>"##,
            label_w - 8.0,
            y + 18.0,
            esc(label),
            y + 4.0,
            row_h - 8.0,
            label_w + w + 6.0,
            y + 18.0
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bar_chart_escapes_labels_and_scales_to_the_largest_bar() {
        let svg = bar_chart("<t>", &[("a&b".into(), 2), ("c".into(), 4)]);
        assert!(svg.contains("&lt;t&gt;") && svg.contains("a&amp;b"));
        assert!(!svg.contains("<t>"));
        assert_eq!(svg.matches("<rect").count(), 2);
    }
}
