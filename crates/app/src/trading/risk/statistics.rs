//! "Get risk statistics for the authenticated admin user": the book at a glance — open
//! positions and their volume, clients trading, the broker's realised and floating P/L
//! (the opposite of the clients'), the trending instruments (most positions opened in the last
//! 7 days), the broker's realised P/L by month of close (the last 12 months) and the open lots
//! per instrument.

use std::collections::{BTreeMap, HashMap, HashSet};

use brokercrm_core::trading::positions::Status;
use brokercrm_core::{Currency, Money, Result};
use brokercrm_engine::maths::{self, Frac};
use chrono::{Datelike, Duration};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

use super::{RiskQuery, Sums, rows, scope};
use crate::trading::positions::figures::{close_price, leg_of};
use crate::trading::positions::market;
use crate::{App, Principal};

fn num<S: Serializer>(d: &Decimal, s: S) -> std::result::Result<S::Ok, S::Error> {
    crate::trading::instruments::view::as_number(d, s)
}

fn dec(m: Money) -> Decimal {
    m.to_decimal().normalize()
}

fn lots(minor: i64) -> Decimal {
    Decimal::new(minor, 8).normalize()
}

/// The headline figures.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BaseStats {
    pub open_positions: u64,
    /// Lots of the open positions.
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub open_volume: Decimal,
    /// Lots traded (opened) in all: open and closed positions.
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub total_volume: Decimal,
    pub closed_positions: u64,
    /// Customers with at least one open position.
    pub clients_trading: u64,
    /// The broker's realised P/L (the opposite of the clients'), in `currency`.
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub broker_profit_loss: Decimal,
    /// The broker's floating P/L on the open positions at the latest quotes.
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub broker_floating_profit_loss: Decimal,
    /// Opening commissions charged, in `currency`.
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub commissions: Decimal,
    /// The report currency: the group's, else USD.
    pub currency: String,
}

/// An instrument by recent activity.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TrendingInstrument {
    pub symbol: String,
    /// Positions opened in the last 7 days.
    pub positions: u64,
    /// Their customers.
    pub clients: u64,
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub lots: Decimal,
}

/// The broker's realised P/L of the positions closed in one month (`YYYY-MM`, UTC).
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MonthProfitLoss {
    pub month: String,
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub profit_loss: Decimal,
}

/// Open lots on one instrument.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InstrumentLots {
    pub symbol: String,
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub lots: Decimal,
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub long_lots: Decimal,
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub short_lots: Decimal,
}

/// The answer.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RiskStatistics {
    pub base_stats: BaseStats,
    pub trending_instruments: Vec<TrendingInstrument>,
    /// Oldest month first.
    pub profit_loss_by_month: Vec<MonthProfitLoss>,
    /// The broker's realised P/L of every closed position.
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub sum_profit_loss: Decimal,
    /// Largest first.
    pub lots_per_instrument: Vec<InstrumentLots>,
}

fn add(map: &mut HashMap<Currency, Frac>, cur: Currency, x: &Frac) {
    let e = map.entry(cur).or_insert_with(Frac::zero);
    *e = e.add(x);
}

