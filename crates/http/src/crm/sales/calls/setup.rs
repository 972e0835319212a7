//! The VoIP provider set-up: URL, current provider, Voiso API key (masked when read),
//! availability and the webhook request URL.

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::sales::calls::config;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::SuccessDto;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};

/// Body of "Update VoIP URL" and "Update API key for Voiso provider".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VariableRequest {
    /// The URL (http(s), no internal hosts), or Voiso's API key.
    pub variable_value: Option<String>,
    /// `voiso` or `coperato` (the API key: `voiso` only).
    #[schema(example = "voiso")]
    pub provider: Option<String>,
}

/// Body of "Update the VoIP provider".
#[derive(Debug, Deserialize, ToSchema)]
pub struct ProviderRequest {
    /// `coperato` or `voiso`.
    #[schema(example = "coperato")]
    pub provider: Option<String>,
}

/// The current provider (`null` when none is set).
#[derive(Debug, Serialize, ToSchema)]
pub struct ProviderDto {
    #[schema(example = "coperato")]
    pub provider: Option<String>,
}

/// Whether calls can be placed through the current provider.
#[derive(Debug, Serialize, ToSchema)]
pub struct AvailabilityDto {
    pub available: bool,
    #[schema(example = "voiso")]
    pub provider: Option<String>,
}

/// The provider's webhook URL (carries the webhook secret as `token`).
#[derive(Debug, Serialize, ToSchema)]
pub struct UrlDto {
    pub url: String,
}

/// Voiso's API key, masked (`null` when unset).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = VoipApiKeyDto)]
pub struct ApiKeyDto {
    #[schema(example = "abcd****")]
    pub api_key: Option<String>,
}

/// `?provider=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProviderQuery {
    /// `voiso` or `coperato` (required).
    pub provider: Option<String>,
}

/// Sets a provider's URL (admins). Audited.
#[utoipa::path(
    put, path = "/api/calls/url", tag = "Calls", summary = "Update VoIP URL",
    request_body = VariableRequest, security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored", body = SuccessDto),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "Bad `provider` or `variableValue`", body = ErrorBody)
    )
)]
pub async fn update_voip_url(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<VariableRequest>,
) -> ApiResult<axum::Json<SuccessDto>> {
    config::set_url(&app, &p, b.provider.as_deref(), b.variable_value.as_deref()).await?;
    Ok(SuccessDto::ok())
}

/// The current VoIP provider.
#[utoipa::path(
    get, path = "/api/calls/provider", tag = "Calls", summary = "Get current VoIP provider",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The provider", body = ProviderDto),
        (status = 403, description = "Not allowed to read settings", body = ErrorBody)
    )
)]
pub async fn get_voip_provider(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<ProviderDto>> {
    let cur = config::get_current(&app, &p).await?;
    Ok(axum::Json(ProviderDto { provider: cur.map(|c| c.as_str().to_owned()) }))
}

/// Chooses the provider calls go through (admins). Audited.
#[utoipa::path(
    put, path = "/api/calls/provider", tag = "Calls", summary = "Update the VoIP provider",
    request_body = ProviderRequest, security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored", body = SuccessDto),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "Bad `provider`", body = ErrorBody)
    )
)]
pub async fn update_voip_provider(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<ProviderRequest>,
) -> ApiResult<axum::Json<SuccessDto>> {
    config::set_current(&app, &p, b.provider.as_deref()).await?;
    Ok(SuccessDto::ok())
}

/// Sets Voiso's API key, encrypted at rest (admins). Audited (masked).
#[utoipa::path(
    put, path = "/api/calls/api-key", tag = "Calls",
    summary = "Update API key for Voiso provider",
    request_body = VariableRequest, security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored", body = SuccessDto),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "Bad `provider` or `variableValue`", body = ErrorBody)
    )
)]
pub async fn update_voiso_api_key(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<VariableRequest>,
) -> ApiResult<axum::Json<SuccessDto>> {
    config::set_api_key(&app, &p, b.provider.as_deref(), b.variable_value.as_deref()).await?;
    Ok(SuccessDto::ok())
}

/// Voiso's API key, masked.
#[utoipa::path(
    get, path = "/api/calls/api-key", tag = "Calls", summary = "Get VoIP provider API key",
    params(ProviderQuery), security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The key, masked", body = ApiKeyDto),
        (status = 403, description = "Not allowed to read settings", body = ErrorBody),
        (status = 422, description = "Bad `provider`", body = ErrorBody)
    )
)]
pub async fn get_voip_api_key(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<ProviderQuery>,
) -> ApiResult<axum::Json<ApiKeyDto>> {
    let api_key = config::api_key(&app, &p, q.provider.as_deref()).await?;
    Ok(axum::Json(ApiKeyDto { api_key }))
}

/// Whether the current provider is set up to place calls (any staff member).
#[utoipa::path(
    get, path = "/api/calls/provider/availability", tag = "Calls",
    summary = "Check if VoIP provider is available",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Availability", body = AvailabilityDto),
        (status = 403, description = "Not staff", body = ErrorBody)
    )
)]
pub async fn check_voip_provider(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<AvailabilityDto>> {
    let a = config::availability(&app, &p).await?;
    Ok(axum::Json(AvailabilityDto {
        available: a.available,
        provider: a.provider.map(|p| p.as_str().to_owned()),
    }))
}

/// The URL to configure at the provider for its call events (admins: it holds the secret).
#[utoipa::path(
    get, path = "/api/calls/request-url", tag = "Calls",
    summary = "Get request URL for Voiso or Coperato provider",
    params(ProviderQuery), security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The webhook URL", body = UrlDto),
        (status = 403, description = "Not an admin", body = ErrorBody),
        (status = 422, description = "Bad `provider`", body = ErrorBody)
    )
)]
pub async fn get_request_url(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<ProviderQuery>,
) -> ApiResult<axum::Json<UrlDto>> {
    let url = config::request_url(&app, &p, q.provider.as_deref()).await?;
    Ok(axum::Json(UrlDto { url }))
}
