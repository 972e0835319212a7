//! Payout requests (seed tag Commissions). An introducer asks to be paid its whole available
//! commission into one of its own real wallets in the commission currency: at least the
//! minimum (setting `commission_payout_minimum`, default 50 USD), one pending request at a
//! time (a partial unique index). The amount is reserved in the ledger at once (a pending
//! `COMMISSION_PAYOUT` transfer from its payable account to the wallet) and the records it
//! pays are attached; staff approve (the reservation is posted: the transaction) or reject
//! with a reason (voided, records released). Of two racing decisions exactly one wins (409).
//! A decision publishes [`PayoutDecided`].

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::{
    AccountKey, AccountKind, NewTransfer, Resolution, ResolveTransfer, TransferCode, TransferId,
};
use brokercrm_core::{Error, Money, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::money::ledger::{accounts, resolve as ledger_resolve};
use brokercrm_store::repo::money::wallets;
use brokercrm_store::repo::partners::commission_records as records;
use brokercrm_store::repo::partners::payout_requests::{
    self as repo, Decision, NewPayout, PayoutFilter, PayoutRow,
};
use brokercrm_store::repo::platform::settings;
use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::money::ledger::body_hash;
use crate::money::ledger::transfer::apply_in;
use crate::partners::accrual::{COMMISSION_CURRENCY, payable_account};
use crate::partners::events::PayoutDecided;
use crate::partners::ledger::{Page, introducer_id};
use crate::partners::people::{Person, people};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// The setting holding the smallest payout (a decimal in the commission currency).
pub const MINIMUM_SETTING: &str = "commission_payout_minimum";
/// The minimum when the setting is absent.
pub const DEFAULT_MINIMUM: Money = Money::from_minor(50 * brokercrm_core::money::amount::UNIT);
/// Longest reject reason.
const MAX_REASON: usize = 1000;

/// A payout request as the seed shows it.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PayoutView {
    pub id: i64,
    pub introducer: Option<Person>,
    pub payout_wallet_id: i64,
    pub amount: Money,
    pub currency: String,
    pub status: String,
    pub requested_at: DateTime<Utc>,
    pub approved_at: Option<DateTime<Utc>>,
    pub rejected_at: Option<DateTime<Utc>>,
    pub reject_reason: Option<String>,
    pub updated_at: DateTime<Utc>,
    pub created_at: DateTime<Utc>,
    pub transaction_id: Option<String>,
    pub admin: Option<Person>,
}

async fn views<C: ConnectionTrait>(conn: &C, rows: Vec<PayoutRow>) -> Result<Vec<PayoutView>> {
    let ids: Vec<i64> =
        rows.iter().flat_map(|r| [Some(r.introducer_id), r.admin_id]).flatten().collect();
    let who = people(conn, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|r| PayoutView {
            id: r.id,
            introducer: who.get(&r.introducer_id).cloned(),
            payout_wallet_id: r.payout_wallet_id,
            amount: Money::from_minor(r.amount),
            currency: r.currency,
            status: r.status,
            requested_at: r.requested_at,
            approved_at: r.approved_at,
            rejected_at: r.rejected_at,
            reject_reason: r.reject_reason,
            updated_at: r.updated_at,
            created_at: r.created_at,
            transaction_id: r.transaction_id,
            admin: r.admin_id.and_then(|a| who.get(&a).cloned()),
        })
        .collect())
}

async fn view<C: ConnectionTrait>(conn: &C, row: PayoutRow) -> Result<PayoutView> {
    views(conn, vec![row]).await?.pop().ok_or_else(|| Error::internal("no view"))
}

/// The statuses a list may ask for.
pub fn parse_statuses(raw: &[String]) -> Result<Vec<String>> {
    raw.iter()
        .flat_map(|s| s.split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            let up = s.to_ascii_uppercase();
            if [repo::PENDING, repo::APPROVED, repo::REJECTED].contains(&up.as_str()) {
                Ok(up)
            } else {
                Err(Error::field("statuses", "must be PENDING, APPROVED or REJECTED"))
            }
        })
        .collect()
}

