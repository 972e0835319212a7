//! Lead distribution administration (our tag "Lead Distribution"): CRUD of goal types,
//! advertisers, offers and rotations, caps, country blocks, dedup rules and affiliate tokens;
//! validation naming the field; secrets masked or shown once; every write audited; leads
//! readable with their trace and without their password.

use axum::http::Method;
use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::platform::activities::{self, ActivityFilter};
use brokercrm_store::repo::{distribution as repo, identity::users};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::helpers::{TestApp, assert_error};

/// A caller of `/api/lead-distribution` with one token; answers are (status, JSON or null).
struct Api<'a> {
    t: &'a TestApp,
    tok: String,
}

impl Api<'_> {
    async fn send(&self, m: Method, path: &str, body: Option<Value>) -> (u16, Value) {
        let url = format!("/api/lead-distribution{path}");
        let mut req = self.t.server.method(m, &url).authorization_bearer(&self.tok);
        if let Some(b) = body {
            req = req.json(&b);
        }
        let r = req.await;
        (r.status_code().as_u16(), serde_json::from_str(&r.text()).unwrap_or(Value::Null))
    }
    async fn get(&self, path: &str) -> (u16, Value) {
        self.send(Method::GET, path, None).await
    }
    async fn post(&self, path: &str, b: Value) -> (u16, Value) {
        self.send(Method::POST, path, Some(b)).await
    }
    async fn patch(&self, path: &str, b: Value) -> (u16, Value) {
        self.send(Method::PATCH, path, Some(b)).await
    }
    async fn delete(&self, path: &str) -> u16 {
        self.send(Method::DELETE, path, None).await.0
    }
    /// POSTs `b`, asserts 201 and returns the body.
    async fn create(&self, path: &str, b: Value) -> Value {
        let (status, body) = self.post(path, b).await;
        assert_eq!(status, 201, "{body}");
        body
    }
}

async fn api(t: &TestApp, role: Role) -> (Api<'_>, String) {
    let (tok, email) = t.mint_token(role).await;
    let user = users::find_by_email(t.app.db().conn(), &email).await.unwrap().unwrap();
    (Api { t, tok }, user.uuid)
}

fn id(v: &Value) -> String {
    v["uuid"].as_str().unwrap().to_owned()
}

/// `v` without the given keys (generated ids and times), to compare whole bodies.
fn without(v: &Value, keys: &[&str]) -> Value {
    let mut v = v.clone();
    for k in keys {
        v.as_object_mut().unwrap().remove(*k);
    }
    v
}

/// Asserts a 422 naming each of `fields`.
fn assert_fields(res: &(u16, Value), fields: &[&str]) {
    assert_eq!(res.0, 422, "{}", res.1);
    assert_error(&res.1, "validation_failed");
    let named: Vec<&str> = res.1["error"]["details"]["fields"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["field"].as_str())
        .collect();
    for f in fields {
        assert!(named.contains(f), "{f} not in {named:?}");
    }
}

