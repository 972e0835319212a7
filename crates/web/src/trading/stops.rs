//! An open position's stops on its page: stop loss, take profit and trailing stop %, each
//! replaced by what is posted (blank removes it, a field not sent is kept), through the API's "Update position by ID"
//! (ManagePositions; the use case checks them against the market and audits the change)
//! (`app::trading::positions::edit::update`). The stop fields and their names are shared with
//! the pending order and the new position forms.

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::trading::positions::PositionView;
use brokercrm_app::trading::positions::edit::{self, PositionUpdate};
use serde_json::Value;

use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::resource::{Field, Form, Values};
use crate::session::Staff;

/// `app` field names of the stops → form field names.
pub const NAMES: [(&str, &str); 4] = [
    ("stopLoss", "stop_loss"),
    ("takeProfit", "take_profit"),
    ("tailingStopLossPct", "trailing_pct"),
    ("trailingStopLossPct", "trailing_pct"),
];

/// Field `name` as the use cases read a typed decimal: not sent, `None` (unchanged); blank,
/// an empty string (none, or removed).
pub fn typed(f: &Values, name: &str) -> Option<Value> {
    f.has(name).then(|| Value::String(f.get(name).to_owned()))
}

/// `form` with the stop loss, take profit and trailing stop fields, filled with the current
/// values.
pub fn fields(
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

fn empty(id: i64) -> Form {
    Form::post("stops-form", format!("/admin/positions/{id}"), "Stops").submit("Save stops")
}

/// The stops form of open position `p`.
pub fn form(p: &PositionView) -> Form {
    let s = |d: Option<rust_decimal::Decimal>| d.map(|d| d.to_string());
    fields(empty(p.id), s(p.stop_loss), s(p.take_profit), p.tailing_stop_loss_pct.clone())
}

/// `POST /admin/positions/{id}`: replaces the position's stops.
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let u = PositionUpdate {
        stop_loss: typed(&f, "stop_loss"),
        take_profit: typed(&f, "take_profit"),
        trailing_pct: typed(&f, "trailing_pct"),
        ..PositionUpdate::default()
    };
    match edit::update(&web.app, staff.principal(), id, u).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/positions/{id}?done=stops")).into_response()),
        Err(e) if is_form_error(&e) => {
            let refused = fields(empty(id), None, None, None).refused(&f, &e, &NAMES);
            super::position::render(&web, &staff, id, Some(refused), None).await
        }
        Err(e) => Err(e.into()),
    }
}
