//! Tokens by account id and by credentials (every row, with and without details, verified
//! offline with the published key), Get subscriptions, Cancel (every row, both rules), expiry
//! by the job, trial tracking.

use brokercrm_app::platform::clock::Clock;
use brokercrm_store::repo::market_data::{history, subscriptions as subs_repo};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::market_data::{
    account, application, assert_md_error, call, complete_wizard, feed,
};

const NOBODY: &str = "0190f3c2-7f1e-7c4e-9a51-2b8f4a1d9e01";

async fn subscribe(t: &TestApp, key: &str, id: &str, body: Value, version: &str) {
    let (s, b) =
        call(t, key, "POST", &format!("/api/{version}/accounts/{id}/subscriptions"), Some(body))
            .await;
    assert_eq!(s, 200, "{b}");
    let r = complete_wizard(t, b["signupPageByTheme"]["LIGHT"].as_str().unwrap(), "no", "10.5.5.5")
        .await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
}

fn token_error(got: (u16, Value), status: u16, reason: &str, details: Option<Value>) {
    let (s, b) = got;
    assert_eq!(s, status, "{b}");
    let mut want = json!({"status": "ERROR", "reason": reason, "token": null});
    if let Some(d) = details {
        want["details"] = d;
    }
    assert_eq!(b, want);
}

#[tokio::test]
async fn token_by_account_id_rows_and_offline_verification() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({})).await;
    feed(&t, &admin, "CMEGROUP", json!({"qdFilters": ["CMEGROUP", "CME"]})).await;
    feed(&t, &admin, "NASDAQ", json!({"qdFilters": ["NASDAQ", "CME"]})).await;
    let id = account(&t, &a.key, "tok@example.com", json!({})).await;

    token_error(
        call(&t, "wrong", "POST", "/api/v1/token", Some(json!({"accountId": id}))).await,
        401,
        "AUTHENTICATION_FAILED",
        None,
    );
    let r = t.server.post("/api/v1/token").json(&json!({"accountId": id})).await;
    token_error((r.status_code().as_u16(), r.json()), 401, "AUTHENTICATION_FAILED", None);
    for bad in [
        json!({}),
        json!({"accountId": null}),
        json!({"accountId": ""}),
        json!({"accountId": "12345"}),
        json!({"accountId": 7}),
    ] {
        token_error(
            call(&t, &a.key, "POST", "/api/v1/token", Some(bad)).await,
            400,
            "BAD_REQUEST",
            None,
        );
    }
    token_error(
        call(&t, &a.key, "POST", "/api/v1/token", Some(json!({"accountId": NOBODY}))).await,
        200,
        "ACCOUNT_NOT_FOUND",
        None,
    );
    token_error(
        call(
            &t,
            &a.key,
            "POST",
            "/api/v1/token",
            Some(json!({"accountId": NOBODY, "withDetails": true})),
        )
        .await,
        200,
        "ACCOUNT_NOT_FOUND",
        Some(json!([])),
    );
    token_error(
        call(&t, &a.key, "POST", "/api/v1/token", Some(json!({"accountId": id}))).await,
        200,
        "NO_ACTIVE_SUBSCRIPTIONS",
        None,
    );
    token_error(
        call(
            &t,
            &a.key,
            "POST",
            "/api/v1/token",
            Some(json!({"accountId": id, "withDetails": true})),
        )
        .await,
        200,
        "NO_ACTIVE_SUBSCRIPTIONS",
        Some(json!([])),
    );

    subscribe(&t, &a.key, &id, json!({"subscriptions": ["CMEGROUP", "NASDAQ"]}), "v1").await;
    let (s, b) = call(&t, &a.key, "POST", "/api/v1/token", Some(json!({"accountId": id}))).await;
    assert_eq!(s, 200);
    assert_eq!(b["status"], "OK");
    assert_eq!(b["reason"], Value::Null);
    assert!(b.get("details").is_none(), "{b}");
    let (_, d) = call(
        &t,
        &a.key,
        "POST",
        "/api/v1/token",
        Some(json!({"accountId": id, "withDetails": true})),
    )
    .await;
    assert_eq!(d["details"], json!(["CMEGROUP", "CME", "NASDAQ"]));
    let (_, f) = call(
        &t,
        &a.key,
        "POST",
        "/api/v1/token",
        Some(json!({"accountId": id, "withDetails": false})),
    )
    .await;
    assert!(f.get("details").is_none());

    // A market-data server checks the token offline with the published key.
    let jwks: Value = t.server.get("/.well-known/market-data-jwks.json").await.json();
    let key = jsonwebtoken::DecodingKey::from_ed_components(jwks["keys"][0]["x"].as_str().unwrap())
        .unwrap();
    let mut v = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::EdDSA);
    v.set_issuer(&["brokercrm-market-data"]);
    let claims =
        jsonwebtoken::decode::<Value>(d["token"].as_str().unwrap(), &key, &v).unwrap().claims;
    assert_eq!(claims["sub"], id.as_str());
    assert_eq!(claims["app"], a.id.as_str());
    assert_eq!(claims["filters"], json!(["CMEGROUP", "CME", "NASDAQ"]));
    assert!(claims["exp"].as_i64().unwrap() > t.clock.now().timestamp());
    // A token changed by one character fails.
    let mut forged = d["token"].as_str().unwrap().to_owned();
    let last = forged.pop().unwrap();
    forged.push(if last == 'A' { 'B' } else { 'A' });
    assert!(jsonwebtoken::decode::<Value>(&forged, &key, &v).is_err());
}

