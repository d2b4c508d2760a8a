//! Generic free-text checks shared by every form, so that stray control
//! characters and oversized pastes never reach labels, exports or the database.

use super::FieldError;

/// Returns the trimmed value, or an error if it holds control characters or is too long.
///
/// Windows line endings are folded to `\n` first because browsers submit
/// textareas with CRLF; a lone `\r` is still rejected. Bidirectional override
/// characters are rejected too: they can make a code read differently on
/// screen than it sorts or matches.
pub fn check_text(field: &str, value: &str, max_chars: usize) -> Result<String, FieldError> {
    let trimmed = value.trim().replace("\r\n", "\n");
    if let Some(bad) = trimmed.chars().find(|&c| is_forbidden(c)) {
        return Err(FieldError::new(
            field,
            "invalid_format",
            format!(
                "{field}: contains an invisible control character (U+{:04X}); please retype the value",
                bad as u32
            ),
        ));
    }
    let count = trimmed.chars().count();
    if count > max_chars {
        return Err(FieldError::new(
            field,
            "too_long",
            format!("{field}: is {count} characters long; the maximum is {max_chars}"),
        ));
    }
    Ok(trimmed)
}

/// Returns the trimmed value, or a `required` error when it is missing or blank.
pub fn required<'a>(field: &str, value: Option<&'a str>) -> Result<&'a str, FieldError> {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => Ok(v),
        _ => Err(FieldError::new(
            field,
            "required",
            format!("{field}: a value is required"),
        )),
    }
}

/// Maps a blank optional value to `None`, because empty form inputs mean "not given".
pub fn blank_to_none(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|v| !v.is_empty())
}

fn is_forbidden(c: char) -> bool {
    let bidi = matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}');
    (c.is_control() && c != '\t' && c != '\n') || bidi
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn surrounding_whitespace_is_trimmed() {
        assert_eq!(check_text("NAME", "  Jubilee \n", 50).unwrap(), "Jubilee");
    }

    #[test]
    fn tabs_and_newlines_inside_are_kept() {
        assert_eq!(check_text("REMARKS", "a\tb\nc", 50).unwrap(), "a\tb\nc");
    }

    #[test]
    fn windows_line_endings_become_newlines() {
        assert_eq!(check_text("REMARKS", "a\r\nb", 50).unwrap(), "a\nb");
    }

    #[test]
    fn control_characters_are_rejected() {
        for bad in ["a\u{0}b", "a\u{7}b", "a\rb", "a\u{1b}[31mb", "a\u{85}b"] {
            let e = check_text("REMARKS", bad, 50).unwrap_err();
            assert_eq!(e.code, "invalid_format", "{bad:?}");
            assert!(e.message.starts_with("REMARKS:"));
        }
    }

    #[test]
    fn bidi_overrides_are_rejected() {
        assert!(check_text("ACCENUMB", "abc\u{202E}def", 50).is_err());
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(check_text("NAME", "野生稻", 3).is_ok());
        let e = check_text("NAME", "野生稻种", 3).unwrap_err();
        assert_eq!(e.code, "too_long");
        assert!(e.message.contains("4 characters"));
    }

    #[test]
    fn length_is_measured_after_trimming() {
        assert!(check_text("NAME", "   abc   ", 3).is_ok());
    }

    #[test]
    fn missing_or_blank_required_values_are_rejected() {
        assert_eq!(required("GENUS", None).unwrap_err().code, "required");
        assert_eq!(required("GENUS", Some("  ")).unwrap_err().code, "required");
        assert_eq!(required("GENUS", Some(" Oryza ")).unwrap(), "Oryza");
    }

    #[test]
    fn blank_optional_values_become_none() {
        assert_eq!(blank_to_none(Some("  ")), None);
        assert_eq!(blank_to_none(None), None);
        assert_eq!(blank_to_none(Some(" x ")), Some("x"));
    }
}
