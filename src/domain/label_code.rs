//! Sample label codes: 8 random Crockford base-32 symbols plus one check
//! symbol, shown as `XXXX-XXXX-C`. Technicians type these from worn labels,
//! so the check symbol must catch every single-character typo and every swap
//! of two neighbouring characters before a wrong tube is pulled.
//!
//! The check is a Damm-style scheme over GF(32) (modulus x^5 + x^2 + 1):
//! `interim = 2·interim ⊕ d` per data symbol, `check = 2·interim`. Over all
//! nine symbols the result is Σ 2^(9−i)·sᵢ = 0, a linear code, so a
//! substitution adds 2^k·e ≠ 0 and an adjacent swap adds 2^k·3·(a ⊕ b) ≠ 0.

use std::fmt;
use std::str::FromStr;

use super::FieldError;

/// Crockford base-32 symbols: no I, L, O, U, so codes survive handwriting.
pub const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// Number of random data symbols; 32^8 ≈ 10^12 codes keeps collisions rare.
pub const DATA_LEN: usize = 8;

/// Total canonical length including the check symbol.
pub const CODE_LEN: usize = DATA_LEN + 1;

/// A validated label code, stored in canonical form (9 upper-case symbols, no hyphens).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct LabelCode(String);

/// Why a scanned or typed label code was rejected, phrased for a technician at the bench.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LabelCodeError {
    /// Nothing was scanned or typed.
    #[error("no label code was entered")]
    Empty,
    /// Too few or too many symbols, usually a partial scan or a dropped character.
    #[error("a label code has 9 characters (like 7K3F-9Q2C-D) but {len} were entered")]
    WrongLength {
        /// How many code characters were found, ignoring hyphens and spaces.
        len: usize,
    },
    /// A character that cannot appear on a label (e.g. `U` or punctuation).
    #[error(
        "'{ch}' at position {position} cannot appear in a label code (use digits and letters except U)"
    )]
    InvalidCharacter {
        /// The offending character as entered.
        ch: char,
        /// 1-based position within the code as entered, counting hyphens.
        position: usize,
    },
    /// All characters are valid but the check symbol disagrees: a typo or misread.
    #[error("the code was mistyped: check character does not match — re-scan or re-type it")]
    CheckCharacterMismatch,
}

impl LabelCodeError {
    /// Converts to a form error so label inputs report like every other field.
    pub fn to_field_error(&self, field: &str) -> FieldError {
        let code = match self {
            LabelCodeError::Empty => "required",
            LabelCodeError::WrongLength { .. } | LabelCodeError::InvalidCharacter { .. } => {
                "invalid_format"
            }
            LabelCodeError::CheckCharacterMismatch => "invalid_check_character",
        };
        FieldError::new(field, code, format!("{field}: {self}"))
    }
}

impl LabelCode {
    /// Draws a fresh random code; the caller checks uniqueness against the database.
    pub fn generate(rng: &mut impl rand::Rng) -> LabelCode {
        let mut data = [0u8; DATA_LEN];
        for d in &mut data {
            *d = rng.random_range(0..32u8);
        }
        LabelCode::from_symbols(&data)
    }

    /// Parses typed or scanned input: tolerant of case, separators, Crockford
    /// look-alikes (O→0, I/L→1) and whole label URLs (`…/s/CODE`).
    pub fn parse(input: &str) -> Result<LabelCode, LabelCodeError> {
        let raw = extract_from_scan(input);
        let mut symbols = Vec::with_capacity(CODE_LEN);
        for (i, ch) in raw.chars().enumerate() {
            if matches!(ch, '-' | ' ' | '\t') {
                continue;
            }
            match symbol_value(ch) {
                Some(v) => symbols.push(v),
                None => {
                    return Err(LabelCodeError::InvalidCharacter {
                        ch,
                        position: i + 1,
                    });
                }
            }
        }
        match symbols.len() {
            0 => Err(LabelCodeError::Empty),
            CODE_LEN => {
                let (data, check) = symbols.split_at(DATA_LEN);
                if check_symbol(data) == check[0] {
                    Ok(LabelCode::from_symbols(data))
                } else {
                    Err(LabelCodeError::CheckCharacterMismatch)
                }
            }
            len => Err(LabelCodeError::WrongLength { len }),
        }
    }

    /// Canonical 9-character form used for storage and lookups.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Hyphenated `XXXX-XXXX-C` form printed on labels, grouped for easier reading aloud.
    pub fn display(&self) -> String {
        let s = &self.0;
        format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..9])
    }

    fn from_symbols(data: &[u8]) -> LabelCode {
        let mut s: String = data.iter().map(|&v| ALPHABET[v as usize] as char).collect();
        s.push(ALPHABET[check_symbol(data) as usize] as char);
        LabelCode(s)
    }
}

