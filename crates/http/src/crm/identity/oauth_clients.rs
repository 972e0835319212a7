//! Admin management of OAuth clients (our tag "OAuth Clients"; not in the seed): register a
//! client (its secret is shown once), list clients, revoke one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::identity::oauth::{self, ClientView};
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
pub struct CreateOAuthClient {
    /// Display name, 1-100 characters.
    #[schema(example = "Cashier")]
    pub name: String,
    /// 1-20 absolute `https` URLs (or `http` on localhost / 127.0.0.1), no fragment.
    #[schema(example = json!(["https://cashier.example.com/callback"]))]
    pub redirect_uris: Vec<String>,
}

/// A registered client with its secret, shown this once.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreatedOAuthClient {
    pub client_id: String,
    /// The client secret. It is stored hashed and cannot be shown again.
    pub client_secret: String,
    pub name: String,
    pub redirect_uris: Vec<String>,
    pub created_at: DateTime<Utc>,
}

/// Registers an OAuth client. Admin only (ManageOAuthClients); audited.
#[utoipa::path(
    post, path = "/api/oauth-clients", tag = "OAuth Clients", summary = "Create OAuth client",
    request_body = CreateOAuthClient,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Client registered; the secret is shown once", body = CreatedOAuthClient),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Invalid name or redirect URIs", body = ErrorBody)
    )
)]
pub async fn create_oauth_client(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<CreateOAuthClient>,
) -> ApiResult<(StatusCode, axum::Json<CreatedOAuthClient>)> {
    let created = oauth::create_client(&app, &p, &b.name, &b.redirect_uris).await?;
    let c = created.client;
    Ok((
        StatusCode::CREATED,
        axum::Json(CreatedOAuthClient {
            client_id: c.client_id,
            client_secret: created.secret,
            name: c.name,
            redirect_uris: c.redirect_uris,
            created_at: c.created_at,
        }),
    ))
}

/// Lists OAuth clients, newest first, without secrets. Admin only.
#[utoipa::path(
    get, path = "/api/oauth-clients", tag = "OAuth Clients", summary = "List OAuth clients",
    params(PageQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Clients", body = [ClientView]),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 422, description = "Bad `offset` or `limit`, named in details", body = ErrorBody)
    )
)]
pub async fn list_oauth_clients(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<PageQuery>,
) -> ApiResult<axum::Json<Vec<ClientView>>> {
    let rows = oauth::list_clients(&app, &p, q.get().0, q.get().1).await?;
    Ok(axum::Json(rows))
}

/// Revokes an OAuth client and every refresh token issued to it. Admin only; audited.
#[utoipa::path(
    delete, path = "/api/oauth-clients/{clientId}", tag = "OAuth Clients", summary = "Revoke OAuth client",
    params(("clientId" = String, Path, description = "The client id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 204, description = "Revoked"),
        (status = 403, description = "Not allowed", body = ErrorBody),
        (status = 404, description = "Unknown or already revoked", body = ErrorBody)
    )
)]
pub async fn revoke_oauth_client(
    State(app): State<App>,
    Auth(p): Auth,
    Path(client_id): Path<String>,
) -> ApiResult<StatusCode> {
    oauth::revoke_client(&app, &p, &client_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create_oauth_client, list_oauth_clients))
        .routes(routes!(revoke_oauth_client))
}
