//! Seed 002 tags "Customers - Admin APIs" (`/api/customers...`) and "Customers - Affiliate
//! APIs" (`/api/affiliates/customers...`, `/api/affiliates/wallet`).

pub mod admin;
pub mod affiliate;
pub mod documents;
pub mod dto;
pub mod kyc;

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// Both tags' routes.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(
            admin::list_customers,
            admin::create_customer,
            admin::bulk_update_customers
        ))
        .routes(routes!(admin::get_customer_ids))
        .routes(routes!(admin::get_customer, admin::update_customer))
        .routes(routes!(admin::send_customer_email))
        .routes(routes!(documents::get_customer_documents, documents::upload_customer_document))
        .layer(documents::body_limit())
        .routes(routes!(kyc::approve_kyc))
        .routes(routes!(kyc::revoke_kyc))
        .routes(routes!(kyc::reset_kyc))
        .routes(routes!(affiliate::affiliate_create_customer, affiliate::affiliate_get_customers))
        .routes(routes!(affiliate::affiliate_count_customers))
        .routes(routes!(affiliate::affiliate_export_customers))
        .routes(routes!(affiliate::affiliate_show_customer, affiliate::affiliate_update_customer))
        .routes(routes!(affiliate::get_affiliate_wallet))
}
