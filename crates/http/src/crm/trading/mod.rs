//! Trading: instruments, prices and market data, downtimes, NEO choices, positions and
//! orders, risk, watchlists. Its CRM API tags (seed 002), and the live-update streams.

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod choices;
pub mod downtimes;
pub mod instruments;
pub mod market_data;
pub mod orders;
pub mod positions;
pub mod risk;
pub mod stream;
pub mod watchlists;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(choices::routes())
        .merge(downtimes::routes())
        .merge(instruments::routes())
        .merge(market_data::routes())
        .merge(positions::routes())
        .merge(orders::routes())
        .merge(risk::routes())
        .merge(watchlists::routes())
        .merge(stream::routes())
}
