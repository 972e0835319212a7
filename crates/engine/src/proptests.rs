//! Property tests: the maths against a reference in exact rationals (`num-rational`), and the
//! trigger book against a scan of every entry.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use brokercrm_core::Money;
use num_bigint::BigInt;
use num_rational::BigRational;
use proptest::prelude::*;
use rust_decimal::Decimal;

use crate::book::{Kind, OrderType, SymbolBook};
use crate::fixed::{Lots, Price};
use crate::maths::{self, CalcMode, Conversion, Instrument, Leg, Side};

fn rat(d: Decimal) -> BigRational {
    BigRational::new(BigInt::from(d.mantissa()), BigInt::from(10).pow(d.scale()))
}

fn fixed(minor: i64) -> BigRational {
    BigRational::new(BigInt::from(minor), BigInt::from(100_000_000))
}

/// Rounds to 10^-8, half to even, by the textbook definition.
fn round_ref(x: &BigRational) -> Money {
    let scaled = x * BigRational::from_integer(BigInt::from(100_000_000));
    let floor = scaled.floor();
    let frac = &scaled - &floor;
    let half = BigRational::new(BigInt::from(1), BigInt::from(2));
    let f = floor.to_integer();
    let r = if frac > half || (frac == half && (&f % 2) != BigInt::from(0)) { f + 1 } else { f };
    Money::from_minor(i64::try_from(r).unwrap())
}

fn dec(max_mantissa: i64, max_scale: u32) -> impl Strategy<Value = Decimal> {
    (1..max_mantissa, 0..=max_scale).prop_map(|(m, s)| Decimal::new(m, s))
}

fn instrument() -> impl Strategy<Value = Instrument> {
    (dec(1_000_000, 2), any::<bool>(), dec(10_000, 2), dec(10_000, 2)).prop_map(
        |(cs, cfd, pct, hpct)| Instrument {
            contract_size: cs,
            profit_mode: CalcMode::Forex,
            margin_mode: if cfd { CalcMode::Cfd } else { CalcMode::Forex },
            margin_pct: pct,
            hedged_margin_pct: hpct,
        },
    )
}

fn leg() -> impl Strategy<Value = Leg> {
    (any::<bool>(), 1..10_000_000_000i64, 1..100_000_000_000i64).prop_map(|(buy, lots, open)| Leg {
        side: if buy { Side::Buy } else { Side::Sell },
        lots: Lots::from_minor(lots),
        open: Price::from_minor(open),
    })
}

fn conv() -> impl Strategy<Value = (Vec<(Decimal, bool)>, BigRational)> {
    prop::collection::vec((dec(10_000_000, 6), any::<bool>()), 0..3).prop_map(|legs| {
        let mut r = BigRational::from_integer(BigInt::from(1));
        for (rate, inv) in &legs {
            r = if *inv { r / rat(*rate) } else { r * rat(*rate) };
        }
        (legs, r)
    })
}

