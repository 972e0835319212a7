//! Live-update tests' harness: the test's router on a real TCP port (WebSocket needs a real
//! connection; `axum_test`'s default transport has none), sharing the test's `App`, and a
//! small WebSocket client with time-outs.

use std::time::Duration;

use futures_util::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use super::TestApp;

/// How long a test waits for a message it expects.
pub const WAIT: Duration = Duration::from_secs(10);

impl TestApp {
    /// Serves this test's app on a free local port; returns `ws://127.0.0.1:<port>`.
    pub async fn listen(&self) -> String {
        let router = brokercrm_http::build_router(
            self.app.clone(),
            brokercrm_http::HttpConfig { trust_forwarded_for: true, ..Default::default() },
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router).await;
        });
        format!("ws://{addr}")
    }
}

/// A WebSocket client of the test.
pub struct Ws(WebSocketStream<MaybeTlsStream<TcpStream>>);

/// The handshake's failure status, when the server refused the upgrade.
pub async fn refused(url: &str, bearer: Option<&str>) -> u16 {
    match connect(url, bearer).await {
        Ok(_) => 101,
        Err(tokio_tungstenite::tungstenite::Error::Http(r)) => r.status().as_u16(),
        Err(e) => panic!("{url}: {e}"),
    }
}

async fn connect(
    url: &str,
    bearer: Option<&str>,
) -> Result<Ws, tokio_tungstenite::tungstenite::Error> {
    let mut req = url.into_client_request()?;
    if let Some(token) = bearer {
        req.headers_mut().insert("authorization", format!("Bearer {token}").parse().unwrap());
    }
    let (stream, _) = tokio_tungstenite::connect_async(req).await?;
    Ok(Ws(stream))
}

impl Ws {
    /// Connects to `url` (the bearer header when given); panics when refused.
    pub async fn open(url: &str, bearer: Option<&str>) -> Ws {
        connect(url, bearer).await.unwrap_or_else(|e| panic!("{url}: {e}"))
    }

    pub async fn send(&mut self, v: Value) {
        self.0.send(Message::Text(v.to_string().into())).await.unwrap();
    }

    /// The next JSON message within `wait`, `None` on time-out.
    pub async fn next_within(&mut self, wait: Duration) -> Option<Value> {
        let deadline = tokio::time::Instant::now() + wait;
        loop {
            let msg = tokio::time::timeout_at(deadline, self.0.next()).await.ok()?;
            match msg {
                Some(Ok(Message::Text(t))) => {
                    return Some(serde_json::from_str(t.as_str()).unwrap());
                }
                Some(Ok(Message::Ping(_) | Message::Pong(_) | Message::Frame(_))) => {}
                other => panic!("the stream ended: {other:?}"),
            }
        }
    }

    /// The next JSON message; fails after [`WAIT`].
    pub async fn next(&mut self) -> Value {
        self.next_within(WAIT).await.expect("a message within the wait")
    }

    /// Reads until a message of `kind` arrives; returns it and every message read before.
    pub async fn until(&mut self, kind: &str) -> (Value, Vec<Value>) {
        let mut before = Vec::new();
        loop {
            let m = self.next().await;
            if m["type"] == kind {
                return (m, before);
            }
            before.push(m);
        }
    }

    /// The close frame the server sends next (code, reason), skipping other messages; fails
    /// after [`WAIT`] or when the connection ends without one.
    pub async fn closed(&mut self) -> (u16, String) {
        let deadline = tokio::time::Instant::now() + WAIT;
        loop {
            let msg = tokio::time::timeout_at(deadline, self.0.next()).await.expect("a close");
            match msg {
                Some(Ok(Message::Close(Some(f)))) => return (f.code.into(), f.reason.to_string()),
                Some(Ok(Message::Close(None))) | None => panic!("closed without a close frame"),
                Some(Ok(_)) => {}
                Some(Err(e)) => panic!("the stream failed before its close frame: {e}"),
            }
        }
    }

    /// Sends a ping and reads up to its pong; returns every message read before it.
    pub async fn sync(&mut self) -> Vec<Value> {
        self.send(serde_json::json!({"type": "ping"})).await;
        self.until("pong").await.1
    }
}
