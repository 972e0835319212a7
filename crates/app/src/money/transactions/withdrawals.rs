//! Withdrawals: the client's request (reserves the amount as a pending ledger transfer from
//! the wallet's balance to the provider's cash clearing), the current one, and staff's
//! decisions: approve (posts all or a smaller changed amount), reject (voids), refund (an
//! approved withdrawal's money back to the wallet, once). Each decision is one conditional
//! update of the request's status inside the write transaction, so of two racing decisions
//! exactly one wins and the other gets 409.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::{
    NewTransfer, Resolution, ResolveTransfer, TransferCode, TransferId,
};
use brokercrm_core::money::payments::MethodType;
use brokercrm_core::money::wallets::{WalletStatus, check_real, transfer_id};
use brokercrm_core::validate::opt_text;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::db;
use brokercrm_store::repo::money::ledger::{apply, resolve};
use brokercrm_store::repo::money::payment_requests::{self as requests, Decision, RequestRow};
use brokercrm_store::repo::money::wallets::{self, WalletFilter};
use brokercrm_store::{ConnectionTrait, DatabaseTransaction};

use super::clearing;
use super::status::{APPROVED, PENDING, REFUNDED, REJECTED, WITHDRAWAL};
use super::views::{self, TransactionView};
use crate::money::events::FundsLeaving;
use crate::money::events::WithdrawalDecided;
use crate::money::ledger::body_hash;
use crate::money::scope::require_owner;
use crate::money::wallets::{currency_of, ledger_accounts};
use crate::onboarding::progress::require as require_stage;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};
use brokercrm_core::onboarding::stages::Stage;

/// "Withdraw money" input.
#[derive(Debug, Clone)]
pub struct WithdrawInput {
    pub provider: String,
    pub currency: Option<String>,
    pub amount: Money,
    pub wallet_address: Option<String>,
    /// Our addition: which wallet (default: the caller's newest live wallet in `currency`).
    pub wallet_id: Option<i64>,
}

fn sub_id(id: &str, suffix: &str) -> Result<TransferId> {
    TransferId::parse("id", &format!("{id}:{suffix}"))
}

/// Requests a withdrawal for the caller; `idempotency_key` makes a retry answer the first
/// request and reserve nothing more. Returns the withdrawal.
pub async fn request(
    app: &App,
    actor: &Principal,
    input: WithdrawInput,
    idempotency_key: Option<&str>,
) -> Result<TransactionView> {
    actor.forbid_impersonation("request a withdrawal")?;
    if !input.amount.is_positive() {
        return Err(Error::field("amount", "must be greater than zero"));
    }
    let address = opt_text("walletAddress", input.wallet_address.as_deref(), 256)?
        .ok_or_else(|| Error::field("walletAddress", "is required"))?;
    let currency = match input.currency.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Currency::parse("currency", c)?,
        None => Currency::USD,
    };
    let id = transfer_id(actor.user_id, idempotency_key)?;
    require_stage(app, actor, Stage::BeforeWithdrawal).await?;
    let provider =
        super::usable_provider(app, actor, &input.provider, MethodType::Withdrawal, input.amount)
            .await?;
    let tx = app.db().begin_write().await?;
    let wallet = match input.wallet_id {
        Some(w) => wallets::find(&tx, w)
            .await?
            .filter(|w| w.user_id == actor.user_id)
            .ok_or_else(|| Error::field("walletId", "no such wallet"))?,
        None => {
            let f = WalletFilter {
                user_id: Some(actor.user_id),
                currencies: vec![currency.as_str().to_owned()],
                is_demo: Some(false),
                ..WalletFilter::default()
            };
            wallets::list(&tx, &f, 1, 0).await?.0.into_iter().next().ok_or_else(|| {
                Error::field("currency", format!("you have no live {currency} wallet"))
            })?
        }
    };
    if currency_of(&wallet)? != currency {
        return Err(Error::field("currency", "must be the wallet's currency"));
    }
    // Demo money never meets the real provider's clearing account.
    check_real("walletId", wallet.is_demo)?;
    if wallet.status != WalletStatus::Active.as_str() {
        return Err(Error::field("walletId", "the wallet is disabled"));
    }
    app.events()
        .publish(&tx, &FundsLeaving { wallet: wallet.clone(), amount: input.amount })
        .await?;
    let (balance, _) = ledger_accounts(&tx, &wallet).await?;
    let house = clearing(&tx, provider.provider.id(), currency).await?;
    let t = NewTransfer {
        id: id.clone(),
        debit_account_id: balance,
        credit_account_id: house,
        amount: input.amount,
        currency,
        code: TransferCode::Withdrawal,
        // Part of the replay fingerprint: the same key with another address is a conflict.
        user_data: Some(format!("withdrawal to {address}")),
        pending: true,
    };
    t.validate()?;
    let applied = apply::transfer(&tx, &t, &body_hash(&t.fingerprint())).await?;
    if !applied.replayed {
        let now = brokercrm_store::db::now();
        requests::insert(
            &tx,
            RequestRow {
                id: id.as_str().to_owned(),
                kind: WITHDRAWAL.to_owned(),
                status: PENDING.to_owned(),
                user_id: actor.user_id,
                wallet_id: wallet.id,
                provider: provider.provider.id().to_owned(),
                currency: currency.as_str().to_owned(),
                amount: input.amount.minor(),
                final_amount: None,
                wallet_address: Some(address.clone()),
                comment: None,
                reviewer_id: None,
                reviewed_at: None,
                external_id: None,
                payout_status: None,
                payout_method: None,
                created_at: now,
                updated_at: now,
            },
        )
        .await?;
        let entry = Audit::new("withdrawal.request", "transaction", id.as_str()).details(format!(
            "withdrawal of {} {currency} from wallet {} through {} to {address}",
            input.amount,
            wallet.id,
            provider.provider.id()
        ));
        audit::record(&tx, Some(actor), entry).await?;
    }
    let view = views::one(&tx, id.as_str()).await?;
    db::commit(tx).await?;
    view.ok_or_else(|| Error::internal("withdrawal view missing"))
}

