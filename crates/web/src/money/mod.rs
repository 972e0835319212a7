//! Money screens: the withdrawal queue; transactions with their XLSX export; wallets;
//! bonus rules; payment providers.

pub mod bonuses;
pub mod providers;
pub mod transactions;
pub mod wallets;
pub mod withdrawals;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/transactions", get(transactions::page))
        .route("/admin/transactions/export", get(transactions::export_xlsx))
        .route("/admin/wallets", get(wallets::page))
        .route("/admin/payment-providers", get(providers::list))
        .route("/admin/payment-providers/{id}", get(providers::page).post(providers::save))
        .route("/admin/bonuses", get(bonuses::list).post(bonuses::create))
        .route("/admin/bonuses/{id}", get(bonuses::page).post(bonuses::save))
        .route("/admin/bonuses/{id}/delete", post(bonuses::delete))
        .route("/admin/withdrawals", get(withdrawals::page))
        .route("/admin/withdrawals/{id}/approve", post(withdrawals::approve))
        .route("/admin/withdrawals/{id}/reject", post(withdrawals::reject))
        .route("/admin/withdrawals/{id}/refund", post(withdrawals::refund))
}
