//! Seed 002 tag Push Notifications (5 operations): the VAPID public key, the signed-in user's
//! browser subscriptions, and staff sending a notification to a customer's subscriptions.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use brokercrm_app::App;
use brokercrm_app::messaging::push::keys;
use brokercrm_app::messaging::push::send::{self, SendInput};
use brokercrm_app::messaging::push::subscriptions::{self, SubscriptionInput, SubscriptionView};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::error::{ApiResult, ErrorBody};
use crate::extract::{Auth, Json as JsonBody, Query};

/// `{"publicVapidKey": "..."}`.
#[derive(Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct VapidKeyResponse {
    /// The server's P-256 public key, base64url (the browser's `applicationServerKey`).
    pub public_vapid_key: String,
}

/// The browser's keys, as `PushSubscription.toJSON()` gives them.
#[derive(Deserialize, ToSchema)]
pub struct SubscriptionKeys {
    pub p256dh: Option<String>,
    pub auth: Option<String>,
}

/// The browser's subscription, as `PushSubscription.toJSON()` gives it.
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct PushSubscriptionBody {
    pub endpoint: Option<String>,
    /// `null`, epoch milliseconds or a date-time.
    #[schema(value_type = Option<Object>)]
    pub expiration_time: Option<serde_json::Value>,
    pub keys: Option<SubscriptionKeys>,
}

/// Body of "Create subscription".
#[derive(Deserialize, ToSchema)]
pub struct CreateSubscriptionRequest {
    pub subscription: Option<PushSubscriptionBody>,
    /// Topic for the subscription (`user`, the default; `admin` for staff; any short
    /// lowercase name).
    pub topic: Option<String>,
}

/// Filters of "Get subscriptions".
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SubscriptionsQuery {
    /// Topic of subscriptions to retrieve.
    pub topic: Option<String>,
    /// URL of the push notification endpoint to retrieve.
    pub endpoint: Option<String>,
}

/// Filters of "Delete subscription" (at least one).
#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteSubscriptionQuery {
    /// ID of the subscription to delete.
    pub id: Option<i64>,
    /// URL of the push notification endpoint to delete.
    pub endpoint: Option<String>,
    /// Topic of subscriptions to delete.
    pub topic: Option<String>,
}

/// `{"subscriptions": [...]}`.
#[derive(Serialize, ToSchema)]
pub struct SubscriptionsResponse {
    pub subscriptions: Vec<SubscriptionView>,
}

/// `{"success": true}`.
#[derive(Serialize, ToSchema)]
pub struct PushSuccessResponse {
    pub success: bool,
}

/// `{"success": true, "queued": n}`.
#[derive(Serialize, ToSchema)]
pub struct PushSentResponse {
    pub success: bool,
    /// Notifications queued (one per subscription of the customer for the topic).
    pub queued: usize,
}

/// Body of "Send notification by customer ID and topic".
#[derive(Deserialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct SendNotificationRequest {
    /// ID of the customer to send notification to.
    pub customer_id: Option<String>,
    /// Notification payload: `title` (required), `body`, and whatever else the service
    /// worker reads (`icon`, `url`, `data`...); at most 3,000 bytes as JSON.
    #[schema(value_type = Option<Object>)]
    pub notification: Option<serde_json::Value>,
    /// Topic of the notification (default `user`).
    pub topic: Option<String>,
    /// Seconds the push service keeps it while the browser is offline (0 to 2,419,200;
    /// default 86,400).
    pub ttl: Option<f64>,
}

/// The server's VAPID public key (any signed-in user).
#[utoipa::path(
    get, path = "/api/push-notifications/vapid-public-key", tag = "Push Notifications",
    summary = "Get VAPID public key",
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "The key", body = VapidKeyResponse),
        (status = 401, description = "Not signed in", body = ErrorBody)
    )
)]
pub async fn vapid_public_key(
    State(app): State<App>,
    Auth(p): Auth,
) -> ApiResult<Json<VapidKeyResponse>> {
    Ok(Json(VapidKeyResponse { public_vapid_key: keys::public_key(&app, &p).await? }))
}

