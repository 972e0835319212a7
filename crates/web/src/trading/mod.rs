//! Trading screens: instruments (list, one to view and edit, create, delete, a manual quote;
//! ReadInstruments, changes ManageInstruments), positions (list with the API's filters, one
//! with its orders, its stops and staff close, a new one for a customer), pending orders (move,
//! cancel) and the risk exposures with live quotes (ReadPositions, changes ManagePositions) —
//! over the same `app::trading` use cases as the API.

pub mod forms;
pub mod instrument;
pub mod instruments;
pub mod open;
pub mod order;
pub mod orders;
pub mod position;
pub mod positions;
pub mod quote;
pub mod risk;
pub mod stops;
pub mod tabs;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/instruments", get(instruments::page).post(instrument::create))
        .route("/admin/instruments/new", get(instrument::new_page))
        .route("/admin/instruments/{id}", get(instrument::page).post(instrument::save))
        .route("/admin/instruments/{id}/delete", post(instruments::delete))
        .route("/admin/instruments/{id}/quote", post(quote::set))
        .route("/admin/positions", get(positions::page).post(open::create))
        .route("/admin/positions/new", get(open::page))
        .route("/admin/positions/{id}", get(position::page).post(stops::save))
        .route("/admin/positions/{id}/close", post(position::close))
        .route("/admin/orders", get(orders::page))
        .route("/admin/orders/{id}", post(order::save))
        .route("/admin/orders/{id}/cancel", post(orders::cancel))
        .route("/admin/risk", get(risk::page))
        .route("/admin/risk/live", get(risk::live))
}
