//! One error type for the whole application. A client's mistake becomes a 4xx with a message a
//! person understands; an internal fault is logged and shown as a plain 500 without internals.

use rocket::http::{ContentType, Status};
use rocket::request::Request;
use rocket::response::{self, Responder, Response};
use sea_orm::{DbErr, SqlErr};
use serde::Serialize;
use std::io::Cursor;

use crate::domain::FieldError;

/// Anything that can go wrong while handling a request.
#[derive(Debug, thiserror::Error)]
pub enum AppError {
    #[error("{message}")]
    BadRequest {
        field: Option<String>,
        message: String,
    },
    #[error("sign-in required")]
    Unauthenticated,
    #[error("{0}")]
    Forbidden(String),
    #[error("not found")]
    NotFound,
    #[error("{message}")]
    Conflict {
        field: Option<String>,
        message: String,
    },
    #[error("{}", first_message(.0))]
    Invalid(Vec<FieldError>),
    #[error("the request body is larger than {limit} bytes")]
    TooLarge { limit: u64 },
    #[error("too many attempts; try again in {retry_after_s} seconds")]
    TooManyRequests { retry_after_s: i64 },
    #[error("database error: {0}")]
    Db(#[from] DbErr),
    #[error("internal error: {0}")]
    Internal(String),
}

fn first_message(errors: &[FieldError]) -> String {
    errors
        .first()
        .map(|e| e.message.clone())
        .unwrap_or_else(|| "invalid input".into())
}

/// Handlers return this.
pub type AppResult<T> = Result<T, AppError>;

impl AppError {
    /// A 400 about one field.
    pub fn bad(field: &str, message: impl Into<String>) -> Self {
        AppError::BadRequest {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A 422 about one field.
    pub fn invalid(field: &str, code: &'static str, message: impl Into<String>) -> Self {
        AppError::Invalid(vec![FieldError::new(field, code, message)])
    }

    /// A 409 about one field.
    pub fn conflict(field: &str, message: impl Into<String>) -> Self {
        AppError::Conflict {
            field: Some(field.into()),
            message: message.into(),
        }
    }

    /// A 403 with the default message.
    pub fn forbidden() -> Self {
        AppError::Forbidden("your role does not allow this".into())
    }

    /// The HTTP status this error maps to; database faults that a client caused (a unique key
    /// taken by a concurrent request) are conflicts, not 500s.
    pub fn status(&self) -> Status {
        match self {
            AppError::BadRequest { .. } => Status::BadRequest,
            AppError::Unauthenticated => Status::Unauthorized,
            AppError::Forbidden(_) => Status::Forbidden,
            AppError::NotFound => Status::NotFound,
            AppError::Conflict { .. } => Status::Conflict,
            AppError::Invalid(_) => Status::UnprocessableEntity,
            AppError::TooLarge { .. } => Status::PayloadTooLarge,
            AppError::TooManyRequests { .. } => Status::TooManyRequests,
            AppError::Db(e) if is_unique_violation(e) => Status::Conflict,
            AppError::Db(_) | AppError::Internal(_) => Status::InternalServerError,
        }
    }

    /// Stable machine-readable code for the JSON body.
    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { .. } => "bad_request",
            AppError::Unauthenticated => "unauthenticated",
            AppError::Forbidden(_) => "forbidden",
            AppError::NotFound => "not_found",
            AppError::Conflict { .. } => "conflict",
            AppError::Invalid(errs) => errs.first().map(|e| e.code).unwrap_or("invalid"),
            AppError::TooLarge { .. } => "too_large",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Db(e) if is_unique_violation(e) => "conflict",
            AppError::Db(_) | AppError::Internal(_) => "internal",
        }
    }

    /// The message shown to the client; internals are never shown.
    pub fn public_message(&self) -> String {
        match self {
            AppError::Db(e) if is_unique_violation(e) => {
                "this record was changed by someone else at the same time; try again".into()
            }
            AppError::Db(_) | AppError::Internal(_) => {
                "something went wrong on the server; it has been logged".into()
            }
            other => other.to_string(),
        }
    }

    /// The field the error is about, when there is one.
    pub fn field(&self) -> Option<String> {
        match self {
            AppError::BadRequest { field, .. } | AppError::Conflict { field, .. } => field.clone(),
            AppError::Invalid(errs) => errs.first().map(|e| e.field.clone()),
            _ => None,
        }
    }

    /// The field errors to show beside a form's fields.
    pub fn field_errors(&self) -> Vec<FieldError> {
        match self {
            AppError::Invalid(errs) => errs.clone(),
            AppError::BadRequest {
                field: Some(f),
                message,
            }
            | AppError::Conflict {
                field: Some(f),
                message,
            } => {
                vec![FieldError::new(f, "invalid", message.clone())]
            }
            _ => Vec::new(),
        }
    }

    /// The JSON body DESIGN.md prescribes.
    pub fn to_json(&self) -> serde_json::Value {
        #[derive(Serialize)]
        struct Body<'a> {
            code: &'a str,
            message: String,
            #[serde(skip_serializing_if = "Option::is_none")]
            field: Option<String>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            details: Vec<FieldError>,
        }
        let details = match self {
            AppError::Invalid(errs) if errs.len() > 1 => errs.clone(),
            _ => Vec::new(),
        };
        serde_json::json!({ "error": Body {
            code: self.code(),
            message: self.public_message(),
            field: self.field(),
            details,
        }})
    }

    fn log(&self) {
        if self.status() == Status::InternalServerError {
            tracing::error!(error = %self, "request failed");
        }
    }
}

/// True when the database refused a duplicate key.
pub fn is_unique_violation(e: &DbErr) -> bool {
    matches!(e.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}

impl From<Vec<FieldError>> for AppError {
    fn from(errors: Vec<FieldError>) -> Self {
        AppError::Invalid(errors)
    }
}

impl From<FieldError> for AppError {
    fn from(error: FieldError) -> Self {
        AppError::Invalid(vec![error])
    }
}

/// Whether a request wants a JSON answer (the API) rather than an HTML page.
pub fn wants_json(req: &Request<'_>) -> bool {
    let path = req.uri().path();
    path.starts_with("/api/")
        || path.starts_with("/brapi/")
        || path == "/health"
        || req.format().is_some_and(|f| f.is_json())
        || req.headers().get("Accept").any(|a| a.contains("json"))
}

impl<'r> Responder<'r, 'static> for AppError {
    fn respond_to(self, req: &'r Request<'_>) -> response::Result<'static> {
        self.log();
        if wants_json(req) {
            json_error_response(&self)
        } else {
            crate::web::pages::errors::render_error_page(req, &self)
        }
    }
}

/// Builds the JSON error response for an error.
pub fn json_error_response(err: &AppError) -> response::Result<'static> {
    let body = err.to_json().to_string();
    let mut res = Response::build();
    res.status(err.status())
        .header(ContentType::JSON)
        .sized_body(body.len(), Cursor::new(body));
    if let AppError::TooManyRequests { retry_after_s } = err {
        res.raw_header("Retry-After", retry_after_s.to_string());
    }
    if matches!(err, AppError::Unauthenticated) {
        res.raw_header("WWW-Authenticate", "Bearer");
    }
    Ok(res.finalize())
}
