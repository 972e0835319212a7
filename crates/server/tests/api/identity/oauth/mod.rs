//! OAuth2: authorization-code flow with PKCE, token endpoint errors (RFC 6749 §5.2), refresh
//! rotation bound to the client, logout redirect, and admin management of clients.

use std::collections::HashMap;

use axum::http::StatusCode;
use brokercrm_app::identity::oauth::s256_challenge;
use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::base64;

mod authorize;
mod clients;
mod token;

pub const CB: &str = "https://cashier.example.com/callback";
pub const VERIFIER: &str = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk-and-some-more";

/// Registers a client through the admin API; returns (client_id, secret).
pub async fn register_client(t: &TestApp, admin: &str) -> (String, String) {
    let r = t
        .server
        .post("/api/oauth-clients")
        .authorization_bearer(admin)
        .json(&json!({"name": "Cashier", "redirectUris": [CB, "http://localhost:3000/cb"]}))
        .await;
    r.assert_status(StatusCode::CREATED);
    let b: Value = r.json();
    (b["clientId"].as_str().unwrap().to_owned(), b["clientSecret"].as_str().unwrap().to_owned())
}

/// The query parameters of a redirect's `Location`.
pub fn location_params(r: &axum_test::TestResponse) -> (String, HashMap<String, String>) {
    let loc = r.header("location").to_str().unwrap().to_owned();
    let (base, query) = loc.split_once('?').unwrap_or((&loc, ""));
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        let mut out = Vec::new();
        let b = s.as_bytes();
        let mut i = 0;
        while i < b.len() {
            if b[i] == b'%' && i + 2 < b.len() {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).unwrap());
                i += 3;
            } else {
                out.push(b[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    };
    let params = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect();
    (base.to_owned(), params)
}

pub async fn authorize(
    t: &TestApp,
    user: Option<&str>,
    params: &[(&str, &str)],
) -> axum_test::TestResponse {
    let mut req = t.server.get("/oauth/authorize");
    for (k, v) in params {
        req = req.add_query_param(k, v);
    }
    if let Some(tok) = user {
        req = req.authorization_bearer(tok);
    }
    req.await
}

/// Runs a successful authorization for a fresh customer; returns the code.
pub async fn get_code(t: &TestApp, client_id: &str) -> String {
    let user = t.user(Role::Customer).create().await.token;
    let challenge = s256_challenge(VERIFIER);
    let r = authorize(
        t,
        Some(&user),
        &[
            ("client_id", client_id),
            ("redirect_uri", CB),
            ("response_type", "code"),
            ("scope", "cashier"),
            ("state", "xyz 1"),
            ("code_challenge", &challenge),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    r.assert_status(StatusCode::FOUND);
    let (base, p) = location_params(&r);
    assert_eq!(base, CB);
    assert_eq!(p["state"], "xyz 1");
    p["code"].clone()
}

pub async fn exchange(
    t: &TestApp,
    id: &str,
    secret: &str,
    code: &str,
    verifier: &str,
) -> axum_test::TestResponse {
    t.server
        .post("/oauth/token")
        .form(&[
            ("grant_type", "authorization_code"),
            ("client_id", id),
            ("client_secret", secret),
            ("code", code),
            ("redirect_uri", CB),
            ("code_verifier", verifier),
        ])
        .await
}

pub async fn refresh(t: &TestApp, id: &str, secret: &str, token: &str) -> axum_test::TestResponse {
    t.server
        .post("/oauth/token")
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", id),
            ("client_secret", secret),
            ("refresh_token", token),
        ])
        .await
}

pub fn assert_oauth_error(r: &axum_test::TestResponse, status: StatusCode, code: &str) {
    r.assert_status(status);
    let b: Value = r.json();
    assert_eq!(b["error"], code, "body: {b}");
    assert!(b["error_description"].is_string(), "body: {b}");
}

#[tokio::test]
async fn full_code_flow_with_pkce_and_refresh_rotation() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let (id, secret) = register_client(&t, &admin).await;
    let code = get_code(&t, &id).await;

    let r = exchange(&t, &id, &secret, &code, VERIFIER).await;
    r.assert_status_ok();
    r.assert_header("cache-control", "no-store");
    let b: Value = r.json();
    assert_eq!(b["token_type"], "Bearer");
    assert!(b["expires_in"].as_u64().unwrap() > 0);
    let access = b["access_token"].as_str().unwrap();
    let refresh1 = b["refresh_token"].as_str().unwrap().to_owned();
    let p = brokercrm_app::identity::auth::authenticate(&t.app, access).await.unwrap();
    assert_eq!(p.role, Role::Customer);
    // The access token works on an authenticated endpoint (a customer is not allowed there).
    t.server.get("/api/oauth-clients").authorization_bearer(access).await.assert_status_forbidden();

    let r = refresh(&t, &id, &secret, &refresh1).await;
    r.assert_status_ok();
    let refresh2 = r.json::<Value>()["refresh_token"].as_str().unwrap().to_owned();
    assert_ne!(refresh1, refresh2);
    assert_oauth_error(
        &refresh(&t, &id, &secret, &refresh1).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
    // Reuse of the spent token revoked the whole family.
    assert_oauth_error(
        &refresh(&t, &id, &secret, &refresh2).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
}

#[tokio::test]
async fn basic_auth_works_and_refresh_is_bound_to_its_client() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let (id, secret) = register_client(&t, &admin).await;
    let (other_id, other_secret) = register_client(&t, &admin).await;
    let code = get_code(&t, &id).await;
    let basic = format!("Basic {}", base64(&format!("{id}:{secret}")));
    let r = t
        .server
        .post("/oauth/token")
        .add_header("authorization", basic.as_str())
        .form(&[
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("redirect_uri", CB),
            ("code_verifier", VERIFIER),
        ])
        .await;
    r.assert_status_ok();
    let rt = r.json::<Value>()["refresh_token"].as_str().unwrap().to_owned();
    assert_oauth_error(
        &refresh(&t, &other_id, &other_secret, &rt).await,
        StatusCode::BAD_REQUEST,
        "invalid_grant",
    );
}
