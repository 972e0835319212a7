//! The signup wizard through its real HTML form: LIGHT and DARK, pre-filled from `metadata`
//! and from the customer record, single use, field errors, the questionnaire's status refused;
//! confirmation before and after the wizard, repeated activations, every Confirm row; the
//! profile page.

use brokercrm_app::platform::clock::Clock;
use brokercrm_store::repo::market_data::{accounts, agreements};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::market_data::{
    account, application, assert_md_error, call, complete_wizard, feed, parse_form, path_of,
};

const NOBODY: &str = "0190f3c2-7f1e-7c4e-9a51-2b8f4a1d9e01";

#[tokio::test]
async fn the_wizard_completes_through_its_html_form() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({"credentialsEnabled": true})).await;
    feed(
        &t,
        &admin,
        "CMEGROUP",
        json!({"qdFilters": ["CMEGROUP", "CME"], "agreementVersion": "2026-01"}),
    )
    .await;
    // The e-mail belongs to one of our customers: the record fills what metadata leaves out.
    t.customer()
        .email("bob.smith@example.com")
        .name("Robert", "Smithers")
        .phone("+12124247271")
        .country("US")
        .create()
        .await;
    let id = account(
        &t,
        &a.key,
        "Bob.Smith@example.com",
        json!({"metadata": {"firstName": "Bob", "city": "New York City"}}),
    )
    .await;

    let (s, b) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{id}/subscriptions"),
        Some(json!({"subscriptions": ["CMEGROUP"]})),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["confirmationId"], Value::Null);
    let light = b["signupPageByTheme"]["LIGHT"].as_str().unwrap().to_owned();
    let dark = b["signupPageByTheme"]["DARK"].as_str().unwrap().to_owned();
    assert!(
        light.starts_with("http") && light.ends_with("theme=LIGHT") && dark.ends_with("theme=DARK")
    );

    let page = t.server.get(&path_of(&dark)).await;
    assert_eq!(page.status_code().as_u16(), 200);
    assert_eq!(page.header("content-type"), "text/html; charset=utf-8");
    let html = page.text();
    assert!(html.contains("<body class=\"dark\">"), "{html}");
    assert!(t.server.get(&path_of(&light)).await.text().contains("<body class=\"light\">"));
    let form = parse_form(&html);
    let value = |n: &str| form.text.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone()).unwrap();
    assert_eq!(value("firstName"), "Bob", "metadata first");
    assert_eq!(value("lastName"), "Smithers", "the customer record fills the gaps");
    assert_eq!(value("city"), "New York City");
    assert_eq!(value("phone"), "+12124247271");
    assert_eq!(form.radios.len(), 4);
    assert_eq!(form.checkboxes.len(), 1);
    assert!(html.contains("KYC"), "the customer's KYC state is shown");

    // A form without the required fields and agreement: 422, the form again, nothing stored.
    let r = t.server.post(&form.action).form(&[("firstName", "Bob")]).await;
    assert_eq!(r.status_code().as_u16(), 422);
    assert!(r.text().contains("lastName: is required"), "{}", r.text());
    assert!(r.text().contains("qBusiness: answer yes or no"));
    let row = accounts::find_by_email(t.app.db().conn(), 1, "bob.smith@example.com")
        .await
        .unwrap()
        .unwrap();
    assert!(row.profile_completed_at.is_none());

    let r = complete_wizard(&t, &dark, "no", "203.0.113.9").await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
    assert!(r.text().contains("Thank you"));
    // Single use: both themes are spent.
    for link in [&light, &dark] {
        let again = t.server.get(&path_of(link)).await;
        assert_eq!(again.status_code().as_u16(), 404);
        assert!(again.text().contains("no longer valid"));
    }
    let again = t.server.post(&form.action).form(&[("firstName", "X")]).await;
    assert_eq!(again.status_code().as_u16(), 404);

    let row =
        accounts::find_by_email(t.app.db().conn(), row.application_id, "bob.smith@example.com")
            .await
            .unwrap()
            .unwrap();
    assert_eq!(row.subscriber_status.as_deref(), Some("NON_PROFESSIONAL"));
    assert!(row.login.is_some() && row.password_hash.as_deref().unwrap().starts_with("$argon2id$"));
    let signed = agreements::for_account(t.app.db().conn(), row.id).await.unwrap();
    assert_eq!(signed.len(), 1);
    assert_eq!(signed[0].version, "2026-01");
    assert_eq!(signed[0].text, "You agree to the terms of CMEGROUP.");
    assert_eq!(signed[0].ip.as_deref(), Some("203.0.113.9"));
    let (_, subs) =
        call(&t, &a.key, "GET", &format!("/api/v1/accounts/{id}/subscriptions"), None).await;
    assert_eq!(
        subs,
        json!({"subscriptions": [{"name": "CMEGROUP", "status": "ACTIVE", "expiresAt": null}]})
    );

    // The credentials arrive by e-mail and give a token.
    t.run_jobs().await;
    let mail = t.emails.sent().pop().unwrap();
    assert_eq!(mail.to, "bob.smith@example.com");
    let field =
        |k: &str| mail.text.lines().find_map(|l| l.strip_prefix(k)).unwrap().trim().to_owned();
    let (login, password) = (field("Login:"), field("Password:"));
    let (s, tok) = call(
        &t,
        &a.key,
        "POST",
        "/api/v1/token",
        Some(json!({"login": login, "password": password, "withDetails": true})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(tok["status"], "OK", "{tok}");
    assert_eq!(tok["details"], json!(["CMEGROUP", "CME"]));
}

#[tokio::test]
async fn a_status_the_restrictions_refuse_is_shown_after_the_questionnaire() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({})).await;
    feed(&t, &admin, "CME", json!({})).await;
    let id =
        account(&t, &a.key, "np@example.com", json!({"allowedStatuses": "NON_PROFESSIONAL"})).await;
    let (_, b) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{id}/subscriptions"),
        Some(json!({"subscriptions": ["CME"]})),
    )
    .await;
    let link = b["signupPageByTheme"]["LIGHT"].as_str().unwrap().to_owned();
    let r = complete_wizard(&t, &link, "yes", "10.2.2.2").await;
    assert_eq!(r.status_code().as_u16(), 409);
    assert!(r.text().contains("Your answers make you a professional subscriber"), "{}", r.text());
    // Nothing stored; the link still works and a non-professional answer completes it.
    let (_, subs) =
        call(&t, &a.key, "GET", &format!("/api/v1/accounts/{id}/subscriptions"), None).await;
    assert_eq!(subs["subscriptions"], json!([]));
    let r = complete_wizard(&t, &link, "no", "10.2.2.2").await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
}

