//! Staff wallet operations: list with filters, create, get, update, transfer between a
//! customer's wallets, enable, disable, the manual transaction ("Get wallet transactions")
//! and the balance.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use brokercrm_app::App;
use brokercrm_app::money::wallets::admin::{self, ListQuery, NewWalletInput, WalletUpdate};
use brokercrm_app::money::wallets::money::{self, ManualInput, TransferInput};
use brokercrm_app::money::wallets::{Page, WalletView};
use brokercrm_core::Error;
use brokercrm_core::money::wallets::WalletStatus;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{
    BalanceResponse, SuccessResponse, TransactionsResponse, WalletDto, WalletsResponse,
    idempotency_key, money,
};
use crate::crm::money::groups::path_id;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};
use crate::paging::PageNumberQuery;

/// Query of staff "Get wallets". Array parameters repeat (`currencies=USD&currencies=EUR`)
/// or are comma-separated.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ListWalletsQuery {
    /// Wallet id, or part of the owner's e-mail, first or last name.
    pub search: Option<String>,
    pub currencies: Option<Vec<String>>,
    pub leverage_from: Option<String>,
    pub leverage_to: Option<String>,
    /// `true` or `false`.
    pub is_demo: Option<String>,
    /// Group ids or names.
    pub groups: Option<Vec<String>>,
    /// `true`: only wallets with open positions.
    pub only_show_wallets_with_open_positions: Option<String>,
    /// 1-based page (default 1).
    pub page: Option<u64>,
    /// Wallets per page (default 20, at most 500).
    pub limit: Option<u64>,
}

/// Body of staff "Create wallet".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateWalletRequest {
    /// The customer's UUID (or numeric account id).
    pub customer_id: String,
    /// Trading group; its currency is the wallet's. Default: the default-wallet setting's
    /// group, else none (currency `default.currency`, else USD).
    pub group_id: Option<i64>,
    /// `NEO` (default) or `PRO`.
    pub platform: Option<String>,
    /// Default: the group's leverage, else 100.
    pub leverage: Option<f64>,
    pub is_demo: Option<bool>,
}

/// Body of "Update wallet by ID"; absent fields keep their values.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateWalletRequest {
    /// A group in the wallet's currency.
    pub group_id: Option<i64>,
    pub leverage: Option<f64>,
}

/// Body of "Transfer money between wallets" (same owner, same currency).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TransferRequest {
    pub source_wallet_id: i64,
    pub target_wallet_id: i64,
    /// Decimal (number or string), at most 8 decimals.
    #[schema(value_type = f64, example = 100.5)]
    pub amount: Value,
}

/// Body of "Get wallet transactions": an optional manual transaction to record first.
/// With `type` and `amount` the transaction is applied; with neither, nothing is written.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WalletTransactionRequest {
    /// `DEPOSIT`, `WITHDRAWAL`, `BONUS` or `CORRECTION` (the only one that may be negative).
    #[serde(rename = "type")]
    #[schema(example = "DEPOSIT")]
    pub kind: Option<String>,
    /// Must be the wallet's currency when given.
    #[schema(example = "USD")]
    pub currency: Option<String>,
    /// How the money came or went (kept in the audit log).
    pub method: Option<String>,
    pub comment: Option<String>,
    /// Move the wallet's credit instead of its balance.
    pub add_to_credit: Option<bool>,
    /// Decimal (number or string), at most 8 decimals.
    #[schema(value_type = Option<f64>, example = 100)]
    pub amount: Option<Value>,
}

/// `{"wallet": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct WalletResponse {
    pub wallet: WalletDto,
}

fn wallet_id(raw: &str) -> Result<i64, Error> {
    path_id(raw, "wallet")
}

fn wallets_response((list, pages): (Vec<WalletView>, u64)) -> WalletsResponse {
    WalletsResponse { wallets: list.into_iter().map(WalletDto::from).collect(), pages }
}