/// "Get risk statistics for the authenticated admin user".
pub async fn statistics(app: &App, actor: &Principal, q: RiskQuery) -> Result<RiskStatistics> {
    let conn = app.db().conn();
    let s = scope(conn, actor, &q).await?;
    let now = app.clock().now();
    let open = rows(conn, &s, &[Status::Open.as_str()]).await?;
    let closed = rows(conn, &s, &[Status::Closed.as_str()]).await?;
    let mut sums = Sums::new(conn, s.currency);

    let (mut realised, mut commissions, mut floating) =
        (HashMap::new(), HashMap::new(), HashMap::new());
    let mut by_month: BTreeMap<String, HashMap<Currency, Frac>> = BTreeMap::new();
    let first_month = now - Duration::days(366);
    for p in &closed {
        let cur = Currency::parse("currency", &p.currency)?;
        let broker = Frac::fixed(p.closed_pl_account.unwrap_or_default()).neg();
        add(&mut realised, cur, &broker);
        if let Some(at) = p.closed_at.filter(|at| *at >= first_month) {
            let month = format!("{:04}-{:02}", at.year(), at.month());
            add(by_month.entry(month).or_default(), cur, &broker);
        }
    }
    let mut per_symbol: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    let mut clients = HashSet::new();
    let mut markets = HashMap::new();
    for p in &open {
        clients.insert(p.user_id);
        let e = per_symbol.entry(p.symbol.clone()).or_default();
        if p.side == "BUY" {
            e.0 += p.size
        } else {
            e.1 += p.size
        }
        if !markets.contains_key(&p.symbol) {
            let m = market::load(conn, "symbol", &p.symbol).await?;
            let q = market::quote(conn, &p.symbol).await.ok();
            markets.insert(p.symbol.clone(), (m, q));
        }
        if let Some((m, Some(q))) = markets.get(&p.symbol) {
            let leg = leg_of(p)?;
            let client = maths::pnl_exact(&m.inst, &leg, close_price(leg.side, *q));
            add(&mut floating, m.spec.currency, &client.neg());
        }
    }
    let mut trending: HashMap<String, (u64, HashSet<i64>, i64)> = HashMap::new();
    let since = now - Duration::days(7);
    let mut total_volume = 0i64;
    for p in open.iter().chain(&closed) {
        cur_commission(&mut commissions, p)?;
        total_volume = total_volume.saturating_add(p.size);
        if p.opened_at.is_some_and(|t| t >= since) {
            let t = trending.entry(p.symbol.clone()).or_default();
            t.0 += 1;
            t.1.insert(p.user_id);
            t.2 = t.2.saturating_add(p.size);
        }
    }
    let mut trending: Vec<TrendingInstrument> = trending
        .into_iter()
        .map(|(symbol, (n, c, l))| TrendingInstrument {
            symbol,
            positions: n,
            clients: c.len() as u64,
            lots: lots(l),
        })
        .collect();
    trending.sort_by(|a, b| b.positions.cmp(&a.positions).then(a.symbol.cmp(&b.symbol)));
    trending.truncate(10);
    let mut months = Vec::new();
    for (month, m) in &by_month {
        months
            .push(MonthProfitLoss { month: month.clone(), profit_loss: dec(sums.total(m).await?) });
    }
    let mut per: Vec<InstrumentLots> = per_symbol
        .into_iter()
        .map(|(symbol, (l, sh))| InstrumentLots {
            symbol,
            lots: lots(l.saturating_add(sh)),
            long_lots: lots(l),
            short_lots: lots(sh),
        })
        .collect();
    per.sort_by(|a, b| b.lots.cmp(&a.lots).then(a.symbol.cmp(&b.symbol)));
    let broker = dec(sums.total(&realised).await?);
    Ok(RiskStatistics {
        base_stats: BaseStats {
            open_positions: open.len() as u64,
            open_volume: lots(open.iter().map(|p| p.size).fold(0i64, i64::saturating_add)),
            total_volume: lots(total_volume),
            closed_positions: closed.len() as u64,
            clients_trading: clients.len() as u64,
            broker_profit_loss: broker,
            broker_floating_profit_loss: dec(sums.total(&floating).await?),
            commissions: dec(sums.total(&commissions).await?),
            currency: s.currency.to_string(),
        },
        trending_instruments: trending,
        profit_loss_by_month: months,
        sum_profit_loss: broker,
        lots_per_instrument: per,
    })
}

fn cur_commission(
    map: &mut HashMap<Currency, Frac>,
    p: &brokercrm_store::repo::trading::positions::PositionRow,
) -> Result<()> {
    add(map, Currency::parse("currency", &p.currency)?, &Frac::fixed(p.commission));
    Ok(())
}
