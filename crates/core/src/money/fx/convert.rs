//! Converting `Money` along a path: exact across all legs, one half-even rounding to 10^-8 at
//! the end, overflow reported as an error.

use num_bigint::{BigInt, Sign};
use rust_decimal::Decimal;

use crate::money::fx::path::ConversionPath;
use crate::{Currency, Error, Money, Result};

/// The outcome of a conversion.
#[derive(Clone, PartialEq, Eq, Debug)]
pub struct Converted {
    /// The converted amount in the target currency, rounded once, half to even, to 10^-8.
    pub amount: Money,
    /// The effective rate (product of the legs), rounded half to even to as many decimal
    /// places as a `Decimal` holds (up to 28). For display and audit: `amount` is computed
    /// from the exact rates, not from this value.
    pub rate: Decimal,
    /// The currencies passed through, from source to target (`[EUR, USD, BTC]`).
    pub path: Vec<Currency>,
}

/// Converts `amount` along `path` (see the module docs of [`crate::money::fx`] for the rounding rule).
/// A result beyond `Money`'s range is a validation error on `amount`.
pub fn convert(amount: Money, path: &ConversionPath) -> Result<Converted> {
    let (num, den) = ratio(path);
    let exact = BigInt::from(amount.minor()) * &num;
    let minor = i64::try_from(&div_half_even(&exact, &den)).map_err(|_| {
        Error::field("amount", format!("converted into {} is out of range", path.to()))
    })?;
    Ok(Converted {
        amount: Money::from_minor(minor),
        rate: rate_decimal(&num, &den),
        path: path.currencies(),
    })
}

/// The effective rate of `path` as an exact fraction `num / den` with `den > 0`.
fn ratio(path: &ConversionPath) -> (BigInt, BigInt) {
    let (mut num, mut den) = (BigInt::from(1), BigInt::from(1));
    for leg in path.legs() {
        let r = leg.rate.value();
        let mantissa = BigInt::from(r.mantissa());
        let pow = BigInt::from(10).pow(r.scale());
        if leg.inverse {
            num *= pow;
            den *= mantissa;
        } else {
            num *= mantissa;
            den *= pow;
        }
    }
    (num, den)
}

/// `n / d` rounded half to even (`d > 0`).
fn div_half_even(n: &BigInt, d: &BigInt) -> BigInt {
    let q = n / d; // truncates toward zero
    let r = n - &q * d;
    if r.sign() == Sign::NoSign {
        return q;
    }
    let twice = r.magnitude() * 2u32;
    let away = match twice.cmp(d.magnitude()) {
        std::cmp::Ordering::Greater => true,
        std::cmp::Ordering::Equal => q.magnitude().bit(0),
        std::cmp::Ordering::Less => false,
    };
    match (away, n.sign()) {
        (false, _) => q,
        (true, Sign::Minus) => q - 1,
        (true, _) => q + 1,
    }
}

/// `num / den` as a `Decimal` with the most decimal places (≤ 28) that fit, half to even.
fn rate_decimal(num: &BigInt, den: &BigInt) -> Decimal {
    for scale in (0..=28u32).rev() {
        let m = div_half_even(&(num * BigInt::from(10).pow(scale)), den);
        if let Ok(m) = i128::try_from(&m)
            && let Ok(d) = Decimal::try_from_i128_with_scale(m, scale)
        {
            return d.normalize();
        }
    }
    Decimal::MAX
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::money::fx::{Leg, Rate};

    fn c(s: &str) -> Currency {
        Currency::parse("c", s).unwrap()
    }
    fn r(s: &str) -> Rate {
        Rate::parse("rate", s).unwrap()
    }
    fn m(s: &str) -> Money {
        s.parse().unwrap()
    }

    #[test]
    fn two_legs_round_once_half_even() {
        // 100 EUR → USD at 1.085 → BTC at 1/50000: 108.5 / 50000 = 0.00217 BTC exactly.
        let p = ConversionPath::new(vec![
            Leg::direct(c("EUR"), c("USD"), r("1.085")),
            Leg::inverse(c("USD"), c("BTC"), r("50000")),
        ])
        .unwrap();
        let out = convert(m("100"), &p).unwrap();
        assert_eq!(out.amount, m("0.00217"));
        assert_eq!(out.rate.to_string(), "0.0000217");
        assert_eq!(out.path, vec![c("EUR"), c("USD"), c("BTC")]);
        // 1 USD → EUR at 1/3 is 0.333333333... → 0.33333333; a tie rounds to even.
        let third = ConversionPath::new(vec![Leg::inverse(c("USD"), c("EUR"), r("3"))]).unwrap();
        assert_eq!(convert(m("1"), &third).unwrap().amount, m("0.33333333"));
        let half = ConversionPath::new(vec![Leg::direct(c("USD"), c("EUR"), r("0.5"))]).unwrap();
        assert_eq!(convert(Money::from_minor(3), &half).unwrap().amount.minor(), 2);
        assert_eq!(convert(Money::from_minor(5), &half).unwrap().amount.minor(), 2);
        assert_eq!(convert(Money::from_minor(-5), &half).unwrap().amount.minor(), -2);
        assert_eq!(convert(Money::from_minor(-7), &half).unwrap().amount.minor(), -4);
    }

    #[test]
    fn overflow_is_an_error() {
        let big = ConversionPath::new(vec![Leg::direct(c("BTC"), c("USD"), r("100000"))]).unwrap();
        let e = convert(Money::MAX, &big).unwrap_err();
        assert_eq!(e.public_message(), "amount: converted into USD is out of range");
    }
}
