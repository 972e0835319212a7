//! Seed 000's error body, `{"status","timestamp","message","printableMessage"}`, mapped from
//! the one internal error in this one place. Internal causes are logged, never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brokercrm_core::Error;
use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// An error body of the lead-provider API.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LpErrorBody {
    /// The HTTP status as an upper-case name, e.g. `UNAUTHORIZED`, `NOT_FOUND`.
    #[schema(example = "CONFLICT")]
    pub status: String,
    /// When the error happened, RFC 3339 UTC with milliseconds.
    #[schema(example = "2023-10-30T13:03:43.091Z")]
    pub timestamp: String,
    #[schema(example = "Account [test@abc12.com:0] already exists")]
    pub message: String,
    /// True when the message is written for an end user (validation messages naming the
    /// field); false for everything else, as the seed shows.
    pub printable_message: bool,
}

/// An error on its way out of a lead-provider handler.
#[derive(Debug)]
pub struct LpError {
    pub status: StatusCode,
    pub message: String,
    pub printable: bool,
    pub retry_after: Option<u64>,
}

/// Result type of lead-provider handlers.
pub type LpResult<T> = Result<T, LpError>;

impl LpError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        Self { status, message: message.into(), printable: false, retry_after: None }
    }
}

/// `NOT_FOUND` as Spring names it: the status's reason phrase, upper case, `_` for spaces.
fn status_name(status: StatusCode) -> String {
    status.canonical_reason().unwrap_or("ERROR").to_ascii_uppercase().replace([' ', '-'], "_")
}

impl From<Error> for LpError {
    fn from(e: Error) -> Self {
        use StatusCode as S;
        let (status, message, printable) = match e {
            Error::Validation(fields) => {
                let msg = fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; ");
                (S::BAD_REQUEST, msg, true)
            }
            Error::BadRequest(msg) => (S::BAD_REQUEST, msg, true),
            Error::Unauthorized(msg) => (S::UNAUTHORIZED, msg, false),
            Error::Forbidden | Error::Unmet(_) => {
                (S::FORBIDDEN, "Access is denied".to_owned(), false)
            }
            Error::Refused(msg) => (S::FORBIDDEN, msg, false),
            Error::NotFound(what) => (S::NOT_FOUND, format!("Entity not found: {what}"), false),
            Error::Conflict(msg) => (S::CONFLICT, msg, false),
            Error::RateLimited { retry_after_secs } => {
                let mut err = Self::new(S::TOO_MANY_REQUESTS, "Too many requests");
                err.retry_after = Some(retry_after_secs.max(1));
                return err;
            }
            Error::PayloadTooLarge => {
                (S::PAYLOAD_TOO_LARGE, "Request body is too large".to_owned(), false)
            }
            Error::UnsupportedMediaType => {
                (S::UNSUPPORTED_MEDIA_TYPE, "Content type is not supported".to_owned(), false)
            }
            Error::Upstream(cause) => {
                tracing::warn!(%cause, "lead provider API: upstream error");
                (S::BAD_GATEWAY, "Upstream service failed".to_owned(), false)
            }
            Error::Internal(cause) => {
                tracing::error!(%cause, "lead provider API: internal error");
                (S::INTERNAL_SERVER_ERROR, "Internal error".to_owned(), false)
            }
        };
        Self { status, message, printable, retry_after: None }
    }
}

impl IntoResponse for LpError {
    fn into_response(self) -> Response {
        let body = LpErrorBody {
            status: status_name(self.status),
            timestamp: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            message: self.message,
            printable_message: self.printable,
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        if let Some(secs) = self.retry_after
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}

/// The 404 of an unknown `/proxy/...` path.
pub fn not_found() -> Response {
    LpError::new(StatusCode::NOT_FOUND, "No endpoint at this path").into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn status_names_follow_spring() {
        assert_eq!(status_name(StatusCode::INTERNAL_SERVER_ERROR), "INTERNAL_SERVER_ERROR");
        assert_eq!(status_name(StatusCode::PAYLOAD_TOO_LARGE), "PAYLOAD_TOO_LARGE");
        assert_eq!(status_name(StatusCode::METHOD_NOT_ALLOWED), "METHOD_NOT_ALLOWED");
        let e = LpError::from(Error::internal("db password is hunter2"));
        assert_eq!(e.status, StatusCode::INTERNAL_SERVER_ERROR);
        assert_eq!(e.message, "Internal error");
    }
}