/// "Get a list of payout requests" (ReadCommissions).
pub async fn list(
    app: &App,
    actor: &Principal,
    page: Page,
    statuses: Vec<String>,
) -> Result<(Vec<PayoutView>, u64)> {
    actor.require(Permission::ReadCommissions)?;
    let conn = app.db().conn();
    let f = PayoutFilter { introducer_id: None, statuses, newest_first: page.newest_first };
    let (rows, n) =
        repo::list(conn, &f, page.offset, page.limit.min(super::ledger::MAX_PAGE)).await?;
    Ok((views(conn, rows).await?, n))
}

/// "Get a payout request" (ReadCommissions).
pub async fn get(app: &App, actor: &Principal, id: i64) -> Result<PayoutView> {
    actor.require(Permission::ReadCommissions)?;
    let conn = app.db().conn();
    view(conn, repo::find(conn, id).await?.ok_or(Error::NotFound("payout request"))?).await
}

/// "Get payout requests": the introducer's own.
pub async fn own(
    app: &App,
    actor: &Principal,
    page: Page,
    statuses: Vec<String>,
) -> Result<(Vec<PayoutView>, u64)> {
    let conn = app.db().conn();
    let ib = introducer_id(conn, actor).await?;
    let f = PayoutFilter { introducer_id: Some(ib), statuses, newest_first: page.newest_first };
    let (rows, n) =
        repo::list(conn, &f, page.offset, page.limit.min(super::ledger::MAX_PAGE)).await?;
    Ok((views(conn, rows).await?, n))
}

/// "Get a payout request" of the introducer's own (another's is 404).
pub async fn own_one(app: &App, actor: &Principal, id: i64) -> Result<PayoutView> {
    let conn = app.db().conn();
    let ib = introducer_id(conn, actor).await?;
    match repo::find(conn, id).await? {
        Some(r) if r.introducer_id == ib => view(conn, r).await,
        _ => Err(Error::NotFound("payout request")),
    }
}

/// "Check if a user has a pending payout request".
pub async fn has_pending(app: &App, actor: &Principal) -> Result<bool> {
    let conn = app.db().conn();
    let ib = introducer_id(conn, actor).await?;
    repo::has_pending(conn, ib).await
}

async fn minimum<C: ConnectionTrait>(conn: &C) -> Result<Money> {
    match settings::get(conn, MINIMUM_SETTING).await? {
        Some(s) => Money::parse(MINIMUM_SETTING, s.value.trim().trim_matches('"'))
            .map_err(|_| Error::internal("setting commission_payout_minimum is not a decimal")),
        None => Ok(DEFAULT_MINIMUM),
    }
}

/// "Create a payout request": the whole available commission into `wallet_id`.
pub async fn create(app: &App, actor: &Principal, wallet_id: i64) -> Result<PayoutView> {
    let tx = app.db().begin_write().await?;
    let ib = introducer_id(&tx, actor).await?;
    let wallet = match wallets::find(&tx, wallet_id).await? {
        Some(w) if w.user_id == ib => w,
        _ => return Err(Error::field("payoutWalletId", "no such wallet of yours")),
    };
    if wallet.is_demo || wallet.currency != COMMISSION_CURRENCY.as_str() {
        return Err(Error::field(
            "payoutWalletId",
            format!("must be a real {COMMISSION_CURRENCY} wallet"),
        ));
    }
    if repo::has_pending(&tx, ib).await? {
        return Err(Error::Conflict("a payout request is already pending".into()));
    }
    let payable = payable_account(&tx, ib).await?;
    let row = accounts::find(&tx, payable).await?.ok_or(Error::NotFound("ledger account"))?;
    let available = Money::from_minor(row.balance - row.pending_debits);
    let min = minimum(&tx).await?;
    if !available.is_positive() || available < min {
        return Err(Error::field(
            "payoutWalletId",
            format!("the available commission {available} is below the minimum payout {min}"),
        ));
    }
    let key =
        AccountKey::wallet(AccountKind::WalletBalance, wallet.id, COMMISSION_CURRENCY, false)?;
    let credit =
        accounts::get_or_create(&tx, &key, AccountKind::WalletBalance.default_policy()).await?.id;
    let reserve = NewTransfer {
        id: TransferId::generate(),
        debit_account_id: payable,
        credit_account_id: credit,
        amount: available,
        currency: COMMISSION_CURRENCY,
        code: TransferCode::CommissionPayout,
        user_data: Some("commission payout".into()),
        pending: true,
    };
    apply_in(&tx, &reserve).await?;
    let new = NewPayout {
        introducer_id: ib,
        payout_wallet_id: wallet.id,
        amount: available.minor(),
        currency: COMMISSION_CURRENCY.as_str().to_owned(),
        reserve_transfer_id: reserve.id.as_str().to_owned(),
    };
    let req = repo::insert(&tx, new).await.map_err(|e| match e {
        Error::Conflict(_) => Error::Conflict("a payout request is already pending".into()),
        other => other,
    })?;
    records::attach(&tx, ib, req.id).await?;
    let v = view(&tx, req).await?;
    commit(tx).await?;
    Ok(v)
}

