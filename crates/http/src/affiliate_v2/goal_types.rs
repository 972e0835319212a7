//! `GET /api/affiliates/v2/goal-types`: every goal type's name and UUID.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use brokercrm_app::App;
use brokercrm_app::distribution::intake::affiliate_api;
use serde::Serialize;
use utoipa::ToSchema;

use super::error::{AffContext, AffErrorBody, AffResult, Op};
use super::{TAG, caller};
use crate::extract::ClientIp;

#[derive(Serialize, ToSchema)]
pub struct GoalType {
    pub uuid: String,
    pub name: String,
}

/// Affiliates can get all goal names as well as their UUIDs using this request. Also served
/// without the `/api` prefix (`/affiliates/v2/goal-types`).
#[utoipa::path(
    get,
    path = "/api/affiliates/v2/goal-types",
    tag = TAG,
    summary = "Get goal types",
    security(("AffiliateToken" = [])),
    responses(
        (status = 200, description = "Every goal type", body = [GoalType]),
        (status = 401, description = "Authorization error", body = AffErrorBody),
        (status = 429, description = "More than 10 requests in 3 seconds", body = AffErrorBody)
    )
)]
pub async fn get_goal_types(
    State(app): State<App>,
    ip: ClientIp,
    headers: HeaderMap,
) -> AffResult<Json<Vec<GoalType>>> {
    let who = caller(&app, &headers, &ip, Op::Read).await?;
    affiliate_api::check_get_limit(&app, &who).await.during(Op::Read)?;
    let rows = affiliate_api::goal_types(&app).await.during(Op::Read)?;
    Ok(Json(rows.into_iter().map(|g| GoalType { uuid: g.uuid, name: g.name }).collect()))
}
