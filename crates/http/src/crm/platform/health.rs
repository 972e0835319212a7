//! Seed 002 tag Health: liveness with a database round trip.

use axum::Json;
use axum::extract::State;
use brokercrm_app::App;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};

#[derive(Serialize, ToSchema)]
pub struct HealthResponse {
    pub success: bool,
}

/// Checks that the service and its database answer.
#[utoipa::path(
    get,
    path = "/api/health",
    tag = "Health",
    summary = "Health check",
    responses(
        (status = 200, description = "Service and database are up", body = HealthResponse),
        (status = 500, description = "Database unreachable", body = ErrorBody)
    )
)]
pub async fn health_check(State(app): State<App>) -> ApiResult<Json<HealthResponse>> {
    app.db().ping().await?;
    Ok(Json(HealthResponse { success: true }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(health_check))
}