/// The caller's newest pending withdrawal, if any.
pub async fn current(app: &App, actor: &Principal) -> Result<Option<TransactionView>> {
    let conn = app.db().conn();
    match requests::latest(conn, actor.user_id, WITHDRAWAL, PENDING).await? {
        Some(r) => views::one(conn, &r.id).await,
        None => Ok(None),
    }
}

/// The withdrawal `id` for a decision; not one → 404, not in `from` → 409.
async fn decidable(
    tx: &DatabaseTransaction,
    actor: &Principal,
    id: &str,
    from: &str,
) -> Result<RequestRow> {
    let r = requests::find(tx, id)
        .await?
        .filter(|r| r.kind == WITHDRAWAL)
        .ok_or(Error::NotFound("transaction"))?;
    let out = || Error::NotFound("transaction");
    require_owner(tx, actor, r.user_id, Permission::ManageTransactions, out).await?;
    if r.status != from {
        return Err(Error::Conflict(format!("the withdrawal is already {}", r.status)));
    }
    Ok(r)
}

/// Moves the request from `from` to `to` or answers 409 with its current status.
async fn transition<C: ConnectionTrait>(
    conn: &C,
    id: &str,
    from: &str,
    to: &str,
    d: Decision,
) -> Result<()> {
    if requests::transition(conn, id, from, to, d).await? {
        return Ok(());
    }
    let now = requests::find(conn, id).await?.map_or_else(|| "gone".to_owned(), |r| r.status);
    Err(Error::Conflict(format!("the withdrawal is already {now}")))
}

async fn finish(
    tx: DatabaseTransaction,
    actor: &Principal,
    id: &str,
    entry: Audit<'_>,
) -> Result<TransactionView> {
    audit::record(&tx, Some(actor), entry).await?;
    let view = views::one(&tx, id).await?;
    db::commit(tx).await?;
    view.ok_or_else(|| Error::internal("withdrawal view missing"))
}

