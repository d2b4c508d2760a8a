//! The JSON body guard: reads within a size limit and names the field and problem when the
//! body is not what the route expects (serde_path_to_error gives the path).

use rocket::data::{self, Data, FromData, ToByteUnit};
use rocket::outcome::Outcome;
use rocket::request::Request;
use serde::de::DeserializeOwned;

use crate::AppState;
use crate::domain::FieldError;
use crate::error::AppError;

use super::remember_error;

/// A JSON request body parsed into `T`; failures become 400/413/422 with a clear message.
pub struct ApiJson<T>(pub T);

/// Parses JSON text into `T`, naming the field that does not fit.
pub fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let value = serde_path_to_error::deserialize(&mut *de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        use serde_json::error::Category;
        match inner.classify() {
            Category::Syntax | Category::Eof | Category::Io => malformed(&inner),
            Category::Data => {
                let msg = strip_position(&inner.to_string());
                // serde names a missing field in the message; the path ends at its parent.
                let field = quoted_name(&msg)
                    .filter(|_| msg.starts_with("missing field"))
                    .map(|f| {
                        if path == "." {
                            f
                        } else {
                            format!("{path}.{f}")
                        }
                    })
                    .unwrap_or_else(|| if path == "." { "body".into() } else { path });
                AppError::Invalid(vec![FieldError::new(
                    &field,
                    "invalid_type",
                    format!("{field}: {msg}"),
                )])
            }
        }
    })?;
    // Text after the value (`{…} garbage`) makes the whole body malformed.
    de.end().map_err(|e| malformed(&e))?;
    Ok(value)
}

fn malformed(e: &serde_json::Error) -> AppError {
    AppError::BadRequest {
        field: None,
        message: format!(
            "malformed JSON at line {} column {}: {}",
            e.line(),
            e.column(),
            strip_position(&e.to_string())
        ),
    }
}

fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

fn quoted_name(msg: &str) -> Option<String> {
    let start = msg.find('`')? + 1;
    let end = msg[start..].find('`')? + start;
    Some(msg[start..end].to_string())
}

#[rocket::async_trait]
impl<'r, T: DeserializeOwned + Send> FromData<'r> for ApiJson<T> {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, data: Data<'r>) -> data::Outcome<'r, Self> {
        let limit = req
            .rocket()
            .state::<AppState>()
            .map(|s| s.config.json_limit_bytes)
            .unwrap_or(1024 * 1024);
        let fail = |err: AppError| {
            let status = err.status();
            remember_error(req, err);
            Outcome::Error((status, ()))
        };
        if let Some(ct) = req.content_type()
            && !ct.is_json()
        {
            return fail(AppError::BadRequest {
                field: None,
                message: format!("expected Content-Type application/json, got {ct}"),
            });
        }
        let bytes = match data.open(limit.bytes()).into_bytes().await {
            Ok(b) if b.is_complete() => b.into_inner(),
            Ok(_) => return fail(AppError::TooLarge { limit }),
            Err(e) => {
                return fail(AppError::bad(
                    "body",
                    format!("could not read the body: {e}"),
                ));
            }
        };
        let Ok(text) = std::str::from_utf8(&bytes) else {
            return fail(AppError::bad("body", "the body is not valid UTF-8"));
        };
        if text.trim().is_empty() {
            return fail(AppError::bad(
                "body",
                "the body is empty; a JSON object was expected",
            ));
        }
        match parse_json::<T>(text) {
            Ok(v) => Outcome::Success(ApiJson(v)),
            Err(e) => fail(e),
        }
    }
}

/// Like [`ApiJson`], but an empty body stands for `T::default()` (actions without fields).
pub struct ApiJsonOrDefault<T>(pub T);

#[rocket::async_trait]
impl<'r, T: DeserializeOwned + Default + Send> FromData<'r> for ApiJsonOrDefault<T> {
    type Error = ();

    async fn from_data(req: &'r Request<'_>, mut data: Data<'r>) -> data::Outcome<'r, Self> {
        if data.peek(1).await.is_empty() && data.peek_complete() {
            return Outcome::Success(ApiJsonOrDefault(T::default()));
        }
        match ApiJson::<T>::from_data(req, data).await {
            Outcome::Success(v) => Outcome::Success(ApiJsonOrDefault(v.0)),
            Outcome::Error(e) => Outcome::Error(e),
            Outcome::Forward(f) => Outcome::Forward(f),
        }
    }
}
