//! Sales screens: the dashboard, customers and a customer's 360° page, the KYC review queue
//! and a customer's KYC page, the leads list and a lead's page (status, assignment, comments,
//! communications), the CSV import; sales desks and statuses.

pub mod customers;
pub mod dashboard;
pub mod desks;
pub mod import;
pub mod kyc;
pub mod kyc_review;
pub mod lead;
pub mod leads;

use axum::Router;
use axum::routing::{get, post};

use crate::Web;

pub fn routes() -> Router<Web> {
    Router::new()
        .route("/admin", get(dashboard::page))
        .route("/admin/", get(dashboard::page))
        .route("/admin/customers", get(customers::list_page))
        .route("/admin/customers/{id}", get(customers::page))
        .route("/admin/customers/{id}/comment", post(customers::comment))
        .route("/admin/customers/{id}/impersonate", post(customers::impersonate))
        .route("/admin/kyc", get(kyc::page))
        .route("/admin/kyc/{id}", get(kyc_review::page))
        .route("/admin/kyc/{id}/approve", post(kyc_review::approve))
        .route("/admin/kyc/{id}/revoke", post(kyc_review::revoke))
        .route("/admin/kyc/{id}/reset", post(kyc_review::reset))
        .route("/admin/kyc/{id}/reject", post(kyc_review::reject))
        .route("/admin/kyc/{id}/documents/{doc}", post(kyc_review::open))
        .route("/admin/leads", get(leads::page))
        .route(
            "/admin/leads/import",
            get(import::form)
                .post(import::upload)
                .layer(axum::extract::DefaultBodyLimit::max(import::MAX_FILE)),
        )
        .route("/admin/leads/imports/{id}", get(import::progress))
        .route("/admin/leads/bulk", post(leads::bulk))
        .route("/admin/leads/{id}", get(lead::page))
        .route("/admin/leads/{id}/comment", post(lead::comment))
        .route("/admin/leads/{id}/status", post(lead::status))
        .route("/admin/leads/{id}/assign", post(lead::assign))
        .route("/admin/leads/{id}/claim", post(lead::claim))
        .route("/admin/sales-setup", get(desks::page))
        .route("/admin/sales-setup/desks", post(desks::create_desk))
        .route("/admin/sales-setup/desks/{id}", get(desks::desk).post(desks::save_desk))
        .route("/admin/sales-setup/desks/{id}/delete", post(desks::delete_desk))
        .route("/admin/sales-setup/statuses", post(desks::create_status))
        .route("/admin/sales-setup/statuses/{id}", get(desks::status).post(desks::save_status))
}
