//! "Transfer money transaction": an approved withdrawal is sent through Bitstamp (a wiremock
//! server stands in for its API; no real network) exactly once, with Bitstamp's v2 auth
//! headers; a provider failure releases the claim and answers 502.

use serde_json::{Value, json};
use wiremock::matchers::{header, header_exists, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::TestApp;
use crate::helpers::money::{enable_test_provider, trustology_withdrawal};

#[tokio::test]
async fn an_approved_withdrawal_is_sent_through_bitstamp_once() {
    let mock = MockServer::start().await;
    let uri = mock.uri();
    let t = TestApp::spawn_with(move |c| c.bitstamp_api_url = uri).await;
    let admin = t.admin_token().await;
    enable_test_provider(&t, &admin).await;
    t.server
        .put("/api/payment-providers/bitstamp")
        .authorization_bearer(&admin)
        .json(&json!({"enabled": true, "keyValues": [
            {"key": "customerId", "value": "C-1"},
            {"key": "apiKey", "value": "bs-key"},
            {"key": "apiSecret", "value": "bs-secret"}]}))
        .await
        .assert_status_ok();
    let cust = t.customer().admin(&admin).with_wallet("USD", 100).create().await.token;
    let r = t
        .server
        .post("/api/me/withdrawals")
        .authorization_bearer(&cust)
        .json(&json!({"provider": "test", "amount": 60, "walletAddress": "bc1-client"}))
        .await;
    r.assert_status_ok();
    let id = r.json::<Value>()["withdrawal"]["id"].as_str().unwrap().to_owned();
    let transfer = |body: Value| {
        t.server
            .post(&format!("/api/transactions/{id}/transfer"))
            .authorization_bearer(&admin)
            .json(&body)
    };

    // Not approved yet: 409, and Bitstamp is not called.
    assert_eq!(transfer(json!({"method": "bitstamp"})).await.status_code().as_u16(), 409);
    t.server
        .post(&format!("/api/transactions/{id}/approve"))
        .authorization_bearer(&admin)
        .json(&json!({}))
        .await
        .assert_status_ok();
    assert_eq!(transfer(json!({"method": "paypal"})).await.status_code().as_u16(), 422);
    assert_eq!(
        transfer(json!({"method": "bitstamp", "amount": 61})).await.status_code().as_u16(),
        422
    );

    // Bitstamp fails once: 502, the claim is released.
    let failing = Mock::given(method("POST"))
        .and(path("/api/v2/usd_withdrawal/"))
        .respond_with(ResponseTemplate::new(500))
        .up_to_n_times(1)
        .expect(1)
        .mount_as_scoped(&mock)
        .await;
    assert_eq!(transfer(json!({"method": "bitstamp"})).await.status_code().as_u16(), 502);
    drop(failing);

    Mock::given(method("POST"))
        .and(path("/api/v2/usd_withdrawal/"))
        .and(header("X-Auth", "BITSTAMP bs-key"))
        .and(header("X-Auth-Version", "v2"))
        .and(header_exists("X-Auth-Signature"))
        .and(header_exists("X-Auth-Nonce"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"id": 777})))
        .expect(1)
        .mount(&mock)
        .await;
    let r = transfer(json!({"method": "bitstamp"})).await;
    r.assert_status_ok();
    let b: Value = r.json();
    assert_eq!(b["withdrawal"]["payoutStatus"], "sent");
    assert_eq!(b["withdrawal"]["externalId"], "777");
    assert_eq!(b["withdrawal"]["method"], "bitstamp");
    let body =
        String::from_utf8(mock.received_requests().await.unwrap().last().unwrap().body.clone())
            .unwrap();
    assert_eq!(body, "amount=60&address=bc1%2Dclient");
    // Sent once: a second transfer is a conflict and calls nobody (expect(1) checks on drop).
    assert_eq!(transfer(json!({"method": "bitstamp"})).await.status_code().as_u16(), 409);
}

#[tokio::test]
async fn an_approved_withdrawal_is_sent_through_trustology_with_its_keys() {
    let mock = MockServer::start().await;
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let id = trustology_withdrawal(&t, &admin, &mock.uri(), "tr-key").await;
    t.server
        .post(&format!("/api/transactions/{id}/approve"))
        .authorization_bearer(&admin)
        .json(&json!({"changedAmount": 35}))
        .await
        .assert_status_ok();
    Mock::given(method("POST"))
        .and(path("/withdrawals"))
        .and(header("x-api-key", "tr-key"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"requestId": "tr-1"})))
        .expect(1)
        .mount(&mock)
        .await;
    let r = t
        .server
        .post(&format!("/api/transactions/{id}/transfer"))
        .authorization_bearer(&admin)
        .json(&json!({"method": "trustology", "address": "0xother"}))
        .await;
    r.assert_status_ok();
    let b: Value = r.json();
    assert_eq!(b["withdrawal"]["externalId"], "tr-1");
    assert_eq!(b["withdrawal"]["payoutStatus"], "sent");
    let sent: Value = mock.received_requests().await.unwrap()[0].body_json().unwrap();
    assert_eq!(
        sent,
        json!({"walletId": "W-9", "toAddress": "0xother", "amount": "35", "currency": "USD",
               "reference": id})
    );
}
