//! The message catalog: every user-facing string in English and Simplified Chinese.

mod catalog;
mod catalog_fields;
mod catalog_mta;
mod catalog_report;
mod catalog_requests;
mod catalog_standards;
mod catalog_storage;
mod catalog_viability;

use std::collections::HashMap;
use std::sync::OnceLock;

/// A language the interface speaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Lang {
    #[default]
    En,
    Zh,
}

impl Lang {
    /// The code used in cookies, URLs and `<html lang>`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Zh => "zh-CN",
        }
    }

    /// Parses a cookie or URL value (`en`, `zh`, `zh-CN`).
    pub fn from_code(code: &str) -> Option<Lang> {
        let c = code.trim().to_ascii_lowercase();
        if c.starts_with("zh") {
            Some(Lang::Zh)
        } else if c.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }

    /// Picks the first supported language from an `Accept-Language` header, honouring q-values.
    pub fn from_accept_language(header: &str) -> Option<Lang> {
        let mut best: Option<(f32, Lang)> = None;
        for part in header.split(',') {
            let mut pieces = part.trim().split(';');
            let tag = pieces.next().unwrap_or("");
            let q = pieces
                .find_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .and_then(|q| q.parse::<f32>().ok())
                })
                .unwrap_or(1.0);
            if let Some(lang) = Lang::from_code(tag)
                && best.is_none_or(|(bq, _)| q > bq)
            {
                best = Some((q, lang));
            }
        }
        best.map(|(_, l)| l)
    }

    /// Translates a catalog key; an unknown key shows itself so a gap is visible, not hidden.
    pub fn t(self, key: &str) -> &'static str {
        let table = messages();
        match table.get(key) {
            Some((en, zh)) => match self {
                Lang::En => en,
                Lang::Zh => zh,
            },
            None => {
                tracing::warn!(key, "missing message catalog key");
                // Leak is bounded by the finite set of keys in the code base.
                Box::leak(key.to_string().into_boxed_str())
            }
        }
    }
}

fn messages() -> &'static HashMap<&'static str, (&'static str, &'static str)> {
    static TABLE: OnceLock<HashMap<&'static str, (&'static str, &'static str)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        catalog::MESSAGES
            .iter()
            .chain(catalog_fields::FIELD_MESSAGES)
            .chain(catalog_storage::STORAGE_MESSAGES)
            .chain(catalog_viability::VIABILITY_MESSAGES)
            .chain(catalog_requests::REQUEST_MESSAGES)
            .chain(catalog_mta::MTA_MESSAGES)
            .chain(catalog_report::REPORT_MESSAGES)
            .chain(catalog_standards::STANDARDS_MESSAGES)
            .map(|(k, en, zh)| (*k, (*en, *zh)))
            .collect()
    })
}

/// True when the catalog has a key (used by tests that check templates against the catalog).
pub fn has_key(key: &str) -> bool {
    messages().contains_key(key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_prefers_the_highest_quality_supported_tag() {
        assert_eq!(
            Lang::from_accept_language("zh-CN,zh;q=0.9,en;q=0.8"),
            Some(Lang::Zh)
        );
        assert_eq!(
            Lang::from_accept_language("fr;q=1,en;q=0.5,zh;q=0.4"),
            Some(Lang::En)
        );
        assert_eq!(Lang::from_accept_language("de"), None);
    }

    #[test]
    fn every_key_has_both_languages_and_no_duplicates() {
        let mut seen = std::collections::HashSet::new();
        for (key, en, zh) in catalog::MESSAGES
            .iter()
            .chain(catalog_fields::FIELD_MESSAGES)
            .chain(catalog_storage::STORAGE_MESSAGES)
            .chain(catalog_viability::VIABILITY_MESSAGES)
            .chain(catalog_requests::REQUEST_MESSAGES)
            .chain(catalog_mta::MTA_MESSAGES)
            .chain(catalog_report::REPORT_MESSAGES)
            .chain(catalog_standards::STANDARDS_MESSAGES)
        {
            assert!(seen.insert(key), "duplicate key {key}");
            assert!(
                !en.is_empty() && !zh.is_empty(),
                "empty translation for {key}"
            );
        }
    }

    #[test]
    fn every_key_a_template_uses_is_in_the_catalog() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("templates");
        let mut missing = Vec::new();
        visit(&dir, &mut |text| {
            for piece in text.split(".t(\"").skip(1) {
                if let Some(end) = piece.find('"') {
                    let key = &piece[..end];
                    if !has_key(key) {
                        missing.push(key.to_string());
                    }
                }
            }
        });
        assert!(
            missing.is_empty(),
            "keys missing from the catalog: {missing:?}"
        );
    }

    fn visit(dir: &std::path::Path, f: &mut dyn FnMut(&str)) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                visit(&path, f);
            } else if path.extension().is_some_and(|e| e == "html") {
                f(&std::fs::read_to_string(&path).unwrap());
            }
        }
    }
}
