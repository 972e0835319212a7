//! Caps on an advertiser's accepted or rejected leads, per day or in total, optionally per
//! offer and country; shown with the count of the current period.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::distribution::caps::{self, CapInput, CapView};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::PageQuery;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, StrictQuery};

/// A cap.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CapDto {
    pub uuid: String,
    pub advertiser_uuid: String,
    /// `null`: every offer.
    pub offer_uuid: Option<String>,
    /// ISO-2; `null`: every country.
    pub country: Option<String>,
    /// `day` (in the advertiser's traffic-filter time zone, default UTC) or `total`.
    pub period: String,
    /// `accepted` or `rejected` leads.
    pub kind: String,
    pub max_count: i32,
    /// Counted in the current period.
    pub used: i32,
    pub created_at: DateTime<Utc>,
}

impl From<CapView> for CapDto {
    fn from(c: CapView) -> Self {
        Self {
            uuid: c.uuid,
            advertiser_uuid: c.advertiser_uuid,
            offer_uuid: c.offer_uuid,
            country: c.country,
            period: c.period,
            kind: c.kind,
            max_count: c.max_count,
            used: c.used,
            created_at: c.created_at,
        }
    }
}

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
        (status = 200, description = "Caps", body = [CapDto]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad `advertiserUuid`, `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_caps(
    State(app): State<App>,
    Auth(p): Auth,
    StrictQuery(q): StrictQuery<CapQuery>,
) -> ApiResult<axum::Json<Vec<CapDto>>> {
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    let rows = caps::list(&app, &p, q.advertiser_uuid.as_deref(), page).await?;
    Ok(axum::Json(rows.into_iter().map(CapDto::from).collect()))
}

/// Creates a cap (ManageLeadDistribution). Audited.
#[utoipa::path(
    post, path = "/api/lead-distribution/caps", tag = "Lead Distribution",
    summary = "Create cap",
    request_body = CreateCap,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = CapDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody)
    )
)]
pub async fn create_cap(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreateCap>,
) -> ApiResult<(StatusCode, axum::Json<CapDto>)> {
    let input = CapInput {
        advertiser_uuid: b.advertiser_uuid,
        offer_uuid: b.offer_uuid,
        country: b.country,
        period: b.period,
        kind: b.kind,
        max_count: b.max_count,
    };
    Ok((StatusCode::CREATED, axum::Json(caps::create(&app, &p, input).await?.into())))
}

/// Changes a cap's `maxCount` (ManageLeadDistribution). Audited.
#[utoipa::path(
    patch, path = "/api/lead-distribution/caps/{uuid}", tag = "Lead Distribution",
    summary = "Update cap",
    params(("uuid" = String, Path, description = "Public id of the cap")),
    request_body = UpdateCap,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = CapDto),
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
) -> ApiResult<axum::Json<CapDto>> {
    Ok(axum::Json(caps::set_max_count(&app, &p, &uuid, b.max_count).await?.into()))
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
