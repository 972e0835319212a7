//! Seed 002 tag Group Messages, its two message operations (the tag's trading-group
//! operations are trading's): a message to the customers of a trading group, and the list.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::messaging::fanout::{self, GroupMessageView};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody};

/// Body of "Create group message".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct GroupMessageRequest {
    pub text: String,
    pub subject: String,
    /// `Message`.
    #[serde(rename = "type")]
    pub kind: String,
    /// The trading group whose customers (a wallet in it) receive the message.
    pub target_group_id: i64,
}

/// `{"messages": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct GroupMessagesResponse {
    pub messages: Vec<GroupMessageView>,
}

/// `{"success": true, "message": {...}}`.
#[derive(Serialize, ToSchema)]
pub struct GroupMessageCreatedResponse {
    pub success: bool,
    pub message: GroupMessageView,
}

/// Group messages sent, newest first, with their fan-out's progress (SendMessages).
#[utoipa::path(
    get, path = "/api/group-messages", tag = "Group Messages", summary = "Get group messages",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Group messages", body = GroupMessagesResponse),
        (status = 403, description = "Missing SendMessages", body = ErrorBody)
    )
)]
pub async fn list_group_messages(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<Json<GroupMessagesResponse>> {
    Ok(Json(GroupMessagesResponse { messages: fanout::list(&app, &p).await? }))
}

/// Queues the message to every customer with a wallet in the trading group (one fan-out
/// job; SendMessages; audited).
#[utoipa::path(
    post, path = "/api/group-messages", tag = "Group Messages", summary = "Create group message",
    request_body = GroupMessageRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Queued", body = GroupMessageCreatedResponse),
        (status = 403, description = "Missing SendMessages", body = ErrorBody),
        (status = 422, description = "Empty subject or text, a type other than Message, a bad group id", body = ErrorBody)
    )
)]
pub async fn create_group_message(
    State(app): State<App>,
    Auth(p): Auth,
    JsonBody(b): JsonBody<GroupMessageRequest>,
) -> ApiResult<(StatusCode, Json<GroupMessageCreatedResponse>)> {
    let message =
        fanout::to_group(&app, &p, &b.subject, &b.text, &b.kind, b.target_group_id).await?;
    Ok((StatusCode::CREATED, Json(GroupMessageCreatedResponse { success: true, message })))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new().routes(routes!(list_group_messages, create_group_message))
}
