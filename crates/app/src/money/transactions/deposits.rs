//! Deposits through a provider: the client starts one (a pending payment request; nothing
//! moves), the provider calls back when the payment settles. The callback is authenticated
//! by `X-Signature: sha256=<hex HMAC-SHA256 of the raw body under the provider's
//! signingSecret>`, compared in constant time; a confirmed deposit posts one DEPOSIT ledger
//! transfer (its id is the request's id) and runs `after_deposit` in the same transaction.
//! A redelivered callback changes nothing and gets the same answer. A completed deposit may
//! later be reported `chargeback`: the amount goes back to the provider's clearing account,
//! from the wallet as far as it holds it and the rest from the broker's adjustments
//! (`DepositReversed` is published, so partners claw back the CPA it earned).

use brokercrm_core::money::ledger::{
    AccountKey, AccountKind, NewTransfer, TransferCode, TransferId,
};
use brokercrm_core::money::payments::MethodType;
use brokercrm_core::money::wallets::{WalletStatus, may_exchange};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::db;
use brokercrm_store::repo::money::ledger::accounts as ledger_accounts_repo;
use brokercrm_store::repo::money::ledger::apply;
use brokercrm_store::repo::money::payment_requests::{self as requests, Decision, RequestRow};
use brokercrm_store::repo::money::wallets::{self, WalletRow};
use hmac::{Hmac, KeyInit, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use super::clearing;
use super::deposit_lane::{self, Completed, Completion, callback_audit};
use super::status::{CHARGEBACK, COMPLETED, DEPOSIT, FAILED, PENDING};
use super::views::{self, TransactionView};
use crate::money::events::{DepositPosted, DepositReversed};
use crate::money::ledger::body_hash;
use crate::money::wallets::{currency_of, ledger_accounts};
use crate::onboarding::progress::require as require_stage;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};
use brokercrm_core::onboarding::stages::Stage;

/// The provider key holding the callback signing secret.
pub const SIGNING_KEY: &str = "signingSecret";
/// The signature header's scheme prefix.
pub const SIGNATURE_PREFIX: &str = "sha256=";

/// "Start a deposit" input.
#[derive(Debug, Clone)]
pub struct DepositInput {
    pub provider: String,
    pub wallet_id: i64,
    pub amount: Money,
}

/// Starts a deposit into the caller's wallet through an enabled provider; returns it
/// (status `pending`). The provider's callback completes it.
pub async fn start(app: &App, actor: &Principal, input: DepositInput) -> Result<TransactionView> {
    if !input.amount.is_positive() {
        return Err(Error::field("amount", "must be greater than zero"));
    }
    require_stage(app, actor, Stage::BeforeDeposit).await?;
    let provider =
        super::usable_provider(app, actor, &input.provider, MethodType::Deposit, input.amount)
            .await?;
    let tx = app.db().begin_write().await?;
    let wallet = wallets::find(&tx, input.wallet_id)
        .await?
        .filter(|w| w.user_id == actor.user_id)
        .ok_or_else(|| Error::field("walletId", "no such wallet"))?;
    if !may_exchange(wallet.is_demo, false) {
        return Err(Error::field("walletId", "use the demo top-up for a demo wallet"));
    }
    if wallet.status != WalletStatus::Active.as_str() {
        return Err(Error::field("walletId", "the wallet is disabled"));
    }
    let id = TransferId::generate();
    let now = db::now();
    requests::insert(
        &tx,
        RequestRow {
            id: id.as_str().to_owned(),
            kind: DEPOSIT.to_owned(),
            status: PENDING.to_owned(),
            user_id: actor.user_id,
            wallet_id: wallet.id,
            provider: provider.provider.id().to_owned(),
            currency: wallet.currency.clone(),
            amount: input.amount.minor(),
            final_amount: None,
            wallet_address: None,
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
    let entry = Audit::new("deposit.start", "transaction", id.as_str()).details(format!(
        "deposit of {} {} into wallet {} through {}",
        input.amount,
        wallet.currency,
        wallet.id,
        provider.provider.id()
    ));
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    Ok(pending_view(&wallet.currency, id.as_str(), &input, actor.user_id, now))
}

fn pending_view(
    currency: &str,
    id: &str,
    input: &DepositInput,
    user_id: i64,
    now: chrono::DateTime<chrono::Utc>,
) -> TransactionView {
    TransactionView {
        id: id.to_owned(),
        kind: TransferCode::Deposit.as_str().to_owned(),
        status: PENDING.to_owned(),
        amount: input.amount,
        final_amount: None,
        currency: currency.to_owned(),
        wallet_id: Some(input.wallet_id),
        counterpart_wallet_id: None,
        customer_id: Some(user_id),
        provider: Some(input.provider.trim().to_owned()),
        method: None,
        wallet_address: None,
        comment: None,
        reviewer_id: None,
        reviewed_at: None,
        external_id: None,
        payout_status: None,
        created_at: now,
    }
}

/// The callback body a provider sends.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackBody {
    pub deposit_id: String,
    /// `completed` or `failed`; later, for a completed deposit, `chargeback`.
    pub status: String,
    /// The provider's reference for the payment.
    pub reference: Option<String>,
    /// When present, must equal the requested amount (decimal string).
    pub amount: Option<String>,
}

/// What the callback answers (the same on every delivery of one outcome).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallbackAnswer {
    pub deposit_id: String,
    pub status: String,
}

