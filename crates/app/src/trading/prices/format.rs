//! Prices on the wire: decimal strings with the instrument's decimals, parsed from strings
//! or JSON numbers and held to those decimals.

use brokercrm_core::{Error, Result};
use brokercrm_engine::Price;
use rust_decimal::Decimal;
use serde_json::Value;

/// `price` with exactly `decimals` decimals (`1.08500`).
pub fn price_text(price: Price, decimals: u32) -> String {
    let d = Decimal::new(price.minor(), 8).round_dp(decimals);
    format!("{d:.prec$}", prec = decimals as usize)
}

/// A positive price with at most `decimals` decimals, from a JSON string or number.
pub fn parse_price(field: &str, raw: &Value, decimals: u32) -> Result<Price> {
    let bad = || Error::field(field, "must be a positive decimal price");
    let d: Decimal = match raw {
        Value::String(s) => s.trim().parse().map_err(|_| bad())?,
        Value::Number(n) => n.to_string().parse().map_err(|_| bad())?,
        _ => return Err(bad()),
    };
    if d <= Decimal::ZERO {
        return Err(bad());
    }
    if d.normalize().scale() > decimals {
        return Err(Error::field(field, format!("must have at most {decimals} decimal places")));
    }
    Price::from_decimal(d).ok_or_else(bad)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn text_and_parse() {
        let p = parse_price("bid", &Value::String("1.085".into()), 5).unwrap();
        assert_eq!(price_text(p, 5), "1.08500");
        assert_eq!(price_text(p, 0), "1");
        assert!(parse_price("bid", &serde_json::json!(1.123456), 5).is_err());
        assert!(parse_price("bid", &serde_json::json!(-1), 5).is_err());
        assert_eq!(
            parse_price("bid", &serde_json::json!(150.5), 3).unwrap().minor(),
            15_050_000_000
        );
    }
}
