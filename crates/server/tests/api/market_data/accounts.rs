//! Seed 003 account methods, every row of their failure tables: create, get by id, get by
//! e-mail, reset password, change e-mail; e-mail case; one application never sees another's
//! accounts.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::market_data::{
    account, application, assert_md_error, call, complete_wizard, feed,
};

const WRONG_KEY: &str = "Authentication has failed due to wrong API key";

#[tokio::test]
async fn create_account_rows() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({})).await;
    let body = json!({"email": "Bob.Smith@Example.com", "metadata": {"firstName": "Bob", "country": null}, "allowedStatuses": "ALL"});

    // 401 AUTHENTICATION FAILED: a wrong key, and no key at all.
    let r = call(&t, "bmd_nope_nope", "POST", "/api/v1/accounts", Some(body.clone())).await;
    assert_md_error(r, 401, "AUTHENTICATION FAILED", WRONG_KEY);
    let r = t.server.post("/api/v1/accounts").json(&body).await;
    assert_md_error((401, r.json()), 401, "AUTHENTICATION FAILED", WRONG_KEY);

    // 200, the e-mail saved in lower case.
    let (s, b) = call(&t, &a.key, "POST", "/api/v1/accounts", Some(body.clone())).await;
    assert_eq!(s, 200, "{b}");
    let id = b["accountId"].as_str().unwrap().to_owned();
    assert_eq!(b.as_object().unwrap().len(), 1);
    let (s, got) = call(&t, &a.key, "GET", &format!("/api/v1/accounts/{id}"), None).await;
    assert_eq!(s, 200);
    assert_eq!(got, json!({"id": id, "email": "bob.smith@example.com"}));

    // 422 ACCOUNT_ALREADY_EXISTS, whatever the case.
    let again = json!({"email": "BOB.SMITH@example.COM", "metadata": {}});
    let r = call(&t, &a.key, "POST", "/api/v1/accounts", Some(again)).await;
    assert_md_error(r, 422, "ACCOUNT_ALREADY_EXISTS", "Account");

    // 400 BAD_REQUEST: missing, empty, malformed, wrongly typed e-mail.
    for email in [Value::Null, json!(""), json!("not-an-email"), json!(42)] {
        let r = call(
            &t,
            &a.key,
            "POST",
            "/api/v1/accounts",
            Some(json!({"email": email, "metadata": {}})),
        )
        .await;
        assert_md_error(r, 400, "BAD_REQUEST", "Valid email should be specified");
    }
    let r = call(&t, &a.key, "POST", "/api/v1/accounts", Some(json!({"metadata": {}}))).await;
    assert_md_error(r, 400, "BAD_REQUEST", "Valid email should be specified");
    // An allowedStatuses outside the three values.
    let r = call(
        &t,
        &a.key,
        "POST",
        "/api/v1/accounts",
        Some(json!({"email": "x@example.com", "metadata": {}, "allowedStatuses": "SOME"})),
    )
    .await;
    assert_md_error(r, 400, "BAD_REQUEST", "Invalid value for allowedStatuses");
    let r = t.server.post("/api/v1/accounts").authorization_bearer(&a.key).text("{not json").await;
    assert_md_error((r.status_code().as_u16(), r.json()), 400, "BAD_REQUEST", "");
    let (s, _) = call(&t, &admin, "GET", "/api/v1/accounts/by-email/x@example.com", None).await;
    assert_eq!(s, 401, "a staff token is no application key");
}

#[tokio::test]
async fn get_account_rows_and_application_isolation() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({"name": "A"})).await;
    let b = application(&t, &admin, json!({"name": "B"})).await;
    let id = account(&t, &a.key, "Shared@Example.com", json!({})).await;

    let r = call(&t, "wrong", "GET", &format!("/api/v1/accounts/{id}"), None).await;
    assert_md_error(r, 401, "AUTHENTICATION FAILED", WRONG_KEY);
    let r = call(&t, &a.key, "GET", "/api/v1/accounts/0190f3c2-7f1e-7c4e-9a51-2b8f4a1d9e01", None)
        .await;
    assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");

    // By e-mail, any case.
    let (s, got) =
        call(&t, &a.key, "GET", "/api/v1/accounts/by-email/SHARED@example.com", None).await;
    assert_eq!(s, 200, "{got}");
    assert_eq!(got["id"], id.as_str());
    let r = call(&t, "wrong", "GET", "/api/v1/accounts/by-email/shared@example.com", None).await;
    assert_md_error(r, 401, "AUTHENTICATION FAILED", WRONG_KEY);
    let r = call(&t, &a.key, "GET", "/api/v1/accounts/by-email/nobody@example.com", None).await;
    assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");
    let r = call(&t, &a.key, "GET", "/api/v1/accounts/by-email/not-an-email", None).await;
    assert_md_error(r, 400, "BAD_REQUEST", "Valid email should be specified");

    // Application B sees none of A's accounts, by id, e-mail or any operation on it.
    let r = call(&t, &b.key, "GET", &format!("/api/v1/accounts/{id}"), None).await;
    assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");
    let r = call(&t, &b.key, "GET", "/api/v1/accounts/by-email/shared@example.com", None).await;
    assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");
    for (method, path, body) in [
        ("GET", format!("/api/v1/accounts/{id}/subscriptions"), None),
        (
            "POST",
            format!("/api/v1/accounts/{id}/subscriptions"),
            Some(json!({"subscriptions": ["X"]})),
        ),
        (
            "POST",
            format!("/api/v1/accounts/{id}/change-email"),
            Some(json!({"email": "n@example.com"})),
        ),
        ("POST", format!("/api/v1/accounts/{id}/reset-password"), None),
        ("POST", format!("/api/v1/accounts/{id}/profile-link"), None),
    ] {
        let r = call(&t, &b.key, method, &path, body).await;
        assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");
    }
    let (s, tok) = call(&t, &b.key, "POST", "/api/v1/token", Some(json!({"accountId": id}))).await;
    assert_eq!((s, tok["reason"].as_str()), (200, Some("ACCOUNT_NOT_FOUND")));
    // B may hold its own account of the same e-mail.
    let other = account(&t, &b.key, "shared@example.com", json!({})).await;
    assert_ne!(other, id);
}

