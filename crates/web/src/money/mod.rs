//! Money screens: the withdrawal queue; transactions with their XLSX export.

pub mod transactions;
pub mod withdrawals;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/transactions", get(transactions::page))
        .route("/admin/transactions/export", get(transactions::export_xlsx))
        .route("/admin/withdrawals", get(withdrawals::page))
        .route("/admin/withdrawals/{id}/approve", post(withdrawals::approve))
        .route("/admin/withdrawals/{id}/reject", post(withdrawals::reject))
        .route("/admin/withdrawals/{id}/refund", post(withdrawals::refund))
}
