//! Advertisers (brands): how leads reach them — the internal CRM or an external adapter —
//! their time-out, requirements and traffic filter; config secrets masked on every read.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::distribution::advertisers::{
    self, AdvertiserInput, AdvertiserPatch, AdvertiserView,
};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::wire::{PageQuery, TrafficFilterDto, nullable};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, StrictQuery};

/// An advertiser; config secrets masked.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AdvertiserDto {
    pub uuid: String,
    pub name: String,
    /// `internal_crm`, `lead_provider`, `affiliate_v2` or `http_template`.
    #[schema(example = "lead_provider")]
    pub kind: String,
    /// Adapter configuration; secret values masked (`abcd****`).
    #[schema(value_type = Object)]
    pub config: serde_json::Value,
    pub active: bool,
    /// Per-delivery time-out, 1000-85000 ms.
    pub timeout_ms: i32,
    /// Refuse an acceptance without an auto-login URL (`NO_AUTOLOGIN_URL`).
    pub require_auto_login: bool,
    /// Refuse an acceptance without the advertiser's lead id (`NO_BRAND_CRM_ID`).
    pub require_external_id: bool,
    pub traffic_filter: Option<TrafficFilterDto>,
    /// Whether a postback secret was generated.
    pub has_postback_secret: bool,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl From<AdvertiserView> for AdvertiserDto {
    fn from(a: AdvertiserView) -> Self {
        Self {
            uuid: a.uuid,
            name: a.name,
            kind: a.kind,
            config: a.config,
            active: a.active,
            timeout_ms: a.timeout_ms,
            require_auto_login: a.require_auto_login,
            require_external_id: a.require_external_id,
            traffic_filter: a.traffic_filter.map(Into::into),
            has_postback_secret: a.has_postback_secret,
            created_at: a.created_at,
            updated_at: a.updated_at,
        }
    }
}

/// Body of "Create advertiser".
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateAdvertiser {
    /// 1-200 characters.
    #[schema(example = "Acme Broker")]
    pub name: String,
    /// `internal_crm`, `lead_provider`, `affiliate_v2` or `http_template`.
    pub kind: String,
    /// Per kind: `lead_provider` {baseUrl, clientId, clientSecret, username, password, ...};
    /// `affiliate_v2` {baseUrl, token}; `http_template` {url, method, headers, body...};
    /// `internal_crm` `{}` (the default).
    #[schema(value_type = Option<Object>)]
    pub config: Option<serde_json::Value>,
    /// Default true.
    pub active: Option<bool>,
    /// 1000-85000, default 30000.
    pub timeout_ms: Option<i64>,
    pub require_auto_login: Option<bool>,
    pub require_external_id: Option<bool>,
    pub traffic_filter: Option<TrafficFilterDto>,
}

/// Body of "Update advertiser": omitted fields stay unchanged; a secret sent back masked
/// keeps its stored value.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateAdvertiser {
    pub name: Option<String>,
    pub kind: Option<String>,
    #[schema(value_type = Option<Object>)]
    pub config: Option<serde_json::Value>,
    pub active: Option<bool>,
    pub timeout_ms: Option<i64>,
    pub require_auto_login: Option<bool>,
    pub require_external_id: Option<bool>,
    /// `null` removes the filter.
    #[serde(default, deserialize_with = "nullable")]
    #[schema(value_type = Option<TrafficFilterDto>)]
    pub traffic_filter: Option<Option<TrafficFilterDto>>,
}

/// A new postback secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PostbackSecretDto {
    /// Stored hashed; cannot be shown again.
    pub secret: String,
    /// Where the advertiser sends postbacks (conversions).
    #[schema(example = "https://crm.example.com/api/lead-distribution/postbacks/0190...")]
    pub postback_url: String,
}

/// Lists advertisers by id (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/advertisers", tag = "Lead Distribution",
    summary = "List advertisers",
    params(PageQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Advertisers", body = [AdvertiserDto]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_advertisers(
    State(app): State<App>,
    Auth(p): Auth,
    StrictQuery(q): StrictQuery<PageQuery>,
) -> ApiResult<axum::Json<Vec<AdvertiserDto>>> {
    let page = q.page()?;
    let rows = advertisers::list(&app, &p, page).await?;
    Ok(axum::Json(rows.into_iter().map(AdvertiserDto::from).collect()))
}

