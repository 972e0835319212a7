//! Wallets (seed tag Wallets): a customer's trading wallets with platform, group, leverage
//! and demo flag. Money is never a column: balance and credit are the wallet's two ledger
//! accounts, and every change is a ledger transfer. Staff act through permissions; customers
//! only ever see their own wallets (another's answers 404).

pub mod admin;
pub mod client;
pub mod demo;
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

/// Default and largest page sizes of wallet and transaction lists.
pub const DEFAULT_LIMIT: u64 = 20;
pub const MAX_LIMIT: u64 = 500;

/// A 1-based page of `limit` rows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    pub page: u64,
    pub limit: u64,
}

impl Page {
    /// Validates `page >= 1` and `1 <= limit <= MAX_LIMIT` (defaults 1 and [`DEFAULT_LIMIT`]).
    pub fn new(page: Option<u64>, limit: Option<u64>) -> Result<Self> {
        let page = page.unwrap_or(1);
        let limit = limit.unwrap_or(DEFAULT_LIMIT);
        if page == 0 || page > 1_000_000 {
            return Err(Error::field("page", "must be from 1 to 1000000"));
        }
        if limit == 0 || limit > MAX_LIMIT {
            return Err(Error::field("limit", format!("must be from 1 to {MAX_LIMIT}")));
        }
        Ok(Self { page, limit })
    }

    pub fn offset(self) -> u64 {
        (self.page - 1) * self.limit
    }

    /// Pages needed for `total` rows.
    pub fn pages(self, total: u64) -> u64 {
        total.div_ceil(self.limit)
    }
}

/// Wallet `id` if `actor` may see it: staff need `perm`; anyone else only their own (a
/// wallet of someone else is "not found", so its existence is not revealed).
pub(crate) async fn visible<C: ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    id: i64,
    perm: Permission,
) -> Result<WalletRow> {
    seen(actor, wallets::find(conn, id).await?, perm)
}

/// The rule of [`visible`] on a wallet already read (`None`: it does not exist).
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
    let keys = [AccountKind::WalletBalance, AccountKind::WalletCredit]
        .map(|kind| AccountKey::wallet(kind, w.id, currency).map(|k| (k, kind.default_policy())));
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
        Ok((AccountKey::wallet(kind, w.id, currency_of(w)?)?, kind.default_policy()))
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
