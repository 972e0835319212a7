//! Lead routing through `POST /api/affiliates/v2/leads`: every error type of seed 001's
//! table, each produced by a real configuration (or a mock advertiser) and checked in the
//! 400 body, on the stored lead and in its trace.

use std::time::Duration;

use chrono::{DateTime, FixedOffset, Utc};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::TestApp;
use crate::helpers::distribution as fx;

/// The trace's kinds in order.
async fn kinds(t: &TestApp, lead_id: i64) -> Vec<String> {
    fx::trace(t, lead_id).await.into_iter().map(|e| e.0).collect()
}

/// A mock advertiser answering every POST to `/leads` with `status` and `body`.
async fn template_mock(status: u16, body: Value) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/leads"))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    server
}

#[tokio::test]
async fn blocked_country() {
    let t = TestApp::spawn().await;
    let (aff, offer, _) = fx::simple(&t).await;
    fx::block_country(&t, Some(offer.id), "DE").await;
    let body = fx::seed_body();
    let (b, lead) = fx::push_rejected(&t, &aff, &body, "BLOCK_COUNTRY").await;
    assert_eq!(b["data"]["requiredResponseFields"], json!([]));
    assert!(b["data"]["errorMessage"].as_str().unwrap().contains("DE"), "{b}");
    assert_eq!(lead.country.as_deref(), Some("DE"));
    assert_eq!(fx::crm_leads_with_email(&t, body["email"].as_str().unwrap()).await, 0);
    assert_eq!(kinds(&t, lead.id).await, ["received", "final"]);

    let mut fr = fx::seed_body();
    fr["country_code"] = json!("FR");
    fx::push_accepted(&t, &aff, &fr).await;
}

#[tokio::test]
async fn crm_duplication_by_email_within_the_window() {
    let t = TestApp::spawn().await;
    let (aff, offer, _) = fx::simple(&t).await;
    let other = fx::affiliate(&t, Some(offer.id), None).await;
    fx::dedup_rule(&t, "email", "global", 600).await;
    let mut body = fx::seed_body();
    body["email"] = json!("Dup.Lead@Test.com");
    let (_, first) = fx::push_accepted(&t, &aff, &body).await;

    let mut again = fx::seed_body();
    again["email"] = json!("dup.lead@TEST.COM");
    let (b, dup) = fx::push_rejected(&t, &aff, &again, "CRM_DUPLICATION_ERROR").await;
    assert_eq!(
        b["data"]["requiredResponseFields"],
        json!([{"key": "email", "value": "dup.lead@test.com"}])
    );
    assert_ne!(dup.id, first.id);
    // The rule is global: another affiliate's lead with that address is a duplicate too.
    let mut theirs = fx::seed_body();
    theirs["email"] = json!("DUP.LEAD@test.com");
    fx::push_rejected(&t, &other, &theirs, "CRM_DUPLICATION_ERROR").await;
    assert_eq!(fx::lead(&t, &first.uuid).await.status, "accepted");
    assert_eq!(fx::crm_leads_with_email(&t, "dup.lead@test.com").await, 1);

    // Still inside the window after 599 s; outside it after 600 s.
    t.clock.advance(Duration::from_secs(599));
    again["aff_sub"] = json!("later");
    fx::push_rejected(&t, &aff, &again, "CRM_DUPLICATION_ERROR").await;
    t.clock.advance(Duration::from_secs(1));
    again["aff_sub"] = json!("after the window");
    fx::push_accepted(&t, &aff, &again).await;
    assert_eq!(fx::crm_leads_with_email(&t, "dup.lead@test.com").await, 2);
}

#[tokio::test]
async fn crm_duplication_by_phone_within_one_affiliate() {
    let t = TestApp::spawn().await;
    let (aff, offer, _) = fx::simple(&t).await;
    let other = fx::affiliate(&t, Some(offer.id), None).await;
    fx::dedup_rule(&t, "phone", "affiliate", 3600).await;
    let mut body = fx::seed_body();
    body["phone"] = json!("+49 151 2345-678");
    fx::push_accepted(&t, &aff, &body).await;
    // The same number written differently, new e-mail.
    let mut again = fx::seed_body();
    again["phone"] = json!("+4915123 45678");
    let (b, _) = fx::push_rejected(&t, &aff, &again, "CRM_DUPLICATION_ERROR").await;
    assert_eq!(
        b["data"]["requiredResponseFields"],
        json!([{"key": "phone", "value": "+4915123 45678"}])
    );
    // Another affiliate's lead with that number is not a duplicate under this scope.
    fx::push_accepted(&t, &other, &again).await;
    // A lead without a phone is never a phone duplicate.
    let mut none = fx::seed_body();
    none.as_object_mut().unwrap().remove("phone");
    fx::push_accepted(&t, &aff, &none).await;
}

