//! Currency conversion, pure: exchange rates as exact decimals with their source, conversion
//! paths (ordered legs such as EUR→USD→BTC) and the one rounding rule for converting `Money`.
//!
//! **Rounding rule.** A conversion is computed exactly, as a fraction, across every leg of the
//! path (a direct leg multiplies by its rate, an inverse leg divides by it); the result is
//! rounded once, at the end, to 8 decimal places (one minor unit of [`Money`](crate::Money)),
//! half to even. No intermediate amount is ever rounded, so EUR→USD→BTC gives the same minor
//! units as multiplying by the product of the rates. A result outside `Money`'s range is a
//! validation error, never a panic or a wrap.

mod convert;
mod path;
mod rate;

#[cfg(test)]
mod proptests;

pub use convert::{Converted, convert};
pub use path::{ConversionPath, Leg, MAX_LEGS, format_path, parse_path};
pub use rate::{ExchangeRate, MAX_RATE_SCALE, MAX_RATE_SIGNIFICANT, Rate, rate_source};
/// Re-exported so callers of [`convert`] need no direct `rust_decimal` dependency.
pub use rust_decimal::Decimal;
