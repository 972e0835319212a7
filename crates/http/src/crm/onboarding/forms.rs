//! Seed 002 tag Forms (1 operation): the fields of one onboarding step's form.

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::onboarding::fields;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::customer_fields::CustomerFieldConfigurationsResponse;
use crate::error::{ApiResult, ErrorBody};

/// The fields the form of `step` shows, requires and lets the client edit (public: the
/// sign-up form is read before anyone signs in).
#[utoipa::path(
    get, path = "/api/forms/{step}", tag = "Forms",
    summary = "Get form attribute configurations for a specific step",
    params(("step" = String, Path, description = "The onboarding step, e.g. `SignupRealForm`")),
    responses(
        (status = 200, description = "The form's fields", body = CustomerFieldConfigurationsResponse),
        (status = 404, description = "No such step", body = ErrorBody)
    )
)]
pub async fn get_form(
    State(app): State<App>,
    Path(step): Path<String>,
) -> ApiResult<Json<CustomerFieldConfigurationsResponse>> {
    Ok(Json(CustomerFieldConfigurationsResponse::of(fields::form(&app, &step).await?)))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(get_form))
}
