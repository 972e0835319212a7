//! Automatic application of bonus rules, inside the write transaction of the triggering
//! event, as subscribers of money's events (`money::events`, registered in `App::build`):
//! DEPOSIT / DEPOSIT_PROPORTIONAL on `DepositPosted`, SIGNUP on `WalletOpened` when it is a
//! customer's first real (non-demo) wallet.
//!
//! Exactly once per (rule, event): the grant's transfer id is derived from the rule id and the
//! event (`bonus:<rule>:<sha256(event)>`, the event being the deposit's transfer id or the
//! customer), so a replayed or concurrent trigger meets the ledger's unique transfer id and
//! changes nothing. Amounts in USD (fixed amount, minimum deposit, maximum) are converted
//! with `fx::convert_with` in the same transaction; a rule whose conversion has no path is
//! skipped (and logged) rather than failing the deposit.

use brokercrm_core::money::bonuses::{BonusAmount, BonusRule, BonusType, granted};
use brokercrm_core::money::ledger::{
    AccountKey, AccountKind, NewTransfer, TransferCode, TransferId,
};
use brokercrm_core::money::wallets::may_exchange;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::repo::money::bonuses::{self, BonusRow};
use brokercrm_store::repo::money::ledger::{accounts, apply};
use brokercrm_store::repo::money::wallets::{self, WalletFilter, WalletRow};
use brokercrm_store::{ConnectionTrait, DatabaseTransaction};
use sha2::{Digest, Sha256};

use crate::money::events::{DepositPosted, WalletOpened};
use crate::money::ledger::body_hash;
use crate::money::wallets::{currency_of, ledger_accounts};
use crate::platform::audit::{self, Audit};
use crate::platform::events::Reaction;

/// The grant's transfer id for `rule` and triggering `event`: at most 103 characters.
pub fn grant_id(rule: &str, event: &str) -> Result<TransferId> {
    let digest = hex::encode(Sha256::digest(event.as_bytes()));
    TransferId::parse("id", &format!("bonus:{rule}:{}", digest.get(..32).unwrap_or(&digest)))
}

/// Converts `amount` of `from` into `to`; `None` when no conversion path exists.
async fn convert<C: ConnectionTrait>(
    tx: &C,
    amount: Money,
    from: Currency,
    to: Currency,
) -> Result<Option<Money>> {
    match crate::money::fx::convert_with(tx, amount, &from, &to).await {
        Ok(c) => Ok(Some(c.amount)),
        Err(Error::Validation(_)) => Ok(None),
        Err(e) => Err(e),
    }
}

/// Moves `amount` from bonus expense into the wallet's balance (or credit) under `id`.
/// Returns whether money moved now (false: granted before, under the same id).
async fn grant<C: ConnectionTrait>(
    tx: &C,
    w: &WalletRow,
    rule_id: &str,
    rule: &BonusRule,
    id: TransferId,
    amount: Money,
    code: TransferCode,
) -> Result<bool> {
    let currency = currency_of(w)?;
    let (balance, credit) = ledger_accounts(tx, w).await?;
    let kind = AccountKind::BonusExpense;
    let house =
        accounts::get_or_create(tx, &AccountKey::house(kind, currency)?, kind.default_policy())
            .await?
            .id;
    let t = NewTransfer {
        id,
        debit_account_id: house,
        credit_account_id: if rule.add_to_credit { credit } else { balance },
        amount,
        currency,
        code,
        user_data: Some(format!("bonus {rule_id}")),
        pending: false,
    };
    t.validate()?;
    match apply::transfer(tx, &t, &body_hash(&t.fingerprint())).await {
        Ok(a) if a.replayed => return Ok(false),
        Ok(_) => {}
        // The same (rule, event) already granted with another amount or target (e.g. the
        // rule changed since): still exactly once.
        Err(Error::Conflict(_)) => return Ok(false),
        Err(e) => return Err(e),
    }
    let target = if rule.add_to_credit { "credit" } else { "balance" };
    let entry = Audit::new("bonus.grant", "wallet", w.id.to_string())
        .details(format!(
            "{} bonus '{rule_id}': {amount} {currency} to wallet {} {target} (transfer {})",
            rule.kind.as_str(),
            w.id,
            t.id
        ))
        .after(&serde_json::json!({
            "bonusId": rule_id, "transferId": t.id, "amount": amount, "currency": currency,
            "addToCredit": rule.add_to_credit,
        }));
    audit::record(tx, None, entry).await?;
    Ok(true)
}

/// The rule of a stored row, or `None` (logged) when it cannot be read.
fn readable(r: &BonusRow) -> Option<BonusRule> {
    match super::rule_of(r) {
        Ok(rule) => Some(rule),
        Err(e) => {
            tracing::error!(bonus = %r.id, error = ?e, "unreadable bonus rule skipped");
            None
        }
    }
}

