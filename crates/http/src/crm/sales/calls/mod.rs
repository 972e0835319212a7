//! Seed 002 tag Calls: the VoIP provider set-up (admins), call agents per customer and calls
//! started by agents (customer or lead in scope), and the providers' webhooks.

pub mod agents;
pub mod dto;
pub mod setup;
pub mod webhooks;

use brokercrm_app::App;
pub use dto::SuccessDto;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(setup::update_voip_url))
        .routes(routes!(setup::get_voip_provider, setup::update_voip_provider))
        .routes(routes!(setup::update_voiso_api_key, setup::get_voip_api_key))
        .routes(routes!(setup::check_voip_provider))
        .routes(routes!(setup::get_request_url))
        .routes(routes!(webhooks::coperato_webhook))
        .routes(routes!(webhooks::voiso_webhook))
        .routes(routes!(agents::configure_call_agent))
        .routes(routes!(agents::list_customers_with_agents))
        .routes(routes!(agents::call_customer))
        .routes(routes!(agents::call_lead))
}
