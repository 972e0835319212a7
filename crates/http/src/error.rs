//! The CRM surface's error body, `{"error":{"code","message","details"}}`, mapped from the
//! internal error in this one place. Internal causes are logged, never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brokercrm_core::Error;
use serde::Serialize;
use utoipa::ToSchema;

/// Error body of the CRM API.
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

/// Machine-readable code, human message, and details (invalid fields for validation errors).
#[derive(Debug, Serialize, ToSchema)]
pub struct ErrorDetail {
    /// Stable machine-readable code, e.g. `validation_failed`, `not_found`.
    #[schema(example = "validation_failed")]
    pub code: String,
    pub message: String,
    /// For `validation_failed`: `{"fields":[{"field","message"}]}`; for a `forbidden`
    /// that names steps to complete first: `{"missing":[...]}`; otherwise `{}`.
    #[schema(value_type = Object)]
    pub details: serde_json::Value,
}

impl ErrorBody {
    /// The body of `e` (its public message only; also sent as a WebSocket error message).
    pub fn of(e: &Error) -> Self {
        let details = match e {
            Error::Validation(fields) => serde_json::json!({ "fields": fields }),
            Error::RateLimited { retry_after_secs } => {
                serde_json::json!({ "retryAfter": retry_after_secs })
            }
            Error::Unmet(missing) => serde_json::json!({ "missing": missing }),
            _ => serde_json::json!({}),
        };
        ErrorBody {
            error: ErrorDetail { code: e.code().to_owned(), message: e.public_message(), details },
        }
    }
}

/// The internal error on its way out of a CRM handler.
#[derive(Debug)]
pub struct ApiError(pub Error);

impl From<Error> for ApiError {
    fn from(e: Error) -> Self {
        Self(e)
    }
}

/// Result type of CRM handlers.
pub type ApiResult<T> = Result<T, ApiError>;

/// HTTP status of an internal error.
pub fn status_of(e: &Error) -> StatusCode {
    match e {
        Error::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
        Error::BadRequest(_) => StatusCode::BAD_REQUEST,
        Error::Unauthorized(_) => StatusCode::UNAUTHORIZED,
        Error::Forbidden | Error::Refused(_) | Error::Unmet(_) => StatusCode::FORBIDDEN,
        Error::NotFound(_) => StatusCode::NOT_FOUND,
        Error::Conflict(_) => StatusCode::CONFLICT,
        Error::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        Error::PayloadTooLarge => StatusCode::PAYLOAD_TOO_LARGE,
        Error::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
        Error::Upstream(_) => StatusCode::BAD_GATEWAY,
        Error::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let e = self.0;
        let status = status_of(&e);
        match &e {
            Error::Internal(cause) => tracing::error!(%cause, "internal error"),
            Error::Upstream(cause) => tracing::warn!(%cause, "upstream error"),
            _ => {}
        }
        let body = ErrorBody::of(&e);
        let mut resp = (status, axum::Json(body)).into_response();
        if let Error::RateLimited { retry_after_secs } = e
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        resp
    }
}
