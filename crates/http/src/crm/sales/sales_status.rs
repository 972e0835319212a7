//! Seed 002 tag Sales Status: statuses with hex colours, read by all staff, written by
//! admins. Names are unique regardless of case.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::sales::sales_statuses::{self, SalesStatusView};
use brokercrm_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

/// Body of "Create a new sales status".
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateSalesStatusRequest {
    /// Required, 1-100 characters, unique regardless of case.
    #[schema(example = "Call back")]
    pub status: Option<String>,
    /// Hex colour `#rgb` or `#rrggbb`; default `#9e9e9e`.
    #[schema(example = "#1e88e5")]
    pub color: Option<String>,
}

/// Body of "Update a sales status by ID": absent or `null` keeps the value.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateSalesStatusRequest {
    #[schema(example = "Call back later")]
    pub status: Option<String>,
    #[schema(example = "#fa0")]
    pub color: Option<String>,
}

/// "Get all sales statuses".
#[derive(Debug, Serialize, ToSchema)]
pub struct SalesStatusesDto {
    pub statuses: Vec<SalesStatusView>,
}

/// Creates a status (admins). Audited.
#[utoipa::path(
    post, path = "/api/sales-statuses", tag = "Sales Status",
    summary = "Create a new sales status",
    request_body = CreateSalesStatusRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = SalesStatusView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 409, description = "A status of that name exists", body = ErrorBody),
        (status = 422, description = "Invalid `status` or `color`", body = ErrorBody)
    )
)]
pub async fn create_sales_status(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreateSalesStatusRequest>,
) -> ApiResult<(StatusCode, axum::Json<SalesStatusView>)> {
    let v = sales_statuses::create(&app, &p, b.status.as_deref(), b.color.as_deref()).await?;
    Ok((StatusCode::CREATED, axum::Json(v)))
}

/// Every status, by id (staff).
#[utoipa::path(
    get, path = "/api/sales-statuses", tag = "Sales Status",
    summary = "Get all sales statuses",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The statuses, by id", body = SalesStatusesDto),
        (status = 403, description = "Not staff", body = ErrorBody)
    )
)]
pub async fn list_sales_statuses(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<SalesStatusesDto>> {
    let rows = sales_statuses::list(&app, &p).await?;
    Ok(axum::Json(SalesStatusesDto { statuses: rows }))
}

/// One status by its name, compared without case (staff).
#[utoipa::path(
    get, path = "/api/sales-statuses/by-name/{name}", tag = "Sales Status",
    summary = "Get a sales status by name",
    params(("name" = String, Path, description = "Name of the sales status to retrieve")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The status", body = SalesStatusView),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "No status of that name", body = ErrorBody)
    )
)]
pub async fn get_sales_status_by_name(
    State(app): State<App>,
    Auth(p): Auth,
    Path(name): Path<String>,
) -> ApiResult<axum::Json<SalesStatusView>> {
    Ok(axum::Json(sales_statuses::get_by_name(&app, &p, &name).await?))
}

/// Renames and/or recolours a status (admins). Audited.
#[utoipa::path(
    put, path = "/api/sales-statuses/{id}", tag = "Sales Status",
    summary = "Update a sales status by ID",
    params(("id" = i64, Path, description = "ID of the sales status to update")),
    request_body = UpdateSalesStatusRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = SalesStatusView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown status", body = ErrorBody),
        (status = 409, description = "A status of that name exists", body = ErrorBody),
        (status = 422, description = "Invalid `id`, `status` or `color`", body = ErrorBody)
    )
)]
pub async fn update_sales_status(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<UpdateSalesStatusRequest>,
) -> ApiResult<axum::Json<SalesStatusView>> {
    let id = id.trim().parse::<i64>().map_err(|_| Error::field("id", "must be an integer"))?;
    let v = sales_statuses::update(&app, &p, id, b.status.as_deref(), b.color.as_deref()).await?;
    Ok(axum::Json(v))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create_sales_status, list_sales_statuses))
        .routes(routes!(get_sales_status_by_name))
        .routes(routes!(update_sales_status))
}
