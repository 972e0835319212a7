//! `POST /proxy/auth/oauth/token` (seed 000 "Generating token OAuth"): the password grant
//! (and refresh grant) with HTTP Basic client credentials; errors in RFC 6749's body.

use axum::extract::{Request, State};
use axum::http::header::{AUTHORIZATION, CACHE_CONTROL, CONTENT_TYPE, PRAGMA};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::distribution::lead_provider::{
    self as lp, GrantError, GrantRequest, ProviderTokens,
};
use brokercrm_app::identity::oauth::{ClientCredentials, parse_basic};
use brokercrm_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::TAG;
use crate::extract::ClientIp;
use crate::oauth::OAuthErrorBody;

/// Form body of the token request.
#[derive(Debug, Default, Deserialize, ToSchema)]
pub struct LpTokenForm {
    /// `password`, or `refresh_token` to rotate a refresh token.
    #[schema(example = "password")]
    pub grant_type: Option<String>,
    /// The lead provider's e-mail (for `password`).
    pub username: Option<String>,
    /// The lead provider's password (for `password`).
    pub password: Option<String>,
    /// For `refresh_token`: the refresh token to rotate (single use).
    pub refresh_token: Option<String>,
    /// Client id, when not sent with HTTP Basic.
    pub client_id: Option<String>,
    /// Client secret, when not sent with HTTP Basic.
    pub client_secret: Option<String>,
}

/// The seed's token response.
#[derive(Debug, Serialize, ToSchema)]
pub struct LpTokenResponse {
    /// JWT for `Authorization: Bearer` on the lead-provider endpoints only.
    pub access_token: String,
    #[schema(example = "bearer")]
    pub token_type: String,
    /// Single-use refresh token; rotate it with `grant_type=refresh_token`.
    pub refresh_token: String,
    /// Access token lifetime in seconds (default 3600).
    #[schema(example = 3600)]
    pub expires_in: u64,
    /// The provider's account UUID.
    pub account_uuid: String,
    /// Same as `account_uuid`.
    pub manager_scope: String,
    /// Always null.
    #[schema(value_type = Option<String>)]
    pub fl: Option<String>,
    /// The provider's partner id, to send as `account.partnerId` and in list paths.
    #[serde(rename = "partnerId")]
    pub partner_id: i64,
    pub email: String,
    /// Identifier of this issuance.
    pub jti: String,
}

impl From<ProviderTokens> for LpTokenResponse {
    fn from(t: ProviderTokens) -> Self {
        Self {
            access_token: t.access_token,
            token_type: "bearer".into(),
            refresh_token: t.refresh_token,
            expires_in: t.expires_in,
            manager_scope: t.account_uuid.clone(),
            account_uuid: t.account_uuid,
            fl: None,
            partner_id: t.partner_id,
            email: t.email,
            jti: t.jti,
        }
    }
}

/// Issues a lead-provider token. The OAuth client authenticates with
/// `Authorization: Basic base64(client_id:client_secret)` (or `client_id` + `client_secret`
/// in the form); the user is an active affiliate, by e-mail and password. Failed attempts
/// count against the same per-account and per-IP limits as the CRM login.
#[utoipa::path(
    post,
    path = "/proxy/auth/oauth/token",
    tag = TAG,
    summary = "Generating token OAuth",
    params(("Authorization" = String, Header, description = "`Basic base64(client_id:client_secret)`")),
    request_body(content = LpTokenForm, content_type = "application/x-www-form-urlencoded"),
    responses(
        (status = 200, description = "Tokens (with `Cache-Control: no-store`)", body = LpTokenResponse),
        (status = 400, description = "`unsupported_grant_type`, `invalid_request` (a parameter missing) or `invalid_grant` (bad refresh token)", body = OAuthErrorBody),
        (status = 401, description = "Wrong client or user credentials: `{\"error\":\"unauthorized\",\"error_description\":\"Authentication error\"}`", body = OAuthErrorBody),
        (status = 413, description = "Body too large", body = OAuthErrorBody),
        (status = 415, description = "Body is not application/x-www-form-urlencoded", body = OAuthErrorBody),
        (status = 429, description = "Too many failed attempts; see `Retry-After`", body = OAuthErrorBody)
    )
)]
pub async fn generate_token(State(app): State<App>, ip: ClientIp, req: Request) -> Response {
    match run(&app, ip, req).await {
        Ok(tokens) => {
            let mut resp = axum::Json(LpTokenResponse::from(tokens)).into_response();
            resp.headers_mut().insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
            resp.headers_mut().insert(PRAGMA, HeaderValue::from_static("no-cache"));
            resp
        }
        Err(e) => e.into_response(),
    }
}

