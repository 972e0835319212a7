//! Our own tag "Introducers": staff make a user an introducer (IB) with a commission model,
//! assign a customer to an introducer (the attribution's staff path), and issue tenants of
//! the promotion-link API (seed 004).

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::partners::introducers::{self, IntroducerView};
use brokercrm_app::partners::promo_links::tenants;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

/// Our tag of these operations.
pub const TAG: &str = "Introducers";

/// An introducer, or a customer's attribution.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IntroducerDto {
    pub user_id: String,
    pub commission_model_id: Option<i64>,
    /// Its own introducer.
    pub parent_id: Option<String>,
    /// The referral key a sign-up sends as `wtreferrer`.
    pub referral_key: String,
}

impl From<IntroducerView> for IntroducerDto {
    fn from(v: IntroducerView) -> Self {
        Self {
            user_id: v.user_id,
            commission_model_id: v.commission_model_id,
            parent_id: v.parent_id,
            referral_key: v.referral_key,
        }
    }
}

/// Body of "Make a user an introducer".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct IntroducerRequest {
    /// `null`: the model in force by the tree (the parent's sub-introducers' model), else the
    /// default.
    pub commission_model_id: Option<i64>,
}

/// Makes a user an introducer, or changes its commission model (ManageCommissions). Audited.
#[utoipa::path(
    put, path = "/api/introducers/{userId}", tag = "Introducers",
    summary = "Make a user an introducer",
    params(("userId" = String, Path, description = "The user's public id")),
    request_body = IntroducerRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The introducer", body = IntroducerDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "No such commission model", body = ErrorBody)
    )
)]
pub async fn put_introducer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(user_id): Path<String>,
    Json(b): Json<IntroducerRequest>,
) -> ApiResult<axum::Json<IntroducerDto>> {
    let v = introducers::make_introducer(&app, &p, &user_id, b.commission_model_id).await?;
    Ok(axum::Json(v.into()))
}

/// Body of "Assign a customer to an introducer".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AssignIntroducerRequest {
    /// The introducer's public id.
    pub introducer_id: String,
}

/// Makes an introducer the customer's one introducer (ManageCommissions); refused when the
/// tree would loop. Audited.
#[utoipa::path(
    put, path = "/api/customers/{id}/introducer", tag = "Introducers",
    summary = "Assign a customer to an introducer",
    params(("id" = String, Path, description = "The customer's public id")),
    request_body = AssignIntroducerRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The customer's attribution", body = IntroducerDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such customer", body = ErrorBody),
        (status = 422, description = "Not an introducer, or a loop", body = ErrorBody)
    )
)]
pub async fn assign_introducer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<AssignIntroducerRequest>,
) -> ApiResult<axum::Json<IntroducerDto>> {
    Ok(axum::Json(introducers::assign(&app, &p, &id, &b.introducer_id).await?.into()))
}

/// Body of "Issue a promotion-link tenant".
#[derive(Debug, Deserialize, ToSchema)]
pub struct TenantRequest {
    pub name: String,
}

/// A tenant of the promotion-link API; the token is shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct TenantDto {
    /// The `x-api-tenantId` header.
    pub tenant_id: String,
    pub name: String,
    /// The `x-api-token` header (stored hashed; shown once).
    pub token: String,
}

/// Issues a tenant of the promotion-link API (ManageCommissions). Audited.
#[utoipa::path(
    post, path = "/api/promotion-link-tenants", tag = "Introducers",
    summary = "Issue a promotion-link tenant",
    request_body = TenantRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The tenant and its token", body = TenantDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "A bad name", body = ErrorBody)
    )
)]
pub async fn issue_tenant(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<TenantRequest>,
) -> ApiResult<axum::Json<TenantDto>> {
    let t = tenants::issue(&app, &p, &b.name).await?;
    Ok(axum::Json(TenantDto { tenant_id: t.tenant_id, name: t.name, token: t.token }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(put_introducer))
        .routes(routes!(assign_introducer))
        .routes(routes!(issue_tenant))
}
