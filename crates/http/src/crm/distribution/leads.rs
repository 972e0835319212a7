//! Distribution leads for staff, read-only: filtered lists (newest first) and one lead with
//! its routing trace and conversions. Never the lead's password or auto-login link.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::distribution::leads_admin::{
    self, ConversionView, LeadDetail, LeadEventView, LeadQuery, LeadView,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::PageQuery;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, StrictQuery};

/// A lead with its routing trace and conversions.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DistributionLeadDetailDto {
    #[serde(flatten)]
    pub lead: LeadView,
    /// Routing steps in order.
    pub trace: Vec<LeadEventView>,
    pub conversions: Vec<ConversionView>,
}

impl From<LeadDetail> for DistributionLeadDetailDto {
    fn from(d: LeadDetail) -> Self {
        Self {
            lead: d.lead,
            trace: d.trace.into_iter().collect(),
            conversions: d.conversions.into_iter().collect(),
        }
    }
}

/// Query of "List distribution leads".
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct LeadListQuery {
    pub status: Option<String>,
    pub affiliate_uuid: Option<String>,
    pub advertiser_uuid: Option<String>,
    /// RFC 3339; created at or after.
    pub created_from: Option<String>,
    /// RFC 3339; created before.
    pub created_to: Option<String>,
    /// Rows to return, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
}

/// Lists distribution leads, newest first (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/leads", tag = "Lead Distribution",
    summary = "List distribution leads",
    params(LeadListQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Leads", body = [LeadView]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad filter, `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_distribution_leads(
    State(app): State<App>,
    Auth(p): Auth,
    StrictQuery(q): StrictQuery<LeadListQuery>,
) -> ApiResult<axum::Json<Vec<LeadView>>> {
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    let filter = LeadQuery {
        status: q.status,
        affiliate_uuid: q.affiliate_uuid,
        advertiser_uuid: q.advertiser_uuid,
        created_from: q.created_from,
        created_to: q.created_to,
    };
    let rows = leads_admin::list(&app, &p, filter, page).await?;
    Ok(axum::Json(rows.into_iter().collect()))
}

/// One lead with its routing trace and conversions (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/leads/{uuid}", tag = "Lead Distribution",
    summary = "Get distribution lead",
    params(("uuid" = String, Path, description = "Public id of the lead")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The lead", body = DistributionLeadDetailDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown lead", body = ErrorBody)
    )
)]
pub async fn get_distribution_lead(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> ApiResult<axum::Json<DistributionLeadDetailDto>> {
    Ok(axum::Json(leads_admin::get(&app, &p, &uuid).await?.into()))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_distribution_leads))
        .routes(routes!(get_distribution_lead))
}
