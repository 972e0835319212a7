//! Booking a commission: its currency, its ledger transfer id, the house commission expense
//! account and each introducer's payable account, and posting between the two. Shared by the
//! accrual (`engine`) and the clawback.

use brokercrm_core::money::ledger::{
    AccountKey, AccountKind, NewTransfer, Policy, TransferCode, TransferId,
};
use brokercrm_core::partners::accrual::CommissionType;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::money::ledger::accounts;
use sha2::{Digest, Sha256};

use crate::money::ledger::transfer::apply_in;

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

/// The ledger transfer id of a commission: readable, or hashed when too long.
pub(super) fn transfer_id_of(
    kind: CommissionType,
    source: &str,
    ib: i64,
    level: u8,
) -> Result<TransferId> {
    let id = format!("comm:{}:{source}:{ib}:{level}", kind.as_str());
    if id.len() <= 128 {
        return TransferId::parse("transferId", &id);
    }
    let hash = hex::encode(Sha256::digest(id.as_bytes()));
    TransferId::parse("transferId", &format!("comm:{hash}"))
}

/// The house commission expense account (USD).
pub(super) async fn expense_account(tx: &DatabaseTransaction) -> Result<i64> {
    let key = AccountKey::house(AccountKind::CommissionExpense, COMMISSION_CURRENCY)?;
    Ok(accounts::get_or_create(tx, &key, AccountKind::CommissionExpense.default_policy()).await?.id)
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
    let expense = expense_account(tx).await?;
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
