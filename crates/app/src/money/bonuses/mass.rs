//! "Create a mass bonus": one amount to many wallets named by their usernames (a wallet's
//! username is its numeric id, the login it trades under), comma-separated. Each wallet gets
//! its own ledger transfer in its own write transaction, so one bad username does not stop
//! the others; the report names every failure and why. With an `Idempotency-Key` each
//! wallet's transfer id is derived from the key and the wallet, so a retry pays nobody twice.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::{
    AccountKey, AccountKind, NewTransfer, TransferCode, TransferId,
};
use brokercrm_core::money::wallets::{WalletStatus, may_exchange};
use brokercrm_core::validate::opt_text;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::db;
use brokercrm_store::repo::money::ledger::{accounts, apply};
use sha2::{Digest, Sha256};

use crate::money::ledger::body_hash;
use crate::money::wallets::{ledger_accounts, visible};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// Largest number of usernames in one mass bonus.
pub const MAX_ACCOUNTS: usize = 1000;

/// "Create a mass bonus" input.
#[derive(Debug, Clone)]
pub struct MassInput {
    pub name: Option<String>,
    pub currency: Option<String>,
    pub add_to_credit: bool,
    pub amount: Money,
    /// Wallet usernames separated by commas.
    pub accounts: String,
}

/// What happened to one username.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MassItem {
    pub account: String,
    /// `applied`, `replayed` (already applied by an earlier try with the same key) or `failed`.
    pub status: &'static str,
    pub transfer_id: Option<String>,
    /// Why it failed.
    pub reason: Option<String>,
}

/// The outcome of a mass bonus.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct MassReport {
    pub name: Option<String>,
    pub currency: Currency,
    pub amount: Money,
    pub add_to_credit: bool,
    pub total: usize,
    pub succeeded: usize,
    pub failed: usize,
    pub items: Vec<MassItem>,
}

/// The distinct usernames of the list, in order; empty entries are ignored.
fn usernames(raw: &str) -> Result<Vec<String>> {
    let mut out: Vec<String> = Vec::new();
    for u in raw.split(',').map(str::trim).filter(|u| !u.is_empty()) {
        if !out.iter().any(|o| o == u) {
            out.push(u.to_owned());
        }
    }
    if out.is_empty() {
        return Err(Error::field("accounts", "must name at least one wallet username"));
    }
    if out.len() > MAX_ACCOUNTS {
        return Err(Error::field("accounts", format!("at most {MAX_ACCOUNTS} usernames")));
    }
    Ok(out)
}

/// The per-request prefix of transfer ids: from the key (stable across retries), else fresh.
fn batch_prefix(actor: &Principal, key: Option<&str>) -> Result<String> {
    match key.map(str::trim) {
        None => Ok(format!("mass:{}", uuid::Uuid::now_v7().simple())),
        Some(k) if k.is_empty() || k.len() > 100 || !k.bytes().all(|b| b.is_ascii_graphic()) => {
            Err(Error::field("Idempotency-Key", "must be 1-100 visible ASCII characters"))
        }
        Some(k) => {
            let d = hex::encode(Sha256::digest(format!("u{}:{k}", actor.user_id).as_bytes()));
            Ok(format!("mass:{}", d.get(..32).unwrap_or(&d)))
        }
    }
}

/// A failure a client can act on, as report text; other errors abort the whole request.
fn reason(e: Error) -> Result<String> {
    match e {
        Error::Validation(f) => Ok(f.into_iter().map(|f| f.message).collect::<Vec<_>>().join("; ")),
        Error::NotFound(_) => Ok("unknown wallet".into()),
        Error::Conflict(_) => Ok("Idempotency-Key reused with another body".into()),
        other => Err(other),
    }
}

