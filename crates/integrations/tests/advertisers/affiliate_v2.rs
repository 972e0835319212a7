//! The seed 001 (affiliate API v2) client.

use std::time::Duration;

use brokercrm_core::distribution::LeadErrorType;
use brokercrm_integrations::advertisers::{Delivery, ExternalKind, OutboundLead};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{BUDGET, body_of, client, env, lead, rejected};

const LEADS: &str = "/api/affiliates/v2/leads";

fn config(server: &MockServer) -> Value {
    json!({
        "baseUrl": server.uri(),
        "token": "tok-abc",
        "offerId": "1",
        "affiliateId": "2",
        "extraFields": {"source": "brokercrm", "aff_sub": "overridden"},
    })
}

async fn deliver_with(status: u16, body: Value) -> Delivery {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(LEADS))
        .respond_with(ResponseTemplate::new(status).set_body_json(body))
        .mount(&server)
        .await;
    client(ExternalKind::AffiliateV2, &config(&server), &env()).deliver(&lead(), BUDGET).await
}

#[tokio::test]
async fn pushes_the_lead_and_maps_success() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(LEADS))
        .and(header("authorization", "tok-abc"))
        .and(header("content-type", "application/json"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "lead_uuid": "0f1b8398-e144-4fa6-93e0-1d7dce7b74db",
            "auto_login_url": "https://autologin-domain.com/go/11",
            "advertiser_uuid": "06aadc39-9034-47ad-8edb-de8992ba6803",
            "advertiser_name": "Test Brand"
        })))
        .expect(1)
        .mount(&server)
        .await;
    let mut l = OutboundLead { password: None, ..lead() };
    l.profile.insert("aff_sub2".into(), "x".into());
    let d = client(ExternalKind::AffiliateV2, &config(&server), &env()).deliver(&l, BUDGET).await;
    assert_eq!(
        d,
        Delivery::Accepted {
            external_id: Some("0f1b8398-e144-4fa6-93e0-1d7dce7b74db".into()),
            auto_login_url: Some("https://autologin-domain.com/go/11".into()),
        }
    );
    assert_eq!(
        body_of(&server, 0).await,
        json!({"ip": "93.86.208.220", "country_code": "DE", "lead_language": "de", "is_test": true,
            "email": "test.lead@example.com", "first_name": "Test", "last_name": "Lead",
            "phone": "+49301234567", "offer_id": "1", "affiliate_id": "2",
            "aff_sub": "overridden", "aff_sub2": "x", "source": "brokercrm"})
    );
}

#[tokio::test]
async fn error_type_of_a_400_passes_through() {
    let d = deliver_with(
        400,
        json!({"message": "Lead push failed", "code": 400, "type": "REJECTED", "data": {
            "leadUuid": "r-1", "errorMessage": "Country is blocked", "errorType": "BLOCK_COUNTRY",
            "requiredResponseFields": [{"key": "email", "value": "testLead@test.com"}, "phone"]}}),
    )
    .await;
    assert_eq!(
        d,
        Delivery::Rejected {
            error_type: LeadErrorType::BlockCountry,
            message: "Country is blocked".into(),
            required_fields: vec!["email".into(), "phone".into()],
        }
    );
    let d = deliver_with(400, json!({"message": "odd", "data": {"errorType": "NEW_THING"}})).await;
    assert_eq!(rejected(&d).0, LeadErrorType::Unknown);
    assert_eq!(rejected(&d).1, "odd");
    let d = deliver_with(400, json!({"data": {"errorType": "DUPLICATION_ERROR"}})).await;
    assert_eq!(rejected(&d).0, LeadErrorType::DuplicationError);
}

#[tokio::test]
async fn validation_errors_map_to_fixable_input_or_invalid_data() {
    let d = deliver_with(
        422,
        json!({"name": "MoleculerError", "message": "Validation Error", "code": 422,
            "type": "FIXABLE_INPUT", "data": {"lead_uuid": null,
            "errorMessage": "Country_code must be in ISO2 format", "errorType": "FIXABLE_INPUT",
            "autoLoginUrl": "", "externalLeadId": "", "requiredResponseFields": []}}),
    )
    .await;
    assert_eq!(rejected(&d).0, LeadErrorType::FixableInput);
    assert_eq!(rejected(&d).1, "Country_code must be in ISO2 format");
    let d = deliver_with(
        422,
        json!({"name": "MoleculerError", "message": "Click creating failed", "code": 422,
            "type": "ERROR_PARTNER_PLATFORM"}),
    )
    .await;
    assert_eq!(rejected(&d).0, LeadErrorType::InvalidData);
    assert_eq!(rejected(&d).1, "Click creating failed");
}

#[tokio::test]
async fn transport_level_statuses_are_unknown_and_name_the_status() {
    for status in [401, 404, 410, 415, 429, 500, 502] {
        let d = deliver_with(status, json!({"message": "nope tok-abc", "code": status})).await;
        let (error_type, message, _) = rejected(&d);
        assert_eq!(error_type, LeadErrorType::Unknown, "HTTP {status}");
        assert!(message.contains(&format!("HTTP {status}")), "{message}");
        assert!(!message.contains("tok-abc"), "token leaked: {message}");
    }
}

#[tokio::test]
async fn a_slow_distributor_times_out() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(LEADS))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(3)))
        .mount(&server)
        .await;
    let c = client(ExternalKind::AffiliateV2, &config(&server), &env());
    let d = c.deliver(&lead(), Duration::from_millis(300)).await;
    assert_eq!(rejected(&d).0, LeadErrorType::TimeoutError);
}
