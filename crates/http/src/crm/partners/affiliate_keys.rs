//! Seed 002 tag Affiliate Keys (1 operation): a fresh API key for the calling affiliate.

use axum::extract::State;
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::partners::affiliates;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;

/// `{"key": "bck_..."}` — shown once.
#[derive(Debug, Serialize, ToSchema)]
pub struct AffiliateKeyDto {
    #[schema(example = "bck_Ab3dE9_...")]
    pub key: String,
}

/// A new API key (role Affiliate, owned by the caller) for the lead API; the key generated
/// before is revoked.
#[utoipa::path(
    post, path = "/api/me/affiliate-keys", tag = "Affiliate Keys",
    summary = "Generate a new affiliate key",
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "The key (shown once)", body = AffiliateKeyDto),
        (status = 403, description = "Not an affiliate, or an impersonation token", body = ErrorBody)
    )
)]
pub async fn generate_affiliate_key(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<(StatusCode, axum::Json<AffiliateKeyDto>)> {
    let key = affiliates::new_key(&app, &p).await?;
    Ok((StatusCode::CREATED, axum::Json(AffiliateKeyDto { key })))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(generate_affiliate_key))
}
