//! The authenticated client's own wallets: list, open one, balances of all, the leverages
//! they may choose, one wallet (with money), its balance and its transactions by date range.
//! Another customer's wallet answers 404.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::wallets::{
    CLIENT_LEVERAGES, DEFAULT_LEVERAGE, Platform, WalletStatus, client_leverage,
};
use brokercrm_core::{Currency, Error, Result};
use brokercrm_store::db;
use brokercrm_store::repo::money::wallets::{self, NewWallet, WalletFilter};
use chrono::{DateTime, Utc};

use super::admin::{default_currency, default_group, open};
use super::views::{self, TransactionView, WalletMoney};
use super::{Page, WalletView, money, visible};
use crate::{App, Principal};

/// "Create wallet" (client) input.
#[derive(Debug, Clone, Default)]
pub struct ClientWalletInput {
    pub leverage: Option<String>,
    pub currency: Option<String>,
    pub is_demo: Option<bool>,
}

/// One wallet's money in "Get wallets balance".
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct WalletBalance {
    pub id: i64,
    pub currency: String,
    pub is_demo: bool,
    #[serde(flatten)]
    pub money: WalletMoney,
}

/// "Get wallets" (client): the caller's wallets with their money, newest first.
pub async fn list(app: &App, actor: &Principal, page: Page) -> Result<(Vec<WalletView>, u64)> {
    let conn = app.db().conn();
    let f = WalletFilter { user_id: Some(actor.user_id), ..WalletFilter::default() };
    let (rows, total) = wallets::list(conn, &f, page.limit, page.offset).await?;
    let mut v = views::build(conn, rows.clone(), true).await?;
    views::views_with_trading(app, &rows, &mut v).await?;
    Ok((v, page.pages(total)))
}

/// "Create wallet" (client): platform and group from the default-wallet setting when the
/// group's currency is the requested one; leverage one of [`CLIENT_LEVERAGES`], not above
/// the group's. Only customers open their own wallets.
pub async fn create(app: &App, actor: &Principal, n: ClientWalletInput) -> Result<WalletView> {
    if actor.role != brokercrm_core::identity::auth::Role::Customer {
        return Err(Error::Forbidden);
    }
    let lev = n.leverage.as_deref().map(|l| client_leverage("leverage", l)).transpose()?;
    let currency = match n.currency.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Currency::parse("currency", c)?,
        None => default_currency(app).await?,
    };
    let tx = app.db().begin_write().await?;
    let (platform, group) = default_group(app, &tx).await?;
    let group = group.filter(|g| g.currency == currency.as_str());
    if let (Some(l), Some(g)) = (lev, &group)
        && l > g.leverage
    {
        return Err(Error::field("leverage", format!("must be at most {}", g.leverage)));
    }
    let leverage = lev.or(group.as_ref().map(|g| g.leverage)).unwrap_or(DEFAULT_LEVERAGE);
    let w = NewWallet {
        user_id: actor.user_id,
        platform: platform.unwrap_or(Platform::Neo).as_str().to_owned(),
        status: WalletStatus::Active.as_str().to_owned(),
        currency: currency.as_str().to_owned(),
        group_id: group.map(|g| g.id),
        leverage,
        is_demo: n.is_demo.unwrap_or(false),
    };
    let view = open(app, &tx, actor, w).await?;
    db::commit(tx).await?;
    Ok(view)
}

/// "Get wallets balance": every wallet of the caller (at most 500) with its money.
pub async fn balances(app: &App, actor: &Principal) -> Result<Vec<WalletBalance>> {
    let conn = app.db().conn();
    let f = WalletFilter { user_id: Some(actor.user_id), ..WalletFilter::default() };
    let (rows, _) = wallets::list(conn, &f, super::MAX_LIMIT, 0).await?;
    let ids: Vec<i64> = rows.iter().map(|w| w.id).collect();
    let mut money = views::money_of(conn, &ids).await?;
    views::with_trading(app, &rows, &mut money).await?;
    rows.into_iter()
        .map(|w| {
            let m = money.get(&w.id).copied().ok_or_else(|| Error::internal("money missing"))?;
            Ok(WalletBalance { id: w.id, currency: w.currency, is_demo: w.is_demo, money: m })
        })
        .collect()
}

/// "Get wallets leverages": the leverages a client may choose when opening a wallet.
pub fn leverages() -> &'static [i32] {
    CLIENT_LEVERAGES
}

/// "Get wallet by id" (client), with money.
pub async fn get(app: &App, actor: &Principal, id: i64) -> Result<WalletView> {
    let conn = app.db().conn();
    let w = visible(conn, actor, id, Permission::ReadWallets).await?;
    let mut v = [views::one(conn, w.clone(), true).await?];
    views::views_with_trading(app, &[w], &mut v).await?;
    let [v] = v;
    Ok(v)
}

/// "Get wallet balance by id" (client).
pub async fn balance(app: &App, actor: &Principal, id: i64) -> Result<(WalletMoney, String)> {
    money::balance(app, actor, id).await
}

/// "Get wallet transactions by id" (client): within `[start, end]`, newest first.
pub async fn transactions(
    app: &App,
    actor: &Principal,
    id: i64,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    page: Page,
) -> Result<(Vec<TransactionView>, u64)> {
    money::transactions(app, actor, id, Some((start, end)), page).await
}
