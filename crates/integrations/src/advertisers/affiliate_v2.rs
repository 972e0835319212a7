//! Client of the affiliate lead API v2 (seed 001) of another lead distributor: `POST
//! /api/affiliates/v2/leads` with the raw token, seed error bodies mapped to lead error types.

use std::sync::Arc;
use std::time::Duration;

use brokercrm_core::Result;
use brokercrm_core::distribution::LeadErrorType;
use serde_json::{Map, Value};

use super::AdapterEnv;
use super::common::{ConfigReader, Reply, clip, endpoint, scalar_text, send, within};
use super::types::{AdvertiserClient, Delivery, OutboundLead};

/// Config keys holding secrets.
pub(crate) const SECRET_KEYS: &[&str] = &["token"];
const LEADS_PATH: &str = "/api/affiliates/v2/leads";

/// A validated affiliate-v2 config.
#[derive(Debug, Clone)]
struct Config {
    base_url: String,
    token: String,
    offer_id: Option<String>,
    affiliate_id: Option<String>,
    extra_fields: Vec<(String, String)>,
}

fn parse_config(config: &Value, allow_private: bool) -> Result<Config> {
    let mut r = ConfigReader::new(config);
    let base_url = r.base_url("baseUrl", allow_private);
    let token = r.required_str("token");
    if token.as_deref().is_some_and(|t| reqwest::header::HeaderValue::from_str(t).is_err()) {
        r.bad("token", "must be printable text");
    }
    let offer_id = r.optional_str("offerId");
    let affiliate_id = r.optional_str("affiliateId");
    let extra_fields = r.string_map("extraFields");
    r.finish()?;
    match (base_url, token) {
        (Some(base_url), Some(token)) => {
            Ok(Config { base_url, token, offer_id, affiliate_id, extra_fields })
        }
        _ => {
            Err(brokercrm_core::Error::internal("affiliate_v2 config incomplete after validation"))
        }
    }
}

/// Checks an affiliate-v2 config.
pub(crate) fn validate(config: &Value, allow_private: bool) -> Result<()> {
    parse_config(config, allow_private).map(|_| ())
}

/// Builds an affiliate-v2 client on `env`'s HTTP client.
pub(crate) fn build(config: &Value, env: &AdapterEnv) -> Result<Arc<dyn AdvertiserClient>> {
    let cfg = parse_config(config, env.allow_private)?;
    Ok(Arc::new(AffiliateV2Client { cfg, env: env.clone() }))
}

struct AffiliateV2Client {
    cfg: Config,
    env: AdapterEnv,
}

/// The push body: profile keys, then the config's constant fields, then the seed's named
/// fields on top (absent values skipped).
fn push_body(cfg: &Config, lead: &OutboundLead) -> Value {
    let mut body: Map<String, Value> =
        lead.profile.iter().map(|(k, v)| (k.clone(), Value::String(v.clone()))).collect();
    for (k, v) in &cfg.extra_fields {
        body.insert(k.clone(), Value::String(v.clone()));
    }
    let named = [
        ("country_code", &lead.country),
        ("lead_language", &lead.language),
        ("email", &lead.email),
        ("first_name", &lead.first_name),
        ("last_name", &lead.last_name),
        ("phone", &lead.phone),
        ("password", &lead.password),
        ("offer_id", &cfg.offer_id),
        ("affiliate_id", &cfg.affiliate_id),
    ];
    for (key, value) in named {
        if let Some(v) = value {
            body.insert(key.to_owned(), Value::String(v.clone()));
        }
    }
    body.insert("ip".to_owned(), Value::String(lead.ip.clone()));
    body.insert("is_test".to_owned(), Value::Bool(lead.is_test));
    Value::Object(body)
}

/// Keys of `requiredResponseFields`: strings, or objects with `key`, `field` or `name`.
fn required_fields(data: Option<&Value>) -> Vec<String> {
    let items = data.and_then(|d| d.get("requiredResponseFields")).and_then(Value::as_array);
    items
        .into_iter()
        .flatten()
        .filter_map(|item| match item {
            Value::Object(o) => {
                ["key", "field", "name"].iter().find_map(|k| o.get(*k).and_then(scalar_text))
            }
            Value::String(s) => Some(s.trim().to_owned()).filter(|s| !s.is_empty()),
            _ => None,
        })
        .collect()
}

