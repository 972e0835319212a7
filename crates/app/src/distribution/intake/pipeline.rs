//! Accepting a lead from any channel (affiliate API v2, lead-provider API): resolve the
//! offer, store the lead (in the intake batch) before any outbound call, then route it.

use std::collections::BTreeMap;
use std::sync::Arc;

use brokercrm_core::distribution::LeadErrorType;
use brokercrm_core::{Error, Result};
use serde::Serialize;

use brokercrm_core::distribution::rules::{DedupField, DedupScope};
use brokercrm_integrations::advertisers::OutboundLead;
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::distribution::dedup_keys as dedup;
use brokercrm_store::repo::distribution::leads::{LeadRow, NewLead};

use super::batch;
use super::plan::{self, Candidate, DedupRule, OfferPlan};
use super::profile_json;
use super::routing::{Failure, Next, Run};
use crate::App;
use crate::identity::security::token_hash;

/// Where a lead came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    AffiliateV2,
    LeadProvider,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::AffiliateV2 => "affiliate_v2",
            Channel::LeadProvider => "lead_provider",
        }
    }
}

/// How the submission names its offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferRef {
    /// The integer offer id (seed 001 `offer_id`).
    Id(i64),
    /// The offer UUID (seed 000 `offerUuid`).
    Uuid(String),
    /// None given: the token's default offer, if it has one.
    Default(Option<i64>),
}

/// A validated lead as a channel hands it over.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The affiliate (user id) the lead belongs to.
    pub affiliate_id: i64,
    pub token_id: Option<i64>,
    pub channel: Channel,
    pub offer: OfferRef,
    pub ip: String,
    /// ISO-2, upper case.
    pub country: Option<String>,
    /// ISO 639-1, lower case.
    pub language: Option<String>,
    pub is_test: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub password: Option<String>,
    /// Every other lead-profile key, values already trimmed to 512 characters + `<..>`.
    pub profile: BTreeMap<String, String>,
}

/// A field an advertiser needs, with the value the lead had (seed 001 `requiredResponseFields`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequiredField {
    pub key: String,
    pub value: Option<String>,
}

/// What became of a stored lead.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Accepted {
        lead_uuid: String,
        advertiser_uuid: String,
        advertiser_name: String,
        auto_login_url: Option<String>,
        external_id: Option<String>,
    },
    Rejected {
        lead_uuid: String,
        error_type: LeadErrorType,
        message: String,
        required_fields: Vec<RequiredField>,
    },
}

/// A lead ready to be stored: validated, its offer's plan resolved, outside any transaction.
#[derive(Clone)]
pub(crate) struct Prepared {
    affiliate_id: i64,
    token_id: Option<i64>,
    channel: Channel,
    offer_id: i64,
    plan: Arc<OfferPlan>,
    rules: Arc<Vec<DedupRule>>,
    lead_goal: i64,
    outbound: OutboundLead,
}

/// A stored lead with where its routing stopped inside the transaction that stored it.
pub(crate) struct Started {
    pub run: Run,
    pub step: Next,
    pub rest: std::vec::IntoIter<Candidate>,
}

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

/// The lead row a prepared lead is stored as.
pub(crate) fn new_lead(app: &App, p: &Prepared) -> NewLead {
    let now = app.clock().now();
    let budget = chrono::Duration::from_std(app.cfg().lead_global_timeout)
        .unwrap_or(chrono::Duration::seconds(85));
    let out = &p.outbound;
    NewLead {
        uuid: out.lead_uuid.clone(),
        affiliate_id: p.affiliate_id,
        token_id: p.token_id,
        channel: p.channel.as_str().to_owned(),
        offer_id: Some(p.offer_id),
        ip: out.ip.clone(),
        country: out.country.clone(),
        language: out.language.clone(),
        is_test: out.is_test,
        email: out.email.clone(),
        phone: out.phone.clone(),
        first_name: out.first_name.clone(),
        last_name: out.last_name.clone(),
        profile: profile_json(out, true),
        lease_until: now + chrono::Duration::seconds(30),
        deadline_at: now + budget,
    }
}

/// Routes a prepared lead, already stored as `lead`, inside `tx` (which the caller commits):
/// dedup claims, country blocks, then the rotation up to its outcome or its first external
/// call. The run's writes are held back for the batch ([`Run::take_deferred`]).
pub(crate) async fn start_in(
    app: &App,
    tx: &DatabaseTransaction,
    p: Prepared,
    lead: LeadRow,
) -> Result<Started> {
    let now = app.clock().now();
    let outbound = p.outbound;
    let mut run = Run::new(app.clone(), lead, outbound, p.lead_goal, 0);
    run.defer_writes();
    let msg = format!("received through {} for offer {}", p.channel.as_str(), p.plan.offer.name);
    run.event("received", None, None, Some(msg), None);
    let no_rest = || Vec::new().into_iter();

    for rule in p.rules.iter() {
        let (key, value) = match rule.field {
            DedupField::Email => {
                ("email", run.outbound.email.as_deref().map(|e| e.trim().to_lowercase()))
            }
            DedupField::Phone => ("phone", run.outbound.phone.as_deref().map(phone_digits)),
        };
        let Some(value) = value.filter(|v| !v.is_empty()) else { continue };
        let scope = match rule.scope {
            DedupScope::Global => "*".to_owned(),
            DedupScope::Affiliate => p.affiliate_id.to_string(),
        };
        let hash = token_hash(&format!("{}|{scope}|{key}|{value}", rule.id));
        let window = chrono::Duration::from_std(rule.window).unwrap_or_default();
        if !dedup::claim(tx, &hash, run.lead.id, now, now + window).await? {
            let minutes = rule.window.as_secs().div_ceil(60);
            let mut f = Failure::new(
                LeadErrorType::CrmDuplicationError,
                format!("a lead with this {key} was received within the last {minutes} minutes"),
            );
            f.required = vec![RequiredField { key: key.to_owned(), value: run.value_of(key) }];
            let step = Next::Done(run.reject(tx, f).await?);
            return Ok(Started { run, step, rest: no_rest() });
        }
    }
    if let Some(c) = run.outbound.country.as_deref()
        && p.plan.blocked.iter().any(|b| b == c)
    {
        let f = Failure::new(LeadErrorType::BlockCountry, format!("country {c} is not allowed"));
        let step = Next::Done(run.reject(tx, f).await?);
        return Ok(Started { run, step, rest: no_rest() });
    }
    let mut rest = plan::order(&p.plan).into_iter();
    let step = run.advance(tx, &mut rest).await?;
    Ok(Started { run, step, rest })
}

/// The digits of a phone number (dedup compares numbers, not formatting).
fn phone_digits(p: &str) -> String {
    p.chars().filter(char::is_ascii_digit).collect()
}
