//! "Get market data for a given interval": per active instrument the open, high, low, close
//! and change of its latest candle of that interval; with `symbol`, that symbol's candles
//! (oldest first, the newest `limit`). Anyone signed in (clients draw charts from it). The
//! candles are of the bid, as the caller sees it: with the markup of the trading group of its
//! current wallet (`quotes::caller_markups`; staff naming no wallet see the raw feed).

use brokercrm_core::trading::prices::Interval;
use brokercrm_core::{Error, Result};
use brokercrm_engine::Price;
use brokercrm_store::repo::trading::instruments as instruments_repo;
use brokercrm_store::repo::trading::prices::{self as repo, CandleRow};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde::Serialize;
use utoipa::ToSchema;

use super::format::price_text;
use crate::trading::quotes::caller_markups;
use crate::{App, Principal};

/// Most candles one call returns.
pub const MAX_CANDLES: u64 = 1000;

/// One instrument over the interval.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = MarketDataDto)]
pub struct MarketRow {
    #[schema(example = "EURUSD")]
    pub symbol: String,
    /// Start of the candle.
    pub time: DateTime<Utc>,
    #[schema(example = "1.08500")]
    pub open: String,
    pub high: String,
    pub low: String,
    pub close: String,
    /// close − open.
    #[schema(example = "0.00012")]
    pub change: String,
    /// (close − open) / open × 100, two decimals.
    #[schema(example = "0.01")]
    pub change_percent: String,
}

/// One candle.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = CandleDto)]
pub struct CandleView {
    pub time: DateTime<Utc>,
    pub open: String,
    pub high: String,
    pub low: String,
    pub close: String,
    /// Ticks in the candle.
    pub ticks: i64,
}

/// Candle `c` as one row, its prices lowered by `markup` (price units: the group's markup on
/// the bid).
fn row(symbol: String, c: &CandleRow, d: u32, markup: i64) -> MarketRow {
    let p = |m: i64| price_text(Price::from_minor(m - markup), d);
    let change = Decimal::new(c.close - c.open, 8);
    let open = c.open - markup;
    let pct = if open == 0 {
        Decimal::ZERO
    } else {
        (change * Decimal::ONE_HUNDRED / Decimal::new(open, 8)).round_dp(2)
    };
    MarketRow {
        symbol,
        time: c.open_time,
        open: p(c.open),
        high: p(c.high),
        low: p(c.low),
        close: p(c.close),
        change: format!("{:.prec$}", change.round_dp(d), prec = d as usize),
        change_percent: format!("{pct:.2}"),
    }
}

/// The latest candle of `interval` of every active instrument that has one, as `actor` sees
/// it through the wallet `named` (`X-Wallet-Id`).
pub async fn summary(
    app: &App,
    actor: &Principal,
    named: Option<i64>,
    interval: &str,
) -> Result<Vec<MarketRow>> {
    let i = Interval::parse("interval", interval)?;
    let markups = caller_markups(app, actor, named).await?;
    let conn = app.db().conn();
    let mut out = Vec::new();
    for inst in instruments_repo::list_with_status(conn, "ACTIVE").await? {
        let d = u32::try_from(inst.decimals).unwrap_or(8);
        if let Some(c) = repo::last_candle(conn, &inst.symbol, i.as_str()).await? {
            let mk = markups.units(&inst.symbol, d);
            out.push(row(inst.symbol, &c, d, mk));
        }
    }
    Ok(out)
}

/// The candles of `symbol` at `interval`, the newest `limit` (default 100, at most 1000), as
/// `actor` sees them through the wallet `named`.
pub async fn candles(
    app: &App,
    actor: &Principal,
    named: Option<i64>,
    interval: &str,
    symbol: &str,
    limit: Option<u64>,
) -> Result<Vec<CandleView>> {
    let i = Interval::parse("interval", interval)?;
    let limit = limit.unwrap_or(100);
    if !(1..=MAX_CANDLES).contains(&limit) {
        return Err(Error::field("limit", format!("must be from 1 to {MAX_CANDLES}")));
    }
    let conn = app.db().conn();
    let inst = instruments_repo::find(conn, symbol.trim())
        .await?
        .ok_or_else(|| Error::field("symbol", "no instrument has this symbol"))?;
    let d = u32::try_from(inst.decimals).unwrap_or(8);
    let mk = caller_markups(app, actor, named).await?.units(&inst.symbol, d);
    let p = |m: i64| price_text(Price::from_minor(m - mk), d);
    Ok(repo::candles(conn, &inst.symbol, i.as_str(), None, limit)
        .await?
        .into_iter()
        .map(|c| CandleView {
            time: c.open_time,
            open: p(c.open),
            high: p(c.high),
            low: p(c.low),
            close: p(c.close),
            ticks: c.ticks,
        })
        .collect())
}
