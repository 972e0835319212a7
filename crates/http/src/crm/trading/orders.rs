//! Seed 002 tag Orders (5 operations): list, get, update a pending order, cancel it, XLSX
//! export.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use brokercrm_app::App;
use brokercrm_app::trading::positions::OrderView;
use brokercrm_app::trading::positions::export;
use brokercrm_app::trading::positions::orders::{self, OrderQuery, OrderUpdate};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::crm::identity::download_links::{download, xlsx_response};
use crate::crm::money::groups::path_id;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};

/// Query of "Get orders" and its export; arrays repeat or are comma-separated.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct OrdersQuery {
    /// At most 500 (default 10).
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    /// Order or position id, symbol or external id.
    pub search: Option<String>,
    /// PENDING, FILLED, CANCELLED.
    pub statuses: Option<Vec<String>>,
    /// MARKET, LIMIT, STOP.
    pub types: Option<Vec<String>>,
    /// One wallet.
    pub account_id: Option<i64>,
    pub symbols: Option<Vec<String>>,
    #[param(ignore)]
    pub token: Option<String>,
}

impl OrdersQuery {
    fn input(self) -> OrderQuery {
        OrderQuery {
            limit: Some(self.limit.unwrap_or(10)),
            offset: self.offset,
            search: self.search,
            statuses: self.statuses.unwrap_or_default(),
            types: self.types.unwrap_or_default(),
            account_id: self.account_id,
            symbols: self.symbols.unwrap_or_default(),
        }
    }
}

/// `{"orders": [...], "count": n}`.
#[derive(Serialize, ToSchema)]
pub struct OrdersResponse {
    pub orders: Vec<OrderView>,
    pub count: u64,
}

/// `{"order": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct OrderResponse {
    pub order: OrderView,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
pub struct CancelledResponse {
    pub success: bool,
}

/// Body of "Update order by ID": absent fields are unchanged; null removes a stop loss, take
/// profit or trailing stop.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct UpdateOrderRequest {
    /// A limit order's price.
    pub limit_price: Option<String>,
    /// A stop order's price.
    pub stop_price: Option<String>,
    pub take_profit: Option<String>,
    pub stop_loss: Option<String>,
    pub trailing_stop_loss_pct: Option<String>,
}

/// Orders: a client its own; staff with ReadPositions, their customers'. Newest first.
#[utoipa::path(
    get, path = "/api/orders", tag = "Orders", summary = "Get orders",
    params(OrdersQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "A page of orders", body = OrdersResponse),
        (status = 403, description = "Missing ReadPositions", body = ErrorBody),
        (status = 422, description = "A bad filter, named", body = ErrorBody)
    )
)]
pub async fn list_orders(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<OrdersQuery>,
) -> ApiResult<Json<OrdersResponse>> {
    let (orders, count) = orders::list(&app, &actor, q.input()).await?;
    Ok(Json(OrdersResponse { orders, count }))
}

/// The orders matching the filters as an XLSX workbook.
#[utoipa::path(
    get, path = "/api/orders/export", tag = "Orders", summary = "Export orders to XLSX format",
    params(("token" = String, Query, description = "A one-time download token (or an Authorization header)"), OrdersQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The workbook",
         content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "Missing ReadPositions", body = ErrorBody)
    )
)]
pub async fn export_orders(
    State(app): State<App>,
    headers: HeaderMap,
    Query(mut q): Query<OrdersQuery>,
) -> ApiResult<Response> {
    let actor = download(&app, &headers, q.token.take()).await?;
    Ok(xlsx_response(export::orders(&app, &actor, q.input()).await?, "orders"))
}

/// One order.
#[utoipa::path(
    get, path = "/api/orders/{id}", tag = "Orders", summary = "Get order by ID",
    params(("id" = String, Path, description = "The order id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The order", body = OrderResponse),
        (status = 404, description = "No such order", body = ErrorBody)
    )
)]
pub async fn get_order(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<OrderResponse>> {
    Ok(Json(OrderResponse { order: orders::get(&app, &actor, path_id(&id, "order")?).await? }))
}

/// Moves a pending order's price and its stops.
#[utoipa::path(
    put, path = "/api/orders/{id}", tag = "Orders", summary = "Update order by ID",
    params(("id" = String, Path, description = "The order id")),
    request_body = UpdateOrderRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The order", body = OrderResponse),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "Not pending", body = ErrorBody),
        (status = 422, description = "Refused, the field named", body = ErrorBody)
    )
)]
pub async fn update_order(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Value>,
) -> ApiResult<Json<OrderResponse>> {
    let id = path_id(&id, "order")?;
    let order = orders::update(&app, &actor, id, OrderUpdate::from_json(&b)?).await?;
    Ok(Json(OrderResponse { order }))
}

/// Cancels a pending order (and its pending position).
#[utoipa::path(
    delete, path = "/api/orders/{id}", tag = "Orders", summary = "Cancel order by ID",
    params(("id" = String, Path, description = "The order id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Cancelled", body = CancelledResponse),
        (status = 404, description = "No such order", body = ErrorBody),
        (status = 409, description = "Not pending", body = ErrorBody)
    )
)]
pub async fn cancel_order(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<CancelledResponse>> {
    orders::cancel(&app, &actor, path_id(&id, "order")?).await?;
    Ok(Json(CancelledResponse { success: true }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_orders))
        .routes(routes!(export_orders))
        .routes(routes!(get_order, update_order, cancel_order))
}
