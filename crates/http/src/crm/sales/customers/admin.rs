//! Seed 002 tag "Customers - Admin APIs": list (every filter of the seed), ids, create, get,
//! update, bulk update and e-mail. Staff see only customers in their scope (404 outside it).

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::sales::customers::list::ListParams;
use brokercrm_app::sales::customers::write::{CustomerPatch, NewCustomer};
use brokercrm_app::sales::customers::{self, email, list, write};
use brokercrm_core::Error;
use serde::{Deserialize, Deserializer, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::dto::CustomerDto;
use crate::crm::crm_paging::int;
use crate::crm::money::wallets::dto::{query_list, query_one, query_pairs};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

/// Query of "Get all customers" (arrays: repeated keys, `name[]=` or comma-separated).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct CustomersQuery {
    /// From 0 (default 0).
    #[param(value_type = Option<u32>)]
    pub offset: Option<String>,
    /// 1 to 200 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: Option<String>,
    /// Part of e-mail, first or last name or phone (any case); an account id or public id.
    pub search: Option<String>,
    /// `createdAt` (default, newest first), `updatedAt`, `name`, `email`, `country`,
    /// `lastActive` or `accountId`, optionally `|ASC` / `|DESC`.
    pub sort_by: Option<String>,
    /// ISO-2 country.
    pub country: Option<String>,
    /// Trading group id or name.
    pub group: Option<String>,
    /// Last login from (RFC 3339 or YYYY-MM-DD).
    pub last_activity_start: Option<String>,
    /// Last login to (inclusive; a date means the whole day).
    pub last_activity_end: Option<String>,
    pub registration_start: Option<String>,
    pub registration_end: Option<String>,
    /// `ACTIVE`, `DISABLED`.
    pub selected_statuses: Option<Vec<String>>,
    /// `NONE`, `PENDING`, `APPROVED`, `REVOKED`.
    pub selected_kyc_statuses: Option<Vec<String>>,
    /// `customer` (everyone), `leader`.
    pub roles: Option<Vec<String>>,
    pub sources: Option<Vec<String>>,
    /// `N` (exactly), `N+` (at least) or `N-M` posted deposits.
    pub deposit_count: Option<String>,
    /// Sales status id or name.
    pub sales_status: Option<String>,
    /// `active` (logged in within 30 days) or `inactive`.
    pub activity: Option<String>,
    /// `open` (no customer yet: positions arrive with trading), `none` or `any`.
    pub positions: Option<String>,
    /// Public id of the referring affiliate (introducer).
    pub introducer_id: Option<String>,
    /// Changed since (RFC 3339 or YYYY-MM-DD).
    pub updated_since: Option<String>,
    /// `LOW`, `MEDIUM`, `HIGH`, `REVIEW`.
    pub risk_status: Option<String>,
    /// Public ids of retention agents.
    pub retention_agents: Option<Vec<String>>,
    /// Public ids of conversion agents.
    pub conversion_agents: Option<Vec<String>>,
}

/// Parses the list query; bad numbers are 422 naming `limit` / `offset`.
pub fn list_params(raw: Option<&str>) -> Result<ListParams, Error> {
    let q = query_pairs(raw)?;
    let one = |n: &str| query_one(&q, n);
    let mut v = brokercrm_core::Violations::new();
    let limit = v.check(int("limit", one("limit").as_deref())).flatten();
    let offset = v.check(int("offset", one("offset").as_deref())).flatten();
    v.finish()?;
    Ok(ListParams {
        offset,
        limit,
        search: one("search"),
        sort_by: one("sortBy"),
        country: one("country"),
        group: one("group"),
        last_activity_start: one("lastActivityStart"),
        last_activity_end: one("lastActivityEnd"),
        registration_start: one("registrationStart"),
        registration_end: one("registrationEnd"),
        selected_statuses: query_list(&q, "selectedStatuses"),
        selected_kyc_statuses: query_list(&q, "selectedKycStatuses"),
        roles: query_list(&q, "roles"),
        sources: query_list(&q, "sources"),
        deposit_count: one("depositCount"),
        sales_status: one("salesStatus"),
        activity: one("activity"),
        positions: one("positions"),
        introducer_id: one("introducerId"),
        updated_since: one("updatedSince"),
        risk_status: one("riskStatus"),
        retention_agents: query_list(&q, "retentionAgents"),
        conversion_agents: query_list(&q, "conversionAgents"),
    })
}

/// "Get all customers".
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomersResponse {
    pub customers: Vec<CustomerDto>,
    /// Customers matching the filters (all pages).
    pub count: u64,
}

