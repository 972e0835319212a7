//! What the fast paths must keep true: the credentials e-mail's job payload is sealed (the
//! password is never at rest in plain text), a feed's new filters reach the next token at
//! once (the feed cache is forgotten on a change), a cancel or an activation reaches it too
//! (nothing per account is cached), and accounts created at the same moment (one group
//! commit) each get their own answer — a taken e-mail its `ACCOUNT_ALREADY_EXISTS`.

use brokercrm_app::platform::email::EmailJob;
use brokercrm_store::jobs;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::{json_request, put, send_concurrently};
use crate::helpers::market_data::{account, application, call, complete_wizard, feed};

async fn subscribe(t: &TestApp, key: &str, id: &str, feeds: Value) {
    let path = format!("/api/v1/accounts/{id}/subscriptions");
    let (s, b) = call(t, key, "POST", &path, Some(json!({ "subscriptions": feeds }))).await;
    assert_eq!(s, 200, "{b}");
    if let Some(link) = b["signupPageByTheme"]["LIGHT"].as_str() {
        let r = complete_wizard(t, link, "no", "10.1.1.1").await;
        assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
    }
}

async fn details(t: &TestApp, key: &str, id: &str) -> Value {
    let body = json!({"accountId": id, "withDetails": true});
    let (s, b) = call(t, key, "POST", "/api/v1/token", Some(body)).await;
    assert_eq!(s, 200, "{b}");
    if b["status"] == "OK" { b["details"].clone() } else { b["reason"].clone() }
}

#[tokio::test]
async fn the_credentials_email_job_holds_no_password_at_rest() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({"credentialsEnabled": true})).await;
    feed(&t, &admin, "CME", json!({})).await;
    let id = account(&t, &a.key, "sealed@example.com", json!({})).await;
    subscribe(&t, &a.key, &id, json!(["CME"])).await;
    let job = jobs::list_by_kind(t.app.db(), "email.send", 1).await.unwrap().remove(0);
    let stored = job.payload.clone();
    // The same payload opens to the e-mail with the data key.
    let opened: EmailJob = serde_json::from_str(&job.payload).unwrap();
    let opened = opened.open(t.app.data_key()).unwrap();
    assert_eq!(opened.to, "sealed@example.com");
    t.run_jobs().await;
    let mail = t.emails.sent().pop().unwrap();
    assert_eq!(mail.text, opened.text);
    let field =
        |k: &str| mail.text.lines().find_map(|l| l.strip_prefix(k)).unwrap().trim().to_owned();
    let (login, password) = (field("Login:"), field("Password:"));
    assert!(password.len() >= 12, "{password}");
    for secret in [&password, &login, &"sealed@example.com".to_owned()] {
        assert!(!stored.contains(secret.as_str()), "{secret} in the stored payload: {stored}");
    }
    assert!(stored.contains("\"sealed\""), "{stored}");

    // Reset password: a new password, sealed the same way.
    let (s, _) =
        call(&t, &a.key, "POST", &format!("/api/v1/accounts/{id}/reset-password"), None).await;
    assert_eq!(s, 200);
    let job = jobs::list_by_kind(t.app.db(), "email.send", 1).await.unwrap().remove(0);
    t.run_jobs().await;
    let mail = t.emails.sent().pop().unwrap();
    let new_password = mail.text.lines().find_map(|l| l.strip_prefix("Password:")).unwrap().trim();
    assert_ne!(new_password, password);
    assert!(!job.payload.contains(new_password));
}

#[tokio::test]
async fn a_staff_password_reset_link_is_not_stored_in_plain_text() {
    let t = TestApp::spawn().await;
    let u = t.user(brokercrm_core::identity::auth::Role::Customer).create().await;
    let r = t.server.post("/api/forgot-password").json(&json!({"contact": u.email})).await;
    assert!(r.status_code().is_success(), "{}", r.text());
    let job = jobs::list_by_kind(t.app.db(), "email.send", 1).await.unwrap().remove(0);
    t.run_jobs().await;
    let mail = t.emails.sent().pop().unwrap();
    let link = mail.text.split_whitespace().find(|w| w.contains("://")).unwrap().to_owned();
    let stored = job.payload;
    assert!(!stored.contains(&link) && !stored.contains(&u.email), "{stored}");
}

