//! Dashboard (seed 002 tag Dashboard) through the router: figures asserted against the
//! registrations, deposits (through the ledger) and logins the test creates, the caller's
//! scope, period validation, and an affiliate seeing only its own referrals.

use brokercrm_core::identity::auth::Role;
use brokercrm_store::entities::{crm_leads, ftds, leads};
use brokercrm_store::repo::identity::users;
use chrono::{Duration, SecondsFormat, Utc};
use sea_orm::{ActiveModelTrait, Set};
use serde_json::{Value, json};

use crate::helpers::assert::field_of;
use crate::helpers::http::get;
use crate::helpers::money::{group, manual, wallet};
use crate::helpers::sales::assign_conversion;
use crate::helpers::users::{PASSWORD, User};
use crate::helpers::{TestApp, assert_error};

fn values(chart: &Value) -> Vec<i64> {
    chart.as_array().unwrap().iter().map(|p| p["value"].as_i64().unwrap()).collect()
}

#[tokio::test]
async fn staff_dashboard_counts_registrations_deposits_and_logins_in_scope() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (agent, agent_email) = t.mint_token(Role::ConversionAgent).await;
    let agent_id = users::find_by_email(t.app.db().conn(), &agent_email).await.unwrap().unwrap().id;
    let User { uuid: a_uuid, id: a_id, email: a_email, .. } =
        t.customer().email("ann@dash.test").create().await;
    let User { uuid: b_uuid, email: b_email, .. } =
        t.customer().email("bob@dash.test").create().await;
    assign_conversion(&t, a_id, agent_id).await;
    // Deposits through the ledger: two for Ann (USD), one for Bob; a bonus is not a deposit.
    let g = group(&t, &admin, "USD", "USD").await;
    let wa = wallet(&t, &admin, &a_uuid, g).await;
    let wb = wallet(&t, &admin, &b_uuid, g).await;
    for (w, amount) in [(wa, "100.5"), (wa, "50"), (wb, "20")] {
        let (s, b) = manual(&t, &admin, w, json!({"type": "DEPOSIT", "amount": amount})).await;
        assert_eq!(s, 200, "{b}");
    }
    let (s, _) = manual(&t, &admin, wa, json!({"type": "BONUS", "amount": "5"})).await;
    assert_eq!(s, 200);
    // Logins: Ann twice, Bob once; a refresh continues a login, it is not a new one.
    let r = t
        .server
        .post("/api/sessions")
        .json(&json!({"username": a_email, "password": PASSWORD}))
        .await;
    let refresh = r.json::<Value>()["refreshToken"].as_str().map(str::to_owned);
    t.login(&a_email, PASSWORD).await;
    t.login(&b_email, PASSWORD).await;
    let rt = refresh.expect("refresh token");
    t.server
        .post("/api/sessions/refresh")
        .json(&json!({"refreshToken": rt}))
        .await
        .assert_status_ok();

    let now = Utc::now();
    let fmt = |d: chrono::DateTime<Utc>| d.to_rfc3339_opts(SecondsFormat::Secs, true);
    let q = format!(
        "/api/dashboard?periodStart={}&periodEnd={}",
        fmt(now - Duration::days(2)),
        fmt(now + Duration::days(1))
    );
    let (c, b) = get(&t, &admin, &q).await;
    assert_eq!(c, 200, "{b}");
    assert_eq!(b["totalRegistrations"], 2);
    assert_eq!(b["totalDeposits"], 3);
    assert_eq!(b["totalLogins"], 3);
    assert_eq!(
        b["depositsByCurrency"],
        json!([{"currency": "USD", "count": 3, "amount": "170.5"}])
    );
    for k in ["totalCoins", "totalMessages", "totalDownloads", "pendingPayouts"] {
        assert_eq!(b[k], 0, "{k}");
    }
    let today = now.date_naive().format("%Y-%m-%d").to_string();
    assert_eq!(b["registrationsChart"].as_array().unwrap().len(), 4);
    assert_eq!(b["registrationsChart"][2], json!({"date": today, "value": 2}));
    assert_eq!(values(&b["depositsChart"]), vec![0, 0, 3, 0]);
    assert_eq!(values(&b["loginsChart"]), vec![0, 0, 3, 0]);
    assert_eq!(values(&b["tradesPositionsChart"]), vec![0, 0, 0, 0]);

    // The agent sees only Ann.
    let (c, b) = get(&t, &agent, &q).await;
    assert_eq!(c, 200);
    assert_eq!((b["totalRegistrations"].as_i64(), b["totalDeposits"].as_i64()), (Some(1), Some(2)));
    assert_eq!(b["totalLogins"], 2);
    assert_eq!(b["depositsByCurrency"][0]["amount"], "150.5");

    // A period before everything: zeros.
    let old = format!(
        "/api/dashboard?periodStart={}&periodEnd={}",
        fmt(now - Duration::days(30)),
        fmt(now - Duration::days(29))
    );
    let (_, b) = get(&t, &admin, &old).await;
    assert_eq!((b["totalRegistrations"].as_i64(), b["totalDeposits"].as_i64()), (Some(0), Some(0)));

    // Validation names the field; customers and affiliates are refused.
    let (c, b) = get(&t, &admin, &format!("/api/dashboard?periodEnd={}", fmt(now))).await;
    assert_eq!((c, field_of(&b)), (422, "periodStart".to_owned()));
    assert_error(&b, "validation_failed");
    let bad = format!(
        "/api/dashboard?periodStart={}&periodEnd={}",
        fmt(now),
        fmt(now - Duration::days(1))
    );
    let (c, b) = get(&t, &admin, &bad).await;
    assert_eq!((c, field_of(&b)), (422, "periodEnd".to_owned()));
    let (c, b) =
        get(&t, &admin, "/api/dashboard?periodStart=monday&periodEnd=2026-01-01T00:00:00Z").await;
    assert_eq!((c, field_of(&b)), (422, "periodStart".to_owned()));
    let long = format!(
        "/api/dashboard?periodStart={}&periodEnd={}",
        fmt(now - Duration::days(400)),
        fmt(now)
    );
    assert_eq!(get(&t, &admin, &long).await.0, 422);
    for role in [Role::Customer, Role::Affiliate] {
        let tok = t.token_for(role).await;
        assert_eq!(get(&t, &tok, &q).await.0, 403);
    }
}