/// The amount `rule` grants to a wallet in `currency` for a deposit of `deposit` (`None`:
/// the rule does not apply, or a USD amount cannot be converted).
async fn deposit_amount<C: ConnectionTrait>(
    tx: &C,
    rule: &BonusRule,
    currency: Currency,
    deposit: Money,
    method: Option<&str>,
) -> Result<Option<Money>> {
    if !rule.takes_method(method) {
        return Ok(None);
    }
    if rule.minimum_deposit_usd.is_some() {
        let Some(usd) = convert(tx, deposit, currency, Currency::USD).await? else {
            return Ok(None);
        };
        if !rule.reaches_minimum(usd) {
            return Ok(None);
        }
    }
    let base = match rule.amount {
        BonusAmount::FixedUsd(m) => match convert(tx, m, Currency::USD, currency).await? {
            Some(b) => b,
            None => return Ok(None),
        },
        BonusAmount::Percent(_) => deposit,
    };
    let cap = match rule.maximum_amount_usd {
        Some(max) => match convert(tx, max, Currency::USD, currency).await? {
            Some(c) => Some(c),
            None => return Ok(None),
        },
        None => None,
    };
    Ok(granted(rule.amount, base, cap))
}

/// Subscriber to `DepositPosted`, a batch at a time: the deposit bonuses. The rules in force
/// are read once per batch (and not at all for a batch of demo deposits).
pub fn on_deposits_posted<'a>(
    tx: &'a DatabaseTransaction,
    es: &'a [DepositPosted],
) -> Reaction<'a> {
    Box::pin(async move {
        let real: Vec<&DepositPosted> =
            es.iter().filter(|e| may_exchange(e.wallet.is_demo, false)).collect();
        if real.is_empty() {
            return Ok(());
        }
        let now = brokercrm_store::db::now();
        let kinds = [BonusType::Deposit.as_str(), BonusType::DepositProportional.as_str()];
        let rules = bonuses::in_force(tx, &kinds, now).await?;
        for e in real {
            on_deposit(tx, &rules, &e.wallet, &e.transfer, e.amount, e.method.as_deref()).await?;
        }
        Ok(())
    })
}

/// Subscriber to `WalletOpened`: the signup bonuses.
pub fn on_wallet_opened<'a>(tx: &'a DatabaseTransaction, e: &'a WalletOpened) -> Reaction<'a> {
    Box::pin(signup(tx, &e.wallet))
}

/// Applies the DEPOSIT / DEPOSIT_PROPORTIONAL `rules` in force to a deposit of `amount` into
/// real wallet `w` by `method`, posted under transfer `deposit`.
async fn on_deposit<C: ConnectionTrait>(
    tx: &C,
    rules: &[BonusRow],
    w: &WalletRow,
    deposit: &TransferId,
    amount: Money,
    method: Option<&str>,
) -> Result<()> {
    let currency = currency_of(w)?;
    for row in rules {
        let Some(rule) = readable(row) else { continue };
        let Some(bonus) = deposit_amount(tx, &rule, currency, amount, method).await? else {
            continue;
        };
        let id = grant_id(&row.id, &format!("deposit:{deposit}"))?;
        grant(tx, w, &row.id, &rule, id, bonus, TransferCode::DepositBonus).await?;
    }
    Ok(())
}

/// Applies every SIGNUP rule in force when `w` is its owner's first real wallet (it was just
/// inserted in `tx`). Once per (rule, customer), whatever wallet later opens.
async fn signup<C: ConnectionTrait>(tx: &C, w: &WalletRow) -> Result<()> {
    if !may_exchange(w.is_demo, false) {
        return Ok(());
    }
    let f = WalletFilter { user_id: Some(w.user_id), is_demo: Some(false), ..Default::default() };
    let (_, real_wallets) = wallets::list(tx, &f, 1, 0).await?;
    if real_wallets != 1 {
        return Ok(());
    }
    let now = brokercrm_store::db::now();
    let currency = currency_of(w)?;
    for row in bonuses::in_force(tx, &[BonusType::Signup.as_str()], now).await? {
        let Some(rule) = readable(&row) else { continue };
        let BonusAmount::FixedUsd(usd) = rule.amount else { continue };
        let Some(base) = convert(tx, usd, Currency::USD, currency).await? else {
            tracing::warn!(bonus = %row.id, %currency, "signup bonus skipped: no USD conversion");
            continue;
        };
        let cap = match rule.maximum_amount_usd {
            Some(max) => convert(tx, max, Currency::USD, currency).await?,
            None => None,
        };
        let Some(bonus) = granted(rule.amount, base, cap) else { continue };
        let id = grant_id(&row.id, &format!("signup:{}", w.user_id))?;
        grant(tx, w, &row.id, &rule, id, bonus, TransferCode::Bonus).await?;
    }
    Ok(())
}