/// Stores the caller's browser subscription for a topic (any signed-in user; `admin` for
/// staff). The same endpoint and topic again replaces the earlier row.
#[utoipa::path(
    post, path = "/api/push-notifications/subscriptions", tag = "Push Notifications",
    summary = "Create subscription",
    request_body = CreateSubscriptionRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 201, description = "Stored", body = SubscriptionView),
        (status = 401, description = "Not signed in", body = ErrorBody),
        (status = 422, description = "A bad `subscription.endpoint`, `subscription.keys.p256dh`, `subscription.keys.auth`, `subscription.expirationTime` or `topic`", body = ErrorBody)
    )
)]
pub async fn create_subscription(
    State(app): State<App>,
    Auth(p): Auth,
    JsonBody(b): JsonBody<CreateSubscriptionRequest>,
) -> ApiResult<(StatusCode, Json<SubscriptionView>)> {
    let s = b.subscription.unwrap_or(PushSubscriptionBody {
        endpoint: None,
        expiration_time: None,
        keys: None,
    });
    let (p256dh, auth) = s.keys.map(|k| (k.p256dh, k.auth)).unwrap_or((None, None));
    let input = SubscriptionInput {
        endpoint: s.endpoint,
        expiration_time: s.expiration_time,
        p256dh,
        auth,
    };
    let view = subscriptions::create(&app, &p, input, b.topic.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(view)))
}

/// Deletes the caller's subscriptions matching every filter given.
#[utoipa::path(
    delete, path = "/api/push-notifications/subscriptions", tag = "Push Notifications",
    summary = "Delete subscription",
    params(DeleteSubscriptionQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Deleted", body = PushSuccessResponse),
        (status = 404, description = "None of the caller's subscriptions matches", body = ErrorBody),
        (status = 422, description = "No filter given (`id`), or a bad `topic`", body = ErrorBody)
    )
)]
pub async fn delete_subscription(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<DeleteSubscriptionQuery>,
) -> ApiResult<Json<PushSuccessResponse>> {
    subscriptions::delete(&app, &p, q.id, q.endpoint.as_deref(), q.topic.as_deref()).await?;
    Ok(Json(PushSuccessResponse { success: true }))
}

/// The caller's own subscriptions, oldest first.
#[utoipa::path(
    get, path = "/api/push-notifications/subscriptions", tag = "Push Notifications",
    summary = "Get subscriptions",
    params(SubscriptionsQuery),
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Subscriptions", body = SubscriptionsResponse),
        (status = 422, description = "A bad `topic`", body = ErrorBody)
    )
)]
pub async fn list_subscriptions(
    State(app): State<App>,
    Auth(p): Auth,
    Query(q): Query<SubscriptionsQuery>,
) -> ApiResult<Json<SubscriptionsResponse>> {
    let subscriptions =
        subscriptions::list(&app, &p, q.topic.as_deref(), q.endpoint.as_deref()).await?;
    Ok(Json(SubscriptionsResponse { subscriptions }))
}

/// Queues the notification to each of the customer's subscriptions for the topic, encrypted
/// and VAPID-signed at delivery (SendMessages, customer in scope; audited).
#[utoipa::path(
    post, path = "/api/push-notifications/send", tag = "Push Notifications",
    summary = "Send notification by customer ID and topic",
    request_body = SendNotificationRequest,
    security(("BearerAuth" = [])),
    responses(
        (status = 200, description = "Queued", body = PushSentResponse),
        (status = 403, description = "Missing SendMessages", body = ErrorBody),
        (status = 404, description = "Unknown customer, or not in the caller's scope", body = ErrorBody),
        (status = 422, description = "A bad `customerId`, `notification`, `notification.title`, `topic` or `ttl`", body = ErrorBody)
    )
)]
pub async fn send_notification(
    State(app): State<App>,
    Auth(p): Auth,
    JsonBody(b): JsonBody<SendNotificationRequest>,
) -> ApiResult<Json<PushSentResponse>> {
    let input = SendInput {
        customer_id: b.customer_id,
        notification: b.notification,
        topic: b.topic,
        ttl: b.ttl,
    };
    let queued = send::send(&app, &p, input).await?;
    Ok(Json(PushSentResponse { success: true, queued }))
}

pub fn routes() -> OpenApiRouter<App> {
    OpenApiRouter::new()
        .routes(routes!(vapid_public_key))
        .routes(routes!(create_subscription, delete_subscription, list_subscriptions))
        .routes(routes!(send_notification))
}
