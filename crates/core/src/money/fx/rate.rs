//! An exchange rate: `1 from = rate × to`, a positive exact decimal of at most 15 significant
//! digits (so it survives a JSON number unchanged), and the source it came from.

use std::fmt;
use std::str::FromStr;

use rust_decimal::Decimal;

use crate::validate::text;
use crate::{Currency, Error, Result};

/// Significant digits a rate may have: every decimal of 15 digits round-trips through an IEEE
/// double, so a rate sent or shown as a JSON number is exact.
pub const MAX_RATE_SIGNIFICANT: u32 = 15;
/// Decimal places a rate may have.
pub const MAX_RATE_SCALE: u32 = 20;

const BAD_RATE: &str = "must be a decimal number such as 1.0856 (no exponent)";

/// A validated, normalised (no trailing zeros) positive rate.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug)]
pub struct Rate(Decimal);

impl Rate {
    /// Validates `d`: greater than 0, at most 20 decimal places and 15 significant digits.
    /// Errors name `field`.
    pub fn new(field: &str, d: Decimal) -> Result<Rate> {
        let n = d.normalize();
        if n <= Decimal::ZERO {
            return Err(Error::field(field, "must be greater than 0"));
        }
        if n.scale() > MAX_RATE_SCALE {
            return Err(Error::field(
                field,
                format!("must have at most {MAX_RATE_SCALE} decimal places"),
            ));
        }
        if n.mantissa() >= 10i128.pow(MAX_RATE_SIGNIFICANT) {
            return Err(Error::field(
                field,
                format!("must have at most {MAX_RATE_SIGNIFICANT} significant digits"),
            ));
        }
        Ok(Rate(n))
    }

    /// Parses a plain decimal string (`"1.0856"`); errors name `field`.
    pub fn parse(field: &str, s: &str) -> Result<Rate> {
        let s = s.trim();
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-') {
            return Err(Error::field(field, BAD_RATE));
        }
        let d = Decimal::from_str_exact(s).map_err(|_| Error::field(field, BAD_RATE))?;
        Self::new(field, d)
    }

    /// From a JSON number read as a double: its shortest decimal form, which is the number as
    /// written whenever it has at most 15 significant digits.
    pub fn from_f64(field: &str, f: f64) -> Result<Rate> {
        if !f.is_finite() {
            return Err(Error::field(field, BAD_RATE));
        }
        Self::parse(field, &format!("{f}"))
    }

    /// The exact value.
    pub fn value(self) -> Decimal {
        self.0
    }

    /// The nearest double; its shortest form prints the same digits as the rate.
    pub fn to_f64(self) -> f64 {
        f64::from_str(&self.0.to_string()).unwrap_or(f64::NAN)
    }
}

impl fmt::Display for Rate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

/// Serialises as its exact decimal string (wire formats choose their own form).
impl serde::Serialize for Rate {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(&self.0)
    }
}

/// A rate's source (`manual`, `ecb`, a payment method such as `bitstamp`): 1-64 characters of
/// letters, digits, `_`, `-`, `.`, stored in lower case. Errors name `field`.
pub fn rate_source(field: &str, raw: &str) -> Result<String> {
    let s = text(field, raw, 64)?;
    if s.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.')) {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(Error::field(field, "may contain only letters, digits, '_', '-' and '.'"))
    }
}

/// One configured rate: `1 from = rate × to`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub struct ExchangeRate {
    pub from: Currency,
    pub to: Currency,
    pub rate: Rate,
}

impl ExchangeRate {
    /// A rate between two different currencies; the error names `toCurrency`.
    pub fn new(from: Currency, to: Currency, rate: Rate) -> Result<Self> {
        if from == to {
            return Err(Error::field("toCurrency", "must differ from fromCurrency"));
        }
        Ok(Self { from, to, rate })
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn validates_rates() {
        assert_eq!(Rate::parse("rate", "1.0850").unwrap().to_string(), "1.085");
        assert_eq!(Rate::from_f64("rate", 1.0856).unwrap().to_string(), "1.0856");
        assert_eq!(Rate::from_f64("rate", 0.00001).unwrap().to_string(), "0.00001");
        assert_eq!(Rate::parse("rate", "0.00001").unwrap().to_f64(), 0.00001);
        for bad in
            ["0", "-1", "", "1e5", "abc", "1.2.3", "1234567890123456", "0.1234567890123456789012"]
        {
            let e = Rate::parse("rate", bad).unwrap_err();
            assert!(e.public_message().starts_with("rate: "), "{bad}: {e:?}");
        }
        assert!(Rate::from_f64("rate", f64::NAN).is_err());
        assert!(Rate::from_f64("rate", 1e300).is_err());
    }

    #[test]
    fn sources_and_pairs() {
        assert_eq!(rate_source("source", " ECB ").unwrap(), "ecb");
        assert!(rate_source("source", "a b").is_err());
        assert!(rate_source("source", "").is_err());
        let r = Rate::parse("rate", "2").unwrap();
        let e = ExchangeRate::new(Currency::USD, Currency::USD, r).unwrap_err();
        assert_eq!(e.public_message(), "toCurrency: must differ from fromCurrency");
    }
}