/// The caller's customers matching the filters, one page.
#[utoipa::path(
    get, path = "/api/customers", tag = "Customers - Admin APIs",
    summary = "Get all customers",
    params(CustomersQuery),
    security(("BearerAuth" = []), ("ApiKeyBearerAuth" = [])),
    responses(
        (status = 200, description = "A page of customers", body = CustomersResponse),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "A bad filter, named", body = ErrorBody)
    )
)]
pub async fn list_customers(
    State(app): State<App>,
    Auth(p): Auth,
    RawQuery(q): RawQuery,
) -> ApiResult<axum::Json<CustomersResponse>> {
    let params = list_params(q.as_deref())?;
    let (rows, count) = list::list(&app, &p, &params).await?;
    Ok(axum::Json(CustomersResponse {
        customers: rows.into_iter().map(Into::into).collect(),
        count,
    }))
}

/// "Get customer IDs".
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerIdsResponse {
    /// Public ids by account id (at most 10,000).
    pub customers_ids: Vec<String>,
}

/// Public ids of the caller's customers; takes the filters of "Get all customers".
#[utoipa::path(
    get, path = "/api/customers/ids", tag = "Customers - Admin APIs",
    summary = "Get customer IDs",
    params(CustomersQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Customer ids", body = CustomerIdsResponse),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "A bad filter, named", body = ErrorBody)
    )
)]
pub async fn get_customer_ids(
    State(app): State<App>,
    Auth(p): Auth,
    RawQuery(q): RawQuery,
) -> ApiResult<axum::Json<CustomerIdsResponse>> {
    let params = list_params(q.as_deref())?;
    Ok(axum::Json(CustomerIdsResponse { customers_ids: list::ids(&app, &p, &params).await? }))
}

/// "Create a new customer".
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateCustomerRequest {
    /// First name, then the last name after the first blank.
    pub fullname: Option<String>,
    pub mobilenumber: Option<String>,
    /// ISO-2 country.
    pub country: Option<String>,
    pub email: Option<String>,
    /// The customer's currency (e.g. USD).
    pub currency: Option<String>,
    pub wants_to_become_leader: Option<bool>,
}

/// `{"success": true, "id"}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct CreatedResponse {
    pub success: bool,
    /// Public id of the new customer.
    pub id: String,
}

/// Creates a customer; it gets an e-mail to confirm its address and choose a password.
#[utoipa::path(
    post, path = "/api/customers", tag = "Customers - Admin APIs",
    summary = "Create a new customer",
    request_body = CreateCustomerRequest,
    security(("BearerAuth" = []), ("ApiKeyBearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = CreatedResponse),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Without ManageCustomers", body = ErrorBody),
        (status = 409, description = "E-mail already registered", body = ErrorBody),
        (status = 422, description = "A missing or invalid field, named", body = ErrorBody)
    )
)]
pub async fn create_customer(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreateCustomerRequest>,
) -> ApiResult<(StatusCode, axum::Json<CreatedResponse>)> {
    let user = write::create(
        &app,
        &p,
        NewCustomer {
            fullname: b.fullname,
            mobilenumber: b.mobilenumber,
            country: b.country,
            email: b.email,
            currency: b.currency,
            wants_to_become_leader: b.wants_to_become_leader,
        },
    )
    .await?;
    Ok((StatusCode::CREATED, axum::Json(CreatedResponse { success: true, id: user.uuid })))
}

/// `Some(value)` for a present field, even `null` (`Some(None)`).
fn present<'de, D: Deserializer<'de>, T: Deserialize<'de>>(
    d: D,
) -> Result<Option<Option<T>>, D::Error> {
    Option::<T>::deserialize(d).map(Some)
}

/// UpdateCustomerDTO: only the fields sent change. `null` clears the optional ones.
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateCustomerRequest {
    /// The customer (bulk update only).
    pub id: Option<String>,
    pub fullname: Option<String>,
    pub mobilenumber: Option<String>,
    pub country: Option<String>,
    pub email: Option<String>,
    pub currency: Option<String>,
    /// `customer`, `leader`.
    pub roles: Option<Vec<String>>,
    /// Trading group ids or names (replaces the customer's groups).
    pub groups: Option<Vec<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub notes: Option<Option<String>>,
    /// `LOW`, `MEDIUM`, `HIGH`, `REVIEW`.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub risk_status: Option<Option<String>>,
    /// Public id of a sales desk.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub sales_desk: Option<Option<String>>,
    /// Public id of a conversion agent.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub conversion_agent: Option<Option<String>>,
    /// Public id of a retention agent.
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<String>)]
    pub retention_agent: Option<Option<String>>,
    #[serde(default, deserialize_with = "present")]
    #[schema(value_type = Option<i64>)]
    pub sales_status_id: Option<Option<i64>>,
}

