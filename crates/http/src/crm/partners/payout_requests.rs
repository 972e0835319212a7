//! Payout requests (seed tag Commissions): staff list, read, approve and reject; an
//! introducer lists, reads and creates its own and checks for a pending one.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::partners::payouts;
use brokercrm_core::Error;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{ListQuery, PayoutRequestDto};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};

fn id_of(raw: &str) -> Result<i64, Error> {
    raw.trim().parse::<i64>().map_err(|_| Error::field("id", "must be an integer"))
}

/// A page of payout requests and how many match.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PayoutRequestsDto {
    pub payout_requests: Vec<PayoutRequestDto>,
    pub count: u64,
}

/// Every introducer's requests, filtered by `statuses` (ReadCommissions).
#[utoipa::path(
    get, path = "/api/payout-requests", tag = "Commissions",
    summary = "Get a list of payout requests",
    params(ListQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The requests", body = PayoutRequestsDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "A bad query value, named", body = ErrorBody)
    )
)]
pub async fn list_payout_requests(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<ListQuery>,
) -> ApiResult<axum::Json<PayoutRequestsDto>> {
    let statuses = payouts::parse_statuses(q.statuses.as_deref().unwrap_or_default())?;
    let (rows, count) = payouts::list(&app, &p, q.page()?, statuses).await?;
    Ok(axum::Json(PayoutRequestsDto {
        payout_requests: rows.into_iter().map(Into::into).collect(),
        count,
    }))
}

/// One request (ReadCommissions).
#[utoipa::path(
    get, path = "/api/payout-requests/{id}", tag = "Commissions",
    summary = "Get a payout request",
    params(("id" = i64, Path, description = "Payout request id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The request", body = PayoutRequestDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such request", body = ErrorBody)
    )
)]
pub async fn get_payout_request(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<PayoutRequestDto>> {
    Ok(axum::Json(payouts::get(&app, &p, id_of(&id)?).await?.into()))
}

/// Approves a pending request (ManageCommissions): the reserved amount is posted into the
/// payout wallet as a `COMMISSION_PAYOUT` transaction. Audited.
#[utoipa::path(
    post, path = "/api/payout-requests/{id}/approve", tag = "Commissions",
    summary = "Approve a payout request",
    params(("id" = i64, Path, description = "Payout request id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Approved", body = PayoutRequestDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such request", body = ErrorBody),
        (status = 409, description = "No longer pending (another decision won)", body = ErrorBody)
    )
)]
pub async fn approve_payout_request(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<PayoutRequestDto>> {
    Ok(axum::Json(payouts::approve(&app, &p, id_of(&id)?).await?.into()))
}

/// Body of "Reject a payout request".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RejectPayoutRequest {
    pub reject_reason: Option<String>,
}

/// Rejects a pending request with a reason (ManageCommissions): the reservation is released.
/// Audited.
#[utoipa::path(
    post, path = "/api/payout-requests/{id}/reject", tag = "Commissions",
    summary = "Reject a payout request",
    params(("id" = i64, Path, description = "Payout request id")),
    request_body = RejectPayoutRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Rejected", body = PayoutRequestDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such request", body = ErrorBody),
        (status = 409, description = "No longer pending (another decision won)", body = ErrorBody),
        (status = 422, description = "A reason too long", body = ErrorBody)
    )
)]
pub async fn reject_payout_request(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<RejectPayoutRequest>,
) -> ApiResult<axum::Json<PayoutRequestDto>> {
    Ok(axum::Json(payouts::reject(&app, &p, id_of(&id)?, b.reject_reason).await?.into()))
}

/// The caller's own requests (an introducer; anyone else 404).
#[utoipa::path(
    get, path = "/api/me/payout-requests", tag = "Commissions",
    summary = "Get payout requests",
    params(ListQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The requests", body = PayoutRequestsDto),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody),
        (status = 422, description = "A bad query value, named", body = ErrorBody)
    )
)]
pub async fn get_own_payout_requests(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<ListQuery>,
) -> ApiResult<axum::Json<PayoutRequestsDto>> {
    let statuses = payouts::parse_statuses(q.statuses.as_deref().unwrap_or_default())?;
    let (rows, count) = payouts::own(&app, &p, q.page()?, statuses).await?;
    Ok(axum::Json(PayoutRequestsDto {
        payout_requests: rows.into_iter().map(Into::into).collect(),
        count,
    }))
}

/// Body of "Create a payout request".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatePayoutRequest {
    /// One of the caller's real wallets in USD.
    pub payout_wallet_id: Option<i64>,
}

/// `{"success": true}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct PayoutCreated {
    pub success: bool,
}

/// Asks for the whole available commission to be paid into one of the caller's wallets: at
/// least the minimum payout, one pending request at a time.
#[utoipa::path(
    post, path = "/api/me/payout-requests", tag = "Commissions",
    summary = "Create a payout request",
    request_body = CreatePayoutRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Requested", body = PayoutCreated),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody),
        (status = 409, description = "A request is already pending", body = ErrorBody),
        (status = 422, description = "No such wallet of the caller, or below the minimum payout", body = ErrorBody)
    )
)]
pub async fn create_payout_request(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreatePayoutRequest>,
) -> ApiResult<axum::Json<PayoutCreated>> {
    let wallet = b.payout_wallet_id.ok_or_else(|| Error::field("payoutWalletId", "is required"))?;
    payouts::create(&app, &p, wallet).await?;
    Ok(axum::Json(PayoutCreated { success: true }))
}

/// `{"hasPendingPayoutRequest": bool}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PendingPayoutDto {
    pub has_pending_payout_request: bool,
}

/// Whether the caller (an introducer) has a pending request.
#[utoipa::path(
    get, path = "/api/me/payout-requests/pending", tag = "Commissions",
    summary = "Check if a user has a pending payout request",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Whether one is pending", body = PendingPayoutDto),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody)
    )
)]
pub async fn check_pending_payout_request(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<PendingPayoutDto>> {
    let has_pending_payout_request = payouts::has_pending(&app, &p).await?;
    Ok(axum::Json(PendingPayoutDto { has_pending_payout_request }))
}

/// `{"payoutRequest": {...}}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OwnPayoutDto {
    pub payout_request: PayoutRequestDto,
}

/// One of the caller's own requests (another's is 404).
#[utoipa::path(
    get, path = "/api/me/payout-requests/{id}", tag = "Commissions",
    summary = "Get a payout request",
    params(("id" = i64, Path, description = "Payout request id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The request", body = OwnPayoutDto),
        (status = 404, description = "No such request of the caller's", body = ErrorBody)
    )
)]
pub async fn get_own_payout_request(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<OwnPayoutDto>> {
    let v = payouts::own_one(&app, &p, id_of(&id)?).await?;
    Ok(axum::Json(OwnPayoutDto { payout_request: v.into() }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_payout_requests))
        .routes(routes!(get_payout_request))
        .routes(routes!(approve_payout_request))
        .routes(routes!(reject_payout_request))
        .routes(routes!(get_own_payout_requests, create_payout_request))
        .routes(routes!(check_pending_payout_request))
        .routes(routes!(get_own_payout_request))
}
