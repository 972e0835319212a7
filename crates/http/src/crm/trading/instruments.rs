//! Seed 002 tag Instruments (9 operations): list, create, symbols, get/update/delete by
//! symbol, sort, XLSX export, and the client's instruments information.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use brokercrm_app::App;
use brokercrm_app::trading::instruments::{
    InstrumentInfo, InstrumentView, client, export, manage, read,
};
use brokercrm_core::trading::instruments::InstrumentInput;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::crm::identity::download_links::{download, xlsx_response};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};

/// Body of "Create instrument" and "Update instrument by symbol".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct InstrumentRequest {
    /// 1-32 letters, digits, `.`, `_`, `#`, `-`.
    #[schema(example = "EURUSD")]
    pub symbol: String,
    #[schema(example = "EUR")]
    pub margin_currency: String,
    #[schema(example = "USD")]
    pub currency: String,
    /// currencies, indices, commodities, cryptos, equities.
    #[schema(example = "currencies")]
    pub category: String,
    /// Price decimals, 0-8.
    #[schema(example = 5)]
    pub decimals: f64,
    #[schema(example = "FOREX")]
    pub profit_calc_mode: String,
    #[schema(example = "FOREX")]
    pub margin_calc_mode: String,
    /// Size presets (objects, at most 500).
    #[schema(value_type = Vec<Object>)]
    pub sizes: Value,
    /// 0-1000, at most 4 decimals.
    #[schema(example = 100)]
    pub margin_percentage: f64,
    #[schema(example = 50)]
    pub hedged_margin_percentage: f64,
    /// Sessions `{"weekday": 0-6, "from": "HH:MM", "to": "HH:MM"}`; `[]` = always open.
    #[schema(value_type = Vec<Object>)]
    pub trading_hours: Value,
    /// IANA time zone of `tradingHours` (default UTC).
    #[schema(example = "Europe/London")]
    pub timezone: Option<String>,
    #[schema(example = "POINTS")]
    pub swap_mode: String,
    #[schema(example = -6.5)]
    pub swap_long: f64,
    #[schema(example = 1.2)]
    pub swap_short: f64,
    /// 0 (Sunday) - 6, or null.
    #[serde(rename = "swap3DayWeekday")]
    #[schema(example = 3)]
    pub swap_3day_weekday: Option<f64>,
    #[schema(example = "LOTS")]
    pub stake_mode: String,
    #[schema(example = 100000)]
    pub contract_size: f64,
    #[schema(example = "0.01")]
    pub min_order_size: String,
    #[schema(example = "100")]
    pub max_order_size: String,
    /// ACTIVE or DISABLED.
    #[schema(example = "ACTIVE")]
    pub status: String,
    pub sort: Option<f64>,
    pub filename: Option<String>,
    /// The icon: a URL or a stored file's key.
    pub file: Option<String>,
}

impl From<InstrumentRequest> for InstrumentInput {
    fn from(b: InstrumentRequest) -> Self {
        InstrumentInput {
            symbol: b.symbol,
            margin_currency: b.margin_currency,
            currency: b.currency,
            category: b.category,
            decimals: b.decimals,
            profit_calc_mode: b.profit_calc_mode,
            margin_calc_mode: b.margin_calc_mode,
            sizes: b.sizes,
            margin_percentage: b.margin_percentage,
            hedged_margin_percentage: b.hedged_margin_percentage,
            trading_hours: b.trading_hours,
            timezone: b.timezone,
            swap_mode: b.swap_mode,
            swap_long: b.swap_long,
            swap_short: b.swap_short,
            swap_3day_weekday: b.swap_3day_weekday,
            stake_mode: b.stake_mode,
            contract_size: b.contract_size,
            min_order_size: b.min_order_size,
            max_order_size: b.max_order_size,
            status: b.status,
            sort: b.sort,
            filename: b.filename,
            file: b.file,
        }
    }
}

/// `{"instruments": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct InstrumentsResponse {
    pub instruments: Vec<InstrumentView>,
}

/// `{"instrument": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct InstrumentResponse {
    pub instrument: InstrumentView,
}

/// `{"symbols": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct SymbolsResponse {
    pub symbols: Vec<String>,
}

/// `{"success": "..."}` (the seed's success is a string).
#[derive(Serialize, ToSchema)]
pub struct InstrumentDeletedResponse {
    #[schema(example = "instrument EURUSD deleted")]
    pub success: String,
}

/// `{"instruments": [...]}` for a client.
#[derive(Serialize, ToSchema)]
pub struct InstrumentInfoResponse {
    pub instruments: Vec<InstrumentInfo>,
}

/// The `token` of a download link.
#[derive(Deserialize)]
pub struct TokenQuery {
    pub token: Option<String>,
}

/// Every instrument by sort, then symbol (ReadInstruments).
#[utoipa::path(
    get, path = "/api/instruments", tag = "Instruments", summary = "Get instruments",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Instruments", body = InstrumentsResponse),
        (status = 403, description = "Missing ReadInstruments", body = ErrorBody)
    )
)]
pub async fn list_instruments(
    State(app): State<App>,
    Auth(actor): Auth,
) -> ApiResult<Json<InstrumentsResponse>> {
    Ok(Json(InstrumentsResponse { instruments: read::list(&app, &actor).await? }))
}

/// Creates an instrument (ManageInstruments; audited).
#[utoipa::path(
    post, path = "/api/instruments", tag = "Instruments", summary = "Create instrument",
    request_body = InstrumentRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Created", body = InstrumentResponse),
        (status = 403, description = "Missing ManageInstruments", body = ErrorBody),
        (status = 409, description = "Symbol taken", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody)
    )
)]
pub async fn create_instrument(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<InstrumentRequest>,
) -> ApiResult<Json<InstrumentResponse>> {
    Ok(Json(InstrumentResponse { instrument: manage::create(&app, &actor, b.into()).await? }))
}

