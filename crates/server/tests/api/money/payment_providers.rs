//! Payment providers over HTTP: each operation's body and status, validation naming fields,
//! secrets masked in answers and the audit log and encrypted in the database, country and
//! type filtering of available methods, sort order, and authorization boundaries.

use brokercrm_app::platform::crypto::DataKey;
use brokercrm_core::identity::auth::Role;
use sea_orm::{ConnectionTrait, Statement};
use serde_json::{Value, json};

use crate::helpers::assert::fields;
use crate::helpers::http;
use crate::helpers::platform::latest_audits;
use crate::helpers::{TestApp, assert_error};

const SECRET: &str = "supersecretvalue987";

fn ids(list: &Value) -> Vec<String> {
    list.as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap().to_owned()).collect()
}

async fn put(t: &TestApp, token: &str, id: &str, body: Value) -> (u16, Value) {
    http::put(t, token, &format!("/api/payment-providers/{id}"), body).await
}

/// The raw `key_values` column of provider `id`.
async fn raw_key_values(t: &TestApp, id: &str) -> Option<String> {
    let db = t.app.db();
    let row = db
        .conn()
        .query_one_raw(Statement::from_string(
            db.db_backend(),
            format!("SELECT key_values FROM payment_providers WHERE id = '{id}'"),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<Option<String>>("", "key_values").unwrap()
}

fn bitstamp_body() -> Value {
    json!({
        "keyValues": [
            {"key": "customerId", "value": "C-4242"},
            {"key": "apiKey", "value": "AKIAbitstampkey123"},
            {"key": "apiSecret", "value": SECRET}
        ],
        "enabledCountryCodes": ["de", "AT"],
        "minimumDepositAmount": 10.5,
        "maximumDepositAmount": 10000,
        "minimumWithdrawalAmount": "20",
        "maximumWithdrawalAmount": null,
        "predefinedDepositAmounts": [100, 250.75, 500],
        "enabled": true
    })
}

#[tokio::test]
async fn providers_are_listed_updated_masked_encrypted_and_audited() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;

    let r = t.server.get("/api/payment-providers").authorization_bearer(&admin).await;
    r.assert_status_ok();
    let list: Value = r.json();
    assert_eq!(ids(&list["providers"]), ["test", "bitstamp", "trustology"]);
    let test = &list["providers"][0];
    assert_eq!(test["enabled"], false);
    assert_eq!(test["instant"], true);
    assert_eq!(test["methodTypes"], json!(["deposit", "withdrawal"]));
    assert_eq!(test["enabledCountryCodes"], json!([]));
    assert_eq!(test["minimumDepositAmount"], Value::Null);
    assert_eq!(test["predefinedDepositAmounts"], json!([]));
    assert_eq!(test["keyValues"], json!([]));
    assert_eq!(list["providers"][2]["methodTypes"], json!(["withdrawal"]));

    let (status, body) = put(&t, &admin, "bitstamp", bitstamp_body()).await;
    assert_eq!(status, 200, "{body}");
    let p = &body["provider"];
    assert_eq!(p["id"], "bitstamp");
    assert_eq!(p["enabled"], true);
    assert_eq!(p["enabledCountryCodes"], json!(["AT", "DE"]));
    assert_eq!(p["minimumDepositAmount"], json!(10.5));
    assert_eq!(p["maximumDepositAmount"], json!(10000.0));
    assert_eq!(p["minimumWithdrawalAmount"], json!(20.0));
    assert_eq!(p["maximumWithdrawalAmount"], Value::Null);
    assert_eq!(p["predefinedDepositAmounts"], json!([100.0, 250.75, 500.0]));
    assert!(p["updatedAt"].is_string());
    let kv: Vec<(String, String)> = p["keyValues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|k| (k["key"].as_str().unwrap().into(), k["value"].as_str().unwrap().into()))
        .collect();
    assert!(kv.contains(&("customerId".into(), "C-4242".into())), "{kv:?}");
    assert!(kv.contains(&("apiKey".into(), "AKIA****".into())), "{kv:?}");
    assert!(kv.contains(&("apiSecret".into(), "supe****".into())), "{kv:?}");
    assert!(!body.to_string().contains(SECRET));
    assert!(p["keys"].as_array().unwrap().iter().all(|k| k["set"] == true));

    // At rest: sealed, not plain text; opens with the app's data key bound to this row.
    let raw = raw_key_values(&t, "bitstamp").await.unwrap();
    assert!(raw.starts_with("v1:"), "{raw}");
    assert!(!raw.contains(SECRET) && !raw.contains("C-4242") && !raw.contains("apiSecret"));
    let plain = t.app.data_key().open(b"payment_provider:bitstamp", &raw).unwrap();
    let map: Value = serde_json::from_slice(&plain).unwrap();
    assert_eq!(map["apiSecret"], SECRET);
    assert!(t.app.data_key().open(b"payment_provider:test", &raw).is_err());

    // Re-submitting the masked form keeps the secret; listed keys only are touched.
    let (status, body) = put(
        &t,
        &admin,
        "bitstamp",
        json!({"keyValues": [{"key": "apiSecret", "value": "supe****"}], "minimumDepositAmount": null}),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["provider"]["minimumDepositAmount"], Value::Null);
    assert_eq!(body["provider"]["maximumDepositAmount"], json!(10000.0));
    let raw2 = raw_key_values(&t, "bitstamp").await.unwrap();
    assert_ne!(raw, raw2, "a fresh nonce on every write");
    let plain = t.app.data_key().open(b"payment_provider:bitstamp", &raw2).unwrap();
    assert_eq!(serde_json::from_slice::<Value>(&plain).unwrap()["apiSecret"], SECRET);

    let r = t.server.get("/api/payment-providers/bitstamp").authorization_bearer(&admin).await;
    r.assert_status_ok();
    let got: Value = r.json();
    assert_eq!(got["provider"]["enabledCountryCodes"], json!(["AT", "DE"]));
    assert!(!got.to_string().contains(SECRET));

    let (acts, kinds) = latest_audits(&t, &admin, 10).await;
    assert_eq!(kinds, ["payment_provider.update", "payment_provider.update"]);
    assert!(!acts.to_string().contains(SECRET), "audit log leaks the secret");
    assert_eq!(acts["activities"][1]["after"]["enabled"], true);
}

#[tokio::test]
async fn validation_names_each_field_and_changes_nothing() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;

    let (status, body) = put(
        &t,
        &admin,
        "test",
        json!({
            "keyValues": [{"key": "nope", "value": "x"}],
            "enabledCountryCodes": ["DE", "XX"],
            "minimumDepositAmount": 100,
            "maximumDepositAmount": 10,
            "minimumWithdrawalAmount": -1,
            "maximumWithdrawalAmount": 0.000000001,
            "predefinedDepositAmounts": [0, 5]
        }),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    assert_error(&body, "validation_failed");
    assert_eq!(
        fields(&body),
        [
            "keyValues[0].key",
            "enabledCountryCodes[1]",
            "minimumWithdrawalAmount",
            "maximumWithdrawalAmount",
            "minimumDepositAmount",
            "predefinedDepositAmounts[0]",
            "predefinedDepositAmounts[1]",
        ]
    );

    // A required key missing when enabling; a duplicate key; a malformed amount string.
    let (status, body) = put(&t, &admin, "trustology", json!({"enabled": true})).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["enabled"]);
    let (status, body) = put(
        &t,
        &admin,
        "test",
        json!({"keyValues": [{"key": "signingSecret", "value": "a"}, {"key": "signingSecret", "value": "b"}],
               "maximumDepositAmount": "1e3"}),
    )
    .await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["keyValues[1].key", "maximumDepositAmount"]);
    let (status, body) = put(&t, &admin, "test", json!({"minimumDepositAmount": true})).await;
    assert_eq!(status, 400, "{body}");

    let (status, _) = put(&t, &admin, "paypal", json!({})).await;
    assert_eq!(status, 404);
    let r = t
        .server
        .get("/api/payment-providers/paypal")
        .authorization_bearer(&admin)
        .expect_failure()
        .await;
    r.assert_status_not_found();

    let list: Value =
        t.server.get("/api/payment-providers").authorization_bearer(&admin).await.json();
    for p in list["providers"].as_array().unwrap() {
        assert_eq!(p["updatedAt"], Value::Null, "nothing was stored: {p}");
    }
    assert_eq!(raw_key_values_count(&t).await, 0);
}

