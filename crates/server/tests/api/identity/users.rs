//! Users: sign-up, profile, e-mail and mobile confirmation, disclaimer, profile pictures,
//! disable request, country by IP.

use axum::http::StatusCode;
use axum_test::multipart::{MultipartForm, Part};
use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::platform::activities::{self, ActivityFilter};
use serde_json::{Value, json};

use crate::helpers::assert::fields;
use crate::helpers::{TestApp, assert_error};

use crate::helpers::users::PASSWORD as PW;

fn signup_body(email: &str) -> Value {
    json!({
        "firstname": "Ada", "lastname": "Lovelace", "email": email,
        "mobilenumber": "+49 151 1234 5678", "country": "de", "communicationLanguage": "EN",
        "wtreferrer": "aff-7", "wants_to_become_leader": true,
        "skipOnboardingSteps": ["SignupDemoForm"], "source": "landing"
    })
}

/// Logs `email` in with the builders' password; returns (access token, refresh token).
async fn session(t: &TestApp, email: &str) -> (String, String) {
    let r = t.server.post("/api/sessions").json(&json!({"username": email, "password": PW})).await;
    r.assert_status_ok();
    let b: Value = r.json();
    (b["token"].as_str().unwrap().to_owned(), b["refreshToken"].as_str().unwrap().to_owned())
}

/// The value after `marker` in `text`, up to the next whitespace.
fn token_after(text: &str, marker: &str) -> String {
    let start =
        text.find(marker).unwrap_or_else(|| panic!("{marker} not in {text}")) + marker.len();
    text[start..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn sign_up_creates_a_signed_in_customer_and_mails_links() {
    let t = TestApp::spawn().await;
    let r = t.server.post("/api/users").json(&signup_body("Ada@Example.com")).await;
    r.assert_status(StatusCode::CREATED);
    let b: Value = r.json();
    assert_eq!(b["success"], true);
    assert!(b["redirectUrl"].as_str().unwrap().starts_with("http"));
    let r = t
        .server
        .post("/api/sessions/refresh")
        .json(&json!({"refreshToken": b["refreshToken"]}))
        .await;
    r.assert_status_ok();
    let token = r.json::<Value>()["token"].as_str().unwrap().to_owned();
    let me: Value = t.server.get("/api/me").authorization_bearer(&token).await.json();
    let u = &me["user"];
    assert_eq!(u["email"], "ada@example.com");
    assert_eq!(u["name"], "Ada Lovelace");
    assert_eq!(u["country"], "DE");
    assert_eq!(u["communicationLanguage"], "en");
    assert_eq!(u["mobilenumber"], "+4915112345678");
    assert!(u["confirmedAt"].is_null());
    assert!(me["refreshToken"].is_null(), "reading the user mints no session");
    assert!(!me["supportedFeatures"].as_array().unwrap().is_empty());
    assert!(me["wallet"].is_null());

    t.run_jobs().await;
    let mails = t.emails.sent();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "ada@example.com");
    let verify = token_after(&mails[0].text, "verifyToken=");
    let set_pw = token_after(&mails[0].text, "reset-password?token=");

    let check = |tok: String| t.server.get("/api/me/email-confirmed").authorization_bearer(&tok);
    assert_eq!(check(token.clone()).await.json::<Value>(), json!({"confirmed": false}));
    let r = t.server.post("/api/users/verify").json(&json!({"verifyToken": verify})).await;
    r.assert_status_ok();
    assert_eq!(check(token.clone()).await.json::<Value>(), json!({"confirmed": true}));
    let again = t.server.post("/api/users/verify").json(&json!({"verifyToken": verify})).await;
    again.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&again.json()), ["verifyToken"]);

    // The set-password link works with "Reset customer password".
    let body = json!({"reset_token": set_pw, "password": "N3wSecret!", "password_confirmation": "N3wSecret!"});
    t.server.post("/api/forgot-password/reset").json(&body).await.assert_status_ok();
    t.login("ada@example.com", "N3wSecret!").await;
}

