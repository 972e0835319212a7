//! Watchlists (seed tag Watchlists): the instruments a wallet watches. The seed speaks of the
//! "current wallet" and authenticates by bearer token or API key; we read the current wallet
//! from the `X-Wallet-Id` header, else the caller's first active wallet (real before demo,
//! lowest id). Clients use their own wallets; staff must name one (ReadWallets to read,
//! ManageWallets to change, in their customer scope).

use std::collections::HashMap;

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::wallets::WalletStatus;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::money::wallets;
use brokercrm_store::repo::trading::{instruments, watchlists};

use crate::money::wallets::visible;
use crate::{App, Principal};

/// The current wallet of `actor`: `named` (the header), else its first active wallet.
async fn current(
    app: &App,
    actor: &Principal,
    named: Option<i64>,
    perm: Permission,
) -> Result<i64> {
    let conn = app.db().conn();
    if let Some(id) = named {
        return Ok(visible(conn, actor, id, perm).await?.id);
    }
    if actor.role.is_staff() {
        return Err(Error::field("X-Wallet-Id", "staff must name the wallet"));
    }
    let ids = wallets::ids_of_user(conn, actor.user_id).await?;
    let mut list = wallets::find_many(conn, &ids).await?;
    list.retain(|w| WalletStatus::parse("status", &w.status).ok() == Some(WalletStatus::Active));
    list.sort_by_key(|w| (w.is_demo, w.id));
    list.first().map(|w| w.id).ok_or(Error::NotFound("wallet"))
}

/// "Get watchlist for current wallet": its symbols in the order they were added.
pub async fn get(app: &App, actor: &Principal, named: Option<i64>) -> Result<Vec<String>> {
    let id = current(app, actor, named, Permission::ReadWallets).await?;
    watchlists::symbols(app.db().conn(), id).await
}

/// The watchlists of `wallet_ids` (the `instrumentWatchlist` of the client's wallet views),
/// each in the order its symbols were added; a wallet watching nothing is absent. The caller
/// has already read these wallets as `actor`'s (this reads nothing else of them).
pub async fn of_wallets(app: &App, wallet_ids: &[i64]) -> Result<HashMap<i64, Vec<String>>> {
    let mut out: HashMap<i64, Vec<String>> = HashMap::new();
    for (wallet, symbol) in watchlists::symbols_of(app.db().conn(), wallet_ids).await? {
        out.entry(wallet).or_default().push(symbol);
    }
    Ok(out)
}

/// "Add instrument to watchlist for current wallet": an instrument's symbol (422 on `symbol`
/// when unknown); adding one already there changes nothing.
pub async fn add(app: &App, actor: &Principal, named: Option<i64>, symbol: &str) -> Result<()> {
    let id = current(app, actor, named, Permission::ManageWallets).await?;
    let symbol = symbol.trim();
    if symbol.is_empty() {
        return Err(Error::field("symbol", "is required"));
    }
    let conn = app.db().conn();
    let found = instruments::find(conn, symbol).await?;
    let visible = found.is_some_and(|i| actor.role.is_staff() || i.status == "ACTIVE");
    if !visible {
        return Err(Error::field("symbol", format!("unknown symbol '{symbol}'")));
    }
    watchlists::add(conn, id, symbol).await
}

/// "Remove instrument from wallet's watchlist": 404 when the symbol is not on it.
pub async fn remove(app: &App, actor: &Principal, named: Option<i64>, symbol: &str) -> Result<()> {
    let id = current(app, actor, named, Permission::ManageWallets).await?;
    if watchlists::remove(app.db().conn(), id, symbol.trim()).await? {
        Ok(())
    } else {
        Err(Error::NotFound("watchlist symbol"))
    }
}