impl From<UpdateCustomerRequest> for CustomerPatch {
    fn from(b: UpdateCustomerRequest) -> Self {
        Self {
            id: b.id,
            fullname: b.fullname,
            mobilenumber: b.mobilenumber,
            country: b.country,
            email: b.email,
            currency: b.currency,
            roles: b.roles,
            groups: b.groups,
            notes: b.notes,
            risk_status: b.risk_status,
            sales_desk: b.sales_desk,
            conversion_agent: b.conversion_agent,
            retention_agent: b.retention_agent,
            sales_status_id: b.sales_status_id,
        }
    }
}

/// "Bulk update customers".
#[derive(Debug, Deserialize, ToSchema)]
pub struct BulkUpdateRequest {
    /// At most 500; each names its customer by `id`.
    pub customers: Vec<UpdateCustomerRequest>,
}

/// `{"success": true}`.
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = CustomerSuccessResponse)]
pub struct SuccessResponse {
    pub success: bool,
}

/// Updates many customers at once: every item is checked first; all change or none.
#[utoipa::path(
    put, path = "/api/customers", tag = "Customers - Admin APIs",
    summary = "Bulk update customers",
    request_body = BulkUpdateRequest,
    security(("BearerAuth" = []), ("ApiKeyBearerAuth" = [])),
    responses(
        (status = 200, description = "All updated", body = SuccessResponse),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Without ManageCustomers", body = ErrorBody),
        (status = 422, description = "A bad item, named `customers[i].field`", body = ErrorBody)
    )
)]
pub async fn bulk_update_customers(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<BulkUpdateRequest>,
) -> ApiResult<axum::Json<SuccessResponse>> {
    write::bulk_update(&app, &p, b.customers.into_iter().map(Into::into).collect()).await?;
    Ok(axum::Json(SuccessResponse { success: true }))
}

/// One customer with its desk, agents, documents count and ledger figures.
#[utoipa::path(
    get, path = "/api/customers/{id}", tag = "Customers - Admin APIs",
    summary = "Get a specific customer by ID",
    params(("id" = String, Path, description = "The customer's public id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The customer", body = CustomerDto),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown, or not in the caller's scope", body = ErrorBody)
    )
)]
pub async fn get_customer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<CustomerDto>> {
    Ok(axum::Json(customers::get(&app, &p, &id).await?.into()))
}

/// Changes the fields sent; answers the customer.
#[utoipa::path(
    put, path = "/api/customers/{id}", tag = "Customers - Admin APIs",
    summary = "Update a specific customer by ID",
    params(("id" = String, Path, description = "The customer's public id")),
    request_body = UpdateCustomerRequest,
    security(("BearerAuth" = []), ("ApiKeyBearerAuth" = [])),
    responses(
        (status = 200, description = "The updated customer", body = CustomerDto),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Without ManageCustomers", body = ErrorBody),
        (status = 404, description = "Unknown, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "An invalid field, named", body = ErrorBody)
    )
)]
pub async fn update_customer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<UpdateCustomerRequest>,
) -> ApiResult<axum::Json<CustomerDto>> {
    Ok(axum::Json(write::update(&app, &p, &id, b.into()).await?.into()))
}

/// "Send an email to a specific customer by ID".
#[derive(Debug, Deserialize, ToSchema)]
pub struct SendEmailRequest {
    pub subject: Option<String>,
    pub body: Option<String>,
}

/// `{"message"}`.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageResponse {
    pub message: String,
    /// The communication recorded for the e-mail.
    pub communication_id: String,
}

/// Queues an e-mail to the customer and records it in its communications.
#[utoipa::path(
    post, path = "/api/customers/{id}/email", tag = "Customers - Admin APIs",
    summary = "Send an email to a specific customer by ID",
    params(("id" = String, Path, description = "The customer's public id")),
    request_body = SendEmailRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Queued", body = MessageResponse),
        (status = 401, description = "Not authenticated", body = ErrorBody),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "`subject` or `body` missing", body = ErrorBody)
    )
)]
pub async fn send_customer_email(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<SendEmailRequest>,
) -> ApiResult<axum::Json<MessageResponse>> {
    let cid = email::send(&app, &p, &id, b.subject.as_deref(), b.body.as_deref()).await?;
    Ok(axum::Json(MessageResponse { message: "Email queued".into(), communication_id: cid }))
}
