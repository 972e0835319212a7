//! Call agents per customer, and calls started by an agent for a customer or a CRM lead.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::sales::Page;
use brokercrm_app::sales::calls::agents;
use brokercrm_app::sales::calls::dial::{self, Dialled};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};

/// Body of "Configure call agent for a customer".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AgentRequest {
    /// The provider's agent (extension or login), 1-255 characters.
    #[schema(example = "1007")]
    pub agent_id: Option<String>,
    /// `voiso` or `coperato`.
    #[schema(example = "voiso")]
    pub provider: Option<String>,
}

/// A customer's call agent for a provider.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MappingDto {
    /// Public id of the customer.
    pub customer_id: String,
    pub agent_id: String,
    pub provider: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Answer of "Configure call agent for a customer".
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MappingCreatedDto {
    pub new_customer_agent_mapping: MappingDto,
}

/// A customer with a call agent.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CustomerAgentDto {
    /// Public id of the customer.
    pub id: String,
    pub name: String,
    pub email: String,
    pub phone: Option<String>,
    pub agent_id: String,
    pub provider: String,
    /// Newest call, e-mail or SMS with the customer (from the communications log).
    pub last_contact_at: Option<DateTime<Utc>>,
}

/// "Get customers with agents".
#[derive(Debug, Serialize, ToSchema)]
pub struct CustomersWithAgentsDto {
    /// By customer id.
    pub customers: Vec<CustomerAgentDto>,
    /// Pages of `limit` rows.
    pub pages: u64,
}

/// `?provider=&offset=&limit=`.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CustomersQuery {
    /// `voiso` or `coperato` (required).
    pub provider: Option<String>,
    #[param(value_type = Option<u32>)]
    pub offset: Option<i64>,
    /// 1 to 200 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: Option<i64>,
}

/// A call the provider accepted; its outcome arrives through the provider's webhook.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CallDto {
    pub success: bool,
    /// Our call id (quoted by the provider's webhooks).
    pub call_id: String,
    pub provider: String,
    /// `requested`.
    pub status: String,
}

impl From<Dialled> for CallDto {
    fn from(d: Dialled) -> Self {
        Self {
            success: true,
            call_id: d.call_id,
            provider: d.provider.as_str().to_owned(),
            status: d.status.as_str().to_owned(),
        }
    }
}

/// Sets the provider agent who calls a customer (customer in scope). Audited.
#[utoipa::path(
    put, path = "/api/calls/customers/{id}/agent", tag = "Calls",
    summary = "Configure call agent for a customer",
    params(("id" = String, Path, description = "The customer's id")),
    request_body = AgentRequest, security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The mapping", body = MappingCreatedDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown customer, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "Bad `agentId` or `provider`", body = ErrorBody)
    )
)]
pub async fn configure_call_agent(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<AgentRequest>,
) -> ApiResult<axum::Json<MappingCreatedDto>> {
    let m = agents::configure(&app, &p, &id, b.agent_id.as_deref(), b.provider.as_deref()).await?;
    Ok(axum::Json(MappingCreatedDto {
        new_customer_agent_mapping: MappingDto {
            customer_id: m.customer_id,
            agent_id: m.agent_id,
            provider: m.provider.as_str().to_owned(),
            created_at: m.created_at,
            updated_at: m.updated_at,
        },
    }))
}

/// The customers in the caller's scope that have a call agent for the provider.
#[utoipa::path(
    get, path = "/api/calls/customers", tag = "Calls", summary = "Get customers with agents",
    params(CustomersQuery), security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "A page", body = CustomersWithAgentsDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "Bad `provider`, `offset` or `limit`", body = ErrorBody)
    )
)]
pub async fn list_customers_with_agents(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<CustomersQuery>,
) -> ApiResult<axum::Json<CustomersWithAgentsDto>> {
    let pg = Page::new(q.limit, q.offset)?;
    let (rows, pages) = agents::list(&app, &p, q.provider.as_deref(), pg).await?;
    let customers = rows
        .into_iter()
        .map(|c| CustomerAgentDto {
            id: c.customer_id,
            name: c.name,
            email: c.email,
            phone: c.phone,
            agent_id: c.agent_id,
            provider: c.provider.as_str().to_owned(),
            last_contact_at: c.last_contact_at,
        })
        .collect();
    Ok(axum::Json(CustomersWithAgentsDto { customers, pages }))
}

/// Asks the current provider to connect the customer's agent to the customer (in scope).
#[utoipa::path(
    post, path = "/api/calls/customers/{id}", tag = "Calls",
    summary = "Initiate a call by an agent",
    params(("id" = String, Path, description = "The customer's id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The provider is dialling", body = CallDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown customer, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "No usable `provider`, or no `phone`", body = ErrorBody),
        (status = 502, description = "The provider refused or failed", body = ErrorBody)
    )
)]
pub async fn call_customer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<CallDto>> {
    Ok(axum::Json(dial::call_customer(&app, &p, &id).await?.into()))
}

/// Asks the current provider to connect the caller to a CRM lead (in scope).
#[utoipa::path(
    post, path = "/api/calls/leads/{id}", tag = "Calls",
    summary = "Initiate a lead call by an agent",
    params(("id" = String, Path, description = "The CRM lead's id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The provider is dialling", body = CallDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown lead, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "No usable `provider`, or no `phone`", body = ErrorBody),
        (status = 502, description = "The provider refused or failed", body = ErrorBody)
    )
)]
pub async fn call_lead(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<CallDto>> {
    Ok(axum::Json(dial::call_lead(&app, &p, &id).await?.into()))
}