/// How many of the account's subscriptions are active.
async fn active(t: &TestApp, key: &str, id: &str) -> usize {
    let (_, s) = call(t, key, "GET", &format!("/api/v1/accounts/{id}/subscriptions"), None).await;
    s["subscriptions"].as_array().unwrap().iter().filter(|s| s["status"] == "ACTIVE").count()
}

#[tokio::test]
async fn confirmation_before_or_after_the_wizard_and_every_confirm_row() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(
        &t,
        &admin,
        json!({"confirmationRequired": true, "successRedirectUrl": "https://example.com/done"}),
    )
    .await;
    feed(&t, &admin, "CONFIRMED", json!({"needsConfirmation": true})).await;
    feed(&t, &admin, "FREE", json!({})).await;

    // Confirm first, then the wizard.
    let first = account(&t, &a.key, "first@example.com", json!({})).await;
    let (s, b) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{first}/subscriptions"),
        Some(json!({"subscriptions": ["CONFIRMED", "FREE"]})),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let cid = b["confirmationId"].as_str().unwrap().to_owned();
    let link = b["signupPageByTheme"]["LIGHT"].as_str().unwrap().to_owned();
    let (s, _) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{first}/subscriptions/confirm"),
        Some(json!({"confirmationId": cid})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(active(&t, &a.key, &first).await, 0, "waits for the wizard");
    let r = complete_wizard(&t, &link, "no", "10.3.3.3").await;
    assert_eq!(r.status_code().as_u16(), 303, "{}", r.text());
    assert_eq!(r.header("location"), "https://example.com/done");
    assert_eq!(active(&t, &a.key, &first).await, 2);

    // The wizard first, then confirm (v2); a v2 order is not confirmed on the v1 path.
    let second = account(&t, &a.key, "second@example.com", json!({})).await;
    let body = json!({"subscriptions": [{"feedName": "CONFIRMED"}], "successRedirectUrl": "https://example.com/v2"});
    let (_, b) =
        call(&t, &a.key, "POST", &format!("/api/v2/accounts/{second}/subscriptions"), Some(body))
            .await;
    let cid = b["confirmationId"].as_str().unwrap().to_owned();
    let r = complete_wizard(&t, b["signupPageByTheme"]["DARK"].as_str().unwrap(), "no", "10.3.3.4")
        .await;
    assert_eq!(r.header("location"), "https://example.com/v2");
    assert_eq!(active(&t, &a.key, &second).await, 0, "waits for the confirmation");
    let v1 = format!("/api/v1/accounts/{second}/subscriptions/confirm");
    let v2 = format!("/api/v2/accounts/{second}/subscriptions/confirm");
    let r = call(&t, &a.key, "POST", &v1, Some(json!({"confirmationId": cid}))).await;
    assert_md_error(r, 404, "ORDER_NOT_FOUND", "Order not found or expired.");

    // Every row of Confirm's table.
    let r = call(&t, &a.key, "POST", &v2, Some(json!({}))).await;
    assert_md_error(r, 400, "BAD_REQUEST", "Confirmation ID must be specified.");
    let r = call(&t, &a.key, "POST", &v2, Some(json!({"confirmationId": ""}))).await;
    assert_md_error(r, 400, "BAD_REQUEST", "Confirmation ID must be specified.");
    let r = call(&t, "wrong", "POST", &v2, Some(json!({"confirmationId": cid}))).await;
    assert_md_error(
        r,
        401,
        "AUTHENTICATION FAILED",
        "Authentication has failed due to wrong API key.",
    );
    let r = t.server.post(&v2).json(&json!({"confirmationId": cid})).await;
    assert_md_error(
        (r.status_code().as_u16(), r.json()),
        401,
        "AUTHENTICATION FAILED",
        "No Authorization header.",
    );
    let r = call(&t, &a.key, "POST", &v2, Some(json!({"confirmationId": "unknown"}))).await;
    assert_md_error(r, 404, "ORDER_NOT_FOUND", "Order not found or expired.");
    let r = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v2/accounts/{NOBODY}/subscriptions/confirm"),
        Some(json!({"confirmationId": cid})),
    )
    .await;
    assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");
    let (s, _) = call(&t, &a.key, "POST", &v2, Some(json!({"confirmationId": cid}))).await;
    assert_eq!(s, 200);
    assert_eq!(active(&t, &a.key, &second).await, 1);
    let r = call(&t, &a.key, "POST", &v2, Some(json!({"confirmationId": cid}))).await;
    assert_md_error(r, 404, "ORDER_NOT_FOUND", "Order not found");

    // Signed before: only a confirmation id, then the confirmation activates.
    let (_, s) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{second}/subscriptions/cancel"),
        Some(json!({"subscriptions": ["CONFIRMED"]})),
    )
    .await;
    assert_eq!(s, Value::Null);
    let (_, b) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{second}/subscriptions"),
        Some(json!({"subscriptions": ["CONFIRMED"]})),
    )
    .await;
    assert_eq!(b["signupPageByTheme"], Value::Null, "{b}");
    let cid = b["confirmationId"].as_str().unwrap().to_owned();
    let (s, _) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{second}/subscriptions/confirm"),
        Some(json!({"confirmationId": cid})),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(active(&t, &a.key, &second).await, 1);
}

