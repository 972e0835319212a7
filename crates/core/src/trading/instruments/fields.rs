//! The instrument's enumerations and exact numbers: category, calculation modes, swap mode,
//! status; decimals from JSON numbers (their shortest decimal form, the literal the client
//! wrote) or from strings.

use rust_decimal::Decimal;

use crate::{Error, Result};

macro_rules! wire_enum {
    ($(#[$m:meta])* $name:ident { $($v:ident = $s:literal),+ $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum $name { $($v),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $s),+ }
            }

            /// Parses the wire form exactly; an error names `field` and the allowed values.
            pub fn parse(field: &str, raw: &str) -> Result<Self> {
                Self::ALL.iter().copied().find(|v| v.as_str() == raw.trim()).ok_or_else(|| {
                    let all: Vec<&str> = Self::ALL.iter().map(|v| v.as_str()).collect();
                    Error::field(field, format!("must be one of {}", all.join(", ")))
                })
            }
        }
    };
}

wire_enum!(
    /// The seed's `category`.
    Category {
        Currencies = "currencies",
        Indices = "indices",
        Commodities = "commodities",
        Cryptos = "cryptos",
        Equities = "equities",
    }
);

wire_enum!(
    /// `profitCalcMode` / `marginCalcMode`.
    Mode { Forex = "FOREX", Cfd = "CFD" }
);

wire_enum!(
    /// `swapMode`: swaps in points per lot per night, or none.
    SwapMode { Points = "POINTS", Disabled = "DISABLED" }
);

wire_enum!(
    /// `status`: an ACTIVE instrument trades; a DISABLED one takes no new orders (open
    /// positions can still be closed) and is hidden from clients.
    InstrumentStatus { Active = "ACTIVE", Disabled = "DISABLED" }
);

/// An exact decimal from a JSON number, with at most `max_dp` decimals and `|x| <= max`.
pub fn number(field: &str, raw: f64, max_dp: u32, min: Decimal, max: Decimal) -> Result<Decimal> {
    let bad = |m: String| Error::field(field, m);
    if !raw.is_finite() {
        return Err(bad("must be a number".into()));
    }
    let d: Decimal = format!("{raw}").parse().map_err(|_| bad("must be a number".into()))?;
    checked(field, d.normalize(), max_dp, min, max)
}

/// An exact decimal from a string (`"0.01"`), same rules as [`number`].
pub fn decimal_text(
    field: &str,
    raw: &str,
    max_dp: u32,
    min: Decimal,
    max: Decimal,
) -> Result<Decimal> {
    let s = raw.trim();
    let ok = !s.is_empty()
        && s.bytes().all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && !s.ends_with('.')
        && !s.starts_with('.');
    let d: Decimal = ok
        .then(|| s.parse().ok())
        .flatten()
        .ok_or_else(|| Error::field(field, "must be a decimal number such as 0.01"))?;
    checked(field, d.normalize(), max_dp, min, max)
}

fn checked(field: &str, d: Decimal, max_dp: u32, min: Decimal, max: Decimal) -> Result<Decimal> {
    if d.scale() > max_dp {
        return Err(Error::field(field, format!("must have at most {max_dp} decimal places")));
    }
    if d < min || d > max {
        return Err(Error::field(field, format!("must be from {min} to {max}")));
    }
    Ok(d)
}

/// A whole number from a JSON number within `min..=max`.
pub fn whole(field: &str, raw: f64, min: i64, max: i64) -> Result<i64> {
    let d = number(field, raw, 0, Decimal::from(min), Decimal::from(max))
        .map_err(|_| Error::field(field, format!("must be a whole number from {min} to {max}")))?;
    i64::try_from(d).map_err(|_| Error::field(field, "is out of range"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn enums_and_numbers() {
        assert_eq!(Category::parse("category", "cryptos").unwrap(), Category::Cryptos);
        assert!(Category::parse("category", "bonds").is_err());
        assert_eq!(Mode::parse("m", "CFD").unwrap().as_str(), "CFD");
        let d = number("x", 0.1, 4, Decimal::ZERO, Decimal::from(100)).unwrap();
        assert_eq!(d.to_string(), "0.1");
        assert!(number("x", 0.12345, 4, Decimal::ZERO, Decimal::from(100)).is_err());
        assert!(number("x", f64::NAN, 4, Decimal::ZERO, Decimal::from(100)).is_err());
        assert_eq!(
            decimal_text("s", "0.010", 8, Decimal::ZERO, Decimal::ONE).unwrap().to_string(),
            "0.01"
        );
        assert!(decimal_text("s", "1e3", 8, Decimal::ZERO, Decimal::from(10_000)).is_err());
        assert_eq!(whole("d", 5.0, 0, 8).unwrap(), 5);
        assert!(whole("d", 5.5, 0, 8).is_err());
    }
}
