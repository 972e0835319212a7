//! Trading's money: one ledger transfer between a wallet's balance and the broker's trading
//! P/L house account of the wallet's book (demo wallets trade against the demo book's, so
//! demo and real money never meet), inside the caller's transaction; many at once with one
//! statement per table (`post_many`, a batch of closes).

use std::collections::HashMap;

use brokercrm_core::money::ledger::{
    AccountKey, AccountKind, NewTransfer, Policy, TransferCode, TransferId,
};
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::ledger::{accounts, batch};
use brokercrm_store::repo::money::wallets::WalletRow;

use crate::money::ledger::apply_many_in;
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

/// The wallet's balance account and the trading P/L house account of its book, with their
/// policies.
fn keys_of(w: &WalletRow) -> Result<[(AccountKey, Policy); 2]> {
    let currency = currency_of(w)?;
    let kind = AccountKind::WalletBalance;
    let wallet = AccountKey::wallet(kind, w.id, currency, w.is_demo)?;
    let house = AccountKey::book_house(AccountKind::TradingPnl, currency, w.is_demo)?;
    Ok([(wallet, kind.default_policy()), (house, AccountKind::TradingPnl.default_policy())])
}

/// The amount a loss may take when the wallet's balance account holds `available`.
fn protected(amount: Money, shortfall: Shortfall, available: i64) -> Result<Money> {
    if amount.is_negative() && shortfall == Shortfall::Protect {
        let loss = amount.checked_neg().ok_or_else(|| Error::internal("overflow"))?;
        let available = Money::from_minor(available.max(0));
        if loss > available {
            return available.checked_neg().ok_or_else(|| Error::internal("overflow"));
        }
    }
    Ok(amount)
}

/// The transfer moving signed `amount` between `wallet` and `house` (none for zero).
fn transfer_of(
    id: &str,
    (wallet, house): (i64, i64),
    amount: Money,
    currency: brokercrm_core::Currency,
    code: TransferCode,
    note: String,
) -> Result<Option<NewTransfer>> {
    if amount.is_zero() {
        return Ok(None);
    }
    let (debit, credit) = if amount.is_positive() { (house, wallet) } else { (wallet, house) };
    Ok(Some(NewTransfer {
        id: TransferId::parse("id", id)?,
        debit_account_id: debit,
        credit_account_id: credit,
        amount: amount.checked_abs().ok_or_else(|| Error::internal("overflow"))?,
        currency,
        code,
        user_data: Some(note),
        pending: false,
    }))
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
    let ids = accounts::get_or_create_many(tx, &keys_of(w)?).await?;
    let [wallet_id, house_id] = ids.as_slice() else {
        return Err(Error::internal("trading accounts missing"));
    };
    let mut amount = amount;
    if amount.is_negative() && shortfall == Shortfall::Protect {
        let row = accounts::find(tx, *wallet_id).await?.ok_or(Error::NotFound("account"))?;
        amount = protected(amount, shortfall, row.balance - row.pending_debits)?;
    }
    match transfer_of(id, (*wallet_id, *house_id), amount, currency_of(w)?, code, note)? {
        Some(t) => _ = apply_in(tx, &t).await?,
        None => return Ok(Money::ZERO),
    }
    Ok(amount)
}

/// One movement of [`post_many`].
pub struct Posting<'a> {
    pub wallet: &'a WalletRow,
    pub id: &'a str,
    pub amount: Money,
    pub code: TransferCode,
    pub shortfall: Shortfall,
    pub note: String,
}

/// Posts every one of `list` as [`post`] would one after the other, with one statement per
/// table: the accounts read once, the protected losses decided in order on the balances as
/// they move, every transfer inserted and every account moved together
/// ([`apply_many_in`]). Returns each amount posted, in order. Any refusal fails the whole
/// call (the caller rolls back).
pub async fn post_many<C: ConnectionTrait>(tx: &C, list: &[Posting<'_>]) -> Result<Vec<Money>> {
    let mut keys: Vec<(AccountKey, Policy)> = Vec::new();
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut pairs: Vec<(usize, usize)> = Vec::with_capacity(list.len());
    for p in list {
        let [wallet, house] = keys_of(p.wallet)?;
        let mut at = |k: (AccountKey, Policy)| {
            *seen.entry(k.0.key()).or_insert_with(|| {
                keys.push(k);
                keys.len() - 1
            })
        };
        pairs.push((at(wallet), at(house)));
    }
    let ids = accounts::get_or_create_many(tx, &keys).await?;
    let id_at = |i: usize| ids.get(i).copied().ok_or_else(|| Error::internal("account missing"));
    let protect: Vec<i64> = list
        .iter()
        .zip(&pairs)
        .filter(|(p, _)| p.amount.is_negative() && p.shortfall == Shortfall::Protect)
        .map(|(_, (w, _))| id_at(*w))
        .collect::<Result<_>>()?;
    let mut available: HashMap<i64, i64> = HashMap::new();
    if !protect.is_empty() {
        let mut sorted = protect;
        sorted.sort_unstable();
        sorted.dedup();
        for row in batch::lock_accounts(tx, &sorted).await? {
            available.insert(row.id, row.balance - row.pending_debits);
        }
    }
    let mut posted = Vec::with_capacity(list.len());
    let mut transfers = Vec::with_capacity(list.len());
    for (p, (w, h)) in list.iter().zip(&pairs) {
        let (wallet, house) = (id_at(*w)?, id_at(*h)?);
        let left = available.get(&wallet).copied().unwrap_or(0);
        let amount = protected(p.amount, p.shortfall, left)?;
        if let Some(a) = available.get_mut(&wallet) {
            *a = a.saturating_add(amount.minor());
        }
        let t = transfer_of(
            p.id,
            (wallet, house),
            amount,
            currency_of(p.wallet)?,
            p.code,
            p.note.clone(),
        )?;
        transfers.extend(t);
        posted.push(amount);
    }
    apply_many_in(tx, &transfers).await?;
    Ok(posted)
}
