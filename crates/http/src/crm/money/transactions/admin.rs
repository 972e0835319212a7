//! Staff operations of the Transactions tag under `/api/transactions`: list, coins exchange
//! list, withdrawal methods by country, one transaction, approve / reject / refund a
//! withdrawal, send it through a transfer method; and the affiliate's total balance.

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::money::transactions::payout::PayoutInput;
use brokercrm_app::money::transactions::{affiliate, list, payout, withdrawals};
use brokercrm_core::{Error, Money};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{FiltersQuery, TransactionResponse};
use crate::crm::money::payment_providers::PaymentMethodDto;
use crate::crm::money::wallets::dto::money;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};
use brokercrm_app::money::transactions::TransactionView;

/// `{"transactions": [...], "pages": n}`.
#[derive(Serialize, ToSchema)]
pub struct TransactionsPage {
    pub transactions: Vec<TransactionView>,
    pub pages: u64,
}

/// `{"conversions": [...], "count": n}`.
#[derive(Serialize, ToSchema)]
pub struct ConversionsPage {
    /// COINS_EXCHANGE transactions.
    pub conversions: Vec<TransactionView>,
    pub count: u64,
}

/// `{"methods": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct WithdrawalMethodsResponse {
    pub methods: Vec<PaymentMethodDto>,
}

/// Body of "Approve withdrawal transaction".
#[derive(Deserialize, ToSchema, Default)]
#[serde(rename_all = "camelCase")]
pub struct ApproveRequest {
    pub comment: Option<String>,
    /// Post less than reserved (the rest goes back to the wallet); at most the reserved amount.
    #[schema(value_type = Option<f64>, example = 90)]
    pub changed_amount: Option<Value>,
}

/// Body of "Reject withdrawal transaction".
#[derive(Deserialize, ToSchema, Default)]
pub struct RejectRequest {
    pub comment: Option<String>,
}

/// `{"success": "..."}`.
#[derive(Serialize, ToSchema)]
pub struct RefundResponse {
    #[schema(example = "withdrawal 0193... refunded")]
    pub success: String,
    pub transaction: TransactionView,
}

/// Body of "Transfer money transaction".
#[derive(Deserialize, ToSchema)]
#[schema(as = PayoutTransferRequest)]
pub struct TransferRequest {
    /// `bitstamp` or `trustology`.
    #[schema(example = "bitstamp")]
    pub method: String,
    /// Default: the address the client gave.
    pub address: Option<String>,
    /// Default and most: the approved amount.
    #[schema(value_type = Option<f64>, example = 0.5)]
    pub amount: Option<Value>,
}

/// `{"withdrawal": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct WithdrawalResponse {
    pub withdrawal: Option<TransactionView>,
}

/// `{"balance": "..."}`.
#[derive(Serialize, ToSchema)]
pub struct AffiliateBalanceResponse {
    /// Decimal string: the affiliate's live USD wallets' balance.
    #[schema(value_type = String, example = "250.5")]
    pub balance: Money,
}

fn opt_money(field: &str, v: Option<&Value>) -> Result<Option<Money>, Error> {
    match v {
        None | Some(Value::Null) => Ok(None),
        Some(v) => money(field, v).map(Some),
    }
}

/// `limit` and `offset` of the transaction lists.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TransactionsPageQuery {
    /// 1 to 10000
    #[param(required = true)]
    pub limit: Option<u64>,
    /// >= 0
    #[param(required = true)]
    pub offset: Option<u64>,
}

/// Query of "Get withdrawal methods".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountryQuery {
    /// ISO 3166-1 alpha-2 code
    #[param(required = true)]
    pub country: Option<String>,
}

