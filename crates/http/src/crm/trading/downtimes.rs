//! Seed 002 tag Downtimes (5 operations): windows in which trading the listed symbols is
//! closed.

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::trading::downtimes::{self, DowntimeInput, DowntimeView};
use brokercrm_core::Error;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::crm::money::groups::path_id;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};

/// Body of create and update.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DowntimeRequest {
    pub start_date: DateTime<Utc>,
    /// After `startDate`; trading reopens at this time.
    pub end_date: DateTime<Utc>,
    #[schema(example = "Christmas")]
    pub title: String,
    /// Existing instrument symbols.
    #[schema(example = json!(["EURUSD"]))]
    pub symbols: Vec<String>,
}

impl From<DowntimeRequest> for DowntimeInput {
    fn from(b: DowntimeRequest) -> Self {
        Self { title: b.title, start_date: b.start_date, end_date: b.end_date, symbols: b.symbols }
    }
}

/// Paging of the list (our addition; the seed lists them all).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DowntimesQuery {
    /// Default 100, at most 500.
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// `{"count": n, "downtimes": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct DowntimesResponse {
    pub count: u64,
    pub downtimes: Vec<DowntimeView>,
}

/// `{"downtime": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct DowntimeResponse {
    pub downtime: DowntimeView,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
pub struct DowntimeDeletedResponse {
    pub success: bool,
}

/// Downtimes, newest start first (ReadInstruments).
#[utoipa::path(
    get, path = "/api/downtimes", tag = "Downtimes", summary = "Get list of downtimes",
    params(DowntimesQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Downtimes", body = DowntimesResponse),
        (status = 403, description = "Missing ReadInstruments", body = ErrorBody),
        (status = 422, description = "A bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_downtimes(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<DowntimesQuery>,
) -> ApiResult<Json<DowntimesResponse>> {
    let limit = q.limit.unwrap_or(100);
    if !(1..=500).contains(&limit) {
        return Err(Error::field("limit", "must be from 1 to 500").into());
    }
    let offset = brokercrm_core::validate::offset("offset", q.offset.unwrap_or(0))?;
    let (downtimes, count) = downtimes::list(&app, &actor, limit, offset).await?;
    Ok(Json(DowntimesResponse { count, downtimes }))
}

/// Creates a downtime (ManageInstruments; audited).
#[utoipa::path(
    post, path = "/api/downtimes", tag = "Downtimes", summary = "Create a new downtime",
    request_body = DowntimeRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Created", body = DowntimeResponse),
        (status = 403, description = "Missing ManageInstruments", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named (`symbols[1]`)", body = ErrorBody)
    )
)]
pub async fn create_downtime(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<DowntimeRequest>,
) -> ApiResult<Json<DowntimeResponse>> {
    Ok(Json(DowntimeResponse { downtime: downtimes::create(&app, &actor, b.into()).await? }))
}

/// One downtime (ReadInstruments).
#[utoipa::path(
    get, path = "/api/downtimes/{id}", tag = "Downtimes", summary = "Get downtime by ID",
    params(("id" = i64, Path, description = "Downtime id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The downtime", body = DowntimeResponse),
        (status = 403, description = "Missing ReadInstruments", body = ErrorBody),
        (status = 404, description = "No such downtime", body = ErrorBody)
    )
)]
pub async fn get_downtime(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DowntimeResponse>> {
    let id = path_id(&id, "downtime")?;
    Ok(Json(DowntimeResponse { downtime: downtimes::get(&app, &actor, id).await? }))
}

/// Replaces a downtime (ManageInstruments; audited).
#[utoipa::path(
    put, path = "/api/downtimes/{id}", tag = "Downtimes", summary = "Update downtime by ID",
    params(("id" = i64, Path, description = "Downtime id")),
    request_body = DowntimeRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = DowntimeResponse),
        (status = 403, description = "Missing ManageInstruments", body = ErrorBody),
        (status = 404, description = "No such downtime", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody)
    )
)]
pub async fn update_downtime(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<DowntimeRequest>,
) -> ApiResult<Json<DowntimeResponse>> {
    let id = path_id(&id, "downtime")?;
    Ok(Json(DowntimeResponse { downtime: downtimes::update(&app, &actor, id, b.into()).await? }))
}

/// Deletes a downtime (ManageInstruments; audited).
#[utoipa::path(
    delete, path = "/api/downtimes/{id}", tag = "Downtimes", summary = "Delete downtime by ID",
    params(("id" = i64, Path, description = "Downtime id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Deleted", body = DowntimeDeletedResponse),
        (status = 403, description = "Missing ManageInstruments", body = ErrorBody),
        (status = 404, description = "No such downtime", body = ErrorBody)
    )
)]
pub async fn delete_downtime(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DowntimeDeletedResponse>> {
    downtimes::delete(&app, &actor, path_id(&id, "downtime")?).await?;
    Ok(Json(DowntimeDeletedResponse { success: true }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list_downtimes, create_downtime)).routes(routes!(
        get_downtime,
        update_downtime,
        delete_downtime
    ))
}
