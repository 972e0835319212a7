//! A position and an order as the API shows them: the seed's fields (prices with the
//! instrument's decimals, sizes in lots, money in the wallet's currency).

use brokercrm_core::Money;
use brokercrm_engine::Price;
use brokercrm_store::repo::trading::orders::OrderRow;
use brokercrm_store::repo::trading::positions::PositionRow;
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

use crate::trading::prices::format::price_text;

fn num<S: Serializer>(d: &Decimal, s: S) -> std::result::Result<S::Ok, S::Error> {
    crate::trading::instruments::view::as_number(d, s)
}

fn opt_num<S: Serializer>(d: &Option<Decimal>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match d {
        Some(d) => num(d, s),
        None => s.serialize_none(),
    }
}

fn fixed(minor: i64) -> Decimal {
    Decimal::new(minor, 8).normalize()
}

fn price(minor: i64, decimals: u32) -> Decimal {
    price_text(Price::from_minor(minor), decimals).parse().unwrap_or_default()
}

/// A position (also a pending order's position, status PENDING).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PositionView {
    pub id: i64,
    /// The wallet owner's user id.
    pub customer_id: String,
    /// The wallet.
    pub account_id: i64,
    /// Lots.
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64, example = 0.1)]
    pub size: Decimal,
    /// BUY or SELL.
    #[schema(example = "BUY")]
    pub side: String,
    pub opened_at: Option<DateTime<Utc>>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Realised P/L in the instrument's profit currency.
    #[serde(rename = "closedPL", serialize_with = "opt_num")]
    #[schema(value_type = Option<f64>)]
    pub closed_pl: Option<Decimal>,
    /// Realised P/L in the wallet's currency (what the ledger posted before negative-balance
    /// protection).
    #[serde(rename = "closedPLInAccountCurrency", serialize_with = "opt_num")]
    #[schema(value_type = Option<f64>)]
    pub closed_pl_in_account_currency: Option<Decimal>,
    /// CLIENT, STAFF, STOP_LOSS, TAKE_PROFIT, TRAILING_STOP, STOP_OUT or DURATION.
    pub closed_reason: Option<String>,
    #[schema(example = "EURUSD")]
    pub symbol: String,
    /// PENDING, OPEN, CLOSED or CANCELLED.
    #[schema(example = "OPEN")]
    pub status: String,
    /// PRO or NEO.
    #[schema(example = "PRO")]
    pub platform: String,
    #[serde(serialize_with = "opt_num")]
    #[schema(value_type = Option<f64>)]
    pub stop_loss: Option<Decimal>,
    /// The invested amount (NEO), in the wallet's currency.
    #[serde(serialize_with = "opt_num")]
    #[schema(value_type = Option<f64>)]
    pub invest: Option<Decimal>,
    pub close_position_after_seconds: Option<i64>,
    pub opening_order_external_id: String,
    /// The position's own margin at open, in the wallet's currency.
    #[schema(example = "108.5")]
    pub margin: String,
    /// The fill price (a pending order: the price it waits for).
    pub open_price: Option<String>,
    pub close_price: Option<String>,
    /// Open: the floating P/L at the latest quote; closed: the realised P/L; in the wallet's
    /// currency.
    #[serde(serialize_with = "opt_num")]
    #[schema(value_type = Option<f64>)]
    pub profit_loss: Option<Decimal>,
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub swap: Decimal,
    #[serde(serialize_with = "opt_num")]
    #[schema(value_type = Option<f64>)]
    pub take_profit: Option<Decimal>,
    /// The opening commission charged, in the wallet's currency.
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub commission: Decimal,
    /// Trailing stop in percent of the price (the seed's spelling).
    pub tailing_stop_loss_pct: Option<String>,
    /// The wallet's currency.
    pub currency: String,
    /// Bumped by every change (a close applies only at the version it read).
    pub version: i64,
}

impl PositionView {
    /// `p` with prices at `decimals`; `floating`: the open position's P/L now.
    pub fn of(p: &PositionRow, decimals: u32, floating: Option<Money>) -> Self {
        let px = |m: Option<i64>| m.map(|m| price(m, decimals));
        let text = |m: Option<i64>| m.map(|m| price_text(Price::from_minor(m), decimals));
        let profit_loss = match p.status.as_str() {
            "OPEN" => floating.map(Money::to_decimal),
            _ => p.closed_pl_account.map(fixed),
        };
        Self {
            id: p.id,
            customer_id: p.user_id.to_string(),
            account_id: p.wallet_id,
            size: fixed(p.size),
            side: p.side.clone(),
            opened_at: p.opened_at,
            closed_at: p.closed_at,
            closed_pl: p.closed_pl.map(fixed),
            closed_pl_in_account_currency: p.closed_pl_account.map(fixed),
            closed_reason: p.closed_reason.clone(),
            symbol: p.symbol.clone(),
            status: p.status.clone(),
            platform: p.platform.clone(),
            stop_loss: px(p.stop_loss),
            invest: p.invest.map(fixed),
            close_position_after_seconds: p.close_after_seconds,
            opening_order_external_id: p.external_id.clone(),
            margin: fixed(p.margin).to_string(),
            open_price: text(p.open_price),
            close_price: text(p.close_price),
            profit_loss,
            swap: fixed(p.swap),
            take_profit: px(p.take_profit),
            commission: fixed(p.commission),
            tailing_stop_loss_pct: p.trailing_pct.clone(),
            currency: p.currency.clone(),
            version: p.version,
        }
    }
}

/// An order: the one that opened (market, or a pending limit/stop) or closed a position.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OrderView {
    pub id: i64,
    pub position_id: i64,
    pub account_id: i64,
    pub customer_id: String,
    pub symbol: String,
    /// BUY or SELL.
    pub side: String,
    /// MARKET, LIMIT or STOP.
    #[serde(rename = "type")]
    pub kind: String,
    /// OPEN (opens the position) or CLOSE.
    pub purpose: String,
    /// PENDING, FILLED or CANCELLED.
    pub status: String,
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub size: Decimal,
    pub limit_price: Option<String>,
    pub stop_price: Option<String>,
    pub fill_price: Option<String>,
    /// The position's stop loss, take profit and trailing stop (what a fill will carry).
    pub stop_loss: Option<String>,
    pub take_profit: Option<String>,
    pub trailing_stop_loss_pct: Option<String>,
    pub external_id: String,
    pub created_at: DateTime<Utc>,
    pub filled_at: Option<DateTime<Utc>>,
}

impl OrderView {
    pub fn of(o: &OrderRow, p: Option<&PositionRow>, decimals: u32) -> Self {
        let text = |m: Option<i64>| m.map(|m| price_text(Price::from_minor(m), decimals));
        Self {
            id: o.id,
            position_id: o.position_id,
            account_id: o.wallet_id,
            customer_id: o.user_id.to_string(),
            symbol: o.symbol.clone(),
            side: o.side.clone(),
            kind: o.kind.clone(),
            purpose: o.purpose.clone(),
            status: o.status.clone(),
            size: fixed(o.size),
            limit_price: text(o.limit_price),
            stop_price: text(o.stop_price),
            fill_price: text(o.fill_price),
            stop_loss: text(p.and_then(|p| p.stop_loss)),
            take_profit: text(p.and_then(|p| p.take_profit)),
            trailing_stop_loss_pct: p.and_then(|p| p.trailing_pct.clone()),
            external_id: o.external_id.clone(),
            created_at: o.created_at,
            filled_at: o.filled_at,
        }
    }
}
