//! Trading screens: instruments (list, one to view and edit, create, delete; ReadInstruments,
//! changes ManageInstruments), positions (list with the API's filters, one with its orders,
//! staff close), pending orders (cancel) and the risk exposures with live quotes (ReadPositions,
//! changes ManagePositions) — over the same `app::trading` use cases as the API.

pub mod instrument;
pub mod instruments;
pub mod orders;
pub mod position;
pub mod positions;
pub mod risk;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

/// The tabs of the position screens: label, URL, key.
pub const TABS: [(&str, &str, &str); 3] = [
    ("Positions", "/admin/positions", "positions"),
    ("Pending orders", "/admin/orders", "orders"),
    ("Exposures", "/admin/risk", "risk"),
];

/// The tab links above the position screens, with `current` marked.
pub fn tabs(current: &str) -> Vec<(String, String)> {
    TABS.iter()
        .filter(|(_, _, key)| *key != current)
        .map(|(label, href, _)| ((*label).to_owned(), (*href).to_owned()))
        .collect()
}

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/instruments", get(instruments::page).post(instrument::create))
        .route("/admin/instruments/new", get(instrument::new_page))
        .route("/admin/instruments/{id}", get(instrument::page).post(instrument::save))
        .route("/admin/instruments/{id}/delete", post(instruments::delete))
        .route("/admin/positions", get(positions::page))
        .route("/admin/positions/{id}", get(position::page))
        .route("/admin/positions/{id}/close", post(position::close))
        .route("/admin/orders", get(orders::page))
        .route("/admin/orders/{id}/cancel", post(orders::cancel))
        .route("/admin/risk", get(risk::page))
        .route("/admin/risk/live", get(risk::live))
}
