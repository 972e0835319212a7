//! The configurable HTTP/JSON template client.

use std::time::Duration;

use brokercrm_core::distribution::LeadErrorType;
use brokercrm_integrations::advertisers::{Delivery, ExternalKind, OutboundLead};
use serde_json::{Value, json};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{BUDGET, client, env, hits, lead, rejected};

fn config(server: &MockServer, extra: Value) -> Value {
    let mut c = json!({
        "method": "POST",
        "url": format!("{}/leads/{{{{lead_uuid}}}}?src={{{{aff_sub}}}}", server.uri()),
        "headers": {"X-Api-Key": "key-123", "X-Country": "{{country}}"},
        "body": {
            "test": "{{is_test}}", "aff": "{{ affiliate_id }}", "name": "{{first_name}} {{last_name}}",
            "missing": "{{nope}}", "note": "sub={{nope}}", "list": ["{{email}}", 1, null], "fixed": 5
        },
        "successPointer": "/status",
        "successValue": "ok",
        "externalIdPointer": "/data/id",
        "autoLoginPointer": "/data/login",
        "messagePointer": "/error/text",
    });
    if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
        c.extend(extra.clone());
    }
    c
}

async fn deliver_with(status: u16, reply: Value, extra: Value) -> Delivery {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(status).set_body_json(reply))
        .mount(&server)
        .await;
    client(ExternalKind::HttpTemplate, &config(&server, extra), &env())
        .deliver(&lead(), BUDGET)
        .await
}

#[tokio::test]
async fn substitutes_placeholders_and_reads_pointers() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/leads/0f1b8398-e144-4fa6-93e0-1d7dce7b74db"))
        .and(query_param("src", "a b&c"))
        .and(header("x-api-key", "key-123"))
        .and(header("x-country", "DE"))
        .and(body_json(json!({
            "test": true, "aff": 42, "name": "Test Lead", "missing": null, "note": "sub=",
            "list": ["test.lead@example.com", 1, null], "fixed": 5
        })))
        .respond_with(ResponseTemplate::new(201).set_body_json(json!({
            "status": "ok", "data": {"id": 123, "login": "https://x.example.com/l"}
        })))
        .expect(1)
        .mount(&server)
        .await;
    let d = client(ExternalKind::HttpTemplate, &config(&server, json!({})), &env())
        .deliver(&lead(), BUDGET)
        .await;
    assert_eq!(
        d,
        Delivery::Accepted {
            external_id: Some("123".into()),
            auto_login_url: Some("https://x.example.com/l".into()),
        }
    );
}

#[tokio::test]
async fn get_sends_the_body_as_query_parameters() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/leads/0f1b8398-e144-4fa6-93e0-1d7dce7b74db"))
        .and(query_param("src", "a b&c"))
        .and(query_param("email", "test.lead@example.com"))
        .and(query_param("test", "true"))
        .respond_with(ResponseTemplate::new(200).set_body_string("OK"))
        .expect(1)
        .mount(&server)
        .await;
    let extra = json!({"method": "get", "body": {"email": "{{email}}", "test": "{{is_test}}"},
        "successPointer": null, "successValue": null});
    let d = client(ExternalKind::HttpTemplate, &config(&server, extra), &env())
        .deliver(&lead(), BUDGET)
        .await;
    assert_eq!(d, Delivery::Accepted { external_id: None, auto_login_url: None });
}

#[tokio::test]
async fn rejections_are_classified() {
    let dup = json!({"error": {"text": "Lead with this email ALREADY EXISTS"}});
    let d = deliver_with(409, dup.clone(), json!({})).await;
    assert_eq!(
        rejected(&d),
        (LeadErrorType::DuplicationError, "HTTP 409: Lead with this email ALREADY EXISTS", &[][..])
    );
    let d = deliver_with(
        200,
        json!({"status": "error", "error": {"text": "duplicate phone"}}),
        json!({}),
    )
    .await;
    assert_eq!(rejected(&d).0, LeadErrorType::DuplicationError);
    let d = deliver_with(
        200,
        json!({"status": "error", "error": {"text": "no traffic today"}}),
        json!({}),
    )
    .await;
    assert_eq!(rejected(&d).0, LeadErrorType::BlockedByAdvertiser);
    let d = deliver_with(400, dup, json!({"duplicatePatterns": ["taken"]})).await;
    assert_eq!(rejected(&d).0, LeadErrorType::InvalidData);
    let d = deliver_with(422, json!({"message": "bad phone"}), json!({})).await;
    assert_eq!(rejected(&d), (LeadErrorType::InvalidData, "HTTP 422: bad phone", &[][..]));
    let d = deliver_with(404, json!({}), json!({})).await;
    assert_eq!(rejected(&d).0, LeadErrorType::BlockedByAdvertiser);
    let d = deliver_with(403, json!({"message": "bad key key-123"}), json!({})).await;
    assert_eq!(rejected(&d), (LeadErrorType::Unknown, "HTTP 403: bad key ****", &[][..]));
    let d = deliver_with(502, json!({"message": "duplicate"}), json!({})).await;
    assert_eq!(rejected(&d).0, LeadErrorType::Unknown);
    let d = deliver_with(201, json!({"status": "ok"}), json!({"successStatus": [200]})).await;
    assert_eq!(rejected(&d).0, LeadErrorType::BlockedByAdvertiser);
}

#[tokio::test]
async fn required_fields_are_checked_before_calling() {
    let server = MockServer::start().await;
    let extra = json!({"requiredFields": ["email", "aff_sub", "aff_sub9", "phone"]});
    let c = client(ExternalKind::HttpTemplate, &config(&server, extra), &env());
    let d = c.deliver(&OutboundLead { phone: None, ..lead() }, BUDGET).await;
    assert_eq!(
        rejected(&d),
        (
            LeadErrorType::FixableInput,
            "aff_sub9, phone are required",
            &["aff_sub9".to_owned(), "phone".to_owned()][..]
        )
    );
    assert_eq!(hits(&server).await, 0);
}

#[tokio::test]
async fn a_slow_advertiser_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let c = client(ExternalKind::HttpTemplate, &config(&server, json!({})), &env());
    let d = c.deliver(&lead(), Duration::from_millis(300)).await;
    assert_eq!(rejected(&d).0, LeadErrorType::TimeoutError);
}
