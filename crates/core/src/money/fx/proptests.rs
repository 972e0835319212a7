//! Property tests of conversion: identity, single-rounding round trips, monotonicity, sign
//! symmetry, agreement with `Money::checked_mul_decimal`, and no panic on any input.

#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use rust_decimal::{Decimal, RoundingStrategy};

use super::{ConversionPath, Leg, Rate, convert};
use crate::{Currency, Money};

const CODES: [Currency; 5] =
    [Currency::USD, Currency::EUR, Currency::GBP, Currency::BTC, Currency::ETH];

/// Any valid rate: 1 to 15 significant digits, 0 to 20 decimal places.
fn any_rate() -> impl Strategy<Value = Rate> {
    (1i64..1_000_000_000_000_000, 0u32..=20)
        .prop_map(|(m, s)| Rate::new("rate", Decimal::new(m, s)).unwrap())
}

/// Rates between 10^-6 and 10^6, the range real currencies live in.
fn sane_rate() -> impl Strategy<Value = Rate> {
    (1i64..1_000_000_000_000, 6u32..=18)
        .prop_map(|(m, s)| Rate::new("rate", Decimal::new(m, s)).unwrap())
}

/// A path of 1-4 legs through distinct currencies with any rates and directions.
fn any_path(rate: BoxedStrategy<Rate>) -> impl Strategy<Value = ConversionPath> {
    proptest::collection::vec((rate, any::<bool>()), 1..=4).prop_map(|legs| {
        let legs = legs
            .into_iter()
            .zip(CODES.windows(2))
            .map(|((r, inv), pair)| match pair {
                [a, b] if inv => Leg::inverse(*a, *b, r),
                [a, b] => Leg::direct(*a, *b, r),
                _ => unreachable!(),
            })
            .collect();
        ConversionPath::new(legs).unwrap()
    })
}

/// The same path walked backwards, each leg using the same rate the other way.
fn reversed(p: &ConversionPath) -> ConversionPath {
    let legs = p
        .legs()
        .iter()
        .rev()
        .map(|l| Leg { from: l.to, to: l.from, rate: l.rate, inverse: !l.inverse })
        .collect();
    ConversionPath::new(legs).unwrap()
}

proptest! {
    #[test]
    fn identity_changes_nothing(minor in any::<i64>()) {
        let a = Money::from_minor(minor);
        let out = convert(a, &ConversionPath::identity(Currency::USD)).unwrap();
        prop_assert_eq!(out.amount, a);
        prop_assert_eq!(out.rate, Decimal::ONE);
        prop_assert_eq!(out.path, vec![Currency::USD]);
    }

    #[test]
    fn there_and_back_in_one_path_is_exact(minor in any::<i64>(), p in any_path(any_rate().boxed())) {
        // One path A→...→B→...→A multiplies by exactly 1, so the single rounding changes nothing.
        let mut legs = p.legs().to_vec();
        legs.extend(reversed(&p).legs().iter().copied());
        if let Ok(round) = ConversionPath::new(legs) {
            let a = Money::from_minor(minor);
            prop_assert_eq!(convert(a, &round).unwrap().amount, a);
        }
    }

    #[test]
    fn round_trip_error_is_bounded(minor in -1_000_000_000_000_000i64..1_000_000_000_000_000, r in sane_rate()) {
        // a → b at r rounds by at most 1/2 minor unit; back at 1/r adds at most 1/2 plus the
        // first error scaled by 1/r: |back - a| <= 1/2 + 1/(2r), i.e. 2r|back - a| <= r + 1.
        let a = Money::from_minor(minor);
        let there = ConversionPath::new(vec![Leg::direct(Currency::USD, Currency::EUR, r)]).unwrap();
        let Ok(b) = convert(a, &there) else { return Ok(()) };
        let back = convert(b.amount, &reversed(&there)).unwrap().amount;
        let diff = Decimal::from(back.minor().abs_diff(minor));
        prop_assert!(Decimal::TWO * r.value() * diff <= r.value() + Decimal::ONE,
            "a={a} r={r} b={} back={back}", b.amount);
    }

    #[test]
    fn monotone_in_the_amount(x in any::<i64>(), y in any::<i64>(), p in any_path(any_rate().boxed())) {
        let (lo, hi) = (x.min(y), x.max(y));
        if let (Ok(a), Ok(b)) = (convert(Money::from_minor(lo), &p), convert(Money::from_minor(hi), &p)) {
            prop_assert!(a.amount <= b.amount);
        }
    }

    #[test]
    fn symmetric_in_sign(minor in (i64::MIN + 1)..=i64::MAX, p in any_path(any_rate().boxed())) {
        let pos = convert(Money::from_minor(minor), &p).map(|c| c.amount);
        let neg = convert(Money::from_minor(-minor), &p).map(|c| c.amount.checked_neg());
        prop_assert_eq!(pos.ok(), neg.ok().flatten());
    }

    #[test]
    fn one_leg_matches_money_times_decimal(minor in any::<i64>(), r in any_rate()) {
        let p = ConversionPath::new(vec![Leg::direct(Currency::EUR, Currency::USD, r)]).unwrap();
        let want = Money::from_minor(minor).checked_mul_decimal(r.value(), RoundingStrategy::MidpointNearestEven);
        prop_assert_eq!(convert(Money::from_minor(minor), &p).ok().map(|c| c.amount), want);
    }

    #[test]
    fn never_panics(minor in any::<i64>(), p in any_path(any_rate().boxed())) {
        // Out-of-range results are errors naming `amount`, never a panic or a wrap.
        match convert(Money::from_minor(minor), &p) {
            Ok(c) => prop_assert_eq!(c.path.len(), p.legs().len() + 1),
            Err(e) => prop_assert!(e.public_message().starts_with("amount: ")),
        }
    }
}
