//! The NEO platform's configured choices (seed tags Max Risks and Position Durations): a list
//! given as comma-separated text (`"10,25,50"`) and a default that must be one of them.
//! Maximum risks are percentages of the invested amount (above 0, at most 100, two decimals);
//! durations are whole seconds (1 s to 30 days).

use rust_decimal::Decimal;

use crate::{Error, Result, Violations};

/// Most entries a list may have.
const MAX_ITEMS: usize = 20;
/// Longest duration: 30 days.
pub const MAX_DURATION_SECS: i64 = 30 * 86_400;

/// What a list holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Percent of the invested amount.
    MaxRisk,
    /// Seconds after which a position closes itself.
    Duration,
}

fn item(kind: Kind, field: &str, raw: &str) -> Result<Decimal> {
    let bad = || match kind {
        Kind::MaxRisk => Error::field(
            field,
            "must be percentages above 0 and at most 100, with at most 2 decimals",
        ),
        Kind::Duration => {
            Error::field(field, format!("must be whole seconds from 1 to {MAX_DURATION_SECS}"))
        }
    };
    let d: Decimal = raw.trim().parse().map_err(|_| bad())?;
    let d = d.normalize();
    let ok = match kind {
        Kind::MaxRisk => d > Decimal::ZERO && d <= Decimal::ONE_HUNDRED && d.scale() <= 2,
        Kind::Duration => {
            d.scale() == 0 && d >= Decimal::ONE && d <= Decimal::from(MAX_DURATION_SECS)
        }
    };
    if ok { Ok(d) } else { Err(bad()) }
}

/// Parses `value` (the list) and `default_value` (one of it): sorted, without duplicates.
pub fn parse(kind: Kind, value: &str, default_value: &str) -> Result<(Vec<Decimal>, Decimal)> {
    let mut v = Violations::new();
    let mut items = Vec::new();
    let mut bad_item = false;
    for part in value.split(',').filter(|p| !p.trim().is_empty()) {
        match v.check(item(kind, "value", part)) {
            Some(d) => items.push(d),
            None => {
                bad_item = true;
                break;
            }
        }
    }
    items.sort();
    items.dedup();
    if items.is_empty() && !bad_item {
        v.push("value", "must list at least one value, comma-separated");
    }
    if items.len() > MAX_ITEMS {
        v.push("value", format!("must list at most {MAX_ITEMS} values"));
    }
    let default = v.check(item(kind, "defaultValue", default_value));
    if let Some(d) = default
        && !items.is_empty()
        && !items.contains(&d)
    {
        v.push("defaultValue", "must be one of value");
    }
    v.finish()?;
    default.map(|d| (items, d)).ok_or_else(|| Error::internal("unreachable"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_defaults() {
        let (items, d) = parse(Kind::MaxRisk, "50, 10,25,10", "25").unwrap();
        assert_eq!(items.iter().map(ToString::to_string).collect::<Vec<_>>(), ["10", "25", "50"]);
        assert_eq!(d.to_string(), "25");
        assert!(parse(Kind::MaxRisk, "10,101", "10").is_err());
        assert!(parse(Kind::MaxRisk, "10,20", "30").is_err());
        assert!(parse(Kind::Duration, "60,1.5", "60").is_err());
        assert!(parse(Kind::Duration, "", "60").is_err());
        assert_eq!(parse(Kind::Duration, "3600,60", "60").unwrap().0.len(), 2);
    }
}
