//! Stop-out: which positions to close, and the price at which an account must be checked.
//!
//! At the stop-out level the position losing most is closed first (ties: the lower id), and
//! closing repeats until the margin level is back at or above the level or nothing is left —
//! as the leading platforms do. Closing realises a position's P/L into the balance, so equity
//! does not move; the margin of what remains (hedging included) is asked of the caller.
//!
//! The book holds one threshold per account and symbol: the bid at which the account's margin
//! level would reach the stop-out level if only that symbol moved. Shorts are valued at
//! bid + the book's spread allowance, which is pessimistic while the real spread stays within
//! it, so a threshold never fires after the real stop-out; when it fires the caller checks
//! exactly (and sets a new threshold if the account is still above the level).

use brokercrm_core::Money;
use num_bigint::Sign;

use crate::fixed::{Lots, Price};
use crate::maths::{Conversion, Frac, Instrument, Leg, Side, below_level};

/// An open position as stop-out sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Open {
    pub id: u64,
    /// Its floating P/L in the account currency now.
    pub pnl: Money,
}

/// The positions to close, in order. `margin_of(remaining)` is the account's margin with
/// only `remaining` open; `None` from it stops the liquidation (the caller could not price).
pub fn liquidation_order<F>(equity: Money, open: &[Open], level: i32, mut margin_of: F) -> Vec<u64>
where
    F: FnMut(&[u64]) -> Option<Money>,
{
    let mut order: Vec<Open> = open.to_vec();
    order.sort_by_key(|o| (o.pnl, o.id));
    let mut remaining: Vec<u64> = order.iter().map(|o| o.id).collect();
    let mut closed = Vec::new();
    while !remaining.is_empty() {
        let Some(margin) = margin_of(&remaining) else { break };
        if !below_level(equity, margin, level) {
            break;
        }
        closed.push(remaining.remove(0));
    }
    closed
}

/// The stop-out threshold of an account on one symbol: `(Buy, p)` means "check when the bid
/// is at or below p" (net long), `(Sell, p)` "at or above p" (net short). `fixed` is the
/// account's equity without the P/L of `legs` (balance, credit, other symbols), `margin` its
/// whole margin, `conv` the profit currency into the account currency. `None`: this symbol's
/// price alone cannot bring the account to the level. A level that is already reached comes
/// back as a threshold the current price satisfies.
#[allow(clippy::too_many_arguments)]
pub fn threshold(
    fixed: Money,
    inst: &Instrument,
    legs: &[Leg],
    conv: &Conversion,
    margin: Money,
    level: i32,
    spread_allowance: i64,
    tick: i64,
) -> Option<(Side, Price)> {
    if !margin.is_positive() {
        return None;
    }
    // equity(bid) = fixed + conv·cs·[(L − S)·bid − Σ_long lots·open + Σ_short lots·(open − a)]
    let (mut net, mut konst) = (Frac::zero(), Frac::zero());
    let a = Frac::fixed(spread_allowance);
    for leg in legs {
        let lots = Frac::fixed(leg.lots.minor());
        let open = Frac::fixed(leg.open.minor());
        match leg.side {
            Side::Buy => {
                net = net.add(&lots);
                konst = konst.add(&lots.mul(&open).neg());
            }
            Side::Sell => {
                net = net.add(&lots.neg());
                konst = konst.add(&lots.mul(&open.add(&a.neg())));
            }
        }
    }
    let scale = conv.factor().mul(&Frac::dec(inst.contract_size));
    let k = net.mul(&scale);
    let c = Frac::money(fixed).add(&konst.mul(&scale));
    // stop-out when c + k·bid < target
    let target = Frac::money(margin).mul(&Frac::int(i64::from(level))).div(&Frac::int(10_000))?;
    let gap = target.add(&c.neg());
    match k.sign() {
        Sign::NoSign => {
            // equity does not depend on this price
            (gap.sign() == Sign::Plus).then_some((Side::Buy, Price::from_minor(i64::MAX)))
        }
        Sign::Plus => gap.div(&k)?.round_price(tick.max(1), false).map(|p| (Side::Buy, p)),
        Sign::Minus => gap.div(&k)?.round_price(tick.max(1), true).map(|p| (Side::Sell, p)),
    }
}

/// Whether equity is below the level (a re-export for callers that hold no `maths` import).
pub fn is_stopped_out(equity: Money, margin: Money, level: i32) -> bool {
    below_level(equity, margin, level)
}

/// Lots as a `Leg` helper for callers building legs from stored rows.
pub fn leg(side: Side, lots: Lots, open: Price) -> Leg {
    Leg { side, lots, open }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::maths::CalcMode;

    fn m(u: i64) -> Money {
        Money::from_units(u).unwrap()
    }

    #[test]
    fn losing_most_first_until_recovered() {
        let open =
            [Open { id: 1, pnl: m(-10) }, Open { id: 2, pnl: m(-300) }, Open { id: 3, pnl: m(50) }];
        // equity 100; each position needs 100 of margin; level 50 %.
        let closed = liquidation_order(m(100), &open, 5_000, |rest| {
            Some(Money::from_units(100 * i64::try_from(rest.len()).unwrap()).unwrap())
        });
        // 100/300 < 50 % → close #2 (−300); 100/200 = 50 % → stop.
        assert_eq!(closed, vec![2]);
    }

    #[test]
    fn threshold_of_a_long() {
        let inst = Instrument {
            contract_size: "100000".parse().unwrap(),
            profit_mode: CalcMode::Forex,
            margin_mode: CalcMode::Forex,
            margin_pct: "100".parse().unwrap(),
            hedged_margin_pct: "50".parse().unwrap(),
        };
        // balance 1000, 1 lot long at 1.10000, margin 1000, stop-out 50 %: equity must stay
        // ≥ 500, so the bid may lose 500 USD = 0.005 → 1.095.
        let legs = [leg(Side::Buy, Lots::from_minor(100_000_000), Price::from_minor(110_000_000))];
        let t = threshold(m(1000), &inst, &legs, &Conversion::identity(), m(1000), 5_000, 0, 1000);
        assert_eq!(t, Some((Side::Buy, Price::from_minor(109_500_000))));
        let short =
            [leg(Side::Sell, Lots::from_minor(100_000_000), Price::from_minor(110_000_000))];
        let t = threshold(m(1000), &inst, &short, &Conversion::identity(), m(1000), 5_000, 0, 1000);
        assert_eq!(t, Some((Side::Sell, Price::from_minor(110_500_000))));
    }
}