#[tokio::test]
async fn blocked_by_traffic_filter() {
    let t = TestApp::spawn().await;
    let only = fx::advertiser(
        &t,
        "FR only",
        "internal_crm",
        json!({}),
        Some(json!({"countries": ["FR"]})),
    )
    .await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&only, 1, 1)]).await;
    let (b, lead) =
        fx::push_rejected(&t, &aff, &fx::seed_body(), "BLOCKED_BY_TRAFFIC_FILTER").await;
    assert!(b["data"]["errorMessage"].as_str().unwrap().contains("DE"), "{b}");
    let trace = fx::trace(&t, lead.id).await;
    assert_eq!(trace[1].0, "skipped");
    assert_eq!(trace[1].1, Some(only.id));
    assert_eq!(trace[1].2.as_deref(), Some("BLOCKED_BY_TRAFFIC_FILTER"));

    let mut fr = fx::seed_body();
    fr["country_code"] = json!("FR");
    fx::push_accepted(&t, &aff, &fr).await;
}

/// How long from `now` until just after the next midnight at UTC`offset_hours`.
fn until_midnight(now: DateTime<Utc>, offset_hours: i32) -> Duration {
    let zone = FixedOffset::east_opt(offset_hours * 3600).unwrap();
    let local = now.with_timezone(&zone);
    let next = (local.date_naive() + chrono::Duration::days(1)).and_hms_opt(0, 0, 0).unwrap();
    let next = next.and_local_timezone(zone).unwrap().to_utc();
    (next - now).to_std().unwrap()
}

#[tokio::test]
async fn rotation_error_when_the_accepted_day_cap_is_reached() {
    let t = TestApp::spawn().await;
    // Day caps roll over at midnight of the advertiser's zone (Tokyo: UTC+9, no DST).
    let crm = fx::advertiser(
        &t,
        "Tokyo desk",
        "internal_crm",
        json!({}),
        Some(json!({"timezone": "Asia/Tokyo"})),
    )
    .await;
    fx::cap(&t, crm.id, "day", "accepted", 1, None).await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&crm, 1, 1)]).await;
    fx::push_accepted(&t, &aff, &fx::seed_body()).await;
    let (b, lead) = fx::push_rejected(&t, &aff, &fx::seed_body(), "ROTATION_ERROR").await;
    assert!(b["data"]["errorMessage"].as_str().unwrap().contains("cap"), "{b}");
    let trace = fx::trace(&t, lead.id).await;
    assert_eq!((trace[1].0.as_str(), trace[1].1), ("skipped", Some(crm.id)));

    let wait = until_midnight(t.app.clock().now(), 9);
    t.clock.advance(wait - Duration::from_secs(60));
    fx::push_rejected(&t, &aff, &fx::seed_body(), "ROTATION_ERROR").await;
    t.clock.advance(Duration::from_secs(61));
    fx::push_accepted(&t, &aff, &fx::seed_body()).await;
    fx::push_rejected(&t, &aff, &fx::seed_body(), "ROTATION_ERROR").await;
}

#[tokio::test]
async fn rotation_error_when_the_rejected_cap_is_full() {
    let t = TestApp::spawn().await;
    let server =
        template_mock(200, json!({"status": "error", "message": "no traffic today"})).await;
    let ext = fx::http_advertiser(&t, "Picky", &server).await;
    fx::cap(&t, ext.id, "total", "rejected", 1, None).await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&ext, 1, 1)]).await;
    fx::push_rejected(&t, &aff, &fx::seed_body(), "BLOCKED_BY_ADVERTISER").await;
    let (b, lead) = fx::push_rejected(&t, &aff, &fx::seed_body(), "ROTATION_ERROR").await;
    assert!(b["data"]["errorMessage"].as_str().unwrap().contains("rejected cap"), "{b}");
    assert_eq!(kinds(&t, lead.id).await, ["received", "skipped", "final"]);
    assert_eq!(fx::received(&server).await, 1, "a full rejected cap sends nothing");
}

