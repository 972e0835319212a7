//! Goal types: "Lead" and "FTD" (system) and staff-defined conversion goals.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::distribution::goal_types::{self, GoalTypeView};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::PageQuery;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, StrictQuery};

/// Body of "Create goal type" and "Rename goal type".
#[derive(Debug, Deserialize, ToSchema)]
pub struct GoalTypeRequest {
    /// Unique name, 1-100 characters.
    #[schema(example = "Second deposit")]
    pub name: String,
}

/// Lists goal types by id (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/goal-types", tag = "Lead Distribution",
    summary = "List goal types",
    params(PageQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Goal types", body = [GoalTypeView]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_goal_types(
    State(app): State<App>,
    Auth(p): Auth,
    StrictQuery(q): StrictQuery<PageQuery>,
) -> ApiResult<axum::Json<Vec<GoalTypeView>>> {
    let page = q.page()?;
    let rows = goal_types::list(&app, &p, page).await?;
    Ok(axum::Json(rows))
}

/// Creates a goal type (ManageLeadDistribution); a taken name is a 409. Audited.
#[utoipa::path(
    post, path = "/api/lead-distribution/goal-types", tag = "Lead Distribution",
    summary = "Create goal type",
    request_body = GoalTypeRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = GoalTypeView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
        (status = 422, description = "Invalid `name`", body = ErrorBody)
    )
)]
pub async fn create_goal_type(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<GoalTypeRequest>,
) -> ApiResult<(StatusCode, axum::Json<GoalTypeView>)> {
    let g = goal_types::create(&app, &p, &b.name).await?;
    Ok((StatusCode::CREATED, axum::Json(g)))
}

/// Renames a goal type (ManageLeadDistribution); system ones keep their names. Audited.
#[utoipa::path(
    patch, path = "/api/lead-distribution/goal-types/{uuid}", tag = "Lead Distribution",
    summary = "Rename goal type",
    params(("uuid" = String, Path, description = "Public id of the goal type")),
    request_body = GoalTypeRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Renamed", body = GoalTypeView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown goal type", body = ErrorBody),
        (status = 409, description = "Name taken", body = ErrorBody),
        (status = 422, description = "Invalid `name`, or a system goal type", body = ErrorBody)
    )
)]
pub async fn rename_goal_type(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    Json(b): Json<GoalTypeRequest>,
) -> ApiResult<axum::Json<GoalTypeView>> {
    Ok(axum::Json(goal_types::rename(&app, &p, &uuid, &b.name).await?))
}

/// Deletes a goal type (ManageLeadDistribution); system ones and ones with conversions are a
/// 409. Audited.
#[utoipa::path(
    delete, path = "/api/lead-distribution/goal-types/{uuid}", tag = "Lead Distribution",
    summary = "Delete goal type",
    params(("uuid" = String, Path, description = "Public id of the goal type")),
    security(("BearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown goal type", body = ErrorBody),
        (status = 409, description = "System goal type, or it has conversions", body = ErrorBody)
    )
)]
pub async fn delete_goal_type(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> ApiResult<StatusCode> {
    goal_types::delete(&app, &p, &uuid).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_goal_types, create_goal_type))
        .routes(routes!(rename_goal_type, delete_goal_type))
}