#[tokio::test]
async fn tokens_follow_feed_changes_cancels_and_new_activations_at_once() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({})).await;
    let cme = feed(&t, &admin, "CME", json!({"qdFilters": ["CME"]})).await;
    feed(&t, &admin, "NASDAQ", json!({"qdFilters": ["NASDAQ"]})).await;
    let id = account(&t, &a.key, "hot@example.com", json!({})).await;
    assert_eq!(details(&t, &a.key, &id).await, "NO_ACTIVE_SUBSCRIPTIONS");
    subscribe(&t, &a.key, &id, json!(["CME"])).await;
    assert_eq!(details(&t, &a.key, &id).await, json!(["CME"]));
    // The feed's filters change: the next token carries the new ones.
    let mut body = cme.clone();
    body["qdFilters"] = json!(["CME", "CBOT"]);
    let path = format!("/api/market-data-entitlements/feeds/{}", cme["id"]);
    let (s, b) = put(&t, &admin, &path, body).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(details(&t, &a.key, &id).await, json!(["CME", "CBOT"]));
    // A second feed is activated: the next token has both.
    subscribe(&t, &a.key, &id, json!(["NASDAQ"])).await;
    assert_eq!(details(&t, &a.key, &id).await, json!(["CME", "CBOT", "NASDAQ"]));
    // Cancelled (at once by default): gone from the next token.
    let cancel = format!("/api/v1/accounts/{id}/subscriptions/cancel");
    let (s, b) = call(&t, &a.key, "POST", &cancel, Some(json!({"subscriptions": ["CME"]}))).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(details(&t, &a.key, &id).await, json!(["NASDAQ"]));
    // Another application's key does not see the account.
    let other = application(&t, &admin, json!({"name": "Other"})).await;
    assert_eq!(details(&t, &other.key, &id).await, "ACCOUNT_NOT_FOUND");
}

#[tokio::test]
async fn accounts_created_at_the_same_moment_each_get_their_answer() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({})).await;
    // 40 distinct e-mails and the same one 4 times (in any case), all at once.
    let mut emails: Vec<String> = (0..40).map(|i| format!("batch{i}@example.com")).collect();
    emails.extend(
        ["Twice@Example.com", "twice@example.com", "TWICE@example.com", "twice@Example.com"]
            .map(String::from),
    );
    let requests = emails
        .iter()
        .map(|e| json_request("/api/v1/accounts", &a.key, None, &json!({ "email": e })))
        .collect();
    let answers = send_concurrently(&t, requests).await;
    let mut ids = std::collections::HashSet::new();
    for (s, b) in &answers[..40] {
        assert_eq!(*s, 200, "{b}");
        assert!(ids.insert(b["accountId"].as_str().unwrap().to_owned()));
    }
    let dup = &answers[40..];
    assert_eq!(dup.iter().filter(|(s, _)| *s == 200).count(), 1, "{dup:?}");
    for (s, b) in dup.iter().filter(|(s, _)| *s != 200) {
        assert_eq!((*s, b["reason"].as_str()), (422, Some("ACCOUNT_ALREADY_EXISTS")), "{b}");
    }
    // Every account exists, with its history's first line.
    for id in &ids {
        let (s, b) = call(&t, &a.key, "GET", &format!("/api/v1/accounts/{id}"), None).await;
        assert_eq!(s, 200, "{b}");
        let (_, d) = crate::helpers::http::get(
            &t,
            &admin,
            &format!("/api/market-data-entitlements/accounts/{id}"),
        )
        .await;
        assert_eq!(d["history"][0]["kind"], "account.created", "{d}");
    }
}
