//! HTML form handling: CSRF-checked forms and the state a form re-renders with.

use std::collections::BTreeMap;

use rocket::data::{self, Data, FromData};
use rocket::form::{Form, FromForm};
use rocket::outcome::Outcome;
use rocket::request::Request;

use crate::domain::FieldError;
use crate::error::AppError;

use super::guards::csrf_matches;
use super::remember_error;

/// A form that carries the CSRF token.
pub trait HasCsrf {
    /// The submitted token.
    fn csrf_token(&self) -> &str;
}

const CSRF_REFUSED: &str =
    "this form has expired or came from another site; reload the page and try again";

/// A submitted form whose CSRF token matched this browser's cookie.
pub struct CsrfForm<T>(pub T);

#[rocket::async_trait]
impl<'r, T: FromForm<'r> + HasCsrf + Send + 'r> FromData<'r> for CsrfForm<T> {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let fail = |err: AppError| {
            let status = err.status();
            remember_error(req, err);
            Outcome::Error((status, ()))
        };
        match Form::<T>::from_data(req, data).await {
            Outcome::Success(form) => {
                let form = form.into_inner();
                if csrf_matches(req.cookies(), form.csrf_token()) {
                    Outcome::Success(CsrfForm(form))
                } else {
                    fail(AppError::Forbidden(CSRF_REFUSED.into()))
                }
            }
            Outcome::Error((status, errors)) => {
                // A form without its token is refused like one with a wrong token.
                if errors.iter().any(|e| e.is_for("csrf_token")) {
                    return fail(AppError::Forbidden(CSRF_REFUSED.into()));
                }
                let msg = errors
                    .iter()
                    .map(|e| match e.name.as_ref() {
                        Some(n) => format!("{n}: {}", e.kind),
                        None => e.kind.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join("; ");
                let err = if status.code == 413 {
                    AppError::TooLarge { limit: 0 }
                } else {
                    AppError::BadRequest {
                        field: None,
                        message: format!("the form could not be read: {msg}"),
                    }
                };
                fail(err)
            }
            Outcome::Forward(f) => Outcome::Forward(f),
        }
    }
}

/// Implements [`HasCsrf`] for form structs with a `csrf_token` field.
#[macro_export]
macro_rules! impl_csrf {
    ($($t:ty),+ $(,)?) => {$(
        impl $crate::web::forms::HasCsrf for $t {
            fn csrf_token(&self) -> &str {
                &self.csrf_token
            }
        }
    )+};
}

/// What a form shows again after a failed submission: the user's input and the messages.
#[derive(Debug, Default, Clone)]
pub struct FormState {
    pub values: BTreeMap<String, String>,
    pub errors: Vec<FieldError>,
}

impl FormState {
    /// A form filled with the given values.
    pub fn with_values(values: BTreeMap<String, String>) -> Self {
        FormState {
            values,
            errors: Vec::new(),
        }
    }

    /// The value to put back in a field.
    pub fn value(&self, field: &str) -> &str {
        self.values.get(field).map(String::as_str).unwrap_or("")
    }

    /// True when a checkbox or option should be selected.
    pub fn is(&self, field: &str, value: &str) -> bool {
        self.value(field) == value
    }

    /// Messages about one field.
    pub fn errors_for(&self, field: &str) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|e| e.field == field)
            .map(|e| e.message.as_str())
            .collect()
    }

    /// True when a field has a problem (for `aria-invalid`).
    pub fn has_error(&self, field: &str) -> bool {
        self.errors.iter().any(|e| e.field == field)
    }

    /// Messages that belong to no field on the form.
    pub fn general_errors(&self, known_fields: &[&str]) -> Vec<&str> {
        self.errors
            .iter()
            .filter(|e| !known_fields.contains(&e.field.as_str()))
            .map(|e| e.message.as_str())
            .collect()
    }
}

/// A form read as name → value, for forms whose fields come from the field registry.
impl HasCsrf for std::collections::HashMap<String, String> {
    fn csrf_token(&self) -> &str {
        self.get("csrf_token").map(String::as_str).unwrap_or("")
    }
}

/// Parses an optional number typed into a form, naming the field when it is not one.
pub fn opt_number<T: std::str::FromStr>(
    field: &str,
    v: &str,
    errors: &mut Vec<FieldError>,
) -> Option<T> {
    let v = v.trim();
    if v.is_empty() {
        return None;
    }
    match v.replace(',', ".").parse::<T>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.push(FieldError::new(
                field,
                "invalid_type",
                format!("{field}: '{v}' is not a number"),
            ));
            None
        }
    }
}

/// A failed form submission: the form again with its messages, or an error page when the
/// form cannot be shown at all (its record is gone).
pub enum Rejected<P> {
    Form(rocket::http::Status, P),
    Error(AppError),
}

impl<'r, P: rocket::response::Responder<'r, 'static>> rocket::response::Responder<'r, 'static>
    for Rejected<P>
{
    fn respond_to(self, req: &'r Request<'_>) -> rocket::response::Result<'static> {
        match self {
            Rejected::Form(status, page) => (status, page).respond_to(req),
            Rejected::Error(e) => e.respond_to(req),
        }
    }
}
