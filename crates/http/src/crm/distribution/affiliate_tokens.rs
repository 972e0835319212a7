//! Affiliate API v2 tokens (seed 001): created for an active affiliate and shown once,
//! listed by prefix only, bound to an optional IP allow-list and default offer, revocable.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::distribution::affiliate_tokens::{
    self, AffiliateTokenInput, AffiliateTokenPatch, AffiliateTokenView,
};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::{PageQuery, nullable};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, StrictQuery};

/// A created token with the token itself, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedAffiliateTokenDto {
    #[serde(flatten)]
    pub token_info: AffiliateTokenView,
    /// The whole token for `Authorization: <token>`. Stored hashed; cannot be shown again.
    pub token: String,
}

/// Query of "List affiliate tokens".
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct AffiliateTokenQuery {
    /// Only this affiliate's tokens.
    pub affiliate_uuid: Option<String>,
    /// Rows to return, 1 to 500 (default 50).
    pub limit: Option<u64>,
    /// Rows to skip (default 0).
    pub offset: Option<u64>,
}

/// Body of "Create affiliate token".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateAffiliateToken {
    /// Public id of an active affiliate-role user.
    pub affiliate_uuid: String,
    /// 1-100 characters.
    #[schema(example = "Main feed")]
    pub name: String,
    /// IPs or CIDRs (at most 100); empty: any IP.
    #[serde(default)]
    #[schema(example = json!(["203.0.113.0/24"]))]
    pub ip_allowlist: Vec<String>,
    /// Offer for leads sent without `offer_id`.
    pub default_offer_uuid: Option<String>,
}

/// Body of "Update affiliate token": omitted fields stay unchanged.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAffiliateToken {
    pub name: Option<String>,
    pub ip_allowlist: Option<Vec<String>>,
    /// `null` removes the default offer.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<String>)]
    pub default_offer_uuid: Option<Option<String>>,
    /// A revoked token cannot be activated again.
    pub active: Option<bool>,
}

/// Lists affiliate tokens by id, without the tokens (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/affiliate-tokens", tag = "Lead Distribution",
    summary = "List affiliate tokens",
    params(AffiliateTokenQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Tokens", body = [AffiliateTokenView]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad `affiliateUuid`, `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_affiliate_tokens(
    State(app): State<App>,
    Auth(p): Auth,
    StrictQuery(q): StrictQuery<AffiliateTokenQuery>,
) -> ApiResult<axum::Json<Vec<AffiliateTokenView>>> {
    let page = PageQuery { limit: q.limit, offset: q.offset }.page()?;
    let rows = affiliate_tokens::list(&app, &p, q.affiliate_uuid.as_deref(), page).await?;
    Ok(axum::Json(rows))
}

/// Creates a token for an affiliate; the token is shown this once (ManageLeadDistribution).
/// Audited without the token.
#[utoipa::path(
    post, path = "/api/lead-distribution/affiliate-tokens", tag = "Lead Distribution",
    summary = "Create affiliate token",
    request_body = CreateAffiliateToken,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created; the token is shown once", body = CreatedAffiliateTokenDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Invalid field (`affiliateUuid`, `ipAllowlist[i]`...)", body = ErrorBody)
    )
)]
pub async fn create_affiliate_token(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreateAffiliateToken>,
) -> ApiResult<(StatusCode, axum::Json<CreatedAffiliateTokenDto>)> {
    let input = AffiliateTokenInput {
        affiliate_uuid: b.affiliate_uuid,
        name: b.name,
        ip_allowlist: b.ip_allowlist,
        default_offer_uuid: b.default_offer_uuid,
    };
    let t = affiliate_tokens::create(&app, &p, input).await?;
    let body = CreatedAffiliateTokenDto { token_info: t.view, token: t.token };
    Ok((StatusCode::CREATED, axum::Json(body)))
}

/// Changes the fields sent (ManageLeadDistribution). Audited.
#[utoipa::path(
    patch, path = "/api/lead-distribution/affiliate-tokens/{uuid}", tag = "Lead Distribution",
    summary = "Update affiliate token",
    params(("uuid" = String, Path, description = "Public id of the token")),
    request_body = UpdateAffiliateToken,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = AffiliateTokenView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown token", body = ErrorBody),
        (status = 409, description = "Activating a revoked token", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody)
    )
)]
pub async fn update_affiliate_token(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    Json(b): Json<UpdateAffiliateToken>,
) -> ApiResult<axum::Json<AffiliateTokenView>> {
    let patch = AffiliateTokenPatch {
        name: b.name,
        ip_allowlist: b.ip_allowlist,
        default_offer_uuid: b.default_offer_uuid,
        active: b.active,
    };
    Ok(axum::Json(affiliate_tokens::update(&app, &p, &uuid, patch).await?))
}

/// Revokes a token for good (ManageLeadDistribution). Audited.
#[utoipa::path(
    post, path = "/api/lead-distribution/affiliate-tokens/{uuid}/revoke",
    tag = "Lead Distribution", summary = "Revoke affiliate token",
    params(("uuid" = String, Path, description = "Public id of the token")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Revoked", body = AffiliateTokenView),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown token", body = ErrorBody),
        (status = 409, description = "Already revoked", body = ErrorBody)
    )
)]
pub async fn revoke_affiliate_token(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> ApiResult<axum::Json<AffiliateTokenView>> {
    Ok(axum::Json(affiliate_tokens::revoke(&app, &p, &uuid).await?))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_affiliate_tokens, create_affiliate_token))
        .routes(routes!(update_affiliate_token))
        .routes(routes!(revoke_affiliate_token))
}