proptest! {
    #[test]
    fn pnl_matches_rationals(inst in instrument(), l in leg(), close in 1..100_000_000_000i64, (legs, r) in conv()) {
        let c = Conversion::from_legs(&legs).unwrap();
        let got = maths::pnl(&inst, &l, Price::from_minor(close), &c);
        let diff = match l.side {
            Side::Buy => fixed(close) - fixed(l.open.minor()),
            Side::Sell => fixed(l.open.minor()) - fixed(close),
        };
        let exact = diff * fixed(l.lots.minor()) * rat(inst.contract_size) * r;
        let bound = BigRational::from_integer(BigInt::from(90_000_000_000i64));
        if exact < bound && -exact.clone() < bound {
            prop_assert_eq!(got, Some(round_ref(&exact)));
        }
    }

    #[test]
    fn margin_matches_rationals(inst in instrument(), legs in prop::collection::vec(leg(), 1..6), lev in 1u32..1000, (cl, r) in conv()) {
        let c = Conversion::from_legs(&cl).unwrap();
        let got = maths::symbol_margin(&inst, &legs, lev, &c);
        // reference: per-side bases, covered share h / side total at the hedged %
        let hundred = BigRational::from_integer(BigInt::from(100));
        let base = |l: &Leg| {
            let n = fixed(l.lots.minor()) * rat(inst.contract_size);
            match inst.margin_mode {
                CalcMode::Forex => n / BigRational::from_integer(BigInt::from(lev)),
                CalcMode::Cfd => n * fixed(l.open.minor()),
            }
        };
        let zero = BigRational::from_integer(BigInt::from(0));
        let side_sum = |s: Side| legs.iter().filter(|l| l.side == s).fold((zero.clone(), zero.clone()), |(b, n), l| (b + base(l), n + fixed(l.lots.minor())));
        let (bl, l) = side_sum(Side::Buy);
        let (bs, s) = side_sum(Side::Sell);
        let h = if l < s { l.clone() } else { s.clone() };
        let part = |b: &BigRational, t: &BigRational| if *t == zero { (zero.clone(), zero.clone()) } else { (b * (t - &h) / t, b * &h / t) };
        let (lo, lc) = part(&bl, &l);
        let (so, sc) = part(&bs, &s);
        let exact = ((lo + so) * rat(inst.margin_pct) / &hundred + (lc + sc) * rat(inst.hedged_margin_pct) / &hundred) * r;
        let bound = BigRational::from_integer(BigInt::from(90_000_000_000i64));
        if exact < bound {
            prop_assert_eq!(got, Some(round_ref(&exact)));
        }
    }

    #[test]
    fn book_fires_exactly_what_a_scan_finds(
        entries in prop::collection::vec((0u8..6, any::<bool>(), 1_000i64..2_000), 1..200),
        ticks in prop::collection::vec((1_000i64..2_000, 0i64..5), 1..20),
    ) {
        let mut book = SymbolBook::new(1);
        // (id, kind, side, level) still live, for the scan
        let mut live: Vec<(u64, Kind, Side, i64)> = Vec::new();
        for (i, (k, buy, level)) in entries.iter().enumerate() {
            let id = i as u64;
            let side = if *buy { Side::Buy } else { Side::Sell };
            let p = Price::from_minor(*level);
            let kind = match k {
                0 | 1 => { book.set_stop_loss(id, side, Some(p)); Kind::StopLoss }
                2 | 3 => { book.set_take_profit(id, side, Some(p)); Kind::TakeProfit }
                4 => { book.set_order(id, side, OrderType::Limit, p); Kind::Limit }
                _ => { book.set_order(id, side, OrderType::Stop, p); Kind::Stop }
            };
            live.push((id, kind, side, *level));
        }
        for (bid, spread) in ticks {
            let ask = bid + spread;
            let due = |kind: Kind, side: Side, l: i64| match (kind, side) {
                (Kind::StopLoss, Side::Buy) | (Kind::Stop, Side::Sell) => bid <= l,
                (Kind::TakeProfit, Side::Buy) | (Kind::Limit, Side::Sell) => bid >= l,
                (Kind::StopLoss, Side::Sell) | (Kind::Stop, Side::Buy) => ask >= l,
                _ => ask <= l,
            };
            let mut want: Vec<(u64, i64)> = live.iter().filter(|e| due(e.1, e.2, e.3))
                .map(|e| (e.0, match (e.1, e.2) {
                    (Kind::StopLoss | Kind::TakeProfit, Side::Buy) | (Kind::Limit | Kind::Stop, Side::Sell) => bid,
                    _ => ask,
                })).collect();
            live.retain(|e| !due(e.1, e.2, e.3));
            let mut got: Vec<(u64, i64)> = book.on_tick(Price::from_minor(bid), Price::from_minor(ask))
                .fired.iter().map(|f| (f.id, f.price.minor())).collect();
            want.sort_unstable();
            got.sort_unstable();
            prop_assert_eq!(got, want);
        }
        prop_assert_eq!(book.len(), live.len());
    }
}

