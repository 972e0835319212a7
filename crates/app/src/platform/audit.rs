//! The audit log (seed tag Activities): every admin write appends who, what, when, before and
//! after — inside the same transaction as the write, so the two commit or fail together.

use brokercrm_core::Result;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::platform::activities::{self, NewActivity};
use serde::Serialize;

use crate::Principal;

/// One audit entry to record.
pub struct Audit<'a> {
    pub kind: &'a str,
    pub details: String,
    pub entity: Option<&'a str>,
    pub entity_id: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

impl<'a> Audit<'a> {
    /// An entry about `entity`/`entity_id` of kind `kind` (e.g. `settings.update`).
    pub fn new(kind: &'a str, entity: &'a str, entity_id: impl Into<String>) -> Self {
        Self {
            kind,
            details: String::new(),
            entity: Some(entity),
            entity_id: Some(entity_id.into()),
            before: None,
            after: None,
        }
    }

    pub fn details(mut self, d: impl Into<String>) -> Self {
        self.details = d.into();
        self
    }

    pub fn before<T: Serialize>(mut self, v: &T) -> Self {
        self.before = serde_json::to_value(v).ok();
        self
    }

    pub fn after<T: Serialize>(mut self, v: &T) -> Self {
        self.after = serde_json::to_value(v).ok();
        self
    }
}

/// Appends `entry` for `actor` using `conn` (pass the write transaction).
pub async fn record<C: ConnectionTrait>(
    conn: &C,
    actor: Option<&Principal>,
    entry: Audit<'_>,
) -> Result<()> {
    activities::insert(conn, activity(actor, entry)).await.map(|_| ())
}

/// Appends every entry, each for its actor, in one statement (a group-commit batch).
pub async fn record_many<C: ConnectionTrait>(
    conn: &C,
    entries: Vec<(Option<&Principal>, Audit<'_>)>,
) -> Result<()> {
    let list = entries.into_iter().map(|(actor, entry)| activity(actor, entry)).collect();
    activities::insert_many(conn, list).await
}

fn activity(actor: Option<&Principal>, entry: Audit<'_>) -> NewActivity {
    NewActivity {
        actor_id: actor.map(|p| p.impersonated_by.unwrap_or(p.user_id)),
        actor_email: actor.map(|p| p.email.clone()),
        kind: entry.kind.to_owned(),
        details: entry.details,
        entity: entry.entity.map(str::to_owned),
        entity_id: entry.entity_id,
        before: entry.before.map(|v| v.to_string()),
        after: entry.after.map(|v| v.to_string()),
        ip: None,
    }
}
