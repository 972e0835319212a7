//! Settings (seed tag Settings): a registry of known keys, each with its validation, whether
//! it is secret and whether anyone may read it. Structured settings (e-mail, VoIP, reCAPTCHA,
//! SumSub, default wallet) are JSON values written only through their dedicated use cases;
//! plain ones through the generic "Update setting value by key".
//!
//! Rules: a key outside the registry — and every `system.*` key, which holds internals such as
//! the JWT signing secret — is `NotFound` (404), so the API does not even confirm it exists.
//! Secrets are never returned in full: reads, write responses and the audit log's before/after
//! all carry [`mask`]ed values.

pub mod email;
pub mod keys;
pub mod providers;

pub use keys::{CUSTOM_PREFIX, KEYS, KeyDef, Kind, lookup};

use brokercrm_core::Permission;
use brokercrm_core::validate::{Email, text};
use brokercrm_core::{Error, Result};
use brokercrm_store::db;
use brokercrm_store::repo::platform::settings;
use serde_json::Value;

use crate::platform::audit::{self, Audit};
use crate::platform::mask;
use crate::{App, Principal};

/// Checks and normalises a plain value of kind `kind`.
fn validate(kind: Kind, field: &str, raw: &str) -> Result<String> {
    let s = raw.trim();
    match kind {
        Kind::Text(max) => text(field, s, max),
        Kind::Email => Email::parse(field, s).map(|e| e.as_str().to_owned()),
        Kind::Url => brokercrm_core::validate::http_url(field, s),
        Kind::Bool => match s {
            "true" | "false" => Ok(s.to_owned()),
            _ => Err(Error::field(field, "must be \"true\" or \"false\"")),
        },
        Kind::Currency if s.len() == 3 && s.chars().all(|c| c.is_ascii_alphabetic()) => {
            Ok(s.to_ascii_uppercase())
        }
        Kind::Currency => Err(Error::field(field, "must be a 3-letter ISO 4217 currency code")),
        Kind::Language if s.len() == 2 && s.chars().all(|c| c.is_ascii_alphabetic()) => {
            Ok(s.to_ascii_lowercase())
        }
        Kind::Language => Err(Error::field(field, "must be a 2-letter ISO 639-1 language code")),
        Kind::Managed(endpoint) => Err(Error::field("key", format!("is set through {endpoint}"))),
    }
}

/// "Get setting value by key": the value (masked if secret), `None` when not set. Public keys
/// need no principal; the others `ReadSettings`.
pub async fn get(app: &App, actor: Option<&Principal>, key: &str) -> Result<Option<String>> {
    let d = lookup(key)?;
    if !d.public {
        actor
            .ok_or_else(|| Error::Unauthorized("missing bearer token".into()))?
            .require(Permission::ReadSettings)?;
    }
    let row = settings::get(app.db().conn(), key).await?;
    Ok(row.map(|r| mask::mask_stored(&r.value, r.secret || d.secret)))
}

/// "Update setting value by key" for plain keys; returns the value as stored (masked if
/// secret). Managed keys must use their dedicated use case.
pub async fn put(app: &App, actor: &Principal, key: &str, val: &str) -> Result<String> {
    actor.require(Permission::ManageSettings)?;
    let d = lookup(key)?;
    let value = validate(d.kind, "val", val)?;
    let tx = app.db().begin_write().await?;
    let shown = write(&tx, actor, key, &value, d.secret).await?;
    db::commit(tx).await?;
    Ok(shown)
}

/// Stores a checked value in `tx` with its audit entry; returns it as shown (masked if secret).
async fn write<C: brokercrm_store::ConnectionTrait>(
    tx: &C,
    actor: &Principal,
    key: &str,
    value: &str,
    secret: bool,
) -> Result<String> {
    let before =
        settings::get_for_update(tx, key).await?.map(|r| mask::mask_stored(&r.value, r.secret));
    settings::put(tx, key, value, secret).await?;
    let shown = mask::mask_stored(value, secret);
    let mut entry = Audit::new("settings.update", "setting", key)
        .details(format!("setting '{key}' updated"))
        .after(&serde_json::json!({ "value": shown }));
    if let Some(b) = before {
        entry = entry.before(&serde_json::json!({ "value": b }));
    }
    audit::record(tx, Some(actor), entry).await?;
    Ok(shown)
}