/// Transactions of wallets, newest first (or largest first with `sortBy=amount`).
#[utoipa::path(
    get, path = "/api/transactions", tag = "Transactions", summary = "Get transactions",
    params(TransactionsPageQuery, FiltersQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "A page of transactions", body = TransactionsPage),
        (status = 403, description = "Missing ReadTransactions", body = ErrorBody),
        (status = 422, description = "A bad filter, limit or offset", body = ErrorBody)
    )
)]
pub async fn list_transactions(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<TransactionsPageQuery>,
    Query(f): Query<FiltersQuery>,
) -> ApiResult<Json<TransactionsPage>> {
    let limit = q.limit.ok_or_else(|| Error::field("limit", "is required"))?;
    let offset = q.offset.unwrap_or(0);
    let f = f.input()?;
    let (list, total) = list::list(&app, &actor, &f, limit, offset).await?;
    let pages = total.div_ceil(limit);
    Ok(Json(TransactionsPage { transactions: list.into_iter().collect(), pages }))
}

/// COINS_EXCHANGE transactions (created by the Coins tag), newest first.
#[utoipa::path(
    get, path = "/api/transactions/coins-exchange", tag = "Transactions",
    summary = "Get coins exchange transactions",
    params(
        ("limit" = Option<u64>, Query, description = "1 to 100 (default 20)"),
        ("offset" = Option<u64>, Query, description = ">= 0"),
        ("walletId" = Option<i64>, Query, description = "ITransactionFilters"),
        ("customerId" = Option<i64>, Query, description = "ITransactionFilters"),
        ("startDate" = Option<String>, Query, description = "ITransactionFilters"),
        ("endDate" = Option<String>, Query, description = "ITransactionFilters")
    ),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Coins exchanges and their count", body = ConversionsPage),
        (status = 403, description = "Missing ReadTransactions", body = ErrorBody),
        (status = 422, description = "A bad filter or limit", body = ErrorBody)
    )
)]
pub async fn list_coins_exchange_transactions(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<TransactionsPageQuery>,
    Query(f): Query<FiltersQuery>,
) -> ApiResult<Json<ConversionsPage>> {
    let limit = q.limit.unwrap_or(20);
    let offset = q.offset.unwrap_or(0);
    let f = f.input()?;
    let (list, count) = list::coins_exchange(&app, &actor, &f, limit, offset).await?;
    Ok(Json(ConversionsPage { conversions: list.into_iter().collect(), count }))
}

/// Enabled providers offering withdrawals in a country.
#[utoipa::path(
    get, path = "/api/transactions/withdrawal-methods", tag = "Transactions",
    summary = "Get withdrawal methods",
    params(CountryQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Withdrawal methods", body = WithdrawalMethodsResponse),
        (status = 422, description = "Missing or bad `country`", body = ErrorBody)
    )
)]
pub async fn get_withdrawal_methods(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<CountryQuery>,
) -> ApiResult<Json<WithdrawalMethodsResponse>> {
    let methods = list::withdrawal_methods(&app, &actor, q.country.as_deref()).await?;
    Ok(Json(WithdrawalMethodsResponse { methods: methods.into_iter().map(Into::into).collect() }))
}

/// One transaction by its id.
#[utoipa::path(
    get, path = "/api/transactions/{id}", tag = "Transactions", summary = "Get transaction by ID",
    params(("id" = String, Path, description = "Transaction ID")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The transaction", body = TransactionResponse),
        (status = 403, description = "Missing ReadTransactions", body = ErrorBody),
        (status = 404, description = "No such transaction", body = ErrorBody)
    )
)]
pub async fn get_transaction(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<TransactionResponse>> {
    let t = list::get(&app, &actor, &id).await?;
    Ok(Json(TransactionResponse { transaction: t }))
}

/// Approves a pending withdrawal: the reservation is posted (all, or `changedAmount`).
#[utoipa::path(
    post, path = "/api/transactions/{id}/approve", tag = "Transactions",
    summary = "Approve withdrawal transaction",
    params(("id" = String, Path, description = "Transaction ID")),
    request_body = ApproveRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The approved withdrawal", body = TransactionResponse),
        (status = 403, description = "Missing ManageTransactions", body = ErrorBody),
        (status = 404, description = "No such withdrawal", body = ErrorBody),
        (status = 409, description = "Already approved or rejected", body = ErrorBody),
        (status = 422, description = "Bad `changedAmount` or `comment`", body = ErrorBody)
    )
)]
pub async fn approve_withdrawal(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<ApproveRequest>,
) -> ApiResult<Json<TransactionResponse>> {
    let amount = opt_money("changedAmount", b.changed_amount.as_ref())?;
    let t = withdrawals::approve(&app, &actor, &id, b.comment.as_deref(), amount).await?;
    Ok(Json(TransactionResponse { transaction: t }))
}