#[tokio::test]
async fn sign_up_names_each_invalid_field_and_changes_nothing() {
    let t = TestApp::spawn().await;
    let cases: &[(&str, Value, &str)] = &[
        ("email", json!(null), "email"),
        ("email", json!("not-an-email"), "email"),
        ("firstname", json!(" "), "firstname"),
        ("lastname", json!(null), "lastname"),
        ("mobilenumber", json!("12ab"), "mobilenumber"),
        ("country", json!("XX"), "country"),
        ("communicationLanguage", json!("english"), "communicationLanguage"),
        ("skipOnboardingSteps", json!(["Nope"]), "skipOnboardingSteps[0]"),
        ("skipOnboardingSteps", json!(["SignupRealForm", "KYC"]), "skipOnboardingSteps[1]"),
    ];
    for (key, value, field) in cases {
        let mut body = signup_body("x@example.com");
        body[*key] = value.clone();
        let r = t.server.post("/api/users").json(&body).await;
        r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        let b: Value = r.json();
        assert_error(&b, "validation_failed");
        assert_eq!(fields(&b), [*field], "{key}={value}: {b}");
    }
    let mut body = signup_body("bad");
    body["country"] = json!("ZZ");
    assert_eq!(fields(&t.server.post("/api/users").json(&body).await.json()), ["email", "country"]);
    assert!(users::find_by_email(t.app.db().conn(), "x@example.com").await.unwrap().is_none());
    t.run_jobs().await;
    assert!(t.emails.sent().is_empty());
}

#[tokio::test]
async fn staff_sign_up_may_skip_any_step_is_audited_and_signs_nobody_in() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let mut body = signup_body("staffmade@example.com");
    body["skipOnboardingSteps"] = json!(["KYC", "PhoneConfirmation"]);
    let r = t.server.post("/api/users").authorization_bearer(&admin).json(&body).await;
    r.assert_status(StatusCode::CREATED);
    assert!(r.json::<Value>()["refreshToken"].is_null());
    let f = ActivityFilter { kind: Some("user.create".into()), ..Default::default() };
    let (_, n) = activities::list(t.app.db().conn(), &f, 10, 0).await.unwrap();
    assert_eq!(n, 1);
    let u =
        users::find_by_email(t.app.db().conn(), "staffmade@example.com").await.unwrap().unwrap();
    assert_eq!(u.skip_onboarding_steps, r#"["KYC","PhoneConfirmation"]"#);
}

#[tokio::test]
async fn duplicate_sign_up_is_hidden_from_the_public_and_a_conflict_for_staff() {
    let t = TestApp::spawn().await;
    t.server
        .post("/api/users")
        .json(&signup_body("dup@example.com"))
        .await
        .assert_status(StatusCode::CREATED);
    // Anonymous: the answer of a new sign-up (issue 14, finding 10), nothing created.
    let r = t.server.post("/api/users").json(&signup_body("DUP@example.com")).await;
    r.assert_status(StatusCode::CREATED);
    assert_eq!(r.json::<Value>()["success"], true);
    // Staff see that the address is taken.
    let admin = t.admin_token().await;
    let r = t
        .server
        .post("/api/users")
        .authorization_bearer(&admin)
        .json(&signup_body("DUP@example.com"))
        .await;
    r.assert_status(StatusCode::CONFLICT);
    assert_error(&r.json(), "conflict");
}