/// Grants the bonus to wallet `username`; true when the transfer was a replay.
async fn one(
    app: &App,
    actor: &Principal,
    input: &MassInput,
    currency: Currency,
    wallet_id: i64,
    id: &TransferId,
) -> Result<bool> {
    let tx = app.db().begin_write().await?;
    let w = visible(&tx, actor, wallet_id, Permission::ManageWalletMoney).await?;
    if w.status != WalletStatus::Active.as_str() {
        return Err(Error::field("accounts", "the wallet is disabled"));
    }
    if !may_exchange(w.is_demo, false) {
        return Err(Error::field("accounts", "the wallet is a demo wallet"));
    }
    if w.currency != currency.as_str() {
        return Err(Error::field(
            "accounts",
            format!("the wallet's currency is {}, not {currency}", w.currency),
        ));
    }
    let (balance, credit) = ledger_accounts(&tx, &w).await?;
    let kind = AccountKind::BonusExpense;
    let house =
        accounts::get_or_create(&tx, &AccountKey::house(kind, currency)?, kind.default_policy())
            .await?
            .id;
    let t = NewTransfer {
        id: id.clone(),
        debit_account_id: house,
        credit_account_id: if input.add_to_credit { credit } else { balance },
        amount: input.amount,
        currency,
        code: TransferCode::Bonus,
        user_data: input.name.clone(),
        pending: false,
    };
    t.validate()?;
    let replayed = apply::transfer(&tx, &t, &body_hash(&t.fingerprint())).await?.replayed;
    if !replayed {
        let target = if input.add_to_credit { "credit" } else { "balance" };
        let entry = Audit::new("bonus.mass", "wallet", w.id.to_string())
            .details(format!(
                "mass bonus '{}': {} {currency} to wallet {} {target} (transfer {id})",
                input.name.as_deref().unwrap_or("-"),
                input.amount,
                w.id
            ))
            .after(&serde_json::json!({
                "transferId": id, "amount": input.amount, "currency": currency,
                "addToCredit": input.add_to_credit, "name": input.name,
            }));
        audit::record(&tx, Some(actor), entry).await?;
    }
    db::commit(tx).await?;
    Ok(replayed)
}

/// "Create a mass bonus" (ManageWalletMoney): validates the whole request first (nothing is
/// paid when a field is invalid), then pays each wallet on its own and reports each one.
pub async fn create(
    app: &App,
    actor: &Principal,
    mut input: MassInput,
    idempotency_key: Option<&str>,
) -> Result<MassReport> {
    actor.require(Permission::ManageWalletMoney)?;
    let currency = match input.currency.as_deref().map(str::trim) {
        None | Some("") => Currency::USD,
        Some(c) => Currency::parse("currency", c)?,
    };
    if !input.amount.is_positive() {
        return Err(Error::field("amount", "must be greater than zero"));
    }
    input.name = opt_text("name", input.name.as_deref(), 200)?;
    let names = usernames(&input.accounts)?;
    let prefix = batch_prefix(actor, idempotency_key)?;
    let mut items = Vec::with_capacity(names.len());
    let mut seen = Vec::with_capacity(names.len());
    for username in names {
        let Some(wallet_id) = username.parse::<i64>().ok().filter(|n| *n > 0) else {
            let why = Some("unknown wallet".to_owned());
            items.push(MassItem {
                account: username,
                status: "failed",
                transfer_id: None,
                reason: why,
            });
            continue;
        };
        if seen.contains(&wallet_id) {
            continue; // "7" and "007" name one wallet: paid once.
        }
        seen.push(wallet_id);
        let id = TransferId::parse("accounts", &format!("{prefix}:{wallet_id}"))?;
        let (status, transfer_id, why) =
            match one(app, actor, &input, currency, wallet_id, &id).await {
                Ok(false) => ("applied", Some(id.to_string()), None),
                Ok(true) => ("replayed", Some(id.to_string()), None),
                Err(e) => ("failed", None, Some(reason(e)?)),
            };
        items.push(MassItem { account: username, status, transfer_id, reason: why });
    }
    let failed = items.iter().filter(|i| i.status == "failed").count();
    Ok(MassReport {
        name: input.name.clone(),
        currency,
        amount: input.amount,
        add_to_credit: input.add_to_credit,
        total: items.len(),
        succeeded: items.len() - failed,
        failed,
        items,
    })
}
