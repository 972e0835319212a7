//! Comments on a lead, its communications, and e-mail to it.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::sales::Page;
use brokercrm_app::sales::leads::notes::{self, LeadCommentView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json, Query};
use brokercrm_app::sales::communications::CommunicationView;

/// `{"comment": ...}`.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadCommentEnvelope {
    pub comment: LeadCommentView,
}

/// Body of "Create comment on lead".
#[derive(Debug, Deserialize, ToSchema)]
pub struct CreateLeadCommentRequest {
    /// Required, 1-5000 characters.
    pub comment: Option<String>,
}

/// Paging (lists are bounded).
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1 to 200 (default 50).
    #[param(value_type = Option<u32>)]
    pub limit: Option<i64>,
    #[param(value_type = Option<u32>)]
    pub offset: Option<i64>,
}

/// Adds a comment to a lead in the caller's scope (also in its communications). Audited.
#[utoipa::path(
    post, path = "/api/leads/{id}/comments", tag = "Leads", summary = "Create comment on lead",
    params(("id" = String, Path, description = "The lead's id")),
    request_body = CreateLeadCommentRequest,
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 201, description = "Created", body = LeadCommentEnvelope),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown lead, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "Invalid `comment`", body = ErrorBody)
    )
)]
pub async fn create_comment(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<CreateLeadCommentRequest>,
) -> ApiResult<(StatusCode, axum::Json<LeadCommentEnvelope>)> {
    let c = notes::create_comment(&app, &p, &id, b.comment.as_deref()).await?;
    Ok((StatusCode::CREATED, axum::Json(LeadCommentEnvelope { comment: c })))
}

/// A lead's comments, newest first.
#[utoipa::path(
    get, path = "/api/leads/{id}/comments", tag = "Leads", summary = "List comments on lead",
    params(("id" = String, Path, description = "The lead's id"), PageQuery),
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Comments", body = Vec<LeadCommentView>),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown lead, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "Bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_comments(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<axum::Json<Vec<LeadCommentView>>> {
    let pg = Page::new(q.limit, q.offset)?;
    let rows = notes::list_comments(&app, &p, &id, pg).await?;
    Ok(axum::Json(rows.into_iter().collect()))
}

/// "List communications related to lead".
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadCommunicationsDto {
    /// Newest first.
    pub communications: Vec<CommunicationView>,
    pub count: u64,
}

/// A lead's calls, e-mails, SMS and comments, newest first.
#[utoipa::path(
    get, path = "/api/leads/{id}/communications", tag = "Leads",
    summary = "List communications related to lead",
    params(("id" = String, Path, description = "The lead's id"), PageQuery),
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Communications", body = LeadCommunicationsDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown lead, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "Bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_communications(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Query(q): Query<PageQuery>,
) -> ApiResult<axum::Json<LeadCommunicationsDto>> {
    let pg = Page::new(q.limit, q.offset)?;
    let (rows, count) = notes::list_communications(&app, &p, &id, pg).await?;
    Ok(axum::Json(LeadCommunicationsDto { communications: rows, count }))
}

/// Body of "Send email to lead".
#[derive(Debug, Deserialize, ToSchema)]
#[schema(as = LeadEmailRequest)]
pub struct SendEmailRequest {
    /// 1-255 characters.
    pub subject: Option<String>,
    /// Plain text, 1-20000 characters.
    pub body: Option<String>,
}

/// "Send email to lead".
#[derive(Debug, Serialize, ToSchema)]
#[schema(as = LeadMessageDto)]
pub struct MessageDto {
    pub message: String,
}

/// Queues an e-mail to the lead through the configured provider and records it as an
/// outbound communication (the lead's `lastContactAt` moves). Audited.
#[utoipa::path(
    post, path = "/api/leads/{id}/email", tag = "Leads", summary = "Send email to lead",
    params(("id" = String, Path, description = "The lead's id")),
    request_body = SendEmailRequest,
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 200, description = "Queued", body = MessageDto),
        (status = 403, description = "Not staff", body = ErrorBody),
        (status = 404, description = "Unknown lead, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "Invalid `subject` or `body`, or the lead has no e-mail (`email`)", body = ErrorBody)
    )
)]
pub async fn send_email(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
    Json(b): Json<SendEmailRequest>,
) -> ApiResult<axum::Json<MessageDto>> {
    notes::send_email(&app, &p, &id, b.subject.as_deref(), b.body.as_deref()).await?;
    Ok(axum::Json(MessageDto { message: "E-mail queued for delivery".into() }))
}
