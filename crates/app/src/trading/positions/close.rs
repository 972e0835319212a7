//! Closing a position, in the caller's write transaction: at a price (the market's, a
//! trigger's or staff's), by position id and version (a second close of the same version
//! is a conflict and changes nothing), the swaps it still owes charged, its realised P/L
//! posted against the trading P/L house account, its closing order stored, and
//! `PositionClosed` published — all or nothing, through `close_all` (a batch of one).

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::trading::positions::{CloseReason, Side, Status};
use brokercrm_core::{Error, Result};
use brokercrm_engine::Price;
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::money::wallets::{self, WalletRow};
use brokercrm_store::repo::trading::positions::{self, PositionRow};

use super::close_all::{Closing, close_all_in};
use super::figures::close_price;
use super::lane;
use super::market::{self, Lookups};
use super::open::{announce_commit, leg_side};
use super::settle::closed_audit;
use super::view::PositionView;
use crate::money::wallets::visible;
use crate::platform::audit;
use crate::{App, Principal};

/// Closes open position `p` (as read in `tx`, on wallet `w` locked in `tx`) at `at`: a
/// batch of one (`close_all`), so every close settles the same way (owed swaps first).
pub async fn close_in(
    app: &App,
    tx: &DatabaseTransaction,
    w: &WalletRow,
    p: &PositionRow,
    at: Price,
    reason: CloseReason,
) -> Result<PositionRow> {
    let one = [Closing { wallet: w, position: p, at, reason }];
    let mut closed = close_all_in(app, tx, &mut Lookups::default(), &one).await?;
    closed.pop().ok_or_else(|| Error::internal("close: no row"))
}

/// Position `id` and its wallet if `actor` may act on them (a client: its own; staff:
/// `perm` and the customer in scope), else 404.
pub async fn visible_position<C: brokercrm_store::ConnectionTrait>(
    conn: &C,
    actor: &Principal,
    id: i64,
    perm: Permission,
) -> Result<(PositionRow, WalletRow)> {
    if actor.role.is_staff() {
        actor.require(perm)?;
    }
    let p = positions::find(conn, id).await?.ok_or(Error::NotFound("position"))?;
    let w = visible(conn, actor, p.wallet_id, perm).await.map_err(|e| {
        if matches!(e, Error::NotFound(_)) { Error::NotFound("position") } else { e }
    })?;
    Ok((p, w))
}

/// "Close position by ID": at the market (a client only while the symbol trades; staff
/// with ManagePositions whenever a quote exists, audited).
pub async fn close(app: &App, actor: &Principal, id: i64) -> Result<PositionView> {
    let conn = app.db().conn();
    let (p, w) = visible_position(conn, actor, id, Permission::ManagePositions).await?;
    if p.status != Status::Open.as_str() {
        return Err(Error::Conflict(format!("position {id} is not open")));
    }
    let m = market::cached(app, "symbol", &p.symbol).await?;
    let staff = actor.role.is_staff();
    if !staff {
        market::require_open_now(app, &m).await?;
    }
    let quote = market::quote_now(app, &w, &m).await?;
    let at = close_price(leg_side(Side::parse("side", &p.side)?), quote);
    let reason = if staff { CloseReason::Staff } else { CloseReason::Client };
    let mv = lane::Move::Close {
        id,
        wallet_id: w.id,
        at,
        reason,
        staff: staff.then(|| actor.clone()),
        decimals: m.spec.decimals,
    };
    if let lane::Done::Row(closed) = lane::run(app, mv).await? {
        return Ok(PositionView::of(&closed, m.spec.decimals, None));
    }
    let tx = app.db().begin_write().await?;
    let w = wallets::lock(&tx, w.id).await?.ok_or(Error::NotFound("wallet"))?;
    let p = positions::find(&tx, id).await?.ok_or(Error::NotFound("position"))?;
    let closed = close_in(app, &tx, &w, &p, at, reason).await?;
    if staff {
        audit::record(&tx, Some(actor), closed_audit(&closed, m.spec.decimals)).await?;
    }
    announce_commit(app, tx, &closed).await?;
    Ok(PositionView::of(&closed, m.spec.decimals, None))
}