#[tokio::test]
async fn update_user_changes_profile_and_password_with_current_password() {
    let t = TestApp::spawn().await;
    let tok = t.customer().email("up@example.com").logged_in().create().await.token;
    let (_, rt) = session(&t, "up@example.com").await;
    let r = t
        .server
        .put("/api/me")
        .authorization_bearer(&tok)
        .json(&json!({"firstname": "Grace", "lastname": "Hopper", "country": "fr", "communicationLanguage": "FR"}))
        .await;
    r.assert_status_ok();
    let u: Value = r.json();
    assert_eq!((u["name"].as_str(), u["country"].as_str()), (Some("Grace Hopper"), Some("FR")));
    assert_eq!(u["communicationLanguage"], "fr");

    let put = |body: Value| t.server.put("/api/me").authorization_bearer(&tok).json(&body);
    let r = put(json!({"country": "XX", "mobilenumber": "abc"})).await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r.json()), ["mobilenumber", "country"]);
    let r = put(json!({"newPassword": "N3wSecret!"})).await;
    assert_eq!(fields(&r.json()), ["currentPassword"]);
    let r = put(json!({"newPassword": "N3wSecret!", "currentPassword": "Wrong0000"})).await;
    assert_eq!(fields(&r.json()), ["currentPassword"]);
    let r = put(json!({"newPassword": "short", "currentPassword": PW})).await;
    assert_eq!(fields(&r.json()), ["newPassword"]);
    put(json!({"newPassword": "N3wSecret!", "currentPassword": PW})).await.assert_status_ok();
    t.login("up@example.com", "N3wSecret!").await;
    let old = t
        .server
        .post("/api/sessions")
        .json(&json!({"username": "up@example.com", "password": PW}))
        .await;
    old.assert_status(StatusCode::UNAUTHORIZED);
    // Changing the password ended the other sessions.
    let r = t.server.post("/api/sessions/refresh").json(&json!({"refreshToken": rt})).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn changing_the_email_resets_confirmation_and_mails_the_new_address() {
    let t = TestApp::spawn().await;
    let tok = t.customer().email("old@example.com").logged_in().create().await.token;
    t.create_user(Role::Customer, "taken@example.com", PW).await;
    let put = |body: Value| t.server.put("/api/me").authorization_bearer(&tok).json(&body);
    assert_eq!(fields(&put(json!({"email": "new@example.com"})).await.json()), ["currentPassword"]);
    let r = put(json!({"email": "taken@example.com", "currentPassword": PW})).await;
    r.assert_status(StatusCode::CONFLICT);
    let r = put(json!({"email": "New@Example.com", "currentPassword": PW})).await;
    r.assert_status_ok();
    let u: Value = r.json();
    assert_eq!(u["email"], "new@example.com");
    assert!(u["confirmedAt"].is_null());
    t.run_jobs().await;
    let mails = t.emails.sent();
    assert_eq!(mails.len(), 1);
    assert_eq!(mails[0].to, "new@example.com");
    assert!(mails[0].text.contains("verifyToken="));
}

#[tokio::test]
async fn mobile_confirmation_code_flow_and_limits() {
    let t = TestApp::spawn().await;
    let tok = t.customer().email("sms@example.com").logged_in().create().await.token;
    let send = || t.server.post("/api/me/mobile-confirmation").authorization_bearer(&tok);
    let verify = |code: String| {
        t.server
            .post("/api/me/mobile-confirmation/verify")
            .authorization_bearer(&tok)
            .json(&json!({"confirmationToken": code}))
    };
    let r = send().await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r.json()), ["mobilenumber"]);
    t.server
        .put("/api/me")
        .authorization_bearer(&tok)
        .json(&json!({"mobilenumber": "+44 7700 900123"}))
        .await
        .assert_status_ok();

    send().await.assert_status_ok();
    let msg = t.sms.last().unwrap();
    assert_eq!(msg.to, "+447700900123");
    let code: String = msg.text.chars().filter(char::is_ascii_digit).take(6).collect();
    let wrong = if code == "000000" { "111111" } else { "000000" };
    // Five guesses per code: after five wrong ones even the right code is refused.
    for _ in 0..5 {
        let r = verify(wrong.into()).await;
        r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(fields(&r.json()), ["confirmationToken"]);
    }
    let r = verify(code.clone()).await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.text().contains("too many"), "{}", r.text());

    // A new code replaces the old one and confirms the number.
    send().await.assert_status_ok();
    let code2: String =
        t.sms.last().unwrap().text.chars().filter(char::is_ascii_digit).take(6).collect();
    verify(code2).await.assert_status_ok();
    let me: Value = t.server.get("/api/me").authorization_bearer(&tok).await.json();
    assert!(me["user"]["phoneConfirmedAt"].is_string(), "{me}");
    send().await.assert_status(StatusCode::CONFLICT);

    // Resends are limited (3 per 10 minutes).
    let tok2 = t.customer().email("sms2@example.com").logged_in().create().await.token;
    let r = t
        .server
        .put("/api/me")
        .authorization_bearer(&tok2)
        .json(&json!({"mobilenumber": "+15550001111"}));
    r.await.assert_status_ok();
    for _ in 0..3 {
        t.server
            .post("/api/me/mobile-confirmation")
            .authorization_bearer(&tok2)
            .await
            .assert_status_ok();
    }
    let r = t.server.post("/api/me/mobile-confirmation").authorization_bearer(&tok2).await;
    r.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!(r.maybe_header("retry-after").is_some());
}

