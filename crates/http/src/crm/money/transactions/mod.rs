//! Seed 002 tags Transactions and Withdraw, and the deposit flow (our tag Deposits): staff
//! list, read, export and decide transactions under `/api/transactions`; clients withdraw and
//! deposit under `/api/me/...`; providers call back under `/api/payment-providers/{id}/callback`.

pub mod admin;
pub mod deposits;
pub mod dto;
pub mod export;
pub mod withdraw;

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

/// Every route of the two tags and the deposit flow.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(admin::routes())
        .merge(export::routes())
        .merge(withdraw::routes())
        .merge(deposits::routes())
}
