//! Partners: IB commission models, the commission ledger, payout requests, introducers. Its
//! CRM API tags (seed 002).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod affiliate_keys;
pub mod affiliates;
pub mod analytics;
pub mod banners;
pub mod commission_ledgers;
pub mod commission_models;
pub mod dto;
pub mod earnings;
mod form;
pub mod introducers;
pub mod landing_pages;
pub mod payout_requests;
pub mod referrers;
pub mod report_export;
pub mod target_groups;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(commission_models::routes())
        .merge(commission_ledgers::routes())
        .merge(payout_requests::routes())
        .merge(introducers::routes())
        .merge(earnings::routes())
        .merge(affiliates::routes())
        .merge(affiliate_keys::routes())
        .merge(analytics::routes())
        .merge(banners::routes())
        .merge(referrers::routes())
        .merge(landing_pages::routes())
        .merge(target_groups::routes())
        .merge(report_export::routes())
}
