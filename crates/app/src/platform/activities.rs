//! Activities (seed tag Activities): the audit log read by staff, plus entries staff add by
//! hand ("Create a new activity"). Audit entries are written by [`crate::platform::audit`] inside each
//! admin write's transaction; those always name an entity, hand-made ones do not.

use std::net::IpAddr;

use brokercrm_core::Permission;
use brokercrm_core::error::Violations;
use brokercrm_core::validate::text;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::platform::activities::{self, ActivityFilter, ActivityRow, NewActivity};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::{App, Principal};

/// Largest page of "List all activities".
pub const MAX_LIMIT: u64 = 100;

/// The seed's `AdminActivitiesFilters`, as the JSON object in the `filter` query parameter.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Filters {
    #[serde(rename = "type")]
    pub kind: Option<String>,
    pub actor_id: Option<i64>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Case-insensitive substring of `details`.
    pub search: Option<String>,
}

impl Filters {
    /// Parses the `filter` parameter; bad JSON or fields are a validation error on `filter`.
    pub fn parse(raw: Option<&str>) -> Result<Self> {
        match raw.map(str::trim).filter(|s| !s.is_empty()) {
            None => Ok(Self::default()),
            Some(s) => serde_json::from_str(s).map_err(|e| {
                Error::field(
                    "filter",
                    format!(
                        "must be a JSON object of type, actorId, entity, entityId, search: {e}"
                    ),
                )
            }),
        }
    }
}

/// Who acted.
#[derive(Debug, Clone, Serialize)]
pub struct Actor {
    pub id: i64,
    pub email: Option<String>,
}

/// One activity as listed.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Activity {
    pub id: i64,
    #[serde(rename = "type")]
    pub kind: String,
    pub details: String,
    pub actor: Option<Actor>,
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// State before the change (secrets masked), when the entry is an audited write.
    pub before: Option<Value>,
    pub after: Option<Value>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

fn json_of(s: Option<String>) -> Option<Value> {
    s.map(|s| serde_json::from_str(&s).unwrap_or(Value::String(s)))
}

impl From<ActivityRow> for Activity {
    fn from(r: ActivityRow) -> Self {
        Self {
            id: r.id,
            kind: r.r#type,
            details: r.details,
            actor: r.actor_id.map(|id| Actor { id, email: r.actor_email }),
            entity: r.entity,
            entity_id: r.entity_id,
            before: json_of(r.before),
            after: json_of(r.after),
            ip: r.ip,
            created_at: r.created_at,
        }
    }
}

/// The raw query of "List all activities", checked here so a bad value names its field.
#[derive(Debug, Clone, Default)]
pub struct ListParams {
    pub limit: Option<String>,
    pub offset: Option<String>,
    /// JSON object of [`Filters`].
    pub filter: Option<String>,
}

/// A required integer parameter.
fn int_param(name: &str, raw: Option<&str>) -> Result<i64> {
    let raw = raw
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .ok_or_else(|| Error::field(name, "is required"))?;
    raw.parse::<i64>().map_err(|_| Error::field(name, "must be an integer"))
}

/// `limit` (1..=MAX_LIMIT), `offset` (≥ 0) and the filter, every bad one named.
fn parse_params(p: &ListParams) -> Result<(u64, u64, Filters)> {
    let mut v = Violations::new();
    let limit = v.check(int_param("limit", p.limit.as_deref()).and_then(|l| {
        u64::try_from(l)
            .ok()
            .filter(|l| (1..=MAX_LIMIT).contains(l))
            .ok_or_else(|| Error::field("limit", format!("must be between 1 and {MAX_LIMIT}")))
    }));
    let offset = v.check(int_param("offset", p.offset.as_deref()).and_then(|o| {
        u64::try_from(o).map_err(|_| Error::field("offset", "must not be negative"))
    }));
    let filter = v.check(Filters::parse(p.filter.as_deref()));
    v.finish()?;
    Ok((limit.unwrap_or(1), offset.unwrap_or(0), filter.unwrap_or_default()))
}

/// "List all activities": newest first, with the total matching count.
pub async fn list(
    app: &App,
    actor: &Principal,
    params: &ListParams,
) -> Result<(Vec<Activity>, u64)> {
    actor.require(Permission::ReadActivities)?;
    let (limit, offset, f) = parse_params(params)?;
    let filter = ActivityFilter {
        kind: f.kind.filter(|s| !s.is_empty()),
        actor_id: f.actor_id,
        entity: f.entity.filter(|s| !s.is_empty()),
        entity_id: f.entity_id.filter(|s| !s.is_empty()),
        search: f.search.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty()),
    };
    let (rows, total) = activities::list(app.db().conn(), &filter, limit, offset).await?;
    Ok((rows.into_iter().map(Activity::from).collect(), total))
}

/// "Create a new activity": a hand-made entry by any staff member, recorded with the actor
/// and the client's IP.
pub async fn create(
    app: &App,
    actor: &Principal,
    kind: &str,
    details: &str,
    ip: Option<IpAddr>,
) -> Result<i64> {
    actor.require(Permission::WriteActivities)?;
    let mut v = Violations::new();
    let kind = v.check(text("type", kind, 64));
    let details = v.check(text("details", details, 10_000));
    v.finish()?;
    let (Some(kind), Some(details)) = (kind, details) else {
        return Err(Error::internal("unreachable"));
    };
    activities::insert(
        app.db().conn(),
        NewActivity {
            actor_id: Some(actor.impersonated_by.unwrap_or(actor.user_id)),
            actor_email: Some(actor.email.clone()),
            kind,
            details,
            ip: ip.map(|i| i.to_string()),
            ..Default::default()
        },
    )
    .await
}
