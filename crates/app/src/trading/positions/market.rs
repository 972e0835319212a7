//! What a fill needs from the market: the instrument (its spec and the engine's view of it),
//! whether it trades now (status, trading hours, downtimes), the latest quote, and the exact
//! conversion from one currency into a wallet's along money's conversion paths, and the
//! trading group's markups a wallet's fills and quotes carry. The request path reads the
//! instrument, the downtimes and the group through this process's cache (`cached`,
//! `require_open_now`, `quote_now`); a batch reads them in its transaction (`Lookups`).

use std::collections::hash_map::Entry;
use std::sync::Arc;

use brokercrm_core::money::groups::markup_points;
use brokercrm_core::trading::instruments::{InstrumentSpec, InstrumentStatus, Mode};
use brokercrm_core::{Currency, Error, Result};
use brokercrm_engine::Price;
use brokercrm_engine::maths::{CalcMode, Conversion, Instrument};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::repo::money::groups;
use brokercrm_store::repo::money::wallets::WalletRow;
use brokercrm_store::repo::trading::{instruments, prices};
use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::App;
use crate::money::fx::resolve_path;
use crate::money::groups::cached as group_cached;
use crate::trading::downtimes::{down_at, is_down};
use crate::trading::instruments::view::spec_of;

/// An instrument as a fill sees it.
#[derive(Debug, Clone)]
pub struct Market {
    pub spec: InstrumentSpec,
    pub inst: Instrument,
}

impl Market {
    /// The currency the margin is formed in: the margin currency (FOREX) or the profit
    /// currency (CFD).
    pub fn margin_currency(&self) -> Currency {
        match self.spec.margin_calc_mode {
            Mode::Forex => self.spec.margin_currency,
            Mode::Cfd => self.spec.currency,
        }
    }
}

fn mode(m: Mode) -> CalcMode {
    match m {
        Mode::Forex => CalcMode::Forex,
        Mode::Cfd => CalcMode::Cfd,
    }
}

/// The instrument `symbol`; unknown is 422 on `field`.
pub async fn load<C: ConnectionTrait>(conn: &C, field: &str, symbol: &str) -> Result<Market> {
    market_of(field, symbol, instruments::find(conn, symbol.trim()).await?.as_ref())
}

/// [`load`] through this process's cache (`trading_cache_ttl`): the request path's read.
pub async fn cached(app: &App, field: &str, symbol: &str) -> Result<Market> {
    let symbol = symbol.trim();
    let read = async { Ok(instruments::find(app.db().conn(), symbol).await?.map(Arc::new)) };
    market_of(
        field,
        symbol,
        app.instruments().get_or_read(symbol.to_owned(), read).await?.as_deref(),
    )
}

fn market_of(
    field: &str,
    symbol: &str,
    row: Option<&instruments::InstrumentRow>,
) -> Result<Market> {
    let row =
        row.ok_or_else(|| Error::field(field, format!("unknown symbol '{}'", symbol.trim())))?;
    let spec = spec_of(row)?;
    let inst = Instrument {
        contract_size: spec.contract_size,
        profit_mode: mode(spec.profit_calc_mode),
        margin_mode: mode(spec.margin_calc_mode),
        margin_pct: spec.margin_percentage,
        hedged_margin_pct: spec.hedged_margin_percentage,
    };
    Ok(Market { spec, inst })
}

/// Trading `m` is open at `at`: the instrument is ACTIVE, within its trading hours and in no
/// downtime; else 422 on `symbol`.
pub async fn require_open<C: ConnectionTrait>(
    conn: &C,
    m: &Market,
    at: DateTime<Utc>,
) -> Result<()> {
    trades_at(m, at)?;
    refuse_down(m, down_at(conn, at).await?.contains(&m.spec.symbol))
}

/// [`require_open`] now, on the downtimes this process read within `trading_cache_ttl`: the
/// request path's check.
pub async fn require_open_now(app: &App, m: &Market) -> Result<()> {
    let at = app.clock().now();
    trades_at(m, at)?;
    refuse_down(m, is_down(app, &m.spec.symbol, at).await?)
}

/// Status and trading hours.
fn trades_at(m: &Market, at: DateTime<Utc>) -> Result<()> {
    let s = &m.spec;
    if s.status != InstrumentStatus::Active {
        return Err(Error::field("symbol", format!("{} is disabled", s.symbol)));
    }
    if !s.trading_hours.is_open(at) {
        return Err(Error::field("symbol", format!("{} is outside its trading hours", s.symbol)));
    }
    Ok(())
}

fn refuse_down(m: &Market, down: bool) -> Result<()> {
    if down {
        return Err(Error::field("symbol", format!("{} is in a downtime", m.spec.symbol)));
    }
    Ok(())
}

/// The latest (bid, ask) of `symbol`; none yet is 422 on `symbol`.
pub async fn quote<C: ConnectionTrait>(conn: &C, symbol: &str) -> Result<(Price, Price)> {
    let q = prices::quote(conn, symbol)
        .await?
        .ok_or_else(|| Error::field("symbol", format!("{symbol} has no price yet")))?;
    Ok((Price::from_minor(q.bid), Price::from_minor(q.ask)))
}

/// A trading group's markups (`money::groups::markups`), as fills and quotes read them.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Markups(Value);

impl Markups {
    /// No markup.
    pub fn none() -> Self {
        Self::default()
    }

    /// From a group's stored `markups` text (unreadable: none).
    pub fn parse(stored: &str) -> Self {
        Self(serde_json::from_str(stored).unwrap_or(Value::Null))
    }

