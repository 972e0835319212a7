//! Advertisers (brands) and how leads reach them: the internal CRM or an external adapter
//! (`lead_provider`, `affiliate_v2`, `http_template`) with a validated config. Config secrets
//! are masked on every read and in the audit log; a masked value sent back unchanged keeps
//! the stored secret. The postback secret is generated here, shown once and stored hashed.

use brokercrm_core::distribution::rules::{AdvertiserKind, TrafficFilter};
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result, Violations};
use brokercrm_integrations::advertisers::{ExternalKind, secret_keys, validate_config};
use brokercrm_integrations::email::mask_secret;
use brokercrm_store::repo::distribution::advertisers::{self, AdvertiserData, AdvertiserRow};
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::{Map, Value};

use super::{Page, new_uuid};
use crate::identity::security::{random_token, token_hash};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Delivery time-out when none is given, in milliseconds.
pub const DEFAULT_TIMEOUT_MS: i64 = 30_000;
/// Allowed delivery time-outs: the seed's 85 s rotation budget is the upper bound.
pub const TIMEOUT_MS: std::ops::RangeInclusive<i64> = 1_000..=85_000;

/// An advertiser as staff see it: config secrets masked, no postback secret.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AdvertiserView {
    pub uuid: String,
    pub name: String,
    pub kind: String,
    pub config: Value,
    pub active: bool,
    pub timeout_ms: i32,
    pub require_auto_login: bool,
    pub require_external_id: bool,
    pub traffic_filter: Option<TrafficFilter>,
    /// Whether a postback secret was generated.
    pub has_postback_secret: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<AdvertiserRow> for AdvertiserView {
    fn from(r: AdvertiserRow) -> Self {
        let config = serde_json::from_str::<Value>(&r.config).unwrap_or(Value::Null);
        Self {
            config: mask_config(&r.kind, &config),
            traffic_filter: stored_filter(&r),
            has_postback_secret: r.postback_secret_hash.is_some(),
            uuid: r.uuid,
            name: r.name,
            kind: r.kind,
            active: r.active,
            timeout_ms: r.timeout_ms,
            require_auto_login: r.require_auto_login,
            require_external_id: r.require_external_id,
            created_at: r.created_at,
            updated_at: r.updated_at,
        }
    }
}

/// The stored traffic filter of an advertiser, if any.
pub fn stored_filter(r: &AdvertiserRow) -> Option<TrafficFilter> {
    r.traffic_filter.as_deref().and_then(|s| serde_json::from_str(s).ok())
}

/// A new advertiser as sent by staff; omitted options take their defaults.
#[derive(Debug, Clone, Default)]
pub struct AdvertiserInput {
    pub name: String,
    pub kind: String,
    /// `None`: `{}`.
    pub config: Option<Value>,
    /// `None`: active.
    pub active: Option<bool>,
    pub timeout_ms: Option<i64>,
    pub require_auto_login: Option<bool>,
    pub require_external_id: Option<bool>,
    pub traffic_filter: Option<TrafficFilter>,
}

/// A partial update: `None` leaves a field unchanged; `traffic_filter: Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct AdvertiserPatch {
    pub name: Option<String>,
    pub kind: Option<String>,
    pub config: Option<Value>,
    pub active: Option<bool>,
    pub timeout_ms: Option<i64>,
    pub require_auto_login: Option<bool>,
    pub require_external_id: Option<bool>,
    pub traffic_filter: Option<Option<TrafficFilter>>,
}

/// A freshly generated postback secret, shown once.
#[derive(Debug)]
pub struct PostbackSecret {
    pub secret: String,
    /// Where the advertiser sends its postbacks.
    pub postback_url: String,
}

/// `value` with each secret value masked; objects are masked value by value.
fn mask_value(v: &Value) -> Value {
    match v {
        Value::String(s) => Value::String(mask_secret(s)),
        Value::Object(m) => {
            Value::Object(m.iter().map(|(k, v)| (k.clone(), mask_value(v))).collect())
        }
        Value::Null => Value::Null,
        _ => Value::String("****".into()),
    }
}

/// A config as it may be shown: the kind's secret keys masked.
pub fn mask_config(kind: &str, config: &Value) -> Value {
    let mut out = config.clone();
    if let (Some(ext), Value::Object(map)) = (ExternalKind::parse(kind), &mut out) {
        for key in secret_keys(ext) {
            if let Some(v) = map.get_mut(*key) {
                *v = mask_value(v);
            }
        }
    }
    out
}