/// Approves pending withdrawal `id` (ManageTransactions): posts the reservation, or only
/// `changed_amount` (≤ the reserved amount) releasing the rest.
pub async fn approve(
    app: &App,
    actor: &Principal,
    id: &str,
    comment: Option<&str>,
    changed_amount: Option<Money>,
) -> Result<TransactionView> {
    actor.require(Permission::ManageTransactions)?;
    let comment = opt_text("comment", comment, 1000)?;
    let tx = app.db().begin_write().await?;
    let r = decidable(&tx, actor, id.trim(), PENDING).await?;
    let posted = match changed_amount {
        Some(a) if !a.is_positive() => {
            return Err(Error::field("changedAmount", "must be greater than zero"));
        }
        Some(a) if a.minor() > r.amount => {
            return Err(Error::field("changedAmount", "must not exceed the reserved amount"));
        }
        Some(a) => a,
        None => Money::from_minor(r.amount),
    };
    let d = Decision {
        reviewer_id: Some(actor.user_id),
        comment: comment.clone(),
        final_amount: Some(posted.minor()),
        external_id: None,
    };
    transition(&tx, &r.id, PENDING, APPROVED, d).await?;
    let res = ResolveTransfer {
        id: sub_id(&r.id, "post")?,
        pending_id: TransferId::parse("id", &r.id)?,
        resolution: Resolution::Post { amount: changed_amount },
        user_data: comment,
    };
    res.validate()?;
    resolve::resolve(&tx, &res, &body_hash(&res.fingerprint())).await?;
    let decided = WithdrawalDecided {
        id: r.id.clone(),
        customer_id: r.user_id,
        wallet_id: r.wallet_id,
        approved: true,
        amount: posted,
        currency: r.currency.clone(),
    };
    app.events().publish(&tx, &decided).await?;
    let entry = Audit::new("withdrawal.approve", "transaction", r.id.clone())
        .details(format!("approved withdrawal {} of {posted} {}", r.id, r.currency));
    finish(tx, actor, &r.id, entry).await
}

/// Rejects pending withdrawal `id` (ManageTransactions): voids the reservation.
pub async fn reject(
    app: &App,
    actor: &Principal,
    id: &str,
    comment: Option<&str>,
) -> Result<TransactionView> {
    actor.require(Permission::ManageTransactions)?;
    let comment = opt_text("comment", comment, 1000)?;
    let tx = app.db().begin_write().await?;
    let r = decidable(&tx, actor, id.trim(), PENDING).await?;
    let d = Decision {
        reviewer_id: Some(actor.user_id),
        comment: comment.clone(),
        ..Decision::default()
    };
    transition(&tx, &r.id, PENDING, REJECTED, d).await?;
    let res = ResolveTransfer {
        id: sub_id(&r.id, "void")?,
        pending_id: TransferId::parse("id", &r.id)?,
        resolution: Resolution::Void,
        user_data: comment,
    };
    res.validate()?;
    resolve::resolve(&tx, &res, &body_hash(&res.fingerprint())).await?;
    let decided = WithdrawalDecided {
        id: r.id.clone(),
        customer_id: r.user_id,
        wallet_id: r.wallet_id,
        approved: false,
        amount: Money::from_minor(r.amount),
        currency: r.currency.clone(),
    };
    app.events().publish(&tx, &decided).await?;
    let entry = Audit::new("withdrawal.reject", "transaction", r.id.clone())
        .details(format!("rejected withdrawal {}", r.id));
    finish(tx, actor, &r.id, entry).await
}

/// Refunds approved withdrawal `id` (ManageTransactions): the posted amount goes back from
/// the provider's clearing account to the wallet, once (a second refund is 409).
pub async fn refund(app: &App, actor: &Principal, id: &str) -> Result<TransactionView> {
    actor.require(Permission::ManageTransactions)?;
    let tx = app.db().begin_write().await?;
    let r = decidable(&tx, actor, id.trim(), APPROVED).await?;
    transition(&tx, &r.id, APPROVED, REFUNDED, Decision::default()).await?;
    let wallet = wallets::find(&tx, r.wallet_id).await?.ok_or(Error::NotFound("wallet"))?;
    let currency = currency_of(&wallet)?;
    let (balance, _) = ledger_accounts(&tx, &wallet).await?;
    let house = clearing(&tx, &r.provider, currency).await?;
    let t = NewTransfer {
        id: sub_id(&r.id, "refund")?,
        debit_account_id: house,
        credit_account_id: balance,
        amount: Money::from_minor(r.final_amount.unwrap_or(r.amount)),
        currency,
        code: TransferCode::Withdrawal,
        user_data: Some(format!("refund of withdrawal {}", r.id)),
        pending: false,
    };
    t.validate()?;
    apply::transfer(&tx, &t, &body_hash(&t.fingerprint())).await?;
    let entry = Audit::new("withdrawal.refund", "transaction", r.id.clone())
        .details(format!("refunded withdrawal {} of {} {currency}", r.id, t.amount));
    finish(tx, actor, &r.id, entry).await
}
