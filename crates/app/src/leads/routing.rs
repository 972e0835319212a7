//! Routing one stored lead through its rotation: skip what filters, caps and required fields
//! rule out (recording why), deliver to the first advertiser that takes it, and write every
//! step to the lead's trace. Outbound calls happen only after the attempt is committed.

use std::time::{Duration, Instant};

use brokercrm_core::leads::LeadErrorType;
use brokercrm_core::leads::rules::{CapKind, cap_period_key};
use brokercrm_core::{Error, Result};
use brokercrm_integrations::advertisers::{Delivery, OutboundLead};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::db::commit;
use brokercrm_store::repo::leads::events::{self, NewEvent};
use brokercrm_store::repo::leads::leads::{self as lead_repo, Finish, LeadRow};
use brokercrm_store::repo::leads::{caps, conversions, dedup};

use super::intake::{Outcome, RequiredField};
use super::plan::Candidate;
use super::{internal_crm, profile_json};
use crate::App;

/// Grace added to a routing lease beyond the call it covers.
const LEASE_GRACE: Duration = Duration::from_secs(30);

/// Why a lead was not delivered somewhere.
#[derive(Debug, Clone)]
pub struct Failure {
    pub error_type: LeadErrorType,
    pub message: String,
    pub required: Vec<RequiredField>,
}

impl Failure {
    pub fn new(error_type: LeadErrorType, message: impl Into<String>) -> Self {
        Self { error_type, message: message.into(), required: Vec::new() }
    }
}

/// The state of one routing run over a lead.
pub struct Run<'a> {
    pub app: &'a App,
    pub lead: LeadRow,
    pub outbound: OutboundLead,
    /// Id of the "Lead" goal type (resolved before any transaction opens).
    lead_goal: i64,
    seq: i32,
    pending: Vec<NewEvent>,
    first_skip: Option<Failure>,
    last_failure: Option<Failure>,
}

