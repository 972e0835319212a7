//! Seed 002 tag Dashboard: staff figures for a period (scoped to the caller's customers) and
//! an affiliate's own referral figures.

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::sales::dashboard::{self, Point};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Query};

/// One day of a chart.
#[derive(Debug, Serialize, ToSchema)]
pub struct PointDto {
    /// UTC day.
    #[schema(value_type = String, example = "2026-01-31")]
    pub date: NaiveDate,
    pub value: i64,
}

impl From<Point> for PointDto {
    fn from(p: Point) -> Self {
        Self { date: p.date, value: p.value }
    }
}

/// Deposits of one currency in the period.
#[derive(Debug, Serialize, ToSchema)]
pub struct CurrencyTotalDto {
    #[schema(example = "USD")]
    pub currency: String,
    pub count: i64,
    /// Decimal string.
    #[schema(example = "1250.5")]
    pub amount: String,
}

/// "Get dashboard data".
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DashboardDto {
    /// Customers registered in the period.
    pub total_registrations: i64,
    /// Deposits (posted DEPOSIT transfers into wallets) in the period.
    pub total_deposits: i64,
    /// Zero: no coins yet.
    pub total_coins: i64,
    /// Zero: no messaging yet.
    pub total_messages: i64,
    /// Zero: no downloads tracked yet.
    pub total_downloads: i64,
    /// Zero: no payouts yet.
    pub pending_payouts: i64,
    /// Customers' logins in the period.
    pub total_logins: i64,
    /// Deposits per currency (count and amount).
    pub deposits_by_currency: Vec<CurrencyTotalDto>,
    pub registrations_chart: Vec<PointDto>,
    /// Deposits per day (count).
    pub deposits_chart: Vec<PointDto>,
    pub logins_chart: Vec<PointDto>,
    /// Zero every day: no trading yet.
    pub trades_positions_chart: Vec<PointDto>,
}

/// `?periodStart=&periodEnd=` (RFC 3339, at most 366 days apart).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct PeriodQuery {
    #[param(value_type = String, format = DateTime, required = true)]
    pub period_start: Option<String>,
    #[param(value_type = String, format = DateTime, required = true)]
    pub period_end: Option<String>,
}

/// A referred customer's login.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SignInDto {
    pub customer_id: String,
    pub country: Option<String>,
    pub signed_in_at: DateTime<Utc>,
}

/// "Get affiliate dashboard data" (calendar months, UTC).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AffiliateDashboardDto {
    /// Referred customers who registered.
    pub sign_ups_last_month: i64,
    pub signups_this_month: i64,
    /// Zero until the commission engine.
    pub earnings_last_month: i64,
    pub earnings_this_month: i64,
    /// FTD conversions.
    pub cpas_last_month: i64,
    pub cpas_this_month: i64,
    /// Zero: no trading yet.
    pub volumes_last_month: i64,
    pub volumes_this_month: i64,
    /// Zero until the commission engine.
    pub total_balance: i64,
    pub unpaid_balance: i64,
    pub total_logins_last_month: i64,
    pub total_logins_this_month: i64,
    /// The five newest logins of referred customers.
    pub last5_sign_ins: Vec<SignInDto>,
    /// Leads sent (test leads excluded).
    pub leads_last_month: i64,
    pub leads_this_month: i64,
    /// Conversions of every goal.
    pub conversions_last_month: i64,
    pub conversions_this_month: i64,
}

/// Staff dashboard for a period, limited to the caller's customers.
#[utoipa::path(
    get, path = "/api/dashboard", tag = "Dashboard", summary = "Get dashboard data",
    params(PeriodQuery), security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Figures", body = DashboardDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "Bad `periodStart` or `periodEnd`", body = ErrorBody)
    )
)]
pub async fn get_dashboard(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<PeriodQuery>,
) -> ApiResult<axum::Json<DashboardDto>> {
    let d = dashboard::staff(&app, &p, q.period_start.as_deref(), q.period_end.as_deref()).await?;
    let pts = |v: Vec<Point>| v.into_iter().map(Into::into).collect();
    Ok(axum::Json(DashboardDto {
        total_registrations: d.total_registrations,
        total_deposits: d.total_deposits,
        total_coins: 0,
        total_messages: 0,
        total_downloads: 0,
        pending_payouts: 0,
        total_logins: d.total_logins,
        deposits_by_currency: d
            .deposits_by_currency
            .into_iter()
            .map(|c| CurrencyTotalDto {
                currency: c.currency,
                count: c.count,
                amount: c.amount.to_string(),
            })
            .collect(),
        registrations_chart: pts(d.registrations),
        deposits_chart: pts(d.deposits),
        logins_chart: pts(d.logins),
        trades_positions_chart: pts(d.trades),
    }))
}

/// The calling affiliate's referral figures, this and last month.
#[utoipa::path(
    get, path = "/api/affiliates/dashboard", tag = "Dashboard",
    summary = "Get affiliate dashboard data",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Figures", body = AffiliateDashboardDto),
        (status = 403, description = "Not an affiliate", body = ErrorBody)
    )
)]
pub async fn get_affiliate_dashboard(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<AffiliateDashboardDto>> {
    let d = dashboard::affiliate(&app, &p).await?;
    let (l, t) = (d.last_month, d.this_month);
    Ok(axum::Json(AffiliateDashboardDto {
        sign_ups_last_month: l.signups,
        signups_this_month: t.signups,
        earnings_last_month: 0,
        earnings_this_month: 0,
        cpas_last_month: l.ftds,
        cpas_this_month: t.ftds,
        volumes_last_month: 0,
        volumes_this_month: 0,
        total_balance: 0,
        unpaid_balance: 0,
        total_logins_last_month: l.logins,
        total_logins_this_month: t.logins,
        last5_sign_ins: d
            .last_sign_ins
            .into_iter()
            .map(|s| SignInDto {
                customer_id: s.customer_id,
                country: s.country,
                signed_in_at: s.at,
            })
            .collect(),
        leads_last_month: l.leads,
        leads_this_month: t.leads,
        conversions_last_month: l.conversions,
        conversions_this_month: t.conversions,
    }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(get_dashboard)).routes(routes!(get_affiliate_dashboard))
}