#[tokio::test]
async fn deposit_disclaimer_is_recorded() {
    let t = TestApp::spawn().await;
    let tok = t.customer().email("disc@example.com").logged_in().create().await.token;
    let r = t.server.post("/api/me/deposit-disclaimer").authorization_bearer(&tok).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true}));
    let b: Value = t
        .server
        .post("/api/sessions")
        .json(&json!({"username": "disc@example.com", "password": PW}))
        .await
        .json();
    assert!(b["user"]["disclaimerAcceptedAt"].is_string());
    assert!(
        !b["outstandingOnboardingSteps"]
            .as_array()
            .unwrap()
            .contains(&json!("DisclaimerBeforeDeposit"))
    );
    t.server.post("/api/me/deposit-disclaimer").await.assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn resend_confirmation_email_replaces_the_link_and_is_limited() {
    let t = TestApp::spawn().await;
    let tok = t.customer().email("re@example.com").logged_in().create().await.token;
    let resend = || t.server.post("/api/me/confirmation-email").authorization_bearer(&tok);
    let r = resend().await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true, "email": "re@example.com"}));
    resend().await.assert_status_ok();
    t.run_jobs().await;
    let mails = t.emails.sent();
    assert_eq!(mails.len(), 2);
    let first = token_after(&mails[0].text, "verifyToken=");
    let second = token_after(&mails[1].text, "verifyToken=");
    let verify =
        |tok: String| t.server.post("/api/users/verify").json(&json!({"verifyToken": tok}));
    verify(first).await.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    resend().await.assert_status_ok();
    let r = resend().await;
    r.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_error(&r.json(), "rate_limited");
    verify(second).await.assert_status(StatusCode::UNPROCESSABLE_ENTITY); // replaced by the third
    t.run_jobs().await;
    let third = token_after(&t.emails.last().unwrap().text, "verifyToken=");
    verify(third).await.assert_status_ok();
    let r = t.server.get("/api/me/email-confirmed").authorization_bearer(&tok).await;
    assert_eq!(r.json::<Value>(), json!({"confirmed": true}));
}

fn png(size: usize) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.resize(size.max(8), 7);
    b
}

fn picture_form(bytes: Vec<u8>, mime: &str) -> MultipartForm {
    MultipartForm::new().add_part("file", Part::bytes(bytes).file_name("me.img").mime_type(mime))
}