impl fmt::Display for LabelCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.display())
    }
}

impl FromStr for LabelCode {
    type Err = LabelCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        LabelCode::parse(s)
    }
}

impl serde::Serialize for LabelCode {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.0)
    }
}

impl<'de> serde::Deserialize<'de> for LabelCode {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = <String as serde::Deserialize>::deserialize(d)?;
        LabelCode::parse(&s).map_err(serde::de::Error::custom)
    }
}

/// Returns the code part of scanner input: trims it and, for a label URL,
/// keeps only the path segment after the last `/s/` (QR scanners send the
/// whole URL, and alphanumeric-mode QR codes upper-case it, so `/S/` counts too).
pub fn extract_from_scan(input: &str) -> &str {
    let s = input.trim();
    let s = s.split(['?', '#']).next().unwrap_or(s);
    let lower = s.to_ascii_lowercase();
    match lower.rfind("/s/") {
        Some(at) => {
            let rest = &s[at + 3..];
            rest.split('/').next().unwrap_or(rest).trim()
        }
        None => s,
    }
}

/// Multiplies by x in GF(32) modulo x^5 + x^2 + 1.
fn times_two(a: u8) -> u8 {
    let shifted = a << 1;
    if shifted & 0x20 != 0 {
        shifted ^ 0x25
    } else {
        shifted
    }
}

fn check_symbol(data: &[u8]) -> u8 {
    let interim = data.iter().fold(0u8, |acc, &d| times_two(acc) ^ d);
    times_two(interim)
}

