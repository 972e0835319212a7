//! Routing one stored lead through its rotation: skip what filters, caps and required fields
//! rule out (recording why), deliver to the first advertiser that takes it, and write every
//! step to the lead's trace. Outbound calls happen only after the attempt is committed.
//!
//! [`Run::advance`] does the work inside a transaction it does not own (so the intake batch
//! can run many leads in one), stopping before an outbound call; [`Run::after_commit`] makes
//! that call once the caller committed, and goes on through the rest of the rotation.

use std::time::{Duration, Instant};

use brokercrm_core::distribution::LeadErrorType;
use brokercrm_core::distribution::rules::{CapKind, cap_period_key};
use brokercrm_core::{Error, Result};
use brokercrm_integrations::advertisers::{Delivery, OutboundLead};
use brokercrm_store::db::commit;
use brokercrm_store::repo::distribution::ftd::NewFtd;
use brokercrm_store::repo::distribution::lead_events::{self as events, NewEvent};
use brokercrm_store::repo::distribution::leads::{self as lead_repo, Finish, LeadRow};
use brokercrm_store::repo::distribution::{
    cap_counters as caps, dedup_keys as dedup, ftd as ftd_repo,
};
use brokercrm_store::{ConnectionTrait, DatabaseTransaction, LazyTx};

use super::internal_crm;
use super::outbound::profile_json;
use super::plan::Candidate;
use super::types::{Failure, Outcome, RequiredField};
use crate::App;

/// Grace added to a routing lease beyond the call it covers.
const LEASE_GRACE: Duration = Duration::from_secs(30);
/// A lease is renewed before a call only if it would otherwise leave less than this beyond
/// the call's time-out (so calls in quick succession share one renewal).
const LEASE_MIN_GRACE: Duration = Duration::from_secs(15);

/// Where routing stopped inside a transaction.
pub enum Next {
    /// The lead has its outcome (written, not yet committed).
    Done(Outcome),
    /// The attempt on an external advertiser is written; call it after the commit.
    Call(Box<Call>),
}

/// A pending call to an external advertiser.
pub struct Call {
    cand: Candidate,
    client: std::sync::Arc<dyn brokercrm_integrations::advertisers::AdvertiserClient>,
    timeout: Duration,
    /// Accepted-cap slots held for this advertiser (given back if it rejects).
    reserved: Vec<(i64, String)>,
}

/// Writes a run holds back while it is part of an intake batch, which inserts them for all
/// its leads with one statement per table before it commits.
#[derive(Default)]
pub struct Deferred {
    pub events: Vec<(i64, NewEvent)>,
    pub ftds: Vec<NewFtd>,
    pub crm_leads: Vec<internal_crm::DeferredCrmLead>,
    pub outcomes: Vec<(i64, Finish)>,
}

impl Deferred {
    /// Inserts everything held back, in `tx`.
    pub async fn write(self, tx: &impl ConnectionTrait) -> Result<()> {
        events::append_many(tx, self.events).await?;
        ftd_repo::record_many(tx, self.ftds).await?;
        internal_crm::insert_deferred(tx, self.crm_leads).await?;
        let n = self.outcomes.len() as u64;
        if lead_repo::finish_many(tx, self.outcomes).await? != n {
            return Err(Error::Conflict("a lead was finished by another process".into()));
        }
        Ok(())
    }

    /// Writes everything held back and commits `tx`; a lone trace insert with nothing else
    /// begun runs on its own.
    pub async fn commit(self, tx: LazyTx) -> Result<()> {
        let only_trace =
            self.ftds.is_empty() && self.crm_leads.is_empty() && self.outcomes.is_empty();
        if only_trace && !tx.is_begun() {
            return events::append_many(tx.autocommit(), self.events).await;
        }
        self.write(&tx).await?;
        tx.commit().await
    }

    fn absorb(&mut self, other: Deferred) {
        self.events.extend(other.events);
        self.ftds.extend(other.ftds);
        self.crm_leads.extend(other.crm_leads);
        self.outcomes.extend(other.outcomes);
    }
}

/// The state of one routing run over a lead.
pub struct Run {
    pub app: App,
    pub lead: LeadRow,
    pub outbound: OutboundLead,
    /// Id of the "Lead" goal type (resolved before any transaction opens).
    lead_goal: i64,
    seq: i32,
    pending: Vec<NewEvent>,
    first_skip: Option<Failure>,
    last_failure: Option<Failure>,
    /// `Some` while the run's writes are held back for its batch.
    deferred: Option<Deferred>,
}

