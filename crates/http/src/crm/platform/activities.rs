//! Seed 002 tag Activities: the audit log (paged, filtered) and hand-made entries.

use axum::Json;
use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::platform::activities::{self, Activity, ListParams};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, ClientIp, Json as JsonBody, Query};

/// Query of "List all activities".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListActivitiesQuery {
    /// Page size, 1 to 100.
    #[param(required = true, value_type = u32, example = 20)]
    pub limit: Option<String>,
    /// Rows to skip.
    #[param(required = true, value_type = u32, example = 0)]
    pub offset: Option<String>,
    /// `AdminActivitiesFilters` as a JSON object: `{"type","actorId","entity","entityId","search"}`
    /// (all optional; `search` is a case-insensitive substring of `details`).
    #[param(example = r#"{"type":"settings.update"}"#)]
    pub filter: Option<String>,
}

/// Who acted.
#[derive(Serialize, ToSchema)]
pub struct ActorDto {
    /// The user's account id.
    pub id: i64,
    pub email: Option<String>,
}

/// One activity.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ActivityDto {
    pub id: i64,
    /// E.g. `settings.update`, `adapter.create`, or a staff-chosen type.
    #[serde(rename = "type")]
    pub kind: String,
    pub details: String,
    /// `null` for system actions.
    pub actor: Option<ActorDto>,
    /// Kind of the changed record (`setting`, `adapter`, `country`...); `null` on hand-made entries.
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// The record before the change, secrets masked.
    #[schema(value_type = Option<Object>)]
    pub before: Option<serde_json::Value>,
    /// The record after the change, secrets masked.
    #[schema(value_type = Option<Object>)]
    pub after: Option<serde_json::Value>,
    pub ip: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<Activity> for ActivityDto {
    fn from(a: Activity) -> Self {
        Self {
            id: a.id,
            kind: a.kind,
            details: a.details,
            actor: a.actor.map(|x| ActorDto { id: x.id, email: x.email }),
            entity: a.entity,
            entity_id: a.entity_id,
            before: a.before,
            after: a.after,
            ip: a.ip,
            created_at: a.created_at,
        }
    }
}

/// A page of activities and the total matching count.
#[derive(Serialize, ToSchema)]
pub struct ActivitiesResponse {
    pub activities: Vec<ActivityDto>,
    pub count: u64,
}

/// Body of "Create a new activity".
#[derive(Deserialize, ToSchema)]
pub struct CreateActivityRequest {
    /// Activity type, up to 64 characters.
    #[serde(rename = "type")]
    #[schema(example = "call")]
    pub kind: String,
    #[schema(example = "Called the customer about the missing documents")]
    pub details: String,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
#[schema(as = ActivitySuccessResponse)]
pub struct SuccessResponse {
    pub success: bool,
}

/// Lists the audit log, newest first (ReadActivities).
#[utoipa::path(
    get,
    path = "/api/activities",
    tag = "Activities",
    summary = "List all activities",
    params(ListActivitiesQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "A page of activities", body = ActivitiesResponse),
        (status = 403, description = "Missing ReadActivities permission", body = ErrorBody),
        (status = 422, description = "Bad `limit`, `offset` or `filter`", body = ErrorBody)
    )
)]
pub async fn list_activities(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<ListActivitiesQuery>,
) -> ApiResult<Json<ActivitiesResponse>> {
    let params = ListParams { limit: q.limit, offset: q.offset, filter: q.filter };
    let (rows, count) = activities::list(&app, &actor, &params).await?;
    Ok(Json(ActivitiesResponse {
        activities: rows.into_iter().map(ActivityDto::from).collect(),
        count,
    }))
}

/// Adds a hand-made activity by the calling staff member (WriteActivities).
#[utoipa::path(
    post,
    path = "/api/activities",
    tag = "Activities",
    summary = "Create a new activity",
    request_body = CreateActivityRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Recorded", body = SuccessResponse),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "Invalid `type` or `details`", body = ErrorBody)
    )
)]
pub async fn create_activity(
    State(app): State<App>,
    Auth(actor): Auth,
    ClientIp(ip): ClientIp,
    JsonBody(body): JsonBody<CreateActivityRequest>,
) -> ApiResult<Json<SuccessResponse>> {
    activities::create(&app, &actor, &body.kind, &body.details, ip).await?;
    Ok(Json(SuccessResponse { success: true }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list_activities, create_activity))
}
