//! An open position's stops, posted from its page: stop loss, take profit and trailing stop
//! %, each replaced by what is posted (blank removes it, a field not sent is kept), through
//! the API's "Update position by ID" (ManagePositions; the use case checks them against the
//! market and audits the change) (`app::trading::positions::edit::update`).

use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use brokercrm_app::trading::positions::edit::{self, PositionUpdate};

use super::forms::{STOPS, stops_blank, typed};
use crate::Web;
use crate::error::WebError;
use crate::form::{Posted, is_form_error};
use crate::resource::Values;
use crate::session::Staff;

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
            let refused = stops_blank(id).refused(&f, &e, &STOPS);
            super::position::render(&web, &staff, id, Some(refused), None).await
        }
        Err(e) => Err(e.into()),
    }
}
