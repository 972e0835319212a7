//! The CRM API (seed 002): one folder per bounded context and one module per seed tag, merged into one OpenAPI router.

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod distribution;
pub mod identity;
pub mod market_data;
pub mod messaging;
pub mod money;
pub mod onboarding;
pub mod partners;
pub mod platform;
pub mod sales;
pub mod trading;

/// Every CRM tag's routes, context by context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(platform::routes())
        .merge(identity::routes())
        .merge(distribution::routes())
        .merge(sales::routes())
        .merge(onboarding::routes())
        .merge(money::routes())
        .merge(trading::routes())
        .merge(partners::routes())
        .merge(messaging::routes())
        .merge(market_data::routes())
}
