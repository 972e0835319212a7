//! Money screens: the withdrawal queue.

pub mod withdrawals;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/withdrawals", get(withdrawals::page))
        .route("/admin/withdrawals/{id}/approve", post(withdrawals::approve))
        .route("/admin/withdrawals/{id}/reject", post(withdrawals::reject))
        .route("/admin/withdrawals/{id}/refund", post(withdrawals::refund))
}
