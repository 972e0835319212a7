//! Settings: generic keys, the structured provider setters, masking of secrets everywhere
//! (responses, generic reads, audit log), validation that changes nothing, permissions.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::assert::fields;
use crate::helpers::http::{put, urlencode};
use crate::helpers::{TestApp, assert_error};

async fn get_value(t: &TestApp, token: &str, key: &str) -> Value {
    let r = t.server.get(&format!("/api/settings/{key}")).authorization_bearer(token).await;
    r.assert_status_ok();
    r.json::<Value>()["value"].clone()
}

/// Every string in every activity's before/after, as raw text.
async fn audit_text(t: &TestApp) -> String {
    use brokercrm_store::repo::platform::activities::{self, ActivityFilter};
    let (rows, _) =
        activities::list(t.app.db().conn(), &ActivityFilter::default(), 1000, 0).await.unwrap();
    rows.iter()
        .map(|r| format!("{:?} {:?} {}", r.before, r.after, r.details))
        .collect::<Vec<_>>()
        .join("\n")
}

#[tokio::test]
async fn generic_keys_round_trip_with_public_and_staff_reads() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let (status, body) =
        put(&t, &admin, "/api/settings/company.name", json!({"val": "  Acme Markets "})).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body, json!({"value": "Acme Markets"}));
    // public key: no token needed
    let r = t.server.get("/api/settings/company.name").await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"value": "Acme Markets"}));
    // known but unset → null
    assert_eq!(get_value(&t, &admin, "company.website").await, Value::Null);

    // staff-only key
    assert_eq!(put(&t, &admin, "/api/settings/custom.flag", json!({"val": "true"})).await.0, 200);
    let r = t.server.get("/api/settings/custom.flag").await;
    r.assert_status_unauthorized();
    assert_error(&r.json(), "unauthorized");
    let (manager, _) = t.mint_token(Role::Manager).await;
    assert_eq!(get_value(&t, &manager, "custom.flag").await, "true");
    let (customer, _) = t.mint_token(Role::Customer).await;
    let r = t.server.get("/api/settings/custom.flag").authorization_bearer(&customer).await;
    r.assert_status_forbidden();

    // custom namespace
    assert_eq!(
        put(&t, &admin, "/api/settings/custom.banner_text", json!({"val": "Hello"})).await.0,
        200
    );
    assert_eq!(get_value(&t, &manager, "custom.banner_text").await, "Hello");
}

#[tokio::test]
async fn unknown_and_system_keys_are_not_found() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    for key in ["system.jwt_secret", "nope", "custom."] {
        let r = t.server.get(&format!("/api/settings/{key}")).authorization_bearer(&admin).await;
        r.assert_status_not_found();
        assert_error(&r.json(), "not_found");
        let (status, body) =
            put(&t, &admin, &format!("/api/settings/{key}"), json!({"val": "x"})).await;
        assert_eq!(status, 404, "{key}: {body}");
    }
    // the JWT secret is untouched: the admin token still works
    assert_eq!(
        put(&t, &admin, "/api/settings/company.name", json!({"val": "Still works"})).await.0,
        200
    );
}

#[tokio::test]
async fn invalid_generic_values_name_the_field_and_change_nothing() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    assert_eq!(
        put(&t, &admin, "/api/settings/default.currency", json!({"val": "usd"})).await.1["value"],
        "USD"
    );
    for (key, val) in
        [("default.currency", "dollars"), ("company.email", "nope"), ("signup.enabled", "yes")]
    {
        let (status, body) =
            put(&t, &admin, &format!("/api/settings/{key}"), json!({"val": val})).await;
        assert_eq!(status, 422, "{key}: {body}");
        assert_error(&body, "validation_failed");
        assert_eq!(fields(&body), ["val"], "{body}");
    }
    assert_eq!(get_value(&t, &admin, "default.currency").await, "USD");
    // structured keys only through their endpoints
    let (status, body) =
        put(&t, &admin, "/api/settings/email.provider", json!({"val": "{}"})).await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["key"]);
    // missing body field → 400 naming it
    let (status, body) = put(&t, &admin, "/api/settings/company.name", json!({"value": "x"})).await;
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("val"), "{body}");
}

