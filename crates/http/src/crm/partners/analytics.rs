//! Seed 002 tag Analytics (2 operations): downline statistics per level, for the calling
//! introducer and for staff about an introducer.

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::partners::analytics::{self, LevelStats};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::crm::money::bonuses::number;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Query};

/// One level of the downline (amounts in USD).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct LevelStatsDto {
    /// 1: the introducer's own clients; 2: their clients; ...
    pub level: u8,
    pub referred_clients: i64,
    /// Clients with at least one real deposit.
    pub ftds: i64,
    pub deposits: f64,
    /// Deposits less withdrawals.
    pub net_deposits: f64,
    /// Lots of closed real positions.
    pub lots: f64,
    /// What the introducer earned at this level (corrections applied).
    pub commissions: f64,
}

impl From<LevelStats> for LevelStatsDto {
    fn from(s: LevelStats) -> Self {
        Self {
            level: s.level,
            referred_clients: s.referred_clients,
            ftds: s.ftds,
            deposits: number(&s.deposits.to_string()),
            net_deposits: number(&s.net_deposits.to_string()),
            lots: number(&s.lots.to_string()),
            commissions: number(&s.commissions.to_string()),
        }
    }
}

/// `{"stats": [...]}`, one entry per level.
#[derive(Debug, Serialize, ToSchema)]
pub struct DownlineStatsDto {
    pub stats: Vec<LevelStatsDto>,
}

/// Whose downline.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AdminStatsQuery {
    /// The introducer's public id (required).
    pub user_id: Option<String>,
}

fn dto(stats: Vec<LevelStats>) -> DownlineStatsDto {
    DownlineStatsDto { stats: stats.into_iter().map(Into::into).collect() }
}

/// The caller's downline, level by level.
#[utoipa::path(
    get, path = "/api/me/downline-statistics", tag = "Analytics",
    summary = "Get downline statistics",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Per level", body = DownlineStatsDto),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody)
    )
)]
pub async fn get_downline_statistics(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<DownlineStatsDto>> {
    Ok(axum::Json(dto(analytics::own(&app, &p).await?)))
}

/// An introducer's downline, level by level (ReadCommissions).
#[utoipa::path(
    get, path = "/api/downline-statistics", tag = "Analytics",
    summary = "Get downline statistics for admin",
    params(AdminStatsQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Per level", body = DownlineStatsDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Not an introducer", body = ErrorBody),
        (status = 422, description = "`userId` missing", body = ErrorBody)
    )
)]
pub async fn get_admin_downline_statistics(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<AdminStatsQuery>,
) -> ApiResult<axum::Json<DownlineStatsDto>> {
    Ok(axum::Json(dto(analytics::for_staff(&app, &p, q.user_id.as_deref()).await?)))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(get_downline_statistics))
        .routes(routes!(get_admin_downline_statistics))
}
