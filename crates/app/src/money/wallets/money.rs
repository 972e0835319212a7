//! Money of a wallet, all through the ledger: the admin manual transaction (DEPOSIT,
//! WITHDRAWAL, BONUS, CORRECTION, optionally to credit), transfers between wallets of one
//! owner, balances and the transaction list. Each movement is one ledger transfer in one
//! write transaction with its audit entry; the client's `Idempotency-Key` (namespaced by the
//! caller) is the transfer id, so a replay changes nothing.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::{AccountKey, NewTransfer, TransferCode, TransferId};
use brokercrm_core::money::wallets::{MANUAL_PROVIDER, ManualType, WalletStatus, transfer_id};
use brokercrm_core::validate::opt_text;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::repo::money::ledger::{accounts, apply, transfers};
use brokercrm_store::repo::money::wallets::{self, WalletRow};
use brokercrm_store::{ConnectionTrait, db};
use chrono::{DateTime, Utc};

use super::transfer::lane::{self as transfer_batch, Batched, Request};
use super::views::{self, TransactionView, WalletMoney};
use super::{Page, currency_of, ledger_accounts, seen, visible};
use crate::money::ledger::body_hash;
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

/// "Transfer money between wallets" input.
#[derive(Debug, Clone, Copy)]
pub struct TransferInput {
    pub source_wallet_id: i64,
    pub target_wallet_id: i64,
    pub amount: Money,
}

