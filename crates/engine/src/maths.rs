//! Exact margin and profit/loss. Every quantity is formed as an exact fraction of big integers
//! and rounded once, half to even, to `Money`'s 10^-8 at the very end (the same rule as the
//! money context's currency conversions).
//!
//! - FOREX margin = lots × contract size × margin % / leverage, in the margin currency;
//!   CFD margin = lots × contract size × open price × margin %, in the profit currency.
//! - Hedged: on one symbol, `h = min(long lots, short lots)` lots of each side are covered; each
//!   side's margin splits pro rata into its covered part, charged at the hedged margin %, and
//!   the rest, charged at the margin %.
//! - P/L (FOREX and CFD profit modes alike) = (close − open) × lots × contract size for a buy,
//!   the opposite for a sell, in the profit currency; then × the conversion to the account
//!   currency.

use std::cmp::Ordering;

use brokercrm_core::Money;
use num_bigint::{BigInt, Sign};
use rust_decimal::Decimal;

use crate::fixed::{Lots, Price, UNIT};

/// Buy (long) or sell (short).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Side {
    Buy,
    Sell,
}

/// The seed's `profitCalcMode` / `marginCalcMode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CalcMode {
    Forex,
    Cfd,
}

/// The instrument fields the maths needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Instrument {
    /// Units of the base per lot (100000 for a FOREX pair), exact.
    pub contract_size: Decimal,
    pub profit_mode: CalcMode,
    pub margin_mode: CalcMode,
    /// Margin in percent (100 = the full notional / leverage for FOREX).
    pub margin_pct: Decimal,
    /// Margin in percent charged on covered (hedged) lots.
    pub hedged_margin_pct: Decimal,
}

/// One open position as the maths sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Leg {
    pub side: Side,
    pub lots: Lots,
    pub open: Price,
}

/// An exact fraction `n / d`, `d > 0`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Frac {
    n: BigInt,
    d: BigInt,
}

impl Frac {
    pub fn zero() -> Self {
        Self::int(0)
    }

    pub fn int(i: i64) -> Self {
        Self { n: BigInt::from(i), d: BigInt::from(1) }
    }

    /// An exact decimal.
    pub fn dec(x: Decimal) -> Self {
        Self { n: BigInt::from(x.mantissa()), d: BigInt::from(10).pow(x.scale()) }
    }

    /// A fixed-point value in 10^-8 units.
    pub fn fixed(minor: i64) -> Self {
        Self { n: BigInt::from(minor), d: BigInt::from(UNIT) }
    }

    /// `Money` as a fraction of whole units.
    pub fn money(m: Money) -> Self {
        Self::fixed(m.minor())
    }

    pub fn mul(&self, o: &Frac) -> Frac {
        Frac { n: &self.n * &o.n, d: &self.d * &o.d }
    }

    /// `self / o`; `None` when `o` is zero.
    pub fn div(&self, o: &Frac) -> Option<Frac> {
        match o.n.sign() {
            Sign::NoSign => None,
            Sign::Minus => Some(Frac { n: -(&self.n * &o.d), d: &self.d * -&o.n }),
            Sign::Plus => Some(Frac { n: &self.n * &o.d, d: &self.d * &o.n }),
        }
    }

    pub fn add(&self, o: &Frac) -> Frac {
        Frac { n: &self.n * &o.d + &o.n * &self.d, d: &self.d * &o.d }
    }

    pub fn neg(&self) -> Frac {
        Frac { n: -&self.n, d: self.d.clone() }
    }

    pub fn sign(&self) -> Sign {
        self.n.sign()
    }

    /// Rounded once, half to even, to `Money` (10^-8); `None` out of range.
    pub fn round_money(&self) -> Option<Money> {
        let scaled = &self.n * BigInt::from(UNIT);
        i64::try_from(&div_half_even(&scaled, &self.d)).ok().map(Money::from_minor)
    }

    /// Rounded to a multiple of `step` (10^-8 units) toward −∞ (`floor`) or +∞.
    pub fn round_price(&self, step: i64, floor: bool) -> Option<Price> {
        let num = &self.n * BigInt::from(UNIT);
        let den = &self.d * BigInt::from(step);
        let q = num.clone() / &den; // toward zero
        let exact = &q * &den == num;
        let neg = num.sign() == Sign::Minus;
        let q = match (exact, floor, neg) {
            (true, _, _) => q,
            (false, true, true) => q - 1,
            (false, false, false) => q + 1,
            _ => q,
        };
        i64::try_from(&(q * BigInt::from(step))).ok().map(Price::from_minor)
    }

    pub fn cmp_frac(&self, o: &Frac) -> Ordering {
        (&self.n * &o.d).cmp(&(&o.n * &self.d))
    }
}

