//! Client of the Match-Trade lead-provider API (seed 000): OAuth password-grant token
//! (cached), then `POST /proxy/processing/api/accounts`, with the seed's statuses mapped to
//! lead error types.

use std::sync::Arc;
use std::time::Duration;

use brokercrm_core::Result;
use brokercrm_core::distribution::LeadErrorType;
use serde_json::{Value, json};

use super::AdapterEnv;
use super::common::{
    ConfigReader, Reply, clip, endpoint, missing_fields, scalar_text, send, within,
};
use super::template::render;
use super::tokens::TokenKey;
use super::types::{AdvertiserClient, Delivery, OutboundLead};

/// Config keys holding secrets.
pub(crate) const SECRET_KEYS: &[&str] = &["clientSecret", "password"];
/// Lead-source text when the config sets none.
const DEFAULT_LEAD_SOURCE: &str = "{offer}|{affiliate}|{lead_uuid}";
/// The seed's limit on `leadSource` ("maximum amount of signs is 255").
const LEAD_SOURCE_LIMIT: usize = 255;
/// Token lifetime assumed when the token response has no `expires_in`.
const DEFAULT_EXPIRES_IN: Duration = Duration::from_secs(600);
const TOKEN_PATH: &str = "/proxy/auth/oauth/token";
const ACCOUNTS_PATH: &str = "/proxy/processing/api/accounts";

/// A validated lead-provider config.
#[derive(Debug, Clone)]
struct Config {
    base_url: String,
    client_id: String,
    client_secret: String,
    username: String,
    password: String,
    offer_uuid: String,
    partner_id: i64,
    lead_source_template: String,
}

fn parse_config(config: &Value, allow_private: bool) -> Result<Config> {
    let mut r = ConfigReader::new(config);
    let base_url = r.base_url("baseUrl", allow_private);
    let client_id = r.required_str("clientId");
    let client_secret = r.required_str("clientSecret");
    let username = r.required_str("username");
    let password = r.required_str("password");
    let offer_uuid = r.required_str("offerUuid");
    if offer_uuid.as_deref().is_some_and(|s| uuid::Uuid::parse_str(s).is_err()) {
        r.bad("offerUuid", "must be a UUID");
    }
    let partner_id = match r.get("partnerId") {
        Some(Value::Number(n)) => n.as_i64().filter(|id| *id >= 0),
        Some(Value::String(s)) => s.trim().parse::<i64>().ok().filter(|id| *id >= 0),
        _ => None,
    };
    if partner_id.is_none() {
        r.bad("partnerId", "must be a non-negative integer");
    }
    let template = r.optional_str("leadSourceTemplate");
    let parsed = (base_url, client_id, client_secret, username, password, offer_uuid, partner_id);
    r.finish()?;
    match parsed {
        (
            Some(base_url),
            Some(client_id),
            Some(client_secret),
            Some(username),
            Some(password),
            Some(offer_uuid),
            Some(partner_id),
        ) => Ok(Config {
            base_url,
            client_id,
            client_secret,
            username,
            password,
            offer_uuid,
            partner_id,
            lead_source_template: template.unwrap_or_else(|| DEFAULT_LEAD_SOURCE.to_owned()),
        }),
        _ => {
            Err(brokercrm_core::Error::internal("lead_provider config incomplete after validation"))
        }
    }
}

/// Checks a lead-provider config.
pub(crate) fn validate(config: &Value, allow_private: bool) -> Result<()> {
    parse_config(config, allow_private).map(|_| ())
}

/// Builds a lead-provider client sharing `env`'s HTTP client and token cache.
pub(crate) fn build(config: &Value, env: &AdapterEnv) -> Result<Arc<dyn AdvertiserClient>> {
    let cfg = parse_config(config, env.allow_private)?;
    let key = TokenKey {
        base_url: cfg.base_url.clone(),
        client_id: cfg.client_id.clone(),
        username: cfg.username.clone(),
    };
    Ok(Arc::new(LeadProviderClient { cfg, key, env: env.clone() }))
}

