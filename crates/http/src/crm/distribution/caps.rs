//! Caps on an advertiser's accepted or rejected leads, per day or in total, optionally per
//! offer and country; shown with the count of the current period.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::distribution::caps::{self, CapInput, CapView};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::PageQuery;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, StrictQuery};

/// Query of "List caps".
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct CapQuery {
    /// Only this advertiser's caps.
    pub advertiser_uuid: Option<String>,
    /// Rows to return, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
}

/// Body of "Create cap".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateCap {
    pub advertiser_uuid: String,
    pub offer_uuid: Option<String>,
    /// ISO-2.
    pub country: Option<String>,
    /// `day` or `total`.
    #[schema(example = "day")]
    pub period: String,
    /// `accepted` or `rejected`.
    #[schema(example = "accepted")]
    pub kind: String,
    /// 0-10000000.
    #[schema(example = 100)]
    pub max_count: i64,
}

/// Body of "Update cap".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCap {
    /// 0-10000000.
    pub max_count: i64,
}

/// Lists caps by id (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/caps", tag = "Lead Distribution",
    summary = "List caps",
    params(CapQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Caps", body = [CapView]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad `advertiserUuid`, `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_caps(
    State(app): State<App>,
    Auth(p): Auth,
    StrictQuery(q): StrictQuery<CapQuery>,
) -> ApiResult<axum::Json<Vec<CapView>>> {
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    let rows = caps::list(&app, &p, q.advertiser_uuid.as_deref(), page).await?;
    Ok(axum::Json(rows))
}

/// Creates a cap (ManageLeadDistribution). Audited.
#[utoipa::path(
    post, path = "/api/lead-distribution/caps", tag = "Lead Distribution",
    summary = "Create cap",
    request_body = CreateCap,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = CapView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody)
    )
)]
pub async fn create_cap(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreateCap>,
) -> ApiResult<(StatusCode, axum::Json<CapView>)> {
    let input = CapInput {
        advertiser_uuid: b.advertiser_uuid,
        offer_uuid: b.offer_uuid,
        country: b.country,
        period: b.period,
        kind: b.kind,
        max_count: b.max_count,
    };
    Ok((StatusCode::CREATED, axum::Json(caps::create(&app, &p, input).await?)))
}

/// Changes a cap's `maxCount` (ManageLeadDistribution). Audited.
#[utoipa::path(
    patch, path = "/api/lead-distribution/caps/{uuid}", tag = "Lead Distribution",
    summary = "Update cap",
    params(("uuid" = String, Path, description = "Public id of the cap")),
    request_body = UpdateCap,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = CapView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown cap", body = ErrorBody),
        (status = 422, description = "Invalid `maxCount`", body = ErrorBody)
    )
)]
pub async fn update_cap(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    Json(b): Json<UpdateCap>,
) -> ApiResult<axum::Json<CapView>> {
    Ok(axum::Json(caps::set_max_count(&app, &p, &uuid, b.max_count).await?))
}

/// Deletes a cap and its counters (ManageLeadDistribution). Audited.
#[utoipa::path(
    delete, path = "/api/lead-distribution/caps/{uuid}", tag = "Lead Distribution",
    summary = "Delete cap",
    params(("uuid" = String, Path, description = "Public id of the cap")),
    security(("BearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown cap", body = ErrorBody)
    )
)]
pub async fn delete_cap(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> ApiResult<StatusCode> {
    caps::delete(&app, &p, &uuid).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_caps, create_cap))
        .routes(routes!(update_cap, delete_cap))
}
