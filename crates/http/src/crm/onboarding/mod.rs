//! Onboarding: step stages, forms, customer field configurations, documents and KYC (seed
//! 002 tags Onboarding Step Configuration, Forms, Customer Field Configurations, Documents,
//! KYC).

use brokercrm_app::App;
use utoipa_axum::router::OpenApiRouter;

pub mod customer_fields;
pub mod documents;
pub mod forms;
pub mod kyc;
pub mod onboarding_steps;

/// The routes of every tag of this context.
pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .merge(onboarding_steps::routes())
        .merge(forms::routes())
        .merge(customer_fields::routes())
        .merge(documents::routes())
        .merge(kyc::routes())
}
