//! "Get risk exposures for the authenticated admin user": per symbol with open positions,
//! the long, short, net and gross lots, the notional long and short at the latest quote
//! (lots × contract size × the close price, in the report currency) and the broker's floating
//! P/L (the opposite of the clients'), each exact and rounded once.

use std::collections::BTreeMap;

use brokercrm_core::trading::positions::Status;
use brokercrm_core::{Money, Result};
use brokercrm_engine::maths::{self, Frac, Side};
use rust_decimal::Decimal;
use serde::{Serialize, Serializer};
use utoipa::ToSchema;

use super::{RiskQuery, Sums, round, rows, scope};
use crate::trading::positions::figures::{close_price, leg_of};
use crate::trading::positions::market;
use crate::{App, Principal};

fn num<S: Serializer>(d: &Decimal, s: S) -> std::result::Result<S::Ok, S::Error> {
    crate::trading::instruments::view::as_number(d, s)
}

fn opt_num<S: Serializer>(d: &Option<Decimal>, s: S) -> std::result::Result<S::Ok, S::Error> {
    match d {
        Some(d) => num(d, s),
        None => s.serialize_none(),
    }
}

fn lots(minor: i64) -> Decimal {
    Decimal::new(minor, 8).normalize()
}

fn dec(m: Money) -> Decimal {
    m.to_decimal().normalize()
}

/// One symbol's exposure.
#[derive(Debug, Clone, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct Exposure {
    #[schema(example = "EURUSD")]
    pub symbol: String,
    pub positions: u64,
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub long_lots: Decimal,
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub short_lots: Decimal,
    /// Long − short: the clients' net position (the broker holds the opposite).
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub net_lots: Decimal,
    /// Long + short.
    #[serde(serialize_with = "num")]
    #[schema(value_type = f64)]
    pub gross_lots: Decimal,
    /// Notional of the long and short lots at the latest quote, in `currency` (null without
    /// a quote).
    #[serde(serialize_with = "opt_num")]
    #[schema(value_type = Option<f64>)]
    pub notional_long: Option<Decimal>,
    #[serde(serialize_with = "opt_num")]
    #[schema(value_type = Option<f64>)]
    pub notional_short: Option<Decimal>,
    /// The broker's floating P/L on the symbol, in `currency` (null without a quote).
    #[serde(serialize_with = "opt_num")]
    #[schema(value_type = Option<f64>)]
    pub broker_floating_profit_loss: Option<Decimal>,
    /// The report currency: the group's, else USD.
    pub currency: String,
}

/// The answer: one entry per symbol with open positions, by symbol.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct RiskExposures {
    pub exposures: Vec<Exposure>,
}

#[derive(Default)]
struct Acc {
    positions: u64,
    long: i64,
    short: i64,
    notional_long: Option<Frac>,
    notional_short: Option<Frac>,
    floating: Option<Frac>,
}

/// "Get risk exposures for the authenticated admin user".
pub async fn exposures(app: &App, actor: &Principal, q: RiskQuery) -> Result<RiskExposures> {
    let conn = app.db().conn();
    let s = scope(conn, actor, &q).await?;
    let open = rows(conn, &s, &[Status::Open.as_str()]).await?;
    let mut by_symbol: BTreeMap<String, Vec<_>> = BTreeMap::new();
    for p in open {
        by_symbol.entry(p.symbol.clone()).or_default().push(p);
    }
    let mut sums = Sums::new(conn, s.currency);
    let mut out = Vec::new();
    for (symbol, list) in by_symbol {
        let m = market::load(conn, "symbol", &symbol).await?;
        let quote = market::quote(conn, &symbol).await.ok();
        let mut a = Acc { positions: list.len() as u64, ..Acc::default() };
        if quote.is_some() {
            (a.notional_long, a.notional_short, a.floating) =
                (Some(Frac::zero()), Some(Frac::zero()), Some(Frac::zero()));
        }
        for p in &list {
            let leg = leg_of(p)?;
            match leg.side {
                Side::Buy => a.long = a.long.saturating_add(p.size),
                Side::Sell => a.short = a.short.saturating_add(p.size),
            }
            let Some(q) = quote else { continue };
            let at = close_price(leg.side, q);
            let notional = Frac::fixed(p.size)
                .mul(&Frac::dec(m.inst.contract_size))
                .mul(&Frac::fixed(at.minor()));
            let client = maths::pnl_exact(&m.inst, &leg, at);
            let slot =
                if leg.side == Side::Buy { &mut a.notional_long } else { &mut a.notional_short };
            if let Some(n) = slot.as_mut() {
                *n = n.add(&notional);
            }
            if let Some(f) = a.floating.as_mut() {
                *f = f.add(&client.neg());
            }
        }
        let mut conv = async |x: Option<Frac>| -> Result<Option<Decimal>> {
            match x {
                Some(x) => Ok(Some(dec(round(&sums.convert(m.spec.currency, &x).await?)?))),
                None => Ok(None),
            }
        };
        let notional_long = conv(a.notional_long.take()).await?;
        let notional_short = conv(a.notional_short.take()).await?;
        let floating = conv(a.floating.take()).await?;
        out.push(Exposure {
            symbol,
            positions: a.positions,
            long_lots: lots(a.long),
            short_lots: lots(a.short),
            net_lots: lots(a.long.saturating_sub(a.short)),
            gross_lots: lots(a.long.saturating_add(a.short)),
            notional_long,
            notional_short,
            broker_floating_profit_loss: floating,
            currency: s.currency.to_string(),
        });
    }
    Ok(RiskExposures { exposures: out })
}
