//! An exact percentage in hundredths of a percent (basis points), from 0.01 % to 1000 %:
//! parsed from its decimal text, applied to money in integers with one rounding down.

use std::fmt;

use rust_decimal::Decimal;

use crate::{Error, Money, Result};

/// A percentage exact to 0.01 %.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Percent(i32);

/// Highest percentage accepted: 1000 %.
const MAX: i32 = 100_000;
const RULE: &str = "must be a percentage above 0 and at most 1000, with at most 2 decimals";

impl Percent {
    /// From hundredths of a percent, as stored.
    pub const fn from_hundredths(h: i32) -> Self {
        Self(h)
    }

    /// Hundredths of a percent, as stored.
    pub const fn hundredths(self) -> i32 {
        self.0
    }

    /// From decimal text such as `12.5`; errors name `field`.
    pub fn parse(field: &str, s: &str) -> Result<Self> {
        let d: Decimal = s.parse().map_err(|_| Error::field(field, RULE))?;
        if d.is_sign_negative() || d.is_zero() || d.normalize().scale() > 2 {
            return Err(Error::field(field, RULE));
        }
        let h = (d * Decimal::ONE_HUNDRED).trunc().mantissa();
        i32::try_from(h)
            .ok()
            .filter(|h| *h <= MAX)
            .map(Self)
            .ok_or_else(|| Error::field(field, RULE))
    }

    /// This percentage of `amount`, rounded toward zero to 10^-8; `None` on overflow.
    pub fn of(self, amount: Money) -> Option<Money> {
        let product = i128::from(amount.minor()).checked_mul(i128::from(self.0))?;
        i64::try_from(product / 10_000).ok().map(Money::from_minor)
    }
}

impl fmt::Display for Percent {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Decimal::new(i64::from(self.0), 2).normalize().fmt(f)
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn parses_exactly_and_refuses_the_rest() {
        assert_eq!(Percent::parse("p", "12.5").unwrap().hundredths(), 1250);
        assert_eq!(Percent::parse("p", "0.01").unwrap().hundredths(), 1);
        assert_eq!(Percent::parse("p", "1000").unwrap().to_string(), "1000");
        assert_eq!(Percent::parse("p", "7.10").unwrap().to_string(), "7.1");
        for bad in ["0", "-1", "0.001", "1000.01", "abc", ""] {
            assert!(Percent::parse("p", bad).is_err(), "{bad}");
        }
    }
}
