//! Seed 002 tag Settings: generic key/value settings, the CAPTCHA site key, and (in
//! submodules) the structured provider settings. Secrets are never returned in full.
//!
//! Key registry and rules live in `brokercrm_app::platform::settings`: unknown keys and every
//! `system.*` key answer 404; structured keys (`email.provider`, `recaptcha`,
//! `voip.provider`, `kyc.sumsub`, `wallet.default`) are written only by their dedicated
//! endpoints and read back here as masked JSON text.

mod email;
mod providers;

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, MaybeAuth};

/// A setting's value.
#[derive(Serialize, ToSchema)]
pub struct SettingValue {
    /// The value; secrets masked (first characters + `****`), structured settings as masked
    /// JSON text; `null` when the key is known but not set.
    #[schema(example = "Acme Markets")]
    pub value: Option<String>,
}

/// Body of "Update setting value by key".
#[derive(Deserialize, ToSchema)]
pub struct UpdateSettingRequest {
    /// The new value, checked by the key's kind (text, e-mail, URL, `true`/`false`, ISO
    /// currency or language code).
    pub val: String,
}

/// Returns a setting's value. Public keys (`company.*`, `portal.url`, `signup.enabled`,
/// `default.*`) need no token; the others need the ReadSettings permission.
#[utoipa::path(
    get,
    path = "/api/settings/{key}",
    tag = "Settings",
    summary = "Get setting value by key",
    params(("key" = String, Path, description = "Setting key, e.g. `company.name`, `default.currency`, `custom.<name>`")),
    security((), ("BearerAuth" = [])),
    responses(
        (status = 200, description = "The value (masked if secret; null when unset)", body = SettingValue),
        (status = 403, description = "Missing ReadSettings permission", body = ErrorBody),
        (status = 404, description = "Unknown key, or a `system.*` key", body = ErrorBody)
    )
)]
pub async fn get_setting(
    State(app): State<App>,
    MaybeAuth(actor): MaybeAuth,
    Path(key): Path<String>,
) -> ApiResult<Json<SettingValue>> {
    let value = brokercrm_app::platform::settings::get(&app, actor.as_ref(), &key).await?;
    Ok(Json(SettingValue { value }))
}

/// Sets a plain setting (ManageSettings; audited). Structured keys are refused (422 on
/// `key`): use their dedicated endpoints.
#[utoipa::path(
    put,
    path = "/api/settings/{key}",
    tag = "Settings",
    summary = "Update setting value by key",
    params(("key" = String, Path, description = "Setting key")),
    request_body = UpdateSettingRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The value as stored", body = SettingValue),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 404, description = "Unknown key, or a `system.*` key", body = ErrorBody),
        (status = 422, description = "Invalid value (field `val`) or a structured key (field `key`)", body = ErrorBody)
    )
)]
pub async fn update_setting(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(key): Path<String>,
    JsonBody(body): JsonBody<UpdateSettingRequest>,
) -> ApiResult<Json<SettingValue>> {
    let value = brokercrm_app::platform::settings::put(&app, &actor, &key, &body.val).await?;
    Ok(Json(SettingValue { value: Some(value) }))
}

/// Returns the public reCAPTCHA site key for sign-up and login forms.
#[utoipa::path(
    get,
    path = "/api/settings/captcha-site-key",
    tag = "Settings",
    summary = "Get the CAPTCHA site key",
    responses(
        (status = 200, description = "`value` is the reCAPTCHA site key, or null when reCAPTCHA is not configured (forms then skip the CAPTCHA)", body = SettingValue)
    )
)]
pub async fn get_captcha_site_key(State(app): State<App>) -> ApiResult<Json<SettingValue>> {
    Ok(Json(SettingValue {
        value: brokercrm_app::platform::settings::captcha_site_key(&app).await?,
    }))
}

/// Returns the reCAPTCHA settings (ReadSettings): the `recaptcha` key as masked JSON text
/// (`siteKey`, `secret` masked, `score`). The generic read of that key, whose path the
/// dedicated PUT shadows.
#[utoipa::path(
    get,
    path = "/api/settings/recaptcha",
    tag = "Settings",
    summary = "Get reCAPTCHA settings",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The settings as masked JSON text; null when reCAPTCHA is not configured", body = SettingValue),
        (status = 403, description = "Missing ReadSettings permission", body = ErrorBody)
    )
)]
pub async fn get_recaptcha_setting(
    State(app): State<App>,
    Auth(actor): Auth,
) -> ApiResult<Json<SettingValue>> {
    let value = brokercrm_app::platform::settings::get(
        &app,
        Some(&actor),
        brokercrm_app::platform::recaptcha::RECAPTCHA_KEY,
    )
    .await?;
    Ok(Json(SettingValue { value }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(get_setting, update_setting))
        .routes(routes!(get_captcha_site_key))
        .routes(routes!(get_recaptcha_setting))
        .merge(providers::routes())
        .merge(email::routes())
}
