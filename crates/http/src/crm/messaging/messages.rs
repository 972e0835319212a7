//! Seed 002 tag Messages (8 operations): the client's inbox and staff sending messages.

use axum::Json;
use axum::extract::{Path, State};
use brokercrm_app::App;
use brokercrm_app::messaging::inbox::{self, MessageView};
use brokercrm_app::messaging::{fanout, send};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};

/// Body of "Send a message to specific customers".
#[derive(Deserialize, ToSchema)]
pub struct MessageToCustomersRequest {
    pub message: String,
    /// Customers' public ids (1 to 1000).
    pub customers: Vec<String>,
    pub subject: String,
}

/// Body of "Send a message to all customers".
#[derive(Deserialize, ToSchema)]
pub struct MessageToAllRequest {
    pub message: Option<String>,
    pub subject: Option<String>,
}

/// `{"messageRecipients": n}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct MessageRecipientsResponse {
    pub message_recipients: u64,
}

/// Body of "Send a message to a specific customer".
#[derive(Deserialize, ToSchema)]
pub struct MessageToCustomerRequest {
    pub text: Option<String>,
    pub subject: Option<String>,
    /// `Message` (the default; `Push` is not available in this build).
    #[serde(rename = "type")]
    pub kind: Option<String>,
}

/// `{"success": true, "message": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct MessageSentResponse {
    pub success: bool,
    pub message: MessageView,
}

/// `{"messages": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct CustomerMessagesResponse {
    pub messages: Vec<MessageView>,
}

/// `{"unreadCount": n}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UnreadCountResponse {
    pub unread_count: u64,
}

/// Paging of "List messages".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MessagesQuery {
    /// Default 20, at most 100.
    pub limit: Option<u64>,
    pub offset: Option<u64>,
}

/// The page asked for and the total.
#[derive(Serialize, ToSchema)]
pub struct MessagesPagination {
    pub limit: u64,
    pub offset: u64,
    pub total: u64,
}

/// `{"messages": [...], "pagination": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct MessagesPageResponse {
    pub messages: Vec<MessageView>,
    pub pagination: MessagesPagination,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
pub struct MessageReadResponse {
    pub success: bool,
}

/// Sends one message to each named customer, in one transaction (SendMessages; audited).
#[utoipa::path(
    post, path = "/api/messages/customers", tag = "Messages",
    summary = "Send a message to specific customers",
    request_body = MessageToCustomersRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Sent", body = MessageRecipientsResponse),
        (status = 403, description = "Missing SendMessages", body = ErrorBody),
        (status = 422, description = "Empty subject or message, no customers, an unknown customer (`customers[i]`)", body = ErrorBody)
    )
)]
pub async fn send_to_customers(
    State(app): State<App>,
    Auth(p): Auth,
    JsonBody(b): JsonBody<MessageToCustomersRequest>,
) -> ApiResult<Json<MessageRecipientsResponse>> {
    let n = send::to_customers(&app, &p, &b.customers, &b.subject, &b.message).await?;
    Ok(Json(MessageRecipientsResponse { message_recipients: n as u64 }))
}

/// Queues one fan-out job writing the message to every customer's inbox in batches
/// (SendMessages; audited); answers with how many customers it goes to.
#[utoipa::path(
    post, path = "/api/messages/all", tag = "Messages", summary = "Send a message to all customers",
    request_body = MessageToAllRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Queued", body = MessageRecipientsResponse),
        (status = 403, description = "Missing SendMessages", body = ErrorBody),
        (status = 422, description = "Empty subject or message", body = ErrorBody)
    )
)]
pub async fn send_to_all(
    State(app): State<App>,
    Auth(p): Auth,
    JsonBody(b): JsonBody<MessageToAllRequest>,
) -> ApiResult<Json<MessageRecipientsResponse>> {
    let n = fanout::to_all(
        &app,
        &p,
        b.subject.as_deref().unwrap_or(""),
        b.message.as_deref().unwrap_or(""),
    )
    .await?;
    Ok(Json(MessageRecipientsResponse { message_recipients: n }))
}