/// Rejects a pending withdrawal: the reservation is released.
#[utoipa::path(
    post, path = "/api/transactions/{id}/reject", tag = "Transactions",
    summary = "Reject withdrawal transaction",
    params(("id" = String, Path, description = "Transaction ID")),
    request_body = RejectRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The rejected withdrawal", body = TransactionResponse),
        (status = 403, description = "Missing ManageTransactions", body = ErrorBody),
        (status = 404, description = "No such withdrawal", body = ErrorBody),
        (status = 409, description = "Already approved or rejected", body = ErrorBody)
    )
)]
pub async fn reject_withdrawal(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<RejectRequest>,
) -> ApiResult<Json<TransactionResponse>> {
    let t = withdrawals::reject(&app, &actor, &id, b.comment.as_deref()).await?;
    Ok(Json(TransactionResponse { transaction: t }))
}

/// Refunds an approved withdrawal: its posted amount goes back to the wallet, once.
#[utoipa::path(
    post, path = "/api/transactions/{id}/refund", tag = "Transactions",
    summary = "Refund withdrawal transaction",
    params(("id" = String, Path, description = "Transaction ID")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Refunded", body = RefundResponse),
        (status = 403, description = "Missing ManageTransactions", body = ErrorBody),
        (status = 404, description = "No such withdrawal", body = ErrorBody),
        (status = 409, description = "Not approved, or already refunded", body = ErrorBody)
    )
)]
pub async fn refund_withdrawal(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<RefundResponse>> {
    let t = withdrawals::refund(&app, &actor, &id).await?;
    let success = format!("withdrawal {} refunded", t.id);
    Ok(Json(RefundResponse { success, transaction: t }))
}

/// Sends an approved withdrawal out through Bitstamp or Trustology (at most once).
#[utoipa::path(
    post, path = "/api/transactions/{id}/transfer", tag = "Transactions",
    summary = "Transfer money transaction",
    params(("id" = String, Path, description = "Transaction ID")),
    request_body = TransferRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The withdrawal, payout sent", body = WithdrawalResponse),
        (status = 403, description = "Missing ManageTransactions", body = ErrorBody),
        (status = 404, description = "No such withdrawal", body = ErrorBody),
        (status = 409, description = "Not approved, or already sent", body = ErrorBody),
        (status = 422, description = "Bad `method`, `address` or `amount`", body = ErrorBody),
        (status = 502, description = "The provider refused or failed", body = ErrorBody)
    )
)]
pub async fn transfer_money(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<TransferRequest>,
) -> ApiResult<Json<WithdrawalResponse>> {
    let amount = opt_money("amount", b.amount.as_ref())?;
    let input = PayoutInput { method: b.method, address: b.address, amount };
    let t = payout::transfer(&app, &actor, &id, input).await?;
    Ok(Json(WithdrawalResponse { withdrawal: Some(t) }))
}

/// The calling affiliate's balance (see docs/transactions.md for what it sums).
#[utoipa::path(
    get, path = "/api/affiliates/balance", tag = "Transactions",
    summary = "Get the total balance for the authenticated affiliate user",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The balance", body = AffiliateBalanceResponse),
        (status = 403, description = "Not an affiliate", body = ErrorBody)
    )
)]
pub async fn get_affiliate_balance(
    State(app): State<App>,
    Auth(actor): Auth,
) -> ApiResult<Json<AffiliateBalanceResponse>> {
    Ok(Json(AffiliateBalanceResponse { balance: affiliate::balance(&app, &actor).await? }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_transactions))
        .routes(routes!(list_coins_exchange_transactions))
        .routes(routes!(get_withdrawal_methods))
        .routes(routes!(get_transaction))
        .routes(routes!(approve_withdrawal))
        .routes(routes!(reject_withdrawal))
        .routes(routes!(refund_withdrawal))
        .routes(routes!(transfer_money))
        .routes(routes!(get_affiliate_balance))
}
