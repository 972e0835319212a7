//! Seed 002 tag Risk (2 operations): statistics and exposures of the broker's book, by
//! trading group and demo/real (staff with ReadPositions, within their customer scope).

use axum::Json;
use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::trading::risk::RiskQuery;
use brokercrm_app::trading::risk::exposures::{self, RiskExposures};
use brokercrm_app::trading::risk::statistics::{self, RiskStatistics};
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Query};

/// The filters of both reports.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct RiskParams {
    /// The group to report on: a trading group's id or name (default: every group). Amounts
    /// are in the group's currency (else USD).
    pub group: Option<String>,
    /// Only demo (true) or only real (false) wallets (default: both).
    pub is_demo: Option<bool>,
}

impl RiskParams {
    fn query(self) -> RiskQuery {
        RiskQuery { group: self.group, is_demo: self.is_demo }
    }
}

/// Open positions and volume, clients trading, the broker's realised and floating P/L,
/// trending instruments, P/L by month and open lots per instrument.
#[utoipa::path(
    get, path = "/api/risk/statistics", tag = "Risk",
    summary = "Get risk statistics for the authenticated admin user",
    params(RiskParams),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The statistics", body = RiskStatistics),
        (status = 403, description = "Missing ReadPositions", body = ErrorBody),
        (status = 422, description = "An unknown `group`, or no conversion path into its currency", body = ErrorBody)
    )
)]
pub async fn risk_statistics(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<RiskParams>,
) -> ApiResult<Json<RiskStatistics>> {
    Ok(Json(statistics::statistics(&app, &actor, q.query()).await?))
}

/// Per symbol with open positions: long, short, net and gross lots, notional long and short,
/// the broker's floating P/L.
#[utoipa::path(
    get, path = "/api/risk/exposures", tag = "Risk",
    summary = "Get risk exposures for the authenticated admin user",
    params(RiskParams),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The exposures", body = RiskExposures),
        (status = 403, description = "Missing ReadPositions", body = ErrorBody),
        (status = 422, description = "An unknown `group`, or no conversion path into its currency", body = ErrorBody)
    )
)]
pub async fn risk_exposures(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<RiskParams>,
) -> ApiResult<Json<RiskExposures>> {
    Ok(Json(exposures::exposures(&app, &actor, q.query()).await?))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(risk_statistics)).routes(routes!(risk_exposures))
}
