//! The CRM API (seed 002): one module per seed tag, merged into one OpenAPI router.

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod activities;
pub mod adapters;
pub mod api_keys;
pub mod conversions;
pub mod countries;
pub mod exchange_rates;
pub mod forgot_password;
pub mod health;
pub mod lead_distribution;
pub mod oauth_clients;
pub mod payment_providers;
pub mod sessions;
pub mod settings;
pub mod users;

/// Every CRM tag's routes.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(activities::routes())
        .merge(adapters::routes())
        .merge(api_keys::routes())
        .merge(conversions::routes())
        .merge(countries::routes())
        .merge(exchange_rates::routes())
        .merge(forgot_password::routes())
        .merge(health::routes())
        .merge(lead_distribution::routes())
        .merge(oauth_clients::routes())
        .merge(payment_providers::routes())
        .merge(sessions::routes())
        .merge(settings::routes())
        .merge(users::routes())
}
