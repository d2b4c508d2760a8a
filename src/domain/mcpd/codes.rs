//! MCPD v2.1 coded fields (SAMPSTAT, COLLSRC, STORAGE, MLSSTAT) with English
//! and Chinese labels. Kept as data tables so pick lists, validation and
//! exports all read the same source.

use super::super::FieldError;

/// One entry of an MCPD code table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct McpdCode {
    /// The numeric code as written in MCPD files.
    pub code: i32,
    /// English label, following the MCPD v2.1 wording.
    pub en: &'static str,
    /// Chinese label for the zh-CN interface.
    pub zh: &'static str,
}

const fn c(code: i32, en: &'static str, zh: &'static str) -> McpdCode {
    McpdCode { code, en, zh }
}

/// SAMPSTAT: biological status of the accession.
pub const SAMPSTAT: &[McpdCode] = &[
    c(100, "Wild", "野生"),
    c(110, "Natural", "自然"),
    c(120, "Semi-natural/wild", "半自然/野生"),
    c(130, "Semi-natural/sown", "半自然/播种"),
    c(200, "Weedy", "杂草"),
    c(300, "Traditional cultivar/landrace", "地方品种/农家种"),
    c(400, "Breeding/research material", "育种/研究材料"),
    c(410, "Breeder's line", "育种品系"),
    c(411, "Synthetic population", "合成群体"),
    c(412, "Hybrid", "杂交种"),
    c(413, "Founder stock/base population", "奠基群体/基础群体"),
    c(
        414,
        "Inbred line (parent of hybrid cultivar)",
        "自交系（杂交品种亲本）",
    ),
    c(415, "Segregating population", "分离群体"),
    c(416, "Clonal selection", "无性系选择"),
    c(420, "Genetic stock", "遗传材料"),
    c(
        421,
        "Mutant (e.g. induced/insertion mutants, tilling populations)",
        "突变体",
    ),
    c(
        422,
        "Cytogenetic stocks (e.g. chromosome addition/substitution, aneuploids, amphiploids)",
        "细胞遗传材料",
    ),
    c(
        423,
        "Other genetic stocks (e.g. mapping populations)",
        "其他遗传材料（如作图群体）",
    ),
    c(
        500,
        "Advanced or improved cultivar (conventional breeding methods)",
        "改良品种",
    ),
    c(600, "GMO (by genetic engineering)", "转基因材料"),
    c(
        999,
        "Other (elaborate in REMARKS field)",
        "其他（在备注中说明）",
    ),
];

/// COLLSRC: where the sample was collected or acquired.
pub const COLLSRC: &[McpdCode] = &[
    c(10, "Wild habitat", "野生生境"),
    c(11, "Forest or woodland", "森林或林地"),
    c(12, "Shrubland", "灌丛"),
    c(13, "Grassland", "草地"),
    c(14, "Desert or tundra", "荒漠或苔原"),
    c(15, "Aquatic habitat", "水生生境"),
    c(20, "Farm or cultivated habitat", "农田或栽培生境"),
    c(21, "Field", "大田"),
    c(22, "Orchard", "果园"),
    c(
        23,
        "Backyard, kitchen or home garden (urban, peri-urban or rural)",
        "庭院、菜园或家庭园地",
    ),
    c(24, "Fallow land", "休耕地"),
    c(25, "Pasture", "牧场"),
    c(26, "Farm store", "农户仓储"),
    c(27, "Threshing floor", "打谷场"),
    c(28, "Park", "公园"),
    c(30, "Market or shop", "市场或商店"),
    c(
        40,
        "Institute, experimental station, research organization, genebank",
        "研究所、试验站、研究机构、种质库",
    ),
    c(50, "Seed company", "种子公司"),
    c(
        60,
        "Weedy, disturbed or ruderal habitat",
        "杂草、受干扰或荒地生境",
    ),
    c(61, "Roadside", "路边"),
    c(62, "Field margin", "田边"),
    c(
        99,
        "Other (elaborate in REMARKS field)",
        "其他（在备注中说明）",
    ),
];

