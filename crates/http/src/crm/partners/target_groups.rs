//! Seed 002 tag Target Groups (1 operation): the trading groups an introducer may target.

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::partners::affiliates;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;

/// A trading group (never its markups or commissions).
#[derive(Debug, Serialize, ToSchema)]
pub struct TargetGroupDto {
    pub id: i64,
    pub name: String,
    pub currency: String,
}

/// `{"targetGroups": [...]}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TargetGroupsDto {
    pub target_groups: Vec<TargetGroupDto>,
}

/// The trading groups the caller's promotion links may place clients in.
#[utoipa::path(
    get, path = "/api/me/target-groups", tag = "Target Groups",
    summary = "Get target groups for the authenticated affiliate user",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The groups", body = TargetGroupsDto),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody)
    )
)]
pub async fn get_target_groups(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<TargetGroupsDto>> {
    let target_groups = affiliates::target_groups(&app, &p)
        .await?
        .into_iter()
        .map(|g| TargetGroupDto { id: g.id, name: g.name, currency: g.currency })
        .collect();
    Ok(axum::Json(TargetGroupsDto { target_groups }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(get_target_groups))
}