#[tokio::test]
async fn a_repeated_activation_refreshes_links_and_confirmation_id_and_orders_expire() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({"confirmationRequired": true})).await;
    feed(&t, &admin, "CME", json!({"needsConfirmation": true})).await;
    let id = account(&t, &a.key, "again@example.com", json!({})).await;
    let path = format!("/api/v1/accounts/{id}/subscriptions");
    let (_, one) = call(&t, &a.key, "POST", &path, Some(json!({"subscriptions": ["CME"]}))).await;
    let (_, two) = call(&t, &a.key, "POST", &path, Some(json!({"subscriptions": ["CME"]}))).await;
    assert_ne!(one["confirmationId"], two["confirmationId"]);
    assert_ne!(one["signupPageByTheme"]["LIGHT"], two["signupPageByTheme"]["LIGHT"]);
    let old_link = path_of(one["signupPageByTheme"]["LIGHT"].as_str().unwrap());
    assert_eq!(t.server.get(&old_link).await.status_code().as_u16(), 404);
    let r = call(
        &t,
        &a.key,
        "POST",
        &format!("{path}/confirm"),
        Some(json!({"confirmationId": one["confirmationId"]})),
    )
    .await;
    assert_md_error(r, 404, "ORDER_NOT_FOUND", "Order not found or expired.");
    // Eight days later the order and its link have expired.
    t.clock.advance(std::time::Duration::from_secs(8 * 24 * 3600));
    let new_link = path_of(two["signupPageByTheme"]["LIGHT"].as_str().unwrap());
    assert_eq!(t.server.get(&new_link).await.status_code().as_u16(), 404);
    let r = call(
        &t,
        &a.key,
        "POST",
        &format!("{path}/confirm"),
        Some(json!({"confirmationId": two["confirmationId"]})),
    )
    .await;
    assert_md_error(r, 404, "ORDER_NOT_FOUND", "Order not found or expired.");
    let _ = t.clock.now();
}

