//! Sessions: login, rate limits, refresh rotation, logout and impersonation.

use axum::http::StatusCode;
use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::platform::activities::{self, ActivityFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

use crate::helpers::users::PASSWORD as PW;

async fn login_body(t: &TestApp, username: &str, password: &str) -> axum_test::TestResponse {
    t.server.post("/api/sessions").json(&json!({"username": username, "password": password})).await
}

#[tokio::test]
async fn login_returns_tokens_user_and_outstanding_steps() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "ann@example.com", PW).await;
    let r = login_body(&t, "Ann@Example.com", PW).await;
    r.assert_status_ok();
    let b: Value = r.json();
    assert!(b["token"].as_str().is_some_and(|s| !s.is_empty()), "{b}");
    assert!(b["refreshToken"].as_str().is_some_and(|s| s.len() >= 32), "{b}");
    assert_eq!(b["user"]["email"], "ann@example.com");
    assert_eq!(b["user"]["roles"], json!(["customer"]));
    assert!(b["user"]["accountId"].as_i64().is_some(), "{b}");
    let steps = b["outstandingOnboardingSteps"].as_array().unwrap();
    assert_eq!(steps[0], "EmailConfirmation", "{b}");
    assert!(steps.contains(&json!("KYC")), "{b}");

    let me = t.server.get("/api/me").authorization_bearer(b["token"].as_str().unwrap()).await;
    me.assert_status_ok();
    assert_eq!(me.json::<Value>()["user"]["email"], "ann@example.com");

    // Staff have no onboarding.
    t.create_user(Role::Admin, "boss@example.com", PW).await;
    let b: Value = login_body(&t, "boss@example.com", PW).await.json();
    assert_eq!(b["outstandingOnboardingSteps"], json!([]));
    assert!(b["user"]["permissions"].as_array().unwrap().contains(&json!("impersonate_customer")));
}

#[tokio::test]
async fn wrong_password_and_unknown_user_get_the_same_401() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "bob@example.com", PW).await;
    let wrong = login_body(&t, "bob@example.com", "Wrong0000").await;
    let unknown = login_body(&t, "nobody@example.com", PW).await;
    wrong.assert_status(StatusCode::UNAUTHORIZED);
    unknown.assert_status(StatusCode::UNAUTHORIZED);
    let (a, b): (Value, Value) = (wrong.json(), unknown.json());
    assert_error(&a, "unauthorized");
    assert_eq!(a, b);
    // Missing field → 400 naming it.
    let r = t.server.post("/api/sessions").json(&json!({"username": "x"})).await;
    r.assert_status(StatusCode::BAD_REQUEST);
    assert!(r.json::<Value>()["error"]["message"].as_str().unwrap().contains("password"));
}

#[tokio::test]
async fn disabled_user_cannot_log_in() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "off@example.com", PW).await;
    let conn = t.app.db().conn();
    let u = users::find_by_email(conn, "off@example.com").await.unwrap().unwrap();
    let mut ch = users::changes(u);
    ch.status = sea_orm::Set(users::DISABLED.into());
    users::save(conn, ch).await.unwrap();
    let r = login_body(&t, "off@example.com", PW).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    assert_error(&r.json(), "unauthorized");
}

#[tokio::test]
async fn failed_logins_are_rate_limited_per_account() {
    // The per-account ceiling counts failures from every IP; the (account, IP) back-off is
    // set high here so only the ceiling applies.
    let t = TestApp::spawn_with(|c| {
        c.login_attempts_per_account = 3;
        c.login_attempts_per_account_ip = 100;
    })
    .await;
    t.create_user(Role::Customer, "rl@example.com", PW).await;
    let from = |ip: &'static str, pw: &'static str| {
        t.server
            .post("/api/sessions")
            .add_header("x-forwarded-for", ip)
            .json(&json!({"username": "rl@example.com", "password": pw}))
    };
    for ip in ["203.0.113.1", "203.0.113.2", "203.0.113.3"] {
        from(ip, "Wrong0000").await.assert_status(StatusCode::UNAUTHORIZED);
    }
    let r = from("203.0.113.4", PW).await;
    r.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_error(&r.json(), "rate_limited");
    let retry: u64 = r.header("retry-after").to_str().unwrap().parse().unwrap();
    assert!((1..=900).contains(&retry), "{retry}");
    // Other accounts are not affected by this account's limit.
    t.create_user(Role::Customer, "other@example.com", PW).await;
    login_body(&t, "other@example.com", PW).await.assert_status_ok();
}