/// Several plain keys at once (the portal's settings form): every value is checked first, a
/// bad one named by its key, and then all are written in one transaction, each audited; a
/// refusal changes nothing. Returns the keys written.
pub async fn put_many(app: &App, actor: &Principal, values: &[(String, String)]) -> Result<usize> {
    actor.require(Permission::ManageSettings)?;
    let mut v = brokercrm_core::Violations::new();
    let mut checked = Vec::with_capacity(values.len());
    for (key, raw) in values {
        let Some(d) = v.check(lookup(key).and_then(|d| match d.kind {
            Kind::Managed(_) => Err(Error::field(key.as_str(), "is set on its own screen")),
            _ => Ok(d),
        })) else {
            continue;
        };
        if let Some(value) = v.check(validate(d.kind, key, raw)) {
            checked.push((key.as_str(), value, d.secret));
        }
    }
    v.finish()?;
    let tx = app.db().begin_write().await?;
    for (key, value, secret) in &checked {
        write(&tx, actor, key, value, *secret).await?;
    }
    db::commit(tx).await?;
    Ok(checked.len())
}

/// Whether boolean setting `key` is on (`"true"`); off when not set. For use cases that obey
/// a flag (no permission check: the flag is not shown to the caller).
pub async fn flag(app: &App, key: &str) -> Result<bool> {
    Ok(settings::get(app.db().conn(), key).await?.is_some_and(|r| r.value == "true"))
}

/// Stores a structured (JSON) setting after its use case validated it and audits the change.
/// Secrets the client echoed back masked keep their stored value. Returns the masked value.
pub(crate) async fn store_config(
    app: &App,
    actor: &Principal,
    key: &str,
    mut value: Value,
    kind: &str,
) -> Result<Value> {
    let secret = lookup(key)?.secret;
    let tx = app.db().begin_write().await?;
    let old: Option<Value> =
        settings::get_for_update(&tx, key).await?.and_then(|r| serde_json::from_str(&r.value).ok());
    if let Some(old) = &old {
        let same_provider = value.get("provider") == old.get("provider");
        if same_provider {
            mask::restore_masked(&mut value, old);
        }
    }
    settings::put(&tx, key, &value.to_string(), secret).await?;
    let after = mask::mask_json(&value);
    let mut entry =
        Audit::new(kind, "setting", key).details(format!("setting '{key}' updated")).after(&after);
    if let Some(old) = &old {
        entry = entry.before(&mask::mask_json(old));
    }
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    Ok(after)
}

/// Reads a structured setting as `T`, if set.
pub(crate) async fn load_config<T: serde::de::DeserializeOwned>(
    app: &App,
    key: &str,
) -> Result<Option<T>> {
    match settings::get(app.db().conn(), key).await? {
        Some(row) => serde_json::from_str(&row.value).map(Some).map_err(Error::internal),
        None => Ok(None),
    }
}

/// "Get the CAPTCHA site key" (public): the reCAPTCHA site key, `None` when not configured.
pub async fn captcha_site_key(app: &App) -> Result<Option<String>> {
    Ok(crate::platform::recaptcha::config(app).await?.map(|c| c.site_key))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_hides_system_keys_and_validates_kinds() {
        assert!(matches!(lookup("system.jwt_secret"), Err(Error::NotFound(_))));
        assert!(matches!(lookup("nope"), Err(Error::NotFound(_))));
        assert!(lookup("custom.crm_banner").is_ok());
        assert!(lookup("custom.").is_err());
        assert_eq!(validate(Kind::Currency, "val", "usd").ok().as_deref(), Some("USD"));
        assert!(validate(Kind::Bool, "val", "yes").is_err());
        assert!(validate(Kind::Managed("x"), "val", "{}").is_err());
    }
}
