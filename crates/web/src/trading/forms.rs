//! The trading forms as data (`resource::Form`), apart from their handlers so that a page and
//! the handler that re-renders it do not import each other: an open position's stops, a
//! pending order's price with its position's stops, and the stop fields and the reading of
//! typed decimals shared with the new position form.

use brokercrm_app::trading::positions::{OrderView, PositionView};
use serde_json::Value;

use crate::resource::{Field, Form, Values};

/// `app` field names of the stops → form field names.
pub const STOPS: [(&str, &str); 4] = [
    ("stopLoss", "stop_loss"),
    ("takeProfit", "take_profit"),
    ("tailingStopLossPct", "trailing_pct"),
    ("trailingStopLossPct", "trailing_pct"),
];

/// `app` field names of an order's price → form field names (named after the order's type).
pub const PRICES: [(&str, &str); 2] = [("limitPrice", "limit_price"), ("stopPrice", "stop_price")];

/// Field `name` as the use cases read a typed decimal: not sent, `None` (unchanged); blank,
/// an empty string (none, or removed).
pub fn typed(f: &Values, name: &str) -> Option<Value> {
    f.has(name).then(|| Value::String(f.get(name).to_owned()))
}

/// `form` with the stop loss, take profit and trailing stop fields, filled with the current
/// values.
pub fn with_stops(
    form: Form,
    sl: Option<String>,
    tp: Option<String>,
    trailing: Option<String>,
) -> Form {
    let blank = "Blank: none.";
    form.field(Field::text("stop_loss", "Stop loss").value(sl.unwrap_or_default()).hint(blank))
        .field(Field::text("take_profit", "Take profit").value(tp.unwrap_or_default()).hint(blank))
        .field(
            Field::text("trailing_pct", "Trailing stop %")
                .value(trailing.unwrap_or_default())
                .hint("Above 0, at most 50. Blank: none."),
        )
}

/// The stops form of position `id`, its fields blank (for a refusal to fill in).
pub fn stops_blank(id: i64) -> Form {
    let f = Form::post("stops-form", format!("/admin/positions/{id}"), "Stops");
    with_stops(f.submit("Save stops"), None, None, None)
}

/// The stops form of open position `p`.
pub fn stops(p: &PositionView) -> Form {
    let s = |d: Option<rust_decimal::Decimal>| d.map(|d| d.to_string());
    let f = Form::post("stops-form", format!("/admin/positions/{}", p.id), "Stops");
    with_stops(
        f.submit("Save stops"),
        s(p.stop_loss),
        s(p.take_profit),
        p.tailing_stop_loss_pct.clone(),
    )
}

fn order_price(o: &OrderView) -> Form {
    let legend = format!("Move the pending {} order {}", o.kind.to_lowercase(), o.id);
    let (name, label, price) = match &o.limit_price {
        Some(p) => ("limit_price", "Limit price", p.clone()),
        None => ("stop_price", "Stop price", o.stop_price.clone().unwrap_or_default()),
    };
    Form::post("order-form", format!("/admin/orders/{}", o.id), legend)
        .submit("Move order")
        .field(Field::text(name, label).value(price).required())
}

/// The form of pending order `o` (its price and its position's stops); `blank`: the stops
/// left empty (for a refusal to fill in).
pub fn order(o: &OrderView, blank: bool) -> Form {
    let (sl, tp, tr) = if blank {
        (None, None, None)
    } else {
        (o.stop_loss.clone(), o.take_profit.clone(), o.trailing_stop_loss_pct.clone())
    };
    with_stops(order_price(o), sl, tp, tr)
}
