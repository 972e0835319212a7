//! "Export report to XLSX" (seed tag Reports): money's reports (profit/loss, balance, coins)
//! and partners' affiliation report, as a download link (a one-time download token comes as
//! `?token=`, or an Authorization header). Served from partners, the context above money.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use brokercrm_app::App;
use brokercrm_app::money::reports::export::{self, ReportType};
use brokercrm_app::partners::report;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::crm::money::reports::{download, xlsx_response};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Query;

/// Query of "Export report to XLSX".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// A one-time download token from `POST /api/downloads/token` (or an Authorization
    /// header); an access token here is refused
    #[param(value_type = String, required = true)]
    pub token: Option<String>,
    /// profitloss, balance, coins or affiliation (one line per introducer)
    #[param(rename = "type", value_type = String, required = true)]
    #[serde(rename = "type")]
    pub kind: Option<String>,
    /// Required for profitloss and balance, RFC 3339
    pub start: Option<String>,
    /// Required for profitloss and balance, RFC 3339
    pub end: Option<String>,
}

/// A whole report as an XLSX workbook, ordered by its key.
#[utoipa::path(
    get, path = "/api/reports/export", tag = "Reports", summary = "Export report to XLSX",
    params(ExportQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The workbook",
         content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "Missing ReadReports (and ReadCommissions for affiliation)", body = ErrorBody),
        (status = 422, description = "A bad `type`, `start` or `end`", body = ErrorBody)
    )
)]
pub async fn export_report(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<ExportQuery>,
) -> ApiResult<Response> {
    let actor = download(&app, &headers, q.token).await?;
    let (start, end) = (q.start.as_deref(), q.end.as_deref());
    let file = if q.kind.as_deref().map(str::trim) == Some("affiliation") {
        report::affiliation_xlsx(&app, &actor).await?
    } else {
        export::report_from_query(&app, &actor, q.kind.as_deref(), start, end).await?
    };
    let kind = ReportType::parse(q.kind.as_deref())?;
    let name = match kind {
        ReportType::ProfitLoss => "profit-loss",
        ReportType::Balance => "balance",
        ReportType::Coins => "coins",
        ReportType::Affiliation => "affiliation",
    };
    Ok(xlsx_response(file, name))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(export_report))
}
