//! `GET /auto-login/{token}`: spends a single-use auto-login link (issued with a lead's or a
//! customer's deposit URL) and hands the browser a session.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::distribution::auto_login;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};

#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AutoLoginSession {
    pub access_token: String,
    pub refresh_token: String,
    pub expires_in: u64,
    pub redirect_path: Option<String>,
}

/// Logs in with a single-use link. Browsers are redirected to the client portal with the
/// session in the URL fragment (never sent to servers); `Accept: application/json` gets it as
/// JSON instead.
#[utoipa::path(
    get,
    path = "/auto-login/{token}",
    tag = "Lead Distribution",
    summary = "Log in with an auto-login link",
    params(("token" = String, Path, description = "The link's secret")),
    responses(
        (status = 302, description = "Logged in; redirected to the portal"),
        (status = 200, description = "Logged in (JSON requested)", body = AutoLoginSession),
        (status = 401, description = "Link unknown, used or expired", body = ErrorBody)
    )
)]
pub async fn use_link(
    State(app): State<App>,
    Path(token): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let done = auto_login::consume(&app, &token).await?;
    let wants_json = headers
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("application/json"));
    if wants_json {
        return Ok(Json(AutoLoginSession {
            access_token: done.tokens.access_token,
            refresh_token: done.tokens.refresh_token,
            expires_in: done.tokens.expires_in,
            redirect_path: done.redirect_path,
        })
        .into_response());
    }
    let base = app.cfg().public_url.trim_end_matches('/').to_owned();
    let path = done
        .redirect_path
        .filter(|p| p.starts_with('/') && !p.starts_with("//"))
        .unwrap_or_else(|| "/portal/".into());
    let location = format!(
        "{base}{path}#access_token={}&refresh_token={}&expires_in={}",
        done.tokens.access_token, done.tokens.refresh_token, done.tokens.expires_in
    );
    Ok((
        StatusCode::FOUND,
        [(header::LOCATION, location), (header::CACHE_CONTROL, "no-store".into())],
    )
        .into_response())
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(use_link))
}