#[tokio::test]
async fn writes_need_manage_settings_and_a_token() {
    let t = TestApp::spawn().await;
    let (manager, _) = t.mint_token(Role::Manager).await;
    let body = json!({"sender": "noreply@broker.example", "apiKey": "SG.0123456789abcdef", "staffEmail": "staff@broker.example"});
    for (path, b) in [
        ("/api/settings/company.name", json!({"val": "x"})),
        ("/api/settings/email/sendgrid", body.clone()),
        ("/api/settings/voip/coperato", json!({"url": "https://coperato.example.com"})),
        ("/api/settings/default-wallet", json!({"platform": "internal", "group": "standard"})),
    ] {
        let (status, resp) = put(&t, &manager, path, b.clone()).await;
        assert_eq!(status, 403, "{path}: {resp}");
        assert_error(&resp, "forbidden");
        let r = t.server.put(path).json(&b).await;
        r.assert_status_unauthorized();
    }
    assert!(brokercrm_app::platform::email::provider(&t.app).await.unwrap().is_none());
}

#[tokio::test]
async fn email_providers_are_stored_and_never_shown_in_full() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let cases = [
        (
            "sendgrid",
            json!({"sender": "Broker <noreply@broker.example>", "apiKey": "SG.sendgrid-secret-0001", "staffEmail": "staff@broker.example"}),
            "SG.sendgrid-secret-0001",
        ),
        (
            "mailgun",
            json!({"sender": "noreply@mg.broker.example", "apiKey": "key-mailgun-secret-0002", "domain": "mg.broker.example", "username": "api", "staffEmail": "staff@broker.example"}),
            "key-mailgun-secret-0002",
        ),
        (
            "smtp",
            json!({"host": "smtp.broker.example", "sender": "noreply@broker.example", "port": 587, "username": "mailer", "password": "smtp-password-secret-0003", "secure": false, "staffEmail": "staff@broker.example"}),
            "smtp-password-secret-0003",
        ),
        (
            "brevo",
            json!({"apiKey": "xkeysib-brevo-secret-0004", "sender": "noreply@broker.example", "staffEmail": "staff@broker.example"}),
            "xkeysib-brevo-secret-0004",
        ),
    ];
    for (provider, body, secret) in cases {
        let (status, resp) =
            put(&t, &admin, &format!("/api/settings/email/{provider}"), body).await;
        assert_eq!(status, 200, "{provider}: {resp}");
        assert_eq!(resp["provider"], provider);
        assert_eq!(resp["staffEmail"], "staff@broker.example");
        assert!(!resp.to_string().contains(secret), "{provider} response leaks the secret: {resp}");
        assert!(resp.to_string().contains("****"), "{resp}");
        let shown = get_value(&t, &admin, "email.provider").await;
        let shown = shown.as_str().unwrap();
        assert!(shown.contains(provider) && !shown.contains(secret), "{shown}");
        // stored in full for the sender
        let stored = brokercrm_app::platform::email::provider(&t.app).await.unwrap().unwrap();
        assert_eq!(stored.provider(), provider);
        assert!(serde_json::to_string(&stored).unwrap().contains(secret));
        assert!(!audit_text(&t).await.contains(secret), "audit log leaks the {provider} secret");
    }
    let stored = t.app.db().conn();
    let row = brokercrm_store::repo::platform::settings::get(stored, "email.provider")
        .await
        .unwrap()
        .unwrap();
    assert!(row.secret);
}

#[tokio::test]
async fn email_provider_validation_names_fields_and_keeps_the_old_config() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let good = json!({"sender": "noreply@broker.example", "apiKey": "SG.good-key-000001", "staffEmail": "staff@broker.example"});
    assert_eq!(put(&t, &admin, "/api/settings/email/sendgrid", good).await.0, 200);
    let before = get_value(&t, &admin, "email.provider").await;

    let (status, body) = put(
        &t,
        &admin,
        "/api/settings/email/sendgrid",
        json!({"sender": "not-an-email", "apiKey": "  ", "staffEmail": "also bad"}),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    let mut f = fields(&body);
    f.sort();
    assert_eq!(f, ["apiKey", "sender", "staffEmail"]);

    let smtp = |port: i64| {
        json!({"host": "smtp.broker.example", "sender": "a@broker.example", "port": port, "username": "u",
               "password": "pw-123456", "secure": true, "staffEmail": "s@broker.example"})
    };
    for port in [0, 70000, -1] {
        let (status, body) = put(&t, &admin, "/api/settings/email/smtp", smtp(port)).await;
        assert_eq!(status, 422, "{port}: {body}");
        assert_eq!(fields(&body), ["port"], "{body}");
    }
    let (status, body) =
        put(&t, &admin, "/api/settings/email/mailgun", json!({"sender": "a@b.example", "apiKey": "k", "domain": "bad domain!", "username": "", "staffEmail": "s@b.example"}))
            .await;
    assert_eq!(status, 422);
    assert_eq!(fields(&body), ["domain"]);
    // a missing field is a 400 naming it
    let (status, body) = put(
        &t,
        &admin,
        "/api/settings/email/brevo",
        json!({"sender": "a@b.example", "staffEmail": "s@b.example"}),
    )
    .await;
    assert_eq!(status, 400);
    assert!(body["error"]["message"].as_str().unwrap().contains("apiKey"), "{body}");

    assert_eq!(get_value(&t, &admin, "email.provider").await, before);
}

