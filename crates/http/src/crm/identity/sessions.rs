//! Seed 002 tag Sessions ("Create a new session", "Impersonate a customer") and our tag
//! Tokens (refresh-token rotation and logout, not in the seed).

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::identity::{impersonation, sessions};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::crm::identity::users::{Success, UserDto};
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, ClientIp, Json};

#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateSessionRequest {
    /// The user's e-mail address.
    #[schema(example = "user@example.com")]
    pub username: String,
    pub password: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CreateSessionResponse {
    /// JWT access token for `Authorization: Bearer` (short-lived).
    pub token: String,
    /// Single-use refresh token; exchange it at `POST /api/sessions/refresh`.
    pub refresh_token: String,
    pub user: UserDto,
    /// Onboarding steps the customer still has to complete, in order (empty for staff).
    #[schema(example = json!(["EmailConfirmation", "PhoneConfirmation"]))]
    pub outstanding_onboarding_steps: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ImpersonateRequest {
    /// Public id (UUID) or numeric account id of the customer.
    pub customer_id: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ImpersonateResponse {
    /// Access token acting as the customer, marked with the staff member's id; no refresh.
    pub token: String,
    pub user: UserDto,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshTokenRequest {
    pub refresh_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct RefreshTokenResponse {
    pub token: String,
    /// The next refresh token; the one sent is now spent (reusing it revokes the session).
    pub refresh_token: String,
}

/// Logs in with e-mail and password.
#[utoipa::path(
    post, path = "/api/sessions", tag = "Sessions", summary = "Create a new session",
    request_body = CreateSessionRequest,
    responses(
        (status = 200, description = "Logged in", body = CreateSessionResponse),
        (status = 400, description = "Malformed body", body = ErrorBody),
        (status = 401, description = "Wrong credentials or disabled account", body = ErrorBody),
        (status = 429, description = "Too many failed attempts (Retry-After)", body = ErrorBody)
    )
)]
pub async fn create_session(
    State(app): State<App>,
    ClientIp(ip): ClientIp,
    Json(b): Json<CreateSessionRequest>,
) -> ApiResult<axum::Json<CreateSessionResponse>> {
    let s = sessions::login(&app, &b.username, &b.password, ip).await?;
    Ok(axum::Json(CreateSessionResponse {
        token: s.tokens.access_token,
        refresh_token: s.tokens.refresh_token,
        user: UserDto::from_row(&app, &s.user),
        outstanding_onboarding_steps: s
            .outstanding
            .iter()
            .map(|st| st.as_str().to_owned())
            .collect(),
    }))
}

/// Acts as a customer in the caller's scope (staff with `impersonate_customer`); audited. The
/// token may not change the e-mail or password, withdraw, transfer or create API keys, and
/// every write made with it is audited under the staff member's id.
#[utoipa::path(
    post, path = "/api/sessions/impersonate", tag = "Sessions", summary = "Impersonate a customer",
    request_body = ImpersonateRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Access token acting as the customer", body = ImpersonateResponse),
        (status = 403, description = "Not allowed to impersonate", body = ErrorBody),
        (status = 404, description = "No such customer in the caller's scope", body = ErrorBody),
        (status = 422, description = "The customer's account is disabled", body = ErrorBody)
    )
)]
pub async fn impersonate_customer(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<ImpersonateRequest>,
) -> ApiResult<axum::Json<ImpersonateResponse>> {
    let (user, token) = impersonation::impersonate(&app, &p, &b.customer_id).await?;
    Ok(axum::Json(ImpersonateResponse { token, user: UserDto::from_row(&app, &user) }))
}

/// Exchanges a refresh token for a new access token and refresh token.
#[utoipa::path(
    post, path = "/api/sessions/refresh", tag = "Tokens", summary = "Refresh session",
    request_body = RefreshTokenRequest,
    responses(
        (status = 200, description = "New tokens", body = RefreshTokenResponse),
        (status = 401, description = "Unknown, spent, revoked or expired refresh token", body = ErrorBody)
    )
)]
pub async fn refresh_session(
    State(app): State<App>,
    Json(b): Json<RefreshTokenRequest>,
) -> ApiResult<axum::Json<RefreshTokenResponse>> {
    let t = sessions::refresh(&app, &b.refresh_token).await?;
    Ok(axum::Json(RefreshTokenResponse { token: t.access_token, refresh_token: t.refresh_token }))
}

/// Logs out: revokes the refresh token's session (every token rotated from it). The access
/// token in hand expires by itself (`access_token_ttl`).
#[utoipa::path(
    delete, path = "/api/sessions", tag = "Tokens", summary = "Log out",
    request_body = RefreshTokenRequest,
    responses(
        (status = 200, description = "Logged out (also for unknown tokens)", body = Success),
        (status = 400, description = "Malformed body", body = ErrorBody)
    )
)]
pub async fn delete_session(
    State(app): State<App>,
    Json(b): Json<RefreshTokenRequest>,
) -> ApiResult<axum::Json<Success>> {
    sessions::logout(&app, &b.refresh_token).await?;
    Ok(Success::ok())
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(create_session, delete_session))
        .routes(routes!(impersonate_customer))
        .routes(routes!(refresh_session))
}
