//! Admin management of integration API keys (our tag "API Keys"; not in the seed): create a
//! key (shown once), list keys (prefix only), revoke one. A key authenticates as
//! `Authorization: Bearer <key>` with the key's role, acting for its owner.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::identity::api_keys::{self, KeyView};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};
use crate::paging::PageQuery;

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateApiKey {
    /// Display name, 1-100 characters.
    #[schema(example = "Affiliate integration")]
    pub name: String,
    /// Role the key acts with (any but `admin`); must match the owner's role.
    #[schema(example = "affiliate")]
    pub role: String,
    /// Public id (UUID) of the user the key acts for; required for affiliate and customer
    /// keys, optional for staff roles.
    pub owner_id: Option<String>,
}

/// A key as listed: never the secret, only its public prefix.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ApiKeyDto {
    /// Public id (UUID) of the key.
    pub id: String,
    pub name: String,
    pub role: String,
    pub owner_id: Option<String>,
    /// The start of the key (`bck_<prefix>_`), to recognise it.
    #[schema(example = "bck_a1b2c3d4_")]
    pub prefix: String,
    pub created_at: DateTime<Utc>,
    pub last_used_at: Option<DateTime<Utc>>,
    pub revoked_at: Option<DateTime<Utc>>,
}

/// A created key with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedApiKey {
    pub id: String,
    pub name: String,
    pub role: String,
    pub owner_id: Option<String>,
    /// The whole key, for `Authorization: Bearer`. Stored hashed; cannot be shown again.
    pub key: String,
    pub created_at: DateTime<Utc>,
}

/// Creates an API key. Admin only (ManageApiKeys); audited.
#[utoipa::path(
    post, path = "/api/api-keys", tag = "API Keys", summary = "Create API key",
    request_body = CreateApiKey,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Key created; the secret is shown once", body = CreatedApiKey),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Invalid name, role or owner", body = ErrorBody)
    )
)]
pub async fn create_api_key(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreateApiKey>,
) -> ApiResult<(StatusCode, axum::Json<CreatedApiKey>)> {
    let k = api_keys::create(&app, &p, &b.name, &b.role, b.owner_id.as_deref()).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedApiKey {
            id: k.row.uuid,
            name: k.row.name,
            role: k.row.role,
            owner_id: k.owner_uuid,
            key: k.secret,
            created_at: k.row.created_at,
        }),
    ))
}

/// Lists API keys, newest first, without their secrets. Admin only.
#[utoipa::path(
    get, path = "/api/api-keys", tag = "API Keys", summary = "List API keys",
    security(("BearerAuth" = [])),
    params(PageQuery),
    responses(
        (status = 200, description = "Keys", body = [ApiKeyDto]),
        (status = 422, description = "Bad `offset` or `limit`, named in details", body = ErrorBody),
        (status = 403, description = "Not allowed", body = ErrorBody)
    )
)]
pub async fn list_api_keys(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<axum::Json<Vec<ApiKeyDto>>> {
    let (offset, limit) = q.get();
    let keys = api_keys::list(&app, &p, offset, limit).await?;
    Ok(axum::Json(keys.into_iter().map(dto).collect()))
}

/// Revokes an API key; it stops authenticating at once. Admin only; audited.
#[utoipa::path(
    delete, path = "/api/api-keys/{id}", tag = "API Keys", summary = "Revoke API key",
    params(("id" = String, Path, description = "Public id (UUID) of the key")),
    security(("BearerAuth" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown or already revoked", body = ErrorBody)
    )
)]
pub async fn revoke_api_key(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    api_keys::revoke(&app, &p, &id).await?;
    Ok(StatusCode::NO_CONTENT)
}

fn dto(k: KeyView) -> ApiKeyDto {
    let prefix = k.display_prefix();
    ApiKeyDto {
        id: k.row.uuid,
        name: k.row.name,
        role: k.row.role,
        owner_id: k.owner_uuid,
        prefix,
        created_at: k.row.created_at,
        last_used_at: k.row.last_used_at,
        revoked_at: k.row.revoked_at,
    }
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create_api_key, list_api_keys))
        .routes(routes!(revoke_api_key))
}
