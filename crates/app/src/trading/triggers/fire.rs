//! Committing what a tick made due, through the same use cases as the HTTP routes: a close
//! by position id and version (`positions::close::close_in`: the swaps it owes, realised
//! P/L to the ledger, the closing order, `PositionClosed`), and the fill of a pending order
//! (`positions::fill::fill_in`: free margin, commission). Each is one write transaction that
//! applies once: a position that moved on (another close, an edit, a fill) since the books
//! loaded it is left alone and read again.

use brokercrm_core::trading::positions::{CloseReason, OrderStatus, Side, Status};
use brokercrm_core::{Error, Result};
use brokercrm_engine::Price;
use brokercrm_store::db;
use brokercrm_store::repo::money::wallets;
use brokercrm_store::repo::trading::orders::{self, OrderRow};
use brokercrm_store::repo::trading::positions::{self, PositionRow};
use rust_decimal::Decimal;

use crate::App;
use crate::trading::positions::close::close_in;
use crate::trading::positions::figures::close_price;
use crate::trading::positions::fill::fill_in;
use crate::trading::positions::market::{self, Market, Markups};
use crate::trading::positions::open::{announce_commit, leg_side, trailing_level};

/// What became of a commit.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Committed: the position as it now stands.
    Done(Box<PositionRow>),
    /// The position is no longer at that version or status: nothing was written.
    Moved,
    /// A pending order could not fill (not enough free margin): it was cancelled.
    Cancelled,
}

/// Closes position `id` if still OPEN at `version`, at `at`, for `reason`.
pub async fn close(
    app: &App,
    id: i64,
    version: i64,
    at: Price,
    reason: CloseReason,
) -> Result<Outcome> {
    let Some(p) = positions::find(app.db().conn(), id).await? else { return Ok(Outcome::Moved) };
    if p.version != version || p.status != Status::Open.as_str() {
        return Ok(Outcome::Moved);
    }
    let tx = app.db().begin_write().await?;
    let w = wallets::lock(&tx, p.wallet_id).await?.ok_or(Error::NotFound("wallet"))?;
    let Some(p) = positions::find(&tx, id).await? else { return Ok(Outcome::Moved) };
    if p.version != version || p.status != Status::Open.as_str() {
        return Ok(Outcome::Moved);
    }
    let m = market::load(&tx, "symbol", &p.symbol).await?;
    let at = executed(&Markups::of_wallet(&tx, &w).await?, &m, &p.side, at, false)?;
    let closed = match close_in(app, &tx, &w, &p, at, reason).await {
        Err(Error::Conflict(_)) => return Ok(Outcome::Moved),
        other => other?,
    };
    announce_commit(app, tx, &closed).await?;
    Ok(Outcome::Done(Box::new(closed)))
}

/// Fills pending position `id` if still PENDING at `version`, at `at`.
pub async fn fill(app: &App, id: i64, version: i64, at: Price) -> Result<Outcome> {
    let Some(p) = positions::find(app.db().conn(), id).await? else { return Ok(Outcome::Moved) };
    if p.version != version || p.status != Status::Pending.as_str() {
        return Ok(Outcome::Moved);
    }
    let tx = app.db().begin_write().await?;
    let w = wallets::lock(&tx, p.wallet_id).await?.ok_or(Error::NotFound("wallet"))?;
    let Some(mut p) = positions::find(&tx, id).await? else { return Ok(Outcome::Moved) };
    if p.version != version || p.status != Status::Pending.as_str() {
        return Ok(Outcome::Moved);
    }
    let Some(order) = orders::pending_of(&tx, id).await? else { return Ok(Outcome::Moved) };
    let m = market::load(&tx, "symbol", &p.symbol).await?;
    let side = Side::parse("side", &p.side)?;
    let quote = market::quote_for(&tx, &w, &m).await?;
    let at = executed(&Markups::of_wallet(&tx, &w).await?, &m, &p.side, at, true)?;
    let now = db::now();
    p.open_price = Some(at.minor());
    p.opened_at = Some(now);
    if let Some(pct) = &p.trailing_pct {
        let pct: Decimal = pct.parse().map_err(|_| Error::internal("bad trailing percentage"))?;
        p.trailing_stop = Some(trailing_level(&m, side, close_price(leg_side(side), quote), pct)?);
    }
    let filled = match fill_in(&tx, &w, &m, p.clone()).await {
        Ok(f) => f,
        Err(Error::Validation(_)) => {
            drop(tx);
            return cancel(app, id, version).await;
        }
        Err(Error::Conflict(_)) => return Ok(Outcome::Moved),
        Err(e) => return Err(e),
    };
    let settled = OrderRow {
        status: OrderStatus::Filled.as_str().to_owned(),
        fill_price: Some(at.minor()),
        filled_at: Some(now),
        ..order
    };
    orders::settle(&tx, &settled, OrderStatus::Pending.as_str()).await?;
    announce_commit(app, tx, &filled).await?;
    Ok(Outcome::Done(Box::new(filled)))
}

/// The price a `side` position executes at when the raw tick price is `at`: the group's
/// markup taken off a bid (a buy's close, a sell's fill) and added to an ask (a sell's close,
/// a buy's fill).
pub(super) fn executed(
    mk: &Markups,
    m: &Market,
    side: &str,
    at: Price,
    fill: bool,
) -> Result<Price> {
    let units = mk.units(&m.spec.symbol, m.spec.decimals);
    let on_ask = (Side::parse("side", side)? == Side::Buy) == fill;
    Ok(Price::from_minor(if on_ask { at.minor() + units } else { at.minor() - units }))
}

/// Cancels a pending order that cannot fill, and its position.
async fn cancel(app: &App, id: i64, version: i64) -> Result<Outcome> {
    let tx = app.db().begin_write().await?;
    let Some(p) = positions::find(&tx, id).await? else { return Ok(Outcome::Moved) };
    let Some(order) = orders::pending_of(&tx, id).await? else { return Ok(Outcome::Moved) };
    let n = OrderRow { status: OrderStatus::Cancelled.as_str().to_owned(), ..order };
    orders::settle(&tx, &n, OrderStatus::Pending.as_str()).await?;
    let np = PositionRow {
        status: Status::Cancelled.as_str().to_owned(),
        closed_at: Some(db::now()),
        version: version + 1, // as stored below
        ..p
    };
    match positions::replace(&tx, &np, Status::Pending.as_str(), version).await {
        Err(Error::Conflict(_)) => return Ok(Outcome::Moved),
        other => other?,
    }
    announce_commit(app, tx, &np).await?;
    tracing::info!(position = id, "pending order cancelled: not enough free margin to fill");
    Ok(Outcome::Cancelled)
}
