//! Seed 002 tag Coins: coin settings, the current exchange rate, exchanging a fixed lot of
//! coins into wallet money, the coins transaction list and the loyalty levels; plus the
//! staff award of coins (our own tag "Coin Awards": the seed's earning source, trading,
//! arrives with the trading engine). The tag's "Get a list of commission models" is served
//! beside the Commissions tag, in `commission_models`.

use axum::extract::{Path, State};
use axum::http::HeaderMap;
use brokercrm_app::App;
use brokercrm_app::money::coins::history::{self, CoinTransaction, HistoryQuery};
use brokercrm_app::money::coins::{self, exchange};
use brokercrm_core::Error;
use brokercrm_core::money::coins::LoyaltyLevel;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::bonuses::number;
use super::wallets::dto::{idempotency_key, money};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};

/// The coin settings.
#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CoinSettingsDto {
    pub coins_enabled: bool,
    /// Dollars one coin is worth (above 0, at most 1000, at most 8 decimals).
    #[schema(value_type = f64, example = 0.01)]
    pub dollars_per_coin: Value,
}

/// `{"success": true}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CoinsSuccessDto)]
pub struct SuccessDto {
    pub success: bool,
}

/// The current exchange rate.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CoinsRateDto {
    /// What one coin pays the caller now, with their loyalty level's bonus.
    #[schema(example = 0.0105)]
    pub effective_rate: f64,
    /// Dollars per coin in `currency`, before the loyalty bonus.
    #[schema(example = 0.01)]
    pub rate: f64,
    #[schema(example = "USD")]
    pub currency: String,
}

/// Body of "Exchange coins".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeRequest {
    /// Coins: 300, 600, 1200, 2400 or 4800.
    #[schema(value_type = i64, example = 300)]
    pub amount: Option<Value>,
    /// The wallet to pay into (default: the customer's oldest active real wallet).
    pub wallet_id: Option<i64>,
}

/// The result of an exchange: `errors` is empty on success (failures answer 422).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ExchangeResponse {
    pub errors: Vec<String>,
    pub transfer_id: String,
    pub coins: i64,
    /// Decimal string in `currency`.
    #[schema(example = "3.15")]
    pub amount: String,
    pub currency: String,
    pub wallet_id: i64,
    /// Paid into the wallet's credit (levels below Gold) rather than its balance.
    pub add_to_credit: bool,
}

/// A coin movement.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CoinTransactionDto {
    pub id: String,
    /// The customer's UUID.
    pub customer_id: Option<String>,
    /// `BONUS` (earned) or `COINS_EXCHANGE`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Signed coins: positive earned, negative exchanged.
    pub amount: i64,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<CoinTransaction> for CoinTransactionDto {
    fn from(t: CoinTransaction) -> Self {
        Self {
            id: t.id,
            customer_id: t.customer_id,
            kind: t.kind,
            amount: t.coins,
            comment: t.comment,
            created_at: t.created_at,
        }
    }
}

/// `{"transactions": [...], "pages": n}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CoinTransactionsResponse {
    pub transactions: Vec<CoinTransactionDto>,
    pub pages: u64,
}

/// A loyalty level.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoyaltyLevelDto {
    pub level: u8,
    pub name: String,
    /// Coins to earn in one calendar month to reach, and to keep, the level.
    pub coins_required: i64,
    /// Extra percent paid on an exchange.
    pub exchange_bonus_percent: f64,
    /// Exchanged coins are paid as real money (balance) rather than credit.
    pub real_money: bool,
}

impl From<&LoyaltyLevel> for LoyaltyLevelDto {
    fn from(l: &LoyaltyLevel) -> Self {
        let pct = rust_decimal::Decimal::new(l.exchange_bonus_bp, 2).normalize().to_string();
        Self {
            level: l.level,
            name: l.name.to_owned(),
            coins_required: l.coins_required,
            exchange_bonus_percent: number(&pct),
            real_money: l.real_money,
        }
    }
}

/// `{"loyaltyLevels": [...]}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoyaltyLevelsResponse {
    pub loyalty_levels: Vec<LoyaltyLevelDto>,
}

