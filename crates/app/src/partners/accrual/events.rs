//! The subscribers that turn deposits, charged-back deposits and closed positions into
//! `Accrue` jobs, and the job.

use brokercrm_core::Result;
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::partners::introducers as repo;
use serde::{Deserialize, Serialize};

use super::event::{AccrualEvent, job_key};
use crate::App;
use crate::money::events::{DepositPosted, DepositReversed};
use crate::platform::events::Reaction;
use crate::platform::jobs::{self, BatchJob, Job};
use crate::trading::events::PositionClosed;

/// The job accruing one event's commissions (claimed and run in batches of up to 500).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Accrue {
    pub event: AccrualEvent,
}

impl Job for Accrue {
    const KIND: &'static str = "partners.accrue";

    fn dedup_key(&self) -> Option<String> {
        Some(job_key(&self.event.key()))
    }

    async fn run(self, app: App) -> Result<()> {
        super::engine::accrue(&app, &self.event).await.map(|_| ())
    }
}

impl BatchJob for Accrue {
    async fn run_batch(jobs: Vec<Self>, app: App) -> Result<()> {
        let events: Vec<AccrualEvent> = jobs.into_iter().map(|j| j.event).collect();
        super::engine::accrue_many(&app, &events).await.map(|_| ())
    }

    /// A charge-back claws back what earlier events accrued, so it waits for them; every other
    /// event earns on its own key (a CPA once per customer by its unique record).
    fn in_any_order(&self) -> bool {
        !matches!(self.event, AccrualEvent::DepositReversed { .. })
    }
}

/// Enqueues the accrual of `event` when its customer has an introducer.
async fn enqueue(tx: &DatabaseTransaction, event: AccrualEvent) -> Result<()> {
    if repo::referral(tx, event.customer_id()).await?.is_none() {
        return Ok(());
    }
    jobs::enqueue(tx, &Accrue { event }).await?;
    Ok(())
}

/// The customers among `ids` who have an introducer (one read; none for no ids).
async fn referred(
    tx: &DatabaseTransaction,
    ids: impl Iterator<Item = i64>,
) -> Result<std::collections::HashSet<i64>> {
    let mut customers: Vec<i64> = ids.collect();
    customers.sort_unstable();
    customers.dedup();
    if customers.is_empty() {
        return Ok(std::collections::HashSet::new());
    }
    Ok(repo::referred_among(tx, &customers).await?.into_iter().collect())
}

/// A real deposit may earn a CPA; taken a batch at a time (the referrals read once).
pub fn on_deposits_posted<'a>(
    tx: &'a DatabaseTransaction,
    es: &'a [DepositPosted],
) -> Reaction<'a> {
    Box::pin(async move {
        let real: Vec<&DepositPosted> = es.iter().filter(|e| !e.wallet.is_demo).collect();
        let referred = referred(tx, real.iter().map(|e| e.customer_id)).await?;
        let batch: Vec<Accrue> = real
            .into_iter()
            .filter(|e| referred.contains(&e.customer_id))
            .map(|e| Accrue {
                event: AccrualEvent::Deposit {
                    customer_id: e.customer_id,
                    wallet_id: e.wallet.id,
                    transfer_id: e.transfer.as_str().to_owned(),
                    amount: e.amount.minor(),
                    currency: e.currency.as_str().to_owned(),
                    at: brokercrm_store::db::now(),
                },
            })
            .collect();
        jobs::enqueue_all(tx, &batch).await
    })
}

/// A real closed position earns per-lot and revenue-share commissions; taken a batch at a
/// time (a pass of the trigger evaluator closes many: the referrals read once).
pub fn on_positions_closed<'a>(
    tx: &'a DatabaseTransaction,
    es: &'a [PositionClosed],
) -> Reaction<'a> {
    Box::pin(async move {
        let real: Vec<&PositionClosed> = es.iter().filter(|e| !e.demo).collect();
        let referred = referred(tx, real.iter().map(|e| e.customer_id)).await?;
        let at = brokercrm_store::db::now();
        let batch: Vec<Accrue> = real
            .into_iter()
            .filter(|e| referred.contains(&e.customer_id))
            .map(|e| Accrue {
                event: AccrualEvent::PositionClosed {
                    customer_id: e.customer_id,
                    position_id: e.position_id,
                    symbol: e.symbol.clone(),
                    lots: e.lots.minor(),
                    currency: e.currency.as_str().to_owned(),
                    realised_pl: e.realised_pl.minor(),
                    commission: e.commission.minor(),
                    swap: e.swap.minor(),
                    transfer_id: e.transfer_id.clone(),
                    at,
                },
            })
            .collect();
        jobs::enqueue_all(tx, &batch).await
    })
}

/// A charged-back real deposit claws back the CPA it earned.
pub fn on_deposit_reversed<'a>(
    tx: &'a DatabaseTransaction,
    e: &'a DepositReversed,
) -> Reaction<'a> {
    Box::pin(async move {
        if e.demo {
            return Ok(());
        }
        let event = AccrualEvent::DepositReversed {
            customer_id: e.customer_id,
            deposit_id: e.deposit.as_str().to_owned(),
            at: brokercrm_store::db::now(),
        };
        enqueue(tx, event).await
    })
}
