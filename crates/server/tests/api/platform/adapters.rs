//! Adapters: CRUD, per-type configuration validation, SSRF rejection, masking of secrets,
//! the trading filter, duplicates, permissions and audit.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::assert::fields;
use crate::helpers::http;
use crate::helpers::platform::latest_audits;
use crate::helpers::{TestApp, assert_error};

fn match_trade(base: &str) -> Value {
    json!({
        "name": "acme-broker", "enabled": true, "type": "match_trade",
        "configuration": {
            "baseUrl": base, "clientId": "client-1", "clientSecret": "client-secret-0001",
            "username": "svc", "password": "mt-password-0002",
            "offerUuid": "0191e9a4-7b3c-7d2e-9f10-123456789abc", "partnerId": 42
        }
    })
}

async fn post(t: &TestApp, token: &str, body: &Value) -> (u16, Value) {
    http::post(t, token, "/api/adapters", body.clone()).await
}

#[tokio::test]
async fn crud_with_masked_secrets_and_audit() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let (s, b) = post(&t, &admin, &match_trade("https://crm.acme.example")).await;
    assert_eq!((s, b.clone()), (200, json!({"success": true})), "{b}");

    let r = t.server.get("/api/adapters/acme-broker").authorization_bearer(&admin).await;
    r.assert_status_ok();
    let a: Value = r.json();
    assert_eq!(a["name"], "acme-broker");
    assert_eq!(a["type"], "match_trade");
    assert_eq!(a["isTrading"], false);
    assert_eq!(a["configuration"]["clientId"], "client-1");
    assert_eq!(a["configuration"]["partnerId"], 42);
    assert_eq!(a["configuration"]["clientSecret"], "clie****");
    assert_eq!(a["configuration"]["password"], "mt-p****");

    // update: echoing masked secrets keeps them, other fields change
    let mut cfg = a["configuration"].clone();
    cfg["username"] = json!("svc2");
    let r = t
        .server
        .put("/api/adapters/acme-broker")
        .authorization_bearer(&admin)
        .json(&json!({"enabled": false, "type": "match_trade", "configuration": cfg}))
        .await;
    r.assert_status_ok();
    let stored = brokercrm_store::repo::platform::adapters::get(t.app.db().conn(), "acme-broker")
        .await
        .unwrap()
        .unwrap();
    let stored_cfg: Value = serde_json::from_str(&stored.configuration).unwrap();
    assert_eq!(stored_cfg["clientSecret"], "client-secret-0001");
    assert_eq!(stored_cfg["username"], "svc2");
    assert!(!stored.enabled);

    // audit rows carry masked configurations only
    let (acts, kinds) = latest_audits(&t, &admin, 10).await;
    assert_eq!(kinds, ["adapter.update", "adapter.create"]);
    assert_eq!(acts["activities"][0]["before"]["enabled"], true);
    assert_eq!(acts["activities"][0]["after"]["enabled"], false);
    assert!(
        !acts.to_string().contains("client-secret-0001")
            && !acts.to_string().contains("mt-password-0002")
    );

    let r = t.server.delete("/api/adapters/acme-broker").authorization_bearer(&admin).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true}));
    t.server
        .get("/api/adapters/acme-broker")
        .authorization_bearer(&admin)
        .await
        .assert_status_not_found();
    t.server
        .delete("/api/adapters/acme-broker")
        .authorization_bearer(&admin)
        .await
        .assert_status_not_found();
    let r = t
        .server
        .put("/api/adapters/acme-broker")
        .authorization_bearer(&admin)
        .json(&json!({"enabled": true, "type": "internal_crm", "configuration": {}}))
        .await;
    r.assert_status_not_found();
    assert_error(&r.json(), "not_found");
}

