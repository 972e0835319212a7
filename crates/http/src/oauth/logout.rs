//! `POST /oauth/logout` (seed: "Logout and redirect").

use axum::extract::{Request, State};
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::identity::oauth::{self, OAuthError, OAuthErrorCode};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::{OAuthErrorBody, OAuthFailure, read_body, require_content_type};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LogoutRequest {
    /// A refresh token issued to an OAuth client; its whole rotation family is revoked.
    pub refresh_token: Option<String>,
    /// Where to send the user afterwards: one of that client's registered redirect URIs.
    pub redirect_uri: Option<String>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LogoutResponse {
    /// The accepted redirect URI; the caller navigates there.
    pub redirect_uri: String,
}

/// Revokes the refresh token's family and returns the redirect URI, which must be registered
/// for the client the token was issued to. Nothing is revoked when the request is refused.
#[utoipa::path(
    post,
    path = "/oauth/logout",
    tag = "OAuth",
    summary = "Logout and redirect",
    request_body = LogoutRequest,
    responses(
        (status = 200, description = "Logged out", body = LogoutResponse),
        (status = 400, description = "Missing field, unknown token, or redirect URI not registered for the token's client", body = OAuthErrorBody),
        (status = 415, description = "Body is not JSON", body = OAuthErrorBody)
    )
)]
pub async fn logout(State(app): State<App>, req: Request) -> Response {
    match run(&app, req).await {
        Ok(redirect_uri) => axum::Json(LogoutResponse { redirect_uri }).into_response(),
        Err(e) => e.into_response(),
    }
}

async fn run(app: &App, req: Request) -> Result<String, OAuthFailure> {
    require_content_type(req.headers(), "application/json")?;
    let body = read_body(req).await?;
    let b: LogoutRequest = crate::extract::parse_json(&body)
        .map_err(|e| OAuthError::new(OAuthErrorCode::InvalidRequest, e.public_message()))?;
    let uri = oauth::logout(
        app,
        b.refresh_token.as_deref().unwrap_or_default(),
        b.redirect_uri.as_deref().unwrap_or_default(),
    )
    .await?;
    Ok(uri)
}
