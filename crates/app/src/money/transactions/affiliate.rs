//! "Get the total balance for the authenticated affiliate user": the posted balance of the
//! affiliate's own live wallets in the base currency (USD). An affiliate is paid through
//! AFFILIATE_TRANSFER / COMMISSION_PAYOUT transfers into a wallet they own, so those wallet
//! balance accounts are what the broker owes them. Other currencies are not converted.

use brokercrm_core::identity::auth::Role;
use brokercrm_core::money::ledger::AccountKind;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::repo::money::ledger::accounts as account_repo;
use brokercrm_store::repo::money::wallets;

use crate::{App, Principal};

/// The affiliate's balance (affiliates only; anyone else is 403).
pub async fn balance(app: &App, actor: &Principal) -> Result<Money> {
    if actor.role != Role::Affiliate {
        return Err(Error::Forbidden);
    }
    let conn = app.db().conn();
    let ids = wallets::ids_of_user(conn, actor.user_id).await?;
    let live: Vec<i64> = wallets::find_many(conn, &ids)
        .await?
        .into_iter()
        .filter(|w| !w.is_demo && w.currency == Currency::USD.as_str())
        .map(|w| w.id)
        .collect();
    let balances = account_repo::for_wallets(conn, &live)
        .await?
        .into_iter()
        .filter(|a| a.kind == AccountKind::WalletBalance.as_str())
        .map(|a| Money::from_minor(a.balance));
    Money::checked_sum(balances).ok_or_else(|| Error::internal("affiliate balance overflows"))
}