/// STORAGE: type of germplasm storage; an accession may have several.
pub const STORAGE: &[McpdCode] = &[
    c(10, "Seed collection", "种子保存"),
    c(11, "Short term", "短期库"),
    c(12, "Medium term", "中期库"),
    c(13, "Long term", "长期库"),
    c(20, "Field collection", "田间种质圃"),
    c(30, "In vitro collection", "离体（试管）保存"),
    c(40, "Cryopreserved collection", "超低温保存"),
    c(50, "DNA collection", "DNA库"),
    c(
        99,
        "Other (elaborate in REMARKS field)",
        "其他（在备注中说明）",
    ),
];

/// MLSSTAT: whether the accession is in the ITPGRFA Multilateral System.
pub const MLSSTAT: &[McpdCode] = &[
    c(0, "Not included in the MLS", "未纳入多边系统"),
    c(1, "Included in the MLS", "已纳入多边系统"),
    c(
        99,
        "Other (elaborate in REMARKS field)",
        "其他（在备注中说明）",
    ),
];

fn find(table: &[McpdCode], code: i32) -> Option<&McpdCode> {
    table.iter().find(|e| e.code == code)
}

/// English label for a SAMPSTAT code, `None` if the code is not in MCPD v2.1.
pub fn sampstat_label(code: i32) -> Option<&'static str> {
    find(SAMPSTAT, code).map(|e| e.en)
}
/// Chinese label for a SAMPSTAT code.
pub fn sampstat_label_zh(code: i32) -> Option<&'static str> {
    find(SAMPSTAT, code).map(|e| e.zh)
}
/// English label for a COLLSRC code.
pub fn collsrc_label(code: i32) -> Option<&'static str> {
    find(COLLSRC, code).map(|e| e.en)
}
/// Chinese label for a COLLSRC code.
pub fn collsrc_label_zh(code: i32) -> Option<&'static str> {
    find(COLLSRC, code).map(|e| e.zh)
}
/// English label for a STORAGE code.
pub fn storage_label(code: i32) -> Option<&'static str> {
    find(STORAGE, code).map(|e| e.en)
}
/// Chinese label for a STORAGE code.
pub fn storage_label_zh(code: i32) -> Option<&'static str> {
    find(STORAGE, code).map(|e| e.zh)
}
/// English label for an MLSSTAT code.
pub fn mlsstat_label(code: i32) -> Option<&'static str> {
    find(MLSSTAT, code).map(|e| e.en)
}
/// Chinese label for an MLSSTAT code.
pub fn mlsstat_label_zh(code: i32) -> Option<&'static str> {
    find(MLSSTAT, code).map(|e| e.zh)
}

fn parse_code(table: &[McpdCode], field: &str, s: &str) -> Result<i32, FieldError> {
    let s = s.trim();
    match s.parse::<i32>().ok().and_then(|n| find(table, n)) {
        Some(e) => Ok(e.code),
        None => {
            let allowed: Vec<String> = table.iter().map(|e| e.code.to_string()).collect();
            Err(FieldError::new(
                field,
                "invalid_code",
                format!(
                    "{field}: '{s}' is not an MCPD code; expected one of {}",
                    allowed.join(", ")
                ),
            ))
        }
    }
}

/// Parses a SAMPSTAT value from a form or import file.
pub fn parse_sampstat(s: &str) -> Result<i32, FieldError> {
    parse_code(SAMPSTAT, "SAMPSTAT", s)
}

/// Parses a COLLSRC value from a form or import file.
pub fn parse_collsrc(s: &str) -> Result<i32, FieldError> {
    parse_code(COLLSRC, "COLLSRC", s)
}

/// Parses a multi-valued STORAGE field (`13;40`); spaces around ';' are
/// tolerated on input and duplicates dropped, since spreadsheets add both.
pub fn parse_storage(s: &str) -> Result<Vec<i32>, FieldError> {
    let mut codes = Vec::new();
    for part in s.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let code = parse_code(STORAGE, "STORAGE", part)?;
        if !codes.contains(&code) {
            codes.push(code);
        }
    }
    Ok(codes)
}