/// Puts back stored secrets a client echoed in their masked form.
fn restore_value(new: &mut Value, old: &Value) {
    match (new, old) {
        (Value::String(n), Value::String(o)) if !o.is_empty() && *n == mask_secret(o) => {
            n.clone_from(o);
        }
        (Value::Object(n), Value::Object(o)) => {
            for (k, v) in n.iter_mut() {
                if let Some(ov) = o.get(k) {
                    restore_value(v, ov);
                }
            }
        }
        _ => {}
    }
}

fn restore_masked(kind: &str, new: &mut Value, old: &Value) {
    let (Some(ext), Value::Object(map), Value::Object(old)) = (ExternalKind::parse(kind), new, old)
    else {
        return;
    };
    for key in secret_keys(ext) {
        if let (Some(n), Some(o)) = (map.get_mut(*key), old.get(*key)) {
            restore_value(n, o);
        }
    }
}

/// Every field checked at once; the data to store.
fn checked(app: &App, i: AdvertiserInput) -> Result<AdvertiserData> {
    let mut v = Violations::new();
    let name = v.check(text("name", &i.name, 200));
    let kind = v.check(AdvertiserKind::parse("kind", i.kind.trim()));
    let config = i.config.unwrap_or_else(|| Value::Object(Map::new()));
    match (&config, kind) {
        (Value::Object(_), None) => {}
        (Value::Object(m), Some(AdvertiserKind::InternalCrm)) if m.is_empty() => {}
        (Value::Object(_), Some(AdvertiserKind::InternalCrm)) => {
            v.push("config", "must be {} for internal_crm");
        }
        (Value::Object(_), Some(k)) => match ExternalKind::parse(k.as_str()) {
            Some(ext) => {
                v.check(validate_config(ext, &config, app.cfg().allow_private_outbound));
            }
            None => v.push("kind", "unsupported advertiser kind"),
        },
        _ => v.push("config", "must be a JSON object"),
    }
    let timeout_ms = i.timeout_ms.unwrap_or(DEFAULT_TIMEOUT_MS);
    if !TIMEOUT_MS.contains(&timeout_ms) {
        v.push("timeoutMs", "must be 1000 to 85000 milliseconds");
    }
    let filter = match i.traffic_filter {
        Some(f) => v.check(f.validated("trafficFilter")).map(Some),
        None => Some(None),
    };
    v.finish()?;
    let (Some(name), Some(kind), Some(filter)) = (name, kind, filter) else {
        return Err(Error::internal("advertiser validation incomplete"));
    };
    Ok(AdvertiserData {
        name,
        kind: kind.as_str().to_owned(),
        config: config.to_string(),
        active: i.active.unwrap_or(true),
        timeout_ms: i32::try_from(timeout_ms).map_err(Error::internal)?,
        require_auto_login: i.require_auto_login.unwrap_or(false),
        require_external_id: i.require_external_id.unwrap_or(false),
        traffic_filter: filter
            .map(|f| serde_json::to_string(&f))
            .transpose()
            .map_err(Error::internal)?,
    })
}

/// Advertisers by id.
pub async fn list(app: &App, actor: &Principal, page: Page) -> Result<Vec<AdvertiserView>> {
    actor.require(Permission::ReadLeadDistribution)?;
    let rows = advertisers::list(app.db().conn(), page.offset, page.limit).await?;
    Ok(rows.into_iter().map(AdvertiserView::from).collect())
}

pub async fn get(app: &App, actor: &Principal, uuid: &str) -> Result<AdvertiserView> {
    actor.require(Permission::ReadLeadDistribution)?;
    advertisers::find_by_uuid(app.db().conn(), uuid)
        .await?
        .map(AdvertiserView::from)
        .ok_or(Error::NotFound("advertiser"))
}

/// Creates an advertiser. Audited (config secrets masked).
pub async fn create(
    app: &App,
    actor: &Principal,
    input: AdvertiserInput,
) -> Result<AdvertiserView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let data = checked(app, input)?;
    let tx = app.db().begin_write().await?;
    let view = AdvertiserView::from(advertisers::insert(&tx, &new_uuid(), data).await?);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("advertiser.create", "advertiser", view.uuid.clone())
            .details(format!("advertiser '{}' ({}) created", view.name, view.kind))
            .after(&view),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(view)
}

