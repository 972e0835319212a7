//! Seed 002 tag Market Data ("Get market data for a given interval"), plus our own price
//! routes: a staff member's manual quote, the latest quote of a symbol, and the push endpoint
//! of a price provider (API key or bearer with PushPrices).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use brokercrm_app::App;
use brokercrm_app::trading::prices::manual::{self, QuoteView, RawTick};
use brokercrm_app::trading::prices::market_data::{self, CandleView, MarketRow};
use brokercrm_app::trading::quotes;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::watchlists::named;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};

/// Query of "Get market data for a given interval".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MarketDataQuery {
    /// One symbol: its candles instead of the summary of every instrument.
    pub symbol: Option<String>,
    /// With `symbol`: how many candles, newest (default 100, at most 1000).
    pub limit: Option<u64>,
}

/// The summary of every active instrument, or one symbol's candles.
#[derive(Serialize, ToSchema)]
#[serde(untagged)]
pub enum MarketDataResponse {
    Summary(Vec<MarketRow>),
    Candles(Vec<CandleView>),
}

/// Per active instrument the open, high, low, close and change of its latest candle of
/// `interval` (`1m 5m 15m 1h 4h 1d 1w 1M`); with `symbol=`, that symbol's candles, oldest
/// first (anyone signed in). Candles of the bid, with the markup of the trading group of the
/// current wallet (`X-Wallet-Id`, else a client's first active wallet); staff naming no
/// wallet see the raw feed.
#[utoipa::path(
    get, path = "/api/market-data/{interval}", tag = "Market Data",
    summary = "Get market data for a given interval",
    params(
        ("interval" = String, Path, description = "The interval for which to get market data"),
        MarketDataQuery,
        ("X-Wallet-Id" = Option<i64>, Header, description = "The wallet whose group's markup applies (default: a client's first active wallet; staff: none, the raw feed)")
    ),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Market data", body = MarketDataResponse),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 404, description = "The named wallet is not the caller's", body = ErrorBody),
        (status = 422, description = "Unknown `interval`, `symbol`, a bad `limit` or `X-Wallet-Id`", body = ErrorBody)
    )
)]
pub async fn get_market_data(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(interval): Path<String>,
    Query(q): Query<MarketDataQuery>,
    headers: HeaderMap,
) -> ApiResult<Json<MarketDataResponse>> {
    let wallet = named(&headers)?;
    Ok(Json(match q.symbol {
        Some(s) => MarketDataResponse::Candles(
            market_data::candles(&app, &actor, wallet, &interval, &s, q.limit).await?,
        ),
        None => MarketDataResponse::Summary(
            market_data::summary(&app, &actor, wallet, &interval).await?,
        ),
    }))
}

/// Body of a manual quote.
#[derive(Deserialize, ToSchema)]
pub struct QuoteRequest {
    /// Decimal string or number, at most the instrument's decimals.
    #[schema(value_type = String, example = "1.08500")]
    pub bid: Value,
    /// Not below `bid`.
    #[schema(value_type = String, example = "1.08510")]
    pub ask: Value,
}

/// `{"quote": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct QuoteResponse {
    pub quote: Option<QuoteView>,
}

/// Sets the instrument's price now (ManageInstruments; audited). Dropped like any tick if a
/// newer price is stored.
#[utoipa::path(
    post, path = "/api/instruments/{symbol}/quote", tag = "Prices", summary = "Set a manual quote",
    params(("symbol" = String, Path, description = "The symbol")),
    request_body = QuoteRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The quote", body = QuoteResponse),
        (status = 403, description = "Missing ManageInstruments", body = ErrorBody),
        (status = 404, description = "No such instrument", body = ErrorBody),
        (status = 422, description = "A bad `bid` or `ask`", body = ErrorBody)
    )
)]
pub async fn set_quote(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(symbol): Path<String>,
    JsonBody(b): JsonBody<QuoteRequest>,
) -> ApiResult<Json<QuoteResponse>> {
    let q = manual::quote(&app, &actor, &symbol, &b.bid, &b.ask).await?;
    Ok(Json(QuoteResponse { quote: Some(q) }))
}

/// The latest quote of a symbol as the caller trades it (`null` before its first tick; anyone
/// signed in): with the markup of the trading group of the current wallet (`X-Wallet-Id`, else
/// a client's first active wallet); staff naming no wallet see the raw quote.
#[utoipa::path(
    get, path = "/api/instruments/{symbol}/quote", tag = "Prices", summary = "Get the latest quote",
    params(
        ("symbol" = String, Path, description = "The symbol"),
        ("X-Wallet-Id" = Option<i64>, Header, description = "The wallet whose group's markup applies (default: a client's first active wallet; staff: none, the raw quote)")
    ),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The quote", body = QuoteResponse),
        (status = 404, description = "No such instrument, or the named wallet is not the caller's", body = ErrorBody),
        (status = 422, description = "A bad `X-Wallet-Id`", body = ErrorBody)
    )
)]
pub async fn get_quote(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(symbol): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Json<QuoteResponse>> {
    let wallet = named(&headers)?;
    Ok(Json(QuoteResponse { quote: quotes::latest_for(&app, &actor, wallet, &symbol).await? }))
}

/// One pushed tick.
#[derive(Deserialize, ToSchema)]
pub struct TickRequest {
    #[schema(example = "EURUSD")]
    pub symbol: String,
    #[schema(value_type = String, example = "1.08500")]
    pub bid: Value,
    #[schema(value_type = String, example = "1.08510")]
    pub ask: Value,
    /// When it was quoted (default: when received).
    pub time: Option<DateTime<Utc>>,
}

/// A batch of ticks.
#[derive(Deserialize, ToSchema)]
pub struct TicksRequest {
    pub ticks: Vec<TickRequest>,
}

/// What became of a batch.
#[derive(Serialize, ToSchema)]
pub struct TicksResponse {
    pub accepted: usize,
    /// Out of order, replayed or older than 60 s.
    pub dropped: usize,
}

/// A price provider's batch of ticks (PushPrices, e.g. an admin's API key). A malformed tick
/// is named (`ticks[3].bid`) and nothing is stored; out-of-order and stale ticks are dropped.
#[utoipa::path(
    post, path = "/api/prices/ticks", tag = "Prices", summary = "Push price ticks",
    request_body = TicksRequest,
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Stored", body = TicksResponse),
        (status = 403, description = "Missing PushPrices", body = ErrorBody),
        (status = 422, description = "A malformed tick, named", body = ErrorBody)
    )
)]
pub async fn push_ticks(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<TicksRequest>,
) -> ApiResult<Json<TicksResponse>> {
    let raw = b
        .ticks
        .into_iter()
        .map(|t| RawTick { symbol: t.symbol, bid: t.bid, ask: t.ask, time: t.time })
        .collect();
    let out = manual::push(&app, &actor, raw).await?;
    Ok(Json(TicksResponse { accepted: out.accepted, dropped: out.dropped }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(get_market_data))
        .routes(routes!(set_quote, get_quote))
        .routes(routes!(push_ticks))
}
