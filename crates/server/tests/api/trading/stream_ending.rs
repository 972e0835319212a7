//! When the server ends a live stream: a token that no longer authenticates (here a revoked
//! API key) closes it with 1008 at the next check, and shutdown closes every open stream
//! with 1001 and is seen to wait for them.

use std::time::Duration;

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::live::Ws;

/// A risk-desk API key (ReadPositions): its secret and its id.
async fn admin_key(t: &TestApp, admin: &str) -> (String, String) {
    let r = t
        .server
        .post("/api/api-keys")
        .authorization_bearer(admin)
        .json(&json!({"name": "Risk screen", "role": "risk"}))
        .await;
    r.assert_status(axum::http::StatusCode::CREATED);
    let b: Value = r.json();
    (b["key"].as_str().unwrap().to_owned(), b["id"].as_str().unwrap().to_owned())
}

#[tokio::test]
async fn a_revoked_key_closes_its_open_stream_with_1008() {
    let t = TestApp::spawn_with(|c| c.stream_recheck = Duration::from_millis(100)).await;
    let admin = t.admin_token().await;
    let (key, id) = admin_key(&t, &admin).await;
    let base = t.listen().await;
    let mut ws = Ws::open(&format!("{base}/api/risk/stream"), Some(&key)).await;
    assert_eq!(ws.next().await["type"], "exposures");
    // Checked again and still good: the stream stays open across several checks.
    tokio::time::sleep(Duration::from_millis(350)).await;
    ws.send(json!({"type": "ping"})).await;
    assert_eq!(ws.until("pong").await.0["type"], "pong");

    t.server
        .delete(&format!("/api/api-keys/{id}"))
        .authorization_bearer(&admin)
        .await
        .assert_status_no_content();
    let (code, reason) = ws.closed().await;
    assert_eq!((code, reason.as_str()), (1008, "the token expired or was revoked"));
}

#[tokio::test]
async fn shutdown_closes_every_open_stream_with_1001_and_waits_for_them() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let customer = t.token_for(Role::Customer).await;
    let base = t.listen().await;
    let mut client = Ws::open(&format!("{base}/api/trading/stream"), Some(&customer)).await;
    let mut risk = Ws::open(&format!("{base}/api/risk/stream"), Some(&admin)).await;
    assert_eq!(risk.next().await["type"], "exposures");
    client.sync().await;
    let streams = t.app.streams();
    assert_eq!(streams.open(), 2);
    assert!(!streams.all_closed(Duration::from_millis(50)).await, "both still open");

    streams.stop();
    for ws in [&mut client, &mut risk] {
        let (code, reason) = ws.closed().await;
        assert_eq!((code, reason.as_str()), (1001, "the server is shutting down"));
    }
    assert!(streams.all_closed(Duration::from_secs(5)).await);
    assert_eq!(streams.open(), 0);
}
