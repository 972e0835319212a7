//! Trading-group rules: name, leverage, currency, adapter name, markups (points per symbol)
//! and commissions (arrays of objects) and the margin-call and stop-out levels in percent.

use std::fmt;

use rust_decimal::Decimal;
use serde_json::Value;

use crate::validate::text;
use crate::{Currency, Error, Result, Violations};

/// A margin level in percent, exact to 0.01 % (stored as hundredths of a percent, so the
/// trading engine compares margin levels in integers, never in binary floating point).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Level(i32);

/// Highest leverage a wallet or group may have (1:`MAX_LEVERAGE`).
pub const MAX_LEVERAGE: i32 = 1000;

/// A leverage from a JSON number: a whole number from 1 to [`MAX_LEVERAGE`].
pub fn leverage(field: &str, raw: f64) -> Result<i32> {
    let ok =
        raw.is_finite() && raw.fract() == 0.0 && (1.0..=f64::from(MAX_LEVERAGE)).contains(&raw);
    if !ok {
        return Err(Error::field(
            field,
            format!("must be a whole number from 1 to {MAX_LEVERAGE}"),
        ));
    }
    // In range and whole: the cast is exact.
    #[allow(clippy::cast_possible_truncation)]
    Ok(raw as i32)
}

/// Highest level accepted (10000 %).
const MAX_LEVEL: i32 = 1_000_000;

impl Level {
    /// From hundredths of a percent, as stored.
    pub const fn from_hundredths(h: i32) -> Self {
        Self(h)
    }

    /// Hundredths of a percent, as stored.
    pub const fn hundredths(self) -> i32 {
        self.0
    }

    /// From a JSON number in percent: 0 to 10000 with at most 2 decimals (taken from the
    /// number's shortest decimal form, which is the literal the client wrote).
    pub fn from_percent(field: &str, percent: f64) -> Result<Self> {
        let bad =
            || Error::field(field, "must be a percentage from 0 to 10000 with at most 2 decimals");
        if !percent.is_finite() {
            return Err(bad());
        }
        let d: Decimal = format!("{percent}").parse().map_err(|_| bad())?;
        if d.is_sign_negative() || d.scale() > 2 {
            return Err(bad());
        }
        let h = (d * Decimal::ONE_HUNDRED).trunc().mantissa();
        i32::try_from(h).ok().filter(|h| *h <= MAX_LEVEL).map(Self).ok_or_else(bad)
    }

    /// The level in percent as a JSON number (exact: at most 9 significant digits).
    pub fn percent(self) -> f64 {
        format!("{self}").parse().unwrap_or_default()
    }
}

impl fmt::Display for Level {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        Decimal::new(i64::from(self.0), 2).normalize().fmt(f)
    }
}

impl serde::Serialize for Level {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.serialize_f64(self.percent())
    }
}

/// Default margin-call level (percent of margin) when a group is created.
pub const DEFAULT_MARGIN_CALL_LEVEL: Level = Level(10_000);
/// Default stop-out level (percent of margin) when a group is created.
pub const DEFAULT_STOP_OUT_LEVEL: Level = Level(5_000);
const MAX_ITEMS: usize = 500;

/// A validated trading group (everything but its id).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupSpec {
    pub name: String,
    pub leverage: i32,
    pub currency: Currency,
    pub adapter_name: String,
    pub disable_swap_charges: bool,
    pub markups: Value,
    pub commissions: Value,
    pub margin_call_level: Level,
    pub stop_out_level: Level,
}

/// The group's name: trimmed, 1-100 characters.
pub fn name(raw: &str) -> Result<String> {
    text("name", raw, 100)
}

/// An array of at most 500 objects (`markups`, `commissions`).
pub fn object_list(field: &str, v: &Value) -> Result<Value> {
    match v {
        Value::Array(items) if items.len() > MAX_ITEMS => {
            Err(Error::field(field, format!("must have at most {MAX_ITEMS} items")))
        }
        Value::Array(items) if items.iter().all(Value::is_object) => Ok(v.clone()),
        _ => Err(Error::field(field, "must be an array of objects")),
    }
}

/// Largest markup, in points.
pub const MAX_MARKUP_POINTS: i64 = 100_000;