async fn raw_key_values_count(t: &TestApp) -> i64 {
    let db = t.app.db();
    let row = db
        .conn()
        .query_one_raw(Statement::from_string(
            db.db_backend(),
            "SELECT COUNT(*) AS n FROM payment_providers".to_owned(),
        ))
        .await
        .unwrap()
        .unwrap();
    row.try_get::<i64>("", "n").unwrap()
}

async fn methods(t: &TestApp, token: &str, query: &str) -> Value {
    let r =
        t.server.get(&format!("/api/me/payment-methods{query}")).authorization_bearer(token).await;
    r.assert_status_ok();
    r.json()
}

#[tokio::test]
async fn available_methods_follow_enabled_country_type_and_sort() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let de = t.customer().country("DE").create().await.token;
    let fr = t.customer().country("FR").create().await.token;
    let nowhere = t.customer().create().await.token;

    assert_eq!(methods(&t, &de, "").await, json!([]), "nothing enabled yet");

    let (status, _) = put(&t, &admin, "bitstamp", bitstamp_body()).await;
    assert_eq!(status, 200);
    let (status, body) = put(
        &t,
        &admin,
        "test",
        json!({"enabled": true, "minimumWithdrawalAmount": 1, "predefinedDepositAmounts": [50]}),
    )
    .await;
    assert_eq!(status, 200, "{body}");

    let list = methods(&t, &de, "?type=deposit").await;
    assert_eq!(ids(&list), ["test", "bitstamp"]);
    assert_eq!(list[0]["type"], "deposit");
    assert_eq!(list[0]["instant"], true);
    assert_eq!(list[0]["predefinedAmounts"], json!([50.0]));
    assert_eq!(list[1]["minimumAmount"], json!(10.5));
    assert_eq!(list[1]["maximumAmount"], json!(10000.0));
    assert_eq!(list[1]["predefinedAmounts"], json!([100.0, 250.75, 500.0]));
    assert!(!list.to_string().contains("apiSecret"));

    assert_eq!(ids(&methods(&t, &fr, "?type=deposit").await), ["test"]);
    assert_eq!(ids(&methods(&t, &nowhere, "?type=deposit").await), ["test"]);

    let w = methods(&t, &de, "?type=withdrawal").await;
    assert_eq!(ids(&w), ["test", "bitstamp"]);
    assert_eq!(w[0]["minimumAmount"], json!(1.0));
    assert_eq!(w[0]["predefinedAmounts"], json!([]));
    assert_eq!(w[1]["minimumAmount"], json!(20.0));
    assert_eq!(methods(&t, &de, "").await.as_array().unwrap().len(), 4);

    // Sort: bitstamp before test in every list.
    let r = t
        .server
        .post("/api/payment-providers/sort")
        .authorization_bearer(&admin)
        .json(&json!({"id": "test", "sort": 5}))
        .await;
    r.assert_status_ok();
    let sorted: Value = r.json();
    assert_eq!(ids(&sorted["providers"]), ["bitstamp", "trustology", "test"]);
    assert_eq!(sorted["providers"][2]["sort"], 5);
    assert_eq!(ids(&methods(&t, &de, "?type=deposit").await), ["bitstamp", "test"]);
    let list: Value =
        t.server.get("/api/payment-providers").authorization_bearer(&admin).await.json();
    assert_eq!(ids(&list["providers"]), ["bitstamp", "trustology", "test"]);
    // Sorting keeps the other settings.
    assert_eq!(list["providers"][2]["enabled"], true);

    let r = t
        .server
        .get("/api/me/payment-methods?type=refund")
        .authorization_bearer(&de)
        .expect_failure()
        .await;
    r.assert_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r.json()), ["type"]);
}

