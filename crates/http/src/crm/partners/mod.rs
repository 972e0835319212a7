//! Partners: IB and affiliate commission models (the commission engine next). Its CRM API tags (seed 002).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod commission_models;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().merge(commission_models::routes())
}