/// Creates an advertiser (ManageLeadDistribution); the config is validated per kind. Audited.
#[utoipa::path(
    post, path = "/api/lead-distribution/advertisers", tag = "Lead Distribution",
    summary = "Create advertiser",
    request_body = CreateAdvertiser,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = AdvertiserDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Invalid field (`kind`, `config.<key>`, `timeoutMs`, `trafficFilter.<key>`...)", body = ErrorBody)
    )
)]
pub async fn create_advertiser(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreateAdvertiser>,
) -> ApiResult<(StatusCode, axum::Json<AdvertiserDto>)> {
    let input = AdvertiserInput {
        name: b.name,
        kind: b.kind,
        config: b.config,
        active: b.active,
        timeout_ms: b.timeout_ms,
        require_auto_login: b.require_auto_login,
        require_external_id: b.require_external_id,
        traffic_filter: b.traffic_filter.map(Into::into),
    };
    let a = advertisers::create(&app, &p, input).await?;
    Ok((StatusCode::CREATED, axum::Json(a.into())))
}

/// One advertiser (ReadLeadDistribution).
#[utoipa::path(
    get, path = "/api/lead-distribution/advertisers/{uuid}", tag = "Lead Distribution",
    summary = "Get advertiser",
    params(("uuid" = String, Path, description = "Public id of the advertiser")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The advertiser", body = AdvertiserDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown advertiser", body = ErrorBody)
    )
)]
pub async fn get_advertiser(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> ApiResult<axum::Json<AdvertiserDto>> {
    Ok(axum::Json(advertisers::get(&app, &p, &uuid).await?.into()))
}

/// Changes the fields sent (ManageLeadDistribution). Audited.
#[utoipa::path(
    patch, path = "/api/lead-distribution/advertisers/{uuid}", tag = "Lead Distribution",
    summary = "Update advertiser",
    params(("uuid" = String, Path, description = "Public id of the advertiser")),
    request_body = UpdateAdvertiser,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = AdvertiserDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown advertiser", body = ErrorBody),
        (status = 422, description = "Invalid field", body = ErrorBody)
    )
)]
pub async fn update_advertiser(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
    Json(b): Json<UpdateAdvertiser>,
) -> ApiResult<axum::Json<AdvertiserDto>> {
    let patch = AdvertiserPatch {
        name: b.name,
        kind: b.kind,
        config: b.config,
        active: b.active,
        timeout_ms: b.timeout_ms,
        require_auto_login: b.require_auto_login,
        require_external_id: b.require_external_id,
        traffic_filter: b.traffic_filter.map(|f| f.map(Into::into)),
    };
    Ok(axum::Json(advertisers::update(&app, &p, &uuid, patch).await?.into()))
}

/// Deletes an advertiser with its rotation entries and caps; its leads keep their history
/// (ManageLeadDistribution). Audited.
#[utoipa::path(
    delete, path = "/api/lead-distribution/advertisers/{uuid}", tag = "Lead Distribution",
    summary = "Delete advertiser",
    params(("uuid" = String, Path, description = "Public id of the advertiser")),
    security(("BearerAuth" = [])),
    responses(
        (status = 204, description = "Deleted"),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown advertiser", body = ErrorBody)
    )
)]
pub async fn delete_advertiser(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> ApiResult<StatusCode> {
    advertisers::delete(&app, &p, &uuid).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Generates a new postback secret, replacing the old one; shown this once
/// (ManageLeadDistribution). Audited without the secret.
#[utoipa::path(
    post, path = "/api/lead-distribution/advertisers/{uuid}/postback-secret",
    tag = "Lead Distribution", summary = "Rotate advertiser postback secret",
    params(("uuid" = String, Path, description = "Public id of the advertiser")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The new secret and the postback URL", body = PostbackSecretDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown advertiser", body = ErrorBody)
    )
)]
pub async fn rotate_postback_secret(
    State(app): State<App>,
    Auth(p): Auth,
    Path(uuid): Path<String>,
) -> ApiResult<axum::Json<PostbackSecretDto>> {
    let s = advertisers::rotate_postback_secret(&app, &p, &uuid).await?;
    Ok(axum::Json(PostbackSecretDto { secret: s.secret, postback_url: s.postback_url }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_advertisers, create_advertiser))
        .routes(routes!(get_advertiser, update_advertiser, delete_advertiser))
        .routes(routes!(rotate_postback_secret))
}
