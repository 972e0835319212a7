//! "Get affiliate earnings" (seed tag Users): the calling introducer's commissions.

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::partners::earnings;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::crm::money::bonuses::number;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;

/// `{"earnings": N}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct AffiliateEarningsDto {
    /// Commissions in force (corrections applied), all time, USD; 0 for a non-introducer.
    #[schema(example = 278.102)]
    pub earnings: f64,
}

/// The caller's commission earnings (an introducer; customers and affiliates).
#[utoipa::path(
    get, path = "/api/me/affiliate-earnings", tag = "Users",
    summary = "Get affiliate earnings",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The earnings", body = AffiliateEarningsDto),
        (status = 403, description = "Staff have no earnings", body = ErrorBody)
    )
)]
pub async fn get_affiliate_earnings(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<AffiliateEarningsDto>> {
    let m = earnings::own(&app, &p).await?;
    Ok(axum::Json(AffiliateEarningsDto { earnings: number(&m.to_string()) }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(get_affiliate_earnings))
}
