//! The configurable HTTP/JSON advertiser adapter: method, URL, headers and body are
//! templates over the lead's values; success, ids and messages are read by JSON pointers.

use std::sync::Arc;
use std::time::Duration;

use brokercrm_core::Result;
use brokercrm_core::distribution::LeadErrorType;
use reqwest::Method;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::Value;
use url::Url;

use super::AdapterEnv;
use super::common::{ConfigReader, Reply, clip, missing_fields, scalar_text, send, within};
use super::template::{has_value, lead_values, render, render_json, render_text, render_url};
use super::types::{AdvertiserClient, Delivery, OutboundLead};
use crate::outbound::check_target;

/// Config keys holding secrets: every value of `headers` (the whole object is masked).
pub(crate) const SECRET_KEYS: &[&str] = &["headers"];
/// Rejection texts that mean "already there", when the config sets none.
const DEFAULT_DUPLICATE_PATTERNS: [&str; 2] = ["duplicate", "already exist"];
/// Headers the transport owns.
const RESERVED_HEADERS: [&str; 4] = ["host", "content-length", "transfer-encoding", "connection"];

/// A validated template config.
#[derive(Debug, Clone)]
struct Config {
    method: Method,
    url: String,
    headers: Vec<(HeaderName, String)>,
    body: Option<Value>,
    success_status: Option<Vec<u16>>,
    success_pointer: Option<String>,
    success_value: Option<Value>,
    external_id_pointer: Option<String>,
    auto_login_pointer: Option<String>,
    message_pointer: Option<String>,
    duplicate_patterns: Vec<String>,
    required_fields: Vec<String>,
}

/// The `host[:port]` part of a URL template, if it has one.
fn authority(url: &str) -> Option<&str> {
    let rest = url.split_once("://")?.1;
    Some(rest.split(['/', '?', '#']).next().unwrap_or(rest))
}

fn parse_url(r: &mut ConfigReader<'_>, allow_private: bool) -> Option<String> {
    let raw = r.required_str("url")?;
    let sample = render(&raw, "{{", "}}", |_| "placeholder".to_owned());
    let checked = match Url::parse(&sample) {
        Err(_) => Err("must be an absolute URL".to_owned()),
        Ok(_) if authority(&raw).is_some_and(|a| a.contains("{{")) => Ok(()),
        Ok(url) => check_target(&url, allow_private).map_err(|e| e.public_message()),
    };
    match checked {
        Ok(()) => Some(raw),
        Err(message) => {
            r.bad("url", &message);
            None
        }
    }
}

fn pointer(r: &mut ConfigReader<'_>, key: &str) -> Option<String> {
    let p = r.optional_str(key)?;
    if !p.starts_with('/') {
        r.bad(key, "must be a JSON pointer starting with /");
        return None;
    }
    Some(p)
}

