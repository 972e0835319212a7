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

fn empty(o: &OrderView) -> Form {
    let legend = format!("Move the pending {} order {}", o.kind.to_lowercase(), o.id);
    let label = if o.kind == "LIMIT" { "Limit price" } else { "Stop price" };
    Form::post("order-form", format!("/admin/orders/{}", o.id), legend)
        .submit("Move order")
        .field(
            Field::text("price", label)
                .value(o.limit_price.clone().or(o.stop_price.clone()).unwrap_or_default())
                .required(),
        )
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
    let o = orders::get(&web.app, who, id).await?;
    let price = typed(&f, "price");
    let (limit_price, stop_price) =
        if o.kind == "LIMIT" { (price, None) } else { (None, price) };
    let u = OrderUpdate {
        limit_price,
        stop_price,
        stop_loss: typed(&f, "stop_loss"),
        take_profit: typed(&f, "take_profit"),
        trailing_pct: typed(&f, "trailing_pct"),
    };
    let position = o.position_id;
    match orders::update(&web.app, who, id, u).await {
        Ok(_) => Ok(Redirect::to(&format!("/admin/positions/{position}?done=moved")).into_response()),
        Err(e) if is_form_error(&e) => {
            let names: Vec<(&str, &str)> =
                [("limitPrice", "price"), ("stopPrice", "price")].into_iter().chain(STOPS).collect();
            let refused = fields(empty(&o), None, None, None).refused(&f, &e, &names);
            super::position::render(&web, &staff, position, Some(refused), None).await
        }
        Err(e) => Err(e.into()),
    }
}
