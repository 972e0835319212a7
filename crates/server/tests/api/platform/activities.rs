//! Activities: hand-made entries record the actor; listing pages, counts, filters and
//! rejects bad parameters naming them.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::http::urlencode;
use crate::helpers::{TestApp, assert_error};

async fn create(t: &TestApp, token: &str, kind: &str, details: &str) -> u16 {
    let r = t
        .server
        .post("/api/activities")
        .authorization_bearer(token)
        .json(&json!({"type": kind, "details": details}))
        .await;
    r.status_code().as_u16()
}

#[tokio::test]
async fn staff_create_activities_recorded_with_the_actor() {
    let t = TestApp::spawn().await;
    let (agent, agent_email) = t.mint_token(Role::ConversionAgent).await;
    let r = t
        .server
        .post("/api/activities")
        .authorization_bearer(&agent)
        .json(&json!({"type": "call", "details": "Called the lead"}))
        .await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true}));

    let (admin, _) = t.mint_token(Role::Admin).await;
    let body: Value =
        t.server.get("/api/activities?limit=10&offset=0").authorization_bearer(&admin).await.json();
    assert_eq!(body["count"], 1);
    let a = &body["activities"][0];
    assert_eq!(a["type"], "call");
    assert_eq!(a["details"], "Called the lead");
    assert_eq!(a["actor"]["email"], agent_email);
    assert!(a["actor"]["id"].as_i64().unwrap() > 0);
    assert!(a["entity"].is_null() && a["createdAt"].is_string());

    // validation and permissions
    assert_eq!(create(&t, &agent, "", "x").await, 422);
    let long = "x".repeat(65);
    assert_eq!(create(&t, &agent, &long, "x").await, 422);
    let (customer, _) = t.mint_token(Role::Customer).await;
    assert_eq!(create(&t, &customer, "call", "x").await, 403);
    let r = t.server.post("/api/activities").json(&json!({"type": "call", "details": "x"})).await;
    r.assert_status_unauthorized();
    // an agent cannot read the log
    t.server
        .get("/api/activities?limit=10&offset=0")
        .authorization_bearer(&agent)
        .await
        .assert_status_forbidden();
}

#[tokio::test]
async fn list_pages_counts_and_filters() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    for i in 0..7 {
        let kind = if i % 2 == 0 { "call" } else { "note" };
        assert_eq!(create(&t, &admin, kind, &format!("Entry {i} about 100% DONE")).await, 200);
    }
    let page = |q: String| {
        let t = &t;
        let admin = admin.clone();
        async move {
            t.server
                .get(&format!("/api/activities?{q}"))
                .authorization_bearer(&admin)
                .await
                .json::<Value>()
        }
    };
    let p1 = page("limit=3&offset=0".into()).await;
    assert_eq!(p1["count"], 7);
    assert_eq!(p1["activities"].as_array().unwrap().len(), 3);
    assert_eq!(p1["activities"][0]["details"], "Entry 6 about 100% DONE"); // newest first
    let p3 = page("limit=3&offset=6".into()).await;
    assert_eq!(p3["activities"].as_array().unwrap().len(), 1);
    assert_eq!(p3["activities"][0]["details"], "Entry 0 about 100% DONE");

    let calls =
        page(format!("limit=100&offset=0&filter={}", urlencode(r#"{"type":"call"}"#))).await;
    assert_eq!(calls["count"], 4);
    assert!(calls["activities"].as_array().unwrap().iter().all(|a| a["type"] == "call"));
    let search = page(format!(
        "limit=100&offset=0&filter={}",
        urlencode(r#"{"search":"entry 3 ABOUT 100%"}"#)
    ))
    .await;
    assert_eq!(search["count"], 1, "{search}");
    let none = page(format!("limit=100&offset=0&filter={}", urlencode(r#"{"search":"_"}"#))).await;
    assert_eq!(none["count"], 0, "LIKE wildcards are escaped: {none}");
    let actor_id = calls["activities"][0]["actor"]["id"].as_i64().unwrap();
    let mine = page(format!(
        "limit=100&offset=0&filter={}",
        urlencode(&format!(r#"{{"actorId":{actor_id},"type":"note"}}"#))
    ))
    .await;
    assert_eq!(mine["count"], 3);
}

#[tokio::test]
async fn bad_list_parameters_are_named() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    for (q, field) in [
        ("offset=0", "limit"),
        ("limit=0&offset=0", "limit"),
        ("limit=101&offset=0", "limit"),
        ("limit=abc&offset=0", "limit"),
        ("limit=10", "offset"),
        ("limit=10&offset=-1", "offset"),
        ("limit=10&offset=0&filter=%7Bnot-json", "filter"),
        ("limit=10&offset=0&filter=%5B1%5D", "filter"),
        ("limit=10&offset=0&filter=%7B%22bogus%22%3A1%7D", "filter"),
    ] {
        let r = t.server.get(&format!("/api/activities?{q}")).authorization_bearer(&admin).await;
        assert_eq!(r.status_code().as_u16(), 422, "{q}: {}", r.text());
        let body: Value = r.json();
        assert_error(&body, "validation_failed");
        assert_eq!(body["error"]["details"]["fields"][0]["field"], field, "{q}: {body}");
    }
}
