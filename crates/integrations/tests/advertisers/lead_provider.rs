//! The seed 000 (Match-Trade lead-provider) client.

use std::time::Duration;

use brokercrm_core::distribution::LeadErrorType;
use brokercrm_integrations::advertisers::{Delivery, ExternalKind, OutboundLead};
use serde_json::{Value, json};
use wiremock::matchers::{body_string_contains, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{BUDGET, body_of, client, env, hits, lead, rejected};

const TOKEN: &str = "/proxy/auth/oauth/token";
const ACCOUNTS: &str = "/proxy/processing/api/accounts";

fn config(server: &MockServer) -> Value {
    json!({
        "baseUrl": format!("{}/", server.uri()),
        "clientId": "cid",
        "clientSecret": "secret",
        "username": "lp@example.com",
        "password": "pw-123",
        "offerUuid": "8053d220-a06a-40e5-a823-045a4dbf6d93",
        "partnerId": 7,
    })
}

fn token_reply(token: &str) -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(json!({
        "access_token": token, "token_type": "bearer", "expires_in": 899, "partnerId": 0
    }))
}

async fn mount_token(server: &MockServer, token: &str, times: u64) {
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .and(header("authorization", "Basic Y2lkOnNlY3JldA=="))
        .and(body_string_contains("grant_type=password"))
        .and(body_string_contains("username=lp%40example.com"))
        .and(body_string_contains("password=pw-123"))
        .respond_with(token_reply(token))
        .expect(times)
        .mount(server)
        .await;
}

#[tokio::test]
async fn creates_an_account_and_caches_the_token() {
    let server = MockServer::start().await;
    mount_token(&server, "tok-1", 1).await;
    Mock::given(method("POST"))
        .and(path(ACCOUNTS))
        .and(header("authorization", "Bearer tok-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "uuid": "acc-1", "autoLoginUrl": "https://login.example.com/x"
        })))
        .expect(2)
        .mount(&server)
        .await;
    let env = env();
    let c = client(ExternalKind::LeadProvider, &config(&server), &env);
    for _ in 0..2 {
        let d = c.deliver(&lead(), BUDGET).await;
        assert_eq!(
            d,
            Delivery::Accepted {
                external_id: Some("acc-1".into()),
                auto_login_url: Some("https://login.example.com/x".into()),
            }
        );
    }
    let body = body_of(&server, 1).await;
    assert_eq!(
        body,
        json!({"offerUuid": "8053d220-a06a-40e5-a823-045a4dbf6d93", "account": {
            "partnerId": 7, "email": "test.lead@example.com", "name": "Test", "surname": "Lead",
            "phone": "+49301234567",
            "leadInfo": {"leadSource": "Tesler DE|42|0f1b8398-e144-4fa6-93e0-1d7dce7b74db"}}})
    );
}

#[tokio::test]
async fn numeric_ids_and_a_long_lead_source_are_handled() {
    let server = MockServer::start().await;
    mount_token(&server, "tok", 1).await;
    Mock::given(method("POST"))
        .and(path(ACCOUNTS))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({"id": 1234})))
        .mount(&server)
        .await;
    let c = client(ExternalKind::LeadProvider, &config(&server), &env());
    let long = OutboundLead { offer_name: Some("x".repeat(400)), ..lead() };
    let d = c.deliver(&long, BUDGET).await;
    assert_eq!(d, Delivery::Accepted { external_id: Some("1234".into()), auto_login_url: None });
    let source = body_of(&server, 1).await["account"]["leadInfo"]["leadSource"].clone();
    assert_eq!(source.as_str().unwrap().chars().count(), 255);
}

#[tokio::test]
async fn a_refused_token_is_refreshed_once() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(token_reply("old"))
        .up_to_n_times(1)
        .expect(1)
        .mount(&server)
        .await;
    mount_token(&server, "new", 1).await;
    Mock::given(method("POST"))
        .and(path(ACCOUNTS))
        .and(header("authorization", "Bearer old"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "status": "UNAUTHORIZED", "message": "java.nio.charset.MalformedInputException"
        })))
        .expect(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(ACCOUNTS))
        .and(header("authorization", "Bearer new"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"accountUuid": "a-2"})))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(ExternalKind::LeadProvider, &config(&server), &env());
    for _ in 0..2 {
        let d = c.deliver(&lead(), BUDGET).await;
        assert_eq!(d, Delivery::Accepted { external_id: Some("a-2".into()), auto_login_url: None });
    }
}