/// Writes STORAGE codes in the MCPD form: ';'-separated without spaces.
pub fn format_storage(codes: &[i32]) -> String {
    codes
        .iter()
        .map(i32::to_string)
        .collect::<Vec<_>>()
        .join(";")
}

/// Normalises MLSSTAT, mapping legacy Y/N (MCPD v1) to 1/0; the flag says
/// whether the value changed, so imports can report silent rewrites.
pub fn normalise_mlsstat(s: &str) -> Result<(i32, bool), FieldError> {
    let value = match s.trim().to_ascii_uppercase().as_str() {
        "Y" | "YES" => 1,
        "N" | "NO" => 0,
        other => parse_code(MLSSTAT, "MLSSTAT", other)?,
    };
    Ok((value, s != value.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tables_hold_exactly_the_mcpd_v2_1_codes() {
        let codes = |t: &[McpdCode]| t.iter().map(|e| e.code).collect::<Vec<_>>();
        assert_eq!(
            codes(SAMPSTAT),
            [
                100, 110, 120, 130, 200, 300, 400, 410, 411, 412, 413, 414, 415, 416, 420, 421,
                422, 423, 500, 600, 999
            ]
        );
        assert_eq!(
            codes(COLLSRC),
            [
                10, 11, 12, 13, 14, 15, 20, 21, 22, 23, 24, 25, 26, 27, 28, 30, 40, 50, 60, 61, 62,
                99
            ]
        );
        assert_eq!(codes(STORAGE), [10, 11, 12, 13, 20, 30, 40, 50, 99]);
        assert_eq!(codes(MLSSTAT), [0, 1, 99]);
    }

    #[test]
    fn every_code_has_english_and_chinese_labels() {
        for t in [SAMPSTAT, COLLSRC, STORAGE, MLSSTAT] {
            assert!(t.iter().all(|e| !e.en.is_empty() && !e.zh.is_empty()));
        }
    }

    #[test]
    fn labels_are_looked_up_by_code() {
        assert_eq!(sampstat_label(300), Some("Traditional cultivar/landrace"));
        assert_eq!(sampstat_label_zh(100), Some("野生"));
        assert_eq!(sampstat_label_zh(300), Some("地方品种/农家种"));
        assert_eq!(sampstat_label_zh(500), Some("改良品种"));
        assert_eq!(collsrc_label(26), Some("Farm store"));
        assert_eq!(collsrc_label_zh(22), Some("果园"));
        assert_eq!(storage_label(13), Some("Long term"));
        assert_eq!(storage_label_zh(40), Some("超低温保存"));
        assert_eq!(mlsstat_label(1), Some("Included in the MLS"));
        assert_eq!(sampstat_label(350), None);
        assert_eq!(collsrc_label(16), None);
    }

    #[test]
    fn unknown_codes_are_rejected_with_the_allowed_list() {
        let e = parse_sampstat("350").unwrap_err();
        assert_eq!(e.code, "invalid_code");
        assert!(e.message.starts_with("SAMPSTAT: '350'"));
        assert!(parse_collsrc("abc").is_err());
        assert_eq!(parse_sampstat(" 412 ").unwrap(), 412);
    }

    #[test]
    fn storage_is_multi_valued_and_written_without_spaces() {
        let codes = parse_storage("13; 40;13").unwrap();
        assert_eq!(codes, [13, 40]);
        assert_eq!(format_storage(&codes), "13;40");
        assert_eq!(parse_storage("").unwrap(), Vec::<i32>::new());
        let e = parse_storage("13;14").unwrap_err();
        assert!(e.message.contains("'14'"));
    }

    #[test]
    fn legacy_yes_no_mlsstat_is_normalised_and_flagged() {
        assert_eq!(normalise_mlsstat("Y").unwrap(), (1, true));
        assert_eq!(normalise_mlsstat("n").unwrap(), (0, true));
        assert_eq!(normalise_mlsstat("1").unwrap(), (1, false));
        assert_eq!(normalise_mlsstat("99").unwrap(), (99, false));
        assert_eq!(normalise_mlsstat("2").unwrap_err().field, "MLSSTAT");
    }
}