/// `n / d` rounded half to even (`d > 0`).
fn div_half_even(n: &BigInt, d: &BigInt) -> BigInt {
    let q = n / d;
    let r = n - &q * d;
    if r.sign() == Sign::NoSign {
        return q;
    }
    let away = match (r.magnitude() * 2u32).cmp(d.magnitude()) {
        Ordering::Greater => true,
        Ordering::Equal => q.magnitude().bit(0),
        Ordering::Less => false,
    };
    match (away, n.sign()) {
        (false, _) => q,
        (true, Sign::Minus) => q - 1,
        (true, _) => q + 1,
    }
}

/// The exact rate from one currency into another: the product of its legs (an inverse leg
/// divides), as the money context's conversion paths define it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Conversion(Frac);

impl Conversion {
    /// Same currency.
    pub fn identity() -> Self {
        Self(Frac::int(1))
    }

    /// From `(rate, inverse)` legs; `None` if an inverse leg's rate is zero.
    pub fn from_legs(legs: &[(Decimal, bool)]) -> Option<Self> {
        let mut f = Frac::int(1);
        for (rate, inverse) in legs {
            f = if *inverse { f.div(&Frac::dec(*rate))? } else { f.mul(&Frac::dec(*rate)) };
        }
        Some(Self(f))
    }

    /// An amount in the source currency (exact) into the target currency (exact).
    pub fn apply(&self, x: &Frac) -> Frac {
        x.mul(&self.0)
    }

    pub fn factor(&self) -> &Frac {
        &self.0
    }
}

/// Signed P/L of one leg closed at `close`, exact, in the profit currency.
pub fn pnl_exact(inst: &Instrument, leg: &Leg, close: Price) -> Frac {
    let diff = match leg.side {
        Side::Buy => close.minor() - leg.open.minor(),
        Side::Sell => leg.open.minor() - close.minor(),
    };
    // Both profit modes share the formula (see the module docs).
    let _ = inst.profit_mode;
    Frac::fixed(diff).mul(&Frac::fixed(leg.lots.minor())).mul(&Frac::dec(inst.contract_size))
}

/// P/L of one leg in the account currency, rounded once.
pub fn pnl(inst: &Instrument, leg: &Leg, close: Price, conv: &Conversion) -> Option<Money> {
    conv.apply(&pnl_exact(inst, leg, close)).round_money()
}

/// The swap of `lots` for `nights`, exact, in the profit currency: `points` (signed: negative
/// is a charge) × one point (10^-`decimals` of the price) × lots × contract size × nights.
pub fn swap_exact(
    inst: &Instrument,
    lots: Lots,
    points: Decimal,
    decimals: u32,
    nights: u32,
) -> Frac {
    let point = Frac { n: BigInt::from(1), d: BigInt::from(10).pow(decimals) };
    Frac::dec(points)
        .mul(&point)
        .mul(&Frac::fixed(lots.minor()))
        .mul(&Frac::dec(inst.contract_size))
        .mul(&Frac::int(i64::from(nights)))
}

/// The margin base of one leg before any percentage: lots × contract size / leverage (FOREX)
/// or lots × contract size × open price (CFD).
fn base(inst: &Instrument, leg: &Leg, leverage: u32) -> Frac {
    let notional = Frac::fixed(leg.lots.minor()).mul(&Frac::dec(inst.contract_size));
    match inst.margin_mode {
        CalcMode::Forex => Frac { n: notional.n, d: notional.d * BigInt::from(leverage.max(1)) },
        CalcMode::Cfd => notional.mul(&Frac::fixed(leg.open.minor())),
    }
}

/// Exact margin of every leg on one symbol, hedging applied, in the margin currency (FOREX)
/// or the profit currency (CFD).
pub fn symbol_margin_exact(inst: &Instrument, legs: &[Leg], leverage: u32) -> Frac {
    let (mut bl, mut bs, mut l, mut s) = (Frac::zero(), Frac::zero(), 0i128, 0i128);
    for leg in legs {
        let b = base(inst, leg, leverage);
        match leg.side {
            Side::Buy => (bl, l) = (bl.add(&b), l + i128::from(leg.lots.minor())),
            Side::Sell => (bs, s) = (bs.add(&b), s + i128::from(leg.lots.minor())),
        }
    }
    let h = l.min(s);
    let pct = Frac::dec(inst.margin_pct).mul(&Frac { n: 1.into(), d: 100.into() });
    let hpct = Frac::dec(inst.hedged_margin_pct).mul(&Frac { n: 1.into(), d: 100.into() });
    let split = |b: &Frac, total: i128| -> (Frac, Frac) {
        if total == 0 {
            return (Frac::zero(), Frac::zero());
        }
        let covered = b.mul(&Frac { n: h.into(), d: total.into() });
        let open = b.mul(&Frac { n: (total - h).into(), d: total.into() });
        (open, covered)
    };
    let (lo, lc) = split(&bl, l);
    let (so, sc) = split(&bs, s);
    lo.add(&so).mul(&pct).add(&lc.add(&sc).mul(&hpct))
}