#[tokio::test]
async fn affiliate_dashboard_shows_only_its_own_referrals() {
    let t = TestApp::spawn().await;
    let (aff, aff_email) = t.mint_token(Role::Affiliate).await;
    let aff_id = users::find_by_email(t.app.db().conn(), &aff_email).await.unwrap().unwrap().id;
    let (_, other_email) = t.mint_token(Role::Affiliate).await;
    let other_id = users::find_by_email(t.app.db().conn(), &other_email).await.unwrap().unwrap().id;
    let conn = t.app.db().conn();
    let now = brokercrm_store::db::now();
    let ftd =
        brokercrm_store::repo::distribution::goal_types::ensure_system(conn, "FTD").await.unwrap();
    let reg =
        brokercrm_store::repo::distribution::goal_types::ensure_system(conn, "Lead").await.unwrap();

    // Two leads of ours (one a test lead), one of the other affiliate; our first registered
    // and deposited (FTD).
    let mut lead_ids = Vec::new();
    for (owner, test) in [(aff_id, false), (aff_id, true), (other_id, false)] {
        let l = leads::ActiveModel {
            uuid: Set(uuid::Uuid::now_v7().to_string()),
            affiliate_id: Set(owner),
            channel: Set("api".into()),
            status: Set("accepted".into()),
            ip: Set("8.8.8.8".into()),
            is_test: Set(test),
            profile: Set("{}".into()),
            deadline_at: Set(now),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await
        .unwrap();
        lead_ids.push((l.id, owner));
    }
    let User { uuid: cust_uuid, id: cust_id, email: cust_email, .. } =
        t.customer().email("carl@dash.test").create().await;
    let User { id: other_cust, email: other_email_c, .. } =
        t.customer().email("dora@dash.test").create().await;
    for (lead, owner, customer) in
        [(lead_ids[0].0, aff_id, cust_id), (lead_ids[2].0, other_id, other_cust)]
    {
        crm_leads::ActiveModel {
            uuid: Set(uuid::Uuid::now_v7().to_string()),
            lead_id: Set(Some(lead)),
            affiliate_id: Set(Some(owner)),
            customer_id: Set(Some(customer)),
            status: Set("new".into()),
            is_test: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await
        .unwrap();
    }
    for (lead, owner, goal) in [
        (lead_ids[0].0, aff_id, reg.id),
        (lead_ids[0].0, aff_id, ftd.id),
        (lead_ids[2].0, other_id, ftd.id),
    ] {
        ftds::ActiveModel {
            uuid: Set(uuid::Uuid::now_v7().to_string()),
            lead_id: Set(lead),
            goal_type_id: Set(goal),
            affiliate_id: Set(owner),
            source: Set("test".into()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(conn)
        .await
        .unwrap();
    }
    t.login(&cust_email, PASSWORD).await;
    t.login(&other_email_c, PASSWORD).await;

    let (c, b) = get(&t, &aff, "/api/affiliates/dashboard").await;
    assert_eq!(c, 200, "{b}");
    assert_eq!(b["signupsThisMonth"], 1);
    assert_eq!(b["leadsThisMonth"], 1);
    assert_eq!(b["cpasThisMonth"], 1);
    assert_eq!(b["conversionsThisMonth"], 2);
    assert_eq!(b["totalLoginsThisMonth"], 1);
    for k in ["signUpsLastMonth", "cpasLastMonth", "totalLoginsLastMonth", "leadsLastMonth"] {
        assert_eq!(b[k], 0, "{k}");
    }
    for k in ["earningsThisMonth", "volumesThisMonth", "totalBalance", "unpaidBalance"] {
        assert_eq!(b[k], 0, "{k}");
    }
    let signins = b["last5SignIns"].as_array().unwrap();
    assert_eq!(signins.len(), 1);
    assert_eq!(signins[0]["customerId"], cust_uuid.as_str());

    // Staff are not affiliates.
    let admin = t.admin_token().await;
    assert_eq!(get(&t, &admin, "/api/affiliates/dashboard").await.0, 403);
}