/// `sha256=<hex>` of `body` under `secret` (what the provider sends; tests sign with it).
pub fn sign(secret: &[u8], body: &[u8]) -> Result<String> {
    let mut mac = Hmac::<Sha256>::new_from_slice(secret).map_err(Error::internal)?;
    mac.update(body);
    Ok(format!("{SIGNATURE_PREFIX}{}", hex::encode(mac.finalize().into_bytes())))
}

/// Whether `header` is a valid signature of `body` under `secret` (constant-time compare).
fn verify(secret: &[u8], body: &[u8], header: Option<&str>) -> bool {
    let Some(sig) = header.map(str::trim).and_then(|h| h.strip_prefix(SIGNATURE_PREFIX)) else {
        return false;
    };
    let Ok(sig) = hex::decode(sig) else { return false };
    let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(secret) else { return false };
    mac.update(body);
    mac.verify_slice(&sig).is_ok()
}

/// Handles provider `provider_id`'s callback: `signature` is the `X-Signature` header and
/// `raw` the body exactly as received. A bad or missing signature (or no secret configured)
/// is 401 and changes nothing. A `completed` callback is checked here and written in the next
/// batch of the deposit lane ([`super::deposit_lane`]: one transaction, the provider's hot
/// clearing account moved once per batch); `failed` and `chargeback` callbacks — rare, and
/// moving other rows — stay on the single path, as does a completion whose batch failed.
pub async fn callback(
    app: &App,
    provider_id: &str,
    signature: Option<&str>,
    raw: &[u8],
) -> Result<CallbackAnswer> {
    let unauthorized = || Error::Unauthorized("invalid callback signature".into());
    let conn = app.db().conn();
    let provider = crate::money::payments::load_one(app, conn, provider_id, false).await?;
    let secret =
        provider.key_values.get(SIGNING_KEY).filter(|s| !s.is_empty()).ok_or_else(unauthorized)?;
    if !verify(secret.as_bytes(), raw, signature) {
        return Err(unauthorized());
    }
    let body: CallbackBody = serde_json::from_slice(raw).map_err(|_| {
        Error::BadRequest("the callback body is not a valid deposit callback".into())
    })?;
    let outcome = match body.status.trim() {
        COMPLETED => COMPLETED,
        FAILED => FAILED,
        CHARGEBACK => CHARGEBACK,
        _ => return Err(Error::field("status", "must be completed, failed or chargeback")),
    };
    let reference =
        brokercrm_core::validate::opt_text("reference", body.reference.as_deref(), 128)?;
    let called = Called { provider: provider.provider.id(), body: &body, outcome, reference };
    if outcome == COMPLETED
        && let Some(answer) = complete_in_lane(app, &called).await?
    {
        return Ok(answer);
    }
    alone_again(app, &called).await
}

/// [`alone`], run again while the database aborts it for the moment (a deadlock with a batch
/// or another writer of the same accounts); each attempt reads the request afresh.
async fn alone_again(app: &App, c: &Called<'_>) -> Result<CallbackAnswer> {
    crate::platform::retry::transient(|| alone(app, c)).await
}

/// A callback checked: signed by `provider`, its body and outcome parsed, its reference valid.
struct Called<'a> {
    provider: &'a str,
    body: &'a CallbackBody,
    outcome: &'static str,
    reference: Option<String>,
}

/// The request `c` is about, if it is a deposit through its provider; else 404.
async fn request_of<C: brokercrm_store::ConnectionTrait>(
    conn: &C,
    c: &Called<'_>,
) -> Result<RequestRow> {
    requests::find(conn, c.body.deposit_id.trim())
        .await?
        .filter(|r| r.kind == DEPOSIT && r.provider == c.provider)
        .ok_or(Error::NotFound("deposit"))
}

/// The answer to a redelivery: the same outcome answers the same; another one is a conflict.
fn redelivered(answer: CallbackAnswer, status: &str, outcome: &str) -> Result<CallbackAnswer> {
    if status == outcome {
        Ok(answer)
    } else {
        Err(Error::Conflict(format!("the deposit is already {status}")))
    }
}

