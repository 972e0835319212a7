//! Coins (seed tag Coins) and the customer's loyalty level: the coin settings (exchange
//! open, dollars per coin), the current exchange rate, the loyalty levels and a customer's
//! standing. A customer's coins are the ledger account `customer:<id>:customer_coins:COINS`
//! (never below zero); coins are earned into it from the coins-liability house account
//! ([`exchange::award`]) and exchanged out of it ([`exchange::exchange`]).

pub mod exchange;
pub mod history;

use brokercrm_core::identity::auth::{Permission, Role};
use brokercrm_core::money::coins::{CoinSettings, LoyaltyLevel, Standing, loyalty, standing};
use brokercrm_core::money::ledger::{AccountKey, TransferCode};
use brokercrm_core::money::wallets::{WalletStatus, may_exchange};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_store::repo::identity::users::{self, UserRow};
use brokercrm_store::repo::money::ledger::accounts;
use brokercrm_store::repo::money::wallets::{self, WalletFilter, WalletRow};
use brokercrm_store::repo::{money::ledger::coins as coin_repo, platform::settings};
use brokercrm_store::{ConnectionTrait, db};
use chrono::{DateTime, Utc};

use crate::money::scope::MoneyScope;
use crate::platform::audit::{self, Audit};
use crate::{App, Principal};

/// The settings key of the coin settings (JSON; not part of the generic Settings registry).
pub const SETTINGS_KEY: &str = "coins.settings";

/// The transfer code of earned coins (exchanges are `COINS_EXCHANGE`).
pub const EARN_CODE: TransferCode = TransferCode::Bonus;

#[derive(serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
struct Stored {
    coins_enabled: bool,
    dollars_per_coin: Money,
}

/// The coin settings as stored (defaults: disabled, 0.01 dollar per coin).
pub(crate) async fn load<C: ConnectionTrait>(conn: &C) -> Result<CoinSettings> {
    match settings::get(conn, SETTINGS_KEY).await? {
        None => Ok(CoinSettings::default()),
        Some(row) => {
            let s: Stored = serde_json::from_str(&row.value).map_err(Error::internal)?;
            Ok(CoinSettings {
                coins_enabled: s.coins_enabled,
                dollars_per_coin: s.dollars_per_coin,
            })
        }
    }
}

/// "Get coins settings" (any signed-in user: customers see whether exchange is open).
pub async fn get_settings(app: &App, _actor: &Principal) -> Result<CoinSettings> {
    load(app.db().conn()).await
}

/// "Update coins settings" (ManageSettings; audited).
pub async fn put_settings(
    app: &App,
    actor: &Principal,
    coins_enabled: bool,
    dollars_per_coin: Money,
) -> Result<CoinSettings> {
    actor.require(Permission::ManageSettings)?;
    let s = CoinSettings::new(coins_enabled, dollars_per_coin)?;
    let tx = app.db().begin_write().await?;
    let before = load(&tx).await?;
    let stored = Stored { coins_enabled, dollars_per_coin };
    let value = serde_json::to_string(&stored).map_err(Error::internal)?;
    settings::put(&tx, SETTINGS_KEY, &value, false).await?;
    let old =
        Stored { coins_enabled: before.coins_enabled, dollars_per_coin: before.dollars_per_coin };
    let entry = Audit::new("coins.settings", "setting", SETTINGS_KEY)
        .details(format!("coins enabled {coins_enabled}, {dollars_per_coin} dollars per coin"))
        .before(&old)
        .after(&stored);
    audit::record(&tx, Some(actor), entry).await?;
    db::commit(tx).await?;
    Ok(s)
}

/// "Get loyalty levels" (any signed-in user).
pub fn levels() -> &'static [LoyaltyLevel] {
    &brokercrm_core::money::coins::LEVELS
}

/// The customer a staff member names: by UUID or numeric account id (`field` in errors).
pub(crate) async fn customer<C: ConnectionTrait>(conn: &C, raw: &str) -> Result<UserRow> {
    let raw = raw.trim();
    let found = match raw.parse::<i64>() {
        Ok(id) => users::find_by_id(conn, id).await?,
        Err(_) => users::find_by_uuid(conn, raw).await?,
    };
    match found {
        Some(u) if u.role == Role::Customer.as_str() => Ok(u),
        _ => Err(Error::NotFound("customer")),
    }
}

/// The customer's coin account id, if coins ever moved for them.
pub(crate) async fn coin_account<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
) -> Result<Option<i64>> {
    let key = AccountKey::customer_coins(user_id)?.key();
    Ok(accounts::find_by_key(conn, &key).await?.map(|a| a.id))
}

