//! Writes of the Leads tag: create, claim, assign a sales person, bulk edit.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::sales::leads::create::{self, NewLeadInput};
use brokercrm_app::sales::leads::work::{self, BulkInput};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::dto::{FetchLeadFilters, LeadEnvelope};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

/// Body of "Create a lead".
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateLeadRequest {
    /// "First Last".
    #[schema(example = "Jane Doe")]
    pub name: Option<String>,
    /// An e-mail or a mobile number is required.
    #[schema(example = "user@example.com")]
    pub email: Option<String>,
    #[schema(example = "+35799123456")]
    pub mobilenumber: Option<String>,
    #[schema(example = "website")]
    pub source: Option<String>,
}

/// Creates a lead on the caller's desk (an agent becomes its sales person). Audited.
#[utoipa::path(
    post, path = "/api/leads", tag = "Leads", summary = "Create a lead",
    request_body = CreateLeadRequest,
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 201, description = "Created", body = LeadEnvelope),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 409, description = "A lead or customer with this e-mail or phone exists", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody)
    )
)]
pub async fn create_lead(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreateLeadRequest>,
) -> ApiResult<(StatusCode, axum::Json<LeadEnvelope>)> {
    let input = NewLeadInput {
        name: b.name,
        email: b.email,
        mobilenumber: b.mobilenumber,
        source: b.source,
    };
    let v = create::create(&app, &p, &input).await?;
    Ok((StatusCode::CREATED, axum::Json(LeadEnvelope { lead: v })))
}

/// The caller (a manager or agent) becomes the sales person of an unassigned lead in their
/// scope; of two claiming at once exactly one wins. Audited.
#[utoipa::path(
    post, path = "/api/leads/{id}/claim", tag = "Leads", summary = "Claim lead by ID",
    params(("id" = String, Path, description = "The lead's id")),
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Claimed", body = LeadEnvelope),
        (status = 403, description = "Not a manager or agent", body = ErrorBody),
        (status = 404, description = "Unknown lead, or not in the caller's scope", body = ErrorBody),
        (status = 409, description = "The lead already has a sales person", body = ErrorBody)
    )
)]
pub async fn claim_lead(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<axum::Json<LeadEnvelope>> {
    let v = work::claim(&app, &p, &id).await?;
    Ok(axum::Json(LeadEnvelope { lead: v }))
}

/// Body of "Assign sales person to lead".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignRequest {
    /// Public id of a manager or agent; null or blank unassigns.
    pub sales_person_id: Option<String>,
}

/// Sets (or clears) a lead's sales person. A manager or agent may only choose someone on
/// their own desk (or themselves). Audited.
#[utoipa::path(
    put, path = "/api/leads/{id}/sales-person", tag = "Leads",
    summary = "Assign sales person to lead",
    params(("id" = String, Path, description = "The lead's id")),
    request_body = AssignRequest,
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Assigned", body = LeadEnvelope),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown lead, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "`salesPersonId` is not a sales person the caller may choose", body = ErrorBody)
    )
)]
pub async fn assign_sales_person(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<AssignRequest>,
) -> ApiResult<axum::Json<LeadEnvelope>> {
    let v = work::assign(&app, &p, &id, b.sales_person_id.as_deref()).await?;
    Ok(axum::Json(LeadEnvelope { lead: v }))
}

/// Body of "Bulk edit leads": what to set, and the filters choosing the leads.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BulkEditRequest {
    /// Sales status id to set.
    pub selected_status: Option<i64>,
    /// Public id of the sales person to set.
    pub selected_sales_person: Option<String>,
    #[serde(flatten)]
    pub filters: FetchLeadFilters,
}

/// "Bulk edit leads".
#[derive(Debug, Serialize, ToSchema)]
pub struct BulkEditResponse {
    pub success: bool,
    /// Leads changed.
    pub updated: u64,
}

/// Sets the status and/or sales person of every lead in the caller's scope matching the
/// filters, in one statement. Audited.
#[utoipa::path(
    post, path = "/api/leads/bulk-edit", tag = "Leads", summary = "Bulk edit leads",
    request_body = BulkEditRequest,
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Edited", body = BulkEditResponse),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 422, description = "Nothing to set, or a bad filter or value", body = ErrorBody)
    )
)]
pub async fn bulk_edit_leads(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<BulkEditRequest>,
) -> ApiResult<axum::Json<BulkEditResponse>> {
    let input = BulkInput {
        selected_status: b.selected_status,
        selected_sales_person: b.selected_sales_person,
        filters: b.filters.into_input(None),
    };
    let updated = work::bulk_edit(&app, &p, &input).await?;
    Ok(axum::Json(BulkEditResponse { success: true, updated }))
}
