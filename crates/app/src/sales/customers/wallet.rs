//! "Get affiliate wallet and transactions": the affiliate's wallet (its oldest live wallet,
//! where commissions will be paid) with its balance from the ledger, and that wallet's
//! transactions newest first. An affiliate without a wallet gets `wallet: null` and no
//! transactions.

use brokercrm_core::Result;
use brokercrm_store::repo::money::ledger::transfers;
use brokercrm_store::repo::money::wallets::{self, WalletFilter};

use super::affiliate::require_affiliate;
use crate::money::wallets::views::{self, TransactionView, WalletView};
use crate::sales::Page;
use crate::{App, Principal};

/// The affiliate's wallet and one page of its transactions (with their total).
pub async fn of_affiliate(
    app: &App,
    who: &Principal,
    page: Page,
) -> Result<(Option<WalletView>, Vec<TransactionView>, u64)> {
    require_affiliate(who)?;
    let conn = app.db().conn();
    let f = WalletFilter { user_id: Some(who.user_id), ..Default::default() };
    // Newest first from the store; the oldest wallet is the last of all of them.
    let (rows, _) = wallets::list(conn, &f, 1000, 0).await?;
    let Some(w) = rows.into_iter().rfind(|w| !w.is_demo) else {
        return Ok((None, Vec::new(), 0));
    };
    let ids = views::account_ids(conn, &[w.id]).await?;
    let (balance, credit) = ids.get(&w.id).copied().unwrap_or_default();
    let accounts: Vec<i64> = [balance, credit].into_iter().flatten().collect();
    let (transfers, total) =
        transfers::page_for_accounts(conn, &accounts, None, page.limit, page.offset).await?;
    let txs = transfers
        .into_iter()
        .map(|t| TransactionView::of(t, w.id, balance.unwrap_or(-1), credit.unwrap_or(-1)))
        .collect();
    let view = views::one(conn, w, true).await?;
    Ok((Some(view), txs, total))
}
