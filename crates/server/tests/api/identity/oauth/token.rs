//! OAuth token and logout endpoints: code single use, expiry, PKCE, client auth, RFC errors.

use axum::http::StatusCode;
use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use super::{CB, VERIFIER, assert_oauth_error, exchange, get_code, refresh, register_client};
use crate::helpers::TestApp;

#[tokio::test]
async fn wrong_verifier_reused_and_expired_codes_are_invalid_grant() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let (id, secret) = register_client(&t, &admin).await;

    let code = get_code(&t, &id).await;
    let wrong = "x".repeat(43);
    assert_oauth_error(
        &exchange(&t, &id, &secret, &code, &wrong).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    assert_oauth_error(
        &exchange(&t, &id, &secret, &code, "short").await,
        StatusCode::BAD_REQUEST,
        "invalid_request",
    );

    // Single use: the second exchange fails and revokes the tokens of the first.
    let r = exchange(&t, &id, &secret, &code, VERIFIER).await;
    r.assert_status_ok();
    let rt = r.json::<Value>()["refresh_token"].as_str().unwrap().to_owned();
    assert_oauth_error(
        &exchange(&t, &id, &secret, &code, VERIFIER).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    assert_oauth_error(
        &refresh(&t, &id, &secret, &rt).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );

    // Expired.
    let code = get_code(&t, &id).await;
    {
        use brokercrm_store::entities::oauth_codes;
        use sea_orm::{EntityTrait, sea_query::Expr};
        let past = brokercrm_store::db::now() - chrono::Duration::seconds(1);
        oauth_codes::Entity::update_many()
            .col_expr(oauth_codes::Column::ExpiresAt, Expr::value(past))
            .exec(t.app.db().conn())
            .await
            .unwrap();
    }
    assert_oauth_error(
        &exchange(&t, &id, &secret, &code, VERIFIER).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    // Unknown code.
    assert_oauth_error(
        &exchange(&t, &id, &secret, "nope", VERIFIER).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
}

#[tokio::test]
async fn token_endpoint_client_and_request_errors() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let (id, secret) = register_client(&t, &admin).await;
    let code = get_code(&t, &id).await;

    let r = exchange(&t, &id, "wrong-secret", &code, VERIFIER).await;
    assert_oauth_error(&r, StatusCode::UNAUTHORIZED, "invalid_client");
    assert!(r.maybe_header("www-authenticate").is_some());
    assert_oauth_error(
        &exchange(&t, "no-such-client", &secret, &code, VERIFIER).await,
        StatusCode::UNAUTHORIZED,
        "invalid_client",
    );

    let r = t
        .server
        .post("/oauth/token")
        .form(&[("grant_type", "password"), ("client_id", &id), ("client_secret", &secret)])
        .await;
    assert_oauth_error(&r, StatusCode::BAD_REQUEST, "unsupported_grant_type");
    let r =
        t.server.post("/oauth/token").form(&[("client_id", &id), ("client_secret", &secret)]).await;
    assert_oauth_error(&r, StatusCode::BAD_REQUEST, "invalid_request");
    let r = t
        .server
        .post("/oauth/token")
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", &id),
            ("client_secret", &secret),
            ("code", &code),
            ("redirect_uri", CB),
        ])
        .await;
    assert_oauth_error(&r, StatusCode::BAD_REQUEST, "invalid_request");
    assert!(r.json::<Value>()["error_description"].as_str().unwrap().contains("code_verifier"));

    let r = t.server.post("/oauth/token").json(&json!({"grant_type": "refresh_token"})).await;
    assert_oauth_error(&r, StatusCode::UNSUPPORTED_MEDIA_TYPE, "invalid_request");
    // The code survived all of that.
    exchange(&t, &id, &secret, &code, VERIFIER).await.assert_status_ok();
}

#[tokio::test]
async fn logout_redirects_only_to_registered_uris() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let (id, secret) = register_client(&t, &admin).await;
    let code = get_code(&t, &id).await;
    let rt = exchange(&t, &id, &secret, &code, VERIFIER).await.json::<Value>()["refresh_token"]
        .as_str()
        .unwrap()
        .to_owned();

    let r = t
        .server
        .post("/oauth/logout")
        .json(&json!({"refreshToken": rt, "redirectUri": "https://evil.example.com/"}))
        .await;
    assert_oauth_error(&r, StatusCode::BAD_REQUEST, "invalid_request");
    assert!(r.json::<Value>()["error_description"].as_str().unwrap().starts_with("redirectUri"));
    let r = t
        .server
        .post("/oauth/logout")
        .json(&json!({"refreshToken": "unknown", "redirectUri": CB}))
        .await;
    r.assert_status_bad_request();
    let r = t.server.post("/oauth/logout").json(&json!({"redirectUri": CB})).await;
    assert_oauth_error(&r, StatusCode::BAD_REQUEST, "invalid_request");

    // Refused requests changed nothing: the token still rotates.
    let r = refresh(&t, &id, &secret, &rt).await;
    r.assert_status_ok();
    let rt2 = r.json::<Value>()["refresh_token"].as_str().unwrap().to_owned();

    let r =
        t.server.post("/oauth/logout").json(&json!({"refreshToken": rt2, "redirectUri": CB})).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"redirectUri": CB}));
    assert_oauth_error(
        &refresh(&t, &id, &secret, &rt2).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
}

#[tokio::test]
async fn concurrent_exchanges_of_one_code_succeed_once() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let (id, secret) = register_client(&t, &admin).await;
    let code = get_code(&t, &id).await;
    let (a, b, c) = tokio::join!(
        exchange(&t, &id, &secret, &code, VERIFIER),
        exchange(&t, &id, &secret, &code, VERIFIER),
        exchange(&t, &id, &secret, &code, VERIFIER)
    );
    let ok = [&a, &b, &c].iter().filter(|r| r.status_code() == StatusCode::OK).count();
    assert_eq!(ok, 1);
    for r in [&a, &b, &c].into_iter().filter(|r| r.status_code() != StatusCode::OK) {
        assert_oauth_error(r, StatusCode::BAD_REQUEST, "invalid_grant");
    }
}
