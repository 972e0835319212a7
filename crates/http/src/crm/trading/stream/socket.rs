//! What both streams share: the caller (bearer header or `accessToken` query), the upgrade
//! checked after the caller, sending a JSON text frame, and the two reasons the server ends a
//! stream with a close frame: shutdown (1001) and a token that no longer authenticates (1008,
//! checked again every `stream_recheck`).

use axum::extract::FromRequestParts;
use axum::extract::ws::{
    CloseFrame, Message, WebSocket, WebSocketUpgrade, close_code,
    rejection::WebSocketUpgradeRejection,
};
use axum::http::header::AUTHORIZATION;
use axum::http::request::Parts;
use brokercrm_app::platform::streams::Guard;
use brokercrm_app::{App, Principal};
use brokercrm_core::Error;
use serde_json::Value;
use tokio::sync::watch;
use tokio::time::{Interval, MissedTickBehavior};

use crate::error::ApiError;

/// Largest message a client may send.
pub const MAX_MESSAGE: usize = 64 * 1024;

/// The caller of a stream: `Authorization: Bearer <token>`, else the `accessToken` query
/// parameter; 401 otherwise. The token is kept to check it again while the stream is open.
pub struct StreamAuth(pub Principal, pub String);

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
        let actor = brokercrm_app::identity::auth::authenticate(app, &token).await?;
        Ok(Self(actor, token))
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

/// Why the server ends a stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// The process is shutting down.
    Shutdown,
    /// The token expired or was revoked (or its user disabled).
    Unauthorised,
}

/// What ends an open stream: shutdown, or its token failing a periodic check. Counts the
/// stream as open (for shutdown) while it lives.
pub struct Watch {
    app: App,
    token: String,
    stopping: watch::Receiver<bool>,
    recheck: Interval,
    _open: Guard,
}

impl Watch {
    pub fn new(app: App, token: String) -> Self {
        // The one floor of the setting: a zero period would make the interval panic.
        let every = app.cfg().stream_recheck.max(std::time::Duration::from_millis(10));
        let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + every, every);
        recheck.set_missed_tick_behavior(MissedTickBehavior::Delay);
        let streams = app.streams();
        Self { stopping: streams.stopping(), _open: streams.join(), app, token, recheck }
    }

    /// Resolves when the stream must end (cancel-safe: a check cut short runs at the next tick).
    pub async fn ending(&mut self) -> Ending {
        loop {
            tokio::select! {
                () = stopped(&mut self.stopping) => return Ending::Shutdown,
                _ = self.recheck.tick() => {
                    let auth = brokercrm_app::identity::auth::authenticate(&self.app, &self.token);
                    if let Err(e) = auth.await {
                        if matches!(e, Error::Unauthorized(_) | Error::Forbidden) {
                            return Ending::Unauthorised;
                        }
                        tracing::warn!(error = ?e, "stream: checking the token again failed");
                    }
                }
            }
        }
    }
}

/// Resolves once shutdown has begun (or the signal is gone).
async fn stopped(stopping: &mut watch::Receiver<bool>) {
    let _ = stopping.wait_for(|s| *s).await.map(|_| ());
}

/// Sends the close frame of `why` (the peer then closes its side).
pub async fn close(socket: &mut WebSocket, why: Ending) {
    let (code, reason) = match why {
        Ending::Shutdown => (close_code::AWAY, "the server is shutting down"),
        Ending::Unauthorised => (close_code::POLICY, "the token expired or was revoked"),
    };
    let frame = CloseFrame { code, reason: reason.into() };
    let _ = socket.send(Message::Close(Some(frame))).await;
}