#[tokio::test]
async fn profile_picture_upload_get_public_get_and_delete() {
    let t = TestApp::spawn().await;
    let tok = t.customer().email("pic@example.com").logged_in().create().await.token;
    let upload = |form: MultipartForm| {
        t.server.post("/api/me/profile-picture").authorization_bearer(&tok).multipart(form)
    };
    let mine = || t.server.get("/api/me/profile-picture").authorization_bearer(&tok);
    assert_eq!(mine().await.json::<Value>(), json!({"profilePicture": null}));

    let image = png(1000);
    let r = upload(picture_form(image.clone(), "image/png")).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true}));
    let url = mine().await.json::<Value>()["profilePicture"].as_str().unwrap().to_owned();
    let me: Value = t.server.get("/api/me").authorization_bearer(&tok).await.json();
    assert_eq!(me["user"]["avatarUrl"], url.as_str());
    let path = &url[url.find("/api/").unwrap()..];
    let r = t.server.get(path).await;
    r.assert_status_ok();
    assert_eq!(r.content_type(), "image/png");
    assert_eq!(r.as_bytes().as_ref(), image.as_slice());

    // Wrong types are refused by content, whatever the declared type.
    let r = upload(picture_form(b"GIF89a-not-allowed".to_vec(), "image/png")).await;
    r.assert_status(StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(fields(&r.json()), ["file"]);
    let r = upload(MultipartForm::new().add_text("other", "x")).await;
    assert_eq!(fields(&r.json()), ["file"]);
    // Too big: just over 2 MiB, and far over.
    upload(picture_form(png(2 * 1024 * 1024 + 1), "image/png"))
        .await
        .assert_status(StatusCode::PAYLOAD_TOO_LARGE);
    upload(picture_form(png(5 * 1024 * 1024), "image/png"))
        .await
        .assert_status(StatusCode::PAYLOAD_TOO_LARGE);

    // A JPEG replaces the PNG; the old public URL stops working.
    let jpeg = [&[0xFFu8, 0xD8, 0xFF, 0xE0][..], &[1u8; 100][..]].concat();
    upload(picture_form(jpeg.clone(), "image/jpeg")).await.assert_status_ok();
    let url2 = mine().await.json::<Value>()["profilePicture"].as_str().unwrap().to_owned();
    assert_ne!(url, url2);
    t.server.get(path).await.assert_status(StatusCode::NOT_FOUND);
    let path2 = &url2[url2.find("/api/").unwrap()..];
    let r = t.server.get(path2).await;
    assert_eq!(r.content_type(), "image/jpeg");

    let r = t.server.delete("/api/me/profile-picture").authorization_bearer(&tok).await;
    r.assert_status(StatusCode::NO_CONTENT);
    assert_eq!(mine().await.json::<Value>(), json!({"profilePicture": null}));
    let r = t.server.get(path2).await;
    r.assert_status(StatusCode::NOT_FOUND);
    assert_error(&r.json(), "not_found");
}

#[tokio::test]
async fn disable_request_is_recorded_audited_and_ends_sessions() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "bye@example.com", PW).await;
    let b: Value = t
        .server
        .post("/api/sessions")
        .json(&json!({"username": "bye@example.com", "password": PW}))
        .await
        .json();
    let tok = b["token"].as_str().unwrap();
    let r = t.server.post("/api/me/disable").authorization_bearer(tok).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"success": true}));
    let r = t
        .server
        .post("/api/sessions/refresh")
        .json(&json!({"refreshToken": b["refreshToken"]}))
        .await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    let u = users::find_by_email(t.app.db().conn(), "bye@example.com").await.unwrap().unwrap();
    assert!(u.termination_requested_at.is_some());
    let f = ActivityFilter { kind: Some("user.disable_request".into()), ..Default::default() };
    let (rows, n) = activities::list(t.app.db().conn(), &f, 10, 0).await.unwrap();
    assert_eq!(n, 1);
    assert_eq!(rows[0].entity_id.as_deref(), Some(u.uuid.as_str()));
}

#[tokio::test]
async fn country_by_ip_answers_for_the_caller() {
    let t = TestApp::spawn().await;
    let r =
        t.server.get("/api/users/country-by-ip").add_header("x-forwarded-for", "203.0.113.7").await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"countryCode": "unknown", "ip": "203.0.113.7"}));
}
