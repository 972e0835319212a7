//! Seed 002 tag Wallets: the staff operations under `/api/wallets` and the client's own
//! wallets under `/api/me/wallets`. Money is read from and moved through the ledger.

pub mod admin;
pub mod client;
pub mod dto;

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

/// Both halves of the tag.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().merge(admin::routes()).merge(client::routes())
}
