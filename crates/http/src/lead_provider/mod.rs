//! Seed 000, the lead-provider API, served at its own paths under `/proxy/...`: an OAuth2
//! password-grant token, create a lead account for an offer, list the provider's leads.
//! Every error of this surface (405 and unknown paths included) uses the seed's body, except
//! the token endpoint, which answers in RFC 6749's `{"error","error_description"}` as the
//! seed shows.

pub mod accounts;
pub mod error;
pub mod register_fields;
pub mod statistic;
pub mod token;

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header::{ALLOW, AUTHORIZATION};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::distribution::lead_provider::{self as lp, Provider};
use brokercrm_core::Error;
use serde::de::DeserializeOwned;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::error::LpError;

/// The seed's tag of these operations.
pub const TAG: &str = "Lead Provider";

/// The lead-provider routes; a wrong method on them is a 405 in the seed's body.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(token::generate_token))
        .routes(routes!(accounts::create_account))
        .routes(routes!(statistic::get_leads))
        .routes(routes!(register_fields::get_register_fields))
        .route_layer(middleware::map_response(method_not_allowed))
}

/// True for paths of this surface (their 404s use the seed's body).
pub fn owns(path: &str) -> bool {
    path == "/proxy" || path.starts_with("/proxy/")
}

/// Rewrites axum's empty 405 into the seed's body, keeping the `Allow` header.
async fn method_not_allowed(resp: Response) -> Response {
    if resp.status() != StatusCode::METHOD_NOT_ALLOWED {
        return resp;
    }
    let allow = resp.headers().get(ALLOW).cloned();
    let mut out =
        LpError::new(StatusCode::METHOD_NOT_ALLOWED, "Request method is not supported here")
            .into_response();
    if let Some(a) = allow {
        out.headers_mut().insert(ALLOW, a);
    }
    out
}

/// The lead provider behind `Authorization: Bearer <token>`; 401 in the seed's body for a
/// missing, malformed, expired or non-lead-provider token.
pub struct ProviderAuth(pub Provider);

impl FromRequestParts<App> for ProviderAuth {
    type Rejection = LpError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let token = bearer(&parts.headers)
            .ok_or_else(|| Error::Unauthorized("Full authentication is required".into()))?;
        Ok(ProviderAuth(lp::verify(app, token).await?))
    }
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}

/// A query string parsed by the one typed query extractor (`crate::extract::query`), its
/// errors in the seed's body: a bad value is a 400 naming its field.
pub struct LpQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for LpQuery<T> {
    type Rejection = LpError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        crate::extract::parse_query(parts.uri.query()).map(LpQuery).map_err(LpError::from)
    }
}

/// A JSON body: 415 without a JSON content type, 413 over the limit, 400 naming the field
/// for malformed JSON or a wrong or missing field — all in the seed's body.
pub struct LpJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for LpJson<T> {
    type Rejection = LpError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !crate::extract::is_json(req.headers()) {
            return Err(LpError::new(
                StatusCode::UNSUPPORTED_MEDIA_TYPE,
                "Content-Type must be application/json",
            ));
        }
        let bytes = crate::extract::body_bytes(req, state).await.map_err(|e| LpError::from(e.0))?;
        crate::extract::parse_json(&bytes).map(LpJson).map_err(LpError::from)
    }
}
