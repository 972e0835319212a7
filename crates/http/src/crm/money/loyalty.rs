//! Seed 002 tag Customers, operation "Get customer loyalty level": the customer's level from
//! the coins earned this and last calendar month (see `core::coins::loyalty`).

use axum::extract::{Path, State};
use brokercrm_app::App;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;

/// A customer's loyalty standing.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LoyaltyLevelResponse {
    #[schema(example = 1)]
    pub current_level: u8,
    #[schema(example = "Silver")]
    pub current_level_name: String,
    /// Coins earned this calendar month (UTC).
    pub total_coins_month: i64,
    /// The start of the month whose earnings gave the level.
    pub awarded_at: DateTime<Utc>,
    /// The level lapses here unless earned again this month.
    pub valid_until: DateTime<Utc>,
    /// Coins still to earn this month to hold the level through next month.
    pub coins_required_to_retain: i64,
    /// Coins still to earn this month to reach the next level (0 at the top).
    pub coins_until_next_level: i64,
    /// Exchanged coins are paid as real money (balance) at this level, else as credit.
    pub current_level_real_money: bool,
}

/// A customer's loyalty level (staff with ReadWallets; a customer for themself).
#[utoipa::path(
    get, path = "/api/customers/{id}/loyalty-level", tag = "Customers",
    summary = "Get customer loyalty level",
    params(("id" = String, Path, description = "Customer UUID or account id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The standing", body = LoyaltyLevelResponse),
        (status = 403, description = "Missing ReadWallets permission", body = ErrorBody),
        (status = 404, description = "No such customer", body = ErrorBody)
    )
)]
pub async fn get_customer_loyalty_level(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<LoyaltyLevelResponse>> {
    let s = brokercrm_app::money::coins::customer_level(&app, &p, &id).await?;
    Ok(axum::Json(LoyaltyLevelResponse {
        current_level: s.level.level,
        current_level_name: s.level.name.to_owned(),
        total_coins_month: s.total_coins_month,
        awarded_at: s.awarded_at,
        valid_until: s.valid_until,
        coins_required_to_retain: s.coins_required_to_retain,
        coins_until_next_level: s.coins_until_next_level,
        current_level_real_money: s.level.real_money,
    }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(get_customer_loyalty_level))
}
