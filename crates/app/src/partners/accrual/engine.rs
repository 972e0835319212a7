//! Accruing a batch of events: for each event and each level of the model in force for the
//! client's introducer, what that level's beneficiary earns, recorded once and posted as a
//! ledger transfer from commission expense to the beneficiary's commission payable account (in
//! USD, the models' currency), the whole batch in one write transaction. The tree, the models,
//! the conversion paths and the accounts are read once per batch; the records go in multi-row
//! inserts that skip the ones already there, and only the records inserted are posted (the
//! ledger's batch apply). A replay inserts nothing and moves nothing.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use brokercrm_core::money::fx::ConversionPath;
use brokercrm_core::money::ledger::{NewTransfer, TransferCode, TransferId};
use brokercrm_core::partners::accrual::{self, CommissionType};
use brokercrm_core::partners::commissions::CommissionLevel;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::db::commit;
use brokercrm_store::repo::partners::commission_records::{self as records, NewRecord};

use super::book::{Accrual, COMMISSION_CURRENCY, expense_account, payable_account, transfer_id_of};
use super::event::AccrualEvent;
use crate::App;
use crate::money::fx;
use crate::money::ledger::apply_many_in;
use crate::partners::introducers::{ancestors, levels_of};

/// What one level earns from `event` (amounts in [`COMMISSION_CURRENCY`]).
struct Due {
    kind: CommissionType,
    /// The exactly-once key's event part.
    source: String,
    amount: Money,
    details: String,
}

/// Accrues `event`'s commissions; returns those newly recorded (none on a replay).
pub async fn accrue(app: &App, event: &AccrualEvent) -> Result<Vec<Accrual>> {
    accrue_many(app, std::slice::from_ref(event)).await
}

/// What a batch reads once: chains, models, conversion paths and accounts.
#[derive(Default)]
struct Cache {
    chains: HashMap<i64, Arc<Vec<i64>>>,
    levels: HashMap<i64, Arc<Vec<CommissionLevel>>>,
    paths: HashMap<String, Arc<ConversionPath>>,
    payables: HashMap<i64, i64>,
}

impl Cache {
    async fn chain(&mut self, tx: &DatabaseTransaction, customer: i64) -> Result<Arc<Vec<i64>>> {
        if let Some(c) = self.chains.get(&customer) {
            return Ok(c.clone());
        }
        let c = Arc::new(ancestors(tx, customer).await?);
        self.chains.insert(customer, c.clone());
        Ok(c)
    }

    async fn levels(
        &mut self,
        tx: &DatabaseTransaction,
        ib: i64,
    ) -> Result<Arc<Vec<CommissionLevel>>> {
        if let Some(l) = self.levels.get(&ib) {
            return Ok(l.clone());
        }
        let l = Arc::new(levels_of(tx, ib).await?);
        self.levels.insert(ib, l.clone());
        Ok(l)
    }

    /// `minor` units of `currency` in [`COMMISSION_CURRENCY`].
    async fn usd(&mut self, tx: &DatabaseTransaction, minor: i64, currency: &str) -> Result<Money> {
        let path = match self.paths.get(currency) {
            Some(p) => p.clone(),
            None => {
                let from = Currency::parse("currency", currency)?;
                let p = Arc::new(fx::resolve_path(tx, from, COMMISSION_CURRENCY).await?);
                self.paths.insert(currency.to_owned(), p.clone());
                p
            }
        };
        Ok(brokercrm_core::money::fx::convert(Money::from_minor(minor), &path)?.amount)
    }

    async fn payable(&mut self, tx: &DatabaseTransaction, ib: i64) -> Result<i64> {
        if let Some(id) = self.payables.get(&ib) {
            return Ok(*id);
        }
        let id = payable_account(tx, ib).await?;
        self.payables.insert(ib, id);
        Ok(id)
    }
}

