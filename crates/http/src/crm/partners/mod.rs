//! Partners: IB commission models, the commission ledger, payout requests, introducers. Its
//! CRM API tags (seed 002).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod commission_ledgers;
pub mod commission_models;
pub mod dto;
pub mod earnings;
pub mod introducers;
pub mod payout_requests;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(commission_models::routes())
        .merge(commission_ledgers::routes())
        .merge(payout_requests::routes())
        .merge(introducers::routes())
        .merge(earnings::routes())
}
