//! Messaging screens: staff messages to one customer or to all customers.

pub mod messages;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/messages", get(messages::page))
        .route("/admin/messages/customer", post(messages::send_to_customer))
        .route("/admin/messages/all", post(messages::send_to_all))
}
