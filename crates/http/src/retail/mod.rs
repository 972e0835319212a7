//! Seed 003, the Retail Services API, served at its own paths (`/api/v1/...`, `/api/v2/...`):
//! accounts, subscriptions, tokens, the profile link and trial tracking, authenticated by
//! `Authorization: Bearer <application API key>`; and the HTML pages its links lead to (the
//! signup wizard and the profile page) with the token verification key they publish. Every
//! error of the API uses the seed's body; the token endpoint its own.

pub mod accounts;
pub mod error;
pub mod jwks;
pub mod pages;
pub mod profile;
pub mod subscriptions;
pub mod token;
pub mod track;
pub mod wizard;

use std::sync::Arc;

use axum::extract::FromRequestParts;
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode};
use axum::middleware;
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::market_data::ApplicationRow;
use brokercrm_app::market_data::key::{AuthFailure, authenticate};
use serde::de::DeserializeOwned;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use self::error::RetailError;

/// The seed's tag of these operations.
pub const TAG: &str = "Retail Services";
/// Our tag of the pages the API's links lead to and of the verification key.
pub const PAGES_TAG: &str = "Market Data Pages";

/// The retail routes; a wrong method on them is a 405 in the seed's body.
pub fn routes() -> OpenApiRouter<App> {
    let api = OpenApiRouter::new()
        .routes(routes!(accounts::create_account))
        .routes(routes!(accounts::get_account))
        .routes(routes!(accounts::get_account_by_email))
        .routes(routes!(accounts::reset_password))
        .routes(routes!(accounts::change_email))
        .routes(routes!(subscriptions::activate_v1, subscriptions::get_subscriptions))
        .routes(routes!(subscriptions::activate_v2))
        .routes(routes!(subscriptions::confirm_v1))
        .routes(routes!(subscriptions::confirm_v2))
        .routes(routes!(subscriptions::cancel_subscriptions))
        .routes(routes!(token::request_token))
        .routes(routes!(profile::get_profile_link))
        .routes(routes!(track::track_trial))
        .route_layer(middleware::map_response(method_not_allowed));
    OpenApiRouter::new()
        .merge(api)
        .routes(routes!(wizard::show_signup, wizard::submit_signup))
        .routes(routes!(wizard::show_profile))
        .routes(routes!(jwks::get_market_data_keys))
}

/// True for paths of this surface (their 404s use the seed's body).
pub fn owns(path: &str) -> bool {
    path.starts_with("/api/v1/") || path.starts_with("/api/v2/")
}

async fn method_not_allowed(resp: Response) -> Response {
    if resp.status() != StatusCode::METHOD_NOT_ALLOWED {
        return resp;
    }
    let allow = resp.headers().get(axum::http::header::ALLOW).cloned();
    let mut out = RetailError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "METHOD_NOT_ALLOWED",
        "Request method is not supported here",
    )
    .into_response();
    if let Some(a) = allow {
        out.headers_mut().insert(axum::http::header::ALLOW, a);
    }
    out
}

/// The calling application, or why there is none; each operation words the 401 as its
/// table does.
pub struct Caller(pub Result<Arc<ApplicationRow>, AuthFailure>);

impl FromRequestParts<App> for Caller {
    type Rejection = RetailError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        Ok(Caller(authenticate(app, bearer(&parts.headers).as_deref()).await?))
    }
}

/// How an operation's table words its 401.
#[derive(Clone, Copy)]
pub enum AuthWording {
    /// `AUTHENTICATION FAILED`, "… wrong API key" (most tables).
    Spaced,
    /// `AUTHENTICATION FAILED`, with periods and a "No Authorization header." row (Confirm).
    Confirm,
    /// `AUTHENTICATION_FAILED` (Get profile page).
    Underscored,
}

impl Caller {
    pub fn require(self, wording: AuthWording) -> Result<Arc<ApplicationRow>, RetailError> {
        let failure = match self.0 {
            Ok(app) => return Ok(app),
            Err(f) => f,
        };
        let (reason, message) = match (wording, failure) {
            (AuthWording::Confirm, AuthFailure::NoHeader) => {
                ("AUTHENTICATION FAILED", "No Authorization header.")
            }
            (AuthWording::Confirm, AuthFailure::WrongKey) => {
                ("AUTHENTICATION FAILED", "Authentication has failed due to wrong API key.")
            }
            (AuthWording::Spaced, _) => {
                ("AUTHENTICATION FAILED", "Authentication has failed due to wrong API key")
            }
            (AuthWording::Underscored, _) => {
                ("AUTHENTICATION_FAILED", "Authentication has failed due to wrong API key")
            }
        };
        Err(RetailError::new(StatusCode::UNAUTHORIZED, reason, message))
    }
}

/// The key of `Authorization: Bearer <key>`: `None` without the header; an empty string for a
/// header of another shape (a wrong key).
fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(AUTHORIZATION)?;
    let parsed = v.to_str().ok().and_then(|v| {
        let (scheme, token) = v.split_once(' ')?;
        scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
    });
    Some(parsed.unwrap_or_default())
}

/// Parses a JSON body after authentication (so a wrong key is a 401 whatever the body); an
/// empty body reads as `{}`. Malformed JSON or a wrongly typed field is `BAD_REQUEST`.
pub fn body<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, RetailError> {
    let bytes: &[u8] = if bytes.iter().all(u8::is_ascii_whitespace) { b"{}" } else { bytes };
    crate::extract::parse_json(bytes).map_err(RetailError::from)
}
