//! Seed 002 tag KYC (4 operations): the client's KYC status, an access token for SumSub's
//! SDK, whether SumSub is configured, and SumSub's webhook (authenticated by its payload
//! digest, not by a session).

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use brokercrm_app::App;
use brokercrm_app::onboarding::{kyc, sumsub_webhook};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::documents::KycStatusResponse;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;

/// `{"token": "_act-..."}`.
#[derive(Serialize, ToSchema)]
pub struct SumsubTokenResponse {
    pub token: String,
}

/// `{"value": true}`.
#[derive(Serialize, ToSchema)]
pub struct SumsubEnabledResponse {
    pub value: bool,
}

/// A SumSub webhook body (documented fields; the whole body is what the digest covers).
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct SumsubWebhookBody {
    /// `applicantReviewed`, `applicantPending`, `applicantCreated`...
    #[serde(rename = "type")]
    #[schema(example = "applicantReviewed")]
    pub kind: String,
    pub applicant_id: Option<String>,
    /// Our customer's public id.
    pub external_user_id: Option<String>,
    /// `{"reviewAnswer": "GREEN"|"RED", "reviewRejectType": "FINAL"|"RETRY"}`.
    #[schema(value_type = Object)]
    pub review_result: Option<serde_json::Value>,
    #[schema(example = "2024-02-21 13:23:19.321")]
    pub created_at_ms: Option<String>,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
pub struct SumsubWebhookResponse {
    pub success: bool,
}

/// The signed-in user's KYC status.
#[utoipa::path(
    get, path = "/api/me/kyc", tag = "KYC", summary = "Get user's KYC status",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The status", body = KycStatusResponse),
        (status = 401, description = "Not signed in", body = ErrorBody)
    )
)]
pub async fn get_kyc_status(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<Json<KycStatusResponse>> {
    Ok(Json(KycStatusResponse { status: kyc::status(&app, &p).await? }))
}

/// An access token for SumSub's SDK, for the signed-in customer's applicant.
#[utoipa::path(
    get, path = "/api/me/kyc/sumsub-token", tag = "KYC", summary = "Get user's SumSub token",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The token", body = SumsubTokenResponse),
        (status = 403, description = "Not a customer", body = ErrorBody),
        (status = 409, description = "SumSub is not configured", body = ErrorBody),
        (status = 502, description = "SumSub failed or refused", body = ErrorBody)
    )
)]
pub async fn get_sumsub_token(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<Json<SumsubTokenResponse>> {
    Ok(Json(SumsubTokenResponse { token: kyc::sumsub_token(&app, &p).await? }))
}

/// Whether SumSub is configured (any signed-in user: the portal decides which flow to show).
#[utoipa::path(
    get, path = "/api/kyc/sumsub/enabled", tag = "KYC", summary = "Get SumSub enabled status",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Whether it is", body = SumsubEnabledResponse),
        (status = 401, description = "Not signed in", body = ErrorBody)
    )
)]
pub async fn get_sumsub_enabled(
    State(app): State<App>,
    Auth(_p): Auth,
) -> ApiResult<Json<SumsubEnabledResponse>> {
    Ok(Json(SumsubEnabledResponse { value: kyc::sumsub_enabled(&app).await? }))
}

/// SumSub's webhook: `X-Payload-Digest` (hex HMAC of the raw body under the webhook secret)
/// with `X-Payload-Digest-Alg` (`HMAC_SHA1_HEX`, `HMAC_SHA256_HEX`, `HMAC_SHA512_HEX`).
/// Replays and out-of-order events answer 200 and change nothing.
#[utoipa::path(
    post, path = "/api/kyc/sumsub/webhook", tag = "KYC", summary = "Handle SumSub webhook",
    request_body = SumsubWebhookBody,
    params(
        ("X-Payload-Digest" = String, Header, description = "Hex HMAC of the raw body"),
        ("X-Payload-Digest-Alg" = Option<String>, Header, description = "HMAC_SHA1_HEX (default), HMAC_SHA256_HEX or HMAC_SHA512_HEX")
    ),
    responses(
        (status = 200, description = "Received", body = SumsubWebhookResponse),
        (status = 400, description = "Verified, but not a SumSub webhook body", body = ErrorBody),
        (status = 401, description = "Missing or wrong digest, or SumSub not configured", body = ErrorBody)
    )
)]
pub async fn handle_sumsub_webhook(
    State(app): State<App>,
    headers: HeaderMap,
    body: Bytes,
) -> ApiResult<Json<SumsubWebhookResponse>> {
    let h = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    sumsub_webhook::handle(&app, h("x-payload-digest"), h("x-payload-digest-alg"), &body).await?;
    Ok(Json(SumsubWebhookResponse { success: true }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(get_kyc_status))
        .routes(routes!(get_sumsub_token))
        .routes(routes!(get_sumsub_enabled))
        .routes(routes!(handle_sumsub_webhook))
}
