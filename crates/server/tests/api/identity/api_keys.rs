//! API keys: admin-only create (secret shown once), list (prefix only), revoke; the key
//! authenticates until revoked; every write is audited.

use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::platform::activities::{self, ActivityFilter};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

#[tokio::test]
async fn create_list_revoke_and_authenticate() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let owner = t.user(Role::Affiliate).create().await.uuid;

    let r = t
        .server
        .post("/api/api-keys")
        .authorization_bearer(&admin)
        .json(&json!({"name": "Partner feed", "role": "affiliate", "ownerId": owner}))
        .await;
    r.assert_status(axum::http::StatusCode::CREATED);
    let created: Value = r.json();
    let id = created["id"].as_str().unwrap().to_owned();
    let key = created["key"].as_str().unwrap().to_owned();
    assert!(key.starts_with("bck_"));
    assert_eq!(created["role"], "affiliate");
    assert_eq!(created["ownerId"], owner.as_str());
    assert!(created["createdAt"].is_string());

    let p = brokercrm_app::identity::auth::authenticate(&t.app, &key).await.unwrap();
    assert_eq!(p.role, Role::Affiliate);
    assert_eq!(p.user_uuid, owner);
    // A valid non-admin key is authenticated but not allowed here.
    let r = t.server.get("/api/oauth-clients").authorization_bearer(&key).await;
    r.assert_status_forbidden();

    let r = t.server.get("/api/api-keys").authorization_bearer(&admin).await;
    r.assert_status_ok();
    let list: Value = r.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
    assert_eq!(list[0]["id"], id.as_str());
    assert_eq!(list[0]["ownerId"], owner.as_str());
    assert!(key.starts_with(list[0]["prefix"].as_str().unwrap()));
    assert!(list[0]["lastUsedAt"].is_string());
    // Everything after the listed prefix is secret (base64url may itself contain '_', so
    // splitting on '_' could leave a fragment short enough to appear by chance).
    let secret_part = &key[list[0]["prefix"].as_str().unwrap().len()..];
    assert!(secret_part.len() >= 16, "{key}");
    assert!(!list.to_string().contains(secret_part));
    assert!(list[0].get("key").is_none());

    t.server
        .delete(&format!("/api/api-keys/{id}"))
        .authorization_bearer(&admin)
        .await
        .assert_status_no_content();
    t.server
        .delete(&format!("/api/api-keys/{id}"))
        .authorization_bearer(&admin)
        .await
        .assert_status_not_found();
    let r = t.server.get("/api/oauth-clients").authorization_bearer(&key).await;
    r.assert_status_unauthorized();
    assert_error(&r.json(), "unauthorized");
    assert!(brokercrm_app::identity::auth::authenticate(&t.app, &key).await.is_err());
    let list: Value = t.server.get("/api/api-keys").authorization_bearer(&admin).await.json();
    assert!(list[0]["revokedAt"].is_string());

    let f = ActivityFilter { entity_id: Some(id), ..Default::default() };
    let (rows, _) = activities::list(t.app.db().conn(), &f, 10, 0).await.unwrap();
    let kinds: Vec<&str> = rows.iter().map(|a| a.r#type.as_str()).collect();
    assert_eq!(kinds, ["api_key.revoke", "api_key.create"]);
    assert!(rows.iter().all(|a| a.actor_id.is_some()));
}

#[tokio::test]
async fn staff_key_without_owner_and_validation_errors() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let r = t
        .server
        .post("/api/api-keys")
        .authorization_bearer(&admin)
        .json(&json!({"name": "Risk bot", "role": "risk"}))
        .await;
    r.assert_status(axum::http::StatusCode::CREATED);
    assert!(r.json::<Value>()["ownerId"].is_null());

    let owner = t.user(Role::Customer).create().await.uuid;
    let cases = [
        (json!({"name": "x", "role": "admin"}), "role"),
        (json!({"name": "x", "role": "wizard"}), "role"),
        (json!({"name": "x", "role": "affiliate"}), "ownerId"),
        (json!({"name": "x", "role": "affiliate", "ownerId": owner}), "role"),
        (
            json!({"name": "x", "role": "customer", "ownerId": uuid::Uuid::new_v4().to_string()}),
            "ownerId",
        ),
        (json!({"name": "", "role": "risk"}), "name"),
    ];
    for (body, field) in cases {
        let r = t.server.post("/api/api-keys").authorization_bearer(&admin).json(&body).await;
        r.assert_status_unprocessable_entity();
        let b: Value = r.json();
        assert_error(&b, "validation_failed");
        assert_eq!(b["error"]["details"]["fields"][0]["field"], field, "{body}");
    }
    let r = t
        .server
        .post("/api/api-keys")
        .authorization_bearer(&admin)
        .json(&json!({"role": "risk"}))
        .await;
    r.assert_status_bad_request();
    let list: Value = t.server.get("/api/api-keys").authorization_bearer(&admin).await.json();
    assert_eq!(list.as_array().unwrap().len(), 1);
}

#[tokio::test]
async fn non_admins_cannot_manage_keys() {
    let t = TestApp::spawn().await;
    let manager = t.user(Role::Manager).create().await.token;
    let r = t
        .server
        .post("/api/api-keys")
        .authorization_bearer(&manager)
        .json(&json!({"name": "x", "role": "wizard"}))
        .await;
    r.assert_status_forbidden();
    assert_error(&r.json(), "forbidden");
    t.server.get("/api/api-keys").authorization_bearer(&manager).await.assert_status_forbidden();
    t.server
        .delete("/api/api-keys/whatever")
        .authorization_bearer(&manager)
        .await
        .assert_status_forbidden();
    t.server.get("/api/api-keys").await.assert_status_unauthorized();
}

#[tokio::test]
async fn list_offsets_beyond_i64_are_rejected_naming_the_field() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    for path in ["/api/api-keys", "/api/oauth-clients"] {
        let r = t
            .server
            .get(&format!("{path}?offset=9223372036854775808"))
            .authorization_bearer(&admin)
            .expect_failure()
            .await;
        assert_eq!(r.status_code(), 422, "{path}");
        let body = r.json::<serde_json::Value>();
        assert_eq!(body["error"]["details"]["fields"][0]["field"], "offset", "{body}");
        let ok =
            t.server.get(&format!("{path}?offset=0&limit=1")).authorization_bearer(&admin).await;
        ok.assert_status_ok();
    }
}
