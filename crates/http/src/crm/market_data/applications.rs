//! Market-data applications: create (the API key is in the answer, once), list, change the
//! rules, revoke the key.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::market_data::applications::{self, AppInput, ApplicationView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::tag::TAG;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};
use crate::paging::PageQuery;

/// An application's rules as sent.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MarketDataApplicationRequest {
    /// 1-100 characters.
    #[schema(example = "Trading app")]
    pub name: Option<String>,
    /// Generate a market-data login and password on the first completed activation (default
    /// true).
    pub credentials_enabled: Option<bool>,
    /// Orders with a feed that needs confirmation wait for "Confirm subscription" (default
    /// false).
    pub confirmation_required: Option<bool>,
    /// `IMMEDIATE` (default) or `END_OF_MONTH`.
    #[schema(example = "IMMEDIATE")]
    pub cancel_mode: Option<String>,
    /// `ALL` (default), `PROFESSIONAL` or `NON_PROFESSIONAL`.
    #[schema(example = "ALL")]
    pub allowed_statuses: Option<String>,
    /// Where the wizard sends users after submitting, unless the activation names another.
    #[schema(example = "https://example.com/done")]
    pub success_redirect_url: Option<String>,
}

impl From<MarketDataApplicationRequest> for AppInput {
    fn from(b: MarketDataApplicationRequest) -> Self {
        Self {
            name: b.name,
            credentials_enabled: b.credentials_enabled,
            confirmation_required: b.confirmation_required,
            cancel_mode: b.cancel_mode,
            allowed_statuses: b.allowed_statuses,
            success_redirect_url: b.success_redirect_url,
        }
    }
}

/// An application (never its key).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MarketDataApplicationDto {
    pub id: String,
    pub name: String,
    /// Identifies the key without revealing it.
    #[schema(example = "bmd_a1b2c3d4_")]
    pub key_prefix: String,
    pub credentials_enabled: bool,
    pub confirmation_required: bool,
    pub cancel_mode: String,
    pub allowed_statuses: String,
    pub success_redirect_url: Option<String>,
    pub revoked: bool,
}

impl From<ApplicationView> for MarketDataApplicationDto {
    fn from(v: ApplicationView) -> Self {
        Self {
            id: v.id,
            name: v.name,
            key_prefix: v.key_prefix,
            credentials_enabled: v.credentials_enabled,
            confirmation_required: v.confirmation_required,
            cancel_mode: v.cancel_mode,
            allowed_statuses: v.allowed_statuses,
            success_redirect_url: v.success_redirect_url,
            revoked: v.revoked,
        }
    }
}

/// A created application and its API key (shown this once).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedMarketDataApplication {
    pub application: MarketDataApplicationDto,
    /// `Authorization: Bearer <apiKey>` on the Retail Services API.
    pub api_key: String,
}

/// Creates an application and its API key (ManageMarketData). Audited.
#[utoipa::path(
    post, path = "/api/market-data-entitlements/applications", tag = TAG, summary = "Create a market-data application",
    security(("BearerAuth" = [])),
    request_body = MarketDataApplicationRequest,
    responses(
        (status = 201, description = "Created; the key is shown once", body = CreatedMarketDataApplication),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "An invalid field, named", body = ErrorBody)
    )
)]
pub async fn create_market_data_application(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<MarketDataApplicationRequest>,
) -> ApiResult<(StatusCode, axum::Json<CreatedMarketDataApplication>)> {
    let (view, key) = applications::create(&app, Some(&p), &b.into()).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedMarketDataApplication { application: view.into(), api_key: key }),
    ))
}

/// Lists applications (ReadMarketData).
#[utoipa::path(
    get, path = "/api/market-data-entitlements/applications", tag = TAG, summary = "List market-data applications",
    security(("BearerAuth" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Applications, oldest first", body = [MarketDataApplicationDto]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad `offset` or `limit`", body = ErrorBody)
    )
)]
pub async fn list_market_data_applications(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<axum::Json<Vec<MarketDataApplicationDto>>> {
    let (offset, limit) = q.get();
    let list = applications::list(&app, &p, offset, limit).await?;
    Ok(axum::Json(list.into_iter().map(Into::into).collect()))
}

/// Replaces an application's rules (ManageMarketData). Audited.
#[utoipa::path(
    put, path = "/api/market-data-entitlements/applications/{id}", tag = TAG, summary = "Update a market-data application",
    security(("BearerAuth" = [])),
    params(("id" = String, Path, description = "Application id")),
    request_body = MarketDataApplicationRequest,
    responses(
        (status = 200, description = "Updated", body = MarketDataApplicationDto),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "No such application", body = ErrorBody),
        (status = 422, description = "An invalid field, named", body = ErrorBody)
    )
)]
pub async fn update_market_data_application(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<MarketDataApplicationRequest>,
) -> ApiResult<axum::Json<MarketDataApplicationDto>> {
    Ok(axum::Json(applications::update(&app, &p, &id, &b.into()).await?.into()))
}

/// Revokes an application's key (ManageMarketData). Audited.
#[utoipa::path(
    delete, path = "/api/market-data-entitlements/applications/{id}", tag = TAG, summary = "Revoke a market-data application",
    security(("BearerAuth" = [])),
    params(("id" = String, Path, description = "Application id")),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown or already revoked", body = ErrorBody)
    )
)]
pub async fn revoke_market_data_application(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    applications::revoke(&app, &p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_market_data_applications, create_market_data_application))
        .routes(routes!(update_market_data_application, revoke_market_data_application))
}
