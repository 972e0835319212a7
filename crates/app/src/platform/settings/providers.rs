//! Structured settings of third-party services: VoIP (Coperato, Voiso), reCAPTCHA, SumSub
//! KYC, and the default wallet platform/group. Each validates every field (all problems
//! reported at once, named as on the wire), stores JSON and returns it masked.

use brokercrm_core::Permission;
use brokercrm_core::error::Violations;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{load_config, store_config};
use crate::platform::recaptcha::{RECAPTCHA_KEY, RecaptchaConfig};
use crate::platform::url_guard::check_url;
use crate::{App, Principal};

pub use super::keys::{DEFAULT_WALLET_KEY, SUMSUB_KEY, VOIP_KEY};

/// The active VoIP provider. JSON: `{"provider":"voiso","url":...,"apiKey":...}`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "provider", rename_all = "lowercase", rename_all_fields = "camelCase")]
pub enum VoipConfig {
    Coperato { url: String },
    Voiso { url: String, api_key: String },
}

/// SumSub credentials as set by "Configure SumSub for KYC verification".
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SumsubConfig {
    pub api_url: String,
    pub secret_key: String,
    pub app_token: String,
    pub level_name: String,
    pub webhook_secret_key: String,
}

/// Where new wallets are opened by default.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DefaultWallet {
    pub platform: String,
    pub group: String,
}

/// A required secret: not blank, at most 500 characters, kept as given (not trimmed).
pub(crate) fn secret(field: &str, raw: &str) -> Result<String> {
    text(field, raw, 500).map(|_| raw.to_owned())
}

fn to_value<T: Serialize>(v: &T) -> Result<Value> {
    serde_json::to_value(v).map_err(Error::internal)
}

/// "Set Coperato as VOIP provider".
pub async fn set_coperato(app: &App, actor: &Principal, url: &str) -> Result<Value> {
    actor.require(Permission::ManageSettings)?;
    let cfg = VoipConfig::Coperato { url: check_url(app, "url", url)? };
    store_config(app, actor, VOIP_KEY, to_value(&cfg)?, "settings.voip").await
}

/// "Set Voiso as VOIP provider".
pub async fn set_voiso(app: &App, actor: &Principal, url: &str, api_key: &str) -> Result<Value> {
    actor.require(Permission::ManageSettings)?;
    let mut v = Violations::new();
    let url = v.check(check_url(app, "url", url));
    let api_key = v.check(secret("apiKey", api_key));
    v.finish()?;
    let (Some(url), Some(api_key)) = (url, api_key) else {
        return Err(Error::internal("unreachable"));
    };
    store_config(
        app,
        actor,
        VOIP_KEY,
        to_value(&VoipConfig::Voiso { url, api_key })?,
        "settings.voip",
    )
    .await
}

/// The VoIP provider, if configured.
pub async fn voip(app: &App) -> Result<Option<VoipConfig>> {
    load_config(app, VOIP_KEY).await
}

/// "Update reCAPTCHA settings": `score` is the minimum v3 score, 0..=1. A verification URL
/// set out of band (tests, proxies) is kept.
pub async fn set_recaptcha(
    app: &App,
    actor: &Principal,
    site_key: &str,
    secret_: &str,
    score: f64,
) -> Result<Value> {
    actor.require(Permission::ManageSettings)?;
    let mut v = Violations::new();
    let site_key = v.check(text("siteKey", site_key, 200));
    let secret_ = v.check(secret("secret", secret_));
    if !(score.is_finite() && (0.0..=1.0).contains(&score)) {
        v.push("score", "must be a number from 0 to 1");
    }
    v.finish()?;
    let (Some(site_key), Some(secret_)) = (site_key, secret_) else {
        return Err(Error::internal("unreachable"));
    };
    let verify_url = crate::platform::recaptcha::config(app).await?.and_then(|c| c.verify_url);
    let cfg = RecaptchaConfig { site_key, secret: secret_, score: format!("{score}"), verify_url };
    store_config(app, actor, RECAPTCHA_KEY, to_value(&cfg)?, "settings.recaptcha").await
}

/// "Configure SumSub for KYC verification".
pub async fn set_sumsub(app: &App, actor: &Principal, input: SumsubConfig) -> Result<Value> {
    actor.require(Permission::ManageSettings)?;
    let mut v = Violations::new();
    let api_url = v.check(check_url(app, "apiUrl", &input.api_url));
    let secret_key = v.check(secret("secretKey", &input.secret_key));
    let app_token = v.check(secret("appToken", &input.app_token));
    let level_name = v.check(text("levelName", &input.level_name, 200));
    let webhook_secret_key = v.check(secret("webhookSecretKey", &input.webhook_secret_key));
    v.finish()?;
    let (
        Some(api_url),
        Some(secret_key),
        Some(app_token),
        Some(level_name),
        Some(webhook_secret_key),
    ) = (api_url, secret_key, app_token, level_name, webhook_secret_key)
    else {
        return Err(Error::internal("unreachable"));
    };
    let cfg = SumsubConfig { api_url, secret_key, app_token, level_name, webhook_secret_key };
    store_config(app, actor, SUMSUB_KEY, to_value(&cfg)?, "settings.sumsub").await
}

/// The SumSub configuration, if set.
pub async fn sumsub(app: &App) -> Result<Option<SumsubConfig>> {
    load_config(app, SUMSUB_KEY).await
}

/// "Configure default wallet platform and group": `platform` is a trading platform identifier
/// (e.g. `internal`, or a trading adapter's name), `group` the trading group new wallets join.
pub async fn set_default_wallet(
    app: &App,
    actor: &Principal,
    platform: &str,
    group: &str,
) -> Result<Value> {
    actor.require(Permission::ManageSettings)?;
    let mut v = Violations::new();
    let platform = v.check(text("platform", platform, 64).and_then(|p| {
        if p.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
            Ok(p)
        } else {
            Err(Error::field("platform", "may contain only letters, digits, '_', '-' and '.'"))
        }
    }));
    let group = v.check(text("group", group, 100));
    v.finish()?;
    let (Some(platform), Some(group)) = (platform, group) else {
        return Err(Error::internal("unreachable"));
    };
    store_config(
        app,
        actor,
        DEFAULT_WALLET_KEY,
        to_value(&DefaultWallet { platform, group })?,
        "settings.default_wallet",
    )
    .await
}

/// The default wallet platform and group, if set.
pub async fn default_wallet(app: &App) -> Result<Option<DefaultWallet>> {
    load_config(app, DEFAULT_WALLET_KEY).await
}
