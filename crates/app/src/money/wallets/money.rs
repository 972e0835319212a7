//! Money of a wallet, all through the ledger: the admin manual transaction (DEPOSIT,
//! WITHDRAWAL, BONUS, CORRECTION, optionally to credit), transfers between wallets of one
//! owner, balances and the transaction list. Each movement is one ledger transfer, written
//! with its audit entry (manual ones in the batches of `manual::lane`); the client's
//! `Idempotency-Key` (namespaced by the caller) is the transfer id, so a replay changes nothing.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::money::ledger::transfers;
use brokercrm_store::repo::money::wallets::WalletRow;
use chrono::{DateTime, Utc};

pub use super::manual::{ManualInput, Recorded, manual};
pub use super::transfer::{TransferInput, transfer};
use super::views::{self, TransactionView, WalletMoney};
use super::{Page, seen, visible};
use crate::{App, Principal};

/// Balance, credit and equity of a wallet the actor may see (staff: ReadWallets).
pub async fn balance(app: &App, actor: &Principal, id: i64) -> Result<(WalletMoney, String)> {
    let conn = app.db().conn();
    let w = visible(conn, actor, id, Permission::ReadWallets).await?;
    let mut m = views::money_of(conn, &[w.id]).await?;
    views::with_trading(app, std::slice::from_ref(&w), &mut m).await?;
    let money = m.get(&w.id).copied().ok_or_else(|| Error::internal("wallet money missing"))?;
    Ok((money, w.currency))
}

/// A wallet's transactions, newest first (staff: ReadWallets), optionally within a
/// `created_at` range; returns the page and the number of pages.
pub async fn transactions(
    app: &App,
    actor: &Principal,
    id: i64,
    range: Option<(DateTime<Utc>, DateTime<Utc>)>,
    page: Page,
) -> Result<(Vec<TransactionView>, u64)> {
    if let Some((from, to)) = range
        && to < from
    {
        return Err(Error::field("endDate", "must not be before startDate"));
    }
    let conn = app.db().conn();
    let w = visible(conn, actor, id, Permission::ReadWallets).await?;
    let ids = views::account_ids(conn, &[w.id]).await?;
    let (b, c) = ids.get(&w.id).copied().unwrap_or_default();
    page_of(app, w, (b, c), range, page).await
}

/// The page [`transactions`] answers for the wallet of a manual transaction just recorded by
/// the same actor, without reading again what the movement read: the wallet (its customer
/// scope was checked then; ReadWallets is checked here) and, where known, its accounts.
pub async fn transactions_after(
    app: &App,
    actor: &Principal,
    recorded: Recorded,
    page: Page,
) -> Result<(Vec<TransactionView>, u64)> {
    let w = seen(actor, Some(recorded.wallet), Permission::ReadWallets)?;
    let accounts = match recorded.accounts {
        Some(ids) => ids,
        None => {
            let ids = views::account_ids(app.db().conn(), &[w.id]).await?;
            ids.get(&w.id).copied().unwrap_or_default()
        }
    };
    page_of(app, w, accounts, None, page).await
}

/// A page of the transfers of wallet `w`'s balance and credit accounts `(b, c)`.
async fn page_of(
    app: &App,
    w: WalletRow,
    (b, c): (Option<i64>, Option<i64>),
    range: Option<(DateTime<Utc>, DateTime<Utc>)>,
    page: Page,
) -> Result<(Vec<TransactionView>, u64)> {
    let conn = app.db().conn();
    let accounts: Vec<i64> = [b, c].into_iter().flatten().collect();
    let (rows, total) =
        transfers::page_for_accounts(conn, &accounts, range, page.limit, page.offset).await?;
    let (b, c) = (b.unwrap_or(-1), c.unwrap_or(-1));
    let list = rows.into_iter().map(|t| TransactionView::of(t, w.id, b, c)).collect();
    Ok((list, page.pages(total)))
}
