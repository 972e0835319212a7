//! The commission ledger (seed tag Commissions): staff list, read and correct records; an
//! introducer reads its own.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::partners::ledger;
use brokercrm_core::{Error, Money};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::{CommissionLedgerDto, ListQuery};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};

fn id_of(raw: &str) -> Result<i64, Error> {
    raw.trim().parse::<i64>().map_err(|_| Error::field("id", "must be an integer"))
}

/// Every record, newest first unless `orderBy=ASC` (ReadCommissions).
#[utoipa::path(
    get, path = "/api/commission-ledgers", tag = "Commissions",
    summary = "Get a list of commission ledgers",
    params(ListQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The records", body = Vec<CommissionLedgerDto>),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "A bad query value, named", body = ErrorBody)
    )
)]
pub async fn list_commission_ledgers(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<ListQuery>,
) -> ApiResult<axum::Json<Vec<CommissionLedgerDto>>> {
    let (rows, _) = ledger::list(&app, &p, q.page()?).await?;
    Ok(axum::Json(rows.into_iter().map(Into::into).collect()))
}

/// One record (ReadCommissions).
#[utoipa::path(
    get, path = "/api/commission-ledgers/{id}", tag = "Commissions",
    summary = "Get a commission ledger",
    params(("id" = i64, Path, description = "Record id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The record", body = CommissionLedgerDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such record", body = ErrorBody)
    )
)]
pub async fn get_commission_ledger(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<CommissionLedgerDto>> {
    Ok(axum::Json(ledger::get(&app, &p, id_of(&id)?).await?.into()))
}

/// Body of "Update a commission ledger".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CorrectionRequest {
    /// The amount the record should have paid (0 or more; number or decimal string).
    #[schema(value_type = f64, example = 200)]
    pub corrected_commission_amount: Option<Value>,
    pub admin_comments: Option<String>,
}

/// Corrects a record (ManageCommissions): the difference to the amount in force is posted as
/// a new transfer to (or from) the introducer's commission payable account. Audited.
#[utoipa::path(
    put, path = "/api/commission-ledgers/{id}", tag = "Commissions",
    summary = "Update a commission ledger",
    params(("id" = i64, Path, description = "Record id")),
    request_body = CorrectionRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The corrected record", body = CommissionLedgerDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such record", body = ErrorBody),
        (status = 409, description = "In a pending payout request, or corrected meanwhile", body = ErrorBody),
        (status = 422, description = "A bad field, named; or a decrease beyond the available commission", body = ErrorBody)
    )
)]
pub async fn update_commission_ledger(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<CorrectionRequest>,
) -> ApiResult<axum::Json<CommissionLedgerDto>> {
    const FIELD: &str = "correctedCommissionAmount";
    let amount = match &b.corrected_commission_amount {
        Some(Value::Number(n)) => Money::parse(FIELD, &n.to_string())?,
        Some(Value::String(s)) => Money::parse(FIELD, s.trim())?,
        None | Some(Value::Null) => return Err(Error::field(FIELD, "is required").into()),
        Some(_) => return Err(Error::field(FIELD, "must be a number").into()),
    };
    let v = ledger::correct(&app, &p, id_of(&id)?, amount, b.admin_comments).await?;
    Ok(axum::Json(v.into()))
}

/// The introducer's own records.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct OwnLedgerDto {
    pub commission_ledger: Vec<CommissionLedgerDto>,
    /// How many records match.
    pub count: u64,
}

/// The caller's own commission records (an introducer; anyone else 404), filtered by
/// `statuses` (PENDING, PAIDOUT).
#[utoipa::path(
    get, path = "/api/me/commission-ledger", tag = "Commissions",
    summary = "Get commission ledger records",
    params(ListQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The records", body = OwnLedgerDto),
        (status = 404, description = "The caller is not an introducer", body = ErrorBody),
        (status = 422, description = "A bad query value, named", body = ErrorBody)
    )
)]
pub async fn get_own_commission_ledger(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<ListQuery>,
) -> ApiResult<axum::Json<OwnLedgerDto>> {
    let mut paid = None;
    for s in q.statuses.iter().flatten().flat_map(|s| s.split(',')).map(str::trim) {
        let this = match s.to_ascii_uppercase().as_str() {
            "PENDING" => false,
            "PAIDOUT" => true,
            "" => continue,
            _ => return Err(Error::field("statuses", "must be PENDING or PAIDOUT").into()),
        };
        paid = match paid {
            Some(p) if p != this => None,
            _ => Some(this),
        };
        if paid.is_none() {
            break;
        }
    }
    let (rows, count) = ledger::own(&app, &p, q.page()?, paid).await?;
    Ok(axum::Json(OwnLedgerDto {
        commission_ledger: rows.into_iter().map(Into::into).collect(),
        count,
    }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_commission_ledgers))
        .routes(routes!(get_commission_ledger, update_commission_ledger))
        .routes(routes!(get_own_commission_ledger))
}