#[tokio::test]
async fn filters_and_sort_validation() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let get = |q: &'static str| {
        t.server.get(&format!("/api/payment-providers/filters{q}")).authorization_bearer(&admin)
    };
    let w: Value = get("?type=withdrawal").await.json();
    assert_eq!(ids(&w["methods"]), ["test", "bitstamp", "trustology"]);
    assert_eq!(w["methods"][0], json!({"id": "test", "name": "Test provider", "enabled": false}));
    let d: Value = get("?type=deposit").await.json();
    assert_eq!(ids(&d["methods"]), ["test", "bitstamp"]);
    let r = get("").expect_failure().await;
    r.assert_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r.json()), ["type"]);

    let sort = |body: Value| {
        t.server
            .post("/api/payment-providers/sort")
            .authorization_bearer(&admin)
            .json(&body)
            .expect_failure()
    };
    let r = sort(json!({"id": "paypal", "sort": -1})).await;
    r.assert_status(axum::http::StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r.json()), ["id", "sort"]);
    let r = sort(json!({"id": "test"})).await;
    r.assert_status_bad_request();
    assert_eq!(raw_key_values_count(&t).await, 0);
}

#[tokio::test]
async fn authorization_boundaries() {
    let t = TestApp::spawn().await;
    let cust = t.customer().country("DE").create().await.token;
    let (manager, _) = t.mint_token(Role::Manager).await;
    let (agent, _) = t.mint_token(Role::RetentionAgent).await;

    let r = t.server.get("/api/payment-providers").expect_failure().await;
    r.assert_status_unauthorized();
    let r = t.server.get("/api/me/payment-methods").expect_failure().await;
    r.assert_status_unauthorized();

    for token in [&cust, &agent] {
        for path in [
            "/api/payment-providers",
            "/api/payment-providers/test",
            "/api/payment-providers/filters?type=deposit",
        ] {
            let r = t.server.get(path).authorization_bearer(token).expect_failure().await;
            r.assert_status_forbidden();
        }
        methods(&t, token, "?type=deposit").await;
    }
    for token in [&cust, &manager] {
        let (status, body) = put(&t, token, "test", json!({"enabled": true})).await;
        assert_eq!(status, 403, "{body}");
        let r = t
            .server
            .post("/api/payment-providers/sort")
            .authorization_bearer(token)
            .json(&json!({"id": "test", "sort": 1}))
            .expect_failure()
            .await;
        r.assert_status_forbidden();
    }
    t.server
        .get("/api/payment-providers/test")
        .authorization_bearer(&manager)
        .await
        .assert_status_ok();
    assert_eq!(raw_key_values_count(&t).await, 0);
}

