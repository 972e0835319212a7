//! The OAuth2 surface (`/oauth/...`, seed 002 tag OAuth). Every error on this surface,
//! including 413 and 415, uses the RFC 6749 §5.2 body `{"error","error_description"}`;
//! `invalid_client` is 401 with `WWW-Authenticate`, `slow_down` 429 with `Retry-After`,
//! `server_error` 500, the rest 400.

mod authorize;
mod logout;
mod token;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::identity::oauth::{OAuthError, OAuthErrorCode};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// RFC 6749 §5.2 error body (the seed shows `{"error": "string"}`).
#[derive(Debug, Serialize, ToSchema)]
pub struct OAuthErrorBody {
    /// RFC 6749 error code, e.g. `invalid_request`, `invalid_grant`, `invalid_client`.
    #[schema(example = "invalid_request")]
    pub error: String,
    /// Human-readable detail naming the offending parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_description: Option<String>,
}

/// An OAuth error on its way out, with its HTTP status.
#[derive(Debug)]
pub struct OAuthFailure {
    pub status: StatusCode,
    pub error: OAuthError,
}

impl OAuthFailure {
    /// `invalid_request` with a specific status (413, 415).
    fn with_status(status: StatusCode, description: &str) -> Self {
        Self { status, error: OAuthError::new(OAuthErrorCode::InvalidRequest, description) }
    }
}

impl From<OAuthError> for OAuthFailure {
    fn from(error: OAuthError) -> Self {
        let status = match error.code {
            OAuthErrorCode::InvalidClient => StatusCode::UNAUTHORIZED,
            OAuthErrorCode::ServerError => StatusCode::INTERNAL_SERVER_ERROR,
            OAuthErrorCode::SlowDown => StatusCode::TOO_MANY_REQUESTS,
            _ => StatusCode::BAD_REQUEST,
        };
        Self { status, error }
    }
}

impl From<brokercrm_core::Error> for OAuthFailure {
    fn from(e: brokercrm_core::Error) -> Self {
        OAuthError::from(e).into()
    }
}

/// A query string parsed by the one typed query extractor (`crate::extract::parse_query`),
/// its errors as RFC 6749 `invalid_request` naming the parameter.
pub struct OAuthQuery<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S>
    for OAuthQuery<T>
{
    type Rejection = OAuthFailure;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        _: &S,
    ) -> Result<Self, Self::Rejection> {
        crate::extract::parse_query(parts.uri.query()).map(OAuthQuery).map_err(OAuthFailure::from)
    }
}

impl IntoResponse for OAuthFailure {
    fn into_response(self) -> Response {
        let retry_after = self.error.retry_after;
        let body = OAuthErrorBody {
            error: self.error.code.as_str().to_owned(),
            error_description: Some(self.error.description),
        };
        let mut resp = (self.status, axum::Json(body)).into_response();
        let h = resp.headers_mut();
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if self.status == StatusCode::UNAUTHORIZED {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"oauth\""));
        }
        if let Some(secs) = retry_after {
            h.insert(header::RETRY_AFTER, HeaderValue::from(secs));
        }
        resp
    }
}

/// Reads the body, mapping a read failure or the size limit to the OAuth shape.
async fn read_body(req: axum::extract::Request) -> Result<bytes::Bytes, OAuthFailure> {
    crate::extract::body_bytes(req, &()).await.map_err(|e| match e.0 {
        brokercrm_core::Error::PayloadTooLarge => {
            OAuthFailure::with_status(StatusCode::PAYLOAD_TOO_LARGE, "request body too large")
        }
        _ => OAuthFailure::with_status(StatusCode::BAD_REQUEST, "could not read the request body"),
    })
}

/// 415 unless the request's content type has the given essence (`type/subtype`).
fn require_content_type(
    headers: &axum::http::HeaderMap,
    essence: &str,
) -> Result<(), OAuthFailure> {
    let ok = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| m.essence_str().eq_ignore_ascii_case(essence));
    if ok {
        Ok(())
    } else {
        Err(OAuthFailure::with_status(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            &format!("Content-Type must be {essence}"),
        ))
    }
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(authorize::authorize))
        .routes(routes!(token::request_token))
        .routes(routes!(logout::logout))
}