#[tokio::test]
async fn token_by_credentials_rows() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({"credentialsEnabled": true})).await;
    feed(&t, &admin, "CME", json!({})).await;
    let id = account(&t, &a.key, "cred@example.com", json!({})).await;
    subscribe(&t, &a.key, &id, json!({"subscriptions": ["CME"]}), "v1").await;
    t.run_jobs().await;
    let mail = t.emails.sent().pop().unwrap();
    let field =
        |k: &str| mail.text.lines().find_map(|l| l.strip_prefix(k)).unwrap().trim().to_owned();
    let (login, password) = (field("Login:"), field("Password:"));

    let body = json!({"login": login, "password": password});
    token_error(
        call(&t, "wrong", "POST", "/api/v1/token", Some(body.clone())).await,
        401,
        "AUTHENTICATION_FAILED",
        None,
    );
    for bad in [
        json!({"login": login}),
        json!({"login": "", "password": password}),
        json!({"login": login, "password": null}),
        json!({"password": password}),
    ] {
        token_error(
            call(&t, &a.key, "POST", "/api/v1/token", Some(bad)).await,
            400,
            "BAD_REQUEST",
            None,
        );
    }
    token_error(
        call(
            &t,
            &a.key,
            "POST",
            "/api/v1/token",
            Some(json!({"login": login, "password": "wrong-password"})),
        )
        .await,
        200,
        "INVALID_CREDENTIALS",
        None,
    );
    token_error(
        call(
            &t,
            &a.key,
            "POST",
            "/api/v1/token",
            Some(json!({"login": "nobody", "password": "x", "withDetails": true})),
        )
        .await,
        200,
        "INVALID_CREDENTIALS",
        Some(json!([])),
    );
    // Another application's key does not know these credentials.
    let other = application(&t, &admin, json!({"name": "other"})).await;
    token_error(
        call(&t, &other.key, "POST", "/api/v1/token", Some(body.clone())).await,
        200,
        "INVALID_CREDENTIALS",
        None,
    );

    let (s, b) = call(
        &t,
        &a.key,
        "POST",
        "/api/v1/token",
        Some(json!({"login": login, "password": password, "withDetails": true})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!((b["status"].as_str(), b["details"].clone()), (Some("OK"), json!(["CME"])));
    let (s, _) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{id}/subscriptions/cancel"),
        Some(json!({"subscriptions": ["CME"]})),
    )
    .await;
    assert_eq!(s, 200);
    token_error(
        call(&t, &a.key, "POST", "/api/v1/token", Some(body)).await,
        200,
        "NO_ACTIVE_SUBSCRIPTIONS",
        None,
    );
}

