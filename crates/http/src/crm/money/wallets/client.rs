//! The client's own wallets under `/api/me/wallets`: list, create, balances, leverages, one
//! wallet, its balance and its transactions by date range. Another customer's wallet is 404.

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::money::wallets::Page;
use brokercrm_app::money::wallets::client::{self, ClientWalletInput};
use brokercrm_app::trading::watchlists;
use brokercrm_core::Error;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{
    BalanceResponse, TransactionsResponse, WalletBalanceDto, WalletDto, WalletsResponse,
};
use crate::crm::money::groups::path_id;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};
use crate::paging::PageNumberQuery;

/// How many recent transactions "Get wallet by id" embeds.
const RECENT: u64 = 10;

/// Body of the client's "Create wallet".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ClientCreateWalletRequest {
    /// One of "Get wallets leverages" (`"100"` or `"1:100"`); default the group's, else 100.
    #[schema(example = "100")]
    pub leverage: Option<String>,
    /// Default: the `default.currency` setting, else USD.
    #[schema(example = "USD")]
    pub currency: Option<String>,
    pub is_demo: Option<bool>,
}

/// `{"wallets": [...]}` of "Get wallets balance".
#[derive(Serialize, ToSchema)]
pub struct WalletsBalanceResponse {
    pub wallets: Vec<WalletBalanceDto>,
}

/// `{"leverages": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct LeveragesResponse {
    /// Leverages a client may choose when opening a wallet.
    #[schema(example = json!([1, 10, 50, 100, 200, 500]))]
    pub leverages: Vec<i32>,
}

/// Query of "Get wallet transactions by id".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct MyTransactionsQuery {
    /// From (RFC 3339)
    #[param(value_type = DateTime<Utc>, required = true)]
    pub start_date: Option<String>,
    /// To (RFC 3339), inclusive
    #[param(value_type = DateTime<Utc>, required = true)]
    pub end_date: Option<String>,
    /// 1-based page (default 1)
    pub page: Option<u64>,
    /// Per page (default 20, at most 500)
    pub limit: Option<u64>,
}

fn date(raw: Option<&str>, name: &str) -> Result<DateTime<Utc>, Error> {
    let raw = raw.ok_or_else(|| Error::field(name, "is required"))?;
    DateTime::parse_from_rfc3339(raw.trim())
        .map(|d| d.with_timezone(&Utc))
        .map_err(|_| Error::field(name, "must be an RFC 3339 date-time"))
}

/// The caller's wallets with their money, newest first.
#[utoipa::path(
    get, path = "/api/me/wallets", tag = "Wallets", summary = "Get wallets",
    params(PageNumberQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The caller's wallets", body = WalletsResponse)
    )
)]
pub async fn list_my_wallets(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<PageNumberQuery>,
) -> ApiResult<Json<WalletsResponse>> {
    let page = q.page()?;
    let (list, pages) = client::list(&app, &actor, page).await?;
    let ids: Vec<i64> = list.iter().map(|w| w.id).collect();
    let mut watched = watchlists::of_wallets(&app, &ids).await?;
    let wallets = list
        .into_iter()
        .map(|w| {
            let symbols = watched.remove(&w.id).unwrap_or_default();
            WalletDto::for_client(w, Vec::new(), symbols)
        })
        .collect();
    Ok(Json(WalletsResponse { wallets, pages }))
}

/// Opens a wallet for the calling customer (platform and group from the default-wallet
/// setting).
#[utoipa::path(
    post, path = "/api/me/wallets", tag = "Wallets", summary = "Create wallet",
    request_body = ClientCreateWalletRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The new wallet", body = WalletDto),
        (status = 403, description = "Not a customer", body = ErrorBody),
        (status = 422, description = "Invalid `leverage` or `currency`", body = ErrorBody)
    )
)]
pub async fn create_my_wallet(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<ClientCreateWalletRequest>,
) -> ApiResult<Json<WalletDto>> {
    let n = ClientWalletInput { leverage: b.leverage, currency: b.currency, is_demo: b.is_demo };
    let w = client::create(&app, &actor, n).await?;
    Ok(Json(WalletDto::for_client(w, Vec::new(), Vec::new())))
}

