//! Distribution leads for staff, read-only: filtered lists (newest first) and one lead with
//! its routing trace and conversions. Never the lead's password or auto-login link.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::distribution::leads_admin::{
    self, ConversionView, LeadDetail, LeadEventView, LeadQuery, LeadView,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::PageQuery;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, StrictQuery};

/// A distribution lead.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DistributionLeadDto {
    pub uuid: String,
    pub affiliate_uuid: Option<String>,
    /// How the lead came in, e.g. `affiliate_v2`.
    pub channel: String,
    pub offer_uuid: Option<String>,
    pub offer_name: Option<String>,
    pub advertiser_uuid: Option<String>,
    pub advertiser_name: Option<String>,
    pub status: String,
    /// Seed 001 error type when refused, e.g. `ROTATION_ERROR`.
    pub error_type: Option<String>,
    pub error_message: Option<String>,
    pub ip: String,
    pub country: Option<String>,
    pub language: Option<String>,
    pub is_test: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Every other profile key sent with the lead (never `password`).
    #[schema(value_type = Object)]
    pub profile: serde_json::Value,
    /// The advertiser's id of the lead.
    pub external_id: Option<String>,
    pub has_auto_login_url: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<LeadView> for DistributionLeadDto {
    fn from(l: LeadView) -> Self {
        Self {
            uuid: l.uuid,
            affiliate_uuid: l.affiliate_uuid,
            channel: l.channel,
            offer_uuid: l.offer_uuid,
            offer_name: l.offer_name,
            advertiser_uuid: l.advertiser_uuid,
            advertiser_name: l.advertiser_name,
            status: l.status,
            error_type: l.error_type,
            error_message: l.error_message,
            ip: l.ip,
            country: l.country,
            language: l.language,
            is_test: l.is_test,
            email: l.email,
            phone: l.phone,
            first_name: l.first_name,
            last_name: l.last_name,
            profile: l.profile,
            external_id: l.external_id,
            has_auto_login_url: l.has_auto_login_url,
            created_at: l.created_at,
            updated_at: l.updated_at,
        }
    }
}

/// A goal the lead reached.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
#[schema(as = LeadConversionDto)]
pub struct ConversionDto {
    pub uuid: String,
    /// Goal type name, e.g. `FTD`.
    pub goal_type: String,
    pub source: String,
    pub created_at: DateTime<Utc>,
}

impl From<ConversionView> for ConversionDto {
    fn from(c: ConversionView) -> Self {
        Self { uuid: c.uuid, goal_type: c.goal_type, source: c.source, created_at: c.created_at }
    }
}

/// A lead with its routing trace and conversions.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct DistributionLeadDetailDto {
    #[serde(flatten)]
    pub lead: DistributionLeadDto,
    /// Routing steps in order.
    pub trace: Vec<LeadEventView>,
    pub conversions: Vec<ConversionDto>,
}

impl From<LeadDetail> for DistributionLeadDetailDto {
    fn from(d: LeadDetail) -> Self {
        Self {
            lead: d.lead.into(),
            trace: d.trace.into_iter().collect(),
            conversions: d.conversions.into_iter().map(Into::into).collect(),
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
        (status = 200, description = "Leads", body = [DistributionLeadDto]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad filter, `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_distribution_leads(
    State(app): State<App>,
    Auth(p): Auth,
    StrictQuery(q): StrictQuery<LeadListQuery>,
) -> ApiResult<axum::Json<Vec<DistributionLeadDto>>> {
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    let filter = LeadQuery {
        status: q.status,
        affiliate_uuid: q.affiliate_uuid,
        advertiser_uuid: q.advertiser_uuid,
        created_from: q.created_from,
        created_to: q.created_to,
    };
    let rows = leads_admin::list(&app, &p, filter, page).await?;
    Ok(axum::Json(rows.into_iter().map(Into::into).collect()))
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
