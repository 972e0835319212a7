//! Storing and starting a prepared lead inside the intake batch's transaction: its row, the
//! dedup claims, the country block, then routing up to its outcome or first external call.

use brokercrm_core::Result;
use brokercrm_core::distribution::LeadErrorType;
use brokercrm_core::distribution::rules::{DedupField, DedupScope};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::distribution::dedup_keys as dedup;
use brokercrm_store::repo::distribution::leads::{LeadRow, NewLead};

use super::outbound::profile_json;
use super::plan::{self, Candidate};
use super::routing::{Next, Run};
use super::types::{Failure, Prepared, RequiredField};
use crate::App;
use crate::identity::security::token_hash;

/// A stored lead with where its routing stopped inside the transaction that stored it.
pub(crate) struct Started {
    pub run: Run,
    pub step: Next,
    pub rest: std::vec::IntoIter<Candidate>,
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
