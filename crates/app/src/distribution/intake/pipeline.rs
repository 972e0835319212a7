//! Accepting a lead from any channel (affiliate API v2, lead-provider API): resolve the
//! offer, store the lead (in the intake batch) before any outbound call, then route it.

use brokercrm_core::{Error, Result};
use brokercrm_integrations::advertisers::OutboundLead;

use super::batch;
use super::plan;
use super::start::Started;
use super::types::{OfferRef, Outcome, Prepared, Submission};
use crate::App;

/// Stores the lead and routes it. `Err(NotFound("offer"))` when the offer does not exist or
/// is not open to this affiliate (nothing is stored then); every other refusal is a stored
/// lead with a `Rejected` outcome.
pub async fn submit(app: &App, s: Submission) -> Result<Outcome> {
    let prepared = prepare(app, s).await?;
    let Started { run, step, rest } = batch::start(app, prepared).await?;
    run.after_commit(step, rest).await
}

/// Resolves the offer and its cached plan; reads only.
async fn prepare(app: &App, s: Submission) -> Result<Prepared> {
    let key = match &s.offer {
        OfferRef::Id(id) | OfferRef::Default(Some(id)) => Some(plan::OfferKey::Id(*id)),
        OfferRef::Uuid(u) => Some(plan::OfferKey::Uuid(u.clone())),
        OfferRef::Default(None) => None,
    };
    let offer = match key {
        Some(key) => plan::offer(app, key).await?,
        None => None,
    }
    .filter(|o| o.active && o.affiliate_id.is_none_or(|a| a == s.affiliate_id))
    .ok_or(Error::NotFound("offer"))?;
    let offer_id = offer.id;
    let offer_name = offer.lead_source.clone().or_else(|| Some(offer.name.clone()));
    let plan = plan::offer_plan(app, offer).await?;
    let rules = plan::dedup_rules(app).await?;
    let lead_goal = plan::lead_goal_id(app).await?;
    let outbound = OutboundLead {
        lead_uuid: uuid::Uuid::now_v7().to_string(),
        ip: s.ip,
        country: s.country,
        language: s.language,
        is_test: s.is_test,
        email: s.email,
        first_name: s.first_name,
        last_name: s.last_name,
        phone: s.phone,
        password: s.password,
        profile: s.profile,
        offer_name,
        affiliate_id: Some(s.affiliate_id),
    };
    Ok(Prepared {
        affiliate_id: s.affiliate_id,
        token_id: s.token_id,
        channel: s.channel,
        offer_id,
        plan,
        rules,
        lead_goal,
        outbound,
    })
}