impl<'a> Run<'a> {
    /// A run whose trace continues after entry `last_seq`.
    pub fn new(
        app: &'a App,
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
    pub async fn flush_into(&mut self, tx: &DatabaseTransaction) -> Result<()> {
        self.flush(tx).await
    }

    async fn flush(&mut self, tx: &DatabaseTransaction) -> Result<()> {
        events::append(tx, self.lead.id, std::mem::take(&mut self.pending)).await
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

    /// Tries `candidates` in order inside `tx` (which holds the lead's latest writes).
    pub async fn route(
        mut self,
        mut tx: DatabaseTransaction,
        candidates: Vec<Candidate>,
    ) -> Result<Outcome> {
        'next: for cand in candidates {
            let now = self.app.clock().now();
            if now >= self.lead.deadline_at {
                let f = Failure::new(
                    LeadErrorType::TimeoutError,
                    "the rotation's global time-out ran out",
                );
                return self.reject(tx, f).await;
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
                if caps::count(&tx, cap.id, &key).await? >= cap.max {
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
                if caps::reserve(&tx, cap.id, &key, cap.max).await? {
                    reserved.push((cap.id, key));
                } else {
                    for (id, key) in &reserved {
                        caps::release(&tx, *id, key).await?;
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
                let d = internal_crm::deliver(self.app, &tx, &self.lead, &self.outbound).await?;
                let ms = elapsed_ms(started);
                return self.accept(tx, &cand, d.external_id, d.auto_login_url, ms, true).await;
            };
            let remaining = (self.lead.deadline_at - now).to_std().unwrap_or_default();
            let timeout = Duration::from_millis(cand.adv.timeout_ms.max(1) as u64).min(remaining);
            let msg =
                format!("delivering to {} (time-out {} ms)", cand.adv.name, timeout.as_millis());
            self.event("attempt", Some(cand.adv.id), None, Some(msg), None);
            self.flush(&tx).await?;
            let lease = now + chrono::Duration::from_std(timeout + LEASE_GRACE).unwrap_or_default();
            lead_repo::renew_lease(&tx, self.lead.id, lease).await?;
            commit(tx).await?;

            let started = Instant::now();
            let delivery = client.deliver(&self.outbound, timeout).await;
            let ms = elapsed_ms(started);
            tx = self.app.db().begin_write().await?;
            let failure = match delivery {
                Delivery::Accepted { external_id, auto_login_url } => {
                    let missing = if cand.adv.require_auto_login && auto_login_url.is_none() {
                        Some(Failure::new(
                            LeadErrorType::NoAutologinUrl,
                            format!(
                                "{} accepted the lead without an auto-login URL",
                                cand.adv.name
                            ),
                        ))
                    } else if cand.adv.require_external_id && external_id.is_none() {
                        Some(Failure::new(
                            LeadErrorType::NoBrandCrmId,
                            format!("{} accepted the lead without its lead id", cand.adv.name),
                        ))
                    } else {
                        None
                    };
                    match missing {
                        // The advertiser has the lead: stop here rather than deliver it twice.
                        Some(f) => {
                            self.event("rejected", Some(cand.adv.id), Some(&f), None, Some(ms));
                            return self.reject(tx, f).await;
                        }
                        None => {
                            return self
                                .accept(tx, &cand, external_id, auto_login_url, ms, false)
                                .await;
                        }
                    }
                }
                Delivery::Rejected { error_type, message, required_fields } => {
                    let mut f = Failure::new(error_type, message);
                    f.required = self.required(&required_fields);
                    f
                }
            };
            for (id, key) in &reserved {
                caps::release(&tx, *id, key).await?;
            }
            let now = self.app.clock().now();
            for cap in cand
                .caps
                .iter()
                .filter(|c| c.kind == CapKind::Rejected && c.applies(country.as_deref()))
            {
                caps::reserve(&tx, cap.id, &cap_period_key(cap.period, now, cand.tz), cap.max)
                    .await?;
            }
            self.event("rejected", Some(cand.adv.id), Some(&failure), None, Some(ms));
            self.last_failure = Some(failure);
        }
        let f = self.last_failure.take().or_else(|| self.first_skip.take()).unwrap_or_else(|| {
            Failure::new(
                LeadErrorType::RotationError,
                "no advertiser in the offer's rotation can take the lead",
            )
        });
        self.reject(tx, f).await
    }

    async fn accept(
        mut self,
        tx: DatabaseTransaction,
        cand: &Candidate,
        external_id: Option<String>,
        auto_login_url: Option<String>,
        ms: i32,
        keep_password: bool,
    ) -> Result<Outcome> {
        conversions::record(
            &tx,
            self.lead.id,
            self.lead_goal,
            self.lead.affiliate_id,
            conversions::SOURCE_ROUTING,
        )
        .await?;
        let msg = format!("accepted by {}", cand.adv.name);
        self.event("accepted", Some(cand.adv.id), None, Some(msg), Some(ms));
        self.flush(&tx).await?;
        let finish = Finish {
            status: lead_repo::ACCEPTED,
            advertiser_id: Some(cand.adv.id),
            error_type: None,
            error_message: None,
            external_id: external_id.clone(),
            auto_login_url: auto_login_url.clone(),
            profile: if keep_password { None } else { Some(profile_json(&self.outbound, false)) },
        };
        if !lead_repo::finish(&tx, self.lead.id, finish).await? {
            return Err(Error::Conflict("the lead was finished by another process".into()));
        }
        commit(tx).await?;
        Ok(Outcome::Accepted {
            lead_uuid: self.lead.uuid,
            advertiser_uuid: cand.adv.uuid.clone(),
            advertiser_name: cand.adv.name.clone(),
            auto_login_url,
            external_id,
        })
    }

    /// Ends the run with `f` as the lead's outcome.
    pub async fn reject(mut self, tx: DatabaseTransaction, f: Failure) -> Result<Outcome> {
        self.event("final", None, Some(&f), None, None);
        self.flush(&tx).await?;
        dedup::release_for_lead(&tx, self.lead.id).await?;
        let finish = Finish {
            status: lead_repo::REJECTED,
            advertiser_id: None,
            error_type: Some(f.error_type.as_str().to_owned()),
            error_message: Some(f.message.clone()),
            external_id: None,
            auto_login_url: None,
            profile: Some(profile_json(&self.outbound, false)),
        };
        if !lead_repo::finish(&tx, self.lead.id, finish).await? {
            return Err(Error::Conflict("the lead was finished by another process".into()));
        }
        commit(tx).await?;
        Ok(Outcome::Rejected {
            lead_uuid: self.lead.uuid,
            error_type: f.error_type,
            message: f.message,
            required_fields: f.required,
        })
    }
}

fn elapsed_ms(started: Instant) -> i32 {
    i32::try_from(started.elapsed().as_millis()).unwrap_or(i32::MAX)
}
