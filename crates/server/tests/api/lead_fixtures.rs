//! Distribution set-ups for lead tests, written straight to the store: an affiliate with a
//! token, offers, advertisers (internal CRM or external), rotations, caps, blocks, dedup rules.

use brokercrm_core::auth::Role;
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
    let email = format!("aff-{}@test.local", uuid::Uuid::new_v4().simple());
    t.create_user(Role::Affiliate, &email, "Passw0rd!x").await;
    let user = brokercrm_store::repo::users::find_by_email(t.app.db().conn(), &email).await.unwrap().unwrap();
    let token = format!("lt_{}", brokercrm_app::security::random_token(30));
    let row = affiliate_tokens::ActiveModel {
        uuid: Set(uuid()),
        affiliate_id: Set(user.id),
        name: Set("test".into()),
        prefix: Set(token[3..11].to_owned()),
        token_hash: Set(brokercrm_app::security::token_hash(&token)),
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
    Affiliate { id: user.id, token, token_id: row.id }
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
pub async fn advertiser(t: &TestApp, name: &str, kind: &str, config: Value, filter: Option<Value>) -> advertisers::Model {
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

pub async fn cap(t: &TestApp, advertiser_id: i64, period: &str, kind: &str, max: i32, country: Option<&str>) {
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
