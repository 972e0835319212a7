//! `POST /oauth/token` (seed: "Request access token").

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, PRAGMA};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::identity::oauth::{
    self, ClientCredentials, OAuthError, OAuthErrorCode, TokenRequest,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::extract::ClientIp;

use super::{OAuthErrorBody, OAuthFailure, read_body, require_content_type};

/// Grant types of the token endpoint.
#[derive(ToSchema)]
#[schema(rename_all = "snake_case")]
#[allow(dead_code)]
pub enum GrantType {
    AuthorizationCode,
    RefreshToken,
}

/// Form body of the token request (RFC 6749 §4.1.3, §6; RFC 7636 §4.5).
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct TokenForm {
    /// Client id; or send id and secret with HTTP Basic instead (not both).
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    #[schema(value_type = GrantType)]
    pub grant_type: Option<String>,
    /// For `authorization_code`: the code from the redirect.
    pub code: Option<String>,
    /// For `refresh_token`: the refresh token to rotate (single use).
    pub refresh_token: Option<String>,
    /// For `authorization_code`: the same redirect URI as in the authorization request.
    pub redirect_uri: Option<String>,
    /// For `authorization_code`: the PKCE verifier (43-128 characters).
    pub code_verifier: Option<String>,
}

/// Tokens issued to the client.
#[derive(Debug, Serialize, ToSchema)]
pub struct TokenResponse {
    /// JWT access token for `Authorization: Bearer` on the CRM API.
    pub access_token: String,
    /// Always `Bearer`.
    #[schema(example = "Bearer")]
    pub token_type: String,
    /// Access token lifetime in seconds.
    #[schema(example = 900)]
    pub expires_in: u64,
    /// Single-use refresh token bound to this client; rotate it with `grant_type=refresh_token`.
    pub refresh_token: String,
}

/// Exchanges an authorization code (with its PKCE verifier) or a refresh token for tokens.
/// The client authenticates with `client_id` + `client_secret` in the form or with HTTP
/// Basic. Errors follow RFC 6749 §5.2: 400 `invalid_request`, `invalid_grant`,
/// `unsupported_grant_type`; 401 `invalid_client`; 415 (same body) for a content type
/// other than `application/x-www-form-urlencoded`.
#[utoipa::path(
    post,
    path = "/oauth/token",
    tag = "OAuth",
    summary = "Request access token",
    request_body(content = TokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Tokens (with `Cache-Control: no-store`)", body = TokenResponse),
        (status = 400, description = "invalid_request, invalid_grant or unsupported_grant_type", body = OAuthErrorBody),
        (status = 401, description = "invalid_client: unknown client or wrong secret", body = OAuthErrorBody),
        (status = 429, description = "slow_down: too many wrong client secrets (per client and IP, per client, per IP); wait `Retry-After` seconds", body = OAuthErrorBody),
        (status = 415, description = "Body is not application/x-www-form-urlencoded", body = OAuthErrorBody)
    )
)]
pub async fn request_token(
    State(app): State<App>,
    ClientIp(ip): ClientIp,
    req: Request,
) -> Response {
    match run(&app, ip, req).await {
        Ok(tokens) => {
            let mut resp = axum::Json(tokens).into_response();
            resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp.headers_mut().insert(PRAGMA, HeaderValue::from_static("no-cache"));
            resp
        }
        Err(e) => e.into_response(),
    }
}

async fn run(
    app: &App,
    ip: Option<std::net::IpAddr>,
    req: Request,
) -> Result<TokenResponse, OAuthFailure> {
    require_content_type(req.headers(), "application/x-www-form-urlencoded")?;
    let headers = req.headers().clone();
    let body = read_body(req).await?;
    let form: TokenForm = serde_urlencoded::from_bytes(&body)
        .map_err(|e| OAuthError::request("body", &e.to_string()))?;
    let client = client_credentials(&headers, &form)?;
    let issued = oauth::token(
        app,
        TokenRequest {
            client,
            grant_type: form.grant_type,
            code: form.code,
            refresh_token: form.refresh_token,
            redirect_uri: form.redirect_uri,
            code_verifier: form.code_verifier,
            ip,
        },
    )
    .await?;
    Ok(TokenResponse {
        access_token: issued.access_token,
        token_type: "Bearer".into(),
        expires_in: issued.expires_in,
        refresh_token: issued.refresh_token,
    })
}

/// RFC 6749 §2.3.1: HTTP Basic or form fields, never both.
fn client_credentials(
    headers: &HeaderMap,
    form: &TokenForm,
) -> Result<Option<ClientCredentials>, OAuthError> {
    let basic = headers.get(AUTHORIZATION).and_then(|v| v.to_str().ok());
    match basic {
        Some(h) => {
            let creds = oauth::parse_basic(h).ok_or_else(|| {
                OAuthError::new(
                    OAuthErrorCode::InvalidClient,
                    "Authorization: must be HTTP Basic client credentials",
                )
            })?;
            if form.client_secret.is_some() {
                return Err(OAuthError::request(
                    "client_secret",
                    "use either HTTP Basic or form credentials, not both",
                ));
            }
            if form.client_id.as_deref().is_some_and(|id| id != creds.client_id) {
                return Err(OAuthError::request(
                    "client_id",
                    "does not match the HTTP Basic credentials",
                ));
            }
            Ok(Some(creds))
        }
        None => match (&form.client_id, &form.client_secret) {
            (Some(id), Some(secret)) => {
                Ok(Some(ClientCredentials { client_id: id.clone(), client_secret: secret.clone() }))
            }
            _ => Ok(None),
        },
    }
}