impl Run {
    /// A run whose trace continues after entry `last_seq`.
    pub fn new(
        app: App,
        lead: LeadRow,
        outbound: OutboundLead,
        lead_goal: i64,
        last_seq: i32,
    ) -> Self {
        Self {
            app,
            lead,
            outbound,
            lead_goal,
            seq: last_seq,
            pending: Vec::new(),
            first_skip: None,
            last_failure: None,
            deferred: None,
        }
    }

    /// Holds back trace entries, FTDs and CRM leads until [`Run::take_deferred`].
    pub fn defer_writes(&mut self) {
        self.deferred = Some(Deferred::default());
    }

    /// Moves what the run held back into `into` and makes it write directly again.
    pub fn take_deferred(&mut self, into: &mut Deferred) {
        if let Some(d) = self.deferred.take() {
            into.absorb(d);
        }
    }

    pub fn event(
        &mut self,
        kind: &'static str,
        advertiser_id: Option<i64>,
        failure: Option<&Failure>,
        message: Option<String>,
        duration_ms: Option<i32>,
    ) {
        self.seq += 1;
        self.pending.push(NewEvent {
            seq: self.seq,
            kind,
            advertiser_id,
            error_type: failure.map(|f| f.error_type.as_str().to_owned()),
            message: message.or_else(|| failure.map(|f| f.message.clone())),
            duration_ms,
        });
    }

    /// Writes the pending trace entries in `tx`.
    pub async fn flush_into(&mut self, tx: &impl ConnectionTrait) -> Result<()> {
        self.flush(tx).await
    }

    async fn flush(&mut self, tx: &impl ConnectionTrait) -> Result<()> {
        let pending = std::mem::take(&mut self.pending);
        match &mut self.deferred {
            Some(d) => {
                d.events.extend(pending.into_iter().map(|e| (self.lead.id, e)));
                Ok(())
            }
            None => events::append(tx, self.lead.id, pending).await,
        }
    }

    fn skip(&mut self, cand: &Candidate, failure: Failure) {
        let msg = format!("{}: {}", cand.adv.name, failure.message);
        self.event("skipped", Some(cand.adv.id), Some(&failure), Some(msg), None);
        if self.first_skip.is_none() {
            self.first_skip = Some(failure);
        }
    }

    /// The value the lead has for `key` (for `requiredResponseFields`).
    pub fn value_of(&self, key: &str) -> Option<String> {
        let o = &self.outbound;
        match key {
            "email" => o.email.clone(),
            "phone" => o.phone.clone(),
            "first_name" => o.first_name.clone(),
            "last_name" => o.last_name.clone(),
            "country_code" | "country" => o.country.clone(),
            "lead_language" | "language" => o.language.clone(),
            "ip" => Some(o.ip.clone()),
            "password" => None,
            other => o.profile.get(other).cloned(),
        }
    }

    fn required(&self, keys: &[String]) -> Vec<RequiredField> {
        keys.iter().map(|k| RequiredField { key: k.clone(), value: self.value_of(k) }).collect()
    }

    /// Routes through `candidates` in `tx` and commits it; calls happen after commits.
    pub async fn route(
        mut self,
        tx: DatabaseTransaction,
        candidates: Vec<Candidate>,
    ) -> Result<Outcome> {
        let mut rest = candidates.into_iter();
        let step = self.advance(&tx, &mut rest).await?;
        commit(tx).await?;
        self.after_commit(step, rest).await
    }

    /// Goes on from `step` once the transaction that produced it is committed: makes the
    /// pending call, records its result and continues with `rest`, a transaction per call.
    pub async fn after_commit(
        mut self,
        mut step: Next,
        mut rest: std::vec::IntoIter<Candidate>,
    ) -> Result<Outcome> {
        loop {
            let call = match step {
                Next::Done(outcome) => return Ok(outcome),
                Next::Call(call) => call,
            };
            let started = Instant::now();
            let delivery = call.client.deliver(&self.outbound, call.timeout).await;
            let ms = elapsed_ms(started);
            tracing::debug!(
                lead = %self.lead.uuid,
                advertiser = %call.cand.adv.uuid,
                duration_us = u64::try_from(started.elapsed().as_micros()).unwrap_or(u64::MAX),
                accepted = matches!(delivery, Delivery::Accepted { .. }),
                "advertiser call finished"
            );
            // The step's rows are held back: if all it writes is its trace entries, that one
            // statement runs without a transaction around it.
            let tx = LazyTx::new(self.app.db());
            self.defer_writes();
            step = match self.settle(&tx, *call, delivery, ms).await? {
                Some(outcome) => Next::Done(outcome),
                None => self.advance(&tx, &mut rest).await?,
            };
            let mut held = Deferred::default();
            self.take_deferred(&mut held);
            held.commit(tx).await?;
        }
    }

