//! "Export transactions to an XLSX file": the workbook is built in a temporary file by
//! `app::exports::xlsx` and streamed from it as the body, so neither side holds the rows in
//! memory. A browser download passes a one-time download token (`POST /api/downloads/token`)
//! as `?token=`; an `Authorization` header works too.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use brokercrm_app::App;
use brokercrm_app::money::transactions::export;
use serde::Deserialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::FiltersQuery;
use crate::crm::money::reports::{download, xlsx_response};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Query;

/// The `token` of a download link.
#[derive(Deserialize)]
pub struct TokenQuery {
    pub token: Option<String>,
}

/// The filtered transactions as an XLSX workbook (one sheet, header row first).
#[utoipa::path(
    get, path = "/api/transactions/export", tag = "Transactions",
    summary = "Export transactions to an XLSX file for the authenticated admin user",
    params(
        ("token" = String, Query, description = "A one-time download token (or an Authorization header)"),
        ("filter" = Option<String>, Query, description = "A transaction id"),
        ("type" = Option<String>, Query, description = "The type of transactions to export"),
        ("status" = Option<String>, Query, description = "ITransactionFilters"),
        ("walletId" = Option<i64>, Query, description = "ITransactionFilters"),
        ("customerId" = Option<i64>, Query, description = "ITransactionFilters"),
        ("currency" = Option<String>, Query, description = "ITransactionFilters"),
        ("startDate" = Option<String>, Query, description = "ITransactionFilters"),
        ("endDate" = Option<String>, Query, description = "ITransactionFilters")
    ),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The workbook",
         content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 403, description = "Missing ReadTransactions", body = ErrorBody),
        (status = 422, description = "A bad filter", body = ErrorBody)
    )
)]
pub async fn export_transactions(
    State(app): State<App>,
    headers: HeaderMap,
    Query(t): Query<TokenQuery>,
    Query(f): Query<FiltersQuery>,
) -> ApiResult<Response> {
    let actor = download(&app, &headers, t.token).await?;
    let f = f.input()?;
    let file = export::export(&app, &actor, &f).await?;
    Ok(xlsx_response(file, "transactions"))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(export_transactions))
}
