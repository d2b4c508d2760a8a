//! MCPD partial dates (ACQDATE, COLLDATE): the year is always known, month
//! and day often are not, and the record must say so rather than invent them.

use chrono::NaiveDate;

use super::super::FieldError;

/// An MCPD date (YYYYMMDD) in which month and day may be unknown.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PartialDate {
    year: i32,
    month: Option<u32>,
    day: Option<u32>,
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

impl PartialDate {
    /// Parses 'YYYYMMDD' with '--' or '00' for unknown parts (e.g. '198107--');
    /// `today` is passed in so the rule is testable and the clock stays outside.
    pub fn parse(field: &str, input: &str, today: NaiveDate) -> Result<PartialDate, FieldError> {
        let s = input.trim();
        let format_err = |why: &str| {
            FieldError::new(
                field,
                "invalid_format",
                format!(
                    "{field}: '{s}' {why}; write YYYYMMDD with '--' or '00' for an unknown month or day (e.g. 198107--)"
                ),
            )
        };
        let range_err =
            |why: String| FieldError::new(field, "out_of_range", format!("{field}: '{s}' {why}"));
        if s.len() != 8 || !s.is_ascii() {
            return Err(format_err("is not an 8-character date"));
        }
        let year: i32 = match s[..4].bytes().all(|b| b.is_ascii_digit()) {
            true => s[..4].parse().unwrap_or_default(),
            false => return Err(format_err("does not start with a 4-digit year")),
        };
        let month =
            unknown_or_number(&s[4..6]).ok_or_else(|| format_err("has an unreadable month"))?;
        let day = unknown_or_number(&s[6..8]).ok_or_else(|| format_err("has an unreadable day"))?;
        if month.is_none() && day.is_some() {
            return Err(format_err("gives a day without a month"));
        }
        if year < 1700 {
            return Err(range_err(format!("has year {year}, before 1700")));
        }
        if let Some(m) = month.filter(|m| !(1..=12).contains(m)) {
            return Err(range_err(format!(
                "has month {m:02}, which is not between 01 and 12"
            )));
        }
        if let (Some(m), Some(d)) = (month, day)
            && NaiveDate::from_ymd_opt(year, m, d).is_none()
        {
            let last = (28..=31)
                .rev()
                .find(|&n| NaiveDate::from_ymd_opt(year, m, n).is_some());
            let name = MONTHS[(m - 1) as usize];
            return Err(range_err(format!(
                "is not a real date: {name} {year} has {} days",
                last.unwrap_or(31)
            )));
        }
        let date = PartialDate { year, month, day };
        if date.earliest() > today {
            return Err(range_err("is in the future".to_string()));
        }
        Ok(date)
    }

    /// The year, always known.
    pub fn year(&self) -> i32 {
        self.year
    }

    /// The month (1–12), if known.
    pub fn month(&self) -> Option<u32> {
        self.month
    }

    /// The day of month, if known.
    pub fn day(&self) -> Option<u32> {
        self.day
    }

    /// First calendar day the date could mean, used for sorting and the future check.
    pub fn earliest(&self) -> NaiveDate {
        NaiveDate::from_ymd_opt(self.year, self.month.unwrap_or(1), self.day.unwrap_or(1))
            .unwrap_or(NaiveDate::MIN)
    }

    /// Canonical MCPD form with hyphens for unknown parts, e.g. '198107--'.
    pub fn to_mcpd(&self) -> String {
        let part = |p: Option<u32>| p.map_or_else(|| "--".to_string(), |n| format!("{n:02}"));
        format!("{:04}{}{}", self.year, part(self.month), part(self.day))
    }

    /// Human ISO 8601 form at the known precision: '1981', '1981-07' or '1981-07-15'.
    pub fn to_iso_display(&self) -> String {
        match (self.month, self.day) {
            (Some(m), Some(d)) => format!("{:04}-{m:02}-{d:02}", self.year),
            (Some(m), None) => format!("{:04}-{m:02}", self.year),
            _ => format!("{:04}", self.year),
        }
    }
}

impl std::fmt::Display for PartialDate {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.to_mcpd())
    }
}

/// `Some(None)` for an unknown part, `Some(Some(n))` for digits, `None` if unreadable.
fn unknown_or_number(part: &str) -> Option<Option<u32>> {
    match part {
        "--" | "00" => Some(None),
        p if p.bytes().all(|b| b.is_ascii_digit()) => p.parse().ok().map(Some),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2024, 9, 17).unwrap()
    }

    fn parse(s: &str) -> Result<PartialDate, FieldError> {
        PartialDate::parse("ACQDATE", s, today())
    }

    #[test]
    fn unknown_parts_may_be_hyphens_or_zeros() {
        assert_eq!(parse("1981----").unwrap(), parse("19810000").unwrap());
        assert_eq!(parse("198107--").unwrap(), parse("19810700").unwrap());
        let d = parse("198107--").unwrap();
        assert_eq!((d.year(), d.month(), d.day()), (1981, Some(7), None));
    }

    #[test]
    fn iso_display_shows_only_the_known_precision() {
        assert_eq!(parse("1981----").unwrap().to_iso_display(), "1981");
        assert_eq!(parse("19810700").unwrap().to_iso_display(), "1981-07");
        assert_eq!(parse("19810715").unwrap().to_iso_display(), "1981-07-15");
    }

    #[test]
    fn canonical_mcpd_form_uses_hyphens() {
        assert_eq!(parse("19810700").unwrap().to_mcpd(), "198107--");
        assert_eq!(parse("19810000").unwrap().to_string(), "1981----");
        assert_eq!(parse("19810715").unwrap().to_mcpd(), "19810715");
    }

    #[test]
    fn impossible_months_are_rejected() {
        let e = parse("19841345").unwrap_err();
        assert_eq!(e.code, "out_of_range");
        assert!(e.message.contains("month 13"), "{}", e.message);
    }

    #[test]
    fn impossible_days_are_rejected_naming_the_month_length() {
        let e = parse("20230231").unwrap_err();
        assert_eq!(e.code, "out_of_range");
        assert_eq!(
            e.message,
            "ACQDATE: '20230231' is not a real date: February 2023 has 28 days"
        );
        assert!(parse("20240229").is_ok());
        assert!(parse("19000229").is_err());
    }

    #[test]
    fn a_day_without_a_month_is_rejected() {
        assert_eq!(parse("1981--15").unwrap_err().code, "invalid_format");
    }

    #[test]
    fn malformed_strings_are_rejected_as_format_errors() {
        for bad in [
            "1981",
            "1981-07-15",
            "19810715x",
            "abcd0101",
            "1981ab--",
            "1981０7--",
            "",
        ] {
            assert_eq!(parse(bad).unwrap_err().code, "invalid_format", "{bad}");
        }
    }

    #[test]
    fn years_before_1700_are_rejected() {
        assert_eq!(parse("1699----").unwrap_err().code, "out_of_range");
        assert!(parse("1700----").is_ok());
    }

    #[test]
    fn future_dates_are_rejected() {
        assert!(parse("2024----").is_ok());
        assert!(parse("202409--").is_ok());
        assert!(parse("20240917").is_ok());
        for bad in ["20240918", "202410--", "2025----"] {
            let e = parse(bad).unwrap_err();
            assert!(e.message.contains("in the future"), "{bad}");
        }
    }

    #[test]
    fn surrounding_whitespace_is_ignored() {
        assert!(parse(" 198107-- ").is_ok());
    }
}
