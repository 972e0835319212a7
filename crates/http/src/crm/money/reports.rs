//! Seed tag Reports (staff, ReadReports): profit/loss and balance per wallet over a range,
//! coins per customer. "Export report to XLSX" is served by partners' `report_export` (it
//! also writes partners' affiliation report). Also the XLSX download helpers Statements uses.

use axum::Json;
use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::money::reports::figures::{self, BalanceLine, CoinsLine, ProfitLossLine};
use brokercrm_app::money::reports::{ListInput, Range};
use brokercrm_core::{Error, Money};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Query};

pub(crate) use crate::crm::identity::download_links::{download, xlsx_response};

/// Query of the coins report: one page, sorted.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct ListQuery {
    /// Maximum number of records (default 50, at most 500)
    #[param(value_type = Option<u64>)]
    pub limit: Option<String>,
    /// Number of records to skip
    #[param(value_type = Option<u64>)]
    pub offset: Option<String>,
    /// Column (accountId, earned, exchanged, balance), optionally `:asc`/`:desc`
    pub sort_by: Option<String>,
}

/// Query of the profit/loss and balance reports: one page of a date range, sorted.
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct RangeQuery {
    /// Maximum number of records (default 50, at most 500)
    #[param(value_type = Option<u64>)]
    pub limit: Option<String>,
    /// Number of records to skip
    #[param(value_type = Option<u64>)]
    pub offset: Option<String>,
    /// Column, optionally `:asc`/`:desc`. Profit/loss: walletId, customerId, currency,
    /// deposits, withdrawals, bonuses, corrections, transfers, other, netDeposits, tradingPnl.
    /// Balance: walletId, customerId, currency, openingBalance, moneyIn, moneyOut,
    /// closingBalance, openingCredit, closingCredit.
    pub sort_by: Option<String>,
    /// Start of date range (inclusive), RFC 3339
    #[param(value_type = String, required = true)]
    pub start: Option<String>,
    /// End of date range (exclusive), RFC 3339
    #[param(value_type = String, required = true)]
    pub end: Option<String>,
}

impl RangeQuery {
    fn split(self) -> Result<(Range, ListInput), Error> {
        let range = Range::parse(self.start.as_deref(), self.end.as_deref())?;
        Ok((range, ListInput { limit: self.limit, offset: self.offset, sort_by: self.sort_by }))
    }
}

/// One wallet's profit/loss (decimal strings in the wallet's currency).
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ProfitLossDto {
    pub wallet_id: i64,
    pub customer_id: i64,
    #[schema(example = "USD")]
    pub currency: String,
    /// DEPOSIT movements, net.
    #[schema(value_type = String, example = "1000")]
    pub deposits: Money,
    /// WITHDRAWAL movements, as a positive amount out.
    #[schema(value_type = String, example = "250")]
    pub withdrawals: Money,
    /// BONUS, DEPOSIT_BONUS and COINS_EXCHANGE.
    #[schema(value_type = String, example = "50")]
    pub bonuses: Money,
    /// CORRECTION movements, signed.
    #[schema(value_type = String, example = "-10")]
    pub corrections: Money,
    /// WALLET_TRANSFER movements, signed.
    #[schema(value_type = String, example = "0")]
    pub transfers: Money,
    /// Other codes (FEE, AFFILIATE_TRANSFER, ...), signed.
    #[schema(value_type = String, example = "0")]
    pub other: Money,
    /// deposits − withdrawals.
    #[schema(value_type = String, example = "750")]
    pub net_deposits: Money,
    /// Realised trading P/L: "0" until the trading engine exists.
    #[schema(value_type = String, example = "0")]
    pub trading_pnl: Money,
}

impl From<ProfitLossLine> for ProfitLossDto {
    fn from(l: ProfitLossLine) -> Self {
        Self {
            wallet_id: l.wallet_id,
            customer_id: l.customer_id,
            currency: l.currency,
            deposits: l.deposits,
            withdrawals: l.withdrawals,
            bonuses: l.bonuses,
            corrections: l.corrections,
            transfers: l.transfers,
            other: l.other,
            net_deposits: l.net_deposits,
            trading_pnl: l.trading_pnl,
        }
    }
}

/// `{"report": [...], "total": n}`.
#[derive(Serialize, ToSchema)]
pub struct ProfitLossResponse {
    pub report: Vec<ProfitLossDto>,
    /// Wallets in the report (every page).
    pub total: u64,
}

/// One wallet's balance and credit at `start` and `end`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BalanceDto {
    pub wallet_id: i64,
    pub customer_id: i64,
    #[schema(example = "USD")]
    pub currency: String,
    #[schema(value_type = String, example = "100")]
    pub opening_balance: Money,
    /// Posted into the balance in the range.
    #[schema(value_type = String, example = "50")]
    pub money_in: Money,
    /// Posted out of the balance in the range (positive).
    #[schema(value_type = String, example = "20")]
    pub money_out: Money,
    #[schema(value_type = String, example = "130")]
    pub closing_balance: Money,
    #[schema(value_type = String, example = "0")]
    pub opening_credit: Money,
    #[schema(value_type = String, example = "0")]
    pub closing_credit: Money,
}

