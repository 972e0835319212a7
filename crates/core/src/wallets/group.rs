//! Trading-group rules: name, leverage, currency, adapter name, markups and commissions
//! (arrays of objects kept as given) and the margin-call and stop-out levels in percent.

use serde_json::Value;

use crate::validate::text;
use crate::{Currency, Error, Result, Violations};

/// Default margin-call level (percent of margin) when a group is created.
pub const DEFAULT_MARGIN_CALL_LEVEL: f64 = 100.0;
/// Default stop-out level (percent of margin) when a group is created.
pub const DEFAULT_STOP_OUT_LEVEL: f64 = 50.0;
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
    pub margin_call_level: f64,
    pub stop_out_level: f64,
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

/// Checks the two levels: percentages from 0 to 10000, stop-out below margin call.
pub fn check_levels(v: &mut Violations, margin_call: f64, stop_out: f64) {
    let ok = |x: f64| x.is_finite() && (0.0..=10_000.0).contains(&x);
    if !ok(margin_call) {
        v.push("marginCallLevel", "must be a percentage from 0 to 10000");
    }
    if !ok(stop_out) {
        v.push("stopOutLevel", "must be a percentage from 0 to 10000");
    } else if ok(margin_call) && stop_out >= margin_call {
        v.push("stopOutLevel", "must be below marginCallLevel");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_and_levels() {
        assert!(object_list("markups", &serde_json::json!([{"a": 1}])).is_ok());
        assert!(object_list("markups", &serde_json::json!([1])).is_err());
        let mut v = Violations::new();
        check_levels(&mut v, 50.0, 80.0);
        assert!(v.finish().is_err());
        let mut v = Violations::new();
        check_levels(&mut v, 100.0, 50.0);
        assert!(v.finish().is_ok());
    }
}