/// Lists wallets, newest first, with filters (ReadWallets).
#[utoipa::path(
    get, path = "/api/wallets", tag = "Wallets", summary = "Get wallets",
    params(ListWalletsQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "A page of wallets with money", body = WalletsResponse),
        (status = 403, description = "Missing ReadWallets permission", body = ErrorBody),
        (status = 422, description = "Invalid filter, named in details", body = ErrorBody)
    )
)]
pub async fn list_wallets(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<ListWalletsQuery>,
) -> ApiResult<Json<WalletsResponse>> {
    let page = Page::numbered(q.page, q.limit)?;
    let q = ListQuery {
        customer_id: None,
        search: q.search,
        currencies: q.currencies.unwrap_or_default(),
        leverage_from: q.leverage_from,
        leverage_to: q.leverage_to,
        is_demo: q.is_demo,
        groups: q.groups.unwrap_or_default(),
        only_with_open_positions: q.only_show_wallets_with_open_positions,
    };
    let (list, total) = admin::list(&app, &actor, q, page).await?;
    Ok(Json(wallets_response((list, page.pages(total)))))
}

/// Opens a wallet for a customer (ManageWallets; audited).
#[utoipa::path(
    post, path = "/api/wallets", tag = "Wallets", summary = "Create wallet",
    request_body = CreateWalletRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The new wallet", body = WalletDto),
        (status = 403, description = "Missing ManageWallets permission", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn create_wallet(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<CreateWalletRequest>,
) -> ApiResult<Json<WalletDto>> {
    let n = NewWalletInput {
        customer_id: b.customer_id,
        group_id: b.group_id,
        platform: b.platform,
        leverage: b.leverage,
        is_demo: b.is_demo,
    };
    Ok(Json(admin::create(&app, &actor, n).await?.into()))
}

/// One wallet with balance, credit and equity (ReadWallets).
#[utoipa::path(
    get, path = "/api/wallets/{id}", tag = "Wallets", summary = "Get wallet by ID",
    params(("id" = String, Path, description = "Wallet ID")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The wallet", body = WalletResponse),
        (status = 403, description = "Missing ReadWallets permission", body = ErrorBody),
        (status = 404, description = "No such wallet", body = ErrorBody)
    )
)]
pub async fn get_wallet(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<WalletResponse>> {
    let w = admin::get(&app, &actor, wallet_id(&id)?).await?;
    Ok(Json(WalletResponse { wallet: w.into() }))
}

/// Changes a wallet's group and leverage (ManageWallets; audited).
#[utoipa::path(
    put, path = "/api/wallets/{id}", tag = "Wallets", summary = "Update wallet by ID",
    params(("id" = String, Path, description = "Wallet ID")),
    request_body = UpdateWalletRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The updated wallet", body = WalletResponse),
        (status = 403, description = "Missing ManageWallets permission", body = ErrorBody),
        (status = 404, description = "No such wallet", body = ErrorBody),
        (status = 422, description = "Invalid `groupId` or `leverage`", body = ErrorBody)
    )
)]
pub async fn update_wallet(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<UpdateWalletRequest>,
) -> ApiResult<Json<WalletResponse>> {
    let u = WalletUpdate { group_id: b.group_id, leverage: b.leverage };
    let w = admin::update(&app, &actor, wallet_id(&id)?, u).await?;
    Ok(Json(WalletResponse { wallet: w.into() }))
}

/// Moves money between two wallets of one owner in one currency. Staff need
/// ManageWalletMoney (audited); a customer may use it for their own wallets. Send an
/// `Idempotency-Key` header to make retries safe.
#[utoipa::path(
    post, path = "/api/wallets/transfer", tag = "Wallets",
    summary = "Transfer money between wallets",
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry key: the same key and body apply once")),
    request_body = TransferRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Transferred (or replayed)", body = SuccessResponse),
        (status = 403, description = "Missing ManageWalletMoney permission", body = ErrorBody),
        (status = 409, description = "Idempotency-Key reused with another body", body = ErrorBody),
        (status = 422, description = "Invalid field (e.g. `amount` over the available balance, `targetWalletId` in another currency)", body = ErrorBody)
    )
)]
pub async fn transfer_between_wallets(
    State(app): State<App>,
    Auth(actor): Auth,
    headers: HeaderMap,
    JsonBody(b): JsonBody<TransferRequest>,
) -> ApiResult<Json<SuccessResponse>> {
    let key = idempotency_key(&headers)?;
    let input = TransferInput {
        source_wallet_id: b.source_wallet_id,
        target_wallet_id: b.target_wallet_id,
        amount: money("amount", &b.amount)?,
    };
    money::transfer(&app, &actor, input, key.as_deref()).await?;
    Ok(Json(SuccessResponse { success: true }))
}

async fn set_status(
    app: &App,
    actor: &brokercrm_app::Principal,
    id: &str,
    s: WalletStatus,
) -> ApiResult<Json<SuccessResponse>> {
    admin::set_status(app, actor, wallet_id(id)?, s).await?;
    Ok(Json(SuccessResponse { success: true }))
}