/// Balance, credit and equity of each of the caller's wallets.
#[utoipa::path(
    get, path = "/api/me/wallets/balances", tag = "Wallets", summary = "Get wallets balance",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Money per wallet", body = WalletsBalanceResponse)
    )
)]
pub async fn my_wallets_balance(
    State(app): State<App>,
    Auth(actor): Auth,
) -> ApiResult<Json<WalletsBalanceResponse>> {
    let list = client::balances(&app, &actor).await?;
    Ok(Json(WalletsBalanceResponse {
        wallets: list.into_iter().map(WalletBalanceDto::from).collect(),
    }))
}

/// The leverages a client may choose when opening a wallet.
#[utoipa::path(
    get, path = "/api/me/wallets/leverages", tag = "Wallets", summary = "Get wallets leverages",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Leverage choices", body = LeveragesResponse)
    )
)]
pub async fn my_wallets_leverages(Auth(_actor): Auth) -> Json<LeveragesResponse> {
    Json(LeveragesResponse { leverages: client::leverages().to_vec() })
}

/// One of the caller's wallets with money and its 10 latest transactions.
#[utoipa::path(
    get, path = "/api/me/wallets/{id}", tag = "Wallets", summary = "Get wallet by id",
    params(("id" = i64, Path, description = "Wallet id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The wallet", body = WalletDto),
        (status = 404, description = "No such wallet of the caller", body = ErrorBody)
    )
)]
pub async fn get_my_wallet(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<WalletDto>> {
    let id = path_id(&id, "wallet")?;
    let w = client::get(&app, &actor, id).await?;
    let recent = Page::numbered(Some(1), Some(RECENT))?;
    let (tx, _) =
        brokercrm_app::money::wallets::money::transactions(&app, &actor, id, None, recent).await?;
    let symbols = watchlists::of_wallets(&app, &[id]).await?.remove(&id).unwrap_or_default();
    Ok(Json(WalletDto::for_client(w, tx, symbols)))
}

/// Money of one of the caller's wallets.
#[utoipa::path(
    get, path = "/api/me/wallets/{id}/balance", tag = "Wallets", summary = "Get wallet balance by id",
    params(("id" = i64, Path, description = "Wallet id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Balance (and credit, equity, currency)", body = BalanceResponse),
        (status = 404, description = "No such wallet of the caller", body = ErrorBody)
    )
)]
pub async fn my_wallet_balance(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<BalanceResponse>> {
    let b = client::balance(&app, &actor, path_id(&id, "wallet")?).await?;
    Ok(Json(BalanceResponse::of(b)))
}

/// Transactions of one of the caller's wallets created within `[startDate, endDate]`,
/// newest first.
#[utoipa::path(
    get, path = "/api/me/wallets/{id}/transactions", tag = "Wallets",
    summary = "Get wallet transactions by id",
    params(
        ("id" = i64, Path, description = "Wallet id"),
        MyTransactionsQuery
    ),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Transactions", body = TransactionsResponse),
        (status = 404, description = "No such wallet of the caller", body = ErrorBody),
        (status = 422, description = "Missing or invalid `startDate`/`endDate`", body = ErrorBody)
    )
)]
pub async fn my_wallet_transactions(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    Query(q): Query<MyTransactionsQuery>,
) -> ApiResult<Json<TransactionsResponse>> {
    let id = path_id(&id, "wallet")?;
    let page = Page::numbered(q.page, q.limit)?;
    let mut v = brokercrm_core::Violations::new();
    let start = v.check(date(q.start_date.as_deref(), "startDate"));
    let end = v.check(date(q.end_date.as_deref(), "endDate"));
    v.finish()?;
    let (Some(start), Some(end)) = (start, end) else {
        return Err(Error::internal("unreachable: dates were checked").into());
    };
    let list = client::transactions(&app, &actor, id, start, end, page).await?;
    Ok(Json(TransactionsResponse::of(list)))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_my_wallets, create_my_wallet))
        .routes(routes!(my_wallets_balance))
        .routes(routes!(my_wallets_leverages))
        .routes(routes!(get_my_wallet))
        .routes(routes!(my_wallet_balance))
        .routes(routes!(my_wallet_transactions))
}