/// Body of "Award coins".
#[derive(Debug, Deserialize, ToSchema)]
pub struct AwardRequest {
    /// Whole coins above 0.
    #[schema(value_type = i64, example = 500)]
    pub amount: Option<Value>,
    pub comment: Option<String>,
}

/// The customer's coin balance after an award.
#[derive(Debug, Serialize, ToSchema)]
pub struct AwardResponse {
    pub balance: i64,
}

/// Whole coins from a JSON number (or numeric string); errors name `field`.
fn whole(field: &str, v: Option<&Value>) -> Result<i64, Error> {
    let bad = || Error::field(field, "must be a whole number of coins");
    match v {
        Some(Value::Number(n)) => n.as_i64().ok_or_else(bad),
        Some(Value::String(s)) => s.trim().parse().map_err(|_| bad()),
        None | Some(Value::Null) => Err(Error::field(field, "is required")),
        Some(_) => Err(bad()),
    }
}

/// The coin settings (any signed-in user).
#[utoipa::path(
    get, path = "/api/coins/settings", tag = "Coins", summary = "Get coins settings",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The settings", body = CoinSettingsDto)
    )
)]
pub async fn get_coins_settings(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<CoinSettingsDto>> {
    let s = coins::get_settings(&app, &p).await?;
    Ok(axum::Json(CoinSettingsDto {
        coins_enabled: s.coins_enabled,
        dollars_per_coin: Value::from(number(&s.dollars_per_coin.to_string())),
    }))
}

/// Opens or closes coin exchange and sets the dollar value of a coin (ManageSettings;
/// audited).
#[utoipa::path(
    put, path = "/api/coins/settings", tag = "Coins", summary = "Update coins settings",
    request_body = CoinSettingsDto,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Saved", body = SuccessDto),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 422, description = "Invalid `dollarsPerCoin`", body = ErrorBody)
    )
)]
pub async fn update_coins_settings(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CoinSettingsDto>,
) -> ApiResult<axum::Json<SuccessDto>> {
    let dollars = money("dollarsPerCoin", &b.dollars_per_coin)?;
    coins::put_settings(&app, &p, b.coins_enabled, dollars).await?;
    Ok(axum::Json(SuccessDto { success: true }))
}

/// The caller's current exchange rate: a customer's in the currency of the wallet an exchange
/// pays into, with their loyalty bonus; staff see the base rate in USD.
#[utoipa::path(
    get, path = "/api/coins/exchange-rate", tag = "Coins", summary = "Get the current exchange rate",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The rate", body = CoinsRateDto)
    )
)]
pub async fn get_exchange_rate(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<CoinsRateDto>> {
    let r = coins::rate(&app, &p).await?;
    Ok(axum::Json(CoinsRateDto {
        effective_rate: number(&r.effective_rate.to_string()),
        rate: number(&r.rate.to_string()),
        currency: r.currency.to_string(),
    }))
}

/// Exchanges a lot of the customer's coins into money in their wallet (customers only).
/// Send an `Idempotency-Key` to make a retry exchange once.
#[utoipa::path(
    post, path = "/api/coins/exchange", tag = "Coins", summary = "Exchange coins",
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry key: the same key and body exchange once")),
    request_body = ExchangeRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Exchanged (or replayed)", body = ExchangeResponse),
        (status = 403, description = "Not a customer", body = ErrorBody),
        (status = 409, description = "Idempotency-Key reused with another body", body = ErrorBody),
        (status = 422, description = "`amount` not an allowed lot or more than the coins held, exchange disabled, or no `walletId` to pay into", body = ErrorBody)
    )
)]
pub async fn exchange_coins(
    State(app): State<App>,
    Auth(p): Auth,
    headers: HeaderMap,
    Json(b): Json<ExchangeRequest>,
) -> ApiResult<axum::Json<ExchangeResponse>> {
    let coins = whole("amount", b.amount.as_ref())?;
    let key = idempotency_key(&headers)?;
    let e = exchange::exchange(&app, &p, coins, b.wallet_id, key.as_deref()).await?;
    Ok(axum::Json(ExchangeResponse {
        errors: Vec::new(),
        transfer_id: e.transfer_id.to_string(),
        coins: e.coins,
        amount: e.amount.to_string(),
        currency: e.currency.to_string(),
        wallet_id: e.wallet_id,
        add_to_credit: e.to_credit,
    }))
}

