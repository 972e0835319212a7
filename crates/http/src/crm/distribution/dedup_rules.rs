//! CRM deduplication rules: the same email or phone within a window is refused.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::distribution::dedup_rules::{self, DedupRuleInput, DedupRuleView};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::PageQuery;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, StrictQuery};

/// Body of "Create dedup rule" (all but `active` required) and "Update dedup rule" (omitted
/// fields stay unchanged).
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DedupRuleRequest {
    #[schema(example = "email")]
    pub field: Option<String>,
    #[schema(example = "global")]
    pub scope: Option<String>,
    #[schema(example = 2_592_000)]
    pub window_secs: Option<i64>,
    pub active: Option<bool>,
}

impl From<DedupRuleRequest> for DedupRuleInput {
    fn from(b: DedupRuleRequest) -> Self {
        Self { field: b.field, scope: b.scope, window_secs: b.window_secs, active: b.active }
    }
}

/// Lists dedup rules by id (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/dedup-rules", tag = "Lead Distribution",
    summary = "List dedup rules",
    params(PageQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Dedup rules", body = [DedupRuleView]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_dedup_rules(
    State(app): State<App>,
    Auth(p): Auth,
    StrictQuery(q): StrictQuery<PageQuery>,
) -> ApiResult<axum::Json<Vec<DedupRuleView>>> {
    let page = q.page()?;
    let rows = dedup_rules::list(&app, &p, page).await?;
    Ok(axum::Json(rows))
}

/// Creates a dedup rule (ManageLeadDistribution). Audited.
#[utoipa::path(
    post, path = "/api/lead-distribution/dedup-rules", tag = "Lead Distribution",
    summary = "Create dedup rule",
    request_body = DedupRuleRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = DedupRuleView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody)
    )
)]
pub async fn create_dedup_rule(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<DedupRuleRequest>,
) -> ApiResult<(StatusCode, axum::Json<DedupRuleView>)> {
    Ok((StatusCode::CREATED, axum::Json(dedup_rules::create(&app, &p, b.into()).await?)))
}

/// Changes the fields sent (ManageLeadDistribution). Audited.
#[utoipa::path(
    patch, path = "/api/lead-distribution/dedup-rules/{uuid}", tag = "Lead Distribution",
    summary = "Update dedup rule",
    params(("uuid" = String, Path, description = "Public id of the rule")),
    request_body = DedupRuleRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = DedupRuleView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown rule", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody)
    )
)]
pub async fn update_dedup_rule(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    Json(b): Json<DedupRuleRequest>,
) -> ApiResult<axum::Json<DedupRuleView>> {
    Ok(axum::Json(dedup_rules::update(&app, &p, &uuid, b.into()).await?))
}

/// Deletes a dedup rule (ManageLeadDistribution). Audited.
#[utoipa::path(
    delete, path = "/api/lead-distribution/dedup-rules/{uuid}", tag = "Lead Distribution",
    summary = "Delete dedup rule",
    params(("uuid" = String, Path, description = "Public id of the rule")),
    security(("BearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown rule", body = ErrorBody)
    )
)]
pub async fn delete_dedup_rule(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> ApiResult<StatusCode> {
    dedup_rules::delete(&app, &p, &uuid).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_dedup_rules, create_dedup_rule))
        .routes(routes!(update_dedup_rule, delete_dedup_rule))
}