fn symbol_value(ch: char) -> Option<u8> {
    let c = match ch.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        c => c,
    };
    ALPHABET
        .iter()
        .position(|&a| a as char == c)
        .map(|p| p as u8)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;
    use rand::rngs::StdRng;

    fn sample_codes() -> Vec<LabelCode> {
        let mut rng = StdRng::seed_from_u64(20240917);
        let mut codes: Vec<LabelCode> = (0..300).map(|_| LabelCode::generate(&mut rng)).collect();
        codes.push(LabelCode::from_symbols(&[0; 8]));
        codes.push(LabelCode::from_symbols(&[31; 8]));
        codes
    }

    fn valid_check(code: &str) -> bool {
        let vals: Vec<u8> = code.chars().map(|c| symbol_value(c).unwrap()).collect();
        vals.iter().fold(0u8, |acc, &d| times_two(acc) ^ d) == 0
    }

    #[test]
    fn multiplication_by_two_is_a_permutation_of_the_field() {
        let mut seen: Vec<u8> = (0..32).map(times_two).collect();
        seen.sort_unstable();
        assert_eq!(seen, (0..32).collect::<Vec<u8>>());
    }

    #[test]
    fn processing_the_check_character_ends_at_zero() {
        for code in sample_codes() {
            assert!(valid_check(code.as_str()), "{code}");
        }
    }

    #[test]
    fn generated_codes_round_trip_through_display_and_parse() {
        for code in sample_codes() {
            assert_eq!(code.as_str().len(), CODE_LEN);
            assert_eq!(LabelCode::parse(&code.display()).unwrap(), code);
            assert_eq!(LabelCode::parse(code.as_str()).unwrap(), code);
        }
    }

    #[test]
    fn every_single_character_substitution_is_caught() {
        for code in sample_codes() {
            let original: Vec<u8> = code.as_str().bytes().collect();
            for pos in 0..CODE_LEN {
                for &sym in ALPHABET.iter().filter(|&&a| a != original[pos]) {
                    let mut typo = original.clone();
                    typo[pos] = sym;
                    let typo = String::from_utf8(typo).unwrap();
                    assert_eq!(
                        LabelCode::parse(&typo),
                        Err(LabelCodeError::CheckCharacterMismatch),
                        "{code} -> {typo}"
                    );
                }
            }
        }
    }

    #[test]
    fn transposed_characters_are_caught() {
        for code in sample_codes() {
            let original: Vec<u8> = code.as_str().bytes().collect();
            for pos in 0..CODE_LEN - 1 {
                if original[pos] == original[pos + 1] {
                    continue;
                }
                let mut swapped = original.clone();
                swapped.swap(pos, pos + 1);
                let swapped = String::from_utf8(swapped).unwrap();
                assert_eq!(
                    LabelCode::parse(&swapped),
                    Err(LabelCodeError::CheckCharacterMismatch),
                    "{code} -> {swapped}"
                );
            }
        }
    }

    #[test]
    fn every_adjacent_pair_of_distinct_symbols_is_caught_when_swapped() {
        // Exhaustive over symbol pairs, not just the sampled codes.
        for pos in 0..DATA_LEN - 1 {
            for a in 0..32u8 {
                for b in (0..32u8).filter(|&b| b != a) {
                    let mut data = [5u8; DATA_LEN];
                    data[pos] = a;
                    data[pos + 1] = b;
                    let mut swapped = data;
                    swapped.swap(pos, pos + 1);
                    assert_ne!(check_symbol(&data), check_symbol(&swapped));
                }
            }
        }
    }

    #[test]
    fn documented_example_code_is_valid() {
        let code = LabelCode::parse("7K3F-9Q2C-D").unwrap();
        assert_eq!(code.as_str(), "7K3F9Q2CD");
        assert_eq!(code.to_string(), "7K3F-9Q2C-D");
    }

    #[test]
    fn lowercase_spaces_and_hyphens_are_accepted() {
        let want = LabelCode::parse("7K3F9Q2CD").unwrap();
        for input in [
            "  7k3f-9q2c-d ",
            "7K3F 9Q2C D",
            "7-K-3-F9Q2CD",
            "\t7k3f9q2cd\n",
        ] {
            assert_eq!(LabelCode::parse(input).unwrap(), want, "{input:?}");
        }
    }

    #[test]
    fn crockford_look_alikes_are_read_as_digits() {
        let code = LabelCode::from_symbols(&[0, 1, 0, 1, 2, 3, 4, 5]);
        let typed = code.as_str().replacen('0', "O", 1).replacen('1', "l", 1);
        let typed = typed.replacen('1', "I", 1);
        assert_eq!(LabelCode::parse(&typed).unwrap(), code);
    }

    #[test]
    fn label_urls_are_reduced_to_their_code() {
        let want = LabelCode::parse("7K3F9Q2CD").unwrap();
        for url in [
            "https://bank.example.org/s/7K3F-9Q2C-D",
            "http://x/s/7k3f9q2cd?foo",
            "HTTPS://BANK.EXAMPLE.ORG/S/7K3F9Q2CD",
            "https://bank.example.org/s/7K3F-9Q2C-D/#top",
        ] {
            assert_eq!(LabelCode::parse(url).unwrap(), want, "{url}");
        }
        assert_eq!(extract_from_scan(" https://a/b/s/ABC?x=/s/q "), "ABC");
    }

    #[test]
    fn empty_input_is_reported_as_empty() {
        assert_eq!(LabelCode::parse("  - "), Err(LabelCodeError::Empty));
        assert_eq!(LabelCode::parse("https://x/s/"), Err(LabelCodeError::Empty));
    }

    #[test]
    fn missing_or_extra_characters_report_the_length() {
        assert_eq!(
            LabelCode::parse("7K3F-9Q2C"),
            Err(LabelCodeError::WrongLength { len: 8 })
        );
        assert_eq!(
            LabelCode::parse("7K3F-9Q2C-DM"),
            Err(LabelCodeError::WrongLength { len: 10 })
        );
    }

    #[test]
    fn invalid_characters_report_their_position_as_entered() {
        assert_eq!(
            LabelCode::parse("7K3F-9QUC-D"),
            Err(LabelCodeError::InvalidCharacter {
                ch: 'U',
                position: 8
            })
        );
        assert!(matches!(
            LabelCode::parse("7K3F*9Q2CD"),
            Err(LabelCodeError::InvalidCharacter { ch: '*', .. })
        ));
    }

    #[test]
    fn mismatch_message_tells_the_technician_what_to_do() {
        let msg = LabelCode::parse("7K3F-9Q2C-X").unwrap_err().to_string();
        assert_eq!(
            msg,
            "the code was mistyped: check character does not match — re-scan or re-type it"
        );
    }

    #[test]
    fn errors_map_to_stable_field_error_codes() {
        let e = LabelCodeError::CheckCharacterMismatch.to_field_error("label");
        assert_eq!(e.code, "invalid_check_character");
        assert_eq!(
            LabelCodeError::Empty.to_field_error("label").code,
            "required"
        );
    }

    #[test]
    fn serde_uses_the_canonical_form() {
        let code = LabelCode::parse("7k3f-9q2c-d").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"7K3F9Q2CD\"");
        let back: LabelCode = serde_json::from_str("\"7K3F-9Q2C-D\"").unwrap();
        assert_eq!(back, code);
        assert!(serde_json::from_str::<LabelCode>("\"7K3F-9Q2C-X\"").is_err());
    }
}
