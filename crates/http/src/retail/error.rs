//! Seed 003's error body, `{"dateTime","errorCode","reason","message"}`, mapped from the
//! market-data refusals and the one internal error in this one place. Internal causes are
//! logged, never sent.

use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use brokercrm_app::market_data::MdError;
use brokercrm_core::Error;
use chrono::{SecondsFormat, Utc};
use serde::Serialize;
use utoipa::ToSchema;

/// An error body of the Retail Services API.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RetailErrorBody {
    /// When the error happened, RFC 3339 UTC with milliseconds.
    #[schema(example = "2026-01-30T13:03:43.091Z")]
    pub date_time: String,
    /// The HTTP status.
    #[schema(example = 404)]
    pub error_code: u16,
    #[schema(example = "ACCOUNT_NOT_FOUND")]
    pub reason: String,
    #[schema(example = "Account 0190f3c2-7f1e-7c4e-9a51-2b8f4a1d9e01 not found")]
    pub message: String,
}

/// An error on its way out of a retail handler.
#[derive(Debug)]
pub struct RetailError {
    pub status: StatusCode,
    pub reason: String,
    pub message: String,
}

pub type RetailResult<T> = Result<T, RetailError>;

impl RetailError {
    pub fn new(status: StatusCode, reason: &str, message: impl Into<String>) -> Self {
        Self { status, reason: reason.to_owned(), message: message.into() }
    }

    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "BAD_REQUEST", message)
    }
}

impl From<Error> for RetailError {
    fn from(e: Error) -> Self {
        use StatusCode as S;
        match e {
            Error::Validation(fields) => Self::bad_request(
                fields
                    .iter()
                    .map(|f| format!("{}: {}", f.field, f.message))
                    .collect::<Vec<_>>()
                    .join("; "),
            ),
            Error::BadRequest(msg) => Self::bad_request(msg),
            Error::Unauthorized(_) => Self::new(
                S::UNAUTHORIZED,
                "AUTHENTICATION FAILED",
                "Authentication has failed due to wrong API key",
            ),
            Error::Forbidden | Error::Unmet(_) | Error::Refused(_) => {
                Self::new(S::FORBIDDEN, "FORBIDDEN", "Access is denied")
            }
            Error::NotFound(what) => {
                Self::new(S::NOT_FOUND, "NOT_FOUND", format!("{what} not found"))
            }
            Error::Conflict(msg) => Self::new(S::CONFLICT, "CONFLICT", msg),
            Error::RateLimited { .. } => {
                Self::new(S::TOO_MANY_REQUESTS, "TOO_MANY_REQUESTS", "Too many requests")
            }
            Error::PayloadTooLarge => {
                Self::new(S::PAYLOAD_TOO_LARGE, "PAYLOAD_TOO_LARGE", "Request body is too large")
            }
            Error::UnsupportedMediaType => Self::new(
                S::UNSUPPORTED_MEDIA_TYPE,
                "UNSUPPORTED_MEDIA_TYPE",
                "Content type is not supported",
            ),
            Error::Upstream(cause) => {
                tracing::warn!(%cause, "retail API: upstream error");
                Self::new(S::BAD_GATEWAY, "UPSTREAM_ERROR", "Upstream service failed")
            }
            Error::Internal(cause) => {
                tracing::error!(%cause, "retail API: internal error");
                Self::new(S::INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Internal error")
            }
        }
    }
}

impl From<MdError> for RetailError {
    fn from(e: MdError) -> Self {
        match e {
            MdError::Refused(r) => Self {
                status: StatusCode::from_u16(r.status()).unwrap_or(StatusCode::BAD_REQUEST),
                reason: r.reason().to_owned(),
                message: r.message(),
            },
            MdError::Other(e) => e.into(),
        }
    }
}

impl IntoResponse for RetailError {
    fn into_response(self) -> Response {
        let body = RetailErrorBody {
            date_time: Utc::now().to_rfc3339_opts(SecondsFormat::Millis, true),
            error_code: self.status.as_u16(),
            reason: self.reason,
            message: self.message,
        };
        (self.status, axum::Json(body)).into_response()
    }
}

/// The 404 of an unknown `/api/v1/...` or `/api/v2/...` path.
pub fn not_found() -> Response {
    RetailError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "No endpoint at this path").into_response()
}
