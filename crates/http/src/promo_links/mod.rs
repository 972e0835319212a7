//! Seed 004, the promotion-link API, served at its own path (`POST /v1/api/introduce/create`,
//! authenticated by `x-api-tenantId` + `x-api-token`, answering `{result, mcode, data,
//! errorMessage}`), and the live click redirect its `displayUrl` points at
//! (`GET /introduce?iid=<entityNo>`), and the IB portal's list of links
//! (`GET /api/me/promotion-links`).

pub mod click;
pub mod create;
pub mod envelope;
pub mod visible;

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

/// The seed's tag of these operations.
pub const TAG: &str = "Promotion Links";

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create::create_promotion_link))
        .routes(routes!(click::follow_promotion_link))
        .routes(routes!(visible::list_my_promotion_links))
}
