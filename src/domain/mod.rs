//! Pure domain rules for the biobank: identifiers, code tables and field
//! validation. Nothing here touches I/O, the database or the web layer, so
//! every rule can be unit-tested in isolation and reused by import jobs.
#![warn(missing_docs)]

use std::fmt;

pub mod cell_line;
pub mod country;
pub mod label_code;
pub mod material;
pub mod mcpd;
pub mod miabis;
pub mod mta;
pub mod organism;
pub mod pid;
pub mod quality;
pub mod requests;
pub mod specimen;
pub mod storage;
pub mod text;
pub mod viability;

/// A value a user supplied that breaks a rule, with the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FieldError {
    /// The form field or MCPD column the value came from, so the UI can highlight it.
    pub field: String,
    /// Stable machine key (e.g. `invalid_country`) that the web layer translates.
    pub code: &'static str,
    /// Plain English sentence naming the field and the problem, for logs and APIs.
    pub message: String,
}

impl FieldError {
    /// Builds an error; callers pass a message that already names the field.
    pub fn new(field: impl Into<String>, code: &'static str, message: impl Into<String>) -> Self {
        FieldError {
            field: field.into(),
            code,
            message: message.into(),
        }
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for FieldError {}

/// Why a stored or submitted key matched no value of a closed vocabulary.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("'{value}' is not a valid {kind}; expected one of: {allowed}")]
pub struct ParseEnumError {
    /// Human name of the vocabulary, e.g. "material type".
    pub kind: &'static str,
    /// The rejected input, echoed so the user sees what was wrong.
    pub value: String,
    /// Comma-separated list of accepted keys, so the fix is obvious.
    pub allowed: String,
}

impl ParseEnumError {
    /// Converts to a form error for `field`, keeping the list of allowed values.
    pub fn to_field_error(&self, field: &str) -> FieldError {
        FieldError::new(field, "invalid_code", format!("{field}: {self}"))
    }
}

/// Generates a closed string vocabulary: the enum, `ALL`, `as_str`, `label`,
/// `FromStr`, `Display` and serde as the stored key, so the database, the API
/// and the forms cannot drift apart through copy-paste.
///
/// Expects this module to be mounted as `crate::domain` (errors use `$crate::domain`).
/// Syntax: `pub enum Name("human name") { Variant = "key" => "Label", ... }`.
/// The label doubles as the variant's doc comment.
macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident($kind:literal) {
            $( $variant:ident = $key:literal => $label:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        $vis enum $name {
            $( #[doc = $label] $variant ),+
        }

        impl $name {
            /// Every value in display order, for pick lists and exhaustive tests.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Every stored key, in the same order as `ALL` (for closed-list form fields).
            pub const KEYS: &'static [&'static str] = &[$($key),+];

            /// The stable key stored in the database and exchanged over the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $key),+ }
            }

            /// English label for forms and reports.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::domain::ParseEnumError;

            fn from_str(s: &str) -> Result<Self, Self::Err> {
                match s {
                    $($key => Ok($name::$variant),)+
                    _ => Err($crate::domain::ParseEnumError {
                        kind: $kind,
                        value: s.to_string(),
                        allowed: [$($key),+].join(", "),
                    }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let s = <String as ::serde::Deserialize>::deserialize(d)?;
                s.parse().map_err(::serde::de::Error::custom)
            }
        }
    };
}
pub(crate) use string_enum;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn field_error_displays_its_message() {
        let e = FieldError::new("ORIGCTY", "invalid_country", "ORIGCTY: 'XYZ' is bad");
        assert_eq!(e.to_string(), "ORIGCTY: 'XYZ' is bad");
        assert_eq!(e.field, "ORIGCTY");
    }

    #[test]
    fn field_error_serialises_with_stable_keys() {
        let e = FieldError::new("f", "required", "f: is required");
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "required");
        assert_eq!(json["field"], "f");
    }
}