/// When present, the callback's amount must be the request's.
fn check_amount(c: &Called<'_>, r: &RequestRow) -> Result<()> {
    if let Some(a) = c.body.amount.as_deref() {
        let a = Money::parse("amount", a.trim())?;
        if a.minor() != r.amount {
            return Err(Error::field("amount", "must equal the deposit's amount"));
        }
    }
    Ok(())
}

/// A completed callback through the deposit lane: the request, its wallet and accounts read
/// (on the read pool) and checked as the single path checks them, then written in the lane's
/// next batch. `None`: run it alone (the batch failed).
async fn complete_in_lane(app: &App, c: &Called<'_>) -> Result<Option<CallbackAnswer>> {
    let conn = app.db().conn();
    let r = request_of(conn, c).await?;
    let answer = CallbackAnswer { deposit_id: r.id.clone(), status: c.outcome.to_owned() };
    if r.status != PENDING {
        return redelivered(answer, &r.status, c.outcome).map(Some);
    }
    check_amount(c, &r)?;
    let wallet = wallets::find(conn, r.wallet_id).await?.ok_or(Error::NotFound("wallet"))?;
    let currency = currency_of(&wallet)?;
    let (balance, house) = deposit_accounts(app, &wallet, &r.provider, currency).await?;
    let transfer = deposit_transfer(&r, house, balance, currency)?;
    let completion = Completion { request: r, wallet, reference: c.reference.clone(), transfer };
    match deposit_lane::run(app, completion).await? {
        Completed::Posted => Ok(Some(answer)),
        Completed::Decided(Some(status)) => redelivered(answer, &status, c.outcome).map(Some),
        Completed::Decided(None) => Err(Error::NotFound("deposit")),
        Completed::Alone => Ok(None),
    }
}

/// The balance account of `wallet` and the clearing account of `provider` in `currency`: read
/// on the read pool, or opened (empty) in a short transaction of their own when missing.
async fn deposit_accounts(
    app: &App,
    wallet: &WalletRow,
    provider: &str,
    currency: Currency,
) -> Result<(i64, i64)> {
    let kind = AccountKind::WalletBalance;
    let keys = [
        (AccountKey::wallet(kind, wallet.id, currency, wallet.is_demo)?, kind.default_policy()),
        (
            AccountKey::cash_clearing(provider, currency)?,
            AccountKind::CashClearing.default_policy(),
        ),
    ];
    let wanted: Vec<String> = keys.iter().map(|(k, _)| k.key()).collect();
    let found = ledger_accounts_repo::find_by_keys(app.db().conn(), &wanted).await?;
    let ids = if found.len() == wanted.len() {
        wanted
            .iter()
            .filter_map(|k| found.iter().find(|a| &a.key == k).map(|a| a.id))
            .collect::<Vec<_>>()
    } else {
        // Not all opened yet (a first deposit): open them, empty, with the writer.
        let tx = app.db().begin_write().await?;
        let ids = ledger_accounts_repo::get_or_create_many(&tx, &keys).await?;
        db::commit(tx).await?;
        ids
    };
    match ids.as_slice() {
        [balance, house] => Ok((*balance, *house)),
        _ => Err(Error::internal("deposit accounts missing")),
    }
}

/// The DEPOSIT transfer of request `r`: from clearing account `house` to balance account
/// `balance`; its id is the request's.
fn deposit_transfer(
    r: &RequestRow,
    house: i64,
    balance: i64,
    currency: Currency,
) -> Result<NewTransfer> {
    let t = NewTransfer {
        id: TransferId::parse("depositId", &r.id)?,
        debit_account_id: house,
        credit_account_id: balance,
        amount: Money::from_minor(r.amount),
        currency,
        code: TransferCode::Deposit,
        user_data: None,
        pending: false,
    };
    t.validate()?;
    Ok(t)
}

/// A callback in its own write transaction (every outcome; a completion whose batch failed).
async fn alone(app: &App, c: &Called<'_>) -> Result<CallbackAnswer> {
    let outcome = c.outcome;
    let tx = app.db().begin_write().await?;
    let r = request_of(&tx, c).await?;
    let answer = CallbackAnswer { deposit_id: r.id.clone(), status: outcome.to_owned() };
    if outcome == CHARGEBACK && r.status != CHARGEBACK {
        if r.status != COMPLETED {
            return Err(Error::Conflict(format!("the deposit is {}, not completed", r.status)));
        }
        charge_back(app, &tx, &r, c.reference.clone()).await?;
        db::commit(tx).await?;
        return Ok(answer);
    }
    if r.status != PENDING {
        return redelivered(answer, &r.status, outcome);
    }
    check_amount(c, &r)?;
    let d = Decision { external_id: c.reference.clone(), ..Decision::default() };
    if !requests::transition(&tx, &r.id, PENDING, outcome, d).await? {
        let now = requests::find(&tx, &r.id).await?.map(|r| r.status);
        return match now.as_deref() {
            Some(s) if s == outcome => Ok(answer),
            _ => Err(Error::Conflict("the deposit was decided meanwhile".into())),
        };
    }
    if outcome == COMPLETED {
        let wallet = wallets::find(&tx, r.wallet_id).await?.ok_or(Error::NotFound("wallet"))?;
        let currency = currency_of(&wallet)?;
        let (balance, _) = ledger_accounts(&tx, &wallet).await?;
        let house = clearing(&tx, &r.provider, currency).await?;
        let t = deposit_transfer(&r, house, balance, currency)?;
        let applied = apply::transfer(&tx, &t, &body_hash(&t.fingerprint())).await?;
        if !applied.replayed {
            let posted = DepositPosted::new(&wallet, &t.id, t.amount, currency, Some(&r.provider));
            app.events().publish(&tx, &posted).await?;
        }
    }
    audit::record(&tx, None, callback_audit(&r, outcome)).await?;
    db::commit(tx).await?;
    Ok(answer)
}