#[tokio::test]
async fn list_filters_trading_adapters_and_duplicates_conflict() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let bodies = [
        json!({"name": "crm", "enabled": true, "type": "internal_crm", "configuration": {}}),
        json!({"name": "engine", "enabled": true, "type": "internal_trading", "configuration": {}}),
        json!({"name": "mt5-live", "enabled": true, "type": "mt5",
               "configuration": {"server": "mt5.broker.example:443", "login": 1001, "password": "mt5-manager-pass", "group": "real\\usd"}}),
        json!({"name": "hook", "enabled": false, "type": "http_json",
               "configuration": {"url": "https://hooks.example.com/leads", "method": "post",
                                 "headers": {"Authorization": "Bearer hook-token-123456", "X-Source": "crm"},
                                 "bodyTemplate": "{\"email\":\"{{email}}\"}"}}),
    ];
    for b in &bodies {
        let (s, r) = post(&t, &admin, b).await;
        assert_eq!(s, 200, "{b}: {r}");
    }
    let (s, r) = post(&t, &admin, &bodies[0]).await;
    assert_eq!(s, 409, "{r}");
    assert_error(&r, "conflict");

    let all: Value = t
        .server
        .get("/api/adapters?onlyTradingAdapters=false")
        .authorization_bearer(&admin)
        .await
        .json();
    let names: Vec<&str> =
        all.as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["crm", "engine", "hook", "mt5-live"]);
    let hook = all.as_array().unwrap().iter().find(|a| a["name"] == "hook").unwrap();
    assert_eq!(hook["configuration"]["method"], "POST");
    assert_eq!(hook["configuration"]["headers"]["X-Source"], "crm");
    assert!(!hook.to_string().contains("hook-token-123456"), "{hook}");
    let trading: Value = t
        .server
        .get("/api/adapters?onlyTradingAdapters=true")
        .authorization_bearer(&admin)
        .await
        .json();
    let names: Vec<&str> =
        trading.as_array().unwrap().iter().map(|a| a["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["engine", "mt5-live"]);
    assert!(!trading.to_string().contains("mt5-manager-pass"));
    let default: Value = t.server.get("/api/adapters").authorization_bearer(&admin).await.json();
    assert_eq!(default.as_array().unwrap().len(), 4);
    let r =
        t.server.get("/api/adapters?onlyTradingAdapters=maybe").authorization_bearer(&admin).await;
    assert_eq!(r.status_code().as_u16(), 422);
    assert_eq!(fields(&r.json()), ["onlyTradingAdapters"]);

    // switching type re-derives isTrading
    let r = t
        .server
        .put("/api/adapters/crm")
        .authorization_bearer(&admin)
        .json(&json!({"enabled": true, "type": "internal_trading", "configuration": {}}))
        .await;
    r.assert_status_ok();
    let crm: Value = t.server.get("/api/adapters/crm").authorization_bearer(&admin).await.json();
    assert_eq!(crm["isTrading"], true);
}

#[tokio::test]
async fn configuration_is_validated_per_type() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let cases = [
        (
            json!({"name": "x", "enabled": true, "type": "carrier_pigeon", "configuration": {}}),
            vec!["type"],
        ),
        (
            json!({"name": "bad name!", "enabled": true, "type": "internal_crm", "configuration": {}}),
            vec!["name"],
        ),
        (
            json!({"name": "x", "enabled": true, "type": "internal_crm", "configuration": []}),
            vec!["configuration"],
        ),
        (
            json!({"name": "x", "enabled": true, "type": "internal_crm", "configuration": {"extra": 1}}),
            vec!["configuration.extra"],
        ),
        (
            json!({"name": "x", "enabled": true, "type": "affiliate_v2", "configuration": {"baseUrl": "https://a.example.com"}}),
            vec!["configuration.token"],
        ),
        (
            json!({"name": "x", "enabled": true, "type": "affiliate_v2", "configuration": {"baseUrl": 5, "token": ""}}),
            vec!["configuration.baseUrl", "configuration.token"],
        ),
        (
            json!({"name": "x", "enabled": true, "type": "match_trade", "configuration": {
                "baseUrl": "https://a.example.com", "clientId": "c", "clientSecret": "s", "username": "u",
                "password": "p", "offerUuid": "not-a-uuid", "partnerId": -3}}),
            vec!["configuration.offerUuid", "configuration.partnerId"],
        ),
        (
            json!({"name": "x", "enabled": true, "type": "mt5", "configuration": {"server": "mt5.example.com", "login": "abc", "password": "p", "group": "g"}}),
            vec!["configuration.login"],
        ),
        (
            json!({"name": "x", "enabled": true, "type": "http_json", "configuration": {"url": "https://h.example.com", "method": "DELETE",
                   "headers": {"Bad Header": "x"}, "bodyTemplate": ""}}),
            vec![
                "configuration.bodyTemplate",
                "configuration.headers.Bad Header",
                "configuration.method",
            ],
        ),
    ];
    for (body, expected) in cases {
        let (s, r) = post(&t, &admin, &body).await;
        assert_eq!(s, 422, "{body}: {r}");
        assert_error(&r, "validation_failed");
        let mut named = fields(&r);
        named.sort();
        assert_eq!(named, expected, "{body}");
    }
    // a missing top-level field is a 400 naming it
    let r = t
        .server
        .post("/api/adapters")
        .authorization_bearer(&admin)
        .json(&json!({"name": "x", "type": "internal_crm", "configuration": {}}))
        .await;
    r.assert_status_bad_request();
    assert!(r.text().contains("enabled"));
    let all: Value = t.server.get("/api/adapters").authorization_bearer(&admin).await.json();
    assert_eq!(all, json!([]));
}