/// "Approve a payout request" (ManageCommissions): posts the reservation into the wallet (a
/// `COMMISSION_PAYOUT` transaction) and marks its records paid out. Audited.
pub async fn approve(app: &App, actor: &Principal, id: i64) -> Result<PayoutView> {
    decide(app, actor, id, None).await
}

/// "Reject a payout request" (ManageCommissions): voids the reservation and releases the
/// records; the reason is kept. Audited.
pub async fn reject(
    app: &App,
    actor: &Principal,
    id: i64,
    reason: Option<String>,
) -> Result<PayoutView> {
    let reason = reason.map(|r| r.trim().to_owned()).filter(|r| !r.is_empty());
    if reason.as_ref().is_some_and(|r| r.chars().count() > MAX_REASON) {
        return Err(Error::field(
            "rejectReason",
            format!("must be at most {MAX_REASON} characters"),
        ));
    }
    decide(app, actor, id, Some(reason)).await
}

/// `reject`: `None` approves, `Some(reason)` rejects.
async fn decide(
    app: &App,
    actor: &Principal,
    id: i64,
    reject: Option<Option<String>>,
) -> Result<PayoutView> {
    actor.require(Permission::ManageCommissions)?;
    let tx = app.db().begin_write().await?;
    let req = repo::find(&tx, id).await?.ok_or(Error::NotFound("payout request"))?;
    let now = app.clock().now();
    let resolution_id = TransferId::generate();
    let (decision, resolution, kind) = match &reject {
        None => (
            Decision::Approved { transaction_id: resolution_id.as_str().to_owned() },
            Resolution::Post { amount: None },
            "payout_request.approve",
        ),
        Some(reason) => (
            Decision::Rejected { reason: reason.clone() },
            Resolution::Void,
            "payout_request.reject",
        ),
    };
    if !repo::decide(&tx, id, actor.user_id, decision, now).await? {
        return Err(Error::Conflict("the payout request is no longer pending".into()));
    }
    let r = ResolveTransfer {
        id: resolution_id,
        pending_id: TransferId::parse("transactionId", &req.reserve_transfer_id)?,
        resolution,
        user_data: Some(format!("payout request {id}")),
    };
    r.validate()?;
    ledger_resolve::resolve(&tx, &r, &body_hash(&r.fingerprint())).await?;
    if reject.is_none() {
        records::mark_paid(&tx, id, now).await?;
    } else {
        records::detach(&tx, id).await?;
    }
    let after =
        view(&tx, repo::find(&tx, id).await?.ok_or(Error::NotFound("payout request"))?).await?;
    let event = PayoutDecided {
        id,
        introducer_id: req.introducer_id,
        approved: reject.is_none(),
        payout_wallet_id: req.payout_wallet_id,
        amount: after.amount,
        currency: after.currency.clone(),
        reason: after.reject_reason.clone(),
    };
    app.events().publish(&tx, &event).await?;
    audit::record(
        &tx,
        Some(actor),
        Audit::new(kind, "payout_request", id.to_string())
            .details(format!("payout request {id} {}", after.status.to_lowercase()))
            .after(&after),
    )
    .await?;
    commit(tx).await?;
    Ok(after)
}
