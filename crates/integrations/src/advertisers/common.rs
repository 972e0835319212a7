//! Plumbing shared by the advertiser clients: reading config fields with `config.<key>`
//! violations, sending a request through the guarded client under a time budget, reading a
//! bounded reply, and building rejection messages that never carry a secret.

use std::future::Future;
use std::time::Duration;

use brokercrm_core::distribution::LeadErrorType;
use brokercrm_core::{Result, Violations};
use serde_json::{Map, Value};
use url::Url;

use super::types::Delivery;
use crate::outbound::check_target;

/// Longest advertiser message kept in a rejection.
pub(crate) const MESSAGE_LIMIT: usize = 500;
/// Largest reply body read from an advertiser.
const BODY_LIMIT: usize = 256 * 1024;

/// Reads the fields of one adapter config, recording every bad one.
pub(crate) struct ConfigReader<'a> {
    obj: Option<&'a Map<String, Value>>,
    pub violations: Violations,
}

impl<'a> ConfigReader<'a> {
    pub fn new(config: &'a Value) -> Self {
        let mut violations = Violations::new();
        let obj = config.as_object();
        if obj.is_none() {
            violations.push("config", "must be a JSON object");
        }
        Self { obj, violations }
    }

    /// The raw value of `key`, `None` when absent or null.
    pub fn get(&self, key: &str) -> Option<&'a Value> {
        self.obj.and_then(|o| o.get(key)).filter(|v| !v.is_null())
    }

    /// Records a bad field (not when the config is no object: that alone is reported).
    pub fn bad(&mut self, key: &str, message: &str) {
        if self.obj.is_some() {
            self.violations.push(format!("config.{key}"), message);
        }
    }

    /// A non-empty string (trimmed); absent or blank is a violation.
    pub fn required_str(&mut self, key: &str) -> Option<String> {
        let found = self.optional_str(key);
        if found.is_none() && self.get(key).is_none_or(Value::is_string) {
            self.bad(key, "is required");
        }
        found
    }

    /// A string (trimmed) when present and not blank; another JSON type is a violation.
    pub fn optional_str(&mut self, key: &str) -> Option<String> {
        match self.get(key) {
            None => None,
            Some(Value::String(s)) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
            Some(_) => {
                self.bad(key, "must be a string");
                None
            }
        }
    }

    /// An absolute `http(s)` URL whose host passes [`check_target`]; trailing `/` removed.
    pub fn base_url(&mut self, key: &str, allow_private: bool) -> Option<String> {
        let raw = self.required_str(key)?;
        let trimmed = raw.trim_end_matches('/').to_owned();
        let checked = Url::parse(&trimmed)
            .map_err(|_| "must be an absolute URL".to_owned())
            .and_then(|u| check_target(&u, allow_private).map_err(|e| e.public_message()));
        match checked {
            Ok(()) => Some(trimmed),
            Err(message) => {
                self.bad(key, &message);
                None
            }
        }
    }

    /// An object whose every value is a string.
    pub fn string_map(&mut self, key: &str) -> Vec<(String, String)> {
        match self.get(key) {
            None => Vec::new(),
            Some(Value::Object(m)) => {
                let mut out = Vec::with_capacity(m.len());
                for (k, v) in m {
                    match v.as_str() {
                        Some(s) => out.push((k.clone(), s.to_owned())),
                        None => self.bad(&format!("{key}.{k}"), "must be a string"),
                    }
                }
                out
            }
            Some(_) => {
                self.bad(key, "must be an object of strings");
                Vec::new()
            }
        }
    }

    /// An array whose every item is a non-empty string.
    pub fn string_list(&mut self, key: &str) -> Option<Vec<String>> {
        match self.get(key)? {
            Value::Array(items) => {
                let list: Vec<String> = items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::trim).filter(|s| !s.is_empty()))
                    .map(str::to_owned)
                    .collect();
                if list.len() != items.len() {
                    self.bad(key, "must be an array of non-empty strings");
                }
                Some(list)
            }
            _ => {
                self.bad(key, "must be an array of strings");
                None
            }
        }
    }

    pub fn finish(self) -> Result<()> {
        self.violations.finish()
    }
}

/// An advertiser's reply: status, the (bounded) body text and its JSON when it parses.
#[derive(Debug)]
pub(crate) struct Reply {
    pub status: u16,
    pub text: String,
    pub json: Value,
}