/// Applies a validated transfer inside `tx`; true when it was a replay.
async fn apply_in<C: ConnectionTrait>(tx: &C, t: &NewTransfer) -> Result<bool> {
    t.validate()?;
    Ok(apply::transfer(tx, t, &body_hash(&t.fingerprint())).await?.replayed)
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
    if !apply_in(&tx, &t).await? {
        if kind == ManualType::Deposit && !input.add_to_credit {
            super::deposited::after_deposit(&tx, &w, &t.id, input.amount, method.as_deref())
                .await?;
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

fn active(field: &str, w: &WalletRow) -> Result<()> {
    if w.status == WalletStatus::Active.as_str() {
        Ok(())
    } else {
        Err(Error::field(field, "the wallet is disabled"))
    }
}

/// "Transfer money between wallets" of one owner. Staff need ManageWalletMoney (audited); a
/// customer may move money between their own wallets. A transfer within one currency goes
/// through the group-commit lane ([`super::transfer::lane`]); across currencies, or when a
/// wallet's ledger account is not opened yet, it runs alone ([`transfer_alone`]).
pub async fn transfer(
    app: &App,
    actor: &Principal,
    input: TransferInput,
    idempotency_key: Option<&str>,
) -> Result<()> {
    check_input(input)?;
    let id = transfer_id(actor.user_id, idempotency_key)?;
    if actor.role.is_staff() {
        actor.require(Permission::ManageWalletMoney)?;
    }
    let request = Request { actor: actor.clone(), input, id: id.clone() };
    match transfer_batch::run(app, request).await? {
        Batched::Applied => Ok(()),
        Batched::Alone => transfer_alone(app, actor, input, id).await,
    }
}

fn check_input(input: TransferInput) -> Result<()> {
    if input.source_wallet_id == input.target_wallet_id {
        return Err(Error::field("targetWalletId", "must differ from sourceWalletId"));
    }
    if !input.amount.is_positive() {
        return Err(Error::field("amount", "must be greater than zero"));
    }
    Ok(())
}

/// The wallets of a transfer as read (`None`: missing), checked: both visible to `actor`, one
/// owner, both active.
pub(crate) fn check_pair(
    actor: &Principal,
    src: Option<WalletRow>,
    dst: Option<WalletRow>,
) -> Result<(WalletRow, WalletRow)> {
    let perm = Permission::ManageWalletMoney;
    let src = seen(actor, src, perm).map_err(|e| match e {
        Error::NotFound(_) => Error::field("sourceWalletId", "no such wallet"),
        other => other,
    })?;
    let dst = seen(actor, dst, perm).map_err(|e| match e {
        Error::NotFound(_) => Error::field("targetWalletId", "no such wallet"),
        other => other,
    })?;
    if src.user_id != dst.user_id {
        return Err(Error::field("targetWalletId", "must belong to the source wallet's owner"));
    }
    active("sourceWalletId", &src)?;
    active("targetWalletId", &dst)?;
    Ok((src, dst))
}

/// The audit details of a transfer within one currency.
pub(crate) fn same_currency_details(
    amount: Money,
    src: &WalletRow,
    dst: &WalletRow,
    id: &TransferId,
) -> String {
    format!("{amount} {} from wallet {} to wallet {} (transfer {id})", src.currency, src.id, dst.id)
}

/// A transfer in its own write transaction (any currencies; opens missing ledger accounts).
async fn transfer_alone(
    app: &App,
    actor: &Principal,
    input: TransferInput,
    id: TransferId,
) -> Result<()> {
    let tx = app.db().begin_write().await?;
    let src = wallets::find(&tx, input.source_wallet_id).await?;
    let dst = wallets::find(&tx, input.target_wallet_id).await?;
    let (src, dst) = check_pair(actor, src, dst)?;
    let (from, to) = super::balance_accounts(&tx, &src, &dst).await?;
    let (src_cur, dst_cur) = (currency_of(&src)?, currency_of(&dst)?);
    let leg = |id: TransferId, debit, credit, amount, currency| NewTransfer {
        id,
        debit_account_id: debit,
        credit_account_id: credit,
        amount,
        currency,
        code: TransferCode::WalletTransfer,
        user_data: None,
        pending: false,
    };
    let (replayed, details) = if src_cur == dst_cur {
        let replayed = apply_in(&tx, &leg(id.clone(), from, to, input.amount, src_cur)).await?;
        (replayed, same_currency_details(input.amount, &src, &dst, &id))
    } else {
        let fx_out = fx_account(&tx, src_cur).await?;
        let fx_in = fx_account(&tx, dst_cur).await?;
        // A replay of the first leg means the whole transfer was applied before: the second
        // leg is not recomputed (the rate may have moved since).
        if apply_in(&tx, &leg(id.clone(), from, fx_out, input.amount, src_cur)).await? {
            return db::commit(tx).await;
        }
        let converted = crate::money::fx::convert_with(&tx, input.amount, &src_cur, &dst_cur)
            .await
            .map_err(|e| match e {
                Error::Validation(f) if f.iter().any(|f| f.field == "currency") => Error::field(
                    "targetWalletId",
                    format!("no conversion path from {src_cur} to {dst_cur}"),
                ),
                other => other,
            })?;
        if !converted.amount.is_positive() {
            return Err(Error::field("amount", "is too small to convert"));
        }
        let in_id = TransferId::parse("Idempotency-Key", &format!("{id}:in"))?;
        apply_in(&tx, &leg(in_id, fx_in, to, converted.amount, dst_cur)).await?;
        let path: Vec<String> = converted.path.iter().map(ToString::to_string).collect();
        (
            false,
            format!(
                "{} {} from wallet {} to wallet {} as {} {} (rate {}, path {}, transfer {id})",
                input.amount,
                src.currency,
                src.id,
                dst.id,
                converted.amount,
                dst.currency,
                converted.rate,
                path.join("→")
            ),
        )
    };
    if !replayed && actor.role.is_staff() {
        let entry = Audit::new("wallet.transfer", "wallet", src.id.to_string()).details(details);
        audit::record(&tx, Some(actor), entry).await?;
    }
    db::commit(tx).await
}

/// The FX house account of `currency` (cross-currency transfers pass through it).
async fn fx_account<C: brokercrm_store::ConnectionTrait>(
    conn: &C,
    currency: Currency,
) -> Result<i64> {
    let kind = brokercrm_core::money::ledger::AccountKind::FxConversion;
    let key = AccountKey::house(kind, currency)?;
    Ok(accounts::get_or_create(conn, &key, kind.default_policy()).await?.id)
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
        transfers::page_for_accounts(conn, &accounts, range, page.limit, page.offset()).await?;
    let (b, c) = (b.unwrap_or(-1), c.unwrap_or(-1));
    let list = rows.into_iter().map(|t| TransactionView::of(t, w.id, b, c)).collect();
    Ok((list, page.pages(total)))
}
