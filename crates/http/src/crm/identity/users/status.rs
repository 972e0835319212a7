//! "Set a user's status" (our own tag "Users - Admin APIs": the seed's Users tag lists no
//! such operation): an admin disables or enables a user; disabling ends the user's sessions
//! at once and stops the API keys the user owns.

use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::identity::users::status;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

#[derive(Debug, Deserialize, ToSchema)]
pub struct UserStatusRequest {
    /// `ACTIVE` or `DISABLED`.
    #[schema(example = "DISABLED")]
    pub status: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct UserStatusResponse {
    /// Public id (UUID) of the user.
    pub id: String,
    /// `ACTIVE` or `DISABLED`.
    #[schema(example = "DISABLED")]
    pub status: String,
}

/// Disables or enables a user of any role (`manage_users`); audited. Disabling revokes every
/// refresh token, refuses every access token and every API key of the user at once.
#[utoipa::path(
    put, path = "/api/users/{id}/status", tag = "Users - Admin APIs",
    summary = "Set a user's status",
    params(("id" = String, Path, description = "Public id (UUID) of the user")),
    request_body = UserStatusRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The user's new status", body = UserStatusResponse),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 403, description = "Missing manage_users", body = ErrorBody),
        (status = 404, description = "No such user", body = ErrorBody),
        (status = 422, description = "A bad status, or the caller's own account", body = ErrorBody)
    )
)]
pub async fn set_user_status(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<UserStatusRequest>,
) -> ApiResult<axum::Json<UserStatusResponse>> {
    let user = status::set_status(&app, &p, &id, &b.status).await?;
    Ok(axum::Json(UserStatusResponse { id: user.uuid, status: user.status.to_ascii_uppercase() }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(set_user_status))
}