#[tokio::test]
async fn voip_sumsub_recaptcha_and_default_wallet() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;

    let (s, b) = put(
        &t,
        &admin,
        "/api/settings/voip/coperato",
        json!({"url": "https://pbx.coperato.example/api"}),
    )
    .await;
    assert_eq!(
        (s, b.clone()),
        (200, json!({"provider": "coperato", "url": "https://pbx.coperato.example/api"})),
        "{b}"
    );
    let (s, b) = put(
        &t,
        &admin,
        "/api/settings/voip/voiso",
        json!({"url": "https://cc.voiso.example", "apiKey": "voiso-api-key-123456"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["provider"], "voiso");
    assert!(!b.to_string().contains("voiso-api-key-123456"));
    // echoing the masked key back keeps the real one
    let masked = b["apiKey"].as_str().unwrap().to_owned();
    let (s, _) = put(
        &t,
        &admin,
        "/api/settings/voip/voiso",
        json!({"url": "https://cc2.voiso.example", "apiKey": masked}),
    )
    .await;
    assert_eq!(s, 200);
    match brokercrm_app::platform::settings::providers::voip(&t.app).await.unwrap() {
        Some(brokercrm_app::platform::settings::providers::VoipConfig::Voiso { url, api_key }) => {
            assert_eq!(url, "https://cc2.voiso.example");
            assert_eq!(api_key, "voiso-api-key-123456");
        }
        other => panic!("unexpected {other:?}"),
    }
    let (s, b) =
        put(&t, &admin, "/api/settings/voip/voiso", json!({"url": "ftp://x", "apiKey": ""})).await;
    assert_eq!(s, 422);
    let mut f = fields(&b);
    f.sort();
    assert_eq!(f, ["apiKey", "url"]);

    let sumsub = json!({"apiUrl": "https://api.sumsub.com", "secretKey": "sumsub-secret-key-1", "appToken": "sbx:app-token-123456",
                        "levelName": "basic-kyc-level", "webhookSecretKey": "webhook-secret-123456"});
    let (s, b) = put(&t, &admin, "/api/settings/sumsub", sumsub).await;
    assert_eq!(s, 200, "{b}");
    for secret in ["sumsub-secret-key-1", "sbx:app-token-123456", "webhook-secret-123456"] {
        assert!(!b.to_string().contains(secret), "{b}");
        assert!(!get_value(&t, &admin, "kyc.sumsub").await.as_str().unwrap().contains(secret));
    }
    assert_eq!(b["levelName"], "basic-kyc-level");
    let (s, b) = put(&t, &admin, "/api/settings/sumsub", json!({"apiUrl": "nope", "secretKey": "", "appToken": "t", "levelName": "", "webhookSecretKey": "w"})).await;
    assert_eq!(s, 422);
    let mut f = fields(&b);
    f.sort();
    assert_eq!(f, ["apiUrl", "levelName", "secretKey"]);

    let (s, b) = put(
        &t,
        &admin,
        "/api/settings/default-wallet",
        json!({"platform": "internal", "group": "standard-usd"}),
    )
    .await;
    assert_eq!((s, b), (200, json!({"platform": "internal", "group": "standard-usd"})));
    let (s, b) = put(
        &t,
        &admin,
        "/api/settings/default-wallet",
        json!({"platform": "bad platform", "group": ""}),
    )
    .await;
    assert_eq!(s, 422);
    assert_eq!(fields(&b), ["platform", "group"]);
    assert_eq!(
        brokercrm_app::platform::settings::providers::default_wallet(&t.app)
            .await
            .unwrap()
            .unwrap()
            .group,
        "standard-usd"
    );
}

#[tokio::test]
async fn recaptcha_settings_and_the_public_site_key() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let r = t.server.get("/api/settings/captcha-site-key").await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"value": null}));

    let (s, b) = put(
        &t,
        &admin,
        "/api/settings/recaptcha",
        json!({"siteKey": "site-key-abc", "secret": "recaptcha-secret-xyz-123", "score": 0.7}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["siteKey"], "site-key-abc");
    assert_eq!(b["score"], "0.7");
    assert!(!b.to_string().contains("recaptcha-secret-xyz-123"));
    let r = t.server.get("/api/settings/captcha-site-key").await;
    assert_eq!(r.json::<Value>(), json!({"value": "site-key-abc"}));
    // generic read of the shadowed path works and is masked
    let shown = get_value(&t, &admin, "recaptcha").await;
    assert!(
        shown.as_str().unwrap().contains("site-key-abc")
            && !shown.as_str().unwrap().contains("xyz-123")
    );

    for score in [json!(1.5), json!(-0.1)] {
        let (s, b) = put(
            &t,
            &admin,
            "/api/settings/recaptcha",
            json!({"siteKey": "other", "secret": "s3cret-value", "score": score}),
        )
        .await;
        assert_eq!(s, 422, "{b}");
        assert_eq!(fields(&b), ["score"]);
    }
    let (s, _) = put(
        &t,
        &admin,
        "/api/settings/recaptcha",
        json!({"siteKey": "other", "secret": "s3cret-value", "score": "high"}),
    )
    .await;
    assert_eq!(s, 400);
    assert_eq!(
        brokercrm_app::platform::recaptcha::config(&t.app).await.unwrap().unwrap().site_key,
        "site-key-abc"
    );
}