fn parse_config(config: &Value, allow_private: bool) -> Result<Config> {
    let mut r = ConfigReader::new(config);
    let method = match r.optional_str("method").map(|m| m.to_ascii_uppercase()).as_deref() {
        None | Some("POST") => Some(Method::POST),
        Some("GET") => Some(Method::GET),
        Some("PUT") => Some(Method::PUT),
        Some(_) => {
            r.bad("method", "must be POST, GET or PUT");
            None
        }
    };
    let url = parse_url(&mut r, allow_private);
    let mut headers = Vec::new();
    for (name, value) in r.string_map("headers") {
        let field = format!("headers.{name}");
        match HeaderName::from_bytes(name.trim().as_bytes()) {
            Ok(h) if RESERVED_HEADERS.contains(&h.as_str()) => r.bad(&field, "cannot be set"),
            Ok(_) if HeaderValue::from_str(&value).is_err() => {
                r.bad(&field, "is not a valid header value")
            }
            Ok(h) => headers.push((h, value)),
            Err(_) => r.bad(&field, "is not a valid header name"),
        }
    }
    let body = r.get("body").cloned();
    let success_status = match r.get("successStatus") {
        None => None,
        Some(Value::Array(items)) => {
            let codes: Vec<u16> = items
                .iter()
                .filter_map(Value::as_u64)
                .filter(|c| (100..=599).contains(c))
                .filter_map(|c| u16::try_from(c).ok())
                .collect();
            if codes.len() != items.len() || codes.is_empty() {
                r.bad("successStatus", "must be a non-empty array of HTTP status codes");
            }
            Some(codes)
        }
        Some(_) => {
            r.bad("successStatus", "must be an array of HTTP status codes");
            None
        }
    };
    let success_pointer = pointer(&mut r, "successPointer");
    let success_value = r.get("successValue").cloned();
    if success_value.is_some() && success_pointer.is_none() {
        r.bad("successValue", "needs successPointer");
    }
    let external_id_pointer = pointer(&mut r, "externalIdPointer");
    let auto_login_pointer = pointer(&mut r, "autoLoginPointer");
    let message_pointer = pointer(&mut r, "messagePointer");
    let duplicate_patterns = r
        .string_list("duplicatePatterns")
        .unwrap_or_else(|| DEFAULT_DUPLICATE_PATTERNS.map(str::to_owned).to_vec())
        .into_iter()
        .map(|p| p.to_lowercase())
        .collect();
    let required_fields = r.string_list("requiredFields").unwrap_or_default();
    r.finish()?;
    match (method, url) {
        (Some(method), Some(url)) => Ok(Config {
            method,
            url,
            headers,
            body,
            success_status,
            success_pointer,
            success_value,
            external_id_pointer,
            auto_login_pointer,
            message_pointer,
            duplicate_patterns,
            required_fields,
        }),
        _ => {
            Err(brokercrm_core::Error::internal("http_template config incomplete after validation"))
        }
    }
}

/// Checks a template config.
pub(crate) fn validate(config: &Value, allow_private: bool) -> Result<()> {
    parse_config(config, allow_private).map(|_| ())
}

/// Builds a template client on `env`'s HTTP client.
pub(crate) fn build(config: &Value, env: &AdapterEnv) -> Result<Arc<dyn AdvertiserClient>> {
    let cfg = parse_config(config, env.allow_private)?;
    Ok(Arc::new(HttpTemplateClient { cfg, env: env.clone() }))
}

struct HttpTemplateClient {
    cfg: Config,
    env: AdapterEnv,
}

/// Top-level scalars of a rendered body as text pairs (query string or form).
fn flat_pairs(body: &Value) -> Vec<(String, String)> {
    let Some(obj) = body.as_object() else { return Vec::new() };
    obj.iter()
        .filter(|(_, v)| !v.is_null())
        .map(|(k, v)| (k.clone(), v.as_str().map_or_else(|| v.to_string(), str::to_owned)))
        .collect()
}

/// A value as comparable text (strings bare, numbers and bools printed).
fn text_of(v: &Value) -> Option<String> {
    match v {
        Value::Bool(b) => Some(b.to_string()),
        other => scalar_text(other),
    }
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null | Value::Bool(false) => false,
        Value::String(s) => !s.is_empty(),
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        _ => true,
    }
}

impl HttpTemplateClient {
    fn secrets(&self) -> Vec<&str> {
        self.cfg.headers.iter().map(|(_, v)| v.as_str()).collect()
    }

    fn at(&self, reply: &Reply, pointer: Option<&String>) -> Option<String> {
        pointer.and_then(|p| reply.json.pointer(p)).and_then(text_of)
    }

    fn succeeded(&self, reply: &Reply) -> (bool, bool) {
        let status_ok = match &self.cfg.success_status {
            Some(codes) => codes.contains(&reply.status),
            None => (200..300).contains(&reply.status),
        };
        let found = self.cfg.success_pointer.as_ref().map(|p| reply.json.pointer(p));
        let body_ok = match (found, &self.cfg.success_value) {
            (None, _) => true,
            (Some(None), _) => false,
            (Some(Some(v)), Some(expected)) => {
                v == expected || text_of(v).is_some_and(|t| Some(t) == text_of(expected))
            }
            (Some(Some(v)), None) => truthy(v),
        };
        (status_ok, body_ok)
    }

