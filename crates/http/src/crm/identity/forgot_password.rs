//! Seed 002 tag Forgot Password: request a reset link by e-mail, reset with its token.

use axum::extract::State;
use brokercrm_app::{App, identity::password_reset};
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::crm::identity::users::Success;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::{ClientIp, Json};

#[derive(Debug, Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct ForgotPasswordRequest {
    /// The account's e-mail address.
    #[schema(example = "user@example.com")]
    pub contact: String,
    /// reCAPTCHA response token; required when reCAPTCHA is enabled in Settings.
    pub recaptcha_token: Option<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetPasswordRequest {
    /// The token of the reset link (single use, valid 1 hour).
    pub reset_token: String,
    /// 8-128 characters with at least one letter and one digit.
    pub password: String,
    /// Must equal `password`.
    pub password_confirmation: String,
}

/// E-mails a password reset link when the contact belongs to an account. The answer is the
/// same whether it does or not.
#[utoipa::path(
    post, path = "/api/forgot-password", tag = "Forgot Password", summary = "Request password reset",
    request_body = ForgotPasswordRequest,
    responses(
        (status = 200, description = "Accepted (also for unknown contacts)", body = Success),
        (status = 422, description = "`contact` is not an e-mail address, or reCAPTCHA failed", body = ErrorBody),
        (status = 429, description = "Too many requests (Retry-After)", body = ErrorBody)
    )
)]
pub async fn request_password_reset(
    State(app): State<App>,
    ClientIp(ip): ClientIp,
    Json(b): Json<ForgotPasswordRequest>,
) -> ApiResult<axum::Json<Success>> {
    password_reset::request(&app, &b.contact, b.recaptcha_token.as_deref(), ip).await?;
    Ok(Success::ok())
}

/// Sets a new password with the token of a reset link; ends every session of the account.
#[utoipa::path(
    post, path = "/api/forgot-password/reset", tag = "Forgot Password", summary = "Reset customer password",
    request_body = ResetPasswordRequest,
    responses(
        (status = 200, description = "Password changed", body = Success),
        (status = 422, description = "Invalid or expired token, weak password or mismatched confirmation", body = ErrorBody)
    )
)]
pub async fn reset_customer_password(
    State(app): State<App>,
    Json(b): Json<ResetPasswordRequest>,
) -> ApiResult<axum::Json<Success>> {
    password_reset::reset(&app, &b.reset_token, &b.password, &b.password_confirmation).await?;
    Ok(Success::ok())
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(request_password_reset))
        .routes(routes!(reset_customer_password))
}
