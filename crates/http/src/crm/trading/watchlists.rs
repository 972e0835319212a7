//! Seed 002 tag Watchlists (3 operations): the instruments the current wallet watches. The
//! current wallet is the `X-Wallet-Id` header's, else the caller's first active wallet.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use brokercrm_app::App;
use brokercrm_app::trading::watchlists;
use brokercrm_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};

/// `{"watchlist": ["EURUSD", ...]}`.
#[derive(Serialize, ToSchema)]
pub struct WatchlistResponse {
    /// Symbols in the order they were added.
    #[schema(example = json!(["EURUSD", "XAUUSD"]))]
    pub watchlist: Vec<String>,
}

/// Body of "Add instrument to watchlist for current wallet".
#[derive(Deserialize, ToSchema)]
pub struct WatchlistAdd {
    #[schema(example = "EURUSD")]
    pub symbol: String,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
pub struct WatchlistSuccess {
    pub success: bool,
}

/// The `X-Wallet-Id` header, if any (422 on it when not a wallet id).
pub(super) fn named(headers: &HeaderMap) -> Result<Option<i64>, Error> {
    let Some(v) = headers.get("x-wallet-id") else { return Ok(None) };
    v.to_str()
        .ok()
        .and_then(|s| s.trim().parse::<i64>().ok())
        .filter(|id| *id > 0)
        .map(Some)
        .ok_or_else(|| Error::field("X-Wallet-Id", "must be a wallet id"))
}

/// The current wallet's watchlist.
#[utoipa::path(
    get, path = "/api/watchlist", tag = "Watchlists", summary = "Get watchlist for current wallet",
    params(("X-Wallet-Id" = Option<i64>, Header, description = "The current wallet (default: the caller's first active wallet; staff must name one)")),
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "The watchlist", body = WatchlistResponse),
        (status = 404, description = "No such wallet (or none yet)", body = ErrorBody),
        (status = 422, description = "A bad `X-Wallet-Id`", body = ErrorBody)
    )
)]
pub async fn get_watchlist(
    State(app): State<App>,
    Auth(actor): Auth,
    headers: HeaderMap,
) -> ApiResult<Json<WatchlistResponse>> {
    let watchlist = watchlists::get(&app, &actor, named(&headers)?).await?;
    Ok(Json(WatchlistResponse { watchlist }))
}

/// Adds an instrument (adding one already there changes nothing).
#[utoipa::path(
    post, path = "/api/watchlist", tag = "Watchlists",
    summary = "Add instrument to watchlist for current wallet",
    params(("X-Wallet-Id" = Option<i64>, Header, description = "The current wallet")),
    request_body = WatchlistAdd,
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Added", body = WatchlistSuccess),
        (status = 404, description = "No such wallet", body = ErrorBody),
        (status = 422, description = "An unknown `symbol`", body = ErrorBody)
    )
)]
pub async fn add_to_watchlist(
    State(app): State<App>,
    Auth(actor): Auth,
    headers: HeaderMap,
    JsonBody(b): JsonBody<WatchlistAdd>,
) -> ApiResult<Json<WatchlistSuccess>> {
    watchlists::add(&app, &actor, named(&headers)?, &b.symbol).await?;
    Ok(Json(WatchlistSuccess { success: true }))
}

/// Removes an instrument.
#[utoipa::path(
    delete, path = "/api/watchlist/{symbol}", tag = "Watchlists",
    summary = "Remove instrument from wallet's watchlist",
    params(
        ("symbol" = String, Path, description = "Symbol"),
        ("X-Wallet-Id" = Option<i64>, Header, description = "The current wallet")
    ),
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Removed", body = WatchlistSuccess),
        (status = 404, description = "Not on the watchlist, or no such wallet", body = ErrorBody)
    )
)]
pub async fn remove_from_watchlist(
    State(app): State<App>,
    Auth(actor): Auth,
    headers: HeaderMap,
    Path(symbol): Path<String>,
) -> ApiResult<Json<WatchlistSuccess>> {
    watchlists::remove(&app, &actor, named(&headers)?, &symbol).await?;
    Ok(Json(WatchlistSuccess { success: true }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(get_watchlist, add_to_watchlist))
        .routes(routes!(remove_from_watchlist))
}
