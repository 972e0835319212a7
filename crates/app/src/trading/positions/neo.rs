//! NEO by invested amount: the client names `invest` (in the wallet's currency), a maximum
//! risk from the Max Risks list (its default when absent) and optionally a duration from
//! the Position Durations list. The size is the invested amount over the margin of one lot
//! (so the position's own margin is at most `invest`), rounded down to the size grid; the
//! stop loss is placed where the loss reaches the risk share of `invest`; a duration sets
//! the time the evaluator closes the position (reason DURATION). See docs/trading.md.

use brokercrm_core::trading::choices::Kind;
use brokercrm_core::trading::positions::Side;
use brokercrm_core::{Error, Money, Result, Violations};
use brokercrm_engine::maths::{self, Conversion, Frac, Leg};
use brokercrm_engine::{Lots, Price};
use rust_decimal::Decimal;

use super::market::Market;
use crate::App;
use crate::trading::choices;

/// A NEO request's checked choices.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Neo {
    pub invest: Money,
    /// Percent of `invest`.
    pub max_risk: Decimal,
    pub close_after_seconds: Option<i64>,
}

fn listed(field: &str, d: Decimal, values: &[Decimal]) -> Result<Decimal> {
    let d = d.normalize();
    if values.iter().any(|v| v.normalize() == d) {
        return Ok(d);
    }
    let all: Vec<String> = values.iter().map(|v| v.normalize().to_string()).collect();
    Err(Error::field(field, format!("must be one of {}", all.join(", "))))
}

/// A parsed decimal field (`Err`: not a number, named).
type Field = Result<Option<Decimal>>;

/// Checks `invest` (above 0, at most 8 decimals), `maxRisk` (one of the Max Risks, the
/// default when absent) and `closePositionAfterSeconds` (one of the Position Durations, or
/// none), each a 422 naming it.
pub async fn check(app: &App, invest: Field, max_risk: Field, duration: Field) -> Result<Neo> {
    let mut v = Violations::new();
    let invest = v.check(invest.and_then(|d| {
        let d = d.ok_or_else(|| Error::field("invest", "is required for a NEO position"))?;
        if d <= Decimal::ZERO {
            return Err(Error::field("invest", "must be above 0"));
        }
        Money::from_decimal("invest", d)
    }));
    let risks = choices::get(app, Kind::MaxRisk).await?;
    let risk = v.check(max_risk.and_then(|d| match d {
        None => Ok(risks.default),
        Some(d) => listed("maxRisk", d, &risks.values),
    }));
    let durations = choices::get(app, Kind::Duration).await?;
    let duration = v.check(duration.and_then(|d| match d {
        None => Ok(None),
        Some(d) => {
            let d = listed("closePositionAfterSeconds", d, &durations.values)?;
            i64::try_from(d)
                .map(Some)
                .map_err(|_| Error::field("closePositionAfterSeconds", "is out of range"))
        }
    }));
    v.finish()?;
    match (invest, risk, duration) {
        (Some(invest), Some(max_risk), Some(close_after_seconds)) => {
            Ok(Neo { invest, max_risk, close_after_seconds })
        }
        _ => Err(Error::internal("checked NEO fields missing")),
    }
}

/// The lots `invest` buys at `fill`: `invest` / the margin of one lot (in the wallet's
/// currency through `margin_conv`, exact), rounded down to the size grid; outside the
/// instrument's sizes is a 422 on `invest`.
pub fn lots(
    m: &Market,
    side: Side,
    invest: Money,
    leverage: u32,
    fill: Price,
    margin_conv: &Conversion,
) -> Result<Lots> {
    let side = if side == Side::Buy { maths::Side::Buy } else { maths::Side::Sell };
    let one = Leg { side, lots: Lots::from_minor(100_000_000), open: fill };
    let per_lot = margin_conv.apply(&maths::symbol_margin_exact(&m.inst, &[one], leverage));
    let raw = Frac::money(invest)
        .div(&per_lot)
        .ok_or_else(|| Error::field("invest", "the instrument has no margin to size by"))?;
    let step = Lots::from_decimal(m.spec.lot_step())
        .ok_or_else(|| Error::internal("bad lot step"))?
        .minor();
    let lots = raw
        .round_price(step, true)
        .map(|p| Lots::from_minor(p.minor()))
        .ok_or_else(|| Error::field("invest", "is out of range"))?;
    let size = lots.to_decimal();
    if size < m.spec.min_order_size {
        let need =
            per_lot.mul(&Frac::dec(m.spec.min_order_size)).round_money().unwrap_or(Money::MAX);
        return Err(Error::field(
            "invest",
            format!(
                "is too small: the smallest position ({} lots) needs {}",
                m.spec.min_order_size.normalize(),
                need.to_decimal().normalize()
            ),
        ));
    }
    if size > m.spec.max_order_size {
        return Err(Error::field(
            "invest",
            format!(
                "buys more than the largest position ({} lots)",
                m.spec.max_order_size.normalize()
            ),
        ));
    }
    Ok(lots)
}

/// The stop loss of `lots` opened at `fill` where the loss reaches `risk` % of `invest` (in
/// the wallet's currency through `profit_conv`, exact), rounded onto the instrument's tick
/// toward the open price (the loss at the stop never exceeds the risk) and at least one tick
/// away from it; none when that price would not be above zero (the loss cannot reach it).
pub fn stop_loss(
    m: &Market,
    side: Side,
    lots: Lots,
    fill: Price,
    neo: &Neo,
    profit_conv: &Conversion,
) -> Result<Option<Price>> {
    let tick = brokercrm_engine::fixed::tick_size(m.spec.decimals)
        .ok_or_else(|| Error::internal("bad decimals"))?;
    let risk =
        Frac::money(neo.invest).mul(&Frac::dec(neo.max_risk)).mul(&Frac::dec(Decimal::new(1, 2)));
    let per_price =
        profit_conv.apply(&Frac::fixed(lots.minor()).mul(&Frac::dec(m.inst.contract_size)));
    let distance = risk.div(&per_price).ok_or_else(|| Error::internal("a zero position"))?;
    let open = Frac::fixed(fill.minor());
    let level = match side {
        Side::Buy => open.add(&distance.neg()).round_price(tick, false),
        Side::Sell => open.add(&distance).round_price(tick, true),
    }
    .ok_or_else(|| Error::field("invest", "is out of range"))?;
    let level = match side {
        Side::Buy => level.minor().min(fill.minor() - tick),
        Side::Sell => level.minor().max(fill.minor() + tick),
    };
    Ok((level > 0).then(|| Price::from_minor(level)))
}
