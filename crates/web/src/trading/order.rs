//! A pending order moved, posted from its position's page: the new limit or stop price and
//! the position's stops, through the API's "Update order by ID" (ManagePositions; the use case
//! checks the price against the market and the stops against the price, and audits the change)
//! (`app::trading::positions::orders::{update, get}`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::trading::positions::orders::{self, OrderUpdate};

use super::forms::{PRICES, STOPS, order, typed};
use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::resource::Values;
use crate::session::Staff;

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
            let names: Vec<(&str, &str)> = PRICES.into_iter().chain(STOPS).collect();
            let refused = order(&o, true).refused(&f, &e, &names);
            super::position::render(&web, &staff, o.position_id, Some(refused), None).await
        }
        Err(e) => Err(e.into()),
    }
}
