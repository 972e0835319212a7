//! Distribution set-ups for lead tests, written straight to the store: an affiliate with a
//! token, offers, advertisers (internal CRM or external), rotations, caps, blocks, dedup rules.

use brokercrm_core::identity::auth::Role;
use brokercrm_store::entities::{
    advertisers, affiliate_tokens, caps, country_blocks, dedup_rules, offers, rotation_entries,
};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::Value;

use crate::helpers::TestApp;

pub struct Affiliate {
    pub id: i64,
    pub token: String,
    pub token_id: i64,
}

fn now() -> chrono::DateTime<chrono::Utc> {
    brokercrm_store::db::now()
}

fn uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}

/// An affiliate user with an API token (optionally IP-restricted) defaulting to `offer_id`.
pub async fn affiliate(t: &TestApp, offer_id: Option<i64>, ips: Option<&[&str]>) -> Affiliate {
    let user = t.user(Role::Affiliate).create().await;
    token_for(t, user.id, offer_id, ips).await
}

/// A new API token of the affiliate user `user_id` (optionally IP-restricted) defaulting to
/// `offer_id`.
pub async fn token_for(
    t: &TestApp,
    user_id: i64,
    offer_id: Option<i64>,
    ips: Option<&[&str]>,
) -> Affiliate {
    let token = format!("lt_{}", brokercrm_app::identity::security::random_token(30));
    let row = affiliate_tokens::ActiveModel {
        uuid: Set(uuid()),
        affiliate_id: Set(user_id),
        name: Set("test".into()),
        prefix: Set(token[3..11].to_owned()),
        token_hash: Set(brokercrm_app::identity::security::token_hash(&token)),
        ip_allowlist: Set(ips.map(|l| serde_json::to_string(l).unwrap())),
        default_offer_id: Set(offer_id),
        active: Set(true),
        created_by: Set(None),
        last_used_at: Set(None),
        revoked_at: Set(None),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(t.app.db().conn())
    .await
    .unwrap();
    Affiliate { id: user_id, token, token_id: row.id }
}

pub async fn offer(t: &TestApp, name: &str, mode: &str) -> offers::Model {
    offers::ActiveModel {
        uuid: Set(uuid()),
        name: Set(name.into()),
        affiliate_id: Set(None),
        rotation_mode: Set(mode.into()),
        lead_source: Set(None),
        funnel_name: Set(Some(format!("{name} funnel"))),
        funnel_url: Set(Some("https://funnel.example/de".into())),
        funnel_language: Set(Some("de".into())),
        active: Set(true),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(t.app.db().conn())
    .await
    .unwrap()
}

/// An advertiser of `kind` with `config`; `filter` is a traffic filter JSON.
pub async fn advertiser(
    t: &TestApp,
    name: &str,
    kind: &str,
    config: Value,
    filter: Option<Value>,
) -> advertisers::Model {
    advertisers::ActiveModel {
        uuid: Set(uuid()),
        name: Set(name.into()),
        kind: Set(kind.into()),
        config: Set(config.to_string()),
        active: Set(true),
        timeout_ms: Set(5000),
        require_auto_login: Set(false),
        require_external_id: Set(false),
        traffic_filter: Set(filter.map(|f| f.to_string())),
        postback_secret_hash: Set(None),
        created_at: Set(now()),
        updated_at: Set(now()),
        ..Default::default()
    }
    .insert(t.app.db().conn())
    .await
    .unwrap()
}

/// An external advertiser behind the HTTP template adapter at `server`, with no traffic
/// filter.
pub async fn http_advertiser(
    t: &TestApp,
    name: &str,
    server: &wiremock::MockServer,
) -> advertisers::Model {
    advertiser(t, name, "http_template", http_template_config(server, serde_json::json!({})), None)
        .await
}

pub async fn internal_crm(t: &TestApp, name: &str) -> advertisers::Model {
    advertiser(t, name, "internal_crm", serde_json::json!({}), None).await
}

pub async fn rotate(t: &TestApp, offer_id: i64, advertiser_id: i64, priority: i32, weight: i32) {
    rotation_entries::ActiveModel {
        offer_id: Set(offer_id),
        advertiser_id: Set(advertiser_id),
        priority: Set(priority),
        weight: Set(weight),
        active: Set(true),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(t.app.db().conn())
    .await
    .unwrap();
}

pub async fn cap(
    t: &TestApp,
    advertiser_id: i64,
    period: &str,
    kind: &str,
    max: i32,
    country: Option<&str>,
) {
    caps::ActiveModel {
        uuid: Set(uuid()),
        advertiser_id: Set(advertiser_id),
        offer_id: Set(None),
        country: Set(country.map(Into::into)),
        period: Set(period.into()),
        kind: Set(kind.into()),
        max_count: Set(max),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(t.app.db().conn())
    .await
    .unwrap();
}

pub async fn block_country(t: &TestApp, offer_id: Option<i64>, country: &str) {
    country_blocks::ActiveModel {
        offer_id: Set(offer_id),
        country: Set(country.into()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(t.app.db().conn())
    .await
    .unwrap();
}

pub async fn dedup_rule(t: &TestApp, field: &str, scope: &str, window_secs: i64) {
    dedup_rules::ActiveModel {
        uuid: Set(uuid()),
        field: Set(field.into()),
        scope: Set(scope.into()),
        window_secs: Set(window_secs),
        active: Set(true),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(t.app.db().conn())
    .await
    .unwrap();
}

/// An affiliate whose default offer rotates to one internal-CRM advertiser.
pub async fn simple(t: &TestApp) -> (Affiliate, offers::Model, advertisers::Model) {
    let o = offer(t, "Main offer", "priority").await;
    let a = internal_crm(t, "House CRM").await;
    rotate(t, o.id, a.id, 10, 1).await;
    let aff = affiliate(t, Some(o.id), None).await;
    (aff, o, a)
}

/// The seed's push example with a unique e-mail.
pub fn seed_body() -> Value {
    serde_json::json!({
        "ip": "1.1.1.1",
        "country_code": "DE",
        "lead_language": "en",
        "password": "123abcDEF",
        "phone": "+889283304487",
        "first_name": "Test",
        "last_name": "Lead",
        "email": format!("TestLead-{}@test.com", uuid::Uuid::new_v4().simple()),
    })
}

// ---- HTTP helpers for the affiliate API ----

/// The `Authorization` header of `a` (the raw token, as the seed sends it).
pub fn auth(a: &Affiliate) -> (axum::http::HeaderName, axum::http::HeaderValue) {
    (axum::http::header::AUTHORIZATION, axum::http::HeaderValue::from_str(&a.token).unwrap())
}

/// `POST /api/affiliates/v2/leads` with `a`'s token.
pub async fn push(t: &TestApp, a: &Affiliate, body: &Value) -> axum_test::TestResponse {
    let (k, v) = auth(a);
    t.server.post("/api/affiliates/v2/leads").add_header(k, v).json(body).await
}

/// `GET path` with `a`'s token.
pub async fn get(t: &TestApp, a: &Affiliate, path: &str) -> axum_test::TestResponse {
    let (k, v) = auth(a);
    t.server.get(path).add_header(k, v).await
}

/// Pushes `body` and asserts a 400 rejection of `error_type`; returns the body and the stored
/// lead (checked to be "rejected" with that error type).
pub async fn push_rejected(
    t: &TestApp,
    a: &Affiliate,
    body: &Value,
    error_type: &str,
) -> (Value, brokercrm_store::repo::distribution::leads::LeadRow) {
    let r = push(t, a, body).await;
    let b: Value = r.json();
    assert_eq!(r.status_code().as_u16(), 400, "{b}");
    assert_eq!(b["name"], "MoleculerError", "{b}");
    assert_eq!(b["code"], 400, "{b}");
    assert_eq!(b["type"], error_type, "{b}");
    assert_eq!(b["data"]["errorType"], error_type, "{b}");
    assert!(b["data"]["errorMessage"].as_str().is_some_and(|m| !m.is_empty()), "{b}");
    assert!(b["data"]["requiredResponseFields"].is_array(), "{b}");
    let uuid = b["data"]["leadUuid"].as_str().unwrap_or_else(|| panic!("no leadUuid: {b}"));
    let row = lead(t, uuid).await;
    assert_eq!(row.status, "rejected", "{row:?}");
    assert_eq!(row.error_type.as_deref(), Some(error_type), "{row:?}");
    assert_eq!(row.affiliate_id, a.id);
    (b, row)
}

/// Pushes `body` and asserts 200; returns the body and the stored (accepted) lead.
pub async fn push_accepted(
    t: &TestApp,
    a: &Affiliate,
    body: &Value,
) -> (Value, brokercrm_store::repo::distribution::leads::LeadRow) {
    let r = push(t, a, body).await;
    let b: Value = r.json();
    assert_eq!(r.status_code().as_u16(), 200, "{b}");
    let row = lead(t, b["lead_uuid"].as_str().unwrap()).await;
    assert_eq!(row.status, "accepted", "{row:?}");
    (b, row)
}

/// The stored lead with `uuid`.
pub async fn lead(t: &TestApp, uuid: &str) -> brokercrm_store::repo::distribution::leads::LeadRow {
    brokercrm_store::repo::distribution::leads::find_by_uuid(t.app.db().conn(), uuid)
        .await
        .unwrap()
        .unwrap_or_else(|| panic!("lead {uuid} not stored"))
}

/// The lead's trace as (kind, advertiser id, error type, message).
pub async fn trace(
    t: &TestApp,
    lead_id: i64,
) -> Vec<(String, Option<i64>, Option<String>, String)> {
    brokercrm_store::repo::distribution::lead_events::for_lead(t.app.db().conn(), lead_id)
        .await
        .unwrap()
        .into_iter()
        .map(|e| (e.kind, e.advertiser_id, e.error_type, e.message.unwrap_or_default()))
        .collect()
}

/// Rows of the leads table.
pub async fn lead_count(t: &TestApp) -> u64 {
    use sea_orm::{EntityTrait, PaginatorTrait};
    brokercrm_store::entities::leads::Entity::find().count(t.app.db().conn()).await.unwrap()
}

/// CRM leads (internal CRM deliveries) with this e-mail (compared lower-case).
pub async fn crm_leads_with_email(t: &TestApp, email: &str) -> u64 {
    use brokercrm_store::entities::crm_leads;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    crm_leads::Entity::find()
        .filter(crm_leads::Column::Email.eq(email.to_lowercase()))
        .count(t.app.db().conn())
        .await
        .unwrap()
}

/// Sets an advertiser's "accepted needs an auto-login URL / its own lead id" flags and its
/// per-call time-out.
pub async fn set_requirements(
    t: &TestApp,
    adv: &advertisers::Model,
    auto_login: bool,
    external_id: bool,
    timeout_ms: i32,
) {
    let mut a: advertisers::ActiveModel = adv.clone().into();
    a.require_auto_login = Set(auto_login);
    a.require_external_id = Set(external_id);
    a.timeout_ms = Set(timeout_ms);
    a.update(t.app.db().conn()).await.unwrap();
}

/// An `http_template` config posting JSON to `{server}/leads`, success when `/status` is
/// "ok", ids at `/id` and `/url`; `extra` keys are merged in.
pub fn http_template_config(server: &wiremock::MockServer, extra: Value) -> Value {
    let mut c = serde_json::json!({
        "method": "POST",
        "url": format!("{}/leads", server.uri()),
        "headers": {"X-Api-Key": "key-123"},
        "body": {"email": "{{email}}", "phone": "{{phone}}", "country": "{{country}}", "ref": "{{lead_uuid}}"},
        "successPointer": "/status",
        "successValue": "ok",
        "externalIdPointer": "/id",
        "autoLoginPointer": "/url",
        "messagePointer": "/message",
    });
    if let (Some(c), Some(extra)) = (c.as_object_mut(), extra.as_object()) {
        c.extend(extra.clone());
    }
    c
}

/// An `affiliate_v2` config for another distributor at `server`.
pub fn affiliate_v2_config(server: &wiremock::MockServer) -> Value {
    serde_json::json!({"baseUrl": server.uri(), "token": "remote-token-1"})
}

/// A `lead_provider` (seed 000) config for a broker at `server`.
pub fn lead_provider_config(server: &wiremock::MockServer) -> Value {
    serde_json::json!({
        "baseUrl": server.uri(), "clientId": "client-1", "clientSecret": "client-secret-1",
        "username": "svc", "password": "svc-password-1",
        "offerUuid": "0191e9a4-7b3c-7d2e-9f10-123456789abc", "partnerId": 42,
    })
}

/// Requests `server` received.
pub async fn received(server: &wiremock::MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// An offer (default of a new affiliate) rotating to `advertisers` by priority (in order).
pub async fn offer_with(
    t: &TestApp,
    mode: &str,
    rotation: &[(&advertisers::Model, i32, i32)],
) -> (Affiliate, offers::Model) {
    let o = offer(t, "Offer", mode).await;
    for (a, priority, weight) in rotation {
        rotate(t, o.id, a.id, *priority, *weight).await;
    }
    let aff = affiliate(t, Some(o.id), None).await;
    (aff, o)
}

/// Pushes every body at once with `a`'s token; (status, body) per push, in the order given.
pub async fn push_concurrently(
    t: &TestApp,
    a: &Affiliate,
    bodies: Vec<Value>,
) -> Vec<(u16, Value)> {
    let requests = bodies
        .into_iter()
        .map(|body| {
            axum::http::Request::post("/api/affiliates/v2/leads")
                .header("authorization", a.token.as_str())
                .header("content-type", "application/json")
                .body(axum::body::Body::from(body.to_string()))
                .unwrap()
        })
        .collect();
    super::http::send_concurrently(t, requests).await
}

/// `GET path` `n` times at once with `a`'s token.
pub async fn get_concurrently(
    t: &TestApp,
    a: &Affiliate,
    path: &str,
    n: usize,
) -> Vec<(u16, Value)> {
    let requests = (0..n)
        .map(|_| {
            axum::http::Request::get(path)
                .header("authorization", a.token.as_str())
                .body(axum::body::Body::empty())
                .unwrap()
        })
        .collect();
    super::http::send_concurrently(t, requests).await
}

/// FTD conversions the internal CRM recorded for a lead.
pub async fn crm_ftds(t: &TestApp, lead_id: i64) -> u64 {
    use brokercrm_store::entities::ftds;
    use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
    ftds::Entity::find()
        .filter(ftds::Column::LeadId.eq(lead_id))
        .filter(ftds::Column::Source.eq("crm"))
        .count(t.app.db().conn())
        .await
        .unwrap()
}