#[tokio::test]
async fn get_subscriptions_and_cancel_rows() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({})).await;
    feed(&t, &admin, "CME", json!({})).await;
    feed(&t, &admin, "ICE", json!({})).await;
    let id = account(&t, &a.key, "cancel@example.com", json!({})).await;
    let list = format!("/api/v1/accounts/{id}/subscriptions");
    let cancel = format!("/api/v1/accounts/{id}/subscriptions/cancel");

    let r = call(&t, "wrong", "GET", &list, None).await;
    assert_md_error(
        r,
        401,
        "AUTHENTICATION FAILED",
        "Authentication has failed due to wrong API key",
    );
    let r =
        call(&t, &a.key, "GET", &format!("/api/v1/accounts/{NOBODY}/subscriptions"), None).await;
    assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");
    assert_eq!(call(&t, &a.key, "GET", &list, None).await, (200, json!({"subscriptions": []})));

    let r = call(&t, "wrong", "POST", &cancel, Some(json!({"subscriptions": ["CME"]}))).await;
    assert_md_error(
        r,
        401,
        "AUTHENTICATION FAILED",
        "Authentication has failed due to wrong API key",
    );
    let r = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{NOBODY}/subscriptions/cancel"),
        Some(json!({"subscriptions": ["CME"]})),
    )
    .await;
    assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");
    for name in ["CME", "UNKNOWN"] {
        let r = call(&t, &a.key, "POST", &cancel, Some(json!({"subscriptions": [name]}))).await;
        assert_md_error(r, 404, "SUBSCRIPTION_NOT_FOUND", "Subscription");
    }
    let r = call(&t, &a.key, "POST", &cancel, Some(json!({}))).await;
    assert_md_error(r, 400, "BAD_REQUEST", "Subscriptions should be specified");

    subscribe(&t, &a.key, &id, json!({"subscriptions": ["CME", "ICE"]}), "v1").await;
    let (s, _) = call(&t, &a.key, "POST", &cancel, Some(json!({"subscriptions": ["CME"]}))).await;
    assert_eq!(s, 200);
    let r = call(&t, &a.key, "POST", &cancel, Some(json!({"subscriptions": ["ICE", "CME"]}))).await;
    assert_md_error(r, 409, "SUBSCRIPTION_IS_EXPIRED", "Subscription");
    let (_, b) = call(&t, &a.key, "GET", &list, None).await;
    let names: Vec<(&str, &str)> = b["subscriptions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["name"].as_str().unwrap(), s["status"].as_str().unwrap()))
        .collect();
    assert_eq!(names, [("CME", "EXPIRED"), ("ICE", "ACTIVE")], "a refused cancel changed nothing");
    assert!(b["subscriptions"][0]["expiresAt"].is_string());
}