/// Takes completed deposit `r` back (its `chargeback` callback): the request moves to
/// `chargeback` (conditional: a racing delivery changes nothing), the amount goes from the
/// wallet's balance to the provider's clearing account as far as the wallet holds it, the rest
/// from the broker's adjustments account (both CORRECTION transfers, ids
/// `chargeback:<id>` and `chargeback:<id>:loss`), then [`DepositReversed`] is published.
async fn charge_back(
    app: &App,
    tx: &brokercrm_store::DatabaseTransaction,
    r: &RequestRow,
    reference: Option<String>,
) -> Result<()> {
    let d = Decision { external_id: reference, ..Decision::default() };
    if !requests::transition(tx, &r.id, COMPLETED, CHARGEBACK, d).await? {
        return Ok(());
    }
    let wallet = wallets::find(tx, r.wallet_id).await?.ok_or(Error::NotFound("wallet"))?;
    let currency = currency_of(&wallet)?;
    let (balance, _) = ledger_accounts(tx, &wallet).await?;
    let house = clearing(tx, &r.provider, currency).await?;
    let amount = Money::from_minor(r.amount);
    let held = ledger_accounts_repo::find(tx, balance)
        .await?
        .map(|a| a.balance - a.pending_debits)
        .unwrap_or_default();
    let covered = Money::from_minor(held.clamp(0, r.amount));
    let loss = amount.checked_sub(covered).ok_or_else(|| Error::internal("chargeback overflow"))?;
    let key = AccountKey::house(AccountKind::Adjustments, currency)?;
    let adjustments =
        ledger_accounts_repo::get_or_create(tx, &key, AccountKind::Adjustments.default_policy())
            .await?
            .id;
    let parts = [
        (balance, covered, format!("chargeback:{}", r.id)),
        (adjustments, loss, format!("chargeback:{}:loss", r.id)),
    ];
    for (debit, part, id) in parts {
        if !part.is_positive() {
            continue;
        }
        let t = NewTransfer {
            id: TransferId::parse("depositId", &id)?,
            debit_account_id: debit,
            credit_account_id: house,
            amount: part,
            currency,
            code: TransferCode::Correction,
            user_data: Some(format!("chargeback of deposit {}", r.id)),
            pending: false,
        };
        t.validate()?;
        apply::transfer(tx, &t, &body_hash(&t.fingerprint())).await?;
    }
    let event = DepositReversed {
        wallet_id: wallet.id,
        customer_id: wallet.user_id,
        demo: wallet.is_demo,
        deposit: TransferId::parse("depositId", &r.id)?,
        amount,
        from_wallet: covered,
        currency,
    };
    app.events().publish(tx, &event).await?;
    let entry = Audit::new("deposit.chargeback", "transaction", r.id.clone()).details(format!(
        "provider {} charged back deposit {}: {covered} {currency} from the wallet, {loss} \
         from adjustments",
        r.provider, r.id
    ));
    audit::record(tx, None, entry).await
}

/// A deposit's current view (for the client who started it, or staff).
pub async fn get_own(app: &App, actor: &Principal, id: &str) -> Result<TransactionView> {
    let conn = app.db().conn();
    let r = requests::find(conn, id.trim()).await?.filter(|r| r.kind == DEPOSIT);
    let r = r.filter(|r| r.user_id == actor.user_id).ok_or(Error::NotFound("deposit"))?;
    if r.status == COMPLETED || r.status == CHARGEBACK {
        return views::one(conn, &r.id).await?.ok_or(Error::NotFound("deposit"));
    }
    let input = DepositInput {
        provider: r.provider.clone(),
        wallet_id: r.wallet_id,
        amount: Money::from_minor(r.amount),
    };
    let mut v = pending_view(&r.currency, &r.id, &input, r.user_id, r.created_at);
    v.status = r.status;
    Ok(v)
}
