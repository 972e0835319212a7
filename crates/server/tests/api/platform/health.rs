//! Health: the seed's body and a real database round trip.

use crate::helpers::TestApp;

#[tokio::test]
async fn health_check_answers_success() {
    let t = TestApp::spawn().await;
    let r = t.server.get("/api/health").await;
    r.assert_status_ok();
    assert_eq!(r.json::<serde_json::Value>(), serde_json::json!({"success": true}));
    assert!(r.headers().get("x-request-id").is_some());
}
