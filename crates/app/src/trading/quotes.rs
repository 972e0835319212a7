//! The prices a client trades at: the latest quote of a symbol, and the markups that apply
//! to the caller's Market Data, with the markup of the trading group of the caller's current
//! wallet (as fills, closes and triggers apply it).

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::{Error, Result};
use brokercrm_store::repo::money::wallets;

use super::positions::market::{self, Markups};
use super::prices::format::price_text;
use super::prices::manual::{QuoteView, latest};
use super::watchlists::current;
use crate::{App, Principal};

/// The markups of the trading group of `actor`'s current wallet (`named`, the `X-Wallet-Id`
/// header, else a client's first active wallet). Staff naming no wallet, and a client
/// without one, see the raw feed: no markup. A named wallet that is not the caller's is 404.
pub async fn caller_markups(app: &App, actor: &Principal, named: Option<i64>) -> Result<Markups> {
    let wallet = match (named, actor.role.is_staff()) {
        (None, true) => return Ok(Markups::none()),
        _ => match current(app, actor, named, Permission::ReadWallets).await {
            Ok(id) => id,
            Err(Error::NotFound(_)) if named.is_none() => return Ok(Markups::none()),
            Err(e) => return Err(e),
        },
    };
    let conn = app.db().conn();
    match wallets::find(conn, wallet).await? {
        Some(w) => Markups::of_wallet(conn, &w).await,
        None => Ok(Markups::none()),
    }
}

/// The latest quote of `symbol` as `actor` trades it: the raw quote with
/// [`caller_markups`] applied.
pub async fn latest_for(
    app: &App,
    actor: &Principal,
    named: Option<i64>,
    symbol: &str,
) -> Result<Option<QuoteView>> {
    let Some(raw) = latest(app, symbol).await? else { return Ok(None) };
    let markups = caller_markups(app, actor, named).await?;
    if markups.points(&raw.symbol) == 0 {
        return Ok(Some(raw));
    }
    let conn = app.db().conn();
    let m = market::load(conn, "symbol", &raw.symbol).await?;
    let (bid, ask) = markups.apply(&m, market::quote(conn, &m.spec.symbol).await?);
    let decimals = m.spec.decimals;
    Ok(Some(QuoteView { bid: price_text(bid, decimals), ask: price_text(ask, decimals), ..raw }))
}
