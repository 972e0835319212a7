//! Accruing one event: for each level of the model in force for the client's introducer,
//! what that level's beneficiary earns, recorded once and posted as a ledger transfer from
//! commission expense to the beneficiary's commission payable account (in USD, the models'
//! currency), all in one write transaction. A replay inserts nothing and moves nothing.

use brokercrm_core::money::ledger::{
    AccountKey, AccountKind, NewTransfer, Policy, TransferCode, TransferId,
};
use brokercrm_core::partners::accrual::{self, CommissionType};
use brokercrm_core::partners::commissions::CommissionLevel;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::db::commit;
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::partners::commission_records::{self as records, NewRecord};
use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use super::event::AccrualEvent;
use crate::App;
use crate::money::fx;
use crate::money::ledger::transfer::apply_in;
use crate::partners::introducers::{ancestors, levels_of};

/// The currency commissions accrue in (the commission models' amounts are USD).
pub const COMMISSION_CURRENCY: Currency = Currency::USD;

/// One commission an event earned.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Accrual {
    pub record_id: i64,
    pub introducer_id: i64,
    pub level: u8,
    pub kind: CommissionType,
    pub amount: Money,
}

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
    let tx = app.db().begin_write().await?;
    let chain = ancestors(&tx, event.customer_id()).await?;
    let Some(first) = chain.first().copied() else { return Ok(Vec::new()) };
    let levels = levels_of(&tx, first).await?;
    let mut out = Vec::new();
    for level in &levels {
        let Some(ib) = chain.get(usize::from(level.level) - 1).copied() else { break };
        for due in dues(&tx, event, level).await? {
            if let Some(a) = book(&tx, event, ib, level.level, due).await? {
                out.push(a);
            }
        }
    }
    commit(tx).await?;
    Ok(out)
}

async fn usd(tx: &DatabaseTransaction, minor: i64, currency: &str) -> Result<Money> {
    let from = Currency::parse("currency", currency)?;
    Ok(fx::convert_with(tx, Money::from_minor(minor), &from, &COMMISSION_CURRENCY).await?.amount)
}

async fn dues(
    tx: &DatabaseTransaction,
    event: &AccrualEvent,
    level: &CommissionLevel,
) -> Result<Vec<Due>> {
    let mut out = Vec::new();
    match event {
        AccrualEvent::Deposit { customer_id, amount, currency, transfer_id, .. } => {
            if level.cpa.is_positive() {
                let deposit = usd(tx, *amount, currency).await?;
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
                    let net_usd = usd(tx, net.minor(), currency).await?;
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
    }
    Ok(out)
}

/// The ledger transfer id of a commission: readable, or hashed when too long.
fn transfer_id_of(kind: CommissionType, source: &str, ib: i64, level: u8) -> Result<TransferId> {
    let id = format!("comm:{}:{source}:{ib}:{level}", kind.as_str());
    if id.len() <= 128 {
        return TransferId::parse("transferId", &id);
    }
    let hash = hex::encode(Sha256::digest(id.as_bytes()));
    TransferId::parse("transferId", &format!("comm:{hash}"))
}

async fn book(
    tx: &DatabaseTransaction,
    event: &AccrualEvent,
    ib: i64,
    level: u8,
    due: Due,
) -> Result<Option<Accrual>> {
    let id = transfer_id_of(due.kind, &due.source, ib, level)?;
    let at: DateTime<Utc> = match event {
        AccrualEvent::Deposit { at, .. } | AccrualEvent::PositionClosed { at, .. } => *at,
    };
    let record = NewRecord {
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
        action_at: at,
    };
    let Some(record_id) = records::insert_new(tx, record).await? else { return Ok(None) };
    post(tx, id, ib, due.amount, true, "commission accrual").await?;
    Ok(Some(Accrual { record_id, introducer_id: ib, level, kind: due.kind, amount: due.amount }))
}

/// The introducer's commission payable account (never below zero).
pub async fn payable_account(tx: &DatabaseTransaction, ib: i64) -> Result<i64> {
    let key = AccountKey::introducer_commissions(ib, COMMISSION_CURRENCY)?;
    let policy = Policy::new(Money::ZERO, false)?;
    Ok(accounts::get_or_create(tx, &key, policy).await?.id)
}

/// Posts `amount` between commission expense and `ib`'s payable account: to the introducer
/// when `to_introducer`, back otherwise (a downward correction).
pub async fn post(
    tx: &DatabaseTransaction,
    id: TransferId,
    ib: i64,
    amount: Money,
    to_introducer: bool,
    note: &str,
) -> Result<()> {
    let expense_key = AccountKey::house(AccountKind::CommissionExpense, COMMISSION_CURRENCY)?;
    let expense =
        accounts::get_or_create(tx, &expense_key, AccountKind::CommissionExpense.default_policy())
            .await?
            .id;
    let payable = payable_account(tx, ib).await?;
    let (debit, credit) = if to_introducer { (expense, payable) } else { (payable, expense) };
    let t = NewTransfer {
        id,
        debit_account_id: debit,
        credit_account_id: credit,
        amount,
        currency: COMMISSION_CURRENCY,
        code: TransferCode::Commission,
        user_data: Some(note.to_owned()),
        pending: false,
    };
    let applied = apply_in(tx, &t).await?;
    if applied.replayed {
        return Err(Error::Conflict(format!("commission transfer {} was already posted", t.id)));
    }
    Ok(())
}
