//! An offer's rotation: the advertisers that take its leads, by priority (lowest first) or
//! weight. Read as a list; replaced as a whole in one transaction.

use std::collections::{HashMap, HashSet};

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result, Violations};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::distribution::advertisers;
use brokercrm_store::repo::distribution::offers;
use brokercrm_store::repo::distribution::rotations::{self, NewRotationEntry};
use serde::Serialize;

use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Most entries one rotation may have.
pub const MAX_ENTRIES: usize = 200;

/// One advertiser in a rotation.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = RotationEntryDto)]
pub struct RotationEntryView {
    pub advertiser_uuid: String,
    pub advertiser_name: String,
    /// 0-1000; lowest first in `priority` mode.
    pub priority: i32,
    /// 1-1000; relative share in `weighted` mode.
    pub weight: i32,
    pub active: bool,
}

/// One entry as sent by staff.
#[derive(Debug, Clone)]
pub struct RotationEntryInput {
    pub advertiser_uuid: String,
    /// 0..=1000, lowest first.
    pub priority: i64,
    /// 1..=1000, relative share in weighted mode.
    pub weight: i64,
    pub active: bool,
}

async fn entries<C: ConnectionTrait>(conn: &C, offer_id: i64) -> Result<Vec<RotationEntryView>> {
    Ok(rotations::list_with_advertisers(conn, offer_id)
        .await?
        .into_iter()
        .map(|(e, a)| RotationEntryView {
            advertiser_uuid: a.uuid,
            advertiser_name: a.name,
            priority: e.priority,
            weight: e.weight,
            active: e.active,
        })
        .collect())
}

/// The offer's rotation by priority.
pub async fn get(app: &App, actor: &Principal, offer_uuid: &str) -> Result<Vec<RotationEntryView>> {
    actor.require(Permission::ReadLeadDistribution)?;
    let conn = app.db().conn();
    let offer = offers::find_by_uuid(conn, offer_uuid).await?.ok_or(Error::NotFound("offer"))?;
    entries(conn, offer.id).await
}

/// Replaces the offer's rotation. Unknown or repeated advertisers, priorities outside
/// 0..=1000 and weights outside 1..=1000 are named as `[i].<field>`. Audited.
pub async fn replace(
    app: &App,
    actor: &Principal,
    offer_uuid: &str,
    input: Vec<RotationEntryInput>,
) -> Result<Vec<RotationEntryView>> {
    actor.require(Permission::ManageLeadDistribution)?;
    if input.len() > MAX_ENTRIES {
        return Err(Error::field("body", format!("at most {MAX_ENTRIES} entries")));
    }
    let tx = app.db().begin_write().await?;
    let offer = offers::find_by_uuid(&tx, offer_uuid).await?.ok_or(Error::NotFound("offer"))?;
    let uuids: Vec<String> = input.iter().map(|e| e.advertiser_uuid.trim().to_owned()).collect();
    let known: HashMap<String, i64> = advertisers::find_by_uuids(&tx, &uuids)
        .await?
        .into_iter()
        .map(|a| (a.uuid, a.id))
        .collect();
    let mut v = Violations::new();
    let mut seen = HashSet::new();
    let mut rows = Vec::with_capacity(input.len());
    for (i, (e, uuid)) in input.iter().zip(&uuids).enumerate() {
        let id = known.get(uuid).copied();
        match id {
            None => v.push(format!("[{i}].advertiserUuid"), "unknown advertiser"),
            Some(id) if !seen.insert(id) => {
                v.push(format!("[{i}].advertiserUuid"), "advertiser listed twice")
            }
            Some(_) => {}
        }
        let priority = i32::try_from(e.priority).ok().filter(|p| (0..=1000).contains(p));
        if priority.is_none() {
            v.push(format!("[{i}].priority"), "must be 0 to 1000");
        }
        let weight = i32::try_from(e.weight).ok().filter(|w| (1..=1000).contains(w));
        if weight.is_none() {
            v.push(format!("[{i}].weight"), "must be 1 to 1000");
        }
        if let (Some(advertiser_id), Some(priority), Some(weight)) = (id, priority, weight) {
            rows.push(NewRotationEntry { advertiser_id, priority, weight, active: e.active });
        }
    }
    v.finish()?;
    let before = entries(&tx, offer.id).await?;
    rotations::replace(&tx, offer.id, rows).await?;
    let after = entries(&tx, offer.id).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new("offer.rotation", "offer", offer_uuid)
            .details(format!(
                "rotation of offer '{}' set ({} advertisers)",
                offer.name,
                after.len()
            ))
            .before(&before)
            .after(&after),
    )
    .await?;
    super::commit_config(app, tx).await?;
    Ok(after)
}
