//! Lead distribution screens: offers (edit, enable/disable) and their caps.

pub mod offers;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/offers", get(offers::list_page))
        .route("/admin/offers/{id}", get(offers::page).post(offers::save))
        .route("/admin/offers/{id}/caps", post(offers::add_cap))
        .route("/admin/offers/{id}/caps/{cap}", post(offers::set_cap))
}