    /// Tries the candidates in order inside `tx` until the lead has an outcome or an
    /// external advertiser must be called (its attempt and lease are then written in `tx`).
    pub async fn advance(
        &mut self,
        tx: &impl ConnectionTrait,
        rest: &mut std::vec::IntoIter<Candidate>,
    ) -> Result<Next> {
        'next: for cand in rest.by_ref() {
            let now = self.app.clock().now();
            if now >= self.lead.deadline_at {
                let f = Failure::new(
                    LeadErrorType::TimeoutError,
                    "the rotation's global time-out ran out",
                );
                return self.reject(tx, f).await.map(Next::Done);
            }
            let country = self.outbound.country.clone();
            if let Some(filter) = &cand.filter
                && let Err(miss) = filter.check(country.as_deref(), now)
            {
                self.skip(
                    &cand,
                    Failure::new(LeadErrorType::BlockedByTrafficFilter, miss.to_string()),
                );
                continue;
            }
            if cand.client.is_none()
                && self.outbound.email.is_none()
                && self.outbound.phone.is_none()
            {
                let mut f = Failure::new(LeadErrorType::FixableInput, "email or phone is required");
                f.required = self.required(&["email".to_owned()]);
                self.skip(&cand, f);
                continue;
            }
            for cap in cand
                .caps
                .iter()
                .filter(|c| c.kind == CapKind::Rejected && c.applies(country.as_deref()))
            {
                let key = cap_period_key(cap.period, now, cand.tz);
                if caps::count(tx, cap.id, &key).await? >= cap.max {
                    let msg =
                        format!("rejected cap of {} per {} is full", cap.max, cap.period.as_str());
                    self.skip(&cand, Failure::new(LeadErrorType::RotationError, msg));
                    continue 'next;
                }
            }
            let mut reserved = Vec::new();
            for cap in cand
                .caps
                .iter()
                .filter(|c| c.kind == CapKind::Accepted && c.applies(country.as_deref()))
            {
                let key = cap_period_key(cap.period, now, cand.tz);
                if caps::reserve(tx, cap.id, &key, cap.max).await? {
                    reserved.push((cap.id, key));
                } else {
                    for (id, key) in &reserved {
                        caps::release(tx, *id, key).await?;
                    }
                    let scope =
                        cap.country.as_deref().map(|c| format!(" for {c}")).unwrap_or_default();
                    let msg = format!(
                        "accepted cap of {} per {}{scope} is reached",
                        cap.max,
                        cap.period.as_str()
                    );
                    self.skip(&cand, Failure::new(LeadErrorType::RotationError, msg));
                    continue 'next;
                }
            }
            let Some(client) = cand.client.clone() else {
                let started = Instant::now();
                let queue = self.deferred.as_mut().map(|d| &mut d.crm_leads);
                let d =
                    internal_crm::deliver(&self.app, tx, &self.lead, &self.outbound, queue).await?;
                let ms = elapsed_ms(started);
                let outcome =
                    self.accept(tx, &cand, d.external_id, d.auto_login_url, ms, true).await?;
                return Ok(Next::Done(outcome));
            };
            let remaining = (self.lead.deadline_at - now).to_std().unwrap_or_default();
            let timeout = Duration::from_millis(cand.adv.timeout_ms.max(1) as u64).min(remaining);
            let msg =
                format!("delivering to {} (time-out {} ms)", cand.adv.name, timeout.as_millis());
            self.event("attempt", Some(cand.adv.id), None, Some(msg), None);
            self.flush(tx).await?;
            let needed =
                now + chrono::Duration::from_std(timeout + LEASE_MIN_GRACE).unwrap_or_default();
            if self.lead.lease_until.is_none_or(|l| l < needed) {
                let lease =
                    now + chrono::Duration::from_std(timeout + LEASE_GRACE).unwrap_or_default();
                lead_repo::renew_lease(tx, self.lead.id, lease).await?;
                self.lead.lease_until = Some(lease);
            }
            return Ok(Next::Call(Box::new(Call { cand, client, timeout, reserved })));
        }
        let f = self.last_failure.take().or_else(|| self.first_skip.take()).unwrap_or_else(|| {
            Failure::new(
                LeadErrorType::RotationError,
                "no advertiser in the offer's rotation can take the lead",
            )
        });
        self.reject(tx, f).await.map(Next::Done)
    }

    /// Records what an advertiser answered; `Some` when that ends the run.
    async fn settle(
        &mut self,
        tx: &impl ConnectionTrait,
        call: Call,
        delivery: Delivery,
        ms: i32,
    ) -> Result<Option<Outcome>> {
        let cand = &call.cand;
        let failure = match delivery {
            Delivery::Accepted { external_id, auto_login_url } => {
                let missing = if cand.adv.require_auto_login && auto_login_url.is_none() {
                    Some(Failure::new(
                        LeadErrorType::NoAutologinUrl,
                        format!("{} accepted the lead without an auto-login URL", cand.adv.name),
                    ))
                } else if cand.adv.require_external_id && external_id.is_none() {
                    Some(Failure::new(
                        LeadErrorType::NoBrandCrmId,
                        format!("{} accepted the lead without its lead id", cand.adv.name),
                    ))
                } else {
                    None
                };
                let outcome = match missing {
                    // The advertiser has the lead: stop here rather than deliver it twice.
                    Some(f) => {
                        self.event("rejected", Some(cand.adv.id), Some(&f), None, Some(ms));
                        self.reject(tx, f).await?
                    }
                    None => self.accept(tx, cand, external_id, auto_login_url, ms, false).await?,
                };
                return Ok(Some(outcome));
            }
            Delivery::Rejected { error_type, message, required_fields } => {
                let mut f = Failure::new(error_type, message);
                f.required = self.required(&required_fields);
                f
            }
        };
        for (id, key) in &call.reserved {
            caps::release(tx, *id, key).await?;
        }
        let now = self.app.clock().now();
        let country = self.outbound.country.clone();
        for cap in cand
            .caps
            .iter()
            .filter(|c| c.kind == CapKind::Rejected && c.applies(country.as_deref()))
        {
            caps::reserve(tx, cap.id, &cap_period_key(cap.period, now, cand.tz), cap.max).await?;
        }
        self.event("rejected", Some(cand.adv.id), Some(&failure), None, Some(ms));
        self.last_failure = Some(failure);
        Ok(None)
    }

    async fn accept(
        &mut self,
        tx: &impl ConnectionTrait,
        cand: &Candidate,
        external_id: Option<String>,
        auto_login_url: Option<String>,
        ms: i32,
        keep_password: bool,
    ) -> Result<Outcome> {
        let ftd = NewFtd {
            lead_id: self.lead.id,
            goal_type_id: self.lead_goal,
            affiliate_id: self.lead.affiliate_id,
            source: ftd_repo::SOURCE_ROUTING,
        };
        match &mut self.deferred {
            Some(d) => d.ftds.push(ftd),
            None => {
                ftd_repo::record_many(tx, vec![ftd]).await?;
            }
        }
        let msg = format!("accepted by {}", cand.adv.name);
        self.event("accepted", Some(cand.adv.id), None, Some(msg), Some(ms));
        self.flush(tx).await?;
        let finish = Finish {
            status: lead_repo::ACCEPTED,
            advertiser_id: Some(cand.adv.id),
            error_type: None,
            error_message: None,
            external_id: external_id.clone(),
            auto_login_url: auto_login_url.clone(),
            profile: if keep_password { None } else { Some(profile_json(&self.outbound, false)) },
        };
        self.finish(tx, finish).await?;
        Ok(Outcome::Accepted {
            lead_uuid: self.lead.uuid.clone(),
            advertiser_uuid: cand.adv.uuid.clone(),
            advertiser_name: cand.adv.name.clone(),
            auto_login_url,
            external_id,
        })
    }

    /// Writes the lead's outcome (or holds it back for the batch).
    async fn finish(&mut self, tx: &impl ConnectionTrait, finish: Finish) -> Result<()> {
        if let Some(d) = &mut self.deferred {
            d.outcomes.push((self.lead.id, finish));
            return Ok(());
        }
        if !lead_repo::finish(tx, self.lead.id, finish).await? {
            return Err(Error::Conflict("the lead was finished by another process".into()));
        }
        Ok(())
    }

    /// Ends the run with `f` as the lead's outcome (written in `tx`, which the caller commits).
    pub async fn reject(&mut self, tx: &impl ConnectionTrait, f: Failure) -> Result<Outcome> {
        self.event("final", None, Some(&f), None, None);
        self.flush(tx).await?;
        dedup::release_for_lead(tx, self.lead.id).await?;
        let finish = Finish {
            status: lead_repo::REJECTED,
            advertiser_id: None,
            error_type: Some(f.error_type.as_str().to_owned()),
            error_message: Some(f.message.clone()),
            external_id: None,
            auto_login_url: None,
            profile: Some(profile_json(&self.outbound, false)),
        };
        self.finish(tx, finish).await?;
        Ok(Outcome::Rejected {
            lead_uuid: self.lead.uuid.clone(),
            error_type: f.error_type,
            message: f.message,
            required_fields: f.required,
        })
    }
}

fn elapsed_ms(started: Instant) -> i32 {
    i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX)
}
