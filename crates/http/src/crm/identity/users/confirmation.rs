//! E-mail and mobile confirmation: "Verify user", "Resend confirmation email", "Check if
//! user's email is confirmed", "Send mobile confirmation code", "Verify mobile confirmation
//! code".

use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::identity::users::{confirmation, mobile};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::dto::Success;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerifyUserRequest {
    /// The token of the e-mail verification link.
    pub verify_token: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ResendConfirmationResponse {
    pub success: bool,
    /// The address the link was sent to.
    #[schema(format = "email")]
    pub email: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct EmailConfirmedResponse {
    pub confirmed: bool,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VerifyMobileRequest {
    /// The 6-digit code received by SMS.
    #[schema(example = "123456")]
    pub confirmation_token: String,
}

/// Confirms the e-mail address with the token of the verification link (single use, 72 h).
#[utoipa::path(
    post, path = "/api/users/verify", tag = "Users", summary = "Verify user",
    request_body = VerifyUserRequest,
    responses(
        (status = 200, description = "E-mail confirmed", body = Success),
        (status = 422, description = "Token invalid, used or expired", body = ErrorBody)
    )
)]
pub async fn verify_user(
    State(app): State<App>,
    Json(b): Json<VerifyUserRequest>,
) -> ApiResult<axum::Json<Success>> {
    confirmation::verify(&app, &b.verify_token).await?;
    Ok(Success::ok())
}

/// Sends a new verification link (the previous one stops working); 3 per hour.
#[utoipa::path(
    post, path = "/api/me/confirmation-email", tag = "Users", summary = "Resend confirmation email",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "E-mail queued", body = ResendConfirmationResponse),
        (status = 409, description = "Already confirmed", body = ErrorBody),
        (status = 429, description = "Too many requests (Retry-After)", body = ErrorBody)
    )
)]
pub async fn resend_confirmation_email(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<ResendConfirmationResponse>> {
    let email = confirmation::resend(&app, &p).await?;
    Ok(axum::Json(ResendConfirmationResponse { success: true, email }))
}

/// Tells whether the authenticated user's e-mail address is confirmed.
#[utoipa::path(
    get, path = "/api/me/email-confirmed", tag = "Users", summary = "Check if user's email is confirmed",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Confirmation state", body = EmailConfirmedResponse)
    )
)]
pub async fn check_email_confirmed(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<EmailConfirmedResponse>> {
    let confirmed = confirmation::is_confirmed(&app, &p).await?;
    Ok(axum::Json(EmailConfirmedResponse { confirmed }))
}

/// Sends a 6-digit code (valid 10 minutes) by SMS to the user's mobile number; 3 per 10 min.
#[utoipa::path(
    post, path = "/api/me/mobile-confirmation", tag = "Users", summary = "Send mobile confirmation code",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Code sent", body = Success),
        (status = 409, description = "Number already confirmed", body = ErrorBody),
        (status = 422, description = "No mobile number on the account", body = ErrorBody),
        (status = 429, description = "Too many codes requested (Retry-After)", body = ErrorBody),
        (status = 502, description = "The SMS provider failed", body = ErrorBody)
    )
)]
pub async fn send_mobile_confirmation_code(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<axum::Json<Success>> {
    mobile::send_code(&app, &p).await?;
    Ok(Success::ok())
}

/// Checks the SMS code and confirms the mobile number; 5 attempts per code.
#[utoipa::path(
    post, path = "/api/me/mobile-confirmation/verify", tag = "Users", summary = "Verify mobile confirmation code",
    request_body = VerifyMobileRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Mobile number confirmed", body = Success),
        (status = 422, description = "Wrong, expired or exhausted code", body = ErrorBody)
    )
)]
pub async fn verify_mobile_confirmation_code(
    State(app): State<App>,
    Auth(p): Auth,
    Json(b): Json<VerifyMobileRequest>,
) -> ApiResult<axum::Json<Success>> {
    mobile::verify_code(&app, &p, &b.confirmation_token).await?;
    Ok(Success::ok())
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(verify_user))
        .routes(routes!(resend_confirmation_email))
        .routes(routes!(check_email_confirmed))
        .routes(routes!(send_mobile_confirmation_code))
        .routes(routes!(verify_mobile_confirmation_code))
}
