//! Cross-cutting HTTP behaviour: 404/415/413/400 in the CRM error shape.

use serde_json::Value;

use crate::helpers::{TestApp, assert_error};

#[tokio::test]
async fn unknown_route_is_404_in_crm_shape() {
    let t = TestApp::spawn().await;
    let r = t.server.get("/api/no-such-thing").expect_failure().await;
    r.assert_status_not_found();
    assert_error(&r.json::<Value>(), "not_found");
}

#[tokio::test]
async fn wrong_content_type_bad_json_and_oversized_bodies() {
    let t = TestApp::spawn().await;
    let r = t.server.post("/api/sessions").text("username=a").expect_failure().await;
    assert_eq!(r.status_code(), 415);
    assert_error(&r.json::<Value>(), "unsupported_media_type");

    let r = t
        .server
        .post("/api/sessions")
        .content_type("application/json")
        .bytes("{\"username\": ".into())
        .expect_failure()
        .await;
    assert_eq!(r.status_code(), 400);
    assert_error(&r.json::<Value>(), "bad_request");

    let r = t
        .server
        .post("/api/sessions")
        .json(&serde_json::json!({"username": 5, "password": "x"}))
        .expect_failure()
        .await;
    assert_eq!(r.status_code(), 400);
    let body = r.json::<Value>();
    assert!(body["error"]["message"].as_str().unwrap().starts_with("username"), "{body}");

    let big = "x".repeat(3 * 1024 * 1024);
    let r = t
        .server
        .post("/api/sessions")
        .json(&serde_json::json!({"username": big, "password": "x"}))
        .expect_failure()
        .await;
    assert_eq!(r.status_code(), 413);
    assert_error(&r.json::<Value>(), "payload_too_large");
}
