//! Advertiser postbacks through HTTP: secret check, lead ownership, idempotent recording.

use brokercrm_store::entities::advertisers;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::helpers::distribution as fx;
use crate::helpers::{TestApp, assert_error};

const SECRET: &str = "pb-secret-0123456789";

fn path(adv: &advertisers::Model) -> String {
    format!("/api/lead-distribution/postbacks/{}", adv.uuid)
}

async fn set_secret(t: &TestApp, adv: &advertisers::Model, secret: &str) {
    let mut a: advertisers::ActiveModel = adv.clone().into();
    a.postback_secret_hash = Set(Some(brokercrm_app::identity::security::token_hash(secret)));
    a.update(t.app.db().conn()).await.unwrap();
}

/// FTD conversions of a lead.
async fn ftd_count(t: &TestApp, lead_id: i64) -> u64 {
    use brokercrm_store::entities::{ftds, goal_types};
    let Some(ftd) = goal_types::Entity::find()
        .filter(goal_types::Column::Name.eq("FTD"))
        .one(t.app.db().conn())
        .await
        .unwrap()
    else {
        return 0;
    };
    ftds::Entity::find()
        .filter(ftds::Column::LeadId.eq(lead_id))
        .filter(ftds::Column::GoalTypeId.eq(ftd.id))
        .count(t.app.db().conn())
        .await
        .unwrap()
}

/// An advertiser with a postback secret and a lead it accepted.
async fn delivered(
    t: &TestApp,
) -> (advertisers::Model, brokercrm_store::repo::distribution::leads::LeadRow) {
    let (aff, _offer, adv) = fx::simple(t).await;
    set_secret(t, &adv, SECRET).await;
    let (_, lead) = fx::push_accepted(t, &aff, &fx::seed_body()).await;
    assert_eq!(lead.advertiser_id, Some(adv.id));
    (adv, lead)
}

#[tokio::test]
async fn postback_records_an_ftd_once() {
    let t = TestApp::spawn().await;
    let (adv, lead) = delivered(&t).await;
    let r = t
        .server
        .get(&format!("{}?lead={}", path(&adv), lead.uuid))
        .add_header("x-postback-secret", SECRET)
        .await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>(), json!({"recorded": true, "lead": lead.uuid, "goal": "FTD"}));
    assert_eq!(ftd_count(&t, lead.id).await, 1);

    // Redelivered (POST, JSON body, secret in the query): 200, nothing new.
    let r = t
        .server
        .post(&format!("{}?secret={SECRET}", path(&adv)))
        .json(&json!({"lead": lead.uuid, "goal": "ftd"}))
        .await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["recorded"], false);
    assert_eq!(ftd_count(&t, lead.id).await, 1);

    // Audited once.
    use brokercrm_store::entities::activities;
    let n = activities::Entity::find()
        .filter(activities::Column::Type.eq("lead.conversion.postback"))
        .count(t.app.db().conn())
        .await
        .unwrap();
    assert_eq!(n, 1);
}

#[tokio::test]
async fn postback_by_external_id_and_form_body() {
    let t = TestApp::spawn().await;
    let (adv, lead) = delivered(&t).await;
    let ext = lead.external_id.clone().expect("the internal CRM returns its lead id");
    let r = t
        .server
        .post(&path(&adv))
        .add_header("x-postback-secret", SECRET)
        .form(&[("externalId", ext.as_str())])
        .await;
    r.assert_status_ok();
    assert_eq!(r.json::<Value>()["lead"], lead.uuid.as_str());
    assert_eq!(ftd_count(&t, lead.id).await, 1);
    // Unknown goal types and missing lead references are 422.
    let r = t
        .server
        .get(&format!("{}?lead={}&goal=Nope", path(&adv), lead.uuid))
        .add_header("x-postback-secret", SECRET)
        .await;
    assert_eq!(r.status_code().as_u16(), 422);
    assert_error(&r.json::<Value>(), "validation_failed");
    let r = t.server.get(&path(&adv)).add_header("x-postback-secret", SECRET).await;
    assert_eq!(r.status_code().as_u16(), 422);
}

#[tokio::test]
async fn wrong_or_missing_secret_is_401() {
    let t = TestApp::spawn().await;
    let (adv, lead) = delivered(&t).await;
    let url = format!("{}?lead={}", path(&adv), lead.uuid);
    let r = t.server.get(&url).add_header("x-postback-secret", "wrong").await;
    r.assert_status_unauthorized();
    assert_error(&r.json::<Value>(), "unauthorized");
    t.server.get(&url).await.assert_status_unauthorized();
    let unknown = format!(
        "/api/lead-distribution/postbacks/{}?lead={}&secret={SECRET}",
        uuid::Uuid::new_v4(),
        lead.uuid
    );
    t.server.get(&unknown).await.assert_status_unauthorized();
    assert_eq!(ftd_count(&t, lead.id).await, 0);
}

#[tokio::test]
async fn another_advertisers_lead_is_404() {
    let t = TestApp::spawn().await;
    let (_adv, lead) = delivered(&t).await;
    let other = fx::internal_crm(&t, "Other brand").await;
    set_secret(&t, &other, "other-secret-123").await;
    let r = t
        .server
        .get(&format!("{}?lead={}", path(&other), lead.uuid))
        .add_header("x-postback-secret", "other-secret-123")
        .await;
    r.assert_status_not_found();
    assert_error(&r.json::<Value>(), "not_found");
    let ext = lead.external_id.clone().unwrap();
    let r = t
        .server
        .get(&format!("{}?externalId={ext}", path(&other)))
        .add_header("x-postback-secret", "other-secret-123")
        .await;
    r.assert_status_not_found();
    assert_eq!(ftd_count(&t, lead.id).await, 0);
}
