//! "Send notification by customer ID and topic" (SendMessages; audited): one `messaging.push`
//! job per subscription of the customer for the topic, queued in one transaction. The job
//! encrypts and signs at delivery and retries with backoff on network errors, 429 and 5xx; a
//! push service answering 404 or 410 removes the subscription; another 4xx is logged and
//! not retried.

use brokercrm_core::identity::auth::Role;
use brokercrm_core::{Error, Permission, Result};
use brokercrm_integrations::webpush::{self, Outcome, Target};
use brokercrm_store::db::commit;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::messaging::push_subscriptions::{self as repo, Filter};
use serde::{Deserialize, Serialize};

use super::{keys, subscriptions};
use crate::platform::audit::{self, Audit};
use crate::platform::jobs::{self, Job};
use crate::{App, Principal};

/// Default `TTL` (seconds) a push service keeps an undelivered notification.
pub const DEFAULT_TTL: i64 = 86_400;
/// Longest `TTL` accepted (28 days, what push services keep at most).
pub const MAX_TTL: i64 = 2_419_200;
/// Largest notification (its JSON): push services take 4 KiB of encrypted payload.
pub const MAX_NOTIFICATION_BYTES: usize = 3_000;

/// The `messaging.push` job: one notification to one subscription.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PushJob {
    pub subscription_id: i64,
    /// The notification's JSON, sent as the encrypted payload.
    pub payload: String,
    pub ttl: u32,
}

impl Job for PushJob {
    const KIND: &'static str = "messaging.push";

    async fn run(self, app: App) -> Result<()> {
        let Some(sub) = repo::find(app.db().conn(), self.subscription_id).await? else {
            return Ok(()); // unsubscribed meanwhile
        };
        let vapid = keys::ensure(&app).await?;
        let to = Target { endpoint: &sub.endpoint, p256dh: &sub.p256dh, auth: &sub.auth };
        let http = &app.services().http;
        match webpush::send(
            http,
            &vapid,
            &keys::contact(&app),
            &to,
            self.payload.as_bytes(),
            self.ttl,
        )
        .await?
        {
            Outcome::Delivered => Ok(()),
            Outcome::Gone => {
                tracing::info!(subscription = sub.id, "push subscription gone; removed");
                let tx = app.db().begin_write().await?;
                repo::delete(&tx, sub.id).await?;
                commit(tx).await
            }
            Outcome::Rejected(status) => {
                tracing::warn!(subscription = sub.id, status, "push refused by the push service");
                Ok(())
            }
        }
    }
}

/// The notification checked: an object with a non-empty `title` (at most 200 characters), an
/// optional string `body`, any further fields the service worker reads, at most
/// [`MAX_NOTIFICATION_BYTES`] as JSON.
pub fn notification(raw: Option<&serde_json::Value>) -> Result<String> {
    let obj = raw
        .and_then(|v| v.as_object())
        .ok_or_else(|| Error::field("notification", "must be an object"))?;
    match obj.get("title").and_then(|t| t.as_str()).map(str::trim) {
        Some(t) if !t.is_empty() && t.chars().count() <= 200 => {}
        _ => return Err(Error::field("notification.title", "must be 1 to 200 characters")),
    }
    if obj.get("body").is_some_and(|b| !b.is_string() && !b.is_null()) {
        return Err(Error::field("notification.body", "must be a string"));
    }
    let json = serde_json::to_string(obj).map_err(Error::internal)?;
    if json.len() > MAX_NOTIFICATION_BYTES {
        return Err(Error::field(
            "notification",
            format!("must be at most {MAX_NOTIFICATION_BYTES} bytes as JSON"),
        ));
    }
    Ok(json)
}

/// `ttl` checked: whole seconds from 0 to [`MAX_TTL`]; default [`DEFAULT_TTL`].
pub fn ttl(raw: Option<f64>) -> Result<u32> {
    let Some(t) = raw else { return Ok(DEFAULT_TTL as u32) };
    if t.fract() != 0.0 || !(0.0..=MAX_TTL as f64).contains(&t) {
        return Err(Error::field("ttl", format!("must be whole seconds from 0 to {MAX_TTL}")));
    }
    Ok(t as u32)
}

/// What to send.
#[derive(Debug, Clone, Default)]
pub struct SendInput {
    pub customer_id: Option<String>,
    pub notification: Option<serde_json::Value>,
    pub topic: Option<String>,
    pub ttl: Option<f64>,
}

/// "Send notification by customer ID and topic": queues one push per subscription of the
/// user for the topic; returns how many. The user is a customer in the caller's scope, or —
/// for admins only — a staff member (the `admin` topic). Unknown: 404.
pub async fn send(app: &App, who: &Principal, input: SendInput) -> Result<usize> {
    who.require(Permission::SendMessages)?;
    let uuid = input
        .customer_id
        .as_deref()
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::field("customerId", "is required"))?;
    let payload = notification(input.notification.as_ref())?;
    let topic = subscriptions::topic(input.topic.as_deref())?;
    let ttl = ttl(input.ttl)?;
    let tx = app.db().begin_write().await?;
    let user = match users::find_by_uuid(&tx, uuid).await? {
        Some(u) if u.role != Role::Customer.as_str() && who.is_admin() => u,
        Some(u) if u.role == Role::Customer.as_str() => {
            crate::messaging::send::customer(&tx, who, uuid).await?;
            u
        }
        _ => return Err(Error::NotFound("customer")),
    };
    let f = Filter { id: None, endpoint: None, topic: Some(topic.clone()) };
    let subs = repo::of_user(&tx, user.id, &f).await?;
    for s in &subs {
        jobs::enqueue(&tx, &PushJob { subscription_id: s.id, payload: payload.clone(), ttl })
            .await?;
    }
    audit::record(
        &tx,
        Some(who),
        Audit::new("push.send", "customer", user.uuid.clone())
            .details(format!("topic {topic} to {} subscriptions", subs.len())),
    )
    .await?;
    commit(tx).await?;
    Ok(subs.len())
}
