//! Transactions (seed tags Transactions and Withdraw) and the deposit callback: the ledger
//! transfers that touch wallets, joined with the payment requests (deposits and withdrawals
//! through providers) that carry their status, provider, address, comment and reviewer.
//! A withdrawal reserves funds (a pending transfer) when requested and posts or voids them
//! when staff decide; a deposit posts when the provider's signed callback confirms it.

pub mod affiliate;
pub(crate) mod deposit_lane;
pub mod deposits;
pub mod export;
pub mod list;
pub mod payout;
pub mod views;
pub mod withdrawals;

pub use views::TransactionView;

use brokercrm_core::money::ledger::{AccountKey, AccountKind};
use brokercrm_core::money::payments::{MethodType, serves_country};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::money::ledger::accounts;

use crate::money::payments::ProviderState;
use crate::{App, Principal};

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
    /// A completed deposit the payer's bank took back (a chargeback).
    pub const CHARGEBACK: &str = "chargeback";
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

/// The provider `name` if the caller may use it for `kind` of `amount`: enabled, offering
/// that method in the caller's country, and within its limits; else 422 on `provider` or
/// `amount`.
pub(crate) async fn usable_provider(
    app: &App,
    actor: &Principal,
    name: &str,
    kind: MethodType,
    amount: Money,
) -> Result<ProviderState> {
    let conn = app.db().conn();
    let provider = crate::money::payments::load_one(app, conn, name.trim(), false).await.map_err(
        |e| match e {
            Error::NotFound(_) => Error::field("provider", "no such payment provider"),
            other => other,
        },
    )?;
    let user = users::find_by_id(conn, actor.user_id)
        .await?
        .ok_or(Error::Unauthorized("the account no longer exists".into()))?;
    let country = user.country.as_deref().map(str::trim).filter(|c| !c.is_empty());
    if !provider.enabled
        || !provider.provider.supports(kind)
        || !serves_country(&provider.countries, country)
    {
        return Err(Error::field("provider", format!("is not available for {kind}s")));
    }
    let (min, max) = provider.limits.range(kind);
    if min.is_some_and(|m| amount < m) || max.is_some_and(|m| amount > m) {
        return Err(Error::field("amount", format!("is outside the provider's {kind} limits")));
    }
    Ok(provider)
}
