//! "Activate subscription" v1 and v2: every failure row (account, feed, already active,
//! single use, the five status restrictions, the v2 body and end dates), and end dates with
//! offsets.

use brokercrm_app::platform::clock::Clock;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::put;
use crate::helpers::market_data::{
    account, application, assert_md_error, call, complete_wizard, feed,
};

const WRONG_KEY: &str = "Authentication has failed due to wrong API key";
const NOBODY: &str = "0190f3c2-7f1e-7c4e-9a51-2b8f4a1d9e01";

fn v1(feeds: &[&str]) -> Option<Value> {
    Some(json!({"subscriptions": feeds}))
}

/// Activates and completes the wizard for `feeds` with `answer`; the subscription is then
/// active (no confirmation in these applications).
async fn subscribe(t: &TestApp, key: &str, id: &str, feeds: &[&str], answer: &str) {
    let (s, b) =
        call(t, key, "POST", &format!("/api/v1/accounts/{id}/subscriptions"), v1(feeds)).await;
    assert_eq!(s, 200, "{b}");
    let r =
        complete_wizard(t, b["signupPageByTheme"]["LIGHT"].as_str().unwrap(), answer, "10.1.1.1")
            .await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
}

#[tokio::test]
async fn activation_failure_rows_v1_and_v2() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({})).await;
    feed(&t, &admin, "CME", json!({})).await;
    feed(&t, &admin, "ONCE", json!({"singleUse": true})).await;
    let id = account(&t, &a.key, "act@example.com", json!({})).await;
    for v in ["v1", "v2"] {
        let path = format!("/api/{v}/accounts/{id}/subscriptions");
        let body = |name: &str| {
            if v == "v1" {
                json!({"subscriptions": [name]})
            } else {
                json!({"subscriptions": [{"feedName": name}]})
            }
        };
        let r = call(&t, "wrong", "POST", &path, Some(body("CME"))).await;
        assert_md_error(r, 401, "AUTHENTICATION FAILED", WRONG_KEY);
        let r = call(
            &t,
            &a.key,
            "POST",
            &format!("/api/{v}/accounts/{NOBODY}/subscriptions"),
            Some(body("CME")),
        )
        .await;
        assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");
        let r = call(&t, &a.key, "POST", &path, Some(body("NASDAQ"))).await;
        assert_md_error(r, 404, "FEED_NOT_FOUND", "Unknown feed");
        for empty in [json!({}), json!({"subscriptions": []}), json!({"subscriptions": "CME"})] {
            let r = call(&t, &a.key, "POST", &path, Some(empty)).await;
            assert_md_error(r, 400, "BAD_REQUEST", "Subscriptions should be specified");
        }
    }
    let r = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v2/accounts/{id}/subscriptions"),
        Some(json!({"subscriptions": [{"feedName": ""}]})),
    )
    .await;
    assert_md_error(r, 400, "BAD_REQUEST", "Feed name should be specified");
    let r = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v2/accounts/{id}/subscriptions"),
        Some(json!({"subscriptions": [{"endDate": "2031-01-01T00:00:00Z"}]})),
    )
    .await;
    assert_md_error(r, 400, "BAD_REQUEST", "Feed name should be specified");

    // 409 SUBSCRIPTION_ALREADY_ACTIVE; 409 SINGLE_USE_FEED_ACTIVATED_BEFORE after a cancel.
    subscribe(&t, &a.key, &id, &["CME", "ONCE"], "no").await;
    let r = call(&t, &a.key, "POST", &format!("/api/v1/accounts/{id}/subscriptions"), v1(&["cme"]))
        .await;
    assert_md_error(r, 409, "SUBSCRIPTION_ALREADY_ACTIVE", "Subscription");
    let (s, _) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{id}/subscriptions/cancel"),
        v1(&["ONCE", "CME"]),
    )
    .await;
    assert_eq!(s, 200);
    let r = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v2/accounts/{id}/subscriptions"),
        Some(json!({"subscriptions": [{"feedName": "ONCE"}]})),
    )
    .await;
    assert_md_error(
        r,
        409,
        "SINGLE_USE_FEED_ACTIVATED_BEFORE",
        "Single-use subscription has been already activated",
    );
    // An ordinary feed comes back after a cancel; the wizard is not asked again.
    let (s, b) =
        call(&t, &a.key, "POST", &format!("/api/v1/accounts/{id}/subscriptions"), v1(&["CME"]))
            .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b, json!({"signupPageByTheme": null, "confirmationId": null}));
    let (_, subs) =
        call(&t, &a.key, "GET", &format!("/api/v1/accounts/{id}/subscriptions"), None).await;
    let status = |name: &str| {
        subs["subscriptions"].as_array().unwrap().iter().find(|s| s["name"] == name).unwrap()["status"].clone()
    };
    assert_eq!(status("CME"), "ACTIVE");
    assert_eq!(status("ONCE"), "EXPIRED");
}