/// The audit kinds recorded for `entity`, oldest first; all with an actor.
async fn audit_kinds(t: &TestApp, entity: &str) -> Vec<String> {
    let f = ActivityFilter { entity: Some(entity.into()), ..Default::default() };
    let (rows, _) = activities::list(t.app.db().conn(), &f, 100, 0).await.unwrap();
    assert!(rows.iter().all(|a| a.actor_id.is_some()));
    rows.into_iter().rev().map(|a| a.r#type).collect()
}

fn lead_provider(secret: &str) -> Value {
    json!({"name": "Acme", "kind": "lead_provider", "timeoutMs": 20000,
        "config": {"baseUrl": "https://acme.example", "clientId": "cid", "clientSecret": secret,
            "username": "u", "password": "pw-12345678", "partnerId": 7,
            "offerUuid": "0190a5e4-1c2d-7e3f-8a9b-0c1d2e3f4a5b"},
        "trafficFilter": {"countries": ["de"], "timezone": "Europe/Berlin"}})
}

async fn crm_advertiser(a: &Api<'_>, name: &str) -> String {
    id(&a.create("/advertisers", json!({"name": name, "kind": "internal_crm"})).await)
}

#[tokio::test]
async fn auth_and_permissions() {
    let t = TestApp::spawn().await;
    let r = t.server.get("/api/lead-distribution/advertisers").await;
    r.assert_status_unauthorized();
    assert_error(&r.json(), "unauthorized");
    let (customer, _) = api(&t, Role::Customer).await;
    let (aff, _) = api(&t, Role::Affiliate).await;
    for a in [&customer, &aff] {
        for path in ["/advertisers", "/offers", "/caps", "/leads", "/affiliate-tokens"] {
            let r = a.get(path).await;
            assert_eq!(r.0, 403, "{path}");
            assert_error(&r.1, "forbidden");
        }
        assert_eq!(a.post("/goal-types", json!({"name": "X"})).await.0, 403);
    }
    let (manager, _) = api(&t, Role::Manager).await;
    assert_eq!(manager.get("/dedup-rules").await.0, 200);
    assert_eq!(manager.post("/dedup-rules", json!({"field": "email"})).await.0, 403);
}

#[tokio::test]
async fn goal_types_crud_and_system_types() {
    let t = TestApp::spawn().await;
    let (admin, _) = api(&t, Role::Admin).await;
    let conn = t.app.db().conn();
    let ids = brokercrm_app::distribution::ensure_system(conn).await.unwrap();
    let (a, b) = tokio::join!(
        brokercrm_app::distribution::ensure_system(conn),
        brokercrm_app::distribution::ensure_system(conn)
    );
    assert_eq!((a.unwrap(), b.unwrap()), (ids, ids));

    let g = admin.create("/goal-types", json!({"name": " Second deposit "})).await;
    assert_eq!(
        without(&g, &["uuid", "createdAt"]),
        json!({"name": "Second deposit", "system": false})
    );
    let dup = admin.post("/goal-types", json!({"name": "Second deposit"})).await;
    assert_eq!(dup.0, 409);
    assert_error(&dup.1, "conflict");
    assert_fields(&admin.post("/goal-types", json!({"name": ""})).await, &["name"]);

    let list = admin.get("/goal-types").await.1;
    let names: Vec<&str> =
        list.as_array().unwrap().iter().map(|g| g["name"].as_str().unwrap()).collect();
    assert_eq!(names, ["Lead", "FTD", "Second deposit"]);
    assert_eq!(list[1]["system"], true);
    let (ftd, g) = (format!("/goal-types/{}", id(&list[1])), format!("/goal-types/{}", id(&g)));

    let r = admin.patch(&g, json!({"name": "Redeposit"})).await;
    assert_eq!((r.0, r.1["name"].as_str()), (200, Some("Redeposit")));
    assert_eq!(admin.patch(&g, json!({"name": "FTD"})).await.0, 409);
    assert_fields(&admin.patch(&ftd, json!({"name": "First"})).await, &["name"]);
    assert_eq!(admin.delete(&ftd).await, 409);
    assert_eq!(admin.delete(&g).await, 204);
    assert_eq!(admin.delete(&g).await, 404);
    let kinds = ["goal_type.create", "goal_type.update", "goal_type.delete"];
    assert_eq!(audit_kinds(&t, "goal_type").await, kinds);
}

#[tokio::test]
async fn advertisers_crud_masks_secrets_and_rotates_postback_secret() {
    let t = TestApp::spawn().await;
    let (admin, _) = api(&t, Role::Admin).await;
    let secret = "client-secret-0123456789";
    let created = admin.create("/advertisers", lead_provider(secret)).await;
    let path = format!("/advertisers/{}", id(&created));
    let got = admin.get(&path).await;
    assert_eq!((got.0, &got.1), (200, &created));
    let masked = got.1["config"]["clientSecret"].as_str().unwrap().to_owned();
    assert!(masked.ends_with("****") && !masked.contains("0123456789"));
    assert_eq!(
        without(&got.1, &["uuid", "createdAt", "updatedAt", "config"]),
        json!({"name": "Acme", "kind": "lead_provider", "active": true, "timeoutMs": 20000,
            "requireAutoLogin": false, "requireExternalId": false, "hasPostbackSecret": false,
            "trafficFilter": {"countries": ["DE"], "excludedCountries": [], "weekdays": [], "hourFrom": null,
                "hourTo": null, "timezone": "Europe/Berlin"}})
    );
    let shown = got.1.to_string();
    assert!(!shown.contains(secret) && !shown.contains("pw-12345678"), "{shown}");
    assert_eq!(
        (got.1["config"]["clientId"].as_str(), got.1["config"]["partnerId"].as_i64()),
        (Some("cid"), Some(7))
    );

    // Echoing the masked config back keeps the stored secrets; omitted fields stay.
    let mut cfg = got.1["config"].clone();
    cfg["clientId"] = json!("cid-2");
    let body =
        json!({"config": cfg, "name": "Acme 2", "trafficFilter": null, "requireExternalId": true});
    let r = admin.patch(&path, body).await;
    assert_eq!(
        (r.0, r.1["name"].as_str(), r.1["timeoutMs"].as_i64()),
        (200, Some("Acme 2"), Some(20000))
    );
    assert!(r.1["trafficFilter"].is_null() && r.1["requireExternalId"] == true);
    let row =
        repo::advertisers::find_by_uuid(t.app.db().conn(), &id(&created)).await.unwrap().unwrap();
    let stored: Value = serde_json::from_str(&row.config).unwrap();
    assert_eq!(
        (stored["clientSecret"].as_str(), stored["clientId"].as_str()),
        (Some(secret), Some("cid-2"))
    );
    assert_eq!(stored["password"], "pw-12345678");

    let r = admin.send(Method::POST, &format!("{path}/postback-secret"), None).await;
    assert_eq!(r.0, 200, "{}", r.1);
    let pb = r.1["secret"].as_str().unwrap().to_owned();
    let url = r.1["postbackUrl"].as_str().unwrap();
    assert!(
        pb.len() >= 32
            && url.ends_with(&format!("/api/lead-distribution/postbacks/{}", id(&created)))
    );
    let row =
        repo::advertisers::find_by_uuid(t.app.db().conn(), &id(&created)).await.unwrap().unwrap();
    assert_eq!(row.postback_secret_hash, Some(brokercrm_app::identity::security::token_hash(&pb)));
    let list = admin.get("/advertisers").await.1;
    assert_eq!(list[0]["hasPostbackSecret"], true);
    assert!(!list.to_string().contains(&pb) && !list.to_string().contains(secret));

    assert_eq!(admin.delete(&path).await, 204);
    assert_eq!(admin.get(&path).await.0, 404);
    let kinds = [
        "advertiser.create",
        "advertiser.update",
        "advertiser.postback_secret",
        "advertiser.delete",
    ];
    assert_eq!(audit_kinds(&t, "advertiser").await, kinds);
    let f = ActivityFilter { entity: Some("advertiser".into()), ..Default::default() };
    let all = format!("{:?}", activities::list(t.app.db().conn(), &f, 100, 0).await.unwrap());
    assert!(!all.contains(secret) && !all.contains(&pb) && !all.contains("pw-12345678"));
}

#[tokio::test]
async fn advertiser_validation_names_fields() {
    let t = TestApp::spawn().await;
    let (admin, _) = api(&t, Role::Admin).await;
    let with = |pointer: &str, v: Value| {
        let mut b = lead_provider("s3cr3t-value");
        *b.pointer_mut(pointer).unwrap() = v;
        b
    };
    let mut no_url = lead_provider("s3cr3t-value");
    no_url["config"].as_object_mut().unwrap().remove("baseUrl");
    let cases = [
        (with("/kind", json!("carrier_pigeon")), "kind"),
        (no_url, "config.baseUrl"),
        (with("/trafficFilter/timezone", json!("Mars/Olympus")), "trafficFilter.timezone"),
        (with("/timeoutMs", json!(90000)), "timeoutMs"),
        (json!({"name": "CRM", "kind": "internal_crm", "config": {"x": 1}}), "config"),
    ];
    for (body, field) in cases {
        assert_fields(&admin.post("/advertisers", body).await, &[field]);
    }
    let crm = crm_advertiser(&admin, "CRM").await;
    let r = admin.patch(&format!("/advertisers/{crm}"), json!({"kind": "affiliate_v2"})).await;
    assert_fields(&r, &["config.baseUrl"]);
    assert_fields(&admin.get("/advertisers?limit=501").await, &["limit"]);
    assert_eq!(admin.get("/advertisers?limit=x").await.0, 400);
}

#[tokio::test]
async fn offers_and_rotation() {
    let t = TestApp::spawn().await;
    let (admin, _) = api(&t, Role::Admin).await;
    let (_, aff) = api(&t, Role::Affiliate).await;
    let (_, customer) = api(&t, Role::Customer).await;
    let (a1, a2) = (crm_advertiser(&admin, "One").await, crm_advertiser(&admin, "Two").await);
    let body = json!({"name": "Crypto DE", "affiliateId": aff, "rotationMode": "weighted",
        "funnelUrl": "https://funnel.example/de", "funnelLanguage": "DE", "leadSource": "fb"});
    let o = admin.create("/offers", body).await;
    assert!(o["id"].as_i64().unwrap() > 0);
    assert_eq!(
        without(&o, &["uuid", "id", "createdAt", "updatedAt"]),
        json!({"name": "Crypto DE", "affiliateId": aff, "rotationMode": "weighted",
            "leadSource": "fb", "funnelName": null, "funnelUrl": "https://funnel.example/de",
            "funnelLanguage": "de", "active": true})
    );
    let bad = json!({"name": "X", "affiliateId": customer, "rotationMode": "random", "funnelUrl": "ftp://x"});
    assert_fields(&admin.post("/offers", bad).await, &["affiliateId", "rotationMode", "funnelUrl"]);

    let path = format!("/offers/{}", id(&o));
    let r = admin.patch(&path, json!({"affiliateId": null, "active": false})).await;
    assert_eq!(r.0, 200, "{}", r.1);
    assert!(r.1["affiliateId"].is_null() && r.1["active"] == false && r.1["leadSource"] == "fb");
    assert_eq!(admin.get(&path).await.1, r.1);

    let rot = format!("{path}/rotation");
    let entries = json!([{"advertiserUuid": a2, "priority": 5, "weight": 10},
        {"advertiserUuid": a1, "priority": 1, "weight": 30, "active": false}]);
    let r = admin.send(Method::PUT, &rot, Some(entries)).await;
    let expected = json!([
        {"advertiserUuid": a1, "advertiserName": "One", "priority": 1, "weight": 30, "active": false},
        {"advertiserUuid": a2, "advertiserName": "Two", "priority": 5, "weight": 10, "active": true}]);
    assert_eq!((r.0, &r.1), (200, &expected));
    let unknown =
        json!([{"advertiserUuid": a1}, {"advertiserUuid": uuid::Uuid::new_v4().to_string()}]);
    assert_fields(&admin.send(Method::PUT, &rot, Some(unknown)).await, &["[1].advertiserUuid"]);
    let dup = json!([{"advertiserUuid": a1}, {"advertiserUuid": a1, "weight": 0}]);
    assert_fields(
        &admin.send(Method::PUT, &rot, Some(dup)).await,
        &["[1].advertiserUuid", "[1].weight"],
    );
    assert_eq!(admin.get(&rot).await.1, expected);
    let r = admin.send(Method::PUT, &rot, Some(json!([{"advertiserUuid": a2}]))).await;
    assert_eq!(r.1.as_array().unwrap().len(), 1);

    admin.create("/offers", json!({"name": "Second"})).await;
    let page = admin.get("/offers?limit=1&offset=1").await.1;
    assert_eq!((page.as_array().unwrap().len(), page[0]["name"].as_str()), (1, Some("Second")));
    assert_fields(&admin.get("/offers?limit=501").await, &["limit"]);
    assert_eq!(admin.delete(&path).await, 204);
    assert_eq!(admin.get(&rot).await.0, 404);
    let kinds = [
        "offer.create",
        "offer.update",
        "offer.rotation",
        "offer.rotation",
        "offer.create",
        "offer.delete",
    ];
    assert_eq!(audit_kinds(&t, "offer").await, kinds);
}

#[tokio::test]
async fn caps_country_blocks_and_dedup_rules() {
    let t = TestApp::spawn().await;
    let (admin, _) = api(&t, Role::Admin).await;
    let adv = crm_advertiser(&admin, "Capped").await;
    let tz = json!({"trafficFilter": {"timezone": "America/New_York"}});
    assert_eq!(admin.patch(&format!("/advertisers/{adv}"), tz).await.0, 200);
    let body = json!({"advertiserUuid": adv, "country": "de", "period": "day", "kind": "accepted", "maxCount": 50});
    let cap = admin.create("/caps", body).await;
    assert_eq!(
        without(&cap, &["uuid", "createdAt"]),
        json!({"advertiserUuid": adv, "offerUuid": null, "country": "DE", "period": "day",
            "kind": "accepted", "maxCount": 50, "used": 0})
    );
    // Today's counter, keyed by the day in the advertiser's time zone.
    let row = repo::caps::find_by_uuid(t.app.db().conn(), &id(&cap)).await.unwrap().unwrap();
    let tz = "America/New_York".parse().unwrap();
    let day = brokercrm_core::distribution::rules::CapPeriod::Day;
    let key = brokercrm_core::distribution::rules::cap_period_key(day, chrono::Utc::now(), tz);
    let counter = brokercrm_store::entities::cap_counters::ActiveModel {
        cap_id: Set(row.id),
        period_key: Set(key),
        count: Set(7),
    };
    counter.insert(t.app.db().conn()).await.unwrap();
    let path = format!("/caps/{}", id(&cap));
    let r = admin.patch(&path, json!({"maxCount": 80})).await;
    assert_eq!((r.0, r.1["maxCount"].as_i64(), r.1["used"].as_i64()), (200, Some(80), Some(7)));
    let list = admin.get(&format!("/caps?advertiserUuid={adv}")).await.1;
    assert_eq!(list, json!([r.1]));
    let bad = json!({"advertiserUuid": adv, "period": "week", "kind": "x", "maxCount": 10_000_001, "country": "XX"});
    assert_fields(&admin.post("/caps", bad).await, &["period", "kind", "maxCount", "country"]);
    assert_eq!(admin.delete(&path).await, 204);
    assert_eq!(audit_kinds(&t, "cap").await, ["cap.create", "cap.update", "cap.delete"]);

    let offer = admin.create("/offers", json!({"name": "O"})).await["uuid"].clone();
    let block = admin.create("/country-blocks", json!({"country": "us"})).await;
    assert_eq!(without(&block, &["id", "createdAt"]), json!({"country": "US", "offerUuid": null}));
    assert_eq!(admin.post("/country-blocks", json!({"country": "US"})).await.0, 409);
    let per_offer = json!({"country": "US", "offerUuid": offer});
    admin.create("/country-blocks", per_offer.clone()).await;
    assert_eq!(admin.post("/country-blocks", per_offer).await.0, 409);
    assert_fields(&admin.post("/country-blocks", json!({"country": "ZZ"})).await, &["country"]);
    let list = admin.get("/country-blocks").await.1;
    assert_eq!((list.as_array().unwrap().len(), &list[1]["offerUuid"]), (2, &offer));
    let path = format!("/country-blocks/{}", block["id"]);
    assert_eq!((admin.delete(&path).await, admin.delete(&path).await), (204, 404));
    let kinds = ["country_block.create", "country_block.create", "country_block.delete"];
    assert_eq!(audit_kinds(&t, "country_block").await, kinds);

    let body = json!({"field": "email", "scope": "global", "windowSecs": 86400});
    let rule = admin.create("/dedup-rules", body.clone()).await;
    let mut expected = body;
    expected["active"] = json!(true);
    assert_eq!(without(&rule, &["uuid", "createdAt"]), expected);
    let path = format!("/dedup-rules/{}", id(&rule));
    let r = admin.patch(&path, json!({"scope": "affiliate", "active": false})).await;
    assert_eq!(
        without(&r.1, &["uuid", "createdAt"]),
        json!({"field": "email", "scope": "affiliate", "windowSecs": 86400, "active": false})
    );
    let bad = json!({"field": "fax", "windowSecs": 10});
    assert_fields(&admin.post("/dedup-rules", bad).await, &["field", "scope", "windowSecs"]);
    assert_eq!(admin.get("/dedup-rules").await.1, json!([r.1]));
    assert_eq!(admin.delete(&path).await, 204);
    let kinds = ["dedup_rule.create", "dedup_rule.update", "dedup_rule.delete"];
    assert_eq!(audit_kinds(&t, "dedup_rule").await, kinds);
}

#[tokio::test]
async fn affiliate_tokens_shown_once_and_revocable() {
    let t = TestApp::spawn().await;
    let (admin, _) = api(&t, Role::Admin).await;
    let (_, aff) = api(&t, Role::Affiliate).await;
    let (_, other) = api(&t, Role::Affiliate).await;
    let (_, customer) = api(&t, Role::Customer).await;
    let offer = admin.create("/offers", json!({"name": "Open"})).await["uuid"].clone();
    let body = json!({"affiliateUuid": aff, "name": "Main feed",
        "ipAllowlist": ["203.0.113.9", "10.1.2.3/8"], "defaultOfferUuid": offer});
    let created = admin.create("/affiliate-tokens", body).await;
    let token = created["token"].as_str().unwrap().to_owned();
    assert!(token.starts_with("lt_") && token.len() > 50);
    let listed = without(&created, &["token"]);
    assert_eq!(
        without(&listed, &["uuid", "createdAt"]),
        json!({"affiliateUuid": aff, "name": "Main feed", "prefix": &token[..11],
            "ipAllowlist": ["203.0.113.9", "10.0.0.0/8"], "defaultOfferUuid": offer,
            "active": true, "lastUsedAt": null, "revokedAt": null})
    );
    let row = repo::affiliate_tokens::find_by_uuid(t.app.db().conn(), &id(&created))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(row.token_hash, brokercrm_app::identity::security::token_hash(&token));

    let list = admin.get(&format!("/affiliate-tokens?affiliateUuid={aff}")).await.1;
    assert_eq!(list, json!([listed]));
    assert!(!list.to_string().contains(&token[3..]) && !list.to_string().contains(&row.token_hash));
    assert_eq!(admin.get(&format!("/affiliate-tokens?affiliateUuid={other}")).await.1, json!([]));
    let bad = json!({"affiliateUuid": aff, "name": "x", "ipAllowlist": ["10.0.0.0/33"]});
    assert_fields(&admin.post("/affiliate-tokens", bad).await, &["ipAllowlist[0]"]);
    let bad = json!({"affiliateUuid": customer, "name": "x"});
    assert_fields(&admin.post("/affiliate-tokens", bad).await, &["affiliateUuid"]);

    let path = format!("/affiliate-tokens/{}", id(&created));
    let r = admin
        .patch(&path, json!({"name": "Renamed", "ipAllowlist": [], "defaultOfferUuid": null}))
        .await;
    assert_eq!(
        (r.0, r.1["name"].as_str(), &r.1["ipAllowlist"]),
        (200, Some("Renamed"), &json!([]))
    );
    assert!(r.1["defaultOfferUuid"].is_null());
    let r = admin.send(Method::POST, &format!("{path}/revoke"), None).await;
    assert_eq!(
        (r.0, r.1["active"].as_bool(), r.1["revokedAt"].is_string()),
        (200, Some(false), true)
    );
    assert_eq!(admin.send(Method::POST, &format!("{path}/revoke"), None).await.0, 409);
    assert_eq!(admin.patch(&path, json!({"active": true})).await.0, 409);
    let kinds = ["affiliate_token.create", "affiliate_token.update", "affiliate_token.revoke"];
    assert_eq!(audit_kinds(&t, "affiliate_token").await, kinds);
    let f = ActivityFilter { entity: Some("affiliate_token".into()), ..Default::default() };
    let all = format!("{:?}", activities::list(t.app.db().conn(), &f, 100, 0).await.unwrap());
    assert!(!all.contains(&token[3..]) && !all.contains(&row.token_hash));
}

#[tokio::test]
async fn leads_read_with_trace_and_without_password() {
    use brokercrm_store::entities::{ftds, lead_events, leads};
    let t = TestApp::spawn().await;
    let (admin, _) = api(&t, Role::Admin).await;
    let (risk, _) = api(&t, Role::Risk).await;
    let (_, aff) = api(&t, Role::Affiliate).await;
    let conn = t.app.db().conn();
    let aff_id = users::find_by_uuid(conn, &aff).await.unwrap().unwrap().id;
    let adv = crm_advertiser(&admin, "Brand").await;
    let adv_id = repo::advertisers::find_by_uuid(conn, &adv).await.unwrap().unwrap().id;
    let (_, ftd) = brokercrm_app::distribution::ensure_system(conn).await.unwrap();
    let now = brokercrm_store::db::now();
    let mut rows = Vec::new();
    for (i, status) in [(0, "rejected"), (1, "accepted")] {
        let lead = leads::ActiveModel {
            uuid: Set(uuid::Uuid::now_v7().to_string()),
            affiliate_id: Set(aff_id),
            channel: Set("affiliate_v2".into()),
            advertiser_id: Set(Some(adv_id)),
            status: Set(status.into()),
            ip: Set("203.0.113.5".into()),
            is_test: Set(false),
            profile: Set(r#"{"password":"Hunter2!x","aff_sub":"s1"}"#.into()),
            auto_login_url: Set(Some("https://brand.example/login?t=secret".into())),
            deadline_at: Set(now),
            created_at: Set(now + chrono::Duration::seconds(i)),
            updated_at: Set(now),
            ..Default::default()
        };
        rows.push(lead.insert(conn).await.unwrap());
    }
    let lead = &rows[1];
    for (seq, kind) in [(2, "accepted"), (1, "attempt")] {
        let ev = lead_events::ActiveModel {
            lead_id: Set(lead.id),
            seq: Set(seq),
            kind: Set(kind.into()),
            advertiser_id: Set(Some(adv_id)),
            duration_ms: Set(Some(12)),
            created_at: Set(now),
            ..Default::default()
        };
        ev.insert(conn).await.unwrap();
    }
    let conv = ftds::ActiveModel {
        uuid: Set(uuid::Uuid::now_v7().to_string()),
        lead_id: Set(lead.id),
        goal_type_id: Set(ftd),
        affiliate_id: Set(aff_id),
        source: Set("postback".into()),
        created_at: Set(now),
        ..Default::default()
    };
    conv.insert(conn).await.unwrap();

    let list = risk.get(&format!("/leads?affiliateUuid={aff}&advertiserUuid={adv}")).await;
    assert_eq!(list.0, 200, "{}", list.1);
    let uuids: Vec<&str> =
        list.1.as_array().unwrap().iter().map(|l| l["uuid"].as_str().unwrap()).collect();
    assert_eq!(uuids, [lead.uuid.as_str(), rows[0].uuid.as_str()]);
    assert!(!list.1.to_string().contains("Hunter2") && !list.1.to_string().contains("t=secret"));
    assert_eq!(admin.get("/leads?status=rejected&limit=10").await.1.as_array().unwrap().len(), 1);
    let later =
        (now + chrono::Duration::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Micros, true);
    assert_eq!(
        admin.get(&format!("/leads?createdFrom={later}")).await.1.as_array().unwrap().len(),
        1
    );
    assert_fields(&admin.get("/leads?createdTo=yesterday").await, &["createdTo"]);
    assert_fields(&admin.get("/leads?limit=1000").await, &["limit"]);

    let r = risk.get(&format!("/leads/{}", lead.uuid)).await;
    assert_eq!(r.0, 200, "{}", r.1);
    assert_eq!(r.1["profile"], json!({"aff_sub": "s1"}));
    assert_eq!(
        (r.1["advertiserName"].as_str(), r.1["affiliateUuid"].as_str()),
        (Some("Brand"), Some(aff.as_str()))
    );
    assert_eq!(
        (r.1["hasAutoLoginUrl"].as_bool(), r.1["status"].as_str()),
        (Some(true), Some("accepted"))
    );
    let at = r.1["trace"][0]["at"].clone();
    let step = |seq: i64, kind: &str| {
        json!({"seq": seq, "kind": kind, "advertiserUuid": adv,
        "advertiserName": "Brand", "errorType": null, "message": null, "durationMs": 12, "at": at})
    };
    assert_eq!(r.1["trace"], json!([step(1, "attempt"), step(2, "accepted")]));
    let conv = without(&r.1["conversions"][0], &["uuid", "createdAt"]);
    assert_eq!(conv, json!({"goalType": "FTD", "source": "postback"}));
    assert!(!r.1.to_string().contains("Hunter2"));
    assert_eq!(admin.get(&format!("/leads/{}", uuid::Uuid::new_v4())).await.0, 404);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_identical_country_blocks_create_one() {
    let t = TestApp::spawn().await;
    let (tok, _) = t.mint_token(Role::Admin).await;
    let requests = (0..6)
        .map(|_| {
            axum::http::Request::post("/api/lead-distribution/country-blocks")
                .header("authorization", format!("Bearer {tok}"))
                .header("content-type", "application/json")
                .body(axum::body::Body::from(json!({"country": "BR"}).to_string()))
                .unwrap()
        })
        .collect();
    let results = crate::helpers::http::send_concurrently(&t, requests).await;
    let mut codes: Vec<u16> = results.iter().map(|r| r.0).collect();
    codes.sort_unstable();
    assert_eq!(codes, [201, 409, 409, 409, 409, 409], "{results:?}");
    for (_, b) in results.iter().filter(|r| r.0 == 409) {
        assert!(b.to_string().contains("BR is already blocked there"), "{b}");
    }
}
