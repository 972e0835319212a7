//! Seed 002 tag Settings: VoIP providers, reCAPTCHA, SumSub and the default wallet. Each
//! answers with the stored configuration, secrets masked.

use axum::Json;
use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::platform::settings::providers;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};

/// Body of "Set Coperato as VOIP provider".
#[derive(Deserialize, ToSchema)]
pub struct CoperatoRequest {
    /// Coperato API URL (https; no private hosts).
    pub url: String,
}

/// Body of "Set Voiso as VOIP provider".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoisoRequest {
    pub url: String,
    pub api_key: String,
}

/// The VoIP provider as stored (`apiKey` masked).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VoipResponse {
    /// `coperato` or `voiso`.
    pub provider: String,
    pub url: String,
    /// Voiso only; masked.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_key: Option<String>,
}

/// Body of "Update reCAPTCHA settings".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecaptchaRequest {
    pub site_key: String,
    pub secret: String,
    /// Minimum reCAPTCHA v3 score a token must reach, 0 to 1.
    #[schema(example = 0.5)]
    pub score: f64,
}

/// reCAPTCHA settings as stored (`secret` masked; `score` as a decimal string).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RecaptchaResponse {
    pub site_key: String,
    pub secret: String,
    #[schema(example = "0.5")]
    pub score: String,
}

/// Body of "Configure SumSub for KYC verification" (also its response, secrets masked).
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SumsubRequest {
    /// SumSub API origin, e.g. `https://api.sumsub.com`.
    pub api_url: String,
    pub secret_key: String,
    pub app_token: String,
    pub level_name: String,
    pub webhook_secret_key: String,
}

/// Body of "Configure default wallet platform and group" (also its response).
#[derive(Deserialize, Serialize, ToSchema)]
pub struct DefaultWalletRequest {
    /// Trading platform identifier, e.g. `internal` or a trading adapter's name.
    pub platform: String,
    /// Trading group new wallets join.
    pub group: String,
}

/// Makes Coperato the VoIP provider (ManageSettings; audited).
#[utoipa::path(
    put,
    path = "/api/settings/voip/coperato",
    tag = "Settings",
    summary = "Set Coperato as VOIP provider",
    request_body = CoperatoRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored", body = VoipResponse),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn set_coperato(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(body): JsonBody<CoperatoRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(providers::set_coperato(&app, &actor, &body.url).await?))
}

/// Makes Voiso the VoIP provider (ManageSettings; audited).
#[utoipa::path(
    put,
    path = "/api/settings/voip/voiso",
    tag = "Settings",
    summary = "Set Voiso as VOIP provider",
    request_body = VoisoRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored; apiKey masked", body = VoipResponse),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn set_voiso(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(body): JsonBody<VoisoRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(providers::set_voiso(&app, &actor, &body.url, &body.api_key).await?))
}

/// Enables reCAPTCHA on public forms with these keys (ManageSettings; audited).
#[utoipa::path(
    put,
    path = "/api/settings/recaptcha",
    tag = "Settings",
    summary = "Update reCAPTCHA settings",
    request_body = RecaptchaRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored; secret masked", body = RecaptchaResponse),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn update_recaptcha(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(body): JsonBody<RecaptchaRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(
        providers::set_recaptcha(&app, &actor, &body.site_key, &body.secret, body.score).await?,
    ))
}

/// Stores SumSub credentials for KYC checks (ManageSettings; audited).
#[utoipa::path(
    put,
    path = "/api/settings/sumsub",
    tag = "Settings",
    summary = "Configure SumSub for KYC verification",
    request_body = SumsubRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored; secretKey, appToken, webhookSecretKey masked", body = SumsubRequest),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn configure_sumsub(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(body): JsonBody<SumsubRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    let input = providers::SumsubConfig {
        api_url: body.api_url,
        secret_key: body.secret_key,
        app_token: body.app_token,
        level_name: body.level_name,
        webhook_secret_key: body.webhook_secret_key,
    };
    Ok(Json(providers::set_sumsub(&app, &actor, input).await?))
}

/// Sets where new wallets are opened (ManageSettings; audited).
#[utoipa::path(
    put,
    path = "/api/settings/default-wallet",
    tag = "Settings",
    summary = "Configure default wallet platform and group",
    request_body = DefaultWalletRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored", body = DefaultWalletRequest),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn configure_default_wallet(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(body): JsonBody<DefaultWalletRequest>,
) -> ApiResult<Json<serde_json::Value>> {
    Ok(Json(providers::set_default_wallet(&app, &actor, &body.platform, &body.group).await?))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(set_coperato))
        .routes(routes!(set_voiso))
        .routes(routes!(update_recaptcha))
        .routes(routes!(configure_sumsub))
        .routes(routes!(configure_default_wallet))
}