#[tokio::test]
async fn fixable_input_when_the_crm_needs_an_email_or_phone() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = fx::simple(&t).await;
    let mut body = fx::seed_body();
    let obj = body.as_object_mut().unwrap();
    obj.remove("email");
    obj.remove("phone");
    let (b, lead) = fx::push_rejected(&t, &aff, &body, "FIXABLE_INPUT").await;
    assert_eq!(b["data"]["requiredResponseFields"], json!([{"key": "email", "value": null}]));
    assert!(lead.email.is_none());
    assert_eq!(kinds(&t, lead.id).await, ["received", "skipped", "final"]);
}

#[tokio::test]
async fn duplication_error_from_an_affiliate_v2_advertiser() {
    let t = TestApp::spawn().await;
    let server = MockServer::start().await;
    let reply = json!({
        "name": "MoleculerError", "message": "Lead was rejected", "code": 400, "type": "DUPLICATION_ERROR",
        "data": {"leadUuid": "0f1b8398-e144-4fa6-93e0-1d7dce7b74db", "errorMessage": "Lead with this email already exists",
                 "errorType": "DUPLICATION_ERROR", "requiredResponseFields": [{"key": "email", "value": "x@y.z"}]}
    });
    Mock::given(method("POST"))
        .and(path("/api/affiliates/v2/leads"))
        .and(wiremock::matchers::header("authorization", "remote-token-1"))
        .respond_with(ResponseTemplate::new(400).set_body_json(reply))
        .expect(1)
        .mount(&server)
        .await;
    let ext =
        fx::advertiser(&t, "Remote LD", "affiliate_v2", fx::affiliate_v2_config(&server), None)
            .await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&ext, 1, 1)]).await;
    let body = fx::seed_body();
    let email = body["email"].as_str().unwrap().to_lowercase();
    let (b, lead) = fx::push_rejected(&t, &aff, &body, "DUPLICATION_ERROR").await;
    assert_eq!(b["data"]["requiredResponseFields"], json!([{"key": "email", "value": email}]));
    assert!(b["data"]["errorMessage"].as_str().unwrap().contains("already exists"), "{b}");
    assert_eq!(kinds(&t, lead.id).await, ["received", "attempt", "rejected", "final"]);
    let sent: Value = server.received_requests().await.unwrap()[0].body_json().unwrap();
    assert_eq!(sent["email"], email.as_str());
    assert_eq!(sent["ip"], "1.1.1.1");
}

#[tokio::test]
async fn invalid_data_from_a_lead_provider_advertiser() {
    let t = TestApp::spawn().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/proxy/auth/oauth/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(
            json!({"access_token": "at-1", "token_type": "bearer", "expires_in": 3600}),
        ))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/proxy/processing/api/accounts"))
        .and(wiremock::matchers::header("authorization", "Bearer at-1"))
        .respond_with(
            ResponseTemplate::new(400).set_body_json(
                json!({"status": "BAD_REQUEST", "message": "Phone number is invalid"}),
            ),
        )
        .expect(1)
        .mount(&server)
        .await;
    let ext = fx::advertiser(
        &t,
        "Match broker",
        "lead_provider",
        fx::lead_provider_config(&server),
        None,
    )
    .await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&ext, 1, 1)]).await;
    let (b, lead) = fx::push_rejected(&t, &aff, &fx::seed_body(), "INVALID_DATA").await;
    assert!(b["data"]["errorMessage"].as_str().unwrap().contains("Phone number is invalid"), "{b}");
    let trace = fx::trace(&t, lead.id).await;
    assert_eq!(trace[2].0, "rejected");
    assert_eq!(trace[2].1, Some(ext.id));
    assert_eq!(trace[2].2.as_deref(), Some("INVALID_DATA"));
}

