//! The deposit flow (our tag Deposits; the seed has no operation for it): the client starts
//! a deposit (`POST /api/me/deposits`), the provider confirms it through a signed callback
//! (`POST /api/payment-providers/{id}/callback`, authenticated by its HMAC signature, no
//! token), and the client reads its state (`GET /api/me/deposits/{id}`).

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use brokercrm_app::App;
use brokercrm_app::money::transactions::deposits::{self, DepositInput};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::crm::money::wallets::dto::money;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};
use brokercrm_app::money::transactions::TransactionView;

/// Body of "Start a deposit".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StartDepositRequest {
    #[schema(example = "test")]
    pub provider: String,
    pub wallet_id: i64,
    #[schema(value_type = f64, example = 250)]
    pub amount: Value,
}

/// `{"deposit": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct DepositResponse {
    pub deposit: TransactionView,
}

/// Body a provider sends to the callback (signed as a whole).
#[derive(Deserialize, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DepositCallbackRequest {
    pub deposit_id: String,
    /// `completed` or `failed`; later, for a completed deposit, `chargeback` (the payer's
    /// bank took it back).
    #[schema(example = "completed")]
    pub status: String,
    pub reference: Option<String>,
    /// If present, must equal the deposit's amount.
    #[schema(example = "250")]
    pub amount: Option<String>,
}

/// `{"depositId": "...", "status": "completed"}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DepositCallbackResponse {
    pub deposit_id: String,
    pub status: String,
}

/// Starts a deposit through a provider; nothing moves until the provider's callback.
#[utoipa::path(
    post, path = "/api/me/deposits", tag = "Deposits", summary = "Start a deposit",
    request_body = StartDepositRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The pending deposit", body = DepositResponse),
        (status = 403, description = "Onboarding steps of the stages up to `BeforeDeposit` are pending, named in `details.missing` (e.g. `KYC`, `EmailConfirmation`)", body = ErrorBody),
        (status = 422, description = "Bad provider, wallet (e.g. a demo wallet) or amount", body = ErrorBody)
    )
)]
pub async fn start_deposit(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<StartDepositRequest>,
) -> ApiResult<Json<DepositResponse>> {
    let input = DepositInput {
        provider: b.provider,
        wallet_id: b.wallet_id,
        amount: money("amount", &b.amount)?,
    };
    let d = deposits::start(&app, &actor, input).await?;
    Ok(Json(DepositResponse { deposit: d }))
}

/// One of the caller's deposits.
#[utoipa::path(
    get, path = "/api/me/deposits/{id}", tag = "Deposits", summary = "Get a deposit",
    params(("id" = String, Path, description = "Deposit id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The deposit", body = DepositResponse),
        (status = 404, description = "No such deposit of the caller", body = ErrorBody)
    )
)]
pub async fn get_my_deposit(
    State(app): State<App>,
    Auth(actor): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<DepositResponse>> {
    let d = deposits::get_own(&app, &actor, &id).await?;
    Ok(Json(DepositResponse { deposit: d }))
}

/// The provider's confirmation of a deposit. `X-Signature: sha256=<hex>` is the
/// HMAC-SHA256 of the raw body under the provider's `signingSecret`; a redelivery answers the
/// same and moves nothing.
#[utoipa::path(
    post, path = "/api/payment-providers/{id}/callback", tag = "Deposits",
    summary = "Payment provider deposit callback",
    params(
        ("id" = String, Path, description = "Payment provider id"),
        ("X-Signature" = String, Header, description = "sha256=<hex HMAC-SHA256 of the body>")
    ),
    request_body = DepositCallbackRequest,
    responses(
        (status = 200, description = "Recorded (or already recorded)", body = DepositCallbackResponse),
        (status = 401, description = "Missing or bad signature", body = ErrorBody),
        (status = 404, description = "No such deposit of this provider", body = ErrorBody),
        (status = 409, description = "The deposit already has another outcome, or a chargeback of a deposit that is not completed", body = ErrorBody)
    )
)]
pub async fn deposit_callback(
    State(app): State<App>,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<DepositCallbackResponse>> {
    let sig = headers.get("x-signature").and_then(|v| v.to_str().ok());
    let a = deposits::callback(&app, id.trim(), sig, &body).await?;
    Ok(Json(DepositCallbackResponse { deposit_id: a.deposit_id, status: a.status }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(start_deposit))
        .routes(routes!(get_my_deposit))
        .routes(routes!(deposit_callback))
}
