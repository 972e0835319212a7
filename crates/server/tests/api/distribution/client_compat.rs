//! What public third-party clients of seeds 001 and 000 need (issue 20): `leadUuid` on pulled
//! records, the affiliate API without the `/api` prefix, the demo's `affiliate_id`, the
//! lead-provider register fields, and an empty `offerUuid` meaning the default offer.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::distribution::{self as fx, auth, push};
use crate::helpers::lead_provider::provider;

#[tokio::test]
async fn pulled_records_name_the_lead_the_push_returned() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = fx::simple(&t).await;
    let mut pushed = Vec::new();
    for _ in 0..3 {
        let r = push(&t, &aff, &fx::seed_body()).await;
        r.assert_status_ok();
        pushed.push(r.json::<Value>()["lead_uuid"].as_str().unwrap().to_owned());
    }
    let (k, v) = auth(&aff);
    let r = t.server.get("/api/affiliates/v2/leads").add_header(k, v).await;
    r.assert_status_ok();
    let rows: Value = r.json();
    let rows = rows.as_array().unwrap();
    assert_eq!(rows.len(), 3, "{rows:?}");
    let mut pulled: Vec<String> =
        rows.iter().map(|r| r["leadUuid"].as_str().unwrap().to_owned()).collect();
    for row in rows {
        assert_ne!(row["uuid"], row["leadUuid"], "uuid is the conversion's: {row}");
    }
    pulled.sort();
    pushed.sort();
    assert_eq!(pulled, pushed);
}

#[tokio::test]
async fn affiliate_api_is_served_without_the_api_prefix() {
    let t = TestApp::spawn().await;
    let (aff, _, adv) = fx::simple(&t).await;
    let (k, v) = auth(&aff);
    let r = t
        .server
        .post("/affiliates/v2/leads")
        .add_header(k.clone(), v.clone())
        .json(&fx::seed_body())
        .await;
    r.assert_status_ok();
    let b: Value = r.json();
    assert_eq!(b["advertiser_uuid"], adv.uuid);
    let lead_uuid = b["lead_uuid"].as_str().unwrap();
    assert_eq!(fx::lead(&t, lead_uuid).await.status, "accepted");

    let r = t.server.get("/affiliates/v2/leads").add_header(k.clone(), v.clone()).await;
    r.assert_status_ok();
    let rows: Value = r.json();
    assert_eq!(rows[0]["leadUuid"], lead_uuid);
    let alias: Value =
        t.server.get("/affiliates/v2/goal-types").add_header(k.clone(), v.clone()).await.json();
    let canonical: Value =
        t.server.get("/api/affiliates/v2/goal-types").add_header(k.clone(), v.clone()).await.json();
    assert_eq!(alias, canonical);
    assert!(alias.as_array().is_some_and(|a| !a.is_empty()), "{alias}");

    // The seed's error bodies there too: 401, validation, 404.
    let r = t.server.get("/affiliates/v2/leads").await;
    assert_eq!(r.status_code(), 401);
    assert_eq!(r.json::<Value>()["type"], "ERROR_AUTHORIZATION");
    let r =
        t.server.get("/affiliates/v2/leads?per_page=500").add_header(k.clone(), v.clone()).await;
    assert_eq!(r.status_code(), 422, "{}", r.text());
    let r = t.server.get("/affiliates/v2/nothing").await;
    assert_eq!(r.status_code(), 404);
    assert!(r.json::<Value>().get("name").is_some(), "{}", r.text());

    // The OpenAPI document lists the seed's paths once, not the alias.
    let doc: Value = t.server.get("/openapi.json").await.json();
    let paths = doc["paths"].as_object().unwrap();
    assert!(paths.contains_key("/api/affiliates/v2/leads"));
    assert!(!paths.keys().any(|p| p.starts_with("/affiliates/")), "alias documented");
}

#[tokio::test]
async fn demo_credentials_name_the_affiliate_id_a_client_sends() {
    let t = TestApp::spawn().await;
    let creds =
        serde_json::to_value(brokercrm_app::demo::load(&t.app, "http://x").await.unwrap()).unwrap();
    let c = &creds["affiliate_v2"];
    let id = c["affiliate_id"].as_i64().unwrap();
    let token = c["token"].as_str().unwrap();
    let mut body = fx::seed_body();
    body["country_code"] = json!("FR");
    body["affiliate_id"] = json!(id.to_string());
    body["offer_id"] = json!(c["offer_id"].as_i64().unwrap().to_string());
    let r = t
        .server
        .post("/api/affiliates/v2/leads")
        .add_header("Authorization", token)
        .json(&body)
        .await;
    r.assert_status_ok();
    let lead = fx::lead(&t, r.json::<Value>()["lead_uuid"].as_str().unwrap()).await;
    assert_eq!(lead.affiliate_id, id);
    let demo_affiliate = &creds["users"]["affiliate"]["email"];
    let user = brokercrm_store::repo::identity::users::find_by_id(t.app.db().conn(), id)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(json!(user.email), *demo_affiliate);

    let mut other = fx::seed_body();
    other["affiliate_id"] = json!((id + 1000).to_string());
    let r = t
        .server
        .post("/api/affiliates/v2/leads")
        .add_header("Authorization", token)
        .json(&other)
        .await;
    assert_eq!(r.status_code(), 422, "{}", r.text());
    assert_eq!(
        r.json::<Value>()["data"]["errorMessage"],
        "Affiliate_id does not belong to this token"
    );
}

const FIELDS: &str = "/proxy/configuration/api/register-fields";

