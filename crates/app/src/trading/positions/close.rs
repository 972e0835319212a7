//! Closing a position, in the caller's write transaction: at a price (the market's, a
//! trigger's or staff's), by position id and version (a second close of the same version
//! is a conflict and changes nothing), its realised P/L posted against the trading P/L house
//! account, its closing order stored, and `PositionClosed` published — all or nothing.

use brokercrm_core::identity::auth::Permission;
use brokercrm_core::money::ledger::TransferCode;
use brokercrm_core::trading::positions::{CloseReason, Side, Status};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_engine::maths::Conversion;
use brokercrm_engine::{Lots, Price, maths};
use brokercrm_store::repo::money::wallets::{self, WalletRow};
use brokercrm_store::repo::trading::orders::{self, OrderRow};
use brokercrm_store::repo::trading::positions::{self, PositionRow};
use brokercrm_store::{DatabaseTransaction, db};
use rust_decimal::Decimal;

use super::figures::{close_price, leg_of};
use super::lane;
use super::ledger::{Shortfall, post};
use super::market::{self, Market};
use super::open::{announce_commit, leg_side};
use super::view::PositionView;
use crate::money::wallets::visible;
use crate::platform::audit::{self, Audit};
use crate::trading::events::PositionClosed;
use crate::{App, Principal};

/// A close decided in memory: the row as it becomes, its closing order, the realised P/L
/// in the account currency and the event to publish once it is posted.
#[derive(Debug, Clone)]
pub(crate) struct Settled {
    pub closed: PositionRow,
    pub order: OrderRow,
    pub pl_account: Money,
    pub event: PositionClosed,
}

impl Settled {
    /// The ledger transfer's id of this close.
    pub fn transfer_id(&self) -> &str {
        &self.event.transfer_id
    }

    /// The note of the P/L transfer.
    pub fn note(&self) -> String {
        format!("realised P/L of position {} ({})", self.closed.id, self.closed.symbol)
    }
}

/// Decides the close of open position `p` on wallet `w` at `at` on market `m`, its P/L
/// converted into the wallet's currency by `conv` (rounded once); writes nothing.
pub(crate) fn settle(
    m: &Market,
    conv: &Conversion,
    w: &WalletRow,
    p: &PositionRow,
    at: Price,
    reason: CloseReason,
) -> Result<Settled> {
    if p.status != Status::Open.as_str() {
        return Err(Error::Conflict(format!("position {} is not open", p.id)));
    }
    let currency = Currency::parse("currency", &w.currency)?;
    let leg = leg_of(p)?;
    let exact = maths::pnl_exact(&m.inst, &leg, at);
    let overflow = || Error::internal("P/L overflow");
    let pl = exact.round_money().ok_or_else(overflow)?;
    let pl_account = conv.apply(&exact).round_money().ok_or_else(overflow)?;
    let closed = PositionRow {
        status: Status::Closed.as_str().to_owned(),
        close_price: Some(at.minor()),
        closed_pl: Some(pl.minor()),
        closed_pl_account: Some(pl_account.minor()),
        closed_reason: Some(reason.as_str().to_owned()),
        closed_at: Some(db::now()),
        version: p.version + 1,
        ..p.clone()
    };
    let event = PositionClosed {
        position_id: p.id,
        wallet_id: w.id,
        customer_id: w.user_id,
        demo: w.is_demo,
        symbol: p.symbol.clone(),
        lots: Lots::from_minor(p.size),
        currency,
        realised_pl: pl_account,
        commission: Money::from_minor(p.commission),
        // The position's swap is signed as the client's P/L; the event counts what was paid.
        swap: Money::from_minor(p.swap.saturating_neg()),
        transfer_id: format!("trade:{}:close", p.id),
    };
    Ok(Settled { order: close_order(&closed, at), closed, pl_account, event })
}

/// Closes open position `p` (as read in `tx`, on wallet `w` locked in `tx`) at `at`.
pub async fn close_in(
    app: &App,
    tx: &DatabaseTransaction,
    w: &WalletRow,
    p: &PositionRow,
    at: Price,
    reason: CloseReason,
) -> Result<PositionRow> {
    // `settle` refuses a position that is not open (a conflict), before anything is written.
    let m = market::load(tx, "symbol", &p.symbol).await?;
    let currency = Currency::parse("currency", &w.currency)?;
    let conv = market::conversion(tx, m.spec.currency, currency).await?;
    let s = settle(&m, &conv, w, p, at, reason)?;
    positions::replace(tx, &s.closed, Status::Open.as_str(), p.version).await?;
    orders::insert(tx, s.order.clone()).await?;
    let note = s.note();
    post(tx, w, s.transfer_id(), s.pl_account, TransferCode::TradingPnl, Shortfall::Protect, note)
        .await?;
    app.events().publish(tx, &s.event).await?;
    Ok(s.closed)
}

fn close_order(p: &PositionRow, at: Price) -> OrderRow {
    let now = db::now();
    let side = if p.side == Side::Buy.as_str() { Side::Sell } else { Side::Buy };
    OrderRow {
        id: 0,
        position_id: p.id,
        wallet_id: p.wallet_id,
        user_id: p.user_id,
        symbol: p.symbol.clone(),
        side: side.as_str().to_owned(),
        kind: "MARKET".to_owned(),
        purpose: "CLOSE".to_owned(),
        status: "FILLED".to_owned(),
        size: p.size,
        limit_price: None,
        stop_price: None,
        fill_price: Some(at.minor()),
        external_id: uuid::Uuid::now_v7().to_string(),
        filled_at: Some(now),
        created_at: now,
        updated_at: now,
    }
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

/// The audit entry of staff closing position `closed` (as closed).
pub(crate) fn closed_audit(closed: &PositionRow, decimals: u32) -> Audit<'static> {
    let at = Decimal::new(closed.close_price.unwrap_or_default(), 8).normalize();
    Audit::new("position.close", "position", closed.id.to_string())
        .details(format!("position {} closed at {at}", closed.id))
        .after(&PositionView::of(closed, decimals, None))
}

/// "Close position by ID": at the market (a client only while the symbol trades; staff
/// with ManagePositions whenever a quote exists, audited).
pub async fn close(app: &App, actor: &Principal, id: i64) -> Result<PositionView> {
    let conn = app.db().conn();
    let (p, w) = visible_position(conn, actor, id, Permission::ManagePositions).await?;
    if p.status != Status::Open.as_str() {
        return Err(Error::Conflict(format!("position {id} is not open")));
    }
    let m = market::load(conn, "symbol", &p.symbol).await?;
    let staff = actor.role.is_staff();
    if !staff {
        market::require_open(conn, &m, app.clock().now()).await?;
    }
    let quote = market::quote_for(conn, &w, &m).await?;
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