async fn run(app: &App, ip: ClientIp, req: Request) -> Result<ProviderTokens, TokenFailure> {
    let is_form = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<mime::Mime>().ok())
        .is_some_and(|m| m.essence_str().eq_ignore_ascii_case("application/x-www-form-urlencoded"));
    if !is_form {
        return Err(TokenFailure::request(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "Content-Type must be application/x-www-form-urlencoded",
        ));
    }
    let headers = req.headers().clone();
    let body = crate::extract::body_bytes(req, &()).await.map_err(|e| match e.0 {
        Error::PayloadTooLarge => {
            TokenFailure::request(StatusCode::PAYLOAD_TOO_LARGE, "request body too large")
        }
        _ => TokenFailure::request(StatusCode::BAD_REQUEST, "could not read the request body"),
    })?;
    let form: LpTokenForm = serde_urlencoded::from_bytes(&body)
        .map_err(|e| TokenFailure::request(StatusCode::BAD_REQUEST, &format!("body: {e}")))?;
    let client = client_credentials(&headers, &form).map_err(TokenFailure::Grant)?;
    lp::grant(
        app,
        GrantRequest {
            client,
            grant_type: form.grant_type,
            username: form.username,
            password: form.password,
            refresh_token: form.refresh_token,
            ip: ip.0,
        },
    )
    .await
    .map_err(TokenFailure::Grant)
}

/// HTTP Basic, else the form's `client_id` + `client_secret`. A non-Basic `Authorization`
/// header is a failed client authentication.
fn client_credentials(
    headers: &HeaderMap,
    form: &LpTokenForm,
) -> Result<Option<ClientCredentials>, GrantError> {
    match headers.get(AUTHORIZATION) {
        Some(h) => {
            let h = h.to_str().map_err(|_| GrantError::Unauthorized)?;
            parse_basic(h).map(Some).ok_or(GrantError::Unauthorized)
        }
        None => Ok(match (&form.client_id, &form.client_secret) {
            (Some(id), Some(secret)) => {
                Some(ClientCredentials { client_id: id.clone(), client_secret: secret.clone() })
            }
            _ => None,
        }),
    }
}

/// A failed token request on its way out.
enum TokenFailure {
    Grant(GrantError),
    /// `invalid_request` with a specific status (400, 413, 415).
    Request(StatusCode, String),
}

impl TokenFailure {
    fn request(status: StatusCode, description: &str) -> Self {
        Self::Request(status, description.to_owned())
    }
}

impl IntoResponse for TokenFailure {
    fn into_response(self) -> Response {
        use StatusCode as S;
        let (status, error, description, retry) = match self {
            Self::Request(status, d) => (status, "invalid_request", d, None),
            Self::Grant(GrantError::Unauthorized) => {
                (S::UNAUTHORIZED, "unauthorized", "Authentication error".to_owned(), None)
            }
            Self::Grant(GrantError::UnsupportedGrantType) => (
                S::BAD_REQUEST,
                "unsupported_grant_type",
                "grant_type: must be password or refresh_token".to_owned(),
                None,
            ),
            Self::Grant(GrantError::InvalidRequest(d)) => {
                (S::BAD_REQUEST, "invalid_request", d, None)
            }
            Self::Grant(GrantError::InvalidGrant(d)) => (S::BAD_REQUEST, "invalid_grant", d, None),
            Self::Grant(GrantError::RateLimited(secs)) => (
                S::TOO_MANY_REQUESTS,
                "too_many_requests",
                format!("Too many failed attempts; retry after {} seconds", secs.max(1)),
                Some(secs.max(1)),
            ),
            Self::Grant(GrantError::Internal(e)) => {
                tracing::error!(error = ?e, "lead provider token: internal error");
                (S::INTERNAL_SERVER_ERROR, "server_error", "Internal error".to_owned(), None)
            }
        };
        let body = OAuthErrorBody { error: error.to_owned(), error_description: Some(description) };
        let mut resp = (status, axum::Json(body)).into_response();
        let h = resp.headers_mut();
        h.insert(CACHE_CONTROL, HeaderValue::from_static("no-store"));
        if status == S::UNAUTHORIZED {
            h.insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Basic realm=\"oauth\""));
        }
        if let Some(secs) = retry
            && let Ok(v) = HeaderValue::from_str(&secs.to_string())
        {
            h.insert(header::RETRY_AFTER, v);
        }
        resp
    }
}