/// Changes the fields sent; masked secrets echoed back keep their stored values while the
/// kind is unchanged. Audited.
pub async fn update(
    app: &App,
    actor: &Principal,
    uuid: &str,
    patch: AdvertiserPatch,
) -> Result<AdvertiserView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let old = advertisers::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("advertiser"))?;
    let old_config = serde_json::from_str::<Value>(&old.config).unwrap_or(Value::Null);
    let kind = patch.kind.unwrap_or_else(|| old.kind.clone());
    let config = match patch.config {
        Some(mut c) => {
            if kind.trim() == old.kind {
                restore_masked(&old.kind, &mut c, &old_config);
            }
            c
        }
        None => old_config,
    };
    let input = AdvertiserInput {
        name: patch.name.unwrap_or_else(|| old.name.clone()),
        kind,
        config: Some(config),
        active: Some(patch.active.unwrap_or(old.active)),
        timeout_ms: Some(patch.timeout_ms.unwrap_or(i64::from(old.timeout_ms))),
        require_auto_login: Some(patch.require_auto_login.unwrap_or(old.require_auto_login)),
        require_external_id: Some(patch.require_external_id.unwrap_or(old.require_external_id)),
        traffic_filter: patch.traffic_filter.unwrap_or_else(|| stored_filter(&old)),
    };
    let data = checked(app, input)?;
    advertisers::update(&tx, old.id, data).await?;
    let row = advertisers::find_by_id(&tx, old.id).await?.ok_or(Error::NotFound("advertiser"))?;
    let (before, after) = (AdvertiserView::from(old), AdvertiserView::from(row));
    audit::record(
        &tx,
        Some(actor),
        Audit::new("advertiser.update", "advertiser", uuid)
            .details(format!("advertiser '{}' updated", after.name))
            .before(&before)
            .after(&after),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(after)
}

/// Deletes an advertiser; its rotation entries and caps go with it, leads keep their history.
/// Audited.
pub async fn delete(app: &App, actor: &Principal, uuid: &str) -> Result<()> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let old = advertisers::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("advertiser"))?;
    advertisers::delete(&tx, old.id).await?;
    let before = AdvertiserView::from(old);
    audit::record(
        &tx,
        Some(actor),
        Audit::new("advertiser.delete", "advertiser", uuid)
            .details(format!("advertiser '{}' deleted", before.name))
            .before(&before),
    )
    .await?;
    super::commit_config(app, tx).await
}

/// Generates a new postback secret (the old one stops working), stores its hash and returns
/// it with the postback URL, this once. Audited without the secret.
pub async fn rotate_postback_secret(
    app: &App,
    actor: &Principal,
    uuid: &str,
) -> Result<PostbackSecret> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let adv = advertisers::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("advertiser"))?;
    let secret = random_token(32);
    advertisers::set_postback_secret_hash(&tx, adv.id, &token_hash(&secret)).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("advertiser.postback_secret", "advertiser", uuid)
            .details(format!("postback secret of advertiser '{}' regenerated", adv.name)),
    )
    .await?;
    super::commit_config(app, tx).await?;
    let base = app.cfg().public_url.trim_end_matches('/');
    Ok(PostbackSecret {
        secret,
        postback_url: format!("{base}/api/lead-distribution/postbacks/{}", adv.uuid),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_masked_and_echoes_restored() {
        let stored = json!({"baseUrl": "https://b.example", "clientSecret": "0123456789abcdef",
            "password": "pw-secret-123", "clientId": "cid"});
        let shown = mask_config("lead_provider", &stored);
        assert_eq!(shown["baseUrl"], "https://b.example");
        assert_eq!(shown["clientId"], "cid");
        assert_eq!(shown["clientSecret"], "0123****");
        assert!(!shown.to_string().contains("pw-secret"));
        let mut echoed = shown.clone();
        restore_masked("lead_provider", &mut echoed, &stored);
        assert_eq!(echoed, stored);

        let stored = json!({"url": "https://t.example", "headers": {"X-Key": "supersecretkey"}});
        let shown = mask_config("http_template", &stored);
        assert_eq!(shown["headers"]["X-Key"], "sup****");
        let mut echoed = shown.clone();
        restore_masked("http_template", &mut echoed, &stored);
        assert_eq!(echoed, stored);
        assert_eq!(mask_config("internal_crm", &json!({})), json!({}));
    }
}
