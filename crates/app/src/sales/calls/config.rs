//! The VoIP provider set-up: which provider is current, each one's URL, Voiso's API key
//! (encrypted at rest, masked when read), availability, and the webhook URL to give the
//! provider.

use brokercrm_core::Error;
use brokercrm_core::Result;
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::sales::calls::Provider;
use brokercrm_store::db;
use brokercrm_store::repo::platform::settings;
use serde_json::{Value, json};

use crate::platform::audit::{self, Audit};
use crate::platform::mask::{mask_json, mask_secret};
use crate::platform::settings::providers::{VoipConfig, voip as legacy_voip};
use crate::platform::url_guard::check_url;
use crate::{App, Principal};

/// Setting keys of the current provider (`"voiso"` or `"coperato"`), Voiso's URL and sealed
/// API key, and Coperato's URL (in the settings registry).
pub use crate::platform::settings::keys::{
    CALLS_COPERATO_KEY as COPERATO_KEY, CALLS_PROVIDER_KEY as PROVIDER_KEY,
    CALLS_VOISO_KEY as VOISO_KEY,
};
/// Prefix of the generated webhook secrets (hidden: `system.*`).
const WEBHOOK_SECRET_PREFIX: &str = "system.voip_webhook_secret.";

fn key_of(p: Provider) -> &'static str {
    match p {
        Provider::Voiso => VOISO_KEY,
        Provider::Coperato => COPERATO_KEY,
    }
}

/// What is needed to talk to one provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderConfig {
    pub provider: Provider,
    pub url: Option<String>,
    /// Voiso only, in clear (never returned to clients).
    pub api_key: Option<String>,
}

impl ProviderConfig {
    /// Whether calls can be started: a URL, and for Voiso an API key.
    pub fn usable(&self) -> bool {
        self.url.is_some() && (self.provider == Provider::Coperato || self.api_key.is_some())
    }
}

/// "Check if VoIP provider is available".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Availability {
    pub available: bool,
    pub provider: Option<Provider>,
}

async fn load(app: &App, key: &str) -> Result<Option<Value>> {
    Ok(settings::get(app.db().conn(), key)
        .await?
        .and_then(|r| serde_json::from_str::<Value>(&r.value).ok()))
}

/// The current provider: `calls.provider`, else the Settings tag's VoIP provider.
pub async fn current(app: &App) -> Result<Option<Provider>> {
    if let Some(v) = load(app, PROVIDER_KEY).await? {
        return Ok(Provider::parse("provider", v.as_str()).ok());
    }
    Ok(legacy_voip(app).await?.map(|c| match c {
        VoipConfig::Voiso { .. } => Provider::Voiso,
        VoipConfig::Coperato { .. } => Provider::Coperato,
    }))
}

/// The set-up of `p` (the API key decrypted).
pub async fn provider_config(app: &App, p: Provider) -> Result<ProviderConfig> {
    let stored = load(app, key_of(p)).await?.unwrap_or(Value::Null);
    let mut url = stored.get("url").and_then(Value::as_str).map(str::to_owned);
    let mut api_key = match stored.get("sealedApiKey").and_then(Value::as_str) {
        Some(sealed) => Some(
            String::from_utf8(app.data_key().open(VOISO_KEY.as_bytes(), sealed)?)
                .map_err(Error::internal)?,
        ),
        None => None,
    };
    match legacy_voip(app).await? {
        Some(VoipConfig::Voiso { url: u, api_key: k }) if p == Provider::Voiso => {
            url = url.or(Some(u));
            api_key = api_key.or(Some(k));
        }
        Some(VoipConfig::Coperato { url: u }) if p == Provider::Coperato => url = url.or(Some(u)),
        _ => {}
    }
    Ok(ProviderConfig { provider: p, url, api_key })
}

/// Reads `key` for update, lets `change` edit its JSON value, stores and audits it (values
/// masked in the audit log). Returns nothing: the API answers `{"success": true}`.
async fn update(
    app: &App,
    actor: &Principal,
    key: &str,
    secret: bool,
    kind: &str,
    change: impl FnOnce(&mut Value),
) -> Result<()> {
    let tx = app.db().begin_write().await?;
    let old = settings::get_for_update(&tx, key)
        .await?
        .and_then(|r| serde_json::from_str::<Value>(&r.value).ok());
    let mut value = old.clone().unwrap_or(Value::Null);
    change(&mut value);
    settings::put(&tx, key, &value.to_string(), secret).await?;
    let mut entry = Audit::new(kind, "setting", key)
        .details(format!("setting '{key}' updated"))
        .after(&mask_json(&json!({ "value": value })));
    if let Some(o) = &old {
        entry = entry.before(&mask_json(&json!({ "value": o })));
    }
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await
}

fn set_field(v: &mut Value, field: &str, val: Value) {
    if !v.is_object() {
        *v = json!({});
    }
    if let Some(m) = v.as_object_mut() {
        m.insert(field.to_owned(), val);
    }
}

