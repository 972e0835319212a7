//! Seed 002 tag Settings: the e-mail provider (SendGrid, Mailgun, SMTP, Brevo), stored as the
//! one active provider; plus our own "send a test e-mail" under tag Email.
//!
//! Besides the seed's fields, the three HTTP providers accept an optional `apiBase` (e.g.
//! `https://api.eu.mailgun.net` for Mailgun's EU region), SSRF-guarded like adapter URLs.

use axum::Json;
use axum::extract::State;
use brokercrm_app::App;
use brokercrm_app::platform::settings::email::{
    self as email_settings, EmailProviderConfig, SmtpInput,
};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};

/// Body of "Set Sendgrid as email provider".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendgridRequest {
    /// `From` address: `noreply@example.com` or `Broker <noreply@example.com>`.
    pub sender: String,
    pub api_key: String,
    /// Where staff notifications go.
    pub staff_email: String,
    /// Optional API origin override.
    #[serde(default)]
    pub api_base: Option<String>,
}

/// Body of "Set Mailgun as email provider".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MailgunRequest {
    pub sender: String,
    pub api_key: String,
    /// Sending domain, e.g. `mg.example.com`.
    pub domain: String,
    /// Basic-auth user; empty means `api`.
    pub username: String,
    pub staff_email: String,
    /// Optional API origin override, e.g. `https://api.eu.mailgun.net`.
    #[serde(default)]
    pub api_base: Option<String>,
}

/// Body of "Set SMTP provider for email".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SmtpRequest {
    pub host: String,
    pub sender: String,
    /// 1 to 65535.
    #[schema(example = 587)]
    pub port: i64,
    pub username: String,
    pub password: String,
    /// `true`: TLS from the first byte (port 465); `false`: STARTTLS when offered.
    pub secure: bool,
    pub staff_email: String,
}

/// Body of "Set Brevo as email provider".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct BrevoRequest {
    pub api_key: String,
    pub sender: String,
    pub staff_email: String,
    /// Optional API origin override.
    #[serde(default)]
    pub api_base: Option<String>,
}

/// The active provider as stored, secrets (`apiKey`, `password`) masked. Fields beyond
/// `provider`, `sender` and `staffEmail` depend on the provider.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailProviderResponse {
    /// `sendgrid`, `mailgun`, `smtp` or `brevo`.
    pub provider: String,
    pub sender: String,
    pub staff_email: String,
    pub api_key: Option<String>,
    pub domain: Option<String>,
    pub username: Option<String>,
    pub host: Option<String>,
    pub port: Option<u16>,
    pub password: Option<String>,
    pub secure: Option<bool>,
    pub api_base: Option<String>,
}

/// Body of the test e-mail request.
#[derive(Deserialize, ToSchema)]
pub struct TestEmailRequest {
    /// Recipient of the test e-mail.
    pub to: String,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
#[schema(as = EmailSuccessResponse)]
pub struct SuccessResponse {
    pub success: bool,
}

type Stored = ApiResult<Json<serde_json::Value>>;

/// Makes SendGrid the e-mail provider (ManageSettings; audited).
#[utoipa::path(
    put, path = "/api/settings/email/sendgrid", tag = "Settings", summary = "Set Sendgrid as email provider",
    request_body = SendgridRequest, security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored; apiKey masked", body = EmailProviderResponse),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn set_sendgrid(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<SendgridRequest>,
) -> Stored {
    let cfg = EmailProviderConfig::Sendgrid {
        sender: b.sender,
        api_key: b.api_key,
        staff_email: b.staff_email,
        api_base: b.api_base.filter(|s| !s.trim().is_empty()),
    };
    Ok(Json(email_settings::set_provider(&app, &actor, cfg).await?))
}

/// Makes Mailgun the e-mail provider (ManageSettings; audited).
#[utoipa::path(
    put, path = "/api/settings/email/mailgun", tag = "Settings", summary = "Set Mailgun as email provider",
    request_body = MailgunRequest, security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored; apiKey masked", body = EmailProviderResponse),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn set_mailgun(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<MailgunRequest>,
) -> Stored {
    let cfg = EmailProviderConfig::Mailgun {
        sender: b.sender,
        api_key: b.api_key,
        domain: b.domain.trim().to_owned(),
        username: b.username,
        staff_email: b.staff_email,
        api_base: b.api_base.filter(|s| !s.trim().is_empty()),
    };
    Ok(Json(email_settings::set_provider(&app, &actor, cfg).await?))
}

/// Makes an SMTP server the e-mail provider (ManageSettings; audited).
#[utoipa::path(
    put, path = "/api/settings/email/smtp", tag = "Settings", summary = "Set SMTP provider for email",
    request_body = SmtpRequest, security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored; password masked", body = EmailProviderResponse),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn set_smtp(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<SmtpRequest>,
) -> Stored {
    let input = SmtpInput {
        host: b.host,
        sender: b.sender,
        port: b.port,
        username: b.username,
        password: b.password,
        secure: b.secure,
        staff_email: b.staff_email,
    };
    Ok(Json(email_settings::set_smtp(&app, &actor, input).await?))
}

/// Makes Brevo the e-mail provider (ManageSettings; audited).
#[utoipa::path(
    put, path = "/api/settings/email/brevo", tag = "Settings", summary = "Set Brevo as email provider",
    request_body = BrevoRequest, security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Stored; apiKey masked", body = EmailProviderResponse),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 422, description = "Invalid field, named in details", body = ErrorBody)
    )
)]
pub async fn set_brevo(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<BrevoRequest>,
) -> Stored {
    let cfg = EmailProviderConfig::Brevo {
        api_key: b.api_key,
        sender: b.sender,
        staff_email: b.staff_email,
        api_base: b.api_base.filter(|s| !s.trim().is_empty()),
    };
    Ok(Json(email_settings::set_provider(&app, &actor, cfg).await?))
}

/// Queues a test e-mail through the configured provider (ManageSettings; audited); the
/// outcome shows in the job's status. 409 when no provider is configured.
#[utoipa::path(
    post, path = "/api/settings/email/test", tag = "Email", summary = "Send a test e-mail",
    request_body = TestEmailRequest, security(("BearerAuth" = [])),
    responses(
        (status = 202, description = "Queued", body = SuccessResponse),
        (status = 403, description = "Missing ManageSettings permission", body = ErrorBody),
        (status = 409, description = "No e-mail provider configured", body = ErrorBody),
        (status = 422, description = "Invalid recipient (field `to`)", body = ErrorBody)
    )
)]
pub async fn send_test_email(
    State(app): State<App>,
    Auth(actor): Auth,
    JsonBody(b): JsonBody<TestEmailRequest>,
) -> ApiResult<(axum::http::StatusCode, Json<SuccessResponse>)> {
    email_settings::send_test(&app, &actor, &b.to).await?;
    Ok((axum::http::StatusCode::ACCEPTED, Json(SuccessResponse { success: true })))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(set_sendgrid))
        .routes(routes!(set_mailgun))
        .routes(routes!(set_smtp))
        .routes(routes!(set_brevo))
        .routes(routes!(send_test_email))
}
