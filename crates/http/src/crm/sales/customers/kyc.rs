//! "Approve / Revoke / Reset KYC for customer" (ReviewKyc: admin, risk). A transition that
//! does not apply to the current status is a 409.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::sales::customers::kyc;
use brokercrm_core::sales::customers::KycAction;
use serde::Serialize;
use utoipa::ToSchema;

use super::dto::CustomerDto;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;

/// `{"customer": {...}}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct KycResponse {
    pub customer: CustomerDto,
}

async fn decide(
    app: &App,
    p: &brokercrm_app::Principal,
    id: &str,
    a: KycAction,
) -> ApiResult<axum::Json<KycResponse>> {
    Ok(axum::Json(KycResponse { customer: kyc::decide(app, p, id, a).await?.into() }))
}

/// Approves the customer's KYC (from NONE, PENDING or REVOKED); records the reviewer.
#[utoipa::path(
    post, path = "/api/customers/{id}/kyc/approve", tag = "Customers - Admin APIs",
    summary = "Approve KYC for customer",
    params(("id" = String, Path, description = "The customer's public id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Approved", body = KycResponse),
        (status = 403, description = "Without ReviewKyc", body = ErrorBody),
        (status = 404, description = "Unknown, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "Already approved", body = ErrorBody)
    )
)]
pub async fn approve_kyc(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<KycResponse>> {
    decide(&app, &p, &id, KycAction::Approve).await
}

/// Revokes an approved KYC (to REVOKED); records the reviewer.
#[utoipa::path(
    post, path = "/api/customers/{id}/kyc/revoke", tag = "Customers - Admin APIs",
    summary = "Revoke KYC for customer",
    params(("id" = String, Path, description = "The customer's public id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Revoked", body = KycResponse),
        (status = 403, description = "Without ReviewKyc", body = ErrorBody),
        (status = 404, description = "Unknown, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "Not approved", body = ErrorBody)
    )
)]
pub async fn revoke_kyc(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<KycResponse>> {
    decide(&app, &p, &id, KycAction::Revoke).await
}

/// Resets KYC to NONE (the customer starts over); clears the reviewer.
#[utoipa::path(
    post, path = "/api/customers/{id}/kyc/reset", tag = "Customers - Admin APIs",
    summary = "Reset KYC for customer",
    params(("id" = String, Path, description = "The customer's public id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Reset", body = KycResponse),
        (status = 403, description = "Without ReviewKyc", body = ErrorBody),
        (status = 404, description = "Unknown, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "Already NONE", body = ErrorBody)
    )
)]
pub async fn reset_kyc(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<KycResponse>> {
    decide(&app, &p, &id, KycAction::Reset).await
}
