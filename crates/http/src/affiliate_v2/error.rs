//! Seed 001's error bodies (`name`, `message`, `code`, `type`, `data`), mapped from the one
//! internal error in this one place. Internal causes are logged, never sent.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brokercrm_core::{Error, FieldError};
use serde::Serialize;
use serde_json::{Value, json};
use utoipa::ToSchema;

use crate::error::status_of;

/// An error body of the affiliate API.
#[derive(Debug, Serialize, ToSchema)]
pub struct AffErrorBody {
    #[schema(example = "MoleculerError")]
    pub name: String,
    pub message: String,
    pub code: u16,
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(value_type = Object)]
    pub data: Option<Value>,
}

/// Which operation failed: validation errors have a different body per operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Push,
    Read,
}

/// The internal error on its way out of an affiliate-API handler.
#[derive(Debug)]
pub struct AffError(pub Error, pub Op);

pub type AffResult<T> = Result<T, AffError>;

pub trait AffContext<T> {
    fn during(self, op: Op) -> AffResult<T>;
}

impl<T> AffContext<T> for brokercrm_core::Result<T> {
    fn during(self, op: Op) -> AffResult<T> {
        self.map_err(|e| AffError(e, op))
    }
}

fn body(
    name: &str,
    message: &str,
    code: StatusCode,
    kind: Option<&str>,
    data: Option<Value>,
) -> Response {
    let b = AffErrorBody {
        name: name.into(),
        message: message.into(),
        code: code.as_u16(),
        kind: kind.map(Into::into),
        data,
    };
    (code, axum::Json(b)).into_response()
}

/// The seed's 404 body.
pub fn not_found() -> Response {
    body("NotFoundError", "Not found", StatusCode::NOT_FOUND, Some("NOT_FOUND"), None)
}

/// The seed's 410 body for retired API versions.
pub fn gone() -> Response {
    body(
        "MoleculerError",
        "API version V1 is not supported",
        StatusCode::GONE,
        Some("NOT_SUPPORTED"),
        None,
    )
}

/// The push-validation body (422 FIXABLE_INPUT) of seed 001.
pub fn fixable(message: &str) -> Response {
    let data = json!({
        "lead_uuid": null,
        "errorMessage": message,
        "errorType": "FIXABLE_INPUT",
        "autoLoginUrl": "",
        "externalLeadId": "",
        "requiredResponseFields": [],
    });
    body(
        "MoleculerError",
        "Validation Error",
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("FIXABLE_INPUT"),
        Some(data),
    )
}

/// The query-validation body (422 VALIDATION_ERROR) of seed 001's GET.
pub fn params_invalid(items: Vec<Value>) -> Response {
    body(
        "ValidationError",
        "Parameters validation error!",
        StatusCode::UNPROCESSABLE_ENTITY,
        Some("VALIDATION_ERROR"),
        Some(Value::Array(items)),
    )
}

fn field_items(fields: &[FieldError]) -> Vec<Value> {
    fields
        .iter()
        .map(|f| json!({"type": "invalid", "message": f.message, "field": f.field}))
        .collect()
}

impl IntoResponse for AffError {
    fn into_response(self) -> Response {
        let AffError(e, op) = self;
        let status = status_of(&e);
        match e {
            Error::Validation(fields) => match op {
                Op::Push => fixable(&fields.first().map(|f| f.message.clone()).unwrap_or_default()),
                Op::Read => params_invalid(field_items(&fields)),
            },
            Error::BadRequest(msg) => match op {
                Op::Push => fixable(&msg),
                Op::Read => params_invalid(vec![json!({"type": "invalid", "message": msg})]),
            },
            Error::Unauthorized(msg) => {
                body("MoleculerError", &msg, status, Some("ERROR_AUTHORIZATION"), None)
            }
            Error::Forbidden | Error::Refused(_) | Error::Unmet(_) => body(
                "MoleculerError",
                "Unauthorized",
                StatusCode::UNAUTHORIZED,
                Some("ERROR_AUTHORIZATION"),
                None,
            ),
            Error::NotFound(_) => not_found(),
            Error::RateLimited { retry_after_secs } => {
                let mut r = body("RateLimitExceeded", "Rate limit exceeded", status, None, None);
                if let Ok(v) = HeaderValue::from_str(&retry_after_secs.max(1).to_string()) {
                    r.headers_mut().insert(header::RETRY_AFTER, v);
                }
                r
            }
            Error::UnsupportedMediaType => {
                body("UnsupportedContentType", "Unsupported content type", status, None, None)
            }
            Error::PayloadTooLarge => {
                body("PayloadTooLarge", "Request body is too large", status, None, None)
            }
            Error::Conflict(_) | Error::Upstream(_) | Error::Internal(_) => {
                tracing::error!(error = %e, "affiliate API request failed");
                let msg = if op == Op::Push { "Can't create lead" } else { "Internal error" };
                body(
                    "MoleculerError",
                    msg,
                    StatusCode::INTERNAL_SERVER_ERROR,
                    Some("ERROR_FSM"),
                    None,
                )
            }
        }
    }
}