/// Accrues every event of `events` in one write transaction; returns the commissions newly
/// recorded (none for events already accrued).
pub async fn accrue_many(app: &App, events: &[AccrualEvent]) -> Result<Vec<Accrual>> {
    let started = std::time::Instant::now();
    let tx = app.db().begin_write().await?;
    let mut cache = Cache::default();
    let mut records = Vec::new();
    let mut asked: HashMap<String, (i64, u8, i64, CommissionType)> = HashMap::new();
    let mut seen = HashSet::new();
    for event in events {
        let chain = cache.chain(&tx, event.customer_id()).await?;
        let Some(first) = chain.first().copied() else { continue };
        let levels = cache.levels(&tx, first).await?;
        for level in levels.iter() {
            let Some(ib) = chain.get(usize::from(level.level) - 1).copied() else { break };
            for due in dues(&tx, &mut cache, event, level).await? {
                let kind = due.kind;
                let r = record_of(event, ib, level.level, due)?;
                // Twice in one batch (a CPA's second deposit, a repeated event): once.
                if seen.insert(r.transfer_id.clone()) {
                    asked.insert(r.transfer_id.clone(), (ib, level.level, r.amount, kind));
                    records.push(r);
                }
            }
        }
    }
    let decided_us = started.elapsed().as_micros();
    let inserted = records::insert_many_new(&tx, records).await?;
    let recorded_us = started.elapsed().as_micros();
    let mut transfers = Vec::with_capacity(inserted.len());
    let mut out = Vec::with_capacity(inserted.len());
    if !inserted.is_empty() {
        let expense = expense_account(&tx).await?;
        for (record_id, transfer_id) in inserted {
            let (ib, level, minor, kind) = asked.get(&transfer_id).copied().ok_or_else(|| {
                Error::internal("an inserted commission record was not asked for")
            })?;
            let payable = cache.payable(&tx, ib).await?;
            let amount = Money::from_minor(minor);
            transfers.push(NewTransfer {
                id: TransferId::parse("transferId", &transfer_id)?,
                debit_account_id: expense,
                credit_account_id: payable,
                amount,
                currency: COMMISSION_CURRENCY,
                code: TransferCode::Commission,
                user_data: Some("commission accrual".to_owned()),
                pending: false,
            });
            out.push(Accrual { record_id, introducer_id: ib, level, kind, amount });
        }
    }
    apply_many_in(&tx, &transfers).await?;
    if events.iter().any(|e| matches!(e, AccrualEvent::DepositReversed { .. })) {
        let accrued: HashSet<String> = events.iter().map(AccrualEvent::key).collect();
        out.extend(super::clawback::claw_back(&tx, events, &accrued).await?);
    }
    let posted_us = started.elapsed().as_micros();
    commit(tx).await?;
    tracing::debug!(
        events = events.len(),
        accrued = out.len(),
        decided_us,
        recorded_us,
        posted_us,
        total_us = started.elapsed().as_micros(),
        "accrual batch"
    );
    Ok(out)
}

async fn dues(
    tx: &DatabaseTransaction,
    cache: &mut Cache,
    event: &AccrualEvent,
    level: &CommissionLevel,
) -> Result<Vec<Due>> {
    let mut out = Vec::new();
    match event {
        AccrualEvent::Deposit { customer_id, amount, currency, transfer_id, .. } => {
            if level.cpa.is_positive() {
                let deposit = cache.usd(tx, *amount, currency).await?;
                if let Some(cpa) = accrual::cpa(level, deposit) {
                    out.push(Due {
                        kind: CommissionType::Cpa,
                        source: format!("cpa:{customer_id}"),
                        amount: cpa,
                        details: format!(
                            "deposit {} {currency} (transfer {transfer_id})",
                            Money::from_minor(*amount)
                        ),
                    });
                }
            }
        }
        AccrualEvent::PositionClosed {
            position_id,
            symbol,
            lots,
            currency,
            realised_pl,
            commission,
            swap,
            transfer_id,
            ..
        } => {
            let what = format!(
                "position {position_id} {symbol} {} lots closed (transfer {transfer_id})",
                Money::from_minor(*lots)
            );
            if let Some(m) = accrual::per_lot(level, *lots)? {
                out.push(Due {
                    kind: CommissionType::Lot,
                    source: transfer_id.clone(),
                    amount: m,
                    details: what.clone(),
                });
            }
            if level.revenue_share > 0 {
                let net = accrual::net_revenue(
                    Money::from_minor(*realised_pl),
                    Money::from_minor(*commission),
                    Money::from_minor(*swap),
                )?;
                if net.is_positive() {
                    let net_usd = cache.usd(tx, net.minor(), currency).await?;
                    if let Some(m) = accrual::revenue_share(level, net_usd)? {
                        out.push(Due {
                            kind: CommissionType::RevenueShare,
                            source: transfer_id.clone(),
                            amount: m,
                            details: format!("{what}; net revenue {net} {currency}"),
                        });
                    }
                }
            }
        }
        AccrualEvent::DepositReversed { .. } => {}
    }
    Ok(out)
}

fn record_of(event: &AccrualEvent, ib: i64, level: u8, due: Due) -> Result<NewRecord> {
    let id = transfer_id_of(due.kind, &due.source, ib, level)?;
    Ok(NewRecord {
        introducer_id: ib,
        referral_id: event.customer_id(),
        level: i16::from(level),
        commission_type: due.kind.as_str().to_owned(),
        action_type: due.kind.action_type().to_owned(),
        action_details: due.details,
        source_key: due.source,
        amount: due.amount.minor(),
        currency: COMMISSION_CURRENCY.as_str().to_owned(),
        transfer_id: id.as_str().to_owned(),
        action_at: event.at(),
        event_id: Some(event.key()),
    })
}