#[tokio::test]
async fn settings_writes_are_audited_with_masked_before_and_after() {
    let t = TestApp::spawn().await;
    let (admin, admin_email) = t.mint_token(Role::Admin).await;
    for key in ["SG.first-secret-000111", "SG.second-secret-000222"] {
        let body = json!({"sender": "noreply@broker.example", "apiKey": key, "staffEmail": "staff@broker.example"});
        assert_eq!(put(&t, &admin, "/api/settings/email/sendgrid", body).await.0, 200);
    }
    assert_eq!(put(&t, &admin, "/api/settings/company.name", json!({"val": "Acme"})).await.0, 200);
    let filter = urlencode(r#"{"type":"settings.email.sendgrid"}"#);
    let r = t
        .server
        .get(&format!("/api/activities?limit=10&offset=0&filter={filter}"))
        .authorization_bearer(&admin)
        .await;
    r.assert_status_ok();
    let body: Value = r.json();
    assert_eq!(body["count"], 2, "{body}");
    let latest = &body["activities"][0];
    assert_eq!(latest["entity"], "setting");
    assert_eq!(latest["entityId"], "email.provider");
    assert_eq!(latest["actor"]["email"], admin_email);
    assert_eq!(latest["before"]["provider"], "sendgrid");
    assert_eq!(latest["before"]["apiKey"], "SG.f****");
    assert_eq!(latest["after"]["apiKey"], "SG.s****");
    assert!(body["activities"][1]["before"].is_null());
    let text = audit_text(&t).await;
    assert!(!text.contains("first-secret") && !text.contains("second-secret"), "{text}");
    let r = t
        .server
        .get(&format!(
            "/api/activities?limit=10&offset=0&filter={}",
            urlencode(r#"{"type":"settings.update"}"#)
        ))
        .authorization_bearer(&admin)
        .await;
    assert_eq!(r.json::<Value>()["activities"][0]["after"], json!({"value": "Acme"}));
}

#[tokio::test]
async fn test_email_goes_through_the_configured_provider() {
    let t = TestApp::spawn().await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    let r = t
        .server
        .post("/api/settings/email/test")
        .authorization_bearer(&admin)
        .json(&json!({"to": "me@broker.example"}))
        .await;
    assert_eq!(r.status_code().as_u16(), 409);
    let body = json!({"sender": "noreply@broker.example", "apiKey": "SG.key-for-test-1234", "staffEmail": "staff@broker.example"});
    assert_eq!(put(&t, &admin, "/api/settings/email/sendgrid", body).await.0, 200);
    let r = t
        .server
        .post("/api/settings/email/test")
        .authorization_bearer(&admin)
        .json(&json!({"to": "bad"}))
        .await;
    assert_eq!(r.status_code().as_u16(), 422);
    let r = t
        .server
        .post("/api/settings/email/test")
        .authorization_bearer(&admin)
        .json(&json!({"to": "me@broker.example"}))
        .await;
    assert_eq!(r.status_code().as_u16(), 202, "{}", r.text());
    t.run_jobs().await;
    let sent = t.emails.last().expect("test e-mail sent");
    assert_eq!(sent.to, "me@broker.example");
    assert!(sent.text.contains("sendgrid"));
}
