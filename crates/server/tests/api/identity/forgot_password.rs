//! Forgot Password: no enumeration, the reset flow, single use, expiry and rate limits.

use axum::http::StatusCode;
use brokercrm_core::identity::auth::Role;
use brokercrm_store::entities::user_tokens;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

use crate::helpers::users::PASSWORD as PW;
const NEW_PW: &str = "Fresh1234!";

async fn request(t: &TestApp, contact: &str) -> axum_test::TestResponse {
    t.server.post("/api/forgot-password").json(&json!({"contact": contact})).await
}

async fn reset(t: &TestApp, token: &str, pw: &str, confirmation: &str) -> axum_test::TestResponse {
    let body = json!({"reset_token": token, "password": pw, "password_confirmation": confirmation});
    t.server.post("/api/forgot-password/reset").json(&body).await
}

/// Requests a reset for `email` and returns the token of the e-mailed link.
async fn reset_token(t: &TestApp, email: &str) -> String {
    request(t, email).await.assert_status_ok();
    t.run_jobs().await;
    let mail = t.emails.last().expect("reset e-mail");
    assert_eq!(mail.to, email);
    let start = mail.text.find("token=").unwrap() + "token=".len();
    mail.text[start..].split_whitespace().next().unwrap().to_owned()
}

fn first_field(b: &Value) -> &str {
    b["error"]["details"]["fields"][0]["field"].as_str().unwrap_or_default()
}

#[tokio::test]
async fn unknown_and_known_contacts_get_the_same_answer() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "known@example.com", PW).await;
    let unknown = request(&t, "ghost@example.com").await;
    unknown.assert_status_ok();
    t.run_jobs().await;
    assert!(t.emails.sent().is_empty(), "no e-mail for an unknown contact");
    let known = request(&t, "Known@Example.com").await;
    known.assert_status_ok();
    assert_eq!(unknown.json::<Value>(), known.json::<Value>());
    assert_eq!(known.json::<Value>(), json!({"success": true}));
    t.run_jobs().await;
    let mails = t.emails.sent();
    assert_eq!(mails.len(), 1);
    assert!(mails[0].text.contains("/reset-password?token="), "{}", mails[0].text);

    let r = request(&t, "not-an-email").await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(first_field(&r.json()), "contact");
}

#[tokio::test]
async fn reset_sets_the_password_once_and_ends_sessions() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "fp@example.com", PW).await;
    let login: Value = t
        .server
        .post("/api/sessions")
        .json(&json!({"username": "fp@example.com", "password": PW}))
        .await
        .json();
    let token = reset_token(&t, "fp@example.com").await;

    // Validation failures do not spend the token.
    let r = reset(&t, &token, NEW_PW, "Different1").await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(first_field(&r.json()), "password_confirmation");
    let r = reset(&t, &token, "weak", "weak").await;
    assert_eq!(first_field(&r.json()), "password");

    let r = reset(&t, &token, NEW_PW, NEW_PW).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true}));
    t.login("fp@example.com", NEW_PW).await;
    t.server
        .post("/api/sessions")
        .json(&json!({"username": "fp@example.com", "password": PW}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);
    t.server
        .post("/api/sessions/refresh")
        .json(&json!({"refreshToken": login["refreshToken"]}))
        .await
        .assert_status(StatusCode::UNAUTHORIZED);

    // Single use.
    let r = reset(&t, &token, "Another123", "Another123").await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    let b: Value = r.json();
    assert_error(&b, "validation_failed");
    assert_eq!(first_field(&b), "reset_token");
    t.login("fp@example.com", NEW_PW).await;
}

#[tokio::test]
async fn expired_and_replaced_tokens_are_rejected() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "exp@example.com", PW).await;
    let first = reset_token(&t, "exp@example.com").await;
    let second = reset_token(&t, "exp@example.com").await;
    // A new request replaces the previous link.
    let r = reset(&t, &first, NEW_PW, NEW_PW).await;
    assert_eq!(first_field(&r.json()), "reset_token");

    let past = chrono::Utc::now() - chrono::Duration::minutes(1);
    user_tokens::Entity::update_many()
        .col_expr(user_tokens::Column::ExpiresAt, Expr::value(past))
        .filter(user_tokens::Column::Purpose.eq("password_reset"))
        .exec(t.app.db().conn())
        .await
        .unwrap();
    let r = reset(&t, &second, NEW_PW, NEW_PW).await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(first_field(&r.json()), "reset_token");
    t.login("exp@example.com", PW).await;
}

#[tokio::test]
async fn requests_are_rate_limited_per_contact_whether_it_exists_or_not() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "lim@example.com", PW).await;
    for contact in ["lim@example.com", "nobody@example.com"] {
        for _ in 0..3 {
            request(&t, contact).await.assert_status_ok();
        }
        let r = request(&t, contact).await;
        r.assert_status(StatusCode::TOO_MANY_REQUESTS);
        assert_error(&r.json(), "rate_limited");
        assert!(r.maybe_header("retry-after").is_some());
    }
}