    /// The markups of trading group `g` (none: no group, or deleted meanwhile).
    pub fn of_group(g: Option<&groups::GroupRow>) -> Self {
        g.map_or_else(Self::none, |g| Self::parse(&g.markups))
    }

    /// The markups of wallet `w`'s trading group.
    pub async fn of_wallet<C: ConnectionTrait>(conn: &C, w: &WalletRow) -> Result<Self> {
        Ok(match w.group_id {
            Some(g) => Self::of_group(groups::find(conn, g).await?.as_ref()),
            None => Self::none(),
        })
    }

    /// The markup on `symbol` in points.
    pub fn points(&self, symbol: &str) -> i64 {
        markup_points(&self.0, symbol)
    }

    /// The markup on `symbol` in price units (10^-8): its points × the price step of
    /// `decimals`.
    pub fn units(&self, symbol: &str, decimals: u32) -> i64 {
        let tick = brokercrm_engine::fixed::tick_size(decimals).unwrap_or(1);
        markup_points(&self.0, symbol).saturating_mul(tick)
    }

    /// `quote` of `m` as the group's wallets see it: bid − markup, ask + markup.
    pub fn apply(&self, m: &Market, (bid, ask): (Price, Price)) -> (Price, Price) {
        let mk = self.units(&m.spec.symbol, m.spec.decimals);
        (Price::from_minor(bid.minor() - mk), Price::from_minor(ask.minor() + mk))
    }
}

/// The latest quote of `m` as wallet `w` sees it (its group's markup applied); none yet is
/// 422 on `symbol`.
pub async fn quote_for<C: ConnectionTrait>(
    conn: &C,
    w: &WalletRow,
    m: &Market,
) -> Result<(Price, Price)> {
    let q = quote(conn, &m.spec.symbol).await?;
    Ok(Markups::of_wallet(conn, w).await?.apply(m, q))
}

/// [`quote_for`] with the wallet's trading group read through this process's cache
/// (`trading_cache_ttl`): the request path's quote.
pub async fn quote_now(app: &App, w: &WalletRow, m: &Market) -> Result<(Price, Price)> {
    let q = quote(app.db().conn(), &m.spec.symbol).await?;
    let markups = match w.group_id {
        Some(g) => Markups::of_group(group_cached(app, g).await?.as_deref()),
        None => Markups::none(),
    };
    Ok(markups.apply(m, q))
}

/// The exact rate from `from` into `to` along money's conversion path (no path: 422 on
/// `currency`, naming both).
pub async fn conversion<C: ConnectionTrait>(
    conn: &C,
    from: Currency,
    to: Currency,
) -> Result<Conversion> {
    if from == to {
        return Ok(Conversion::identity());
    }
    let path = resolve_path(conn, from, to).await?;
    let legs: Vec<_> = path.legs().iter().map(|l| (l.rate.value(), l.inverse)).collect();
    Conversion::from_legs(&legs).ok_or_else(|| Error::internal("a zero exchange rate"))
}

/// What a batch of fills or closes reads once per batch: markets by symbol, markups by
/// trading group, conversions by currency pair.
#[derive(Default)]
pub struct Lookups {
    markets: std::collections::HashMap<String, Market>,
    groups: std::collections::HashMap<i64, Option<groups::GroupRow>>,
    quotes: std::collections::HashMap<String, (Price, Price)>,
    conversions: std::collections::HashMap<(Currency, Currency), Conversion>,
}

impl Lookups {
    /// The market of `symbol` (unknown: 422 on `symbol`).
    pub async fn market<C: ConnectionTrait>(&mut self, conn: &C, symbol: &str) -> Result<&Market> {
        if !self.markets.contains_key(symbol) {
            let m = load(conn, "symbol", symbol).await?;
            self.markets.insert(symbol.to_owned(), m);
        }
        self.markets.get(symbol).ok_or_else(|| Error::internal("market cache"))
    }

    /// Trading group `id` (none: deleted meanwhile).
    pub async fn group<C: ConnectionTrait>(
        &mut self,
        conn: &C,
        id: i64,
    ) -> Result<Option<&groups::GroupRow>> {
        Ok(match self.groups.entry(id) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(groups::find(conn, id).await?),
        }
        .as_ref())
    }

    /// The markups of wallet `w`'s trading group.
    pub async fn markups<C: ConnectionTrait>(
        &mut self,
        conn: &C,
        w: &WalletRow,
    ) -> Result<Markups> {
        Ok(match w.group_id {
            Some(g) => self.group(conn, g).await.map(Markups::of_group)?,
            None => Markups::none(),
        })
    }

    /// The latest raw quote of `symbol` ([`quote`]).
    pub async fn quote<C: ConnectionTrait>(
        &mut self,
        conn: &C,
        symbol: &str,
    ) -> Result<(Price, Price)> {
        if let Some(q) = self.quotes.get(symbol) {
            return Ok(*q);
        }
        let q = quote(conn, symbol).await?;
        self.quotes.insert(symbol.to_owned(), q);
        Ok(q)
    }

    /// The exact rate from `from` into `to` ([`conversion`]).
    pub async fn conversion<C: ConnectionTrait>(
        &mut self,
        conn: &C,
        from: Currency,
        to: Currency,
    ) -> Result<&Conversion> {
        Ok(match self.conversions.entry((from, to)) {
            Entry::Occupied(e) => e.into_mut(),
            Entry::Vacant(e) => e.insert(conversion(conn, from, to).await?),
        })
    }
}
