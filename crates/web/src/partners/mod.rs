//! Partners screens: introducers (IBs) and their downline, the commission ledger with its
//! corrections, the payout queue, marketing banners.

pub mod banners;
pub mod commission;
pub mod commissions;
pub mod introducer;
pub mod introducers;
pub mod payouts;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin/partners", get(introducers::page))
        .route("/admin/partners/{id}", get(introducer::page))
        .route("/admin/commissions", get(commissions::page))
        .route("/admin/commissions/{id}", get(commission::page).post(commission::correct))
        .route("/admin/payouts", get(payouts::page))
        .route("/admin/payouts/{id}/approve", post(payouts::approve))
        .route("/admin/payouts/{id}/reject", post(payouts::reject))
        .route(
            "/admin/banners",
            get(banners::page)
                .post(banners::upload)
                .layer(axum::extract::DefaultBodyLimit::max(banners::MAX_BODY)),
        )
        .route("/admin/banners/{id}/window", post(banners::window))
        .route("/admin/banners/{id}/delete", post(banners::delete))
}
