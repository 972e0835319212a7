//! A pending order moved from its position's page: the new limit or stop price and the
//! position's stops, through the API's "Update order by ID" (ManagePositions; the use case
//! checks the price against the market and the stops against the price, and audits the change)
//! (`app::trading::positions::orders::{get, update}`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::trading::positions::OrderView;
use brokercrm_app::trading::positions::orders::{self, OrderUpdate};

use super::stops::{NAMES as STOPS, fields, typed};
use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::resource::{Field, Form, Values};
use crate::session::Staff;

/// `app` field names → form field names (the price field is named after the order's type).
const NAMES: [(&str, &str); 2] = [("limitPrice", "limit_price"), ("stopPrice", "stop_price")];

fn empty(o: &OrderView) -> Form {
    let legend = format!("Move the pending {} order {}", o.kind.to_lowercase(), o.id);
    let (name, label, price) = match &o.limit_price {
        Some(p) => ("limit_price", "Limit price", p.clone()),
        None => ("stop_price", "Stop price", o.stop_price.clone().unwrap_or_default()),
    };
    Form::post("order-form", format!("/admin/orders/{}", o.id), legend)
        .submit("Move order")
        .field(Field::text(name, label).value(price).required())
}

/// The form of pending order `o` (its price and its position's stops).
pub fn form(o: &OrderView) -> Form {
    let (sl, tp) = (o.stop_loss.clone(), o.take_profit.clone());
    fields(empty(o), sl, tp, o.trailing_stop_loss_pct.clone())
}

/// `POST /admin/orders/{id}`: moves the order; back to its position.
pub async fn save(
    State(web): State<Web>,
    staff: Staff,
    Path(id): Path<i64>,
    Posted(f): Posted<Values>,
) -> Result<Response, WebError> {
    let who = staff.principal();
    let u = OrderUpdate {
        limit_price: typed(&f, "limit_price"),
        stop_price: typed(&f, "stop_price"),
        stop_loss: typed(&f, "stop_loss"),
        take_profit: typed(&f, "take_profit"),
        trailing_pct: typed(&f, "trailing_pct"),
    };
    match orders::update(&web.app, who, id, u).await {
        Ok(o) => {
            let to = format!("/admin/positions/{}?done=moved", o.position_id);
            Ok(Redirect::to(&to).into_response())
        }
        Err(e) if is_form_error(&e) => {
            let o = orders::get(&web.app, who, id).await?;
            let names: Vec<(&str, &str)> = NAMES.into_iter().chain(STOPS).collect();
            let refused = fields(empty(&o), None, None, None).refused(&f, &e, &names);
            super::position::render(&web, &staff, o.position_id, Some(refused), None).await
        }
        Err(e) => Err(e.into()),
    }
}
