//! Seed 002 tag Emails (7 operations): e-mail templates and their triggers.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::messaging::templates::{self, TemplateInput, TemplateView, TriggerView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};

/// A template's fields (all optional on update; `trigger` and `title` required on create).
#[derive(Deserialize, ToSchema)]
pub struct EmailTemplateRequest {
    pub enabled: Option<bool>,
    pub title: Option<String>,
    #[schema(example = "Welcome, {{ firstname }}")]
    pub subject: Option<String>,
    /// MJML; variables as `{{ name }}` (HTML-escaped).
    pub mjml: Option<String>,
    /// The plain-text part; variables as `{{ name }}`.
    pub txt: Option<String>,
    #[schema(example = "user.signed_up")]
    pub trigger: Option<String>,
    /// `{"countries": ["DE"], "languages": ["de"], "accountType": "real", "groups": [3]}`.
    #[schema(value_type = Object)]
    pub conditions: Option<serde_json::Value>,
}

impl From<EmailTemplateRequest> for TemplateInput {
    fn from(b: EmailTemplateRequest) -> Self {
        Self {
            enabled: b.enabled,
            title: b.title,
            subject: b.subject,
            mjml: b.mjml,
            txt: b.txt,
            trigger: b.trigger,
            conditions: b.conditions,
        }
    }
}

/// `{"emails": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct EmailsResponse {
    pub emails: Vec<TemplateView>,
}

/// `{"success": true, "email": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct EmailCreatedResponse {
    pub success: bool,
    pub email: TemplateView,
}

/// `{"email": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct EmailResponse {
    pub email: TemplateView,
}

/// `{"updatedTemplate": {...}}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct EmailUpdatedResponse {
    pub updated_template: TemplateView,
}

/// `{"triggers": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct EmailTriggersResponse {
    pub triggers: Vec<TriggerView>,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
pub struct EmailDeletedResponse {
    pub success: bool,
}

/// `{"success": "Test e-mail queued to admin@example.com"}`.
#[derive(Serialize, ToSchema)]
pub struct TestEmailResponse {
    pub success: String,
}

/// Every template (ManageEmailTemplates).
#[utoipa::path(
    get, path = "/api/emails", tag = "Emails", summary = "Get emails",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Templates", body = EmailsResponse),
        (status = 403, description = "Missing ManageEmailTemplates", body = ErrorBody)
    )
)]
pub async fn list_emails(State(app): State<App>, Auth(p): Auth) -> ApiResult<Json<EmailsResponse>> {
    Ok(Json(EmailsResponse { emails: templates::list(&app, &p).await? }))
}

/// Creates a template after checking it compiles and renders (audited).
#[utoipa::path(
    post, path = "/api/emails", tag = "Emails", summary = "Create email template",
    request_body = EmailTemplateRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Created", body = EmailCreatedResponse),
        (status = 403, description = "Missing ManageEmailTemplates", body = ErrorBody),
        (status = 422, description = "A bad field, named; a template that does not compile names its line and reason", body = ErrorBody)
    )
)]
pub async fn create_email(
    State(app): State<App>,
    Auth(p): Auth,
    JsonBody(b): JsonBody<EmailTemplateRequest>,
) -> ApiResult<(StatusCode, Json<EmailCreatedResponse>)> {
    let email = templates::create(&app, &p, b.into()).await?;
    Ok((StatusCode::CREATED, Json(EmailCreatedResponse { success: true, email })))
}

/// The triggers and the variables each offers.
#[utoipa::path(
    get, path = "/api/emails/triggers", tag = "Emails", summary = "Get email triggers",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Triggers", body = EmailTriggersResponse),
        (status = 403, description = "Missing ManageEmailTemplates", body = ErrorBody)
    )
)]
pub async fn list_email_triggers(Auth(p): Auth) -> ApiResult<Json<EmailTriggersResponse>> {
    p.require(brokercrm_core::Permission::ManageEmailTemplates)?;
    Ok(Json(EmailTriggersResponse { triggers: templates::triggers() }))
}

/// One template.
#[utoipa::path(
    get, path = "/api/emails/{id}", tag = "Emails", summary = "Get email template by ID",
    params(("id" = String, Path, description = "Template id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The template", body = EmailResponse),
        (status = 403, description = "Missing ManageEmailTemplates", body = ErrorBody),
        (status = 404, description = "No such template", body = ErrorBody)
    )
)]
pub async fn get_email(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<EmailResponse>> {
    Ok(Json(EmailResponse { email: templates::get(&app, &p, &id).await? }))
}

/// Changes the fields sent (checked like a new template; audited).
#[utoipa::path(
    put, path = "/api/emails/{id}", tag = "Emails", summary = "Update email template by ID",
    params(("id" = String, Path, description = "Template id")),
    request_body = EmailTemplateRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Updated", body = EmailUpdatedResponse),
        (status = 403, description = "Missing ManageEmailTemplates", body = ErrorBody),
        (status = 404, description = "No such template", body = ErrorBody),
        (status = 422, description = "A bad field, named", body = ErrorBody)
    )
)]
pub async fn update_email(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    JsonBody(b): JsonBody<EmailTemplateRequest>,
) -> ApiResult<Json<EmailUpdatedResponse>> {
    Ok(Json(EmailUpdatedResponse {
        updated_template: templates::update(&app, &p, &id, b.into()).await?,
    }))
}

/// Deletes a template (audited).
#[utoipa::path(
    delete, path = "/api/emails/{id}", tag = "Emails", summary = "Delete email template by ID",
    params(("id" = String, Path, description = "Template id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Deleted", body = EmailDeletedResponse),
        (status = 403, description = "Missing ManageEmailTemplates", body = ErrorBody),
        (status = 404, description = "No such template", body = ErrorBody)
    )
)]
pub async fn delete_email(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<EmailDeletedResponse>> {
    templates::delete(&app, &p, &id).await?;
    Ok(Json(EmailDeletedResponse { success: true }))
}

/// Sends the template with sample values to the caller's own address (a job).
#[utoipa::path(
    post, path = "/api/emails/{id}/test", tag = "Emails", summary = "Send test email",
    params(("id" = String, Path, description = "Template id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Queued", body = TestEmailResponse),
        (status = 403, description = "Missing ManageEmailTemplates", body = ErrorBody),
        (status = 404, description = "No such template", body = ErrorBody)
    )
)]
pub async fn send_test_email(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<TestEmailResponse>> {
    let to = templates::send_test(&app, &p, &id).await?;
    Ok(Json(TestEmailResponse { success: format!("Test e-mail queued to {to}") }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(list_emails, create_email))
        .routes(routes!(list_email_triggers))
        .routes(routes!(get_email, update_email, delete_email))
        .routes(routes!(send_test_email))
}
