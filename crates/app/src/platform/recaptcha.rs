//! reCAPTCHA verification for public forms (sign-up, forgot password) when enabled in Settings.

use std::net::IpAddr;

use brokercrm_core::{Error, Result};
use brokercrm_store::repo::platform::settings;
use serde::{Deserialize, Serialize};

use crate::App;

/// Setting key of the reCAPTCHA configuration (JSON, secret).
pub const RECAPTCHA_KEY: &str = "recaptcha";
/// Google's verification endpoint.
pub const DEFAULT_VERIFY_URL: &str = "https://www.google.com/recaptcha/api/siteverify";

/// Stored configuration, as set by "Update reCAPTCHA settings".
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RecaptchaConfig {
    pub site_key: String,
    pub secret: String,
    /// Minimum score (0..=1 as a decimal string, e.g. "0.5") a v3 token must reach.
    pub score: String,
    /// Verification endpoint (tests point this at a mock).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub verify_url: Option<String>,
}

/// The stored configuration, if reCAPTCHA is enabled.
pub async fn config(app: &App) -> Result<Option<RecaptchaConfig>> {
    match settings::get(app.db().conn(), RECAPTCHA_KEY).await? {
        Some(row) => serde_json::from_str(&row.value).map(Some).map_err(Error::internal),
        None => Ok(None),
    }
}

#[derive(Deserialize)]
struct VerifyResponse {
    success: bool,
    #[serde(default)]
    score: Option<serde_json::Number>,
}

/// Compares a decimal score with a decimal threshold without floats (both have ≤ 4 decimals
/// that matter; reCAPTCHA scores have one).
fn score_at_least(score: &str, threshold: &str) -> bool {
    fn milli(s: &str) -> Option<i64> {
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        let frac: String = frac.chars().chain(std::iter::repeat('0')).take(4).collect();
        Some(int.parse::<i64>().ok()? * 10_000 + frac.parse::<i64>().ok()?)
    }
    match (milli(score), milli(threshold)) {
        (Some(a), Some(b)) => a >= b,
        _ => false,
    }
}

/// Upper bound on one verification call.
const VERIFY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Verifies `token` when reCAPTCHA is configured; a no-op otherwise. A missing or rejected
/// token is a validation error on field `recaptchaToken`.
pub async fn verify(app: &App, token: Option<&str>, remote_ip: Option<IpAddr>) -> Result<()> {
    let Some(cfg) = config(app).await? else { return Ok(()) };
    let token = token
        .filter(|t| !t.is_empty())
        .ok_or_else(|| Error::field("recaptchaToken", "is required"))?;
    let mut form = vec![("secret", cfg.secret.clone()), ("response", token.to_owned())];
    if let Some(ip) = remote_ip {
        form.push(("remoteip", ip.to_string()));
    }
    let url = cfg.verify_url.as_deref().unwrap_or(DEFAULT_VERIFY_URL);
    let resp = app
        .services()
        .http
        .post(url)
        .map_err(|e| Error::Upstream(format!("recaptcha: {}", e.public_message())))?
        .timeout(VERIFY_TIMEOUT)
        .form(&form)
        .send()
        .await
        .map_err(|e| Error::Upstream(format!("recaptcha: {e}")))?;
    let body: VerifyResponse =
        resp.json().await.map_err(|e| Error::Upstream(format!("recaptcha: {e}")))?;
    let passes = body.success
        && body.score.as_ref().is_none_or(|s| score_at_least(&s.to_string(), &cfg.score));
    if passes {
        Ok(())
    } else {
        Err(Error::field("recaptchaToken", "reCAPTCHA verification failed"))
    }
}

#[cfg(test)]
mod tests {
    use super::score_at_least;

    #[test]
    fn decimal_score_comparison() {
        assert!(score_at_least("0.9", "0.5"));
        assert!(score_at_least("0.5", "0.5"));
        assert!(!score_at_least("0.3", "0.5"));
        assert!(score_at_least("1", "0.75"));
        assert!(!score_at_least("x", "0.5"));
    }
}
