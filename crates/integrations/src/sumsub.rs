//! SumSub, the identity-verification provider: access tokens for its Web/Mobile SDK, asked
//! through its API with its request signing. Every request carries `X-App-Token`,
//! `X-App-Access-Ts` (seconds since the epoch) and `X-App-Access-Sig`: the lower-case hex
//! HMAC-SHA256, under the app's secret key, of the timestamp, the upper-case method, the path
//! with its query, and the exact body bytes. The SDK token names the applicant by our
//! customer's id (`userId`, SumSub's `externalUserId`) and the verification level; SumSub
//! creates the applicant on first use. All through the guarded outbound client.

use std::time::Duration;

use brokercrm_core::{Error, Result};
use hmac::{Hmac, KeyInit, Mac};
use serde_json::{Value, json};
use sha2::Sha256;

use crate::outbound::OutboundClient;

/// Upper bound on one SumSub request.
const TIMEOUT: Duration = Duration::from_secs(15);

/// Path of "Generate access token" (SDK).
pub const ACCESS_TOKEN_PATH: &str = "/resources/accessTokens/sdk";

/// The app's credentials and base URL (`https://api.sumsub.com`, or a mock in tests).
#[derive(Debug, Clone)]
pub struct SumsubClient {
    pub base_url: String,
    pub app_token: String,
    pub secret_key: String,
}

/// `X-App-Access-Sig` for a request: hex HMAC-SHA256 of `ts + METHOD + path + body`.
pub fn sign(secret_key: &str, ts: i64, method: &str, path_and_query: &str, body: &[u8]) -> String {
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret_key.as_bytes()) else {
        return String::new(); // HMAC accepts keys of any length.
    };
    mac.update(ts.to_string().as_bytes());
    mac.update(method.to_ascii_uppercase().as_bytes());
    mac.update(path_and_query.as_bytes());
    mac.update(body);
    hex::encode(mac.finalize().into_bytes())
}

impl SumsubClient {
    /// An SDK access token for applicant `user_id` at `level_name`, valid `ttl_secs`;
    /// `now` is the signing time (seconds since the epoch).
    pub async fn access_token(
        &self,
        http: &OutboundClient,
        user_id: &str,
        level_name: &str,
        ttl_secs: u64,
        now: i64,
    ) -> Result<String> {
        let body = serde_json::to_vec(
            &json!({"userId": user_id, "levelName": level_name, "ttlInSecs": ttl_secs}),
        )
        .map_err(|e| Error::internal(e.to_string()))?;
        let sig = sign(&self.secret_key, now, "POST", ACCESS_TOKEN_PATH, &body);
        let url = format!("{}{ACCESS_TOKEN_PATH}", self.base_url.trim_end_matches('/'));
        let resp = http
            .post(url)?
            .timeout(TIMEOUT)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .header("X-App-Token", &self.app_token)
            .header("X-App-Access-Ts", now.to_string())
            .header("X-App-Access-Sig", sig)
            .body(body)
            .send()
            .await
            .map_err(|e| Error::Upstream(format!("sumsub: request failed: {e}")))?;
        let status = resp.status();
        let v: Value = resp.json().await.unwrap_or(Value::Null);
        if !status.is_success() {
            // SumSub's error body: {"description", "code", "correlationId", "errorCode"...}.
            let why = v.get("description").and_then(Value::as_str).unwrap_or("no description");
            return Err(Error::Upstream(format!("sumsub: answered HTTP {status}: {why}")));
        }
        v.get("token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .ok_or_else(|| Error::Upstream("sumsub: no token in the answer".into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn signature_covers_time_method_path_and_body() {
        let a = sign("s", 1_700_000_000, "post", "/resources/accessTokens/sdk", b"{}");
        assert_eq!(a.len(), 64);
        assert_eq!(a, sign("s", 1_700_000_000, "POST", "/resources/accessTokens/sdk", b"{}"));
        assert_ne!(a, sign("s", 1_700_000_001, "POST", "/resources/accessTokens/sdk", b"{}"));
        assert_ne!(a, sign("s", 1_700_000_000, "POST", "/resources/accessTokens/sdk", b"{ }"));
        assert_ne!(a, sign("t", 1_700_000_000, "POST", "/resources/accessTokens/sdk", b"{}"));
    }
}
