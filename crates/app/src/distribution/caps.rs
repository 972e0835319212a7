//! Caps on an advertiser's accepted or rejected leads, per day (in the advertiser's traffic
//! filter time zone, default UTC) or in total, optionally per offer and country; shown with
//! the count of the current period.

use std::collections::HashMap;

use brokercrm_core::distribution::rules::{CapKind, CapPeriod, cap_period_key};
use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::distribution::advertisers::{self, AdvertiserRow};
use brokercrm_store::repo::distribution::cap_counters;
use brokercrm_store::repo::distribution::caps::{self, CapRow, NewCap};
use chrono::{DateTime, Utc};
use serde::Serialize;

use super::advertisers::stored_filter;
use super::{Page, advertiser, ids, new_uuid, offer_id, offer_uuids, opt_country};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Largest `maxCount`.
pub const MAX_COUNT: i64 = 10_000_000;

/// A cap as staff see it, with `used`: its count in the current period.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CapDto)]
pub struct CapView {
    pub uuid: String,
    pub advertiser_uuid: String,
    /// `null`: every offer.
    pub offer_uuid: Option<String>,
    /// ISO-2; `null`: every country.
    pub country: Option<String>,
    /// `day` (in the advertiser's traffic-filter time zone, default UTC) or `total`.
    pub period: String,
    /// `accepted` or `rejected` leads.
    pub kind: String,
    pub max_count: i32,
    /// Counted in the current period.
    pub used: i32,
    pub created_at: DateTime<Utc>,
}

/// A cap as sent by staff.
#[derive(Debug, Clone, Default)]
pub struct CapInput {
    pub advertiser_uuid: String,
    pub offer_uuid: Option<String>,
    pub country: Option<String>,
    pub period: String,
    pub kind: String,
    pub max_count: i64,
}

fn max_count(raw: i64) -> Result<i32> {
    i32::try_from(raw)
        .ok()
        .filter(|_| (0..=MAX_COUNT).contains(&raw))
        .ok_or_else(|| Error::field("maxCount", format!("must be 0 to {MAX_COUNT}")))
}

/// Views of `rows`, with the public ids of advertisers and offers and the current counts.
async fn views<C: ConnectionTrait>(conn: &C, rows: Vec<CapRow>) -> Result<Vec<CapView>> {
    let advs: HashMap<i64, AdvertiserRow> =
        advertisers::find_by_ids(conn, &ids(rows.iter().map(|c| Some(c.advertiser_id))))
            .await?
            .into_iter()
            .map(|a| (a.id, a))
            .collect();
    let offers = offer_uuids(conn, &ids(rows.iter().map(|c| c.offer_id))).await?;
    let now = Utc::now();
    let keys: Vec<(i64, String)> = rows
        .iter()
        .map(|c| {
            let tz = advs.get(&c.advertiser_id).and_then(stored_filter).unwrap_or_default().tz();
            let period = CapPeriod::parse("period", &c.period).unwrap_or(CapPeriod::Total);
            (c.id, cap_period_key(period, now, tz))
        })
        .collect();
    let counts: HashMap<i64, i32> = cap_counters::counters(conn, &keys)
        .await?
        .into_iter()
        .map(|r| (r.cap_id, r.count))
        .collect();
    Ok(rows
        .into_iter()
        .map(|c| CapView {
            advertiser_uuid: advs.get(&c.advertiser_id).map(|a| a.uuid.clone()).unwrap_or_default(),
            offer_uuid: c.offer_id.and_then(|o| offers.get(&o).cloned()),
            used: counts.get(&c.id).copied().unwrap_or(0),
            uuid: c.uuid,
            country: c.country,
            period: c.period,
            kind: c.kind,
            max_count: c.max_count,
            created_at: c.created_at,
        })
        .collect())
}

async fn view<C: ConnectionTrait>(conn: &C, row: CapRow) -> Result<CapView> {
    views(conn, vec![row]).await?.pop().ok_or(Error::NotFound("cap"))
}

/// Caps by id, of one advertiser when `advertiser_uuid` is given.
pub async fn list(
    app: &App,
    actor: &Principal,
    advertiser_uuid: Option<&str>,
    page: Page,
) -> Result<Vec<CapView>> {
    actor.require(Permission::ReadLeadDistribution)?;
    let conn = app.db().conn();
    let adv = match advertiser_uuid.map(str::trim).filter(|s| !s.is_empty()) {
        Some(u) => Some(advertiser(conn, "advertiserUuid", u).await?.id),
        None => None,
    };
    let rows = caps::list(conn, adv, page.offset, page.limit).await?;
    views(conn, rows).await
}

/// Creates a cap. Audited.
pub async fn create(app: &App, actor: &Principal, i: CapInput) -> Result<CapView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let mut v = Violations::new();
    let adv = v.check(advertiser(&tx, "advertiserUuid", &i.advertiser_uuid).await);
    let offer = match i.offer_uuid.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(u) => v.check(offer_id(&tx, "offerUuid", u).await).map(Some),
        None => Some(None),
    };
    let country = v.check(opt_country("country", i.country.as_deref()));
    let period = v.check(CapPeriod::parse("period", i.period.trim()));
    let kind = v.check(CapKind::parse("kind", i.kind.trim()));
    let max = v.check(max_count(i.max_count));
    v.finish()?;
    let (Some(adv), Some(offer_id), Some(country), Some(period), Some(kind), Some(max_count)) =
        (adv, offer, country, period, kind, max)
    else {
        return Err(Error::internal("cap validation incomplete"));
    };
    let row = caps::insert(
        &tx,
        NewCap {
            uuid: new_uuid(),
            advertiser_id: adv.id,
            offer_id,
            country,
            period: period.as_str().to_owned(),
            kind: kind.as_str().to_owned(),
            max_count,
        },
    )
    .await?;
    let view = view(&tx, row).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("cap.create", "cap", view.uuid.clone())
            .details(format!(
                "{} {} cap of {} set for advertiser '{}'",
                view.period, view.kind, view.max_count, adv.name
            ))
            .after(&view),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(view)
}

/// Changes a cap's `maxCount`. Audited.
pub async fn set_max_count(app: &App, actor: &Principal, uuid: &str, max: i64) -> Result<CapView> {
    actor.require(Permission::ManageLeadDistribution)?;
    let max = max_count(max)?;
    let tx = app.db().begin_write().await?;
    let old = caps::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("cap"))?;
    caps::set_max_count(&tx, old.id, max).await?;
    let before = view(&tx, old.clone()).await?;
    let after = CapView { max_count: max, ..before.clone() };
    audit::record(
        &tx,
        Some(actor),
        Audit::new("cap.update", "cap", uuid)
            .details(format!("cap changed from {} to {max}", before.max_count))
            .before(&before)
            .after(&after),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(after)
}

/// Deletes a cap and its counters. Audited.
pub async fn delete(app: &App, actor: &Principal, uuid: &str) -> Result<()> {
    actor.require(Permission::ManageLeadDistribution)?;
    let tx = app.db().begin_write().await?;
    let old = caps::find_by_uuid(&tx, uuid).await?.ok_or(Error::NotFound("cap"))?;
    let before = view(&tx, old.clone()).await?;
    caps::delete(&tx, old.id).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("cap.delete", "cap", uuid).details("cap deleted").before(&before),
    )
    .await?;
    super::commit_config(app, tx).await
}
