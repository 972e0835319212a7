//! Advertiser postbacks: an advertiser reports that one of the leads we delivered reached a
//! goal (an FTD by default). Authenticated by the advertiser's postback secret (stored as a
//! SHA-256 hash, compared in constant time); the conversion is recorded at most once per
//! (lead, goal), so redeliveries are harmless. Audited.

use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::distribution::advertisers::{self as advertiser_repo, AdvertiserRow};
use brokercrm_store::repo::distribution::ftd::{self as ftd_repo, SOURCE_POSTBACK};
use brokercrm_store::repo::distribution::goal_types as goal_repo;
use brokercrm_store::repo::distribution::leads::{self as lead_repo, LeadRow};

use crate::App;
use crate::identity::security::{ct_eq, token_hash};
use crate::platform::audit::{self, Audit};

/// Goal type of a postback that names none.
pub const DEFAULT_GOAL: &str = "FTD";

/// A postback as received.
#[derive(Debug, Clone, Default)]
pub struct Postback {
    pub advertiser_uuid: String,
    pub secret: Option<String>,
    /// Our lead UUID.
    pub lead: Option<String>,
    /// The advertiser's own id for the lead.
    pub external_id: Option<String>,
    /// Goal type name (default `FTD`).
    pub goal: Option<String>,
}

/// What a postback did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostbackOutcome {
    /// False when this (lead, goal) was already recorded (a redelivery).
    pub recorded: bool,
    pub lead_uuid: String,
    pub goal: String,
}

/// Checks the secret, finds the advertiser's lead and records the conversion once.
///
/// `Unauthorized` for an unknown advertiser, one without a postback secret, or a missing or
/// wrong secret (one answer for all, so advertisers cannot be enumerated); `Validation` when
/// neither `lead` nor `externalId` is given or the goal type is unknown; `NotFound("lead")`
/// when the lead is not one this advertiser received.
pub async fn receive(app: &App, p: Postback) -> Result<PostbackOutcome> {
    let conn = app.db().conn();
    let advertiser = authenticate(app, &p).await?;
    let goal_name = match present(&p.goal) {
        None => DEFAULT_GOAL.to_owned(),
        Some(g) if g.eq_ignore_ascii_case(DEFAULT_GOAL) => DEFAULT_GOAL.to_owned(),
        Some(g) => g.to_owned(),
    };
    let goal = if goal_name == DEFAULT_GOAL {
        goal_repo::ensure_system(conn, DEFAULT_GOAL).await?
    } else {
        goal_repo::find_by_name(conn, &goal_name)
            .await?
            .ok_or_else(|| Error::field("goal", format!("unknown goal type '{goal_name}'")))?
    };
    let lead = find_lead(conn, &advertiser, &p).await?;
    let tx = app.db().begin_write().await?;
    let recorded =
        ftd_repo::record(&tx, lead.id, goal.id, lead.affiliate_id, SOURCE_POSTBACK).await?;
    if recorded {
        audit::record(
            &tx,
            None,
            Audit::new("lead.conversion.postback", "lead", lead.uuid.clone()).details(format!(
                "advertiser '{}' reported goal '{}' for lead {}",
                advertiser.name, goal.name, lead.uuid
            )),
        )
        .await?;
    }
    commit(tx).await?;
    if !recorded {
        tracing::info!(lead = %lead.uuid, goal = %goal.name, "postback redelivered; already recorded");
    }
    Ok(PostbackOutcome { recorded, lead_uuid: lead.uuid, goal: goal.name })
}

async fn authenticate(app: &App, p: &Postback) -> Result<AdvertiserRow> {
    let unauthorized = || Error::Unauthorized("invalid postback secret".into());
    let presented = present(&p.secret).map(token_hash).ok_or_else(unauthorized)?;
    let advertiser =
        advertiser_repo::find_by_uuid(app.db().conn(), p.advertiser_uuid.trim()).await?;
    match advertiser {
        Some(a) if a.postback_secret_hash.as_deref().is_some_and(|h| ct_eq(h, &presented)) => Ok(a),
        _ => Err(unauthorized()),
    }
}

/// The lead named by `lead` (our UUID) and/or `externalId`, if this advertiser received it.
async fn find_lead<C: ConnectionTrait>(
    conn: &C,
    advertiser: &AdvertiserRow,
    p: &Postback,
) -> Result<LeadRow> {
    let external = present(&p.external_id).map(str::trim);
    let lead = match (present(&p.lead).map(str::trim), external) {
        (Some(uuid), _) => lead_repo::find_by_uuid(conn, uuid).await?,
        (None, Some(ext)) => lead_repo::find_by_external_id(conn, advertiser.id, ext).await?,
        (None, None) => {
            return Err(Error::field("lead", "lead or externalId is required"));
        }
    };
    lead.filter(|l| l.advertiser_id == Some(advertiser.id))
        .filter(|l| external.is_none_or(|e| l.external_id.as_deref() == Some(e)))
        .ok_or(Error::NotFound("lead"))
}

/// The advertiser's lead with this external id (index `leads(advertiser_id, external_id)`).
fn present(v: &Option<String>) -> Option<&str> {
    v.as_deref().map(str::trim).filter(|s| !s.is_empty())
}