impl Reply {
    /// The first of `keys` holding a non-empty string or a number, as text.
    pub fn field(&self, keys: &[&str]) -> Option<String> {
        keys.iter().find_map(|k| self.json.get(*k).and_then(scalar_text))
    }
}

/// A non-empty string (trimmed) or a number, as text.
pub(crate) fn scalar_text(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Runs one delivery within `timeout`; running out is `TimeoutError`.
pub(crate) async fn within(timeout: Duration, run: impl Future<Output = Delivery>) -> Delivery {
    match tokio::time::timeout(timeout, run).await {
        Ok(delivery) => delivery,
        Err(_) => timed_out(timeout),
    }
}

fn timed_out(timeout: Duration) -> Delivery {
    Delivery::rejected(
        LeadErrorType::TimeoutError,
        format!("the advertiser did not answer within {} ms", timeout.as_millis()),
    )
}

/// Sends `req` (from [`crate::outbound::OutboundClient::request`], whose `Err` is a refused
/// target) and reads the reply. A refused target or a transport failure is `Unknown`, a
/// time-out `TimeoutError`; `secrets` are scrubbed from every message.
pub(crate) async fn send(
    req: brokercrm_core::Result<reqwest::RequestBuilder>,
    timeout: Duration,
    secrets: &[&str],
) -> std::result::Result<Reply, Delivery> {
    let req = match req {
        Ok(req) => req,
        Err(e) => {
            let message = format!("advertiser URL refused: {}", e.public_message());
            return Err(Delivery::rejected(LeadErrorType::Unknown, message));
        }
    };
    let failed = |e: reqwest::Error| {
        if e.is_timeout() {
            return timed_out(timeout);
        }
        let e = e.without_url();
        let mut message = format!("advertiser request failed: {e}");
        let mut source = std::error::Error::source(&e);
        while let Some(cause) = source {
            message.push_str(&format!(": {cause}"));
            source = cause.source();
        }
        tracing::warn!(error = %scrub(&message, secrets), "advertiser unreachable");
        Delivery::rejected(LeadErrorType::Unknown, clip(&message, secrets))
    };
    let mut resp = req.timeout(timeout).send().await.map_err(failed)?;
    let status = resp.status().as_u16();
    let mut body = Vec::new();
    while body.len() < BODY_LIMIT {
        match resp.chunk().await.map_err(failed)? {
            Some(chunk) => body.extend_from_slice(&chunk),
            None => break,
        }
    }
    body.truncate(BODY_LIMIT);
    let text = String::from_utf8_lossy(&body).into_owned();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    Ok(Reply { status, text, json })
}

/// `message` with every secret replaced by `****`.
pub(crate) fn scrub(message: &str, secrets: &[&str]) -> String {
    secrets
        .iter()
        .filter(|s| s.len() >= 3)
        .fold(message.to_owned(), |m, secret| m.replace(secret, "****"))
}

/// `message` scrubbed and cut to [`MESSAGE_LIMIT`] characters.
pub(crate) fn clip(message: &str, secrets: &[&str]) -> String {
    scrub(message.trim(), secrets).chars().take(MESSAGE_LIMIT).collect()
}

/// `"x is required"` / `"x, y are required"` as a `FixableInput` rejection naming the fields.
pub(crate) fn missing_fields(missing: Vec<String>) -> Delivery {
    let verb = if missing.len() == 1 { "is" } else { "are" };
    Delivery::Rejected {
        error_type: LeadErrorType::FixableInput,
        message: format!("{} {verb} required", missing.join(", ")),
        required_fields: missing,
    }
}

/// `base` (no trailing `/`) joined with `path`, parsed.
pub(crate) fn endpoint(base: &str, path: &str) -> std::result::Result<Url, Delivery> {
    Url::parse(&format!("{base}{path}"))
        .map_err(|_| Delivery::rejected(LeadErrorType::Unknown, "the advertiser URL is not valid"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clip_scrubs_and_truncates() {
        let long = format!("token s3cret leaked {}", "x".repeat(1000));
        let out = clip(&long, &["s3cret", ""]);
        assert!(out.starts_with("token **** leaked"));
        assert_eq!(out.chars().count(), MESSAGE_LIMIT);
    }
}
