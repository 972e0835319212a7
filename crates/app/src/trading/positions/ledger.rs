//! Trading's money: one ledger transfer between a wallet's balance and the broker's trading
//! P/L house account of the wallet's book (demo wallets trade against the demo book's, so
//! demo and real money never meet), inside the caller's transaction.

use brokercrm_core::money::ledger::{
    AccountKey, AccountKind, NewTransfer, TransferCode, TransferId,
};
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::money::wallets::WalletRow;

use crate::money::ledger::transfer::apply_in;
use crate::money::wallets::currency_of;

/// How much of a loss to take when the balance is short.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortfall {
    /// Refuse (a commission the free-margin check already covered).
    Refuse,
    /// Take what the balance holds (negative-balance protection: the rest is the broker's).
    Protect,
}

/// Moves `amount` (positive: into the wallet, negative: out of it) between wallet `w`'s
/// balance and the trading P/L house account, as transfer `id` with `code`. Returns the
/// amount posted (signed; zero posts nothing).
pub async fn post<C: ConnectionTrait>(
    tx: &C,
    w: &WalletRow,
    id: &str,
    amount: Money,
    code: TransferCode,
    shortfall: Shortfall,
    note: String,
) -> Result<Money> {
    let currency = currency_of(w)?;
    let kind = AccountKind::WalletBalance;
    let wallet = AccountKey::wallet(kind, w.id, currency, w.is_demo)?;
    let house = AccountKey::book_house(AccountKind::TradingPnl, currency, w.is_demo)?;
    let keys = [(wallet, kind.default_policy()), (house, AccountKind::TradingPnl.default_policy())];
    let ids = accounts::get_or_create_many(tx, &keys).await?;
    let [wallet_id, house_id] = ids.as_slice() else {
        return Err(Error::internal("trading accounts missing"));
    };
    let mut amount = amount;
    if amount.is_negative() && shortfall == Shortfall::Protect {
        let row = accounts::find(tx, *wallet_id).await?.ok_or(Error::NotFound("account"))?;
        let available = Money::from_minor((row.balance - row.pending_debits).max(0));
        let loss = amount.checked_neg().ok_or_else(|| Error::internal("overflow"))?;
        if loss > available {
            amount = available.checked_neg().ok_or_else(|| Error::internal("overflow"))?;
        }
    }
    if amount.is_zero() {
        return Ok(Money::ZERO);
    }
    let into_wallet = amount.is_positive();
    let (debit, credit) =
        if into_wallet { (*house_id, *wallet_id) } else { (*wallet_id, *house_id) };
    let t = NewTransfer {
        id: TransferId::parse("id", id)?,
        debit_account_id: debit,
        credit_account_id: credit,
        amount: amount.checked_abs().ok_or_else(|| Error::internal("overflow"))?,
        currency,
        code,
        user_data: Some(note),
        pending: false,
    };
    apply_in(tx, &t).await?;
    Ok(amount)
}
