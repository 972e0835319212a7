//! Seed 002 tag Withdraw: the client's withdrawal request (reserves the amount) and its
//! current pending withdrawal, under `/api/me/withdrawals`.

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use brokercrm_app::App;
use brokercrm_app::money::transactions::withdrawals::{self, WithdrawInput};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::admin::WithdrawalResponse;
use crate::crm::money::wallets::dto::{idempotency_key, money};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};
use brokercrm_app::money::transactions::TransactionView;

/// Body of "Withdraw money".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WithdrawRequest {
    /// A payment provider id offering withdrawals (`test`, `bitstamp`, `trustology`).
    #[schema(example = "test")]
    pub provider: String,
    /// Default USD.
    #[schema(example = "USD")]
    pub currency: Option<String>,
    #[schema(value_type = f64, example = 100)]
    pub amount: Value,
    #[schema(example = "bc1qxy2kgdygjrsqtzq2n0yrf2493p83kkfjhx0wlh")]
    pub wallet_address: Option<String>,
    /// Our addition: the wallet to withdraw from (default: the newest live wallet in
    /// `currency`).
    pub wallet_id: Option<i64>,
}

/// `{"accepted": true, "withdrawal": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct WithdrawAccepted {
    pub accepted: bool,
    pub withdrawal: TransactionView,
}

/// Requests a withdrawal: the amount is reserved until staff approve or reject it.
#[utoipa::path(
    post, path = "/api/me/withdrawals", tag = "Withdraw", summary = "Withdraw money",
    request_body = WithdrawRequest,
    params(("Idempotency-Key" = Option<String>, Header, description = "Retry key: the same key and body reserve once")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Accepted; the amount is reserved", body = WithdrawAccepted),
        (status = 403, description = "Onboarding steps of the stages up to `BeforeWithdrawal` are pending, named in `details.missing` (e.g. `KYC`, `EmailConfirmation`)", body = ErrorBody),
        (status = 409, description = "Idempotency-Key reused with another body", body = ErrorBody),
        (status = 422, description = "Bad provider, amount (e.g. above the available balance), currency or address", body = ErrorBody)
    )
)]
pub async fn withdraw_money(
    State(app): State<App>,
    Auth(actor): Auth,
    headers: HeaderMap,
    JsonBody(b): JsonBody<WithdrawRequest>,
) -> ApiResult<Json<WithdrawAccepted>> {
    let key = idempotency_key(&headers)?;
    let input = WithdrawInput {
        provider: b.provider,
        currency: b.currency,
        amount: money("amount", &b.amount)?,
        wallet_address: b.wallet_address,
        wallet_id: b.wallet_id,
    };
    let w = withdrawals::request(&app, &actor, input, key.as_deref()).await?;
    Ok(Json(WithdrawAccepted { accepted: true, withdrawal: w }))
}

/// The caller's newest pending withdrawal (`null` when none).
#[utoipa::path(
    get, path = "/api/me/withdrawals/current", tag = "Withdraw", summary = "Get current withdrawal",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The pending withdrawal or null", body = WithdrawalResponse)
    )
)]
pub async fn get_current_withdrawal(
    State(app): State<App>,
    Auth(actor): Auth,
) -> ApiResult<Json<WithdrawalResponse>> {
    let w = withdrawals::current(&app, &actor).await?;
    Ok(Json(WithdrawalResponse { withdrawal: w }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(withdraw_money)).routes(routes!(get_current_withdrawal))
}
