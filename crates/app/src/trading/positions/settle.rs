//! A close decided in memory, writing nothing: the row as it becomes (closed at a price, its
//! realised P/L in the profit and the account currency, rounded once), its closing order, the
//! `PositionClosed` event, and staff's audit entry of it. A single close (`close`), a batch
//! (`close_all`) and the trade lane share it.

use brokercrm_core::trading::positions::{CloseReason, OrderKind, Side, Status};
use brokercrm_core::{Currency, Error, Money, Result};
use brokercrm_engine::maths::Conversion;
use brokercrm_engine::{Lots, Price, maths};
use brokercrm_store::db;
use brokercrm_store::repo::money::wallets::WalletRow;
use brokercrm_store::repo::trading::orders::OrderRow;
use brokercrm_store::repo::trading::positions::PositionRow;
use rust_decimal::Decimal;

use super::figures::leg_of;
use super::fill::order_of;
use super::market::Market;
use super::view::PositionView;
use crate::platform::audit::Audit;
use crate::trading::events::PositionClosed;

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

/// The closing order of `p`: a MARKET order on the other side, filled at `at`.
fn close_order(p: &PositionRow, at: Price) -> OrderRow {
    let side = if p.side == Side::Buy.as_str() { Side::Sell } else { Side::Buy };
    OrderRow {
        side: side.as_str().to_owned(),
        purpose: "CLOSE".to_owned(),
        fill_price: Some(at.minor()),
        external_id: uuid::Uuid::now_v7().to_string(),
        ..order_of(p, OrderKind::Market, None)
    }
}

/// The audit entry of staff closing position `closed` (as closed).
pub(crate) fn closed_audit(closed: &PositionRow, decimals: u32) -> Audit<'static> {
    let at = Decimal::new(closed.close_price.unwrap_or_default(), 8).normalize();
    Audit::new("position.close", "position", closed.id.to_string())
        .details(format!("position {} closed at {at}", closed.id))
        .after(&PositionView::of(closed, decimals, None))
}