/// The symbols by sort (staff: all; clients: the active ones).
#[utoipa::path(
    get, path = "/api/instruments/symbols", tag = "Instruments", summary = "Get instrument symbols",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Symbols", body = SymbolsResponse),
        (status = 401, description = "Not signed in", body = ErrorBody)
    )
)]
pub async fn list_instrument_symbols(
    State(app): State<App>,
    Auth(actor): Auth,
) -> ApiResult<Json<SymbolsResponse>> {
    Ok(Json(SymbolsResponse { symbols: read::symbols(&app, &actor).await? }))
}

/// One instrument (ReadInstruments).
#[utoipa::path(
    get, path = "/api/instruments/{symbol}", tag = "Instruments", summary = "Get instrument by symbol",
    params(("symbol" = String, Path, description = "The symbol")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The instrument", body = InstrumentResponse),
        (status = 403, description = "Missing ReadInstruments", body = ErrorBody),
        (status = 404, description = "No such instrument", body = ErrorBody)
    )
)]
pub async fn get_instrument(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(symbol): Path<String>,
) -> ApiResult<Json<InstrumentResponse>> {
    Ok(Json(InstrumentResponse { instrument: read::get(&app, &actor, &symbol).await? }))
}

/// Replaces every field of an instrument (ManageInstruments; audited).
#[utoipa::path(
    put, path = "/api/instruments/{symbol}", tag = "Instruments", summary = "Update instrument by symbol",
    params(("symbol" = String, Path, description = "The symbol")),
    request_body = InstrumentRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = InstrumentResponse),
        (status = 403, description = "Missing ManageInstruments", body = ErrorBody),
        (status = 404, description = "No such instrument", body = ErrorBody),
        (status = 409, description = "The new symbol is taken", body = ErrorBody),
        (status = 422, description = "Invalid fields, each named", body = ErrorBody)
    )
)]
pub async fn update_instrument(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(symbol): Path<String>,
    JsonBody(b): JsonBody<InstrumentRequest>,
) -> ApiResult<Json<InstrumentResponse>> {
    let instrument = manage::update(&app, &actor, &symbol, b.into()).await?;
    Ok(Json(InstrumentResponse { instrument }))
}

/// Deletes an instrument (ManageInstruments; audited).
#[utoipa::path(
    delete, path = "/api/instruments/{symbol}", tag = "Instruments", summary = "Delete instrument by symbol",
    params(("symbol" = String, Path, description = "The symbol")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Deleted", body = InstrumentDeletedResponse),
        (status = 403, description = "Missing ManageInstruments", body = ErrorBody),
        (status = 404, description = "No such instrument", body = ErrorBody)
    )
)]
pub async fn delete_instrument(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(symbol): Path<String>,
) -> ApiResult<Json<InstrumentDeletedResponse>> {
    manage::delete(&app, &actor, &symbol).await?;
    Ok(Json(InstrumentDeletedResponse { success: format!("instrument {symbol} deleted") }))
}

/// Sets the sort of the named instruments: `{"EURUSD": 1, "GBPUSD": 2}` (ManageInstruments;
/// audited). Returns every instrument in the new order.
#[utoipa::path(
    post, path = "/api/instruments/sort", tag = "Instruments", summary = "Sort instruments",
    request_body(content = BTreeMap<String, f64>, description = "symbol → sort (0-1000000)"),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Instruments in the new order", body = InstrumentsResponse),
        (status = 403, description = "Missing ManageInstruments", body = ErrorBody),
        (status = 422, description = "An unknown symbol or bad sort, named by the symbol", body = ErrorBody)
    )
)]
pub async fn sort_instruments(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<BTreeMap<String, f64>>,
) -> ApiResult<Json<InstrumentsResponse>> {
    Ok(Json(InstrumentsResponse { instruments: manage::sort(&app, &actor, b).await? }))
}

/// Every instrument as an XLSX workbook (ReadInstruments).
#[utoipa::path(
    get, path = "/api/instruments/export", tag = "Instruments", summary = "Export instruments to XLSX",
    params(("token" = String, Query, description = "A one-time download token (or an Authorization header)")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The workbook",
         content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "Missing ReadInstruments", body = ErrorBody)
    )
)]
pub async fn export_instruments(
    State(app): State<App>,
    headers: HeaderMap,
    Query(t): Query<TokenQuery>,
) -> ApiResult<Response> {
    let actor = download(&app, &headers, t.token).await?;
    Ok(xlsx_response(export::export(&app, &actor).await?, "instruments"))
}

/// The active instruments with what a client needs to trade them (anyone signed in).
#[utoipa::path(
    get, path = "/api/me/instruments", tag = "Instruments", summary = "Get user instruments information",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Instruments", body = InstrumentInfoResponse),
        (status = 401, description = "Not signed in", body = ErrorBody)
    )
)]
pub async fn list_user_instruments(
    State(app): State<App>,
    Auth(actor): Auth,
) -> ApiResult<Json<InstrumentInfoResponse>> {
    Ok(Json(InstrumentInfoResponse { instruments: client::list(&app, &actor).await? }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_instruments, create_instrument))
        .routes(routes!(list_instrument_symbols))
        .routes(routes!(sort_instruments))
        .routes(routes!(export_instruments))
        .routes(routes!(get_instrument, update_instrument, delete_instrument))
        .routes(routes!(list_user_instruments))
}
