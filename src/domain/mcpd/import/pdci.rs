//! Passport data completeness index (PDCI, 0–10): points per filled MCPD field, weighted by
//! biological status as MCPD.md summarises Genesys' scheme, so curators see where data is thin.

/// Scores one accession; `value` returns the (normalised) content of an MCPD column.
pub fn pdci<'a>(value: impl Fn(&str) -> Option<&'a str>) -> f64 {
    let filled = |col: &str| value(col).is_some_and(|v| !v.trim().is_empty());
    let sampstat: Option<i32> = value("SAMPSTAT").and_then(|s| s.trim().parse().ok());
    let wild = sampstat.is_some_and(|s| (100..300).contains(&s));
    let landrace = sampstat == Some(300);
    let breeding = sampstat.is_some_and(|s| (400..500).contains(&s));
    let cultivar = matches!(sampstat, Some(300) | Some(500));
    let mut points = 0;
    let mut add = |ok: bool, p: i32| {
        if ok {
            points += p;
        }
    };
    add(filled("GENUS"), 120);
    add(
        value("SPECIES").is_some_and(|s| !s.trim().is_empty() && s.trim() != "sp."),
        80,
    );
    add(filled("SUBTAXA"), 40);
    add(filled("CROPNAME"), 45);
    add(sampstat.is_some(), 80);
    add((wild || landrace) && filled("ORIGCTY"), 80);
    add(wild && filled("DECLATITUDE") && filled("DECLONGITUDE"), 120);
    add(breeding && filled("ANCEST"), 150);
    add(cultivar && filled("ACCENAME"), 160);
    for (col, p) in [
        ("DONORCODE", 40),
        ("OTHERNUMB", 35),
        ("DUPLSITE", 30),
        ("STORAGE", 15),
        ("ACCEURL", 40),
        ("MLSSTAT", 15),
    ] {
        add(filled(col), p);
    }
    (f64::from(points) / 100.0).min(10.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn score(pairs: &[(&'static str, &'static str)]) -> f64 {
        let m: HashMap<&str, &'static str> = pairs.iter().copied().collect();
        pdci(|c| m.get(c).copied())
    }

    #[test]
    fn weights_depend_on_biological_status() {
        let base = [("GENUS", "Oryza"), ("SPECIES", "sativa")];
        assert_eq!(score(&base), 2.0);
        let wild = [
            ("GENUS", "Oryza"),
            ("SAMPSTAT", "100"),
            ("ORIGCTY", "CHN"),
            ("DECLATITUDE", "30.1"),
            ("DECLONGITUDE", "120.2"),
        ];
        assert_eq!(score(&wild), 4.0);
        let breeding = [("GENUS", "Oryza"), ("SAMPSTAT", "410"), ("ANCEST", "A/B")];
        assert_eq!(score(&breeding), 3.5);
        let cultivar = [
            ("GENUS", "Oryza"),
            ("SAMPSTAT", "500"),
            ("ACCENAME", "IR64"),
        ];
        assert_eq!(score(&cultivar), 3.6);
    }

    #[test]
    fn sp_is_not_a_species() {
        assert_eq!(score(&[("GENUS", "Oryza"), ("SPECIES", "sp.")]), 1.2);
    }
}
