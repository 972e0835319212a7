//! `GET /api/risk/stream`: the risk exposures, live (staff with ReadPositions).

use axum::extract::State;
use axum::extract::ws::{WebSocket, WebSocketUpgrade, rejection::WebSocketUpgradeRejection};
use axum::response::Response;
use brokercrm_app::App;
use brokercrm_app::trading::live::exposures::ExposureFeed;
use brokercrm_app::trading::risk::RiskQuery;
use serde::Deserialize;
use serde_json::json;
use utoipa::IntoParams;

use super::socket::{StreamAuth, Watch, close, send, upgrade};
use super::wire;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Query;

/// The filters of the exposures, and the token for browsers.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct RiskStreamParams {
    /// The access token, when the client cannot send an Authorization header (browsers).
    pub access_token: Option<String>,
    /// A trading group's id or name (default: every group).
    pub group: Option<String>,
    /// Only demo (true) or only real (false) wallets (default: both).
    pub is_demo: Option<bool>,
}

/// Opens the exposures stream (WebSocket): an `exposures` message with the body of "Get risk
/// exposures" on connecting, then whenever it changes (formed every second and after each
/// trade this instance commits). `{"type":"ping"}` is answered with a `pong`.
#[utoipa::path(
    get, path = "/api/risk/stream", tag = "Live Updates",
    summary = "Stream risk exposures",
    params(RiskStreamParams),
    security(("BearerAuth" = [])),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 400, description = "Not a WebSocket handshake", body = ErrorBody),
        (status = 401, description = "No or a bad token", body = ErrorBody),
        (status = 403, description = "Missing ReadPositions", body = ErrorBody),
        (status = 422, description = "An unknown `group`", body = ErrorBody)
    )
)]
pub async fn stream_risk(
    State(app): State<App>,
    StreamAuth(actor, token): StreamAuth,
    Query(q): Query<RiskStreamParams>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    let query = RiskQuery { group: q.group, is_demo: q.is_demo };
    let feed = ExposureFeed::open(&app, &actor, query).await?;
    let ws = upgrade(ws)?;
    let watch = Watch::new(app, token);
    Ok(ws.on_upgrade(move |socket| run(socket, feed, watch)))
}

async fn run(mut socket: WebSocket, mut feed: ExposureFeed, mut watch: Watch) {
    loop {
        tokio::select! {
            why = watch.ending() => {
                close(&mut socket, why).await;
                return;
            }
            msg = socket.recv() => {
                let answer = match wire::incoming(msg) {
                    wire::Incoming::Command(brokercrm_app::trading::live::Command::Ping) => {
                        json!({"type": "pong"})
                    }
                    wire::Incoming::Command(_) => wire::error(&brokercrm_core::Error::field(
                        "type",
                        "this stream takes only ping",
                    )),
                    wire::Incoming::Answer(a) => a,
                    wire::Incoming::Skip => continue,
                    wire::Incoming::Closed => return,
                };
                if !send(&mut socket, &answer).await {
                    return;
                }
            }
            e = feed.next() => match e {
                Ok(e) => {
                    if !send(&mut socket, &wire::exposures(&e)).await {
                        return;
                    }
                }
                Err(e) => {
                    tracing::warn!(error = ?e, "risk stream: forming the exposures failed");
                    let _ = send(&mut socket, &wire::error(&e)).await;
                    return;
                }
            },
        }
    }
}
