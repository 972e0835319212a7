//! What both streams share: the caller (bearer header or `accessToken` query), the upgrade
//! checked after the caller, and sending a JSON text frame.

use axum::extract::FromRequestParts;
use axum::extract::ws::{
    Message, WebSocket, WebSocketUpgrade, rejection::WebSocketUpgradeRejection,
};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use brokercrm_app::{App, Principal};
use brokercrm_core::Error;
use serde_json::Value;

use crate::error::ApiError;

/// Largest message a client may send.
pub const MAX_MESSAGE: usize = 64 * 1024;

/// The caller of a stream: `Authorization: Bearer <token>`, else the `accessToken` query
/// parameter; 401 otherwise.
pub struct StreamAuth(pub Principal);

impl FromRequestParts<App> for StreamAuth {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, app: &App) -> Result<Self, Self::Rejection> {
        let header = parts
            .headers
            .get(AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split_once(' '))
            .filter(|(scheme, _)| scheme.eq_ignore_ascii_case("bearer"))
            .map(|(_, t)| t.trim().to_owned())
            .filter(|t| !t.is_empty());
        let query = || {
            let pairs: Vec<(String, String)> =
                serde_urlencoded::from_str(parts.uri.query().unwrap_or_default()).ok()?;
            pairs.into_iter().find(|(k, v)| k == "accessToken" && !v.is_empty()).map(|(_, v)| v)
        };
        let token = header
            .or_else(query)
            .ok_or_else(|| Error::Unauthorized("missing bearer token".into()))?;
        Ok(Self(brokercrm_app::identity::auth::authenticate(app, &token).await?))
    }
}

/// The upgrade, or 400 in the API's error body when the request is not a WebSocket
/// handshake (checked after the caller, so 401 and 403 come first).
pub fn upgrade(
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Result<WebSocketUpgrade, ApiError> {
    ws.map(|u| u.max_message_size(MAX_MESSAGE))
        .map_err(|_| ApiError(Error::BadRequest("expected a WebSocket upgrade".into())))
}

/// Sends `v` as a text frame; false when the connection is gone.
pub async fn send(socket: &mut WebSocket, v: &Value) -> bool {
    socket.send(Message::Text(v.to_string().into())).await.is_ok()
}
