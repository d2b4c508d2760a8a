//! MCPD LATITUDE/LONGITUDE in degrees-minutes-seconds (`103020S`, `0762510W`), with '-' for
//! digits the collector did not record. The decimal value sits at the centre of the range the
//! missing digits leave open, and the half-width of that range is the implied uncertainty.

use super::super::super::FieldError;

/// Metres per arc-second of latitude (and of longitude at the equator, the worst case).
const METRES_PER_ARCSEC: f64 = 30.87;

/// A coordinate read from a DMS column.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DmsValue {
    /// Decimal degrees, north and east positive.
    pub degrees: f64,
    /// Implied uncertainty in metres when digits were missing.
    pub uncertainty_m: Option<i32>,
    /// True when the column held decimal degrees rather than DMS.
    pub was_decimal: bool,
}

/// Reads LATITUDE (`is_latitude`) or LONGITUDE; decimal degrees are accepted too because
/// files often put them in these columns.
pub fn parse_dms(field: &str, raw: &str, is_latitude: bool) -> Result<DmsValue, FieldError> {
    let s = raw.trim();
    if let Ok(x) = s.replace(',', ".").parse::<f64>() {
        return Ok(DmsValue {
            degrees: x,
            uncertainty_m: None,
            was_decimal: true,
        });
    }
    let deg_len = if is_latitude { 2 } else { 3 };
    let example = if is_latitude { "103020S" } else { "0762510W" };
    let bad = |why: &str| {
        FieldError::new(
            field,
            "invalid_format",
            format!("{field}: '{s}' {why}; write DDMMSSH (e.g. {example}) or decimal degrees"),
        )
    };
    if !s.is_ascii() || s.len() != deg_len + 5 {
        return Err(bad("is not a degrees-minutes-seconds value"));
    }
    let (digits, hemisphere) = s.split_at(deg_len + 4);
    let sign = match (hemisphere.to_ascii_uppercase().as_str(), is_latitude) {
        ("N", true) | ("E", false) => 1.0,
        ("S", true) | ("W", false) => -1.0,
        _ => return Err(bad("does not end with a hemisphere letter")),
    };
    let group = |g: &str| -> Result<Option<f64>, FieldError> {
        if g.bytes().all(|b| b.is_ascii_digit()) {
            Ok(g.parse().ok())
        } else if g.bytes().all(|b| b.is_ascii_digit() || b == b'-') {
            Ok(None)
        } else {
            Err(bad("has characters other than digits and '-'"))
        }
    };
    let Some(deg) = group(&digits[..deg_len])? else {
        return Err(bad("has no degrees"));
    };
    let min = group(&digits[deg_len..deg_len + 2])?;
    let sec = group(&digits[deg_len + 2..])?;
    if min.is_some_and(|m| m >= 60.0) || sec.is_some_and(|x| x >= 60.0) {
        return Err(bad("has minutes or seconds of 60 or more"));
    }
    let (value, half_span_arcsec) = match (min, sec) {
        (Some(m), Some(x)) => (deg + m / 60.0 + x / 3600.0, None),
        (Some(m), None) => (deg + (m + 0.5) / 60.0, Some(30.0)),
        (None, None) => (deg + 0.5, Some(1800.0)),
        (None, Some(_)) => return Err(bad("gives seconds without minutes")),
    };
    Ok(DmsValue {
        degrees: sign * round6(value),
        uncertainty_m: half_span_arcsec.map(|a: f64| (a * METRES_PER_ARCSEC).round() as i32),
        was_decimal: false,
    })
}

/// Rounds to six decimals (about 0.1 m), the precision MCPD files carry.
pub fn round6(x: f64) -> f64 {
    (x * 1e6).round() / 1e6
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_dms_converts_to_decimal_degrees() {
        let v = parse_dms("LATITUDE", "103020S", true).unwrap();
        assert_eq!(v.degrees, -10.505556);
        assert_eq!(v.uncertainty_m, None);
        let v = parse_dms("LONGITUDE", "0762510W", false).unwrap();
        assert_eq!(v.degrees, -76.419444);
    }

    #[test]
    fn missing_seconds_give_the_centre_of_the_minute_and_an_uncertainty() {
        let v = parse_dms("LATITUDE", "3655--N", true).unwrap();
        assert_eq!(v.degrees, round6(36.0 + 55.5 / 60.0));
        assert_eq!(v.uncertainty_m, Some(926));
        let v = parse_dms("LONGITUDE", "010----E", false).unwrap();
        assert_eq!(v.degrees, 10.5);
        assert_eq!(v.uncertainty_m, Some(55566));
    }

    #[test]
    fn decimal_degrees_in_a_dms_column_are_accepted() {
        let v = parse_dms("LATITUDE", "-33.861481", true).unwrap();
        assert!(v.was_decimal);
        assert_eq!(v.degrees, -33.861481);
    }

    #[test]
    fn nonsense_is_rejected() {
        for bad in ["3655N", "365599N", "3655--X", "36AB00N", "36--30N"] {
            assert!(parse_dms("LATITUDE", bad, true).is_err(), "{bad}");
        }
    }
}
