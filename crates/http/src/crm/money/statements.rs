//! Seed tag Statements: the authenticated customer's ledger movements with running balances
//! (`/api/me/statements`) and their XLSX export (`/api/me/statements/export`).

use axum::Json;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::Response;
use brokercrm_app::App;
use brokercrm_app::money::reports::statements::{self, StatementRecord};
use brokercrm_app::money::reports::{Range, export};
use brokercrm_core::Money;
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::reports::{download, xlsx_response};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Query};

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

/// Query of "Get user statement records".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementQuery {
    /// Start (inclusive), RFC 3339
    #[param(value_type = String, required = true)]
    pub start: Option<String>,
    /// End (exclusive), RFC 3339; at most 366 days after start
    #[param(value_type = String, required = true)]
    pub end: Option<String>,
}

/// Query of "Export user statement records as XLSX".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct StatementExportQuery {
    /// Start (inclusive), RFC 3339
    #[param(value_type = String, required = true)]
    pub start: Option<String>,
    /// End (exclusive), RFC 3339
    #[param(value_type = String, required = true)]
    pub end: Option<String>,
    /// A one-time download token from `POST /api/downloads/token` (for a download link), or
    /// an Authorization header
    pub token: Option<String>,
}

/// Every posted movement of the caller's wallets created in `[start, end)`, oldest first,
/// with the running balance of the account it moved.
#[utoipa::path(
    get, path = "/api/me/statements", tag = "Statements",
    summary = "Get user statement records",
    params(StatementQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The statement", body = StatementResponse),
        (status = 422, description = "Bad `start`/`end`, or more than 10000 records", body = ErrorBody)
    )
)]
pub async fn get_statement(
    State(app): State<App>,
    Auth(actor): Auth,
    Query(q): Query<StatementQuery>,
) -> ApiResult<Json<StatementResponse>> {
    let r = Range::parse(q.start.as_deref(), q.end.as_deref())?;
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
    params(StatementExportQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The workbook",
         content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        (status = 422, description = "Bad `start` or `end`", body = ErrorBody)
    )
)]
pub async fn export_statement(
    State(app): State<App>,
    headers: HeaderMap,
    Query(q): Query<StatementExportQuery>,
) -> ApiResult<Response> {
    let actor = download(&app, &headers, q.token).await?;
    let r = Range::parse(q.start.as_deref(), q.end.as_deref())?;
    let file = export::statement(&app, &actor, r).await?;
    Ok(xlsx_response(file, "statement"))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(get_statement)).routes(routes!(export_statement))
}
