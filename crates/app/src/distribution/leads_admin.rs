//! Distribution leads for staff, read-only: filtered pages (newest first) and one lead with
//! its routing trace ("why did it go there / why was it rejected") and its conversions. The
//! lead's password is never shown, nor its auto-login link (it logs the customer in).

use std::collections::HashMap;

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::distribution::leads::{self as lead_repo, LeadFilter, LeadRow};
use brokercrm_store::repo::distribution::{advertisers, ftd, goal_types, lead_events, offers};
use brokercrm_store::repo::identity::users;
use chrono::{DateTime, Utc};
use serde::Serialize;
use serde_json::Value;

use super::{Page, advertiser, ids, user_uuids};
use crate::{App, Principal};

/// A lead as staff see it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = DistributionLeadDto)]
pub struct LeadView {
    pub uuid: String,
    pub affiliate_uuid: Option<String>,
    /// How the lead came in, e.g. `affiliate_v2`.
    pub channel: String,
    pub offer_uuid: Option<String>,
    pub offer_name: Option<String>,
    pub advertiser_uuid: Option<String>,
    pub advertiser_name: Option<String>,
    pub status: String,
    /// Seed 001 error type when refused, e.g. `ROTATION_ERROR`.
    pub error_type: Option<String>,
    pub error_message: Option<String>,
    pub ip: String,
    pub country: Option<String>,
    pub language: Option<String>,
    pub is_test: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Every other profile key sent with the lead (never `password`).
    #[schema(value_type = Object)]
    pub profile: Value,
    /// The advertiser's id of the lead.
    pub external_id: Option<String>,
    pub has_auto_login_url: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One routing step of a lead.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = LeadEventDto)]
pub struct LeadEventView {
    pub seq: i32,
    /// What happened, e.g. `skipped`, `attempt`, `accepted`, `rejected`.
    pub kind: String,
    pub advertiser_uuid: Option<String>,
    pub advertiser_name: Option<String>,
    pub error_type: Option<String>,
    pub message: Option<String>,
    pub duration_ms: Option<i32>,
    pub at: DateTime<Utc>,
}

/// A goal the lead reached.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = LeadConversionDto)]
pub struct ConversionView {
    pub uuid: String,
    /// Goal type name, e.g. `FTD`.
    pub goal_type: String,
    pub source: String,
    pub created_at: DateTime<Utc>,
}

/// One lead with its trace and conversions.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct LeadDetail {
    #[serde(flatten)]
    pub lead: LeadView,
    pub trace: Vec<LeadEventView>,
    pub conversions: Vec<ConversionView>,
}

/// Filters as sent by staff; all optional.
#[derive(Debug, Clone, Default)]
pub struct LeadQuery {
    pub status: Option<String>,
    pub affiliate_uuid: Option<String>,
    pub advertiser_uuid: Option<String>,
    /// RFC 3339; created at or after.
    pub created_from: Option<String>,
    /// RFC 3339; created before.
    pub created_to: Option<String>,
}

/// The stored profile without its password (whatever the key's case).
fn public_profile(raw: &str) -> Value {
    match serde_json::from_str::<Value>(raw) {
        Ok(Value::Object(mut m)) => {
            m.retain(|k, _| !k.eq_ignore_ascii_case("password"));
            Value::Object(m)
        }
        _ => Value::Object(serde_json::Map::new()),
    }
}

fn instant(field: &str, raw: Option<&str>) -> Result<Option<DateTime<Utc>>> {
    match raw.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => {
            DateTime::parse_from_rfc3339(s).map(|t| Some(t.with_timezone(&Utc))).map_err(|_| {
                Error::field(field, "must be an RFC 3339 time, e.g. 2026-01-31T00:00:00Z")
            })
        }
    }
}

async fn views<C: ConnectionTrait>(conn: &C, rows: Vec<LeadRow>) -> Result<Vec<LeadView>> {
    let affiliates = user_uuids(conn, &ids(rows.iter().map(|r| Some(r.affiliate_id)))).await?;
    let offers: HashMap<i64, (String, String)> =
        offers::find_by_ids(conn, &ids(rows.iter().map(|r| r.offer_id)))
            .await?
            .into_iter()
            .map(|o| (o.id, (o.uuid, o.name)))
            .collect();
    let advs: HashMap<i64, (String, String)> =
        advertisers::find_by_ids(conn, &ids(rows.iter().map(|r| r.advertiser_id)))
            .await?
            .into_iter()
            .map(|a| (a.id, (a.uuid, a.name)))
            .collect();
    Ok(rows
        .into_iter()
        .map(|r| {
            let offer = r.offer_id.and_then(|o| offers.get(&o).cloned());
            let adv = r.advertiser_id.and_then(|a| advs.get(&a).cloned());
            LeadView {
                affiliate_uuid: affiliates.get(&r.affiliate_id).cloned(),
                offer_uuid: offer.as_ref().map(|o| o.0.clone()),
                offer_name: offer.map(|o| o.1),
                advertiser_uuid: adv.as_ref().map(|a| a.0.clone()),
                advertiser_name: adv.map(|a| a.1),
                profile: public_profile(&r.profile),
                has_auto_login_url: r.auto_login_url.is_some(),
                uuid: r.uuid,
                channel: r.channel,
                status: r.status,
                error_type: r.error_type,
                error_message: r.error_message,
                ip: r.ip,
                country: r.country,
                language: r.language,
                is_test: r.is_test,
                email: r.email,
                phone: r.phone,
                first_name: r.first_name,
                last_name: r.last_name,
                external_id: r.external_id,
                created_at: r.created_at,
                updated_at: r.updated_at,
            }
        })
        .collect())
}