    fn map_reply(&self, reply: &Reply) -> Delivery {
        let secrets = self.secrets();
        let (status_ok, body_ok) = self.succeeded(reply);
        if status_ok && body_ok {
            return Delivery::Accepted {
                external_id: self.at(reply, self.cfg.external_id_pointer.as_ref()),
                auto_login_url: self.at(reply, self.cfg.auto_login_pointer.as_ref()),
            };
        }
        let said = self
            .at(reply, self.cfg.message_pointer.as_ref())
            .or_else(|| reply.field(&["message", "error", "errorMessage", "error_message"]))
            .or_else(|| Some(reply.text.trim().to_owned()).filter(|t| !t.is_empty()));
        let message = match said {
            Some(m) => format!("HTTP {}: {m}", reply.status),
            None => format!("HTTP {}", reply.status),
        };
        let haystack = format!("{}\n{}", message, reply.text).to_lowercase();
        let duplicate = self.cfg.duplicate_patterns.iter().any(|p| haystack.contains(p.as_str()));
        let error_type = match reply.status {
            200..=299 | 400..=499 if duplicate => LeadErrorType::DuplicationError,
            200..=299 => LeadErrorType::BlockedByAdvertiser,
            400 | 422 => LeadErrorType::InvalidData,
            401 | 403 | 408 | 429 => LeadErrorType::Unknown,
            400..=499 => LeadErrorType::BlockedByAdvertiser,
            _ => LeadErrorType::Unknown,
        };
        Delivery::rejected(error_type, clip(&message, &secrets))
    }

    async fn run(&self, lead: &OutboundLead, timeout: Duration) -> Delivery {
        let values = lead_values(lead);
        let missing: Vec<String> =
            self.cfg.required_fields.iter().filter(|k| !has_value(&values, k)).cloned().collect();
        if !missing.is_empty() {
            return missing_fields(missing);
        }
        let Ok(mut url) = Url::parse(&render_url(&self.cfg.url, &values)) else {
            return Delivery::rejected(
                LeadErrorType::Unknown,
                "the advertiser URL is not valid after substitution",
            );
        };
        let body = self.cfg.body.as_ref().map(|t| render_json(t, &values));
        if let (&Method::GET, Some(body)) = (&self.cfg.method, &body) {
            url.query_pairs_mut().extend_pairs(flat_pairs(body));
        }
        let mut headers = Vec::with_capacity(self.cfg.headers.len());
        let mut form = false;
        for (name, template) in &self.cfg.headers {
            let Ok(value) = HeaderValue::from_str(&render_text(template, &values)) else {
                let message = format!("header {name} is not valid after substitution");
                return Delivery::rejected(LeadErrorType::InvalidData, message);
            };
            form |= *name == reqwest::header::CONTENT_TYPE
                && value.to_str().is_ok_and(|v| v.contains("x-www-form-urlencoded"));
            headers.push((name.clone(), value));
        }
        let req = self.env.http.request(self.cfg.method.clone(), &url).map(|mut req| {
            for (name, value) in headers {
                req = req.header(name, value);
            }
            match (&self.cfg.method, body) {
                (&Method::GET, _) | (_, None) => req,
                (_, Some(body)) if form => req.form(&flat_pairs(&body)),
                (_, Some(body)) => req.json(&body),
            }
        });
        let secrets = self.secrets();
        match send(req, timeout, &secrets).await {
            Ok(reply) => self.map_reply(&reply),
            Err(rejected) => rejected,
        }
    }
}

#[async_trait::async_trait]
impl AdvertiserClient for HttpTemplateClient {
    async fn deliver(&self, lead: &OutboundLead, timeout: Duration) -> Delivery {
        within(timeout, self.run(lead, timeout)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authority_of_templates() {
        assert_eq!(authority("https://{{x}}.io/a"), Some("{{x}}.io"));
        assert_eq!(authority("https://api.io/{{lead_uuid}}?a=1"), Some("api.io"));
        assert_eq!(authority("nope"), None);
    }
}
