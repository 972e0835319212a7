//! Moving coins through the ledger. Earning ([`award`]): coins-liability (COINS) → the
//! customer's coin account. Exchanging ([`exchange`]) a fixed lot, in one write transaction:
//! the customer's coin account → coins liability (COINS), guarded by the ledger's
//! conditional update (insufficient coins is a 422 on `amount` and nothing changes), then
//! coins liability (wallet currency) → the wallet's balance (credit below Gold), both
//! `COINS_EXCHANGE`. The `Idempotency-Key` is the transfer id, so a retry pays once.

use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::money::coins::{COINS, coins_money, exchange_lot};
use brokercrm_core::money::ledger::{
    AccountKey, AccountKind, NewTransfer, TransferCode, TransferId,
};
use brokercrm_core::money::wallets::transfer_id;
use brokercrm_core::validate::opt_text;
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::repo::money::ledger::{accounts, apply, transfers};
use brokercrm_store::{ConnectionTrait, db};

use super::{EARN_CODE, customer, load, payout_wallet, standing_of};
use crate::money::ledger::body_hash;
use crate::money::scope::require_owner;
use crate::money::wallets::{currency_of, ledger_accounts};
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

async fn house<C: ConnectionTrait>(tx: &C, currency: Currency) -> Result<i64> {
    let kind = AccountKind::CoinsLiability;
    Ok(accounts::get_or_create(tx, &AccountKey::house(kind, currency)?, kind.default_policy())
        .await?
        .id)
}

async fn coin_account<C: ConnectionTrait>(tx: &C, user_id: i64) -> Result<i64> {
    let key = AccountKey::customer_coins(user_id)?;
    Ok(accounts::get_or_create(tx, &key, key.kind().default_policy()).await?.id)
}

/// Applies `t`; true when it was a replay.
async fn apply_in<C: ConnectionTrait>(tx: &C, t: &NewTransfer) -> Result<bool> {
    t.validate()?;
    Ok(apply::transfer(tx, t, &body_hash(&t.fingerprint())).await?.replayed)
}

/// The result of an exchange.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Exchanged {
    pub transfer_id: TransferId,
    pub coins: i64,
    pub amount: Money,
    pub currency: Currency,
    pub wallet_id: i64,
    pub to_credit: bool,
    pub replayed: bool,
}

/// "Exchange coins" (a customer, for their own coins): `coins` must be one of the lots.
pub async fn exchange(
    app: &App,
    actor: &Principal,
    coins: i64,
    wallet_id: Option<i64>,
    idempotency_key: Option<&str>,
) -> Result<Exchanged> {
    if actor.role != Role::Customer {
        return Err(Error::Forbidden);
    }
    exchange_lot("amount", coins)?;
    let id = transfer_id(actor.user_id, idempotency_key)?;
    let pay_id = TransferId::parse("Idempotency-Key", &format!("{id}:pay"))?;
    let tx = app.db().begin_write().await?;
    let settings = load(&tx).await?;
    if !settings.coins_enabled {
        return Err(Error::field("amount", "coin exchange is not enabled"));
    }
    let w = payout_wallet(&tx, actor.user_id, wallet_id).await?;
    let currency = currency_of(&w)?;
    let level = standing_of(&tx, actor.user_id, app.clock().now()).await?.level;
    let dollars = settings
        .dollars_for(coins, &level)
        .ok_or_else(|| Error::field("amount", "is too large"))?;
    let paid = crate::money::fx::convert_with(&tx, dollars, &Currency::USD, &currency)
        .await
        .map_err(|e| match e {
            Error::Validation(_) => {
                Error::field("walletId", format!("no conversion path from USD to {currency}"))
            }
            other => other,
        })?
        .amount;
    let coin_leg = NewTransfer {
        id: id.clone(),
        debit_account_id: coin_account(&tx, actor.user_id).await?,
        credit_account_id: house(&tx, COINS).await?,
        amount: coins_money("amount", coins)?,
        currency: COINS,
        code: TransferCode::CoinsExchange,
        user_data: Some(format!("exchange to wallet {}", w.id)),
        pending: false,
    };
    if apply_in(&tx, &coin_leg).await? {
        // Applied before: answer what was paid then (the rate may have moved since).
        let paid = transfers::find(&tx, pay_id.as_str())
            .await?
            .ok_or_else(|| Error::internal("coin exchange without its payment leg"))?;
        let (balance, _) = ledger_accounts(&tx, &w).await?;
        db::commit(tx).await?;
        return Ok(Exchanged {
            transfer_id: id,
            coins,
            amount: Money::from_minor(paid.amount),
            currency: Currency::parse("currency", &paid.currency)?,
            wallet_id: w.id,
            to_credit: paid.credit_account_id != balance,
            replayed: true,
        });
    }
    let (balance, credit) = ledger_accounts(&tx, &w).await?;
    let to_credit = !level.real_money;
    let pay_leg = NewTransfer {
        id: pay_id,
        debit_account_id: house(&tx, currency).await?,
        credit_account_id: if to_credit { credit } else { balance },
        amount: paid,
        currency,
        code: TransferCode::CoinsExchange,
        user_data: Some(format!("{coins} coins exchanged")),
        pending: false,
    };
    apply_in(&tx, &pay_leg).await?;
    let entry = Audit::new("coins.exchange", "wallet", w.id.to_string())
        .details(format!(
            "{coins} coins exchanged for {paid} {currency} to wallet {} (transfer {id})",
            w.id
        ))
        .after(&serde_json::json!({
            "transferId": id, "coins": coins, "amount": paid, "currency": currency,
            "level": level.name, "addToCredit": to_credit,
        }));
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    Ok(Exchanged {
        transfer_id: id,
        coins,
        amount: paid,
        currency,
        wallet_id: w.id,
        to_credit,
        replayed: false,
    })
}

/// Awards `coins` to a customer (ManageWalletMoney; audited). The earning source of the seed
/// (trading activity) arrives with the trading engine and will call the same ledger movement.
pub async fn award(
    app: &App,
    actor: &Principal,
    customer_id: &str,
    coins: i64,
    comment: Option<&str>,
    idempotency_key: Option<&str>,
) -> Result<i64> {
    actor.require(Permission::ManageWalletMoney)?;
    let amount = coins_money("amount", coins)?;
    let comment = opt_text("comment", comment, 1000)?;
    let id = transfer_id(actor.user_id, idempotency_key)?;
    let tx = app.db().begin_write().await?;
    let user = customer(&tx, customer_id).await?;
    let out = || Error::NotFound("customer");
    require_owner(&tx, actor, user.id, Permission::ManageWalletMoney, out).await?;
    let t = NewTransfer {
        id: id.clone(),
        debit_account_id: house(&tx, COINS).await?,
        credit_account_id: coin_account(&tx, user.id).await?,
        amount,
        currency: COINS,
        code: EARN_CODE,
        user_data: comment.clone(),
        pending: false,
    };
    if !apply_in(&tx, &t).await? {
        let entry = Audit::new("coins.award", "customer", user.uuid.clone())
            .details(format!("{coins} coins awarded to {} (transfer {id})", user.uuid))
            .after(&serde_json::json!({"transferId": id, "coins": coins, "comment": comment}));
        audit::record(&tx, Some(actor), entry).await?;
    }
    let balance = super::coin_balance(&tx, user.id).await?;
    db::commit(tx).await?;
    Ok(balance)
}
