//! "Export transactions to an XLSX file": the workbook is built in a temporary file by
//! `app::exports::xlsx` and streamed from it as the body, so neither side holds the rows in
//! memory. A browser download passes the JWT as `?token=`; an `Authorization` header works too.

use axum::body::Body;
use axum::extract::{RawQuery, State};
use axum::http::header::{AUTHORIZATION, CONTENT_DISPOSITION, CONTENT_TYPE};
use axum::http::{HeaderMap, HeaderValue};
use axum::response::{IntoResponse, Response};
use brokercrm_app::App;
use brokercrm_app::money::transactions::export;
use brokercrm_app::platform::exports::xlsx::CONTENT_TYPE as XLSX;
use brokercrm_core::Error;
use tokio_util::io::ReaderStream;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::filters;
use crate::crm::money::wallets::dto::{query_one, query_pairs};
use crate::error::{ApiResult, ErrorBody};

fn bearer(headers: &HeaderMap) -> Option<String> {
    let v = headers.get(AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = v.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim().to_owned())
}

/// The filtered transactions as an XLSX workbook (one sheet, header row first).
#[utoipa::path(
    get, path = "/api/transactions/export", tag = "Transactions",
    summary = "Export transactions to an XLSX file for the authenticated admin user",
    params(
        ("token" = String, Query, description = "The JWT token (or an Authorization header)"),
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
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 403, description = "Missing ReadTransactions", body = ErrorBody),
        (status = 422, description = "A bad filter", body = ErrorBody)
    )
)]
pub async fn export_transactions(
    State(app): State<App>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let p = query_pairs(raw.as_deref())?;
    let token = query_one(&p, "token")
        .filter(|t| !t.trim().is_empty())
        .or_else(|| bearer(&headers))
        .ok_or_else(|| Error::Unauthorized("missing token".into()))?;
    let actor = brokercrm_app::identity::auth::authenticate(&app, token.trim()).await?;
    let f = filters(&p)?;
    let file = export::export(&app, &actor, &f).await?;
    let body = Body::from_stream(ReaderStream::new(tokio::fs::File::from_std(file)));
    let name = format!(
        "attachment; filename=\"transactions-{}.xlsx\"",
        chrono::Utc::now().format("%Y%m%d-%H%M%S")
    );
    let mut resp = body.into_response();
    resp.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(XLSX));
    if let Ok(v) = HeaderValue::from_str(&name) {
        resp.headers_mut().insert(CONTENT_DISPOSITION, v);
    }
    Ok(resp)
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(export_transactions))
}