#[tokio::test]
async fn reset_password_rows() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let on = application(&t, &admin, json!({"credentialsEnabled": true})).await;
    let off = application(&t, &admin, json!({"credentialsEnabled": false})).await;
    feed(&t, &admin, "CME", json!({})).await;
    let id = account(&t, &on.key, "pw@example.com", json!({})).await;
    let path = format!("/api/v1/accounts/{id}/reset-password");

    let r = call(&t, "wrong", "POST", &path, None).await;
    assert_md_error(r, 401, "AUTHENTICATION FAILED", WRONG_KEY);
    let r = call(
        &t,
        &on.key,
        "POST",
        "/api/v1/accounts/0190f3c2-7f1e-7c4e-9a51-2b8f4a1d9e01/reset-password",
        None,
    )
    .await;
    assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");
    // No credentials yet: 200, nothing sent.
    let (s, _) = call(&t, &on.key, "POST", &path, None).await;
    assert_eq!(s, 200);
    t.run_jobs().await;
    assert!(t.emails.sent().is_empty());

    // After an activation the credentials exist; a reset sends a new password.
    let (_, b) = call(
        &t,
        &on.key,
        "POST",
        &format!("/api/v1/accounts/{id}/subscriptions"),
        Some(json!({"subscriptions": ["CME"]})),
    )
    .await;
    complete_wizard(&t, b["signupPageByTheme"]["DARK"].as_str().unwrap(), "no", "10.0.0.2").await;
    t.run_jobs().await;
    assert_eq!(t.emails.sent().len(), 1);
    let (s, _) = call(&t, &on.key, "POST", &path, None).await;
    assert_eq!(s, 200);
    t.run_jobs().await;
    let sent = t.emails.sent();
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].to, "pw@example.com");
    assert!(sent[1].text.contains("Password: "), "{}", sent[1].text);

    let other = account(&t, &off.key, "pw@example.com", json!({})).await;
    let r =
        call(&t, &off.key, "POST", &format!("/api/v1/accounts/{other}/reset-password"), None).await;
    assert_md_error(r, 422, "CREDENTIALS_GENERATION_DISABLED", "Credentials generation disabled");
}

#[tokio::test]
async fn change_email_rows() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let a = application(&t, &admin, json!({})).await;
    let id = account(&t, &a.key, "old@example.com", json!({})).await;
    account(&t, &a.key, "taken@example.com", json!({})).await;
    let path = format!("/api/v1/accounts/{id}/change-email");

    let r = call(&t, "wrong", "POST", &path, Some(json!({"email": "new@example.com"}))).await;
    assert_md_error(r, 401, "AUTHENTICATION FAILED", WRONG_KEY);
    for body in [json!({}), json!({"email": null}), json!({"email": "  "})] {
        let r = call(&t, &a.key, "POST", &path, Some(body)).await;
        assert_md_error(r, 400, "BAD_REQUEST", "Email should be specified");
    }
    let r = call(&t, &a.key, "POST", &path, Some(json!({"email": "no-at-sign"}))).await;
    assert_md_error(r, 400, "BAD_REQUEST", "Valid email should be specified");
    let r = call(&t, &a.key, "POST", &path, Some(json!({"email": "OLD@example.com"}))).await;
    assert_md_error(r, 422, "CREDENTIALS_GENERATION_DISABLED", "Credentials generation disabled");
    let r = call(&t, &a.key, "POST", &path, Some(json!({"email": "taken@example.com"}))).await;
    assert_md_error(r, 422, "ACCOUNT_ALREADY_EXISTS", "Account");
    let r = call(
        &t,
        &a.key,
        "POST",
        "/api/v1/accounts/0190f3c2-7f1e-7c4e-9a51-2b8f4a1d9e01/change-email",
        Some(json!({"email": "z@example.com"})),
    )
    .await;
    assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");

    let (s, _) =
        call(&t, &a.key, "POST", &path, Some(json!({"email": "New.Bob@Example.com"}))).await;
    assert_eq!(s, 200);
    let (_, got) = call(&t, &a.key, "GET", &format!("/api/v1/accounts/{id}"), None).await;
    assert_eq!(got["email"], "new.bob@example.com");
    let r = call(&t, &a.key, "GET", "/api/v1/accounts/by-email/old@example.com", None).await;
    assert_md_error(r, 404, "ACCOUNT_NOT_FOUND", "Account");
}