/// Leads matching `q`, newest first.
pub async fn list(app: &App, actor: &Principal, q: LeadQuery, page: Page) -> Result<Vec<LeadView>> {
    actor.require(Permission::ReadLeadDistribution)?;
    let conn = app.db().conn();
    let mut v = Violations::new();
    let status = v.check(brokercrm_core::validate::opt_text("status", q.status.as_deref(), 16));
    let created_from = v.check(instant("createdFrom", q.created_from.as_deref()));
    let created_to = v.check(instant("createdTo", q.created_to.as_deref()));
    let affiliate_id = match q.affiliate_uuid.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(u) => match users::find_by_uuid(conn, u).await? {
            Some(user) => Some(Some(user.id)),
            None => {
                v.push("affiliateUuid", "unknown user");
                None
            }
        },
        None => Some(None),
    };
    let advertiser_id = match q.advertiser_uuid.as_deref().map(str::trim).filter(|s| !s.is_empty())
    {
        Some(u) => v.check(advertiser(conn, "advertiserUuid", u).await).map(|a| Some(a.id)),
        None => Some(None),
    };
    v.finish()?;
    let filter = LeadFilter {
        status: status.flatten(),
        affiliate_id: affiliate_id.flatten(),
        advertiser_id: advertiser_id.flatten(),
        created_from: created_from.flatten(),
        created_to: created_to.flatten(),
    };
    views(conn, lead_repo::list(conn, &filter, page.offset, page.limit).await?).await
}

/// One lead with its routing trace (events in order) and conversions.
pub async fn get(app: &App, actor: &Principal, uuid: &str) -> Result<LeadDetail> {
    actor.require(Permission::ReadLeadDistribution)?;
    let conn = app.db().conn();
    let row = lead_repo::find_by_uuid(conn, uuid).await?.ok_or(Error::NotFound("lead"))?;
    let lead_id = row.id;
    let lead = views(conn, vec![row]).await?.pop().ok_or(Error::NotFound("lead"))?;
    let events = lead_events::for_lead(conn, lead_id).await?;
    let advs: HashMap<i64, (String, String)> =
        advertisers::find_by_ids(conn, &ids(events.iter().map(|e| e.advertiser_id)))
            .await?
            .into_iter()
            .map(|a| (a.id, (a.uuid, a.name)))
            .collect();
    let trace = events
        .into_iter()
        .map(|e| {
            let adv = e.advertiser_id.and_then(|a| advs.get(&a).cloned());
            LeadEventView {
                seq: e.seq,
                kind: e.kind,
                advertiser_uuid: adv.as_ref().map(|a| a.0.clone()),
                advertiser_name: adv.map(|a| a.1),
                error_type: e.error_type,
                message: e.message,
                duration_ms: e.duration_ms,
                at: e.created_at,
            }
        })
        .collect();
    let conversions = ftd::for_lead(conn, lead_id).await?;
    let goals: HashMap<i64, String> =
        goal_types::find_by_ids(conn, &ids(conversions.iter().map(|c| Some(c.goal_type_id))))
            .await?
            .into_iter()
            .map(|g| (g.id, g.name))
            .collect();
    let conversions = conversions
        .into_iter()
        .map(|c| ConversionView {
            goal_type: goals.get(&c.goal_type_id).cloned().unwrap_or_default(),
            uuid: c.uuid,
            source: c.source,
            created_at: c.created_at,
        })
        .collect();
    Ok(LeadDetail { lead, trace, conversions })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn profile_loses_its_password() {
        let p = public_profile(r#"{"password":"Secret1!","Password":"x","aff_sub":"a"}"#);
        assert_eq!(p, serde_json::json!({"aff_sub": "a"}));
        assert_eq!(public_profile("not json"), serde_json::json!({}));
    }
}