#[tokio::test]
async fn unknown_when_the_advertiser_fails() {
    let t = TestApp::spawn().await;
    let server = template_mock(500, json!({"message": "boom"})).await;
    let ext = fx::http_advertiser(&t, "Flaky", &server).await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&ext, 1, 1)]).await;
    let (_, lead) = fx::push_rejected(&t, &aff, &fx::seed_body(), "UNKNOWN").await;
    assert_eq!(kinds(&t, lead.id).await, ["received", "attempt", "rejected", "final"]);
    assert!(
        !lead.error_message.unwrap_or_default().contains("key-123"),
        "secrets never reach a message"
    );
}

#[tokio::test]
async fn timeout_error_when_the_global_budget_runs_out() {
    let t = TestApp::spawn_with(|cfg| cfg.lead_global_timeout = Duration::from_millis(300)).await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/leads"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "ok", "id": "1", "url": "https://x.example/l"}))
                .set_delay(Duration::from_secs(5)),
        )
        .mount(&server)
        .await;
    let ext = fx::http_advertiser(&t, "Slow", &server).await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&ext, 1, 1)]).await;
    let started = std::time::Instant::now();
    let (_, lead) = fx::push_rejected(&t, &aff, &fx::seed_body(), "TIMEOUT_ERROR").await;
    assert!(
        started.elapsed() < Duration::from_secs(3),
        "the call was not bounded: {:?}",
        started.elapsed()
    );
    assert_eq!(kinds(&t, lead.id).await, ["received", "attempt", "rejected", "final"]);
}

#[tokio::test]
async fn no_autologin_url_when_the_advertiser_sends_none() {
    let t = TestApp::spawn().await;
    let server = template_mock(200, json!({"status": "ok", "id": "ext-1"})).await;
    let ext = fx::http_advertiser(&t, "No links", &server).await;
    fx::set_requirements(&t, &ext, true, false, 5000).await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&ext, 1, 1)]).await;
    let (_, lead) = fx::push_rejected(&t, &aff, &fx::seed_body(), "NO_AUTOLOGIN_URL").await;
    assert_eq!(kinds(&t, lead.id).await, ["received", "attempt", "rejected", "final"]);
    assert_eq!(fx::received(&server).await, 1);
}

#[tokio::test]
async fn no_brand_crm_id_when_the_advertiser_sends_no_id() {
    // The configuration changes between pushes: no plan cache.
    let t = TestApp::spawn_with(|cfg| cfg.distribution_cache_ttl = Duration::ZERO).await;
    let server =
        template_mock(200, json!({"status": "ok", "url": "https://login.example/a"})).await;
    let ext = fx::http_advertiser(&t, "No ids", &server).await;
    fx::set_requirements(&t, &ext, true, true, 5000).await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&ext, 1, 1)]).await;
    let (_, lead) = fx::push_rejected(&t, &aff, &fx::seed_body(), "NO_BRAND_CRM_ID").await;
    assert_eq!(kinds(&t, lead.id).await, ["received", "attempt", "rejected", "final"]);
    // Without the requirement the same answer is a delivery.
    fx::set_requirements(&t, &ext, true, false, 5000).await;
    let (b, lead) = fx::push_accepted(&t, &aff, &fx::seed_body()).await;
    assert_eq!(b["auto_login_url"], "https://login.example/a");
    assert_eq!(b["advertiser_uuid"], ext.uuid);
    assert_eq!(lead.external_id, None);
    assert_eq!(fx::received(&server).await, 2);
}

#[tokio::test]
async fn blocked_by_advertiser_when_it_refuses() {
    let t = TestApp::spawn().await;
    let server = template_mock(200, json!({"status": "error", "message": "not accepted"})).await;
    let ext = fx::http_advertiser(&t, "Refuser", &server).await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&ext, 1, 1)]).await;
    let (b, _) = fx::push_rejected(&t, &aff, &fx::seed_body(), "BLOCKED_BY_ADVERTISER").await;
    assert!(b["data"]["errorMessage"].as_str().unwrap().contains("not accepted"), "{b}");

    // A 4xx refusal that is not about credentials or the request's shape is one too.
    let server = template_mock(406, json!({"message": "not accepted"})).await;
    let ext = fx::http_advertiser(&t, "Refuser 2", &server).await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&ext, 1, 1)]).await;
    fx::push_rejected(&t, &aff, &fx::seed_body(), "BLOCKED_BY_ADVERTISER").await;
}
