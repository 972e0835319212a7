//! Seed tag Statements: the authenticated customer's ledger movements with running balances
//! (`/api/me/statements`) and their XLSX export (`/api/me/statements/export`).

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::HeaderMap;
use axum::response::Response;
use brokercrm_app::App;
use brokercrm_app::money::reports::statements::{self, StatementRecord};
use brokercrm_app::money::reports::{Range, export};
use brokercrm_core::Money;
use chrono::{DateTime, Utc};
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::reports::{download, xlsx_response};
use crate::crm::money::wallets::dto::{query_one, query_pairs};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Auth;

/// One movement of one of the caller's wallet accounts.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatementRecordDto {
    /// The ledger transfer id.
    pub id: String,
    pub date: DateTime<Utc>,
    pub wallet_id: i64,
    #[schema(example = "USD")]
    pub currency: String,
    /// The transfer code (DEPOSIT, WITHDRAWAL, BONUS, CORRECTION, WALLET_TRANSFER, ...).
    #[serde(rename = "type")]
    #[schema(example = "DEPOSIT")]
    pub kind: String,
    /// `balance` or `credit`: which account of the wallet moved.
    #[schema(example = "balance")]
    pub account: String,
    /// Decimal string, signed (negative: out of the wallet).
    #[schema(value_type = String, example = "100.5")]
    pub amount: Money,
    /// That account's balance after the movement.
    #[schema(value_type = String, example = "1100.5")]
    pub balance: Money,
    pub comment: Option<String>,
}

impl From<StatementRecord> for StatementRecordDto {
    fn from(r: StatementRecord) -> Self {
        Self {
            id: r.id,
            date: r.date,
            wallet_id: r.wallet_id,
            currency: r.currency,
            kind: r.kind,
            account: r.account,
            amount: r.amount,
            balance: r.balance,
            comment: r.comment,
        }
    }
}

/// `{"statementRecords": [...], "count": n}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct StatementResponse {
    pub statement_records: Vec<StatementRecordDto>,
    pub count: u64,
}

fn range(raw: Option<&str>) -> Result<Range, brokercrm_core::Error> {
    let p = query_pairs(raw)?;
    Range::parse(query_one(&p, "start").as_deref(), query_one(&p, "end").as_deref())
}

/// Every posted movement of the caller's wallets created in `[start, end)`, oldest first,
/// with the running balance of the account it moved.
#[utoipa::path(
    get, path = "/api/me/statements", tag = "Statements",
    summary = "Get user statement records",
    params(
        ("start" = String, Query, description = "Start (inclusive), RFC 3339"),
        ("end" = String, Query, description = "End (exclusive), RFC 3339; at most 366 days after start")
    ),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The statement", body = StatementResponse),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 422, description = "Bad `start`/`end`, or more than 10000 records", body = ErrorBody)
    )
)]
pub async fn get_statement(
    State(app): State<App>,
    Auth(actor): Auth,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<StatementResponse>> {
    let r = range(raw.as_deref())?;
    let rows = statements::statement(&app, &actor, r).await?;
    Ok(Json(StatementResponse {
        count: rows.len() as u64,
        statement_records: rows.into_iter().map(Into::into).collect(),
    }))
}

/// The same records as an XLSX workbook.
#[utoipa::path(
    get, path = "/api/me/statements/export", tag = "Statements",
    summary = "Export user statement records as XLSX",
    params(
        ("start" = String, Query, description = "Start (inclusive), RFC 3339"),
        ("end" = String, Query, description = "End (exclusive), RFC 3339"),
        ("token" = Option<String>, Query, description = "The JWT (for a download link), or an Authorization header")
    ),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The workbook",
         content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 401, description = "No or invalid token", body = ErrorBody),
        (status = 422, description = "Bad `start` or `end`", body = ErrorBody)
    )
)]
pub async fn export_statement(
    State(app): State<App>,
    headers: HeaderMap,
    RawQuery(raw): RawQuery,
) -> ApiResult<Response> {
    let (actor, p) = download(&app, &headers, raw.as_deref()).await?;
    let r = Range::parse(query_one(&p, "start").as_deref(), query_one(&p, "end").as_deref())?;
    let file = export::statement(&app, &actor, r).await?;
    Ok(xlsx_response(file, "statement"))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(get_statement)).routes(routes!(export_statement))
}