struct LeadProviderClient {
    cfg: Config,
    key: TokenKey,
    env: AdapterEnv,
}

/// Renders the lead-source template and cuts it to the seed's 255 characters.
fn lead_source(template: &str, lead: &OutboundLead) -> String {
    let text = render(template, "{", "}", |key| match key {
        "offer" => lead.offer_name.clone().unwrap_or_default(),
        "affiliate" => lead.affiliate_id.map(|id| id.to_string()).unwrap_or_default(),
        "lead_uuid" => lead.lead_uuid.clone(),
        "country" => lead.country.clone().unwrap_or_default(),
        "language" => lead.language.clone().unwrap_or_default(),
        other => lead.profile.get(other).cloned().unwrap_or_default(),
    });
    text.chars().take(LEAD_SOURCE_LIMIT).collect()
}

/// The required fields (email, names, phone) by our keys, or the `FixableInput` rejection.
fn required<'a>(lead: &'a OutboundLead) -> std::result::Result<[&'a str; 4], Delivery> {
    let fields = [
        ("email", &lead.email),
        ("first_name", &lead.first_name),
        ("last_name", &lead.last_name),
        ("phone", &lead.phone),
    ];
    let value = |v: &'a Option<String>| v.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let missing: Vec<String> =
        fields.iter().filter(|(_, v)| value(v).is_none()).map(|(k, _)| (*k).to_owned()).collect();
    if !missing.is_empty() {
        return Err(missing_fields(missing));
    }
    let [e, f, l, p] = fields.map(|(_, v)| value(v).unwrap_or_default());
    Ok([e, f, l, p])
}

impl LeadProviderClient {
    fn secrets<'a>(&'a self, token: &'a str) -> [&'a str; 3] {
        [&self.cfg.client_secret, &self.cfg.password, token]
    }

    /// A cached token, or a fresh one from the token endpoint.
    async fn token(&self, timeout: Duration) -> std::result::Result<String, Delivery> {
        self.env.tokens.get_or_fetch(&self.key, || self.fetch_token(timeout)).await
    }

    async fn fetch_token(
        &self,
        timeout: Duration,
    ) -> std::result::Result<(String, Duration), Delivery> {
        let url = endpoint(&self.cfg.base_url, TOKEN_PATH)?;
        let form = [
            ("grant_type", "password"),
            ("username", self.cfg.username.as_str()),
            ("password", self.cfg.password.as_str()),
        ];
        let req = self.env.http.post(&url).map(|r| {
            r.basic_auth(&self.cfg.client_id, Some(&self.cfg.client_secret))
                .header(reqwest::header::ACCEPT, "application/json")
                .form(&form)
        });
        let reply = send(req, timeout, &self.secrets("")).await?;
        let token = reply.field(&["access_token"]);
        match (reply.status, token) {
            (200..=299, Some(token)) => {
                let expires_in = reply
                    .json
                    .get("expires_in")
                    .and_then(|v| v.as_u64().or_else(|| v.as_f64().map(|f| f.max(0.0) as u64)));
                let expires_in = expires_in.map_or(DEFAULT_EXPIRES_IN, Duration::from_secs);
                Ok((token, expires_in))
            }
            (200..=299, None) => Err(Delivery::rejected(
                LeadErrorType::Unknown,
                "advertiser token response has no access_token",
            )),
            (400 | 401 | 403, _) => {
                Err(Delivery::rejected(LeadErrorType::Unknown, "advertiser authentication failed"))
            }
            (status, _) => Err(Delivery::rejected(
                LeadErrorType::Unknown,
                format!("advertiser token endpoint returned HTTP {status}"),
            )),
        }
    }

    async fn create(
        &self,
        token: &str,
        body: &Value,
        timeout: Duration,
    ) -> std::result::Result<Reply, Delivery> {
        let url = endpoint(&self.cfg.base_url, ACCOUNTS_PATH)?;
        let req = self.env.http.post(&url).map(|r| {
            r.bearer_auth(token).header(reqwest::header::ACCEPT, "application/json").json(body)
        });
        send(req, timeout, &self.secrets(token)).await
    }

    /// One account creation with the current token; returns the reply and the token used.
    async fn attempt(
        &self,
        body: &Value,
        timeout: Duration,
    ) -> std::result::Result<(Reply, String), Delivery> {
        let token = self.token(timeout).await?;
        let reply = self.create(&token, body, timeout).await?;
        Ok((reply, token))
    }

    async fn run(&self, lead: &OutboundLead, timeout: Duration) -> Delivery {
        let [email, first_name, last_name, phone] = match required(lead) {
            Ok(fields) => fields,
            Err(rejected) => return rejected,
        };
        let body = json!({
            "offerUuid": self.cfg.offer_uuid,
            "account": {
                "partnerId": self.cfg.partner_id,
                "email": email,
                "name": first_name,
                "surname": last_name,
                "phone": phone,
                "leadInfo": { "leadSource": lead_source(&self.cfg.lead_source_template, lead) },
            },
        });
        let (reply, token) = match self.attempt(&body, timeout).await {
            Ok((reply, token)) if reply.status == 401 => {
                // The token was refused (expired or revoked early): forget it, retry once.
                self.env.tokens.invalidate(&self.key, &token).await;
                match self.attempt(&body, timeout).await {
                    Ok(done) => done,
                    Err(rejected) => return rejected,
                }
            }
            Ok(done) => done,
            Err(rejected) => return rejected,
        };
        map_reply(&reply, &self.secrets(&token))
    }
}

