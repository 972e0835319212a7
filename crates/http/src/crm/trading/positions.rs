//! Seed 002 tag Positions (8 operations): list, get, close, update, create, the orders of a
//! position, the positions of an account (wallet), XLSX export.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use brokercrm_app::App;
use brokercrm_app::trading::positions::edit::PositionUpdate;
use brokercrm_app::trading::positions::list::PositionQuery;
use brokercrm_app::trading::positions::open::OpenInput;
use brokercrm_app::trading::positions::{OrderView, PositionView, close, edit, export, list, open};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::crm::identity::download_links::{download, xlsx_response};
use crate::crm::money::groups::path_id;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};

/// Query of "Get positions" and its export: IPositionFilters flattened (also as
/// `filters[name]`); arrays repeat or are comma-separated.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct PositionsQuery {
    /// Position id, wallet id, symbol or external id.
    pub search: Option<String>,
    /// At most 500 (default 20).
    pub limit: Option<u64>,
    pub offset: Option<u64>,
    /// id, openedAt, closedAt, size, symbol or profitLoss; `-` in front for descending
    /// (default `-id`).
    pub sort_by: Option<String>,
    /// IPositionFilters: PENDING, OPEN, CLOSED, CANCELLED.
    pub statuses: Option<Vec<String>>,
    /// IPositionFilters.
    pub symbols: Option<Vec<String>>,
    /// IPositionFilters: BUY, SELL.
    pub sides: Option<Vec<String>>,
    /// IPositionFilters: PRO, NEO.
    pub platforms: Option<Vec<String>>,
    /// IPositionFilters: one wallet.
    pub account_id: Option<i64>,
    /// IPositionFilters: one customer (user id).
    pub customer_id: Option<i64>,
    /// IPositionFilters.
    pub is_demo: Option<bool>,
    /// IPositionFilters: opened at or after (RFC 3339).
    pub opened_from: Option<DateTime<Utc>>,
    /// IPositionFilters: opened before (RFC 3339).
    pub opened_to: Option<DateTime<Utc>>,
    /// The export's download token.
    #[param(ignore)]
    pub token: Option<String>,
}

impl PositionsQuery {
    fn input(self) -> PositionQuery {
        PositionQuery {
            search: self.search,
            limit: self.limit,
            offset: self.offset,
            sort_by: self.sort_by,
            statuses: self.statuses.unwrap_or_default(),
            symbols: self.symbols.unwrap_or_default(),
            sides: self.sides.unwrap_or_default(),
            platforms: self.platforms.unwrap_or_default(),
            account_id: self.account_id,
            customer_id: self.customer_id,
            is_demo: self.is_demo,
            opened_from: self.opened_from,
            opened_to: self.opened_to,
        }
    }
}

/// `{"positions": [...], "count": n, "pages": n}`.
#[derive(Serialize, ToSchema)]
pub struct PositionsResponse {
    pub positions: Vec<PositionView>,
    pub count: u64,
    pub pages: u64,
}

/// `{"positions": [...], "count": n}`.
#[derive(Serialize, ToSchema)]
pub struct AccountPositionsResponse {
    pub positions: Vec<PositionView>,
    pub count: u64,
}