#[tokio::test]
async fn a_second_401_is_unknown() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(token_reply("t"))
        .expect(2)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(ACCOUNTS))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"status": "UNAUTHORIZED"})))
        .expect(2)
        .mount(&server)
        .await;
    let c = client(ExternalKind::LeadProvider, &config(&server), &env());
    let d = c.deliver(&lead(), BUDGET).await;
    assert_eq!(rejected(&d).0, LeadErrorType::Unknown);
}

#[tokio::test]
async fn failed_authentication_is_unknown_and_creates_nothing() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(TOKEN))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "unauthorized", "error_description": "Authentication error"
        })))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(ACCOUNTS))
        .respond_with(ResponseTemplate::new(200))
        .expect(0)
        .mount(&server)
        .await;
    let d =
        client(ExternalKind::LeadProvider, &config(&server), &env()).deliver(&lead(), BUDGET).await;
    assert_eq!(rejected(&d).0, LeadErrorType::Unknown);
    assert_eq!(rejected(&d).1, "advertiser authentication failed");
}

#[tokio::test]
async fn seed_error_statuses_are_mapped() {
    let cases = [
        (400, "could not execute batch", LeadErrorType::InvalidData),
        (404, "Entity not found", LeadErrorType::Unknown),
        (409, "Account [test@abc12.com:0] already exists", LeadErrorType::DuplicationError),
        (500, "Register Account Model is not valid", LeadErrorType::InvalidData),
        (503, "down", LeadErrorType::Unknown),
    ];
    for (status, message, expected) in cases {
        let server = MockServer::start().await;
        mount_token(&server, "t", 1).await;
        Mock::given(method("POST"))
            .and(path(ACCOUNTS))
            .respond_with(ResponseTemplate::new(status).set_body_json(json!({
                "status": "X", "timestamp": "2023-10-30T13:01:04.489Z",
                "message": format!("{message} secret {}", "y".repeat(600)), "printableMessage": false
            })))
            .mount(&server)
            .await;
        let d = client(ExternalKind::LeadProvider, &config(&server), &env())
            .deliver(&lead(), BUDGET)
            .await;
        let (error_type, text, _) = rejected(&d);
        assert_eq!(error_type, expected, "HTTP {status}");
        assert!(text.contains(message), "HTTP {status}: {text}");
        assert!(!text.contains("secret") && text.contains("****"), "secret leaked: {text}");
        assert!(text.chars().count() <= 500);
    }
    let server = MockServer::start().await;
    mount_token(&server, "t", 1).await;
    Mock::given(method("POST"))
        .and(path(ACCOUNTS))
        .respond_with(ResponseTemplate::new(404))
        .mount(&server)
        .await;
    let d =
        client(ExternalKind::LeadProvider, &config(&server), &env()).deliver(&lead(), BUDGET).await;
    assert_eq!(rejected(&d).1, "offer not found at advertiser: HTTP 404");
}

#[tokio::test]
async fn missing_fields_are_fixable_input_without_a_request() {
    let server = MockServer::start().await;
    let c = client(ExternalKind::LeadProvider, &config(&server), &env());
    let partial = OutboundLead { first_name: None, phone: Some("  ".into()), ..lead() };
    let d = c.deliver(&partial, BUDGET).await;
    let (error_type, message, fields) = rejected(&d);
    assert_eq!(error_type, LeadErrorType::FixableInput);
    assert_eq!(message, "first_name, phone are required");
    assert_eq!(fields, ["first_name", "phone"]);
    assert_eq!(hits(&server).await, 0);
}

#[tokio::test]
async fn a_slow_advertiser_times_out() {
    let server = MockServer::start().await;
    mount_token(&server, "t", 1).await;
    Mock::given(method("POST"))
        .and(path(ACCOUNTS))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let c = client(ExternalKind::LeadProvider, &config(&server), &env());
    let d = c.deliver(&lead(), Duration::from_millis(300)).await;
    assert_eq!(rejected(&d).0, LeadErrorType::TimeoutError);
}