/// The customer's coin balance in whole coins.
pub(crate) async fn coin_balance<C: ConnectionTrait>(conn: &C, user_id: i64) -> Result<i64> {
    let key = AccountKey::customer_coins(user_id)?.key();
    let a = accounts::find_by_key(conn, &key).await?;
    Ok(a.map_or(0, |a| brokercrm_core::money::coins::whole_coins(Money::from_minor(a.balance))))
}

/// The customer's standing at `now` from the coins earned this and last month.
pub(crate) async fn standing_of<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    now: DateTime<Utc>,
) -> Result<Standing> {
    let Some(acc) = coin_account(conn, user_id).await? else {
        return Ok(standing(now, 0, 0));
    };
    let (prev, this, next) =
        (loyalty::month_start(now, -1), loyalty::month_start(now, 0), loyalty::month_start(now, 1));
    let code = EARN_CODE.as_str();
    let whole = |m: i64| brokercrm_core::money::coins::whole_coins(Money::from_minor(m));
    let this_month = whole(coin_repo::credited_between(conn, acc, code, this, next).await?);
    let last_month = whole(coin_repo::credited_between(conn, acc, code, prev, this).await?);
    Ok(standing(now, this_month, last_month))
}

/// "Get customer loyalty level": staff with ReadWallets for a customer in their scope; a
/// customer for themself (another's, or one out of scope, is 404).
pub async fn customer_level(app: &App, actor: &Principal, id: &str) -> Result<Standing> {
    let conn = app.db().conn();
    let scope = MoneyScope::of(conn, actor, Permission::ReadWallets).await?;
    let user = customer(conn, id).await?;
    scope.require(conn, user.id, || Error::NotFound("customer")).await?;
    standing_of(conn, user.id, app.clock().now()).await
}

/// The wallet exchanged coins are paid into: `wallet_id` if given (the customer's own, active,
/// real), else the customer's oldest active real wallet.
pub(crate) async fn payout_wallet<C: ConnectionTrait>(
    conn: &C,
    user_id: i64,
    wallet_id: Option<i64>,
) -> Result<WalletRow> {
    let usable = |w: &WalletRow| {
        w.user_id == user_id
            && may_exchange(w.is_demo, false)
            && w.status == WalletStatus::Active.as_str()
    };
    match wallet_id {
        Some(id) => wallets::find(conn, id)
            .await?
            .filter(usable)
            .ok_or_else(|| Error::field("walletId", "must be one of your active real wallets")),
        None => {
            let f =
                WalletFilter { user_id: Some(user_id), is_demo: Some(false), ..Default::default() };
            let (rows, _) = wallets::list(conn, &f, 100, 0).await?;
            rows.into_iter().filter(usable).min_by_key(|w| w.id).ok_or_else(|| {
                Error::field("walletId", "you have no active real wallet to pay into")
            })
        }
    }
}

/// "Get the current exchange rate".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RateView {
    /// Dollars per coin converted to `currency`, before the loyalty bonus.
    pub rate: Money,
    /// What one coin pays the caller now: with their loyalty level's exchange bonus.
    pub effective_rate: Money,
    pub currency: Currency,
}

/// "Get the current exchange rate": for a customer in the currency of the wallet an exchange
/// would pay into (USD without one) with their level's bonus; for staff the base rate in USD.
pub async fn rate(app: &App, actor: &Principal) -> Result<RateView> {
    let conn = app.db().conn();
    let s = load(conn).await?;
    let (level, currency) = if actor.role == Role::Customer {
        let st = standing_of(conn, actor.user_id, app.clock().now()).await?;
        let cur = match payout_wallet(conn, actor.user_id, None).await {
            Ok(w) => crate::money::wallets::currency_of(&w)?,
            Err(Error::Validation(_)) => Currency::USD,
            Err(e) => return Err(e),
        };
        (st.level, cur)
    } else {
        (brokercrm_core::money::coins::LEVELS[0], Currency::USD)
    };
    let effective =
        s.dollars_for(1, &level).ok_or_else(|| Error::internal("coin rate overflow"))?;
    let to = |m: Money| crate::money::fx::convert_with(conn, m, &Currency::USD, &currency);
    match (to(s.dollars_per_coin).await, to(effective).await) {
        (Ok(r), Ok(e)) => Ok(RateView { rate: r.amount, effective_rate: e.amount, currency }),
        // No conversion path to the wallet's currency: quote in USD.
        (Err(Error::Validation(_)), _) | (_, Err(Error::Validation(_))) => Ok(RateView {
            rate: s.dollars_per_coin,
            effective_rate: effective,
            currency: Currency::USD,
        }),
        (Err(e), _) | (_, Err(e)) => Err(e),
    }
}
