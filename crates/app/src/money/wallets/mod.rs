//! Wallets (seed tag Wallets): a customer's trading wallets with platform, group, leverage
//! and demo flag. Money is never a column: balance and credit are the wallet's two ledger
//! accounts, and every change is a ledger transfer. Staff act through permissions; customers
//! only ever see their own wallets (another's answers 404).

pub mod admin;
pub mod client;
pub mod demo;
pub mod manual;
pub mod money;
pub mod transfer;
pub mod views;

pub use views::{TransactionView, WalletMoney, WalletView};

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::{AccountKey, AccountKind};
use brokercrm_core::{Currency, Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::money::wallets::{self, WalletRow};

use crate::Principal;
use crate::money::scope::require_owner;

/// Default and largest page sizes of wallet and transaction lists.
pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 500;

/// A page of the wallet lists: 1-based ([`Page::numbered`]), `limit` 1..=[`MAX_LIMIT`]
/// (default [`DEFAULT_LIMIT`]).
pub type Page = brokercrm_core::paging::Page<MAX_LIMIT, DEFAULT_LIMIT>;

/// Wallet `id` if `actor` may see it (`money::scope`): staff need `perm` and the owner in
/// their customer scope; anyone else only their own (a wallet of someone else is "not
/// found", so its existence is not revealed).
pub(crate) async fn visible<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    id: i64,
    perm: Permission,
) -> Result<WalletRow> {
    let w = seen(actor, wallets::find(conn, id).await?, perm)?;
    require_owner(conn, actor, w.user_id, perm, || Error::NotFound("wallet")).await?;
    Ok(w)
}

/// The rule of [`visible`] on a wallet already read (`None`: it does not exist), without the
/// staff's customer scope (callers check it with [`visible`] or `money::scope`).
pub(crate) fn seen(actor: &Principal, w: Option<WalletRow>, perm: Permission) -> Result<WalletRow> {
    if actor.role.is_staff() {
        actor.require(perm)?;
    }
    match w {
        Some(w) if actor.role.is_staff() || w.user_id == actor.user_id => Ok(w),
        _ => Err(Error::NotFound("wallet")),
    }
}

/// The wallet's ledger accounts (balance, credit), opened in `conn` if missing.
pub(crate) async fn ledger_accounts<C: ConnectionTrait>(
    conn: &C,
    w: &WalletRow,
) -> Result<(i64, i64)> {
    let currency = currency_of(w)?;
    let keys = [AccountKind::WalletBalance, AccountKind::WalletCredit].map(|kind| {
        AccountKey::wallet(kind, w.id, currency, w.is_demo).map(|k| (k, kind.default_policy()))
    });
    let [balance, credit] = keys;
    match accounts::get_or_create_many(conn, &[balance?, credit?]).await?.as_slice() {
        [b, c] => Ok((*b, *c)),
        _ => Err(Error::internal("wallet accounts missing")),
    }
}

/// The balance accounts of wallets `a` and `b` (one read), opened in `conn` if missing.
pub(crate) async fn balance_accounts<C: ConnectionTrait>(
    conn: &C,
    a: &WalletRow,
    b: &WalletRow,
) -> Result<(i64, i64)> {
    let kind = AccountKind::WalletBalance;
    let key = |w: &WalletRow| -> Result<_> {
        Ok((AccountKey::wallet(kind, w.id, currency_of(w)?, w.is_demo)?, kind.default_policy()))
    };
    match accounts::get_or_create_many(conn, &[key(a)?, key(b)?]).await?.as_slice() {
        [x, y] => Ok((*x, *y)),
        _ => Err(Error::internal("wallet accounts missing")),
    }
}

pub(crate) fn currency_of(w: &WalletRow) -> Result<Currency> {
    Currency::parse("currency", &w.currency)
        .map_err(|_| Error::internal(format!("wallet {}: bad currency", w.id)))
}
