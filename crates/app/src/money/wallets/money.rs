//! Money of a wallet, all through the ledger: the admin manual transaction (DEPOSIT,
//! WITHDRAWAL, BONUS, CORRECTION, optionally to credit), transfers between wallets of one
//! owner, balances and the transaction list. Each movement is one ledger transfer in one
//! write transaction with its audit entry; the client's `Idempotency-Key` (namespaced by the
//! caller) is the transfer id, so a replay changes nothing.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::{AccountKey, NewTransfer};
use brokercrm_core::money::wallets::{MANUAL_PROVIDER, ManualType, check_real, transfer_id};
use brokercrm_core::validate::opt_text;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::db;
use brokercrm_store::repo::money::ledger::{accounts, transfers};
use chrono::{DateTime, Utc};

pub use super::transfer::{TransferInput, transfer};
use super::views::{self, TransactionView, WalletMoney};
use super::{Page, currency_of, ledger_accounts, visible};
use crate::money::events::DepositPosted;
use crate::money::ledger::transfer::apply_in;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// The admin manual transaction of "Get wallet transactions".
#[derive(Debug, Clone)]
pub struct ManualInput {
    pub kind: String,
    pub currency: Option<String>,
    pub method: Option<String>,
    pub comment: Option<String>,
    pub add_to_credit: bool,
    pub amount: Money,
}

/// Records a manual transaction on wallet `wallet_id` (ManageWalletMoney). Deposits and
/// withdrawals go against the `manual` cash-clearing account, bonuses against bonus
/// expense, corrections (positive or negative) against adjustments. Audited.
pub async fn manual(
    app: &App,
    actor: &Principal,
    wallet_id: i64,
    input: ManualInput,
    idempotency_key: Option<&str>,
) -> Result<()> {
    actor.require(Permission::ManageWalletMoney)?;
    let kind = ManualType::parse("type", input.kind.trim())?;
    let mv = kind.movement(input.amount)?;
    let comment = opt_text("comment", input.comment.as_deref(), 1000)?;
    let method = opt_text("method", input.method.as_deref(), 64)?;
    let id = transfer_id(actor.user_id, idempotency_key)?;
    let tx = app.db().begin_write().await?;
    let w = visible(&tx, actor, wallet_id, Permission::ManageWalletMoney).await?;
    // Manual transactions move real house money; a demo wallet takes the demo top-up.
    check_real("walletId", w.is_demo)?;
    let currency = currency_of(&w)?;
    if let Some(c) = input.currency.as_deref()
        && Currency::parse("currency", c.trim())? != currency
    {
        return Err(Error::field("currency", format!("must be the wallet's currency {currency}")));
    }
    let (balance, credit) = ledger_accounts(&tx, &w).await?;
    let wallet_account = if input.add_to_credit { credit } else { balance };
    let provider = (mv.house == brokercrm_core::money::ledger::AccountKind::CashClearing)
        .then_some(MANUAL_PROVIDER);
    let key = match provider {
        Some(p) => AccountKey::cash_clearing(p, currency)?,
        None => AccountKey::house(mv.house, currency)?,
    };
    let house = accounts::get_or_create(&tx, &key, mv.house.default_policy()).await?.id;
    let (debit, credit_side) =
        if mv.into_wallet { (house, wallet_account) } else { (wallet_account, house) };
    let t = NewTransfer {
        id,
        debit_account_id: debit,
        credit_account_id: credit_side,
        amount: mv.amount,
        currency,
        code: mv.code,
        user_data: comment.clone(),
        pending: false,
    };
    if !apply_in(&tx, &t).await?.replayed {
        if kind == ManualType::Deposit && !input.add_to_credit {
            let posted = DepositPosted::new(&w, &t.id, input.amount, currency, method.as_deref());
            app.events().publish(&tx, &posted).await?;
        }
        let target = if input.add_to_credit { "credit" } else { "balance" };
        let entry = Audit::new("wallet.transaction", "wallet", wallet_id.to_string())
            .details(format!(
                "{} of {} {currency} to wallet {wallet_id} {target} (transfer {}, method {})",
                kind.as_str(),
                input.amount,
                t.id,
                method.as_deref().unwrap_or("-"),
            ))
            .after(&serde_json::json!({
                "transferId": t.id, "type": kind.as_str(), "amount": input.amount,
                "currency": currency, "addToCredit": input.add_to_credit,
                "method": method, "comment": comment,
            }));
        audit::record(&tx, Some(actor), entry).await?;
    }
    db::commit(tx).await
}

/// Balance, credit and equity of a wallet the actor may see (staff: ReadWallets).
pub async fn balance(app: &App, actor: &Principal, id: i64) -> Result<(WalletMoney, String)> {
    let conn = app.db().conn();
    let w = visible(conn, actor, id, Permission::ReadWallets).await?;
    let m = views::money_of(conn, &[w.id]).await?;
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
    let accounts: Vec<i64> = [b, c].into_iter().flatten().collect();
    let (rows, total) =
        transfers::page_for_accounts(conn, &accounts, range, page.limit, page.offset).await?;
    let (b, c) = (b.unwrap_or(-1), c.unwrap_or(-1));
    let list = rows.into_iter().map(|t| TransactionView::of(t, w.id, b, c)).collect();
    Ok((list, page.pages(total)))
}