/// Margin of the legs on one symbol in the account currency, rounded once.
pub fn symbol_margin(
    inst: &Instrument,
    legs: &[Leg],
    leverage: u32,
    conv: &Conversion,
) -> Option<Money> {
    conv.apply(&symbol_margin_exact(inst, legs, leverage)).round_money()
}

/// Whether `equity / margin` is below `level` (hundredths of a percent), compared in
/// integers. No margin is never below.
pub fn below_level(equity: Money, margin: Money, level_hundredths: i32) -> bool {
    margin.is_positive()
        && i128::from(equity.minor()) * 10_000
            < i128::from(level_hundredths) * i128::from(margin.minor())
}

/// Margin level in hundredths of a percent (`None` without margin), rounded toward −∞.
pub fn margin_level(equity: Money, margin: Money) -> Option<i128> {
    margin
        .is_positive()
        .then(|| (i128::from(equity.minor()) * 10_000).div_euclid(i128::from(margin.minor())))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }
    fn px(s: &str) -> Price {
        Price::from_decimal(d(s)).unwrap()
    }
    fn lots(s: &str) -> Lots {
        Lots::from_decimal(d(s)).unwrap()
    }
    fn fx() -> Instrument {
        Instrument {
            contract_size: d("100000"),
            profit_mode: CalcMode::Forex,
            margin_mode: CalcMode::Forex,
            margin_pct: d("100"),
            hedged_margin_pct: d("50"),
        }
    }

    #[test]
    fn forex_margin_and_pnl() {
        let leg = Leg { side: Side::Buy, lots: lots("1"), open: px("1.1") };
        // 1 lot EURUSD at 1:100: 1000 EUR of margin; into a USD wallet at 1.1: 1100 USD.
        let m = symbol_margin(&fx(), &[leg], 100, &Conversion::identity()).unwrap();
        assert_eq!(m.to_string(), "1000");
        let usd = Conversion::from_legs(&[(d("1.1"), false)]).unwrap();
        assert_eq!(symbol_margin(&fx(), &[leg], 100, &usd).unwrap().to_string(), "1100");
        // +10 pips on 1 lot = 100 USD; a sell loses it.
        let p = pnl(&fx(), &leg, px("1.101"), &Conversion::identity()).unwrap();
        assert_eq!(p.to_string(), "100");
        let short = Leg { side: Side::Sell, ..leg };
        assert_eq!(
            pnl(&fx(), &short, px("1.101"), &Conversion::identity()).unwrap().to_string(),
            "-100"
        );
    }

    #[test]
    fn hedged_margin_and_cfd() {
        let long = Leg { side: Side::Buy, lots: lots("2"), open: px("1.1") };
        let short = Leg { side: Side::Sell, lots: lots("1"), open: px("1.2") };
        // 1 uncovered lot at 100 % (1000) + 2 covered lots at 50 % (1000).
        let m = symbol_margin(&fx(), &[long, short], 100, &Conversion::identity()).unwrap();
        assert_eq!(m.to_string(), "2000");
        let cfd = Instrument {
            contract_size: d("1"),
            margin_mode: CalcMode::Cfd,
            margin_pct: d("5"),
            ..fx()
        };
        let leg = Leg { side: Side::Buy, lots: lots("10"), open: px("5000.5") };
        assert_eq!(
            symbol_margin(&cfd, &[leg], 100, &Conversion::identity()).unwrap().to_string(),
            "2500.25"
        );
    }

    #[test]
    fn usdjpy_into_eur_rounds_once() {
        // 1 lot USDJPY +0.333 yen = 33300 JPY; JPY→EUR: 1 / (USDJPY 150.123) × (EURUSD 1/1.0876)
        let inst = fx();
        let leg = Leg { side: Side::Buy, lots: lots("1"), open: px("150.123") };
        let conv = Conversion::from_legs(&[(d("150.123"), true), (d("1.0876"), true)]).unwrap();
        let p = pnl(&inst, &leg, px("150.456"), &conv).unwrap();
        // 33300 / 150.123 / 1.0876 = 203.95192088...
        assert_eq!(p.to_string(), "203.95192088");
        assert!(below_level(Money::from_units(49).unwrap(), Money::from_units(100).unwrap(), 5000));
        assert!(!below_level(
            Money::from_units(50).unwrap(),
            Money::from_units(100).unwrap(),
            5000
        ));
        assert_eq!(
            margin_level(Money::from_units(1).unwrap(), Money::from_units(3).unwrap()),
            Some(3333)
        );
    }
}
