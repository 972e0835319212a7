//! Reads of the Leads tag: list, get, sales people, sources, signup-code check.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::sales::Page;
use brokercrm_app::sales::leads::list;
use brokercrm_core::Error;
use brokercrm_core::distribution::crm_leads::LeadOrder;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::FetchLeadFilters;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Query, parse_json};
use brokercrm_app::sales::Person;
use brokercrm_app::sales::leads::LeadView;

/// Query of "List leads".
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListLeadsQuery {
    /// 1 to 200 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: Option<i64>,
    #[param(value_type = Option<u32>)]
    pub offset: Option<i64>,
    /// `createdAt` (default, DESC), `updatedAt`, `lastContactAt`, `name` or `email`, each
    /// optionally `|ASC` or `|DESC`.
    #[serde(rename = "orderBy")]
    #[param(rename = "orderBy")]
    pub order_by: Option<String>,
    /// FetchLeadFilters as JSON, e.g. `{"statuses":["New"],"country":"CY"}`.
    #[param(value_type = Option<String>)]
    pub filters: Option<String>,
    /// Prefix of the e-mail, phone, "first last" or last name (case-insensitive).
    pub search: Option<String>,
}

/// "List leads".
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadsPage {
    pub leads: Vec<LeadView>,
    /// ceil(count / limit).
    pub pages: u64,
    /// Leads matching the filters.
    pub count: u64,
}

/// Leads in the caller's scope matching the filters, a page at a time.
#[utoipa::path(
    get, path = "/api/leads", tag = "Leads", summary = "List leads",
    params(ListLeadsQuery),
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "A page of leads", body = LeadsPage),
        (status = 400, description = "Malformed query or `filters` JSON", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "A bad filter, `limit`, `offset` or `orderBy`", body = ErrorBody)
    )
)]
pub async fn list_leads(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<ListLeadsQuery>,
) -> ApiResult<axum::Json<LeadsPage>> {
    let pg = Page::new(q.limit, q.offset)?;
    let order = LeadOrder::parse(q.order_by.as_deref())?;
    let filters: FetchLeadFilters = match q.filters.as_deref().map(str::trim) {
        None | Some("") => FetchLeadFilters::default(),
        Some(json) => parse_json(json.as_bytes()).map_err(|e| match e {
            Error::BadRequest(m) => Error::BadRequest(format!("filters: {m}")),
            other => other,
        })?,
    };
    let input = filters.into_input(q.search);
    let (rows, count) = list::list(&app, &p, &input, order, pg).await?;
    Ok(axum::Json(LeadsPage { leads: rows.into_iter().collect(), pages: pg.pages(count), count }))
}

/// One lead in the caller's scope.
#[utoipa::path(
    get, path = "/api/leads/{id}", tag = "Leads", summary = "Get lead by ID",
    params(("id" = String, Path, description = "The lead's id")),
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "The lead", body = LeadView),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown lead, or not in the caller's scope", body = ErrorBody)
    )
)]
pub async fn get_lead(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<LeadView>> {
    Ok(axum::Json(list::get(&app, &p, &id).await?))
}

/// A sales person.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SalesPersonDto {
    #[serde(flatten)]
    pub person: Person,
    /// Public id of their sales desk.
    pub desk_id: Option<String>,
}

/// "Get sales people".
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SalesPeopleDto {
    pub sales_people: Vec<SalesPersonDto>,
}

/// Managers and agents leads can be given to: all of them for admins, risk and support;
/// one's own desk for managers and agents.
#[utoipa::path(
    get, path = "/api/leads/sales-people", tag = "Leads", summary = "Get sales people",
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Sales people, by e-mail", body = SalesPeopleDto),
        (status = 403, description = "Not staff", body = ErrorBody)
    )
)]
pub async fn get_sales_people(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<SalesPeopleDto>> {
    let rows = list::sales_people(&app, &p).await?;
    Ok(axum::Json(SalesPeopleDto {
        sales_people: rows
            .into_iter()
            .map(|s| SalesPersonDto { person: s.person, desk_id: s.desk_id })
            .collect(),
    }))
}

/// Query of "Check signup code".
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SignupCodeQuery {
    /// A referral code (a user's `wtreferrer` code).
    pub code: Option<String>,
}

/// "Check signup code".
#[derive(Debug, Serialize, ToSchema)]
pub struct SignupCodeDto {
    pub code: String,
}

/// Whether a referral code given at signup belongs to an active user. Public.
#[utoipa::path(
    get, path = "/api/leads/signup-code", tag = "Leads", summary = "Check signup code",
    params(SignupCodeQuery),
    responses(
        (status = 200, description = "The code is valid", body = SignupCodeDto),
        (status = 404, description = "Unknown code", body = ErrorBody),
        (status = 422, description = "`code` missing", body = ErrorBody)
    )
)]
pub async fn check_signup_code(
    State(app): State<App>,
    Query(q): Query<SignupCodeQuery>,
) -> ApiResult<axum::Json<SignupCodeDto>> {
    let code = list::check_signup_code(&app, q.code.as_deref()).await?;
    Ok(axum::Json(SignupCodeDto { code }))
}

/// The distinct sources of the leads in the caller's scope, sorted (at most 1,000).
#[utoipa::path(
    get, path = "/api/leads/sources", tag = "Leads", summary = "Get lead sources",
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Sources", body = Vec<String>),
        (status = 403, description = "Not staff", body = ErrorBody)
    )
)]
pub async fn get_lead_sources(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<Vec<String>>> {
    Ok(axum::Json(list::sources(&app, &p).await?))
}