#[tokio::test]
async fn the_profile_link_shows_the_data_and_agreements() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({})).await;
    feed(&t, &admin, "CME", json!({})).await;
    let id = account(&t, &a.key, "profile@example.com", json!({})).await;
    let path = format!("/api/v1/accounts/{id}/profile-link");
    let r = call(&t, "wrong", "POST", &path, None).await;
    assert_md_error(
        r,
        401,
        "AUTHENTICATION_FAILED",
        "Authentication has failed due to wrong API key",
    );
    let r =
        call(&t, &a.key, "POST", &format!("/api/v1/accounts/{NOBODY}/profile-link"), None).await;
    assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");

    let (_, b) = call(
        &t,
        &a.key,
        "POST",
        &format!("/api/v1/accounts/{id}/subscriptions"),
        Some(json!({"subscriptions": ["CME"]})),
    )
    .await;
    complete_wizard(&t, b["signupPageByTheme"]["LIGHT"].as_str().unwrap(), "no", "10.4.4.4").await;
    let (s, p) = call(&t, &a.key, "POST", &path, None).await;
    assert_eq!(s, 200, "{p}");
    let expires = chrono::DateTime::parse_from_rfc3339(p["expiresAt"].as_str().unwrap()).unwrap();
    assert!(expires > t.clock.now());
    let page = t.server.get(&path_of(p["profilePageByTheme"]["DARK"].as_str().unwrap())).await;
    assert_eq!(page.status_code().as_u16(), 200);
    let html = page.text();
    assert!(html.contains("profile@example.com") && html.contains("NON_PROFESSIONAL"), "{html}");
    assert!(html.contains("CME subscriber agreement") && html.contains("10.4.4.4"), "{html}");
    assert!(html.contains("<body class=\"dark\">"));
    t.clock.advance(std::time::Duration::from_secs(25 * 3600));
    let page = t.server.get(&path_of(p["profilePageByTheme"]["LIGHT"].as_str().unwrap())).await;
    assert_eq!(page.status_code().as_u16(), 404);
}
