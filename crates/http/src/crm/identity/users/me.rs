//! "Get user" and "Update user": the authenticated user's own profile at `/api/me`.

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::identity::users::SUPPORTED_FEATURES;
use brokercrm_app::identity::users::profile::{self, UpdateUser};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::UserDto;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

/// Fields to change; absent or null fields stay unchanged.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UpdateUserRequest {
    pub firstname: Option<String>,
    pub lastname: Option<String>,
    /// A new e-mail clears the confirmation and sends a new verification link; needs
    /// `currentPassword` when a password is set. Not with an impersonation token.
    #[schema(format = "email")]
    pub email: Option<String>,
    pub mobilenumber: Option<String>,
    /// ISO 3166-1 alpha-2.
    pub country: Option<String>,
    /// ISO 639-1.
    pub communication_language: Option<String>,
    /// 8-128 characters with a letter and a digit; ends every session of the user (this
    /// access token included: sign in again). Not with an impersonation token.
    pub new_password: Option<String>,
    /// Required to change the password or the e-mail when a password is set.
    pub current_password: Option<String>,
}

/// Answer of "Get user".
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GetUserResponse {
    pub user: UserDto,
    /// Always null: reading the user issues no token (refresh at `POST /api/sessions/refresh`
    /// with the session's refresh token). Kept for the seed's shape.
    pub refresh_token: Option<String>,
    /// Client-portal features this server supports.
    pub supported_features: Vec<String>,
    /// The customer's main wallet; null until wallets exist.
    #[schema(value_type = Option<Object>)]
    pub wallet: Option<serde_json::Value>,
}

/// Returns the authenticated user; issues no token.
#[utoipa::path(
    get, path = "/api/me", tag = "Users", summary = "Get user",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The user", body = GetUserResponse),
        (status = 404, description = "The credential has no user (owner-less API key)", body = ErrorBody)
    )
)]
pub async fn get_user(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<GetUserResponse>> {
    let user = profile::get(&app, &p).await?;
    Ok(axum::Json(GetUserResponse {
        user: UserDto::from_row(&app, &user),
        refresh_token: None,
        supported_features: SUPPORTED_FEATURES.iter().map(|s| (*s).to_owned()).collect(),
        wallet: None,
    }))
}

/// Updates the authenticated user's profile, e-mail or password.
#[utoipa::path(
    put, path = "/api/me", tag = "Users", summary = "Update user",
    request_body = UpdateUserRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The updated user", body = UserDto),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 403, description = "E-mail or password change with an impersonation token", body = ErrorBody),
        (status = 409, description = "E-mail already registered", body = ErrorBody),
        (status = 422, description = "Invalid field or wrong currentPassword", body = ErrorBody),
        (status = 429, description = "Too many wrong currentPassword values; wait `Retry-After` seconds", body = ErrorBody)
    )
)]
pub async fn update_user(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<UpdateUserRequest>,
) -> ApiResult<axum::Json<UserDto>> {
    let row = profile::update(
        &app,
        &p,
        UpdateUser {
            firstname: b.firstname,
            lastname: b.lastname,
            email: b.email,
            mobilenumber: b.mobilenumber,
            country: b.country,
            communication_language: b.communication_language,
            new_password: b.new_password,
            current_password: b.current_password,
        },
    )
    .await?;
    Ok(axum::Json(UserDto::from_row(&app, &row)))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(get_user, update_user))
}
