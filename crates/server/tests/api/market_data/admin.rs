//! The admin API of market data: applications (key shown once, stored hashed, revocable),
//! feeds, accounts; validation naming fields; permissions; audit.

use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::market_data::applications;
use serde_json::json;

use crate::helpers::assert::fields;
use crate::helpers::http::{delete, get, post, put};
use crate::helpers::market_data::{account, application, assert_md_error, call, feed};
use crate::helpers::platform::audited;
use crate::helpers::{TestApp, assert_error};

#[tokio::test]
async fn applications_are_created_with_a_hashed_key_changed_and_revoked() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a =
        application(&t, &admin, json!({"name": "Desk app", "cancelMode": "END_OF_MONTH"})).await;
    assert!(a.key.starts_with("bmd_"), "{}", a.key);

    // Stored hashed: the row holds the SHA-256 of the key, never the key.
    let prefix = a.key.trim_start_matches("bmd_").split('_').next().unwrap().to_owned();
    let row = applications::find_by_prefix(t.app.db().conn(), &prefix).await.unwrap().unwrap();
    assert_ne!(row.key_hash, a.key);
    assert!(!row.key_hash.contains(&a.key[12..]));
    assert_eq!(row.key_hash.len(), 64);

    let (s, list) = get(&t, &admin, "/api/market-data-entitlements/applications").await;
    assert_eq!(s, 200);
    assert_eq!(list[0]["name"], "Desk app");
    assert_eq!(list[0]["cancelMode"], "END_OF_MONTH");
    assert_eq!(list[0]["credentialsEnabled"], true);
    assert!(list[0].get("apiKey").is_none() && !list.to_string().contains(&a.key));

    // The key works; a wrong secret with the right prefix does not.
    let id = account(&t, &a.key, "bob@example.com", json!({})).await;
    let forged = format!("{}x", &a.key[..a.key.len() - 1]);
    let r = call(&t, &forged, "GET", &format!("/api/v1/accounts/{id}"), None).await;
    assert_md_error(
        r,
        401,
        "AUTHENTICATION FAILED",
        "Authentication has failed due to wrong API key",
    );

    let (s, b) = put(
        &t,
        &admin,
        &format!("/api/market-data-entitlements/applications/{}", a.id),
        json!({"name": "Renamed", "cancelMode": "IMMEDIATE", "successRedirectUrl": "https://example.com/ok"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["successRedirectUrl"], "https://example.com/ok");

    let (s, _) =
        delete(&t, &admin, &format!("/api/market-data-entitlements/applications/{}", a.id)).await;
    assert_eq!(s, 204);
    let r = call(&t, &a.key, "GET", &format!("/api/v1/accounts/{id}"), None).await;
    assert_md_error(r, 401, "AUTHENTICATION FAILED", "Authentication has failed");
    let (s, _) =
        delete(&t, &admin, &format!("/api/market-data-entitlements/applications/{}", a.id)).await;
    assert_eq!(s, 404, "revoking twice");

    assert_eq!(audited(&t, "market_data.application.create").await, 1);
    assert_eq!(audited(&t, "market_data.application.update").await, 1);
    assert_eq!(audited(&t, "market_data.application.revoke").await, 1);
}

#[tokio::test]
async fn invalid_rules_and_feeds_are_refused_naming_the_fields() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (s, b) = post(
        &t,
        &admin,
        "/api/market-data-entitlements/applications",
        json!({"name": "", "cancelMode": "LATER", "allowedStatuses": "some", "successRedirectUrl": "ftp://x"}),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert_error(&b, "validation_failed");
    assert_eq!(fields(&b), ["name", "cancelMode", "allowedStatuses", "successRedirectUrl"]);

    let (s, b) = post(
        &t,
        &admin,
        "/api/market-data-entitlements/feeds",
        json!({"name": "bad name", "qdFilters": [], "defaultDays": 0}),
    )
    .await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(
        fields(&b),
        ["name", "qdFilters", "defaultDays", "agreementTitle", "agreementText", "agreementVersion"]
    );
    let (s, _) = get(&t, &admin, "/api/market-data-entitlements/feeds").await;
    assert_eq!(s, 200);
    assert_eq!(audited(&t, "market_data.feed.create").await, 0, "nothing changed");
}

#[tokio::test]
async fn feeds_are_created_listed_updated_and_deleted_until_used() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let f = feed(
        &t,
        &admin,
        "cmegroup",
        json!({"qdFilters": ["CMEGROUP", "CME"], "singleUse": true, "defaultDays": 30}),
    )
    .await;
    assert_eq!(f["name"], "CMEGROUP", "names are upper case");
    assert_eq!(f["qdFilters"], json!(["CMEGROUP", "CME"]));
    let id = f["id"].as_i64().unwrap();
    let (s, b) = post(
        &t,
        &admin,
        "/api/market-data-entitlements/feeds",
        json!({"name": "CMEgroup", "qdFilters": ["X"], "agreementTitle": "t", "agreementText": "t", "agreementVersion": "1"}),
    )
    .await;
    assert_eq!(s, 409, "{b}");

    let mut changed = f.clone();
    changed["agreementVersion"] = json!("v2");
    changed["needsConfirmation"] = json!(true);
    let (s, b) =
        put(&t, &admin, &format!("/api/market-data-entitlements/feeds/{id}"), changed).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["agreementVersion"], "v2");
    assert_eq!(b["needsConfirmation"], true);

    // A feed someone subscribed to stays.
    let a = application(&t, &admin, json!({})).await;
    let acc = account(&t, &a.key, "sub@example.com", json!({})).await;
    let (s, b) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{acc}/subscriptions"),
        Some(json!({"subscriptions": ["CMEGROUP"]})),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let link = b["signupPageByTheme"]["LIGHT"].as_str().unwrap().to_owned();
    let r = crate::helpers::market_data::complete_wizard(&t, &link, "no", "10.0.0.1").await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
    let (s, _) = delete(&t, &admin, &format!("/api/market-data-entitlements/feeds/{id}")).await;
    assert_eq!(s, 409);
    let other = feed(&t, &admin, "OTHER", json!({})).await;
    let (s, _) =
        delete(&t, &admin, &format!("/api/market-data-entitlements/feeds/{}", other["id"])).await;
    assert_eq!(s, 204);
    assert_eq!(audited(&t, "market_data.feed.delete").await, 1);

    // Staff see the account with its subscription, agreement and history.
    let (s, list) =
        get(&t, &admin, &format!("/api/market-data-entitlements/accounts?applicationId={}", a.id))
            .await;
    assert_eq!(s, 200, "{list}");
    assert_eq!(list.as_array().unwrap().len(), 1);
    let (s, d) = get(&t, &admin, &format!("/api/market-data-entitlements/accounts/{acc}")).await;
    assert_eq!(s, 200, "{d}");
    assert_eq!(d["account"]["subscriberStatus"], "NON_PROFESSIONAL");
    assert_eq!(d["subscriptions"][0]["status"], "ACTIVE");
    assert_eq!(d["agreements"][0]["version"], "v2");
    assert_eq!(d["agreements"][0]["ip"], "10.0.0.1");
    let kinds: Vec<&str> =
        d["history"].as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap()).collect();
    assert!(kinds.starts_with(&["account.created", "order.created"]), "{kinds:?}");
    assert!(
        kinds.contains(&"wizard.completed") && kinds.contains(&"subscription.activated"),
        "{kinds:?}"
    );
}

