//! Transfer methods that send an approved withdrawal out (seed "Transfer money transaction":
//! `bitstamp`, `trustology`). Each is a client behind [`PayoutClient`]; the base URL and
//! the provider's key values are passed in, so tests point them at a mock server.

use std::collections::BTreeMap;

use async_trait::async_trait;
use brokercrm_core::{Error, Result};
use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;

use crate::outbound::OutboundClient;

/// One payout to send.
#[derive(Debug, Clone)]
pub struct Payout<'a> {
    /// Our withdrawal id (idempotency reference for the provider).
    pub reference: &'a str,
    /// ISO code, e.g. `BTC`, `USD`.
    pub currency: &'a str,
    /// Decimal text, e.g. `12.5`.
    pub amount: &'a str,
    pub address: &'a str,
}

/// A transfer method's client.
#[async_trait]
pub trait PayoutClient: Send + Sync {
    /// `bitstamp` or `trustology`.
    fn method(&self) -> &'static str;
    /// Sends `p`; returns the provider's reference for it.
    async fn send(
        &self,
        http: &OutboundClient,
        base_url: &str,
        keys: &BTreeMap<String, String>,
        p: &Payout<'_>,
    ) -> Result<String>;
}

fn key<'a>(keys: &'a BTreeMap<String, String>, name: &str) -> Result<&'a str> {
    keys.get(name)
        .map(String::as_str)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| Error::field("method", format!("the provider's {name} is not configured")))
}

fn upstream(e: impl std::fmt::Display) -> Error {
    Error::Upstream(format!("payout request failed: {e}"))
}

async fn reference(resp: reqwest::Response, field: &str) -> Result<String> {
    let status = resp.status();
    if !status.is_success() {
        return Err(Error::Upstream(format!("the provider answered {status}")));
    }
    let v: serde_json::Value = resp.json().await.map_err(upstream)?;
    match &v[field] {
        serde_json::Value::String(s) if !s.is_empty() => Ok(s.clone()),
        serde_json::Value::Number(n) => Ok(n.to_string()),
        _ => Err(Error::Upstream(format!("the provider's answer has no {field}"))),
    }
}

/// Bitstamp crypto withdrawal (`POST /api/v2/{currency}_withdrawal/`) with its v2
/// authentication headers (`X-Auth`, HMAC-SHA256 `X-Auth-Signature`, nonce, timestamp).
pub struct BitstampPayout;

#[async_trait]
impl PayoutClient for BitstampPayout {
    fn method(&self) -> &'static str {
        "bitstamp"
    }

    async fn send(
        &self,
        http: &OutboundClient,
        base_url: &str,
        keys: &BTreeMap<String, String>,
        p: &Payout<'_>,
    ) -> Result<String> {
        let api_key = key(keys, "apiKey")?;
        let secret = key(keys, "apiSecret")?;
        let base = url::Url::parse(base_url).map_err(upstream)?;
        let path = format!("/api/v2/{}_withdrawal/", p.currency.to_ascii_lowercase());
        let url = base.join(&path).map_err(upstream)?;
        let body = serde_urlencoded_pairs(&[("amount", p.amount), ("address", p.address)]);
        let nonce = uuid::Uuid::new_v4().to_string();
        let ts = chrono_millis();
        let content_type = "application/x-www-form-urlencoded";
        let host = url.host_str().unwrap_or_default();
        let host = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        let message =
            format!("BITSTAMP {api_key}POST{host}{path}{content_type}{nonce}{ts}v2{body}");
        let mut mac = Hmac::<Sha256>::new_from_slice(secret.as_bytes()).map_err(upstream)?;
        mac.update(message.as_bytes());
        let signature = hex::encode_upper(mac.finalize().into_bytes());
        let resp = http
            .post(url)?
            .header("X-Auth", format!("BITSTAMP {api_key}"))
            .header("X-Auth-Signature", signature)
            .header("X-Auth-Nonce", nonce)
            .header("X-Auth-Timestamp", ts)
            .header("X-Auth-Version", "v2")
            .header("Content-Type", content_type)
            .body(body)
            .send()
            .await
            .map_err(upstream)?;
        reference(resp, "id").await
    }
}

/// Trustology custody transfer: `POST {apiUrl}/withdrawals` with the `x-api-key` header and
/// a JSON body naming the source wallet; the answer's `requestId` is the reference.
pub struct TrustologyPayout;

#[async_trait]
impl PayoutClient for TrustologyPayout {
    fn method(&self) -> &'static str {
        "trustology"
    }

    async fn send(
        &self,
        http: &OutboundClient,
        base_url: &str,
        keys: &BTreeMap<String, String>,
        p: &Payout<'_>,
    ) -> Result<String> {
        let api_key = key(keys, "apiKey")?;
        let wallet_id = key(keys, "walletId")?;
        let url = format!("{}/withdrawals", base_url.trim_end_matches('/'));
        let resp = http
            .post(url)?
            .header("x-api-key", api_key)
            .json(&serde_json::json!({
                "walletId": wallet_id,
                "toAddress": p.address,
                "amount": p.amount,
                "currency": p.currency,
                "reference": p.reference,
            }))
            .send()
            .await
            .map_err(upstream)?;
        reference(resp, "requestId").await
    }
}

/// The client of transfer method `method`.
pub fn client(method: &str) -> Option<Box<dyn PayoutClient>> {
    match method {
        "bitstamp" => Some(Box::new(BitstampPayout)),
        "trustology" => Some(Box::new(TrustologyPayout)),
        _ => None,
    }
}

fn serde_urlencoded_pairs(pairs: &[(&str, &str)]) -> String {
    use percent_encoding::{NON_ALPHANUMERIC, utf8_percent_encode};
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={}", utf8_percent_encode(v, NON_ALPHANUMERIC)))
        .collect::<Vec<_>>()
        .join("&")
}

fn chrono_millis() -> String {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis())
        .unwrap_or_default();
    ms.to_string()
}