#[tokio::test]
async fn failed_logins_are_rate_limited_per_ip() {
    let t = TestApp::spawn_with(|c| c.login_attempts_per_ip = 4).await;
    t.create_user(Role::Customer, "ip@example.com", PW).await;
    let attempt = |user: String, ip: &'static str| {
        t.server
            .post("/api/sessions")
            .add_header("x-forwarded-for", ip)
            .json(&json!({"username": user, "password": "Wrong0000"}))
    };
    for i in 0..4 {
        attempt(format!("u{i}@example.com"), "203.0.113.9")
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
    }
    let r = attempt("u9@example.com".into(), "203.0.113.9").await;
    r.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(r.maybe_header("retry-after").is_some());
    // Another IP still gets through.
    let ok = t
        .server
        .post("/api/sessions")
        .add_header("x-forwarded-for", "198.51.100.1")
        .json(&json!({"username": "ip@example.com", "password": PW}))
        .await;
    ok.assert_status_ok();
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "rot@example.com", PW).await;
    let b: Value = login_body(&t, "rot@example.com", PW).await.json();
    let rt1 = b["refreshToken"].as_str().unwrap().to_owned();

    let r = t.server.post("/api/sessions/refresh").json(&json!({"refreshToken": rt1})).await;
    r.assert_status_ok();
    let b2: Value = r.json();
    let rt2 = b2["refreshToken"].as_str().unwrap().to_owned();
    assert_ne!(rt1, rt2);
    t.server
        .get("/api/me")
        .authorization_bearer(b2["token"].as_str().unwrap())
        .await
        .assert_status_ok();

    // Reusing the spent token fails and revokes the whole family, rt2 included.
    let reuse = t.server.post("/api/sessions/refresh").json(&json!({"refreshToken": rt1})).await;
    reuse.assert_status(StatusCode::UNAUTHORIZED);
    assert_error(&reuse.json(), "unauthorized");
    t.server
        .post("/api/sessions/refresh")
        .json(&json!({"refreshToken": rt2}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    t.server
        .post("/api/sessions/refresh")
        .json(&json!({"refreshToken": "nonsense"}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn logout_revokes_the_refresh_token() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "out@example.com", PW).await;
    let b: Value = login_body(&t, "out@example.com", PW).await.json();
    let rt = b["refreshToken"].as_str().unwrap();
    let r = t.server.delete("/api/sessions").json(&json!({"refreshToken": rt})).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true}));
    t.server
        .post("/api/sessions/refresh")
        .json(&json!({"refreshToken": rt}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn impersonation_by_admin_is_audited_and_checked() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "cust@example.com", PW).await;
    let conn = t.app.db().conn();
    let cust = users::find_by_email(conn, "cust@example.com").await.unwrap().unwrap();
    let admin = t.admin_token().await;

    let r = t
        .server
        .post("/api/sessions/impersonate")
        .authorization_bearer(&admin)
        .json(&json!({"customerId": cust.uuid}))
        .await;
    r.assert_status_ok();
    let b: Value = r.json();
    assert_eq!(b["user"]["email"], "cust@example.com");
    let me = t.server.get("/api/me").authorization_bearer(b["token"].as_str().unwrap()).await;
    me.assert_status_ok();
    let me: Value = me.json();
    assert_eq!(me["user"]["email"], "cust@example.com");
    assert!(me["refreshToken"].is_null(), "impersonation must not mint refresh tokens: {me}");

    let filter = ActivityFilter { kind: Some("customer.impersonate".into()), ..Default::default() };
    let (rows, n) = activities::list(conn, &filter, 10, 0).await.unwrap();
    assert_eq!(n, 1);
    assert_eq!(rows[0].entity_id.as_deref(), Some(cust.uuid.as_str()));
    assert!(rows[0].actor_id.is_some());

    // An agent may not impersonate.
    let agent = t.token_for(Role::ConversionAgent).await;
    let r = t
        .server
        .post("/api/sessions/impersonate")
        .authorization_bearer(&agent)
        .json(&json!({"customerId": cust.uuid}))
        .await;
    r.assert_status(StatusCode::FORBIDDEN);
    assert_error(&r.json(), "forbidden");

    // Targets must be existing customers (anyone else is not found).
    t.create_user(Role::Support, "sup@example.com", PW).await;
    let sup = users::find_by_email(conn, "sup@example.com").await.unwrap().unwrap();
    let r = t
        .server
        .post("/api/sessions/impersonate")
        .authorization_bearer(&admin)
        .json(&json!({"customerId": sup.uuid}))
        .await;
    r.assert_status(StatusCode::NOT_FOUND);
    assert_error(&r.json(), "not_found");
    let r = t
        .server
        .post("/api/sessions/impersonate")
        .authorization_bearer(&admin)
        .json(&json!({"customerId": "00000000-0000-0000-0000-000000000000"}))
        .await;
    r.assert_status(StatusCode::NOT_FOUND);
    // Without a token.
    t.server
        .post("/api/sessions/impersonate")
        .json(&json!({"customerId": cust.uuid}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    let (_, n) = activities::list(conn, &filter, 10, 0).await.unwrap();
    assert_eq!(n, 1, "failed attempts are not recorded as impersonations");
}

/// Disables `email`'s user directly in the database.
async fn disable(t: &TestApp, email: &str) {
    let conn = t.app.db().conn();
    let u = users::find_by_email(conn, email).await.unwrap().unwrap();
    let mut ch = users::changes(u);
    ch.status = sea_orm::Set(users::DISABLED.into());
    users::save(conn, ch).await.unwrap();
}

#[tokio::test]
async fn a_disabled_users_token_stops_working_within_the_auth_cache_ttl() {
    let ttl = std::time::Duration::from_millis(300);
    let t = TestApp::spawn_with(|c| c.auth_cache_ttl = ttl).await;
    let (token, email) = t.mint_token(Role::Customer).await;
    t.server.get("/api/me").authorization_bearer(&token).await.assert_status_ok();
    disable(&t, &email).await;
    // Remembered for at most the TTL...
    t.server.get("/api/me").authorization_bearer(&token).await.assert_status_ok();
    tokio::time::sleep(ttl + std::time::Duration::from_millis(200)).await;
    // ...then read again, and refused.
    let r = t.server.get("/api/me").authorization_bearer(&token).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    assert_error(&r.json(), "unauthorized");

    // With no TTL the next request already sees it.
    let t = TestApp::spawn_with(|c| c.auth_cache_ttl = std::time::Duration::ZERO).await;
    let (token, email) = t.mint_token(Role::Customer).await;
    t.server.get("/api/me").authorization_bearer(&token).await.assert_status_ok();
    disable(&t, &email).await;
    t.server.get("/api/me").authorization_bearer(&token).await.assert_status_unauthorized();
}