/// Body of "Create position".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatePositionRequest {
    /// Lots, on the instrument's size grid (PRO; a NEO position's size follows `invest`).
    #[serde(default)]
    #[schema(value_type = f64, example = 0.1)]
    pub size: Value,
    /// BUY or SELL.
    #[schema(example = "BUY")]
    pub side: String,
    #[schema(example = "EURUSD")]
    pub symbol: String,
    /// PRO (default) or NEO.
    pub platform: Option<String>,
    #[schema(value_type = Option<String>)]
    pub stop_loss: Option<Value>,
    /// The wallet.
    pub account_id: Option<i64>,
    /// Accepted and ignored: the margin follows the instrument and the wallet's leverage.
    pub margin_rate: Option<String>,
    /// A client: the price of a pending limit/stop order. Staff: the fill price (audited).
    #[schema(value_type = Option<String>)]
    pub open_price: Option<Value>,
    #[schema(value_type = Option<String>)]
    pub take_profit: Option<Value>,
    /// Trailing stop in percent (the seed's spelling).
    #[schema(value_type = Option<String>)]
    pub tailing_stop_loss_pct: Option<Value>,
    /// NEO: the amount invested, in the wallet's currency (required for NEO); the size is
    /// `invest` over the margin of one lot, rounded down to the size grid.
    #[schema(value_type = Option<f64>, example = 100)]
    pub invest: Option<Value>,
    /// NEO: the maximum risk in percent of `invest`, one of Max Risks (default: its
    /// default); the stop loss is placed where the loss reaches it.
    #[schema(value_type = Option<f64>, example = 50)]
    pub max_risk: Option<Value>,
    /// NEO: seconds after which the position closes by itself, one of Position Durations.
    #[schema(value_type = Option<i64>, example = 3600)]
    pub close_position_after_seconds: Option<Value>,
}

/// Body of "Update position by ID": absent fields are unchanged; null removes a stop loss,
/// take profit or trailing stop. `openPrice`, `closePrice` and `commission` are staff
/// corrections (ManagePositions).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct UpdatePositionRequest {
    pub stop_loss: Option<f64>,
    pub take_profit: Option<f64>,
    pub open_price: Option<f64>,
    pub close_price: Option<f64>,
    pub commission: Option<f64>,
    pub tailing_stop_loss_pct: Option<f64>,
}

/// Query of "Get positions by account ID".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AccountPositionsQuery {
    pub offset: Option<u64>,
    /// At most 500 (default 20).
    pub limit: Option<u64>,
    /// PENDING, OPEN, CLOSED or CANCELLED.
    pub status: Option<String>,
    /// As `sortBy` of "Get positions".
    pub order_by: Option<String>,
}

/// Positions: a client its own; staff with ReadPositions, their customers'.
#[utoipa::path(
    get, path = "/api/positions", tag = "Positions", summary = "Get positions",
    params(PositionsQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "A page of positions", body = PositionsResponse),
        (status = 403, description = "Missing ReadPositions", body = ErrorBody),
        (status = 422, description = "A bad filter, named", body = ErrorBody)
    )
)]
pub async fn list_positions(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<PositionsQuery>,
) -> ApiResult<Json<PositionsResponse>> {
    let page = list::list(&app, &actor, q.input()).await?;
    Ok(Json(PositionsResponse { positions: page.positions, count: page.count, pages: page.pages }))
}

/// Opens a position at market, or places a pending limit/stop order (a client naming
/// `openPrice`); staff open on a customer's wallet (ManagePositions), `openPrice` then
/// overriding the fill price (audited).
#[utoipa::path(
    post, path = "/api/positions", tag = "Positions", summary = "Create position",
    request_body = CreatePositionRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The position (PENDING for an order)", body = PositionView),
        (status = 404, description = "No such wallet", body = ErrorBody),
        (status = 422, description = "Refused, the field named (size grid, stops, decimals, market closed, free margin)", body = ErrorBody)
    )
)]
pub async fn create_position(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<CreatePositionRequest>,
) -> ApiResult<Json<PositionView>> {
    let input = OpenInput {
        size: b.size,
        side: b.side,
        symbol: b.symbol,
        platform: b.platform,
        stop_loss: b.stop_loss,
        account_id: b.account_id,
        open_price: b.open_price,
        take_profit: b.take_profit,
        trailing_pct: b.tailing_stop_loss_pct,
        invest: b.invest,
        max_risk: b.max_risk,
        close_after_seconds: b.close_position_after_seconds,
    };
    let _ = b.margin_rate;
    Ok(Json(open::create(&app, &actor, input).await?))
}