/// Enables a wallet (ManageWallets; audited).
#[utoipa::path(
    post, path = "/api/wallets/{id}/enable", tag = "Wallets", summary = "Enable wallet by ID",
    params(("id" = String, Path, description = "Wallet ID")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Enabled", body = SuccessResponse),
        (status = 403, description = "Missing ManageWallets permission", body = ErrorBody),
        (status = 404, description = "No such wallet", body = ErrorBody)
    )
)]
pub async fn enable_wallet(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<SuccessResponse>> {
    set_status(&app, &actor, &id, WalletStatus::Active).await
}

/// Disables a wallet: it keeps its money but transfers from or to it are refused
/// (ManageWallets; audited).
#[utoipa::path(
    post, path = "/api/wallets/{id}/disable", tag = "Wallets", summary = "Disable wallet by ID",
    params(("id" = String, Path, description = "Wallet ID")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Disabled", body = SuccessResponse),
        (status = 403, description = "Missing ManageWallets permission", body = ErrorBody),
        (status = 404, description = "No such wallet", body = ErrorBody)
    )
)]
pub async fn disable_wallet(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<SuccessResponse>> {
    set_status(&app, &actor, &id, WalletStatus::Disabled).await
}

/// Records the manual transaction of the body, if any (ManageWalletMoney; audited), then
/// returns the wallet's transactions newest first (`page`, `limit` query parameters).
/// An `Idempotency-Key` header makes a retried transaction apply once.
#[utoipa::path(
    post, path = "/api/wallets/{walletId}/transactions", tag = "Wallets",
    summary = "Get wallet transactions",
    params(
        ("walletId" = String, Path, description = "Wallet ID"),
        PageNumberQuery,
        ("Idempotency-Key" = Option<String>, Header, description = "Retry key: the same key and body apply once")
    ),
    request_body = WalletTransactionRequest,
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "The wallet's transactions", body = TransactionsResponse),
        (status = 403, description = "Missing ReadWallets / ManageWalletMoney permission", body = ErrorBody),
        (status = 404, description = "No such wallet", body = ErrorBody),
        (status = 409, description = "Idempotency-Key reused with another body", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn wallet_transactions(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    Query(q): Query<PageNumberQuery>,
    headers: HeaderMap,
    JsonBody(b): JsonBody<WalletTransactionRequest>,
) -> ApiResult<Json<TransactionsResponse>> {
    let id = wallet_id(&id)?;
    let page = q.page()?;
    let recorded = match (b.kind, b.amount) {
        (None, None) => None,
        (None, Some(_)) => return Err(Error::field("type", "is required with amount").into()),
        (Some(_), None) => return Err(Error::field("amount", "is required with type").into()),
        (Some(kind), Some(amount)) => {
            let input = ManualInput {
                kind,
                currency: b.currency,
                method: b.method,
                comment: b.comment,
                add_to_credit: b.add_to_credit.unwrap_or(false),
                amount: money("amount", &amount)?,
            };
            let key = idempotency_key(&headers)?;
            Some(money::manual(&app, &actor, id, input, key.as_deref()).await?)
        }
    };
    // After a movement, the page is read without reading again what the movement read.
    let list = match recorded {
        Some(r) => money::transactions_after(&app, &actor, r, page).await?,
        None => money::transactions(&app, &actor, id, None, page).await?,
    };
    Ok(Json(TransactionsResponse::of(list)))
}

/// Balance, credit and equity of a wallet (ReadWallets).
#[utoipa::path(
    get, path = "/api/wallets/{id}/balance", tag = "Wallets", summary = "Get wallet balance by ID",
    params(("id" = String, Path, description = "Wallet ID")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Money of the wallet", body = BalanceResponse),
        (status = 403, description = "Missing ReadWallets permission", body = ErrorBody),
        (status = 404, description = "No such wallet", body = ErrorBody)
    )
)]
pub async fn wallet_balance(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<BalanceResponse>> {
    Ok(Json(BalanceResponse::of(money::balance(&app, &actor, wallet_id(&id)?).await?)))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_wallets, create_wallet))
        .routes(routes!(get_wallet, update_wallet))
        .routes(routes!(transfer_between_wallets))
        .routes(routes!(enable_wallet))
        .routes(routes!(disable_wallet))
        .routes(routes!(wallet_transactions))
        .routes(routes!(wallet_balance))
}