#[tokio::test]
async fn the_five_status_restriction_rows() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let all = application(&t, &admin, json!({"name": "all"})).await;
    let pro_only =
        application(&t, &admin, json!({"name": "pro", "allowedStatuses": "PROFESSIONAL"})).await;
    feed(&t, &admin, "PRO", json!({"allowedStatuses": "PROFESSIONAL"})).await;
    feed(&t, &admin, "NONPRO", json!({"allowedStatuses": "NON_PROFESSIONAL"})).await;
    feed(&t, &admin, "ANY", json!({})).await;
    let prefix = "Requested feeds can't be activated: ";
    let activate = |key: String, id: String, feeds: Vec<&'static str>| {
        let t = &t;
        async move {
            call(
                t,
                &key,
                "POST",
                &format!("/api/v1/accounts/{id}/subscriptions"),
                Some(json!({"subscriptions": feeds})),
            )
            .await
        }
    };

    let id = account(&t, &all.key, "a@example.com", json!({})).await;
    let r = activate(all.key.clone(), id.clone(), vec!["PRO", "NONPRO"]).await;
    assert_md_error(
        r,
        400,
        "BAD_REQUEST",
        &format!("{prefix}Two or more feeds have different subscriber status restrictions"),
    );

    let np = account(
        &t,
        &pro_only.key,
        "np@example.com",
        json!({"allowedStatuses": "NON_PROFESSIONAL"}),
    )
    .await;
    let r = activate(pro_only.key.clone(), np, vec!["ANY"]).await;
    assert_md_error(
        r,
        400,
        "BAD_REQUEST",
        &format!(
            "{prefix}There is a conflict between account subscriber status and tenant subscriber status restrictions"
        ),
    );

    let np =
        account(&t, &all.key, "np@example.com", json!({"allowedStatuses": "NON_PROFESSIONAL"}))
            .await;
    let r = activate(all.key.clone(), np, vec!["ANY", "PRO"]).await;
    assert_md_error(
        r,
        400,
        "BAD_REQUEST",
        &format!(
            "{prefix}There is a conflict between account subscriber status and subscriber status restrictions of one or more feeds"
        ),
    );

    // An account that declared itself professional in the wizard.
    let pro = account(&t, &all.key, "pro@example.com", json!({})).await;
    subscribe(&t, &all.key, &pro, &["ANY"], "yes").await;
    let r = activate(all.key.clone(), pro.clone(), vec!["NONPRO"]).await;
    assert_md_error(
        r,
        400,
        "BAD_REQUEST",
        &format!(
            "{prefix}Account subscriber status doesn't align with subscriber status restrictions of one or more feeds"
        ),
    );
    let (s, _) = put(
        &t,
        &admin,
        &format!("/api/market-data-entitlements/applications/{}", all.id),
        json!({"name": "all", "allowedStatuses": "NON_PROFESSIONAL"}),
    )
    .await;
    assert_eq!(s, 200);
    let (s, _) = call(
        &t,
        &all.key,
        "POST",
        &format!("/api/v1/accounts/{pro}/subscriptions/cancel"),
        Some(json!({"subscriptions": ["ANY"]})),
    )
    .await;
    assert_eq!(s, 200);
    let r = activate(all.key.clone(), pro, vec!["ANY"]).await;
    assert_md_error(
        r,
        400,
        "BAD_REQUEST",
        &format!(
            "{prefix}Account subscriber status doesn't align with the tenant subscriber status restrictions"
        ),
    );
}

#[tokio::test]
async fn v2_end_dates_past_malformed_and_with_offsets() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({})).await;
    feed(&t, &admin, "CME", json!({})).await;
    feed(&t, &admin, "EUREX", json!({"defaultDays": 10})).await;
    feed(&t, &admin, "ICE", json!({})).await;
    let id = account(&t, &a.key, "dates@example.com", json!({})).await;
    let path = format!("/api/v2/accounts/{id}/subscriptions");
    let with = |end: Value| Some(json!({"subscriptions": [{"feedName": "CME", "endDate": end}]}));
    let r = call(&t, &a.key, "POST", &path, with(json!("2020-01-01T00:00:00Z"))).await;
    assert_md_error(r, 400, "BAD_REQUEST", "End date should be set in the future");
    let just_past = (t.clock.now() - chrono::Duration::minutes(1))
        .with_timezone(&chrono::FixedOffset::east_opt(5 * 3600).unwrap());
    let r = call(&t, &a.key, "POST", &path, with(json!(just_past.to_rfc3339()))).await;
    assert_md_error(r, 400, "BAD_REQUEST", "End date should be set in the future");
    for bad in
        [json!("tomorrow"), json!("2031-02-30T00:00:00Z"), json!("2031-01-01"), json!(5), json!("")]
    {
        let r = call(&t, &a.key, "POST", &path, with(bad)).await;
        assert_md_error(r, 400, "BAD_REQUEST", "Invalid value for endDate");
    }

    // Offsets: +04:00 and +0000 are the same instants in UTC; no end date is no end (or the
    // feed's default duration).
    let body = json!({"subscriptions": [
        {"feedName": "CME", "endDate": "2031-12-22T04:01:28+04:00"},
        {"feedName": "ICE", "endDate": "2031-12-22T23:59:59+0000"},
        {"feedName": "EUREX"}
    ]});
    let (s, b) = call(&t, &a.key, "POST", &path, Some(body)).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["confirmationId"], Value::Null);
    complete_wizard(&t, b["signupPageByTheme"]["LIGHT"].as_str().unwrap(), "no", "10.1.1.2").await;
    let (_, subs) =
        call(&t, &a.key, "GET", &format!("/api/v1/accounts/{id}/subscriptions"), None).await;
    let list = subs["subscriptions"].as_array().unwrap();
    let end = |name: &str| list.iter().find(|s| s["name"] == name).unwrap()["expiresAt"].clone();
    assert_eq!(end("CME"), "2031-12-22T00:01:28Z");
    assert_eq!(end("ICE"), "2031-12-22T23:59:59Z");
    let eurex = chrono::DateTime::parse_from_rfc3339(end("EUREX").as_str().unwrap()).unwrap();
    let days = (eurex.with_timezone(&chrono::Utc) - t.clock.now()).num_hours();
    assert!((239..=240).contains(&days), "{days}");
    assert!(list.iter().all(|s| s["status"] == "ACTIVE"), "{subs}");
}
