//! Seed 002 tag Onboarding Step Configuration (4 operations): which step belongs to which
//! stage, the stages, and the authenticated client's pending steps before a stage.

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::onboarding::{progress, steps};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};

pub use brokercrm_app::onboarding::steps::StepConfig;

/// `{"configurations": [{"step": "KYC", "stage": "BeforeDeposit"}, ...]}`.
#[derive(Serialize, ToSchema)]
pub struct StepConfigurationsResponse {
    pub configurations: Vec<StepConfig>,
}

/// `{"stages": ["SignUp", "BeforeSignIn", "BeforeDeposit", "BeforeWithdrawal"]}`.
#[derive(Serialize, ToSchema)]
pub struct StagesResponse {
    pub stages: Vec<&'static str>,
}

/// Body of the update: the stage, or `null`/`""` for none.
#[derive(Deserialize, ToSchema)]
pub struct UpdateStepRequest {
    #[schema(example = "BeforeDeposit")]
    pub stage: Option<String>,
}

/// `{"success": true, "configuration": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct UpdateStepResponse {
    pub success: bool,
    pub configuration: StepConfig,
}

/// `{"steps": ["EmailConfirmation", "KYC"]}`.
#[derive(Serialize, ToSchema)]
pub struct PendingStepsResponse {
    pub steps: Vec<&'static str>,
}

/// Every step with its stage (public: the portal reads it before sign-in).
#[utoipa::path(
    get, path = "/api/onboarding-steps", tag = "Onboarding Step Configuration",
    summary = "Get all onboarding step configurations",
    responses((status = 200, description = "Each step and its stage (`null`: none)", body = StepConfigurationsResponse))
)]
pub async fn list_step_configurations(
    State(app): State<App>,
) -> ApiResult<Json<StepConfigurationsResponse>> {
    Ok(Json(StepConfigurationsResponse { configurations: steps::list(&app).await? }))
}

/// The stages in the order a customer meets them (public).
#[utoipa::path(
    get, path = "/api/onboarding-stages", tag = "Onboarding Step Configuration",
    summary = "Get all onboarding stages",
    responses((status = 200, description = "The stages", body = StagesResponse))
)]
pub async fn list_stages() -> Json<StagesResponse> {
    Json(StagesResponse { stages: steps::stages() })
}

/// Places a step at a stage, or at none (ManageOnboarding; audited).
#[utoipa::path(
    put, path = "/api/onboarding-steps/{step}", tag = "Onboarding Step Configuration",
    summary = "Update onboarding step configuration",
    params(("step" = String, Path, description = "The onboarding step, e.g. `KYC`")),
    request_body = UpdateStepRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = UpdateStepResponse),
        (status = 403, description = "Missing ManageOnboarding", body = ErrorBody),
        (status = 404, description = "No such step", body = ErrorBody),
        (status = 422, description = "Unknown stage, or a step that cannot be done at it (`stage`)", body = ErrorBody)
    )
)]
pub async fn update_step_configuration(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(step): Path<String>,
    JsonBody(b): JsonBody<UpdateStepRequest>,
) -> ApiResult<Json<UpdateStepResponse>> {
    let configuration = steps::update(&app, &actor, &step, b.stage.as_deref()).await?;
    Ok(Json(UpdateStepResponse { success: true, configuration }))
}

/// The caller's steps still to do before `stage` (stages are cumulative).
#[utoipa::path(
    get, path = "/api/me/onboarding-stages/{stage}/pending-steps",
    tag = "Onboarding Step Configuration",
    summary = "Get pending onboarding steps for the authenticated user for a specific stage",
    params(("stage" = String, Path, description = "`SignUp`, `BeforeSignIn`, `BeforeDeposit` or `BeforeWithdrawal`")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Pending steps, in order (none for staff)", body = PendingStepsResponse),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "No such stage", body = ErrorBody)
    )
)]
pub async fn pending_steps(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(stage): Path<String>,
) -> ApiResult<Json<PendingStepsResponse>> {
    let steps = progress::pending(&app, &actor, &stage).await?;
    Ok(Json(PendingStepsResponse { steps: steps.into_iter().map(|s| s.as_str()).collect() }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_step_configurations))
        .routes(routes!(list_stages))
        .routes(routes!(update_step_configuration))
        .routes(routes!(pending_steps))
}
