//! Fixed-point `Price` and `Lots`: signed counts of 10^-8 in an `i64`, like `Money`, so a price
//! or a size is exact and compares as an integer (the trigger books are keyed on it).

use std::fmt;

use rust_decimal::Decimal;

/// Decimal places of a `Price` and of `Lots`.
pub const SCALE: u32 = 8;
/// Minor units in one whole unit (10^8).
pub const UNIT: i64 = 100_000_000;

macro_rules! fixed {
    ($name:ident, $what:literal) => {
        #[doc = concat!("An exact ", $what, " in 10^-8 units.")]
        #[derive(Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub i64);

        impl $name {
            pub const ZERO: $name = $name(0);

            /// From raw 10^-8 units.
            pub const fn from_minor(m: i64) -> Self {
                Self(m)
            }

            /// Raw 10^-8 units.
            pub const fn minor(self) -> i64 {
                self.0
            }

            /// Exact from a decimal: `None` with more than 8 decimals or out of range.
            pub fn from_decimal(d: Decimal) -> Option<Self> {
                let n = d.normalize();
                if n.scale() > SCALE {
                    return None;
                }
                10i128
                    .checked_pow(SCALE - n.scale())
                    .and_then(|p| n.mantissa().checked_mul(p))
                    .and_then(|m| i64::try_from(m).ok())
                    .map(Self)
            }

            /// Exact decimal value (normalised).
            pub fn to_decimal(self) -> Decimal {
                Decimal::new(self.0, SCALE).normalize()
            }

            /// Whether the value is a whole multiple of `step` (a positive step in 10^-8).
            pub fn on_grid(self, step: i64) -> bool {
                step > 0 && self.0 % step == 0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                self.to_decimal().fmt(f)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self)
            }
        }
    };
}

fixed!(Price, "price");
fixed!(Lots, "size in lots");

/// The price step of an instrument with `decimals` decimal places, in 10^-8 (`None` above 8).
pub fn tick_size(decimals: u32) -> Option<i64> {
    (decimals <= SCALE).then(|| 10i64.pow(SCALE - decimals))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn exact_from_decimal() {
        let p = Price::from_decimal("1.08505".parse().unwrap()).unwrap();
        assert_eq!(p.minor(), 108_505_000);
        assert_eq!(p.to_string(), "1.08505");
        assert!(Price::from_decimal("0.000000001".parse().unwrap()).is_none());
        assert!(p.on_grid(tick_size(5).unwrap()));
        assert!(!p.on_grid(tick_size(4).unwrap()));
        assert_eq!(tick_size(9), None);
    }
}