/// A group's `markups`: at most 500 objects `{"symbol": "EURUSD" | "*", "points": 15}` — the
/// spread widening, in points of the instrument (one point = its price step), that a fill
/// and a quote of the group's wallets get on each side (bid − points, ask + points). `symbol`
/// absent or `"*"` is the default for every other symbol; `points` is a whole number from 0
/// to 100000. A bad entry is named (`markups[1].points`); a symbol may appear once.
pub fn markups(v: &Value) -> Result<Value> {
    let list = object_list("markups", v)?;
    let mut seen: Vec<String> = Vec::new();
    for (i, e) in list.as_array().into_iter().flatten().enumerate() {
        let points_ok = e
            .get("points")
            .and_then(Value::as_f64)
            .is_some_and(|p| p.fract() == 0.0 && (0.0..=MAX_MARKUP_POINTS as f64).contains(&p));
        if !points_ok {
            return Err(Error::field(
                format!("markups[{i}].points"),
                format!("must be a whole number of points from 0 to {MAX_MARKUP_POINTS}"),
            ));
        }
        let symbol = match e.get("symbol") {
            None | Some(Value::Null) => "*".to_owned(),
            Some(Value::String(s)) if symbol_like(s.trim()) => s.trim().to_owned(),
            Some(_) => {
                return Err(Error::field(
                    format!("markups[{i}].symbol"),
                    "must be an instrument symbol or \"*\"",
                ));
            }
        };
        if seen.contains(&symbol) {
            return Err(Error::field(format!("markups[{i}].symbol"), "appears twice"));
        }
        seen.push(symbol);
    }
    Ok(list)
}

/// `*` or 1-32 of the instrument symbol's characters (`A-Z a-z 0-9 . _ # -`).
fn symbol_like(s: &str) -> bool {
    s == "*"
        || ((1..=32).contains(&s.len())
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b"._#-".contains(&b)))
}

/// The markup in points `markups` set for `symbol`: its own entry, else the default (`"*"`
/// or no symbol), else 0. Entries without whole non-negative `points` are skipped (groups
/// stored before markups were read).
pub fn markup_points(markups: &Value, symbol: &str) -> i64 {
    let mut any = None;
    for e in markups.as_array().into_iter().flatten() {
        let Some(p) =
            e.get("points").and_then(Value::as_i64).filter(|p| (0..=MAX_MARKUP_POINTS).contains(p))
        else {
            continue;
        };
        match e.get("symbol").and_then(Value::as_str).map(str::trim) {
            Some(s) if s == symbol => return p,
            Some("*") | None => any = any.or(Some(p)),
            Some(_) => {}
        }
    }
    any.unwrap_or_default()
}

/// Checks the two levels (`None`: the default): percentages from 0 to 10000 with at most 2
/// decimals, stop-out below margin call.
pub fn check_levels(
    v: &mut Violations,
    margin_call: Option<f64>,
    stop_out: Option<f64>,
) -> Option<(Level, Level)> {
    let level = |field: &str, x: Option<f64>, default: Level| match x {
        Some(x) => Level::from_percent(field, x),
        None => Ok(default),
    };
    let mc = v.check(level("marginCallLevel", margin_call, DEFAULT_MARGIN_CALL_LEVEL));
    let so = v.check(level("stopOutLevel", stop_out, DEFAULT_STOP_OUT_LEVEL));
    let (mc, so) = (mc?, so?);
    if so >= mc {
        v.push("stopOutLevel", "must be below marginCallLevel");
        return None;
    }
    Some((mc, so))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_levels() {
        assert!(object_list("markups", &serde_json::json!([{"a": 1}])).is_ok());
        assert!(object_list("markups", &serde_json::json!([1])).is_err());
        let ok = serde_json::json!([{"symbol": "EURUSD", "points": 15}, {"points": 3}]);
        assert!(markups(&ok).is_ok());
        assert_eq!((markup_points(&ok, "EURUSD"), markup_points(&ok, "GBPUSD")), (15, 3));
        assert_eq!(markup_points(&serde_json::json!([{"value": 0.5}]), "X"), 0);
        for (bad, field) in [
            (serde_json::json!([{"points": 1.5}]), "markups[0].points"),
            (serde_json::json!([{"points": 1}, {"symbol": "*", "points": 2}]), "markups[1].symbol"),
            (serde_json::json!([{"symbol": 7, "points": 2}]), "markups[0].symbol"),
        ] {
            let Err(Error::Validation(f)) = markups(&bad) else { panic!("{bad}") };
            assert_eq!(f[0].field, field);
        }
        let mut v = Violations::new();
        assert_eq!(check_levels(&mut v, Some(50.0), Some(80.0)), None);
        assert!(v.finish().is_err());
        let mut v = Violations::new();
        let levels = check_levels(&mut v, Some(100.5), None).unwrap();
        assert!(v.finish().is_ok());
        assert_eq!(levels, (Level(10_050), DEFAULT_STOP_OUT_LEVEL));
        assert_eq!((levels.0.to_string(), levels.0.percent()), ("100.5".to_owned(), 100.5));
        for bad in [-1.0, 10_000.01, 1.005, f64::NAN, 1e300] {
            assert!(Level::from_percent("x", bad).is_err(), "{bad}");
        }
        assert_eq!(Level::from_percent("x", 0.07).unwrap(), Level(7));
    }
}