fn required(fields: &Value) -> Vec<&str> {
    let arr = fields.as_array().unwrap();
    arr.iter().filter(|f| f["required"] == true).map(|f| f["type"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn register_fields_follow_the_default_offer() {
    let t = TestApp::spawn().await;
    let server = wiremock::MockServer::start().await;
    let lp = provider(&t).await;
    let url = |pid: i64, demo: bool| format!("{FIELDS}?partnerId={pid}&demo={demo}");

    // Without a default offer: what every lead account carries.
    let r = t.server.get(&url(lp.partner_id, false)).authorization_bearer(&lp.token).await;
    r.assert_status_ok();
    let b: Value = r.json();
    assert_eq!(required(&b), ["FIRST_NAME", "LAST_NAME", "PHONE"]);

    // The default offer's advertiser needs a city and a zip code.
    let o = fx::offer(&t, "LP offer", "priority").await;
    let extra = json!({"requiredFields": ["city", "zip_code", "aff_sub"]});
    let adv =
        fx::advertiser(&t, "Ext", "http_template", fx::http_template_config(&server, extra), None)
            .await;
    fx::rotate(&t, o.id, adv.id, 10, 1).await;
    fx::token_for(&t, lp.partner_id, Some(o.id), None).await;
    let r = t.server.get(&url(lp.partner_id, true)).authorization_bearer(&lp.token).await;
    r.assert_status_ok();
    let b: Value = r.json();
    let arr = b.as_array().unwrap();
    let types: Vec<&str> = arr.iter().map(|f| f["type"].as_str().unwrap()).collect();
    assert_eq!(
        types,
        [
            "FIRST_NAME",
            "LAST_NAME",
            "BIRTH_DATE",
            "PHONE",
            "COUNTRY",
            "STATE",
            "CITY",
            "ZIP_CODE",
            "STREET"
        ]
    );
    assert_eq!(required(&b), ["FIRST_NAME", "LAST_NAME", "PHONE", "CITY", "ZIP_CODE"]);
    for f in arr {
        let mut keys: Vec<&str> = f.as_object().unwrap().keys().map(String::as_str).collect();
        keys.sort_unstable();
        assert_eq!(
            keys,
            ["active", "created", "demo", "partnerId", "required", "type", "updated", "uuid"],
            "{f}"
        );
        assert_eq!(f["partnerId"], lp.partner_id);
        assert_eq!(f["demo"], true);
        assert_eq!(f["active"], f["required"]);
        uuid::Uuid::parse_str(f["uuid"].as_str().unwrap()).unwrap();
        chrono::DateTime::parse_from_rfc3339(f["created"].as_str().unwrap()).unwrap();
    }
    // Stable ids per type and mode.
    let again: Value =
        t.server.get(&url(lp.partner_id, true)).authorization_bearer(&lp.token).await.json();
    assert_eq!(again, b);
    let real: Value =
        t.server.get(&url(lp.partner_id, false)).authorization_bearer(&lp.token).await.json();
    assert_ne!(real[0]["uuid"], b[0]["uuid"]);
    assert_eq!(real[0]["demo"], false);

    // Another partner's fields, no token, no partner id.
    let r = t.server.get(&url(lp.partner_id + 1000, false)).authorization_bearer(&lp.token).await;
    assert_eq!(r.status_code(), 403);
    assert_eq!(r.json::<Value>()["status"], "FORBIDDEN");
    let r = t.server.get(&url(lp.partner_id, false)).await;
    assert_eq!(r.status_code(), 401);
    let r = t.server.get(FIELDS).authorization_bearer(&lp.token).await;
    assert_eq!(r.status_code(), 400);
    assert!(r.json::<Value>()["message"].as_str().unwrap().contains("partnerId"), "{}", r.text());
}

fn account(offer_uuid: Option<&str>, partner_id: i64) -> Value {
    let mut b = json!({
        "account": {
            "partnerId": partner_id,
            "email": format!("lead-{}@abc12.com", uuid::Uuid::new_v4().simple()),
            "name": "firstname",
            "surname": "lastname",
            "phone": "123456789"
        }
    });
    if let Some(o) = offer_uuid {
        b["offerUuid"] = json!(o);
    }
    b
}

#[tokio::test]
async fn empty_or_missing_offer_is_the_providers_default_offer() {
    let t = TestApp::spawn().await;
    let lp = provider(&t).await;
    let o = fx::offer(&t, "LP offer", "priority").await;
    let house = fx::internal_crm(&t, "House CRM").await;
    fx::rotate(&t, o.id, house.id, 10, 1).await;
    let create = |body: Value| {
        t.server.post("/proxy/processing/api/accounts").authorization_bearer(&lp.token).json(&body)
    };

    // No default offer: today's 400 naming the field, nothing stored.
    for body in [account(Some(""), lp.partner_id), account(None, lp.partner_id)] {
        let r = create(body).await;
        assert_eq!(r.status_code(), 400, "{}", r.text());
        assert!(r.json::<Value>()["message"].as_str().unwrap().contains("offerUuid"));
    }
    assert_eq!(fx::lead_count(&t).await, 0);

    // With one: both go to it.
    fx::token_for(&t, lp.partner_id, Some(o.id), None).await;
    for body in [account(Some(""), lp.partner_id), account(None, lp.partner_id)] {
        let r = create(body).await;
        r.assert_status_ok();
        let b: Value = r.json();
        assert_eq!(b["offerUuid"], o.uuid.as_str());
        assert_eq!(b["status"], "ACCEPTED");
        assert_eq!(fx::lead(&t, b["uuid"].as_str().unwrap()).await.offer_id, Some(o.id));
    }
    // A named offer still wins.
    let other = fx::offer(&t, "Other", "priority").await;
    fx::rotate(&t, other.id, house.id, 10, 1).await;
    let r = create(account(Some(&other.uuid), lp.partner_id)).await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["offerUuid"], other.uuid.as_str());
}
