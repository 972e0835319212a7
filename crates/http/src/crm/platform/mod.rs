//! Platform: the plumbing every context stands on. Its CRM API tags (seed 002).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod activities;
pub mod adapters;
pub mod countries;
pub mod health;
pub mod settings;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(activities::routes())
        .merge(adapters::routes())
        .merge(countries::routes())
        .merge(health::routes())
        .merge(settings::routes())
}
