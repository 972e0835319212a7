//! Transactions (seed tags Transactions and Withdraw) and the deposit callback: the ledger
//! transfers that touch wallets, joined with the payment requests (deposits and withdrawals
//! through providers) that carry their status, provider, address, comment and reviewer.
//! A withdrawal reserves funds (a pending transfer) when requested and posts or voids them
//! when staff decide; a deposit posts when the provider's signed callback confirms it.

pub mod affiliate;
pub mod deposits;
pub mod export;
pub mod list;
pub mod payout;
pub mod views;
pub mod withdrawals;

pub use views::TransactionView;

use brokercrm_core::ledger::{AccountKey, AccountKind};
use brokercrm_core::{Currency, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::ledger::accounts;

/// Payment request kinds and statuses as stored.
pub mod status {
    pub const DEPOSIT: &str = "deposit";
    pub const WITHDRAWAL: &str = "withdrawal";
    pub const PENDING: &str = "pending";
    pub const APPROVED: &str = "approved";
    pub const REJECTED: &str = "rejected";
    pub const REFUNDED: &str = "refunded";
    pub const COMPLETED: &str = "completed";
    pub const FAILED: &str = "failed";
}

/// The cash-clearing account of `provider` in `currency` (opened if missing).
pub(crate) async fn clearing<C: ConnectionTrait>(
    conn: &C,
    provider: &str,
    currency: Currency,
) -> Result<i64> {
    let key = AccountKey::cash_clearing(provider, currency)?;
    Ok(accounts::get_or_create(conn, &key, AccountKind::CashClearing.default_policy()).await?.id)
}