/// Maps the push reply to a delivery.
fn map_reply(reply: &Reply, secrets: &[&str]) -> Delivery {
    let data = reply.json.get("data").filter(|d| d.is_object());
    let said = data
        .and_then(|d| d.get("errorMessage"))
        .and_then(scalar_text)
        .or_else(|| reply.field(&["message"]));
    let status_message = |what: &str| match &said {
        Some(m) => format!("advertiser returned HTTP {} ({what}): {m}", reply.status),
        None => format!("advertiser returned HTTP {} ({what})", reply.status),
    };
    match reply.status {
        200..=299 => Delivery::Accepted {
            external_id: reply.field(&["lead_uuid", "leadUuid"]),
            auto_login_url: reply.field(&["auto_login_url", "autoLoginUrl"]),
        },
        400 => {
            let error_type = data
                .and_then(|d| d.get("errorType"))
                .and_then(Value::as_str)
                .or_else(|| reply.json.get("type").and_then(Value::as_str))
                .and_then(|t| LeadErrorType::parse(t.trim()))
                .unwrap_or(LeadErrorType::Unknown);
            Delivery::Rejected {
                error_type,
                message: clip(&said.unwrap_or_else(|| "HTTP 400".to_owned()), secrets),
                required_fields: required_fields(data),
            }
        }
        422 => {
            let kind = reply.json.get("type").and_then(Value::as_str);
            let data_kind = data.and_then(|d| d.get("errorType")).and_then(Value::as_str);
            let error_type = if kind == Some("FIXABLE_INPUT") || data_kind == Some("FIXABLE_INPUT")
            {
                LeadErrorType::FixableInput
            } else {
                LeadErrorType::InvalidData
            };
            Delivery::Rejected {
                error_type,
                message: clip(&said.unwrap_or_else(|| "HTTP 422".to_owned()), secrets),
                required_fields: required_fields(data),
            }
        }
        401 => Delivery::rejected(
            LeadErrorType::Unknown,
            clip(&status_message("unauthorized"), secrets),
        ),
        404 => Delivery::rejected(
            LeadErrorType::Unknown,
            clip(&status_message("route not found"), secrets),
        ),
        410 => Delivery::rejected(
            LeadErrorType::Unknown,
            clip(&status_message("API version not supported"), secrets),
        ),
        415 => Delivery::rejected(
            LeadErrorType::Unknown,
            clip(&status_message("unsupported content type"), secrets),
        ),
        429 => Delivery::rejected(
            LeadErrorType::Unknown,
            clip(&status_message("rate limited"), secrets),
        ),
        500..=599 => Delivery::rejected(
            LeadErrorType::Unknown,
            clip(&status_message("server error"), secrets),
        ),
        _ => Delivery::rejected(
            LeadErrorType::Unknown,
            clip(&status_message("unexpected status"), secrets),
        ),
    }
}

impl AffiliateV2Client {
    async fn run(&self, lead: &OutboundLead, timeout: Duration) -> Delivery {
        let url = match endpoint(&self.cfg.base_url, LEADS_PATH) {
            Ok(url) => url,
            Err(rejected) => return rejected,
        };
        let req = self.env.http.post(&url).map(|r| {
            r.header(reqwest::header::AUTHORIZATION, &self.cfg.token)
                .header(reqwest::header::ACCEPT, "application/json")
                .json(&push_body(&self.cfg, lead))
        });
        let secrets = [self.cfg.token.as_str()];
        match send(req, timeout, &secrets).await {
            Ok(reply) => map_reply(&reply, &secrets),
            Err(rejected) => rejected,
        }
    }
}

#[async_trait::async_trait]
impl AdvertiserClient for AffiliateV2Client {
    async fn deliver(&self, lead: &OutboundLead, timeout: Duration) -> Delivery {
        within(timeout, self.run(lead, timeout)).await
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn required_fields_accept_strings_and_objects() {
        let data = json!({"requiredResponseFields": ["phone", {"key": "email", "value": "x"},
            {"field": "first_name"}, {"name": "aff_sub"}, 3, {}]});
        assert_eq!(required_fields(Some(&data)), ["phone", "email", "first_name", "aff_sub"]);
        assert!(required_fields(None).is_empty());
    }
}
