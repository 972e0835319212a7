//! Seed 002 tag Sales Desk: desks grouping sales people (managers and agents; one desk per
//! person). Read by all staff, written by admins. Ids are UUIDs.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::sales::Page;
use brokercrm_app::sales::sales_desks::{self, SalesDeskView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};

/// Body of "Create a new sales desk" and "Update an existing sales desk".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SalesDeskRequest {
    /// 1-100 characters, unique regardless of case; required on create, absent keeps it on
    /// update.
    #[schema(example = "EN Conversion")]
    pub name: Option<String>,
    /// Public ids of the desk's sales people (managers, conversion or retention agents),
    /// replacing the current list; absent keeps it. A person on another desk moves here.
    pub sales_people: Option<Vec<String>>,
}

/// "Delete a sales desk by ID".
#[derive(Debug, Serialize, ToSchema)]
pub struct MessageDto {
    #[schema(example = "Sales desk deleted")]
    pub message: String,
}

/// "List all sales desks".
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SalesDesksDto {
    pub sales_desks: Vec<SalesDeskView>,
    /// Pages of `limit` desks.
    pub pages: u64,
}

/// Query of "List all sales desks".
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListDesksQuery {
    /// Maximum number of sales desks to retrieve, 1 to 200 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: Option<i64>,
    /// Number of sales desks to skip (default 0).
    #[param(value_type = Option<u32>)]
    pub offset: Option<i64>,
}

/// Creates a desk (admins). Audited.
#[utoipa::path(
    post, path = "/api/sales-desks", tag = "Sales Desk",
    summary = "Create a new sales desk",
    request_body = SalesDeskRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = SalesDeskView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 409, description = "A desk of that name exists", body = ErrorBody),
        (status = 422, description = "Invalid `name` or `salesPeople[i]`", body = ErrorBody)
    )
)]
pub async fn create_sales_desk(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<SalesDeskRequest>,
) -> ApiResult<(StatusCode, axum::Json<SalesDeskView>)> {
    let v = sales_desks::create(&app, &p, b.name.as_deref(), b.sales_people.as_deref()).await?;
    Ok((StatusCode::CREATED, axum::Json(v)))
}

/// Renames a desk and/or replaces its sales people (admins). Audited.
#[utoipa::path(
    put, path = "/api/sales-desks/{id}", tag = "Sales Desk",
    summary = "Update an existing sales desk",
    params(("id" = String, Path, description = "ID of the sales desk to update")),
    request_body = SalesDeskRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = SalesDeskView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown desk", body = ErrorBody),
        (status = 409, description = "A desk of that name exists", body = ErrorBody),
        (status = 422, description = "Invalid `name` or `salesPeople[i]`", body = ErrorBody)
    )
)]
pub async fn update_sales_desk(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<SalesDeskRequest>,
) -> ApiResult<axum::Json<SalesDeskView>> {
    let v =
        sales_desks::update(&app, &p, &id, b.name.as_deref(), b.sales_people.as_deref()).await?;
    Ok(axum::Json(v))
}

/// One desk with its sales people (staff).
#[utoipa::path(
    get, path = "/api/sales-desks/{id}", tag = "Sales Desk",
    summary = "Get a sales desk by ID",
    params(("id" = String, Path, description = "ID of the sales desk to retrieve")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The desk", body = SalesDeskView),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown desk", body = ErrorBody)
    )
)]
pub async fn get_sales_desk(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<SalesDeskView>> {
    Ok(axum::Json(sales_desks::get(&app, &p, &id).await?))
}

/// Deletes a desk (admins): its people leave it, its customers lose their desk. Audited.
#[utoipa::path(
    delete, path = "/api/sales-desks/{id}", tag = "Sales Desk",
    summary = "Delete a sales desk by ID",
    params(("id" = String, Path, description = "ID of the sales desk to delete")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Deleted", body = MessageDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown desk", body = ErrorBody)
    )
)]
pub async fn delete_sales_desk(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<MessageDto>> {
    sales_desks::delete(&app, &p, &id).await?;
    Ok(axum::Json(MessageDto { message: "Sales desk deleted".into() }))
}

/// A page of desks by creation, with the number of pages (staff).
#[utoipa::path(
    get, path = "/api/sales-desks", tag = "Sales Desk",
    summary = "List all sales desks",
    params(ListDesksQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Desks", body = SalesDesksDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "Bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_sales_desks(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<ListDesksQuery>,
) -> ApiResult<axum::Json<SalesDesksDto>> {
    let pg = Page::new(q.limit, q.offset)?;
    let r = sales_desks::list(&app, &p, pg).await?;
    Ok(axum::Json(SalesDesksDto { sales_desks: r.desks, pages: r.pages }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(create_sales_desk, list_sales_desks)).routes(routes!(
        get_sales_desk,
        update_sales_desk,
        delete_sales_desk
    ))
}
