//! Live updates over WebSocket: `GET /api/trading/stream` (a client's quotes, positions,
//! orders and wallets) and `GET /api/risk/stream` (staff: the risk exposures). Authenticated
//! like the API before the upgrade (401/403 are plain HTTP answers): the bearer header, or
//! `?accessToken=` since browsers cannot set headers on a WebSocket ([`socket`]). Messages:
//! [`wire`].

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub mod client;
pub mod risk;
pub mod socket;
pub mod wire;

/// The routes of both streams.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(client::stream_trading)).routes(routes!(risk::stream_risk))
}