#[tokio::test]
async fn private_and_plain_http_targets_are_rejected_without_allow_private_outbound() {
    let t = TestApp::spawn_with(|c| c.allow_private_outbound = false).await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    for base in [
        "http://crm.acme.example",
        "https://127.0.0.1:8443",
        "https://localhost/api",
        "https://10.0.0.5",
        "https://169.254.169.254/latest",
        "https://[::1]/",
        "https://2130706433/",
        "https://db.internal/",
    ] {
        let (s, r) = post(&t, &admin, &match_trade(base)).await;
        assert_eq!(s, 422, "{base}: {r}");
        assert_eq!(fields(&r), ["configuration.baseUrl"], "{base}");
    }
    let mt5 = json!({"name": "m", "enabled": true, "type": "mt5",
                     "configuration": {"server": "192.168.1.20:443", "login": 1, "password": "p", "group": "g"}});
    let (s, r) = post(&t, &admin, &mt5).await;
    assert_eq!(s, 422);
    assert_eq!(fields(&r), ["configuration.server"]);
    // settings URLs are guarded too
    let r = t
        .server
        .put("/api/settings/voip/coperato")
        .authorization_bearer(&admin)
        .json(&json!({"url": "https://192.168.0.1/pbx"}))
        .await;
    assert_eq!(r.status_code().as_u16(), 422);
    // a public https target is fine
    let (s, r) = post(&t, &admin, &match_trade("https://crm.acme.example")).await;
    assert_eq!(s, 200, "{r}");

    // with allow_private_outbound (the default TestApp) plain http to loopback is accepted
    let t2 = TestApp::spawn().await;
    let (admin2, _) = t2.mint_token(Role::Admin).await;
    let (s, r) = post(&t2, &admin2, &match_trade("http://127.0.0.1:9000")).await;
    assert_eq!(s, 200, "{r}");
}

#[tokio::test]
async fn adapters_need_their_permissions() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let body = json!({"name": "crm", "enabled": true, "type": "internal_crm", "configuration": {}});
    assert_eq!(post(&t, &admin, &body).await.0, 200);
    let (risk, _) = t.mint_token(Role::Risk).await; // ReadAdapters only
    t.server.get("/api/adapters").authorization_bearer(&risk).await.assert_status_ok();
    t.server.get("/api/adapters/crm").authorization_bearer(&risk).await.assert_status_ok();
    let mut other = body.clone();
    other["name"] = json!("crm2");
    assert_eq!(post(&t, &risk, &other).await.0, 403);
    t.server
        .delete("/api/adapters/crm")
        .authorization_bearer(&risk)
        .await
        .assert_status_forbidden();
    let (agent, _) = t.mint_token(Role::RetentionAgent).await;
    t.server.get("/api/adapters").authorization_bearer(&agent).await.assert_status_forbidden();
    t.server.get("/api/adapters").await.assert_status_unauthorized();
    assert_eq!(
        t.server
            .get("/api/adapters")
            .authorization_bearer(&admin)
            .await
            .json::<Value>()
            .as_array()
            .unwrap()
            .len(),
        1
    );
}
