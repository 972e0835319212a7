//! Money set-ups through the real router: trading groups, wallets, manual transactions,
//! transfers, the test payment provider, and the ledger check every money test ends with.

use axum::http::{HeaderName, HeaderValue};
use brokercrm_app::money::ledger;
use brokercrm_app::money::transactions::deposits::sign;
use brokercrm_core::Money;
use brokercrm_core::money::ledger::TransferId;
use brokercrm_store::Db;
use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use super::TestApp;
use super::http::urlencode;

/// Creates the trading adapter `neo` and a group in `currency`; returns the group id.
pub async fn group(t: &TestApp, admin: &str, name: &str, currency: &str) -> i64 {
    if t.server.get("/api/adapters/neo").authorization_bearer(admin).await.status_code() == 404 {
        t.server
            .post("/api/adapters")
            .authorization_bearer(admin)
            .json(&json!({"name": "neo", "enabled": true, "type": "internal_trading", "configuration": {}}))
            .await
            .assert_status_ok();
    }
    let r = t
        .server
        .post("/api/groups")
        .authorization_bearer(admin)
        .json(&json!({"name": name, "leverage": 200, "currency": currency,
                      "adapterName": "neo", "disableSwapCharges": false}))
        .await;
    r.assert_status_ok();
    r.json::<Value>()["group"]["id"].as_i64().unwrap()
}

pub async fn wallet(t: &TestApp, admin: &str, customer_id: &str, group_id: i64) -> i64 {
    let r = t
        .server
        .post("/api/wallets")
        .authorization_bearer(admin)
        .json(&json!({"customerId": customer_id, "groupId": group_id, "platform": "NEO"}))
        .await;
    r.assert_status_ok();
    r.json::<Value>()["id"].as_i64().unwrap()
}

pub async fn manual(t: &TestApp, admin: &str, wallet: i64, body: Value) -> (u16, Value) {
    let r = t
        .server
        .post(&format!("/api/wallets/{wallet}/transactions"))
        .authorization_bearer(admin)
        .json(&body)
        .await;
    (r.status_code().as_u16(), r.json())
}

pub async fn balance(t: &TestApp, admin: &str, wallet: i64) -> Value {
    let r =
        t.server.get(&format!("/api/wallets/{wallet}/balance")).authorization_bearer(admin).await;
    r.assert_status_ok();
    r.json()
}

pub async fn transfer(t: &TestApp, token: &str, key: Option<&str>, body: Value) -> (u16, Value) {
    let mut req = t.server.post("/api/wallets/transfer").authorization_bearer(token).json(&body);
    if let Some(k) = key {
        req = req.add_header("Idempotency-Key", k);
    }
    let r = req.await;
    (r.status_code().as_u16(), r.json())
}

/// Posts a manual transaction and asserts it is accepted.
pub async fn manual_ok(t: &TestApp, admin: &str, wallet: i64, body: Value) {
    let (s, b) = manual(t, admin, wallet, body).await;
    assert_eq!(s, 200, "{b}");
}

/// The id of the group named `currency` in that currency, created on first use.
pub async fn currency_group(t: &TestApp, admin: &str, currency: &str) -> i64 {
    let r = t.server.get("/api/groups").authorization_bearer(admin).await;
    r.assert_status_ok();
    let list = r.json::<Value>();
    let found = list["groups"].as_array().unwrap().iter().find(|g| g["name"] == currency);
    match found {
        Some(g) => g["id"].as_i64().unwrap(),
        None => group(t, admin, currency, currency).await,
    }
}

pub const SECRET: &str = "callback-signing-secret-42";

/// Enables the test provider with a callback signing secret.
pub async fn enable_test_provider(t: &TestApp, admin: &str) {
    let r = t
        .server
        .put("/api/payment-providers/test")
        .authorization_bearer(admin)
        .json(&json!({"enabled": true, "keyValues": [{"key": "signingSecret", "value": SECRET}]}))
        .await;
    r.assert_status_ok();
}