#[tokio::test]
async fn staff_roles_read_and_only_admins_manage() {
    let t = TestApp::spawn().await;
    let manager = t.token_for(Role::Manager).await;
    let agent = t.token_for(Role::ConversionAgent).await;
    let (s, _) = get(&t, &manager, "/api/market-data-entitlements/feeds").await;
    assert_eq!(s, 200);
    let (s, _) = post(&t, &manager, "/api/market-data-entitlements/feeds", json!({})).await;
    assert_eq!(s, 403);
    let (s, _) = get(&t, &agent, "/api/market-data-entitlements/applications").await;
    assert_eq!(s, 403);
}

#[tokio::test]
async fn the_verification_key_is_published() {
    let t = TestApp::spawn().await;
    let r = t.server.get("/.well-known/market-data-jwks.json").await;
    r.assert_status_ok();
    let k = &r.json::<serde_json::Value>()["keys"][0];
    assert_eq!(k["kty"], "OKP");
    assert_eq!(k["crv"], "Ed25519");
    assert_eq!(k["alg"], "EdDSA");
    assert_eq!(k["x"].as_str().unwrap().len(), 43);
}

#[tokio::test]
async fn the_demo_writes_retail_services_credentials_that_work() {
    let t = TestApp::spawn().await;
    let first =
        serde_json::to_value(brokercrm_app::demo::load(&t.app, "http://x").await.unwrap()).unwrap();
    let creds =
        serde_json::to_value(brokercrm_app::demo::load(&t.app, "http://x").await.unwrap()).unwrap();
    let rs = &creds["retail_services"];
    assert_eq!(rs["feeds"].as_array().unwrap().len(), 3);
    assert_eq!(rs["confirm_feeds"], json!(["DEMO_NASDAQ"]));
    assert_eq!(rs["single_use_feeds"], json!(["DEMO_TRIAL"]));
    let key = rs["api_key"].as_str().unwrap();
    let id = rs["active_account_id"].as_str().unwrap();
    let (s, b) =
        call(&t, key, "POST", "/api/v1/token", Some(json!({"accountId": id, "withDetails": true})))
            .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["status"], "OK", "{b}");
    assert_eq!(b["details"], json!(["CMEGROUP", "CME"]));
    // The confirm feed answers with a confirmation id (the wizard is done for its account).
    let (s, b) = call(
        &t,
        key,
        "POST",
        &format!("/api/v1/accounts/{id}/subscriptions"),
        Some(json!({"subscriptions": ["DEMO_NASDAQ"]})),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert!(b["confirmationId"].is_string(), "{b}");
    // The first run's key was revoked.
    let old = first["retail_services"]["api_key"].as_str().unwrap();
    let r = call(&t, old, "GET", &format!("/api/v1/accounts/{id}"), None).await;
    assert_md_error(r, 401, "AUTHENTICATION FAILED", "Authentication has failed");
}