proptest! {
    #[test]
    fn trailing_buckets_match_one_stop_per_entry(
        entries in prop::collection::vec((any::<bool>(), 1i64..4, 9_000i64..11_000), 1..60),
        ticks in prop::collection::vec((9_000i64..11_000, 0i64..20), 1..40),
    ) {
        use crate::trailing::{Trailing, stop_behind};
        let tick = 10;
        let mut t = Trailing::new(tick);
        // the model: (key, long, ppm, stop)
        let mut model: Vec<(u64, bool, i64, i64)> = Vec::new();
        for (i, (long, pct, price)) in entries.iter().enumerate() {
            let ppm = pct * 5_000;
            let side = if *long { Side::Buy } else { Side::Sell };
            let level = t.insert(i as u64, side, ppm, *price, None);
            prop_assert_eq!(level, stop_behind(*long, *price, ppm, tick));
            model.push((i as u64, *long, ppm, level));
        }
        for (bid, spread) in ticks {
            let ask = bid + spread;
            let mut want: Vec<(u64, i64)> = Vec::new();
            model.retain_mut(|(k, long, ppm, stop)| {
                let p = if *long { bid } else { ask };
                let due = if *long { p <= *stop } else { p >= *stop };
                if due {
                    want.push((*k, *stop));
                    return false;
                }
                let s = stop_behind(*long, p, *ppm, tick);
                *stop = if *long { (*stop).max(s) } else { (*stop).min(s) };
                true
            });
            let mut got = Vec::new();
            t.on_tick(bid, ask, &mut got);
            want.sort_unstable();
            got.sort_unstable();
            prop_assert_eq!(got, want);
            for (k, _, _, stop) in &model {
                prop_assert_eq!(t.level(*k), Some(*stop));
            }
        }
    }

    #[test]
    fn a_stop_out_threshold_never_fires_late(
        legs in prop::collection::vec((any::<bool>(), 1i64..500, 9_000i64..11_000), 1..5),
        balance in 1i64..5_000,
        level in 1i32..15_000,
        bids in prop::collection::vec(8_000i64..12_000, 1..30),
        spread in 0i64..5,
    ) {
        use crate::stopout::threshold;
        let inst = Instrument {
            contract_size: Decimal::from(1000),
            profit_mode: CalcMode::Forex,
            margin_mode: CalcMode::Forex,
            margin_pct: Decimal::from(100),
            hedged_margin_pct: Decimal::from(50),
        };
        let step = 100_000; // prices in 10^-3
        let legs: Vec<Leg> = legs.iter().map(|(buy, lots, open)| Leg {
            side: if *buy { Side::Buy } else { Side::Sell },
            lots: Lots::from_minor(lots * 1_000_000),
            open: Price::from_minor(open * step),
        }).collect();
        let conv = Conversion::identity();
        let margin = maths::symbol_margin(&inst, &legs, 100, &conv).unwrap();
        let fixed = Money::from_units(balance).unwrap();
        let allowance = 5 * step;
        let t = threshold(fixed, &inst, &legs, &conv, margin, level, allowance, step);
        for bid in bids {
            let (b, a) = (Price::from_minor(bid * step), Price::from_minor((bid + spread) * step));
            let mut equity = fixed;
            for l in &legs {
                let close = if l.side == Side::Buy { b } else { a };
                equity = equity.checked_add(maths::pnl(&inst, l, close, &conv).unwrap()).unwrap();
            }
            if maths::below_level(equity, margin, level) {
                let fires = match t {
                    Some((Side::Buy, p)) => b <= p,
                    Some((Side::Sell, p)) => b >= p,
                    None => false,
                };
                prop_assert!(fires, "stopped out at bid {} but threshold {:?}", bid, t);
            }
        }
    }
}