impl From<BalanceLine> for BalanceDto {
    fn from(l: BalanceLine) -> Self {
        Self {
            wallet_id: l.wallet_id,
            customer_id: l.customer_id,
            currency: l.currency,
            opening_balance: l.opening_balance,
            money_in: l.money_in,
            money_out: l.money_out,
            closing_balance: l.closing_balance,
            opening_credit: l.opening_credit,
            closing_credit: l.closing_credit,
        }
    }
}

/// `{"report": [...], "total": n}`.
#[derive(Serialize, ToSchema)]
#[schema(as = BalanceReportResponse)]
pub struct BalanceResponse {
    pub report: Vec<BalanceDto>,
    /// Wallets in the report (every page).
    pub total: u64,
}

/// One customer's coins (one coin = "1").
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CoinsLineDto {
    pub customer_id: Option<i64>,
    /// The ledger coin account.
    pub account_id: i64,
    #[schema(value_type = String, example = "1200")]
    pub earned: Money,
    #[schema(value_type = String, example = "600")]
    pub exchanged: Money,
    #[schema(value_type = String, example = "600")]
    pub balance: Money,
}

impl From<CoinsLine> for CoinsLineDto {
    fn from(l: CoinsLine) -> Self {
        Self {
            customer_id: l.customer_id,
            account_id: l.account_id,
            earned: l.earned,
            exchanged: l.exchanged,
            balance: l.balance,
        }
    }
}

/// The seed's `report` object.
#[derive(Serialize, ToSchema)]
pub struct CoinsReportDto {
    /// Coin accounts in the report (every page).
    pub customers: u64,
    pub items: Vec<CoinsLineDto>,
}

/// `{"report": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct CoinsResponse {
    pub report: CoinsReportDto,
}

/// Per non-demo wallet with posted movements in `[start, end)`: deposits, withdrawals,
/// bonuses, corrections, transfers, net deposits and trading P/L.
#[utoipa::path(
    get, path = "/api/reports/profit-loss", tag = "Reports", summary = "Get profit loss report",
    params(RangeQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "One page of the report", body = ProfitLossResponse),
        (status = 403, description = "Missing ReadReports (and ReadCommissions for affiliation)", body = ErrorBody),
        (status = 422, description = "A bad parameter", body = ErrorBody)
    )
)]
pub async fn profit_loss_report(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<RangeQuery>,
) -> ApiResult<Json<ProfitLossResponse>> {
    let (range, list) = q.split()?;
    let (rows, total) = figures::profit_loss(&app, &actor, range, &list).await?;
    Ok(Json(ProfitLossResponse { report: rows.into_iter().map(Into::into).collect(), total }))
}

/// Per non-demo wallet that existed before `end`: balance and credit at `start` and `end`,
/// and what came in and went out of the balance between.
#[utoipa::path(
    get, path = "/api/reports/balance", tag = "Reports", summary = "Get balance report",
    params(RangeQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "One page of the report", body = BalanceResponse),
        (status = 403, description = "Missing ReadReports (and ReadCommissions for affiliation)", body = ErrorBody),
        (status = 422, description = "A bad parameter", body = ErrorBody)
    )
)]
pub async fn balance_report(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<RangeQuery>,
) -> ApiResult<Json<BalanceResponse>> {
    let (range, list) = q.split()?;
    let (rows, total) = figures::balance(&app, &actor, range, &list).await?;
    Ok(Json(BalanceResponse { report: rows.into_iter().map(Into::into).collect(), total }))
}

/// Per customer coin account: coins earned, exchanged and held.
#[utoipa::path(
    get, path = "/api/reports/coins", tag = "Reports", summary = "Get coins report",
    params(ListQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "One page of the report", body = CoinsResponse),
        (status = 403, description = "Missing ReadReports (and ReadCommissions for affiliation)", body = ErrorBody),
        (status = 422, description = "A bad parameter", body = ErrorBody)
    )
)]
pub async fn coins_report(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<ListQuery>,
) -> ApiResult<Json<CoinsResponse>> {
    let list = ListInput { limit: q.limit, offset: q.offset, sort_by: q.sort_by };
    let r = figures::coins(&app, &actor, &list).await?;
    Ok(Json(CoinsResponse {
        report: CoinsReportDto {
            customers: r.customers,
            items: r.items.into_iter().map(Into::into).collect(),
        },
    }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(profit_loss_report))
        .routes(routes!(balance_report))
        .routes(routes!(coins_report))
}
