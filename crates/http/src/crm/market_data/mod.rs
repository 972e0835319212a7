//! Market data: the staff's admin of the Retail Services API (seed 003) — applications with
//! their keys and rules, feeds, and the accounts with their subscriptions, agreements and
//! history. Our own tags (seed 002 has none for it).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod accounts;
pub mod applications;
pub mod feeds;
mod tag;

pub use tag::TAG;

/// The routes of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(applications::routes())
        .merge(feeds::routes())
        .merge(accounts::routes())
}
