//! Text encodings of MCPD files: most are UTF-8, but spreadsheets on Chinese and Western
//! Windows still save GB18030 or Windows-1252, and files that went through two tools arrive
//! double-encoded ("MaÃ¯s"). Decoding is detected and reported, never guessed silently.

use encoding_rs::{GB18030, WINDOWS_1252};

/// A decoded file and the encoding it was read as.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without a byte-order mark.
    pub text: String,
    /// "UTF-8", "GB18030" or "windows-1252".
    pub encoding: &'static str,
    /// True when the file started with a UTF-8 byte-order mark.
    pub had_bom: bool,
}

/// Decodes a file: UTF-8 when valid, else GB18030 when that reads cleanly as Chinese text,
/// else Windows-1252 (which can decode any byte).
pub fn decode(bytes: &[u8]) -> Decoded {
    let (bytes, had_bom) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (rest, true),
        None => (bytes, false),
    };
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded {
            text: s.to_string(),
            encoding: "UTF-8",
            had_bom,
        };
    }
    let (gb, _, gb_errors) = GB18030.decode(bytes);
    // A Windows-1252 accent is one high byte among ASCII ("Ma\xEFs"); Chinese text is pairs of
    // high bytes. Only a file made entirely of such pairs that decodes cleanly is GB18030.
    if !gb_errors
        && high_bytes_pair_up(bytes)
        && gb.chars().any(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c))
    {
        return Decoded {
            text: gb.into_owned(),
            encoding: "GB18030",
            had_bom,
        };
    }
    let (w, _, _) = WINDOWS_1252.decode(bytes);
    Decoded {
        text: w.into_owned(),
        encoding: "windows-1252",
        had_bom,
    }
}

/// True when every non-ASCII byte belongs to a GB18030 two-byte (both bytes high) or
/// four-byte (high, digit, high, digit) sequence.
fn high_bytes_pair_up(bytes: &[u8]) -> bool {
    let high = |b: Option<&u8>| b.is_some_and(|b| (0x81..=0xFE).contains(b));
    let digit = |b: Option<&u8>| b.is_some_and(u8::is_ascii_digit);
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] < 0x80 {
            i += 1;
        } else if high(bytes.get(i)) && bytes.get(i + 1).is_some_and(|b| *b >= 0x80 && *b != 0xFF) {
            i += 2;
        } else if high(bytes.get(i))
            && digit(bytes.get(i + 1))
            && high(bytes.get(i + 2))
            && digit(bytes.get(i + 3))
        {
            i += 4;
        } else {
            return false;
        }
    }
    true
}

/// When `s` is UTF-8 that was decoded as Windows-1252 and encoded again ("Ã©" for "é"),
/// returns what it was meant to say.
pub fn repair_mojibake(s: &str) -> Option<String> {
    if s.is_ascii() {
        return None;
    }
    let (bytes, _, unmappable) = WINDOWS_1252.encode(s);
    if unmappable {
        return None;
    }
    let fixed = std::str::from_utf8(&bytes).ok()?;
    (fixed != s && !fixed.is_ascii()).then(|| fixed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_a_bom_is_read_as_utf8() {
        let d = decode("\u{FEFF}GENUS\nZea".as_bytes());
        assert_eq!(d.text, "GENUS\nZea");
        assert_eq!(d.encoding, "UTF-8");
        assert!(d.had_bom);
    }

    #[test]
    fn gb18030_is_detected() {
        let (bytes, _, _) = GB18030.encode("CROPNAME\n水稻");
        let d = decode(&bytes);
        assert_eq!(d.encoding, "GB18030");
        assert_eq!(d.text, "CROPNAME\n水稻");
    }

    #[test]
    fn windows_1252_is_the_fallback() {
        let d = decode(b"DONORNAME\nMa\xEFs blanc");
        assert_eq!(d.encoding, "windows-1252");
        assert_eq!(d.text, "DONORNAME\nMaïs blanc");
    }

    #[test]
    fn double_encoded_utf8_is_recognised() {
        assert_eq!(repair_mojibake("MaÃ¯s").as_deref(), Some("Maïs"));
        assert_eq!(
            repair_mojibake("Centro Internacional de Mejoramiento de MaÃ\u{ad}z").as_deref(),
            Some("Centro Internacional de Mejoramiento de Maíz")
        );
        assert_eq!(repair_mojibake("Maïs"), None);
        assert_eq!(repair_mojibake("水稻"), None);
        assert_eq!(repair_mojibake("plain"), None);
    }
}