/// "Update VoIP URL": the URL of `provider` (`variableValue`, http(s), no internal hosts).
pub async fn set_url(
    app: &App,
    actor: &Principal,
    provider: Option<&str>,
    value: Option<&str>,
) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let mut v = brokercrm_core::error::Violations::new();
    let p = v.check(Provider::parse("provider", provider));
    let url = v.check(check_url(app, "variableValue", value.unwrap_or("")));
    v.finish()?;
    let (Some(p), Some(url)) = (p, url) else { return Err(Error::internal("unreachable")) };
    update(app, actor, key_of(p), p == Provider::Voiso, "calls.url", |val| {
        set_field(val, "url", Value::String(url));
    })
    .await
}

/// "Update the VoIP provider".
pub async fn set_current(app: &App, actor: &Principal, provider: Option<&str>) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let p = Provider::parse("provider", provider)?;
    update(app, actor, PROVIDER_KEY, false, "calls.provider", |val| {
        *val = Value::String(p.as_str().to_owned());
    })
    .await
}

/// "Update API key for Voiso provider": sealed with the data key before it is stored.
pub async fn set_api_key(
    app: &App,
    actor: &Principal,
    provider: Option<&str>,
    value: Option<&str>,
) -> Result<()> {
    actor.require(Permission::ManageSettings)?;
    let mut v = brokercrm_core::error::Violations::new();
    match Provider::parse("provider", provider) {
        Ok(Provider::Voiso) => {}
        Ok(Provider::Coperato) => v.push("provider", "only \"voiso\" has an API key"),
        Err(e) => {
            v.check::<()>(Err(e));
        }
    }
    let key =
        v.check(crate::platform::settings::providers::secret("variableValue", value.unwrap_or("")));
    v.finish()?;
    let Some(key) = key else { return Err(Error::internal("unreachable")) };
    let sealed = app.data_key().seal(VOISO_KEY.as_bytes(), key.as_bytes())?;
    update(app, actor, VOISO_KEY, true, "calls.api_key", |val| {
        set_field(val, "sealedApiKey", Value::String(sealed));
    })
    .await
}

/// "Get VoIP provider API key": Voiso's key, masked (`abcd****`); `None` when unset.
pub async fn api_key(
    app: &App,
    actor: &Principal,
    provider: Option<&str>,
) -> Result<Option<String>> {
    actor.require(Permission::ReadSettings)?;
    if Provider::parse("provider", provider)? != Provider::Voiso {
        return Err(Error::field("provider", "only \"voiso\" has an API key"));
    }
    let cfg = provider_config(app, Provider::Voiso).await?;
    Ok(cfg.api_key.as_deref().map(mask_secret))
}

/// "Get current VoIP provider".
pub async fn get_current(app: &App, actor: &Principal) -> Result<Option<Provider>> {
    actor.require(Permission::ReadSettings)?;
    current(app).await
}

/// "Check if VoIP provider is available": the current provider and whether it is set up
/// enough to place calls. Any staff member may ask (the agent UI shows the call button).
pub async fn availability(app: &App, actor: &Principal) -> Result<Availability> {
    actor.require_staff()?;
    let Some(p) = current(app).await? else {
        return Ok(Availability { available: false, provider: None });
    };
    let available = provider_config(app, p).await?.usable();
    Ok(Availability { available, provider: Some(p) })
}

/// The webhook secret of `p`, generated (and sealed) on first use.
pub(crate) async fn webhook_secret(app: &App, p: Provider) -> Result<String> {
    let key = format!("{WEBHOOK_SECRET_PREFIX}{}", p.as_str());
    let fresh = crate::identity::security::random_token(32);
    let sealed = app.data_key().seal(key.as_bytes(), fresh.as_bytes())?;
    let tx = app.db().begin_write().await?;
    let stored = settings::put_if_absent(&tx, &key, &sealed, true).await?;
    db::commit(tx).await?;
    String::from_utf8(app.data_key().open(key.as_bytes(), &stored)?).map_err(Error::internal)
}

/// The stored webhook secret of `p`, if one was ever generated.
pub(crate) async fn existing_webhook_secret(app: &App, p: Provider) -> Result<Option<String>> {
    let key = format!("{WEBHOOK_SECRET_PREFIX}{}", p.as_str());
    match settings::get(app.db().conn(), &key).await? {
        Some(r) => Ok(Some(
            String::from_utf8(app.data_key().open(key.as_bytes(), &r.value)?)
                .map_err(Error::internal)?,
        )),
        None => Ok(None),
    }
}

/// "Get request URL for Voiso or Coperato provider": the URL the provider must send its call
/// events to, carrying the webhook secret as `token` (admins only: it holds the secret).
pub async fn request_url(app: &App, actor: &Principal, provider: Option<&str>) -> Result<String> {
    actor.require(Permission::ManageSettings)?;
    let p = Provider::parse("provider", provider)?;
    let secret = webhook_secret(app, p).await?;
    let base = app.cfg().public_url.trim_end_matches('/');
    Ok(format!("{base}/api/calls/webhooks/{}?token={secret}", p.as_str()))
}
