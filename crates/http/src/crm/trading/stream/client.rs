//! `GET /api/trading/stream`: a client's live quotes, positions, orders and wallets.

use axum::extract::State;
use axum::extract::ws::{
    Message, WebSocket, WebSocketUpgrade, rejection::WebSocketUpgradeRejection,
};
use axum::response::Response;
use brokercrm_app::App;
use brokercrm_app::trading::live::Session;
use futures_util::SinkExt;
use serde::Deserialize;
use utoipa::IntoParams;

use super::socket::{StreamAuth, Watch, close, send, upgrade};
use super::wire;
use crate::error::{ApiResult, ErrorBody};
use crate::extract::Query;

/// The query of the stream.
#[derive(Deserialize, IntoParams, Default)]
#[into_params(parameter_in = Query)]
#[serde(rename_all = "camelCase")]
pub struct StreamParams {
    /// The access token, when the client cannot send an Authorization header (browsers).
    pub access_token: Option<String>,
    /// Follow only this wallet, and price quotes with its group's markup (default: every
    /// wallet of the caller; quotes priced for its first active wallet).
    pub wallet_id: Option<i64>,
}

/// Opens the live stream (WebSocket). Send `{"type":"subscribe","symbols":["EURUSD"]}`,
/// `{"type":"unsubscribe","symbols":[...]}` or `{"type":"ping"}`; receive `quote` messages
/// (`symbol`, `bid`, `ask`, `time`) for the symbols followed — only the latest per symbol
/// when the client reads slowly — and `position`, `order` and `wallet` messages after each
/// committed change of the caller's own trading. See docs/trading.md, "Live updates".
#[utoipa::path(
    get, path = "/api/trading/stream", tag = "Live Updates",
    summary = "Stream quotes, positions, orders and wallet figures",
    params(StreamParams),
    security(("BearerAuth" = []), ("BearerAuthApiKey" = [])),
    responses(
        (status = 101, description = "Switching to the WebSocket protocol"),
        (status = 400, description = "Not a WebSocket handshake", body = ErrorBody),
        (status = 401, description = "No or a bad token", body = ErrorBody),
        (status = 404, description = "No such wallet (`walletId`)", body = ErrorBody)
    )
)]
pub async fn stream_trading(
    State(app): State<App>,
    StreamAuth(actor, token): StreamAuth,
    Query(q): Query<StreamParams>,
    ws: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> ApiResult<Response> {
    let session = Session::open(&app, &actor, q.wallet_id).await?;
    let ws = upgrade(ws)?;
    let watch = Watch::new(app, token);
    Ok(ws.on_upgrade(move |socket| run(socket, session, watch)))
}

/// Answers the client's messages and sends what the session has, until either side closes
/// (the server on shutdown, or when the token no longer authenticates).
async fn run(mut socket: WebSocket, session: Session, mut watch: Watch) {
    loop {
        tokio::select! {
            why = watch.ending() => {
                close(&mut socket, why).await;
                return;
            }
            msg = socket.recv() => {
                let answer = match wire::incoming(msg) {
                    wire::Incoming::Command(c) => match session.command(c).await {
                        Ok(r) => wire::reply(&r),
                        Err(e) => wire::error(&e),
                    },
                    wire::Incoming::Answer(a) => a,
                    wire::Incoming::Skip => continue,
                    wire::Incoming::Closed => return,
                };
                if !send(&mut socket, &answer).await {
                    return;
                }
            }
            () = session.ready() => {
                let pushes = match session.take().await {
                    Ok(p) => p,
                    Err(e) => {
                        tracing::warn!(error = ?e, "trading stream: reading a change failed");
                        vec![]
                    }
                };
                // One write for the whole batch: frames are queued, then flushed once.
                for p in &pushes {
                    let text = wire::push(p).to_string();
                    if socket.feed(Message::Text(text.into())).await.is_err() {
                        return;
                    }
                }
                if socket.flush().await.is_err() {
                    return;
                }
            }
        }
    }
}