/// Query of "Get a list of coins transactions".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct CoinsHistoryQuery {
    /// Customer UUID or account id (staff)
    pub account: Option<String>,
    /// Per page (default 20, at most 500)
    pub limit: Option<u64>,
    /// Rows to skip
    pub offset: Option<u64>,
    /// `createdAt:desc` (default) or `createdAt:asc`
    pub order_by: Option<String>,
}

/// Coin movements, newest first by default. Staff (ReadWallets) see all or one customer's
/// (`account`: UUID or account id); a customer only their own.
#[utoipa::path(
    get, path = "/api/coins/transactions", tag = "Coins", summary = "Get a list of coins transactions",
    params(CoinsHistoryQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "A page of coin movements", body = CoinTransactionsResponse),
        (status = 403, description = "Missing ReadWallets permission", body = ErrorBody),
        (status = 422, description = "Invalid query parameter", body = ErrorBody)
    )
)]
pub async fn list_coins_transactions(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<CoinsHistoryQuery>,
) -> ApiResult<axum::Json<CoinTransactionsResponse>> {
    let hq =
        HistoryQuery { account: q.account, limit: q.limit, offset: q.offset, order_by: q.order_by };
    let (list, pages) = history::list(&app, &p, hq).await?;
    Ok(axum::Json(CoinTransactionsResponse {
        transactions: list.into_iter().map(CoinTransactionDto::from).collect(),
        pages,
    }))
}

/// The loyalty levels, lowest first (any signed-in user).
#[utoipa::path(
    get, path = "/api/coins/loyalty-levels", tag = "Coins", summary = "Get loyalty levels",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The levels", body = LoyaltyLevelsResponse)
    )
)]
pub async fn list_loyalty_levels(Auth(_p): Auth) -> ApiResult<axum::Json<LoyaltyLevelsResponse>> {
    Ok(axum::Json(LoyaltyLevelsResponse {
        loyalty_levels: coins::levels().iter().map(LoyaltyLevelDto::from).collect(),
    }))
}

/// Awards coins to a customer (ManageWalletMoney; audited): the staff way to credit coins
/// until trading earns them. Send an `Idempotency-Key` to make a retry award once.
#[utoipa::path(
    post, path = "/api/customers/{id}/coins", tag = "Coin Awards", summary = "Award coins",
    params(
        ("id" = String, Path, description = "Customer UUID or account id"),
        ("Idempotency-Key" = Option<String>, Header, description = "Retry key: the same key and body award once")
    ),
    request_body = AwardRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The customer's coin balance", body = AwardResponse),
        (status = 403, description = "Missing ManageWalletMoney permission", body = ErrorBody),
        (status = 404, description = "No such customer", body = ErrorBody),
        (status = 409, description = "Idempotency-Key reused with another body", body = ErrorBody),
        (status = 422, description = "Invalid `amount` or `comment`", body = ErrorBody)
    )
)]
pub async fn award_coins(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    headers: HeaderMap,
    Json(b): Json<AwardRequest>,
) -> ApiResult<axum::Json<AwardResponse>> {
    let coins = whole("amount", b.amount.as_ref())?;
    let key = idempotency_key(&headers)?;
    let balance =
        exchange::award(&app, &p, &id, coins, b.comment.as_deref(), key.as_deref()).await?;
    Ok(axum::Json(AwardResponse { balance }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(get_coins_settings, update_coins_settings))
        .routes(routes!(get_exchange_rate))
        .routes(routes!(exchange_coins))
        .routes(routes!(list_coins_transactions))
        .routes(routes!(list_loyalty_levels))
        .routes(routes!(award_coins))
}