/// The positions matching the filters as an XLSX workbook.
#[utoipa::path(
    get, path = "/api/positions/export", tag = "Positions", summary = "Export positions to XLSX",
    params(("token" = String, Query, description = "A one-time download token (or an Authorization header)"), PositionsQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The workbook",
         content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "Missing ReadPositions", body = ErrorBody)
    )
)]
pub async fn export_positions(
    State(app): State<App>,
    headers: HeaderMap,
    Query(mut q): Query<PositionsQuery>,
) -> ApiResult<Response> {
    let actor = download(&app, &headers, q.token.take()).await?;
    Ok(xlsx_response(export::positions(&app, &actor, q.input()).await?, "positions"))
}

/// One position (open ones with their floating P/L).
#[utoipa::path(
    get, path = "/api/positions/{id}", tag = "Positions", summary = "Get position by ID",
    params(("id" = String, Path, description = "The position id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The position", body = PositionView),
        (status = 404, description = "No such position", body = ErrorBody)
    )
)]
pub async fn get_position(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<PositionView>> {
    Ok(Json(list::get(&app, &actor, path_id(&id, "position")?).await?))
}

/// Moves the stops (client or staff) or corrects prices and commission (staff; audited
/// ledger corrections).
#[utoipa::path(
    put, path = "/api/positions/{id}", tag = "Positions", summary = "Update position by ID",
    params(("id" = String, Path, description = "The position id")),
    request_body = UpdatePositionRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The position", body = PositionView),
        (status = 404, description = "No such position", body = ErrorBody),
        (status = 409, description = "Changed meanwhile", body = ErrorBody),
        (status = 422, description = "Refused, the field named", body = ErrorBody)
    )
)]
pub async fn update_position(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<Value>,
) -> ApiResult<Json<PositionView>> {
    let id = path_id(&id, "position")?;
    Ok(Json(edit::update(&app, &actor, id, PositionUpdate::from_json(&b)?).await?))
}

/// Closes an open position at the market.
#[utoipa::path(
    post, path = "/api/positions/{id}/close", tag = "Positions", summary = "Close position by ID",
    params(("id" = String, Path, description = "The position id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The closed position", body = PositionView),
        (status = 404, description = "No such position", body = ErrorBody),
        (status = 409, description = "Not open (closed already)", body = ErrorBody),
        (status = 422, description = "The market is closed", body = ErrorBody)
    )
)]
pub async fn close_position(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<PositionView>> {
    Ok(Json(close::close(&app, &actor, path_id(&id, "position")?).await?))
}

/// The orders that opened and closed a position (or wait to open it), oldest first.
#[utoipa::path(
    get, path = "/api/positions/{id}/orders", tag = "Positions", summary = "Get orders for position by Id",
    params(("id" = String, Path, description = "The position id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Orders", body = Vec<OrderView>),
        (status = 404, description = "No such position", body = ErrorBody)
    )
)]
pub async fn list_position_orders(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<Vec<OrderView>>> {
    Ok(Json(list::orders_of(&app, &actor, path_id(&id, "position")?).await?))
}

/// One wallet's positions.
#[utoipa::path(
    get, path = "/api/wallets/{id}/positions", tag = "Positions", summary = "Get positions by account ID",
    params(("id" = String, Path, description = "The wallet id"), AccountPositionsQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Positions", body = AccountPositionsResponse),
        (status = 404, description = "No such wallet", body = ErrorBody)
    )
)]
pub async fn list_account_positions(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    Query(q): Query<AccountPositionsQuery>,
) -> ApiResult<Json<AccountPositionsResponse>> {
    let id = path_id(&id, "wallet")?;
    let (positions, count) =
        list::of_account(&app, &actor, id, q.status, q.order_by, q.limit, q.offset).await?;
    Ok(Json(AccountPositionsResponse { positions, count }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_positions, create_position))
        .routes(routes!(export_positions))
        .routes(routes!(get_position, update_position))
        .routes(routes!(close_position))
        .routes(routes!(list_position_orders))
        .routes(routes!(list_account_positions))
}
