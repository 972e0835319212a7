//! Seed 001 through HTTP: push, get leads, goal types; auth, limits and every error body.

use axum::http::{HeaderName, HeaderValue};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::lead_fixtures::{self as fx, Affiliate};

fn auth(a: &Affiliate) -> (HeaderName, HeaderValue) {
    (HeaderName::from_static("authorization"), HeaderValue::from_str(&a.token).unwrap())
}

async fn push(t: &TestApp, a: &Affiliate, body: &Value) -> axum_test::TestResponse {
    let (k, v) = auth(a);
    t.server.post("/api/affiliates/v2/leads").add_header(k, v).json(body).await
}

#[tokio::test]
async fn seed_push_example_is_delivered_to_the_internal_crm() {
    let t = TestApp::spawn().await;
    let (aff, _offer, adv) = fx::simple(&t).await;
    let mut body = fx::seed_body();
    body["offer_id"] = json!(_offer.id.to_string());
    body["affiliate_id"] = json!(aff.id.to_string());
    let r = push(&t, &aff, &body).await;
    r.assert_status_ok();
    let b: Value = r.json();
    assert_eq!(b["advertiser_uuid"], adv.uuid);
    assert_eq!(b["advertiser_name"], "House CRM");
    let lead_uuid = b["lead_uuid"].as_str().unwrap();
    uuid::Uuid::parse_str(lead_uuid).unwrap();
    let url = b["auto_login_url"].as_str().unwrap();
    assert!(url.contains("/auto-login/"), "{url}");

    let lead = brokercrm_store::repo::leads::leads::find_by_uuid(t.app.db().conn(), lead_uuid).await.unwrap().unwrap();
    assert_eq!(lead.status, "accepted");
    assert_eq!(lead.email.as_deref(), Some(body["email"].as_str().unwrap().to_lowercase().as_str()));
    let crm = brokercrm_store::repo::leads::crm_leads::find_by_lead(t.app.db().conn(), lead.id).await.unwrap().unwrap();
    assert_eq!(crm.country.as_deref(), Some("DE"));

    // The password is hashed by a job, then dropped from the lead.
    t.run_jobs().await;
    let crm = brokercrm_store::repo::leads::crm_leads::find_by_lead(t.app.db().conn(), lead.id).await.unwrap().unwrap();
    assert!(crm.password_hash.is_some());
    let lead = brokercrm_store::repo::leads::leads::find_by_uuid(t.app.db().conn(), lead_uuid).await.unwrap().unwrap();
    assert!(!lead.profile.contains("123abcDEF"), "{}", lead.profile);

    // The auto-login link opens a customer session once.
    let path = &url[url.find("/auto-login/").unwrap()..];
    let r = t.server.get(path).add_header(HeaderName::from_static("accept"), HeaderValue::from_static("application/json")).await;
    r.assert_status_ok();
    let s: Value = r.json();
    let me = t.server.get("/api/me").authorization_bearer(s["accessToken"].as_str().unwrap()).await;
    me.assert_status_ok();
    let r = t.server.get(path).await;
    r.assert_status(axum::http::StatusCode::UNAUTHORIZED);

    // It shows in the affiliate's list as a "Lead" conversion.
    let (k, v) = auth(&aff);
    let r = t.server.get("/api/affiliates/v2/leads").add_header(k, v).await;
    r.assert_status_ok();
    let rows: Value = r.json();
    assert_eq!(rows.as_array().unwrap().len(), 1, "{rows}");
    let row = &rows[0];
    assert_eq!(row["goalType"], "Lead");
    assert_eq!(row["advertiserUuid"], adv.uuid);
    assert_eq!(row["country"], "DE");
    assert_eq!(row["countryLanguage"], "en");
    assert_eq!(row["first_name"], "Test");
    assert_eq!(row["isTest"], false);
    assert!(row.get("password").is_none());
    assert!(row["createdAt"].as_str().unwrap().ends_with('Z'));
}