#[tokio::test]
async fn a_configured_data_key_is_used() {
    let key = DataKey::generate();
    let k2 = key.clone();
    let t = TestApp::spawn_with(move |c| c.data_key = Some(k2)).await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let (status, _) =
        put(&t, &admin, "test", json!({"keyValues": [{"key": "signingSecret", "value": SECRET}]}))
            .await;
    assert_eq!(status, 200);
    let raw = raw_key_values(&t, "test").await.unwrap();
    let plain = key.open(b"payment_provider:test", &raw).unwrap();
    assert!(String::from_utf8(plain).unwrap().contains(SECRET));
    assert!(DataKey::generate().open(b"payment_provider:test", &raw).is_err());
}

#[tokio::test]
async fn concurrent_first_updates_keep_both_changes() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let (a, b) = tokio::join!(
        put(&t, &admin, "bitstamp", json!({"enabledCountryCodes": ["DE"]})),
        put(&t, &admin, "bitstamp", json!({"minimumDepositAmount": 5})),
    );
    assert_eq!((a.0, b.0), (200, 200), "{a:?} {b:?}");
    let got: Value =
        t.server.get("/api/payment-providers/bitstamp").authorization_bearer(&admin).await.json();
    assert_eq!(got["provider"]["enabledCountryCodes"], json!(["DE"]));
    assert_eq!(got["provider"]["minimumDepositAmount"], json!(5.0));
}

#[tokio::test]
async fn the_generated_data_key_lives_in_its_file_and_survives_a_restart() {
    use brokercrm_app::App;
    use brokercrm_app::context::Services;
    let t = TestApp::spawn().await;
    let cfg = t.app.cfg().clone();
    let path = cfg.data_key_file.clone();
    let on_disk = DataKey::from_base64(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert_eq!(&on_disk, t.app.data_key());
    let db = brokercrm_store::Db::connect(&t.db_url).await.unwrap();
    let again =
        App::build(db, cfg.clone(), Services::for_config(&cfg).unwrap(), None).await.unwrap();
    assert_eq!(again.data_key(), t.app.data_key());
    // Not in the database: no setting holds it.
    let db = t.app.db();
    let rows = db
        .conn()
        .query_all_raw(Statement::from_string(
            db.db_backend(),
            "SELECT value FROM settings".to_owned(),
        ))
        .await
        .unwrap();
    let b64 = on_disk.to_base64();
    assert!(rows.iter().all(|r| !r.try_get::<String>("", "value").unwrap().contains(&b64)));
}
