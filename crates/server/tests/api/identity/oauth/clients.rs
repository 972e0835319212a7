//! Admin management of OAuth clients: CRUD, permissions, validation, audit.

use axum::http::StatusCode;
use brokercrm_app::identity::oauth::s256_challenge;
use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use super::{CB, VERIFIER, assert_oauth_error, authorize, register_client};
use crate::helpers::{TestApp, assert_error};

#[tokio::test]
async fn oauth_clients_admin_crud() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let manager = t.user(Role::Manager).create().await.token;

    let r = t
        .server
        .post("/api/oauth-clients")
        .authorization_bearer(&manager)
        .json(&json!({"name": "x", "redirectUris": [CB]}))
        .await;
    r.assert_status_forbidden();
    assert_error(&r.json(), "forbidden");
    t.server
        .get("/api/oauth-clients")
        .authorization_bearer(&manager)
        .await
        .assert_status_forbidden();
    t.server.get("/api/oauth-clients").await.assert_status_unauthorized();

    let r = t
        .server
        .post("/api/oauth-clients")
        .authorization_bearer(&admin)
        .json(&json!({"name": " ", "redirectUris": [CB, "http://example.com/cb", CB]}))
        .await;
    r.assert_status_unprocessable_entity();
    let b: Value = r.json();
    assert_error(&b, "validation_failed");
    let fields: Vec<&str> = b["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["field"].as_str().unwrap())
        .collect();
    assert_eq!(fields, ["name", "redirectUris[1]", "redirectUris[2]"]);

    let (id, secret) = register_client(&t, &admin).await;
    assert_eq!(secret.len(), 43);
    let r = t.server.get("/api/oauth-clients").authorization_bearer(&admin).await;
    r.assert_status_ok();
    let list: Value = r.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["clientId"], id.as_str());
    assert_eq!(list[0]["redirectUris"], json!([CB, "http://localhost:3000/cb"]));
    assert!(!list.to_string().contains(&secret));
    assert!(list[0].get("clientSecret").is_none());

    t.server
        .delete(&format!("/api/oauth-clients/{id}"))
        .authorization_bearer(&manager)
        .await
        .assert_status_forbidden();
    t.server
        .delete(&format!("/api/oauth-clients/{id}"))
        .authorization_bearer(&admin)
        .await
        .assert_status_no_content();
    t.server
        .delete(&format!("/api/oauth-clients/{id}"))
        .authorization_bearer(&admin)
        .await
        .assert_status_not_found();
    let list: Value = t.server.get("/api/oauth-clients").authorization_bearer(&admin).await.json();
    assert!(list[0]["revokedAt"].is_string());
    // A revoked client can neither authorize nor authenticate.
    let user = t.user(Role::Customer).create().await.token;
    let ch = s256_challenge(VERIFIER);
    let r = authorize(
        &t,
        Some(&user),
        &[
            ("client_id", &id),
            ("redirect_uri", CB),
            ("response_type", "code"),
            ("code_challenge", &ch),
            ("code_challenge_method", "S256"),
        ],
    )
    .await;
    r.assert_status_bad_request();
    let r = t
        .server
        .post("/oauth/token")
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", &id),
            ("client_secret", &secret),
            ("refresh_token", "x"),
        ])
        .await;
    assert_oauth_error(&r, StatusCode::UNAUTHORIZED, "invalid_client");

    use brokercrm_store::repo::platform::activities::{self, ActivityFilter};
    let f = ActivityFilter { entity_id: Some(id.clone()), ..Default::default() };
    let (rows, _) = activities::list(t.app.db().conn(), &f, 10, 0).await.unwrap();
    let kinds: Vec<&str> = rows.iter().map(|a| a.r#type.as_str()).collect();
    assert_eq!(kinds, ["oauth_client.revoke", "oauth_client.create"]);
}
