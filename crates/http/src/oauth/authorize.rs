//! `GET /oauth/authorize` (seed: "Redirect to Cashier for authorization").

use axum::extract::State;
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, LOCATION};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::identity::oauth::{self, AuthorizeOutcome, AuthorizeRequest, OAuthErrorCode};
use serde::Deserialize;
use utoipa::IntoParams;

use super::{OAuthErrorBody, OAuthFailure, OAuthQuery};

/// Query of the authorization request (RFC 6749 §4.1.1, RFC 7636 §4.3).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuthorizeQuery {
    /// Id of a registered, active client.
    pub client_id: Option<String>,
    /// Must equal one of the client's registered redirect URIs exactly.
    pub redirect_uri: Option<String>,
    /// Must be `code`.
    pub response_type: Option<String>,
    /// Space-separated scopes (stored with the code, currently informational).
    pub scope: Option<String>,
    /// Opaque value echoed back on the redirect (CSRF protection for the client).
    pub state: Option<String>,
    /// PKCE challenge, required for every client: BASE64URL(SHA256(code_verifier)).
    pub code_challenge: Option<String>,
    /// PKCE method; must be `S256` (`plain` is refused).
    pub code_challenge_method: Option<String>,
}

/// Authorizes a registered client for the logged-in user (the bearer of the session access
/// token, e.g. the cashier SPA calling with `Authorization: Bearer`). PKCE with S256 is
/// required for every client; the code is single use and valid for 60 seconds.
///
/// An unknown client or a redirect URI that is not registered gets a 400 JSON body and no
/// redirect. Every other error (bad `response_type`, missing PKCE challenge, no logged-in
/// user → `login_required`) is a 302 to the redirect URI with `error`, `error_description`
/// and `state` (RFC 6749 §4.1.2.1).
#[utoipa::path(
    get,
    path = "/oauth/authorize",
    tag = "OAuth",
    summary = "Redirect to Cashier for authorization",
    params(AuthorizeQuery),
    security((), ("BearerAuth" = [])),
    responses(
        (status = 302, description = "Redirect to `redirect_uri` with `code` and `state`, or with `error`, `error_description` and `state`",
            headers(("Location" = String, description = "The client's redirect URI with the result"))),
        (status = 400, description = "Unknown client or unregistered redirect URI: no redirect", body = OAuthErrorBody)
    )
)]
pub async fn authorize(
    State(app): State<App>,
    headers: HeaderMap,
    OAuthQuery(q): OAuthQuery<AuthorizeQuery>,
) -> Response {
    let user = match bearer(&headers) {
        Some(token) => brokercrm_app::identity::auth::authenticate(&app, token).await.ok(),
        None => None,
    };
    let req = AuthorizeRequest {
        client_id: q.client_id,
        redirect_uri: q.redirect_uri,
        response_type: q.response_type,
        scope: q.scope,
        state: q.state,
        code_challenge: q.code_challenge,
        code_challenge_method: q.code_challenge_method,
    };
    match oauth::authorize(&app, user.as_ref(), req).await {
        AuthorizeOutcome::Redirect(url) => {
            (StatusCode::FOUND, [(LOCATION, url), (CACHE_CONTROL, "no-store".to_owned())])
                .into_response()
        }
        AuthorizeOutcome::Reject(error) => {
            // Even an unknown client is a 400 here: there is no client authentication.
            let status = if error.code == OAuthErrorCode::ServerError {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::BAD_REQUEST
            };
            OAuthFailure { status, error }.into_response()
        }
    }
}

/// The bearer token, if any; a bad or expired one counts as "not logged in".
fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then_some(token.trim()).filter(|t| !t.is_empty())
}