/// Maps the account-creation reply to a delivery, per the seed's statuses.
fn map_reply(reply: &Reply, secrets: &[&str]) -> Delivery {
    if (200..300).contains(&reply.status) {
        let nested = reply.json.get("account").filter(|v| v.is_object());
        let pick = |keys: &[&str]| {
            reply.field(keys).or_else(|| {
                nested.and_then(|a| keys.iter().find_map(|k| a.get(*k).and_then(scalar_text)))
            })
        };
        return Delivery::Accepted {
            external_id: pick(&["uuid", "id", "accountUuid"]),
            auto_login_url: pick(&["autoLoginUrl", "auto_login_url", "loginUrl"]),
        };
    }
    let said = reply.json.get("message").and_then(scalar_text);
    let said = said.unwrap_or_else(|| format!("HTTP {}", reply.status));
    let (error_type, hint) = match reply.status {
        400 => (LeadErrorType::InvalidData, None),
        401 => (LeadErrorType::Unknown, Some("advertiser refused the access token")),
        404 => (LeadErrorType::Unknown, Some("offer not found at advertiser")),
        409 => (LeadErrorType::DuplicationError, None),
        500 => (LeadErrorType::InvalidData, Some("partner id rejected")),
        _ => (LeadErrorType::Unknown, None),
    };
    let message = match hint {
        Some(hint) => format!("{hint}: {said}"),
        None => said,
    };
    Delivery::rejected(error_type, clip(&message, secrets))
}

#[async_trait::async_trait]
impl AdvertiserClient for LeadProviderClient {
    async fn deliver(&self, lead: &OutboundLead, timeout: Duration) -> Delivery {
        within(timeout, self.run(lead, timeout)).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lead_source_renders_and_truncates() {
        let lead = OutboundLead {
            lead_uuid: "u1".into(),
            offer_name: Some("Offer".into()),
            affiliate_id: Some(7),
            ..OutboundLead::default()
        };
        assert_eq!(lead_source(DEFAULT_LEAD_SOURCE, &lead), "Offer|7|u1");
        let long = OutboundLead { offer_name: Some("é".repeat(400)), ..lead };
        assert_eq!(lead_source(DEFAULT_LEAD_SOURCE, &long).chars().count(), LEAD_SOURCE_LIMIT);
    }
}