/// One customer's messages, newest first (SendMessages, customer in scope).
#[utoipa::path(
    get, path = "/api/customers/{customerId}/messages", tag = "Messages",
    summary = "Get messages for a specific customer",
    params(("customerId" = String, Path, description = "The ID of the customer")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Messages", body = CustomerMessagesResponse),
        (status = 403, description = "Missing SendMessages", body = ErrorBody),
        (status = 404, description = "Unknown, or not in the caller's scope", body = ErrorBody)
    )
)]
pub async fn customer_messages(
    State(app): State<App>,
    Auth(p): Auth,
    Path(customer_id): Path<String>,
) -> ApiResult<Json<CustomerMessagesResponse>> {
    Ok(Json(CustomerMessagesResponse {
        messages: send::of_customer(&app, &p, &customer_id).await?,
    }))
}

/// Sends one message to one customer (SendMessages, customer in scope; audited).
#[utoipa::path(
    post, path = "/api/customers/{customerId}/messages", tag = "Messages",
    summary = "Send a message to a specific customer",
    params(("customerId" = String, Path, description = "The ID of the customer")),
    request_body = MessageToCustomerRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Sent", body = MessageSentResponse),
        (status = 403, description = "Missing SendMessages", body = ErrorBody),
        (status = 404, description = "Unknown, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "Empty subject or text; a type other than Message", body = ErrorBody)
    )
)]
pub async fn send_to_customer(
    State(app): State<App>,
    Auth(p): Auth,
    Path(customer_id): Path<String>,
    JsonBody(b): JsonBody<MessageToCustomerRequest>,
) -> ApiResult<Json<MessageSentResponse>> {
    let message = send::to_customer(
        &app,
        &p,
        &customer_id,
        b.subject.as_deref().unwrap_or(""),
        b.text.as_deref().unwrap_or(""),
        b.kind.as_deref(),
    )
    .await?;
    Ok(Json(MessageSentResponse { success: true, message }))
}

/// The caller's unread messages.
#[utoipa::path(
    get, path = "/api/me/messages/unread-count", tag = "Messages", summary = "Get unread message count",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The count", body = UnreadCountResponse),
        (status = 401, description = "Not signed in", body = ErrorBody)
    )
)]
pub async fn unread_count(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<Json<UnreadCountResponse>> {
    Ok(Json(UnreadCountResponse { unread_count: inbox::unread_count(&app, &p).await? }))
}

/// The caller's messages, newest first.
#[utoipa::path(
    get, path = "/api/me/messages", tag = "Messages", summary = "List messages",
    params(MessagesQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "A page", body = MessagesPageResponse),
        (status = 422, description = "A bad `limit` or `offset`", body = ErrorBody)
    )
)]
pub async fn list_messages(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<MessagesQuery>,
) -> ApiResult<Json<MessagesPageResponse>> {
    let limit = q.limit.unwrap_or(20);
    let offset = brokercrm_core::validate::offset("offset", q.offset.unwrap_or(0))?;
    let (messages, total) = inbox::list(&app, &p, limit, offset).await?;
    Ok(Json(MessagesPageResponse {
        messages,
        pagination: MessagesPagination { limit, offset, total },
    }))
}

/// One of the caller's messages.
#[utoipa::path(
    get, path = "/api/me/messages/{id}", tag = "Messages", summary = "Get message by ID",
    params(("id" = String, Path, description = "Message id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The message", body = MessageView),
        (status = 404, description = "No such message of the caller", body = ErrorBody)
    )
)]
pub async fn get_message(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<MessageView>> {
    Ok(Json(inbox::get(&app, &p, &id).await?))
}

/// Marks one of the caller's messages read.
#[utoipa::path(
    post, path = "/api/me/messages/{id}/read", tag = "Messages", summary = "Mark message as read",
    params(("id" = String, Path, description = "Message id")),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Read", body = MessageReadResponse),
        (status = 404, description = "No such message of the caller", body = ErrorBody)
    )
)]
pub async fn mark_read(
    State(app): State<App>,
    Auth(p): Auth,
    Path(id): Path<String>,
) -> ApiResult<Json<MessageReadResponse>> {
    inbox::mark_read(&app, &p, &id).await?;
    Ok(Json(MessageReadResponse { success: true }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(send_to_customers))
        .routes(routes!(send_to_all))
        .routes(routes!(customer_messages, send_to_customer))
        .routes(routes!(unread_count))
        .routes(routes!(list_messages))
        .routes(routes!(get_message))
        .routes(routes!(mark_read))
}
