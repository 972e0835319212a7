//! Accepting a lead from any channel (affiliate API v2, lead-provider API): resolve the
//! offer, store the lead before any outbound call, then route it.

use std::collections::BTreeMap;

use brokercrm_core::leads::LeadErrorType;
use brokercrm_core::{Error, Result};
use serde::Serialize;

use brokercrm_core::leads::rules::{DedupField, DedupScope};
use brokercrm_integrations::advertisers::OutboundLead;
use brokercrm_store::repo::leads::dedup;
use brokercrm_store::repo::leads::leads::{self as lead_repo, NewLead};
use brokercrm_store::repo::leads::routing_config as cfg;

use super::plan;
use super::profile_json;
use super::routing::{Failure, Run};
use crate::App;
use crate::security::token_hash;

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

/// Stores the lead and routes it. `Err(NotFound("offer"))` when the offer does not exist or
/// is not open to this affiliate (nothing is stored then); every other refusal is a stored
/// lead with a `Rejected` outcome.
pub async fn submit(app: &App, s: Submission) -> Result<Outcome> {
    let conn = app.db().conn();
    let offer = match &s.offer {
        OfferRef::Id(id) => cfg::offer_by_id(conn, *id).await?,
        OfferRef::Uuid(u) => cfg::offer_by_uuid(conn, u).await?,
        OfferRef::Default(Some(id)) => cfg::offer_by_id(conn, *id).await?,
        OfferRef::Default(None) => None,
    }
    .filter(|o| o.active && o.affiliate_id.is_none_or(|a| a == s.affiliate_id))
    .ok_or(Error::NotFound("offer"))?;
    let offer_id = offer.id;
    let offer_name = offer.lead_source.clone().or_else(|| Some(offer.name.clone()));
    let plan = plan::offer_plan(app, offer).await?;
    let rules = plan::dedup_rules(app).await?;
    let lead_goal = plan::lead_goal_id(app).await?;

    let now = app.clock().now();
    let budget = chrono::Duration::from_std(app.cfg().lead_global_timeout)
        .unwrap_or(chrono::Duration::seconds(85));
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
    let tx = app.db().begin_write().await?;
    let lead = lead_repo::insert(
        &tx,
        NewLead {
            uuid: outbound.lead_uuid.clone(),
            affiliate_id: s.affiliate_id,
            token_id: s.token_id,
            channel: s.channel.as_str().to_owned(),
            offer_id: Some(offer_id),
            ip: outbound.ip.clone(),
            country: outbound.country.clone(),
            language: outbound.language.clone(),
            is_test: outbound.is_test,
            email: outbound.email.clone(),
            phone: outbound.phone.clone(),
            first_name: outbound.first_name.clone(),
            last_name: outbound.last_name.clone(),
            profile: profile_json(&outbound, true),
            lease_until: now + chrono::Duration::seconds(30),
            deadline_at: now + budget,
        },
    )
    .await?;
    let mut run = Run::new(app, lead, outbound, lead_goal, 0);
    let msg = format!("received through {} for offer {}", s.channel.as_str(), plan.offer.name);
    run.event("received", None, None, Some(msg), None);

    for rule in rules.iter() {
        let (key, value) = match rule.field {
            DedupField::Email => {
                ("email", run.outbound.email.as_deref().map(|e| e.trim().to_lowercase()))
            }
            DedupField::Phone => ("phone", run.outbound.phone.as_deref().map(phone_digits)),
        };
        let Some(value) = value.filter(|v| !v.is_empty()) else { continue };
        let scope = match rule.scope {
            DedupScope::Global => "*".to_owned(),
            DedupScope::Affiliate => s.affiliate_id.to_string(),
        };
        let hash = token_hash(&format!("{}|{scope}|{key}|{value}", rule.id));
        let window = chrono::Duration::from_std(rule.window).unwrap_or_default();
        if !dedup::claim(&tx, &hash, run.lead.id, now, now + window).await? {
            let minutes = rule.window.as_secs().div_ceil(60);
            let mut f = Failure::new(
                LeadErrorType::CrmDuplicationError,
                format!("a lead with this {key} was received within the last {minutes} minutes"),
            );
            f.required = vec![RequiredField { key: key.to_owned(), value: run.value_of(key) }];
            return run.reject(tx, f).await;
        }
    }
    if let Some(c) = run.outbound.country.as_deref()
        && plan.blocked.iter().any(|b| b == c)
    {
        let f = Failure::new(LeadErrorType::BlockCountry, format!("country {c} is not allowed"));
        return run.reject(tx, f).await;
    }
    let candidates = plan::order(&plan);
    run.route(tx, candidates).await
}

/// The digits of a phone number (dedup compares numbers, not formatting).
fn phone_digits(p: &str) -> String {
    p.chars().filter(char::is_ascii_digit).collect()
}
