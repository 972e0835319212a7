//! Trading: trading groups, instruments, prices and market data (orders, positions and risk
//! next). Its CRM API tags (seed 002).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod choices;
pub mod downtimes;
pub mod groups;
pub mod instruments;
pub mod market_data;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(groups::routes())
        .merge(choices::routes())
        .merge(downtimes::routes())
        .merge(instruments::routes())
        .merge(market_data::routes())
}