/// Admin token, customer token, customer uuid, a USD wallet holding `funds`.
pub async fn funded(t: &TestApp, funds: i64) -> (String, String, String, i64) {
    let admin = t.admin_token().await;
    enable_test_provider(t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", funds).create().await;
    (admin, c.token, c.uuid, c.wallets[0])
}

/// A decimal amount, e.g. `m("12.5")`.
pub fn m(s: &str) -> Money {
    Money::parse("amount", s).unwrap()
}

/// A decimal string of a response as `Money`.
pub fn money_of(v: &Value) -> Money {
    m(v.as_str().unwrap_or_else(|| panic!("not a decimal string: {v}")))
}

pub fn tid(s: &str) -> TransferId {
    TransferId::parse("id", s).unwrap()
}

/// `ledger verify` finds nothing wrong.
pub async fn assert_verified(db: &Db) {
    let report = ledger::verify(db).await.unwrap();
    assert!(report.is_clean(), "{:#?}", report.violations);
}

/// An instant strictly between the movements made before and after it.
pub async fn instant() -> DateTime<Utc> {
    tokio::time::sleep(std::time::Duration::from_millis(15)).await;
    let now = Utc::now();
    tokio::time::sleep(std::time::Duration::from_millis(15)).await;
    now
}

/// An instant as a query-string value.
pub fn q(d: DateTime<Utc>) -> String {
    urlencode(&d.to_rfc3339_opts(chrono::SecondsFormat::Micros, true))
}

/// Configures Trustology at `api_url` with `api_key` (the test provider enabled too) and has a
/// new customer with 100 USD request a 40 withdrawal; returns the withdrawal's id.
pub async fn trustology_withdrawal(
    t: &TestApp,
    admin: &str,
    api_url: &str,
    api_key: &str,
) -> String {
    enable_test_provider(t, admin).await;
    t.server
        .put("/api/payment-providers/trustology")
        .authorization_bearer(admin)
        .json(&json!({"enabled": true, "keyValues": [
            {"key": "apiUrl", "value": api_url},
            {"key": "walletId", "value": "W-9"},
            {"key": "apiKey", "value": api_key},
            {"key": "privateKey", "value": "tr-private"}]}))
        .await
        .assert_status_ok();
    let cust = t.customer().admin(admin).with_wallet("USD", 100).create().await.token;
    let r = t
        .server
        .post("/api/me/withdrawals")
        .authorization_bearer(&cust)
        .json(&json!({"provider": "test", "amount": 40, "walletAddress": "0xclient"}))
        .await;
    r.assert_status_ok();
    r.json::<Value>()["withdrawal"]["id"].as_str().expect("withdrawal id").to_owned()
}

/// Starts a deposit of `amount` into `wallet` with the test provider (the client's call).
pub async fn start_deposit(t: &TestApp, token: &str, wallet: i64, amount: i64) -> (u16, Value) {
    let r = t
        .server
        .post("/api/me/deposits")
        .authorization_bearer(token)
        .json(&json!({"provider": "test", "walletId": wallet, "amount": amount}))
        .await;
    (r.status_code().as_u16(), r.json())
}

/// The test provider's callback with the raw body `raw`, signed with `signature` if any.
pub async fn callback(t: &TestApp, raw: &str, signature: Option<&str>) -> (u16, Value) {
    let mut req = t
        .server
        .post("/api/payment-providers/test/callback")
        .content_type("application/json")
        .bytes(raw.as_bytes().to_vec().into());
    if let Some(s) = signature {
        req = req
            .add_header(HeaderName::from_static("x-signature"), HeaderValue::from_str(s).unwrap());
    }
    let r = req.await;
    (r.status_code().as_u16(), r.json())
}

/// `raw` signed with the test provider's secret.
pub fn signed(raw: &str) -> String {
    sign(SECRET.as_bytes(), raw.as_bytes()).unwrap()
}

/// Holds the database's write lock, and on PostgreSQL every ledger account, until the
/// returned transaction ends: money movements sent meanwhile queue up behind it (so a lane
/// takes them in one batch).
pub async fn hold_writes(t: &TestApp) -> brokercrm_store::DatabaseTransaction {
    use brokercrm_store::ConnectionTrait;
    let db = t.app.db();
    let hold = db.begin_write().await.unwrap();
    if db.backend() == brokercrm_store::Backend::Postgres {
        hold.execute_unprepared("SELECT id FROM ledger_accounts ORDER BY id FOR UPDATE")
            .await
            .unwrap();
    }
    hold
}
