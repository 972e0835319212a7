//! Seed 002 tag Customer Field Configurations (2 operations): which customer fields each
//! form shows (listed), requires and lets the client edit; `step: null` is the profile.

use axum::Json;
use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::onboarding::fields;
use brokercrm_core::onboarding::fields::FieldConfig;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};

/// One field's configuration in one form (or the profile).
#[derive(Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerFieldConfiguration {
    /// `email`, `firstname`, `lastname`, `mobilenumber`, `country` or `communicationLanguage`.
    #[schema(example = "country")]
    pub field: String,
    /// The form's onboarding step; `null` for the profile.
    #[schema(example = "CompleteAccountBeforeDepositForm")]
    pub step: Option<String>,
    pub required: bool,
    pub editable: bool,
}

impl From<FieldConfig> for CustomerFieldConfiguration {
    fn from(c: FieldConfig) -> Self {
        Self { field: c.field, step: c.step, required: c.required, editable: c.editable }
    }
}

impl From<CustomerFieldConfiguration> for FieldConfig {
    fn from(c: CustomerFieldConfiguration) -> Self {
        Self { field: c.field, step: c.step, required: c.required, editable: c.editable }
    }
}

/// `{"customerFieldConfigurations": [...]}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerFieldConfigurationsResponse {
    pub customer_field_configurations: Vec<CustomerFieldConfiguration>,
}

impl CustomerFieldConfigurationsResponse {
    pub fn of(list: Vec<FieldConfig>) -> Self {
        Self { customer_field_configurations: list.into_iter().map(Into::into).collect() }
    }
}

/// Every configuration (any signed-in user: the client's profile page needs it).
#[utoipa::path(
    get, path = "/api/customer-field-configurations", tag = "Customer Field Configurations",
    summary = "Get all customer field configurations",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Every configuration", body = CustomerFieldConfigurationsResponse),
        (status = 401, description = "Not signed in", body = ErrorBody)
    )
)]
pub async fn list_field_configurations(
    State(app): State<App>,
    Auth(_actor): Auth,
) -> ApiResult<Json<CustomerFieldConfigurationsResponse>> {
    Ok(Json(CustomerFieldConfigurationsResponse::of(fields::list(&app).await?)))
}

/// Replaces the whole set (ManageOnboarding; audited).
#[utoipa::path(
    put, path = "/api/customer-field-configurations", tag = "Customer Field Configurations",
    summary = "Update customer field configurations",
    request_body = Vec<CustomerFieldConfiguration>,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The stored set", body = CustomerFieldConfigurationsResponse),
        (status = 403, description = "Missing ManageOnboarding", body = ErrorBody),
        (status = 422, description = "Unknown field or step, or a (field, step) twice (`[i].field`)", body = ErrorBody)
    )
)]
pub async fn update_field_configurations(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<Vec<CustomerFieldConfiguration>>,
) -> ApiResult<Json<CustomerFieldConfigurationsResponse>> {
    let list = b.into_iter().map(Into::into).collect();
    Ok(Json(CustomerFieldConfigurationsResponse::of(fields::update(&app, &actor, list).await?)))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list_field_configurations, update_field_configurations))
}