#[tokio::test]
async fn end_dates_expire_by_the_job_and_end_of_month_cancels_wait() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({"cancelMode": "END_OF_MONTH"})).await;
    feed(&t, &admin, "CME", json!({})).await;
    feed(&t, &admin, "ICE", json!({})).await;
    let id = account(&t, &a.key, "expiry@example.com", json!({})).await;
    let end = (t.clock.now() + chrono::Duration::hours(1)).to_rfc3339();
    subscribe(
        &t,
        &a.key,
        &id,
        json!({"subscriptions": [{"feedName": "CME", "endDate": end}, {"feedName": "ICE"}]}),
        "v2",
    )
    .await;
    let (s, _) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{id}/subscriptions/cancel"),
        Some(json!({"subscriptions": ["ICE"]})),
    )
    .await;
    assert_eq!(s, 200);
    let (_, b) =
        call(&t, &a.key, "GET", &format!("/api/v1/accounts/{id}/subscriptions"), None).await;
    assert_eq!(b["subscriptions"][1]["status"], "ACTIVE", "an end-of-month cancel waits: {b}");
    let ice_end =
        chrono::DateTime::parse_from_rfc3339(b["subscriptions"][1]["expiresAt"].as_str().unwrap())
            .unwrap();
    assert_eq!(
        ice_end.with_timezone(&chrono::Utc),
        brokercrm_app::market_data::cancel::end_of_month(t.clock.now())
    );

    t.clock.advance(std::time::Duration::from_secs(2 * 3600));
    let conn = t.app.db().conn();
    let row = subs_repo::for_account(conn, 1).await.unwrap();
    assert_eq!(row[0].status, "ACTIVE", "stored ACTIVE until the job runs");
    let (_, b) =
        call(&t, &a.key, "GET", &format!("/api/v1/accounts/{id}/subscriptions"), None).await;
    assert_eq!(b["subscriptions"][0]["status"], "EXPIRED", "reads EXPIRED once the end passed");
    assert_eq!(brokercrm_app::market_data::expiry::expire_due(&t.app).await.unwrap(), 1);
    let row = subs_repo::for_account(conn, row[0].account_id).await.unwrap();
    assert_eq!((row[0].status.as_str(), row[1].status.as_str()), ("EXPIRED", "ACTIVE"));
    let kinds: Vec<String> = history::for_account(conn, row[0].account_id)
        .await
        .unwrap()
        .into_iter()
        .map(|h| h.kind)
        .collect();
    assert_eq!(kinds.last().map(String::as_str), Some("subscription.expired"));

    // After the month ends, the maintenance pass expires the cancelled one too.
    t.clock.set(ice_end.with_timezone(&chrono::Utc) + chrono::Duration::seconds(1));
    brokercrm_app::workers::maintain(&t.app).await.unwrap();
    let row = subs_repo::for_account(conn, row[0].account_id).await.unwrap();
    assert_eq!(row[1].status, "EXPIRED");
    let (s, b) = call(&t, &a.key, "POST", "/api/v1/token", Some(json!({"accountId": id}))).await;
    assert_eq!((s, b["reason"].as_str()), (200, Some("NO_ACTIVE_SUBSCRIPTIONS")));
}

#[tokio::test]
async fn trial_tracking_saves_what_it_gets() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({})).await;
    for body in [
        json!({"macAddress": "00:11:22:33:44:55"}),
        json!({"email": "User@Example.com", "firstName": "John", "lastName": "Smith"}),
        json!({"macAddress": "AA:BB:CC:DD:EE:FF", "email": "user@example.com", "firstName": "John", "lastName": "Smith", "phone": "15552315555"}),
        json!({}),
    ] {
        let (s, _) = call(&t, &a.key, "POST", "/api/v1/track", Some(body)).await;
        assert_eq!(s, 200);
    }
    let rows = brokercrm_store::repo::market_data::trials::for_application(t.app.db().conn(), 1)
        .await
        .unwrap();
    assert_eq!(rows.len(), 4);
    assert_eq!(rows[1].email.as_deref(), Some("user@example.com"));
    assert_eq!(rows[2].phone.as_deref(), Some("15552315555"));
    let r = call(&t, "wrong", "POST", "/api/v1/track", Some(json!({}))).await;
    assert_md_error(
        r,
        401,
        "AUTHENTICATION FAILED",
        "Authentication has failed due to wrong API key",
    );
    let r = call(&t, &a.key, "POST", "/api/v1/track", Some(json!(["not", "an", "object"]))).await;
    assert_md_error(r, 400, "BAD_REQUEST", "A JSON object should be specified");
    // Unknown paths and wrong methods of the surface answer in its shape.
    let r = call(&t, &a.key, "GET", "/api/v1/nothing-here", None).await;
    assert_md_error(r, 404, "NOT_FOUND", "No endpoint");
    let r = call(&t, &a.key, "DELETE", "/api/v1/track", None).await;
    assert_md_error(r, 405, "METHOD_NOT_ALLOWED", "Request method");
}
