//! "Create subscription", "Get subscriptions", "Delete subscription": a signed-in user's
//! browser subscriptions, per topic. Topics are short lowercase names (`user`, `admin`...);
//! `admin` is for staff. The endpoint must pass the outbound URL guard and the browser's keys
//! must be a P-256 point and a 16-byte secret, else 422 naming the field.

use brokercrm_core::{Error, Result};
use brokercrm_integrations::webpush::{valid_auth, valid_p256dh};
use brokercrm_store::db::commit;
use brokercrm_store::repo::messaging::push_subscriptions::{
    self as repo, Filter, NewSubscription, SubscriptionRow,
};
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;

use crate::platform::url_guard;
use crate::{App, Principal};

/// The topic staff subscribe to.
pub const ADMIN_TOPIC: &str = "admin";
/// The topic used when none is named.
pub const DEFAULT_TOPIC: &str = "user";

/// The browser's keys of a subscription.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct KeysView {
    /// The browser's P-256 public key (base64url).
    pub p256dh: String,
    /// The browser's auth secret (base64url).
    pub auth: String,
}

/// One subscription as the API shows it.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SubscriptionView {
    pub id: i64,
    pub endpoint: String,
    pub keys: KeysView,
    pub expiration_time: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    /// The subscribed user's public id.
    pub customer_id: String,
    pub topic: String,
}

impl SubscriptionView {
    fn of(r: SubscriptionRow, owner_uuid: &str) -> Self {
        Self {
            id: r.id,
            endpoint: r.endpoint,
            keys: KeysView { p256dh: r.p256dh, auth: r.auth },
            expiration_time: r.expiration_time,
            created_at: r.created_at,
            customer_id: owner_uuid.to_owned(),
            topic: r.topic,
        }
    }
}

/// A browser's `PushSubscription.toJSON()` as sent.
#[derive(Debug, Clone, Default)]
pub struct SubscriptionInput {
    pub endpoint: Option<String>,
    /// `null`, milliseconds since the epoch (what browsers send) or an RFC 3339 time.
    pub expiration_time: Option<serde_json::Value>,
    pub p256dh: Option<String>,
    pub auth: Option<String>,
}

/// A topic name checked: lowercase letters, digits, `-` and `_`, 1 to 32 characters (`Admin`
/// is taken as `admin`); `None` or blank is [`DEFAULT_TOPIC`].
pub fn topic(raw: Option<&str>) -> Result<String> {
    let t = raw.map(|s| s.trim().to_ascii_lowercase()).unwrap_or_default();
    if t.is_empty() {
        return Ok(DEFAULT_TOPIC.to_owned());
    }
    let ok = t.len() <= 32
        && t.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-' || c == '_');
    if ok { Ok(t) } else { Err(Error::field("topic", "must be 1 to 32 letters, digits, - or _")) }
}

/// An optional topic filter (blank: none).
fn topic_filter(raw: Option<&str>) -> Result<Option<String>> {
    match raw.map(str::trim) {
        None | Some("") => Ok(None),
        Some(t) => topic(Some(t)).map(Some),
    }
}

fn expiration(v: Option<&serde_json::Value>) -> Result<Option<DateTime<Utc>>> {
    let bad = || {
        Error::field(
            "subscription.expirationTime",
            "must be null, epoch milliseconds or a date-time",
        )
    };
    match v {
        None | Some(serde_json::Value::Null) => Ok(None),
        Some(serde_json::Value::Number(n)) => {
            let ms = n.as_f64().ok_or_else(bad)?;
            DateTime::from_timestamp_millis(ms as i64).map(Some).ok_or_else(bad)
        }
        Some(serde_json::Value::String(s)) => DateTime::parse_from_rfc3339(s.trim())
            .map(|d| Some(d.with_timezone(&Utc)))
            .map_err(|_| bad()),
        Some(_) => Err(bad()),
    }
}

/// "Create subscription": stores the caller's browser subscription for `topic` (replacing the
/// same endpoint's earlier one for that topic).
pub async fn create(
    app: &App,
    who: &Principal,
    input: SubscriptionInput,
    topic_raw: Option<&str>,
) -> Result<SubscriptionView> {
    let endpoint = input
        .endpoint
        .as_deref()
        .filter(|e| !e.trim().is_empty())
        .ok_or_else(|| Error::field("subscription.endpoint", "is required"))?;
    if endpoint.len() > 1000 {
        return Err(Error::field("subscription.endpoint", "must be at most 1000 characters"));
    }
    let endpoint = url_guard::check_url(app, "subscription.endpoint", endpoint)?;
    let p256dh = input.p256dh.unwrap_or_default().trim().to_owned();
    if !valid_p256dh(&p256dh) {
        return Err(Error::field(
            "subscription.keys.p256dh",
            "must be a P-256 public key (base64url)",
        ));
    }
    let auth = input.auth.unwrap_or_default().trim().to_owned();
    if !valid_auth(&auth) {
        return Err(Error::field("subscription.keys.auth", "must be a 16-byte secret (base64url)"));
    }
    let expiration_time = expiration(input.expiration_time.as_ref())?;
    let topic = topic(topic_raw)?;
    if topic == ADMIN_TOPIC && !who.role.is_staff() {
        return Err(Error::field("topic", "admin is for staff only"));
    }
    let tx = app.db().begin_write().await?;
    let row = repo::replace(
        &tx,
        NewSubscription { user_id: who.user_id, topic, endpoint, p256dh, auth, expiration_time },
    )
    .await?;
    commit(tx).await?;
    Ok(SubscriptionView::of(row, &who.user_uuid))
}

/// "Get subscriptions": the caller's own, optionally of one topic or endpoint.
pub async fn list(
    app: &App,
    who: &Principal,
    topic_raw: Option<&str>,
    endpoint: Option<&str>,
) -> Result<Vec<SubscriptionView>> {
    let f = Filter {
        id: None,
        endpoint: endpoint.map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned),
        topic: topic_filter(topic_raw)?,
    };
    let rows = repo::of_user(app.db().conn(), who.user_id, &f).await?;
    Ok(rows.into_iter().map(|r| SubscriptionView::of(r, &who.user_uuid)).collect())
}

/// "Delete subscription": the caller's subscriptions matching every filter given (at least one:
/// `id`, `endpoint` or `topic`); 404 when none matches.
pub async fn delete(
    app: &App,
    who: &Principal,
    id: Option<i64>,
    endpoint: Option<&str>,
    topic_raw: Option<&str>,
) -> Result<u64> {
    let f = Filter {
        id,
        endpoint: endpoint.map(str::trim).filter(|e| !e.is_empty()).map(str::to_owned),
        topic: topic_filter(topic_raw)?,
    };
    if f.id.is_none() && f.endpoint.is_none() && f.topic.is_none() {
        return Err(Error::field("id", "give id, endpoint or topic"));
    }
    let tx = app.db().begin_write().await?;
    let n = repo::delete_of_user(&tx, who.user_id, &f).await?;
    commit(tx).await?;
    if n == 0 { Err(Error::NotFound("subscription")) } else { Ok(n) }
}
