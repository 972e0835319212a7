//! The quote a client trades at: the latest quote of a symbol with the markup of the trading
//! group of the caller's current wallet (as fills, closes and triggers apply it).

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::money::wallets;

use super::positions::market;
use super::prices::format::price_text;
use super::prices::manual::{QuoteView, latest};
use super::watchlists::current;
use crate::{App, Principal};

/// The latest quote of `symbol` as `actor` trades it: with the markup of the trading group
/// of its current wallet (`named`, the `X-Wallet-Id` header, else a client's first active
/// wallet). Staff naming no wallet, and a client without one, see the raw quote.
pub async fn latest_for(
    app: &App,
    actor: &Principal,
    named: Option<i64>,
    symbol: &str,
) -> Result<Option<QuoteView>> {
    let Some(raw) = latest(app, symbol).await? else { return Ok(None) };
    let wallet = match (named, actor.role.is_staff()) {
        (None, true) => None,
        _ => match current(app, actor, named, Permission::ReadWallets).await {
            Ok(id) => Some(id),
            Err(Error::NotFound(_)) if named.is_none() => None,
            Err(e) => return Err(e),
        },
    };
    let conn = app.db().conn();
    let Some(w) = (match wallet {
        Some(id) => wallets::find(conn, id).await?,
        None => None,
    }) else {
        return Ok(Some(raw));
    };
    let m = market::load(conn, "symbol", symbol).await?;
    let (bid, ask) = market::quote_for(conn, &w, &m).await?;
    let decimals = m.spec.decimals;
    Ok(Some(QuoteView { bid: price_text(bid, decimals), ask: price_text(ask, decimals), ..raw }))
}
