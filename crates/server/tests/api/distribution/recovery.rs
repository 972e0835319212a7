//! Recovery of leads whose routing process died (`workers::maintain`): resumed when no call
//! was in flight, marked "unknown" (never re-sent) when one was.

use std::time::Duration;

use brokercrm_store::repo::distribution::crm_leads;
use brokercrm_store::repo::distribution::ftd as ftd_repo;
use brokercrm_store::repo::distribution::lead_events::{self as events, NewEvent};
use brokercrm_store::repo::distribution::leads::{self as lead_repo, LeadRow, NewLead};
use serde_json::json;
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::TestApp;
use crate::helpers::distribution::{self as fx, Affiliate};

/// A lead left "routing" by a process that died, its lease ending `lease_secs` from now
/// (negative: already over), with `trace` as (kind, advertiser) entries.
async fn stuck_lead(
    t: &TestApp,
    aff: &Affiliate,
    offer_id: i64,
    lease_secs: i64,
    trace: &[(&'static str, Option<i64>)],
) -> LeadRow {
    let now = t.app.clock().now();
    let email = format!("stuck-{}@test.com", uuid::Uuid::new_v4().simple());
    let profile = json!({"email": email, "first_name": "Stuck", "last_name": "Lead", "phone": "+4915112345678"});
    let conn = t.app.db().conn();
    let lead = lead_repo::insert(
        conn,
        NewLead {
            uuid: uuid::Uuid::now_v7().to_string(),
            affiliate_id: aff.id,
            token_id: Some(aff.token_id),
            channel: "affiliate_v2".into(),
            offer_id: Some(offer_id),
            ip: "1.1.1.1".into(),
            country: Some("DE".into()),
            language: Some("de".into()),
            is_test: false,
            email: Some(email),
            phone: Some("+4915112345678".into()),
            first_name: Some("Stuck".into()),
            last_name: Some("Lead".into()),
            profile: profile.to_string(),
            lease_until: now + chrono::Duration::seconds(lease_secs),
            deadline_at: now + chrono::Duration::seconds(85),
        },
    )
    .await
    .unwrap();
    let entries = trace
        .iter()
        .enumerate()
        .map(|(i, (kind, adv))| NewEvent {
            seq: i as i32 + 1,
            kind,
            advertiser_id: *adv,
            error_type: (*kind == "rejected").then(|| "UNKNOWN".to_owned()),
            message: Some(format!("{kind} before the crash")),
            duration_ms: None,
        })
        .collect();
    events::append(conn, lead.id, entries).await.unwrap();
    lead
}

async fn reload(t: &TestApp, lead: &LeadRow) -> LeadRow {
    fx::lead(t, &lead.uuid).await
}

async fn kinds(t: &TestApp, lead: &LeadRow) -> Vec<String> {
    fx::trace(t, lead.id).await.into_iter().map(|e| e.0).collect()
}

async fn deliveries(t: &TestApp, lead: &LeadRow) -> (bool, usize) {
    let conn = t.app.db().conn();
    let crm = crm_leads::find_by_lead(conn, lead.id).await.unwrap().is_some();
    (crm, ftd_repo::for_lead(conn, lead.id).await.unwrap().len())
}

#[tokio::test]
async fn a_lead_with_an_expired_lease_is_resumed_once() {
    let t = TestApp::spawn().await;
    let (aff, offer, crm) = fx::simple(&t).await;
    let stale = stuck_lead(&t, &aff, offer.id, -1, &[("received", None)]).await;
    let leased = stuck_lead(&t, &aff, offer.id, 20, &[("received", None)]).await;

    assert_eq!(brokercrm_app::workers::maintain(&t.app).await.unwrap(), 1);
    let lead = reload(&t, &stale).await;
    assert_eq!(lead.status, "accepted", "{lead:?}");
    assert_eq!(lead.advertiser_id, Some(crm.id));
    assert!(lead.auto_login_url.is_some());
    assert_eq!(kinds(&t, &stale).await, ["received", "recovered", "accepted"]);
    assert_eq!(deliveries(&t, &stale).await, (true, 1));
    // A lead whose routing process still holds its lease is left alone.
    assert_eq!(reload(&t, &leased).await.status, "routing");
    assert_eq!(deliveries(&t, &leased).await, (false, 0));

    // A second pass changes nothing.
    assert_eq!(brokercrm_app::workers::maintain(&t.app).await.unwrap(), 0);
    assert_eq!(reload(&t, &stale).await, lead);
    assert_eq!(kinds(&t, &stale).await, ["received", "recovered", "accepted"]);
    assert_eq!(deliveries(&t, &stale).await, (true, 1));

    // Once its lease runs out, the other one is resumed too.
    t.clock.advance(Duration::from_secs(21));
    assert_eq!(brokercrm_app::workers::maintain(&t.app).await.unwrap(), 1);
    assert_eq!(reload(&t, &leased).await.status, "accepted");
    assert_eq!(deliveries(&t, &leased).await, (true, 1));
    assert_eq!(deliveries(&t, &stale).await, (true, 1));

    // Both show in the affiliate's list, once each.
    let rows: serde_json::Value = fx::get(&t, &aff, "/api/affiliates/v2/leads").await.json();
    assert_eq!(rows.as_array().unwrap().len(), 2, "{rows}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_maintenance_passes_resume_a_lead_once() {
    let t = TestApp::spawn().await;
    let (aff, offer, _) = fx::simple(&t).await;
    let leads = [
        stuck_lead(&t, &aff, offer.id, -1, &[("received", None)]).await,
        stuck_lead(&t, &aff, offer.id, -5, &[("received", None)]).await,
    ];
    let passes: Vec<_> = (0..4)
        .map(|_| {
            let app = t.app.clone();
            tokio::spawn(async move { brokercrm_app::workers::maintain(&app).await.unwrap() })
        })
        .collect();
    let mut handled = 0;
    for p in passes {
        handled += p.await.unwrap();
    }
    assert_eq!(handled, 2, "each lead is taken over by exactly one pass");
    for lead in &leads {
        assert_eq!(reload(&t, lead).await.status, "accepted");
        assert_eq!(deliveries(&t, lead).await, (true, 1));
        assert_eq!(kinds(&t, lead).await, ["received", "recovered", "accepted"]);
    }
}

#[tokio::test]
async fn a_lead_stuck_in_an_advertiser_call_is_marked_unknown_and_not_resent() {
    let t = TestApp::spawn().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "ok", "id": "x", "url": "https://l.example/x"})),
        )
        .mount(&server)
        .await;
    let ext = fx::http_advertiser(&t, "External", &server).await;
    let crm = fx::internal_crm(&t, "House CRM").await;
    let (aff, offer) = fx::offer_with(&t, "priority", &[(&ext, 1, 1), (&crm, 2, 1)]).await;
    let lead =
        stuck_lead(&t, &aff, offer.id, -1, &[("received", None), ("attempt", Some(ext.id))]).await;

    assert_eq!(brokercrm_app::workers::maintain(&t.app).await.unwrap(), 1);
    let after = reload(&t, &lead).await;
    assert_eq!(after.status, "unknown", "{after:?}");
    assert_eq!(after.error_type.as_deref(), Some("UNKNOWN"));
    assert_eq!(after.advertiser_id, Some(ext.id));
    assert_eq!(after.lease_until, None);
    let trace = fx::trace(&t, lead.id).await;
    assert_eq!(trace.last().map(|e| (e.0.as_str(), e.1)), Some(("recovered", Some(ext.id))));
    assert_eq!(fx::received(&server).await, 0, "a call that may have arrived is never repeated");
    assert_eq!(deliveries(&t, &lead).await, (false, 0), "nor sent elsewhere");

    assert_eq!(brokercrm_app::workers::maintain(&t.app).await.unwrap(), 0);
    assert_eq!(reload(&t, &lead).await, after);
    assert_eq!(fx::trace(&t, lead.id).await.len(), trace.len());
}

#[tokio::test]
async fn a_resumed_lead_skips_the_advertisers_already_tried() {
    let t = TestApp::spawn().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "ok", "id": "x", "url": "https://l.example/x"})),
        )
        .mount(&server)
        .await;
    let ext = fx::http_advertiser(&t, "External", &server).await;
    let crm = fx::internal_crm(&t, "House CRM").await;
    let (aff, offer) = fx::offer_with(&t, "priority", &[(&ext, 1, 1), (&crm, 2, 1)]).await;
    let lead = stuck_lead(
        &t,
        &aff,
        offer.id,
        -1,
        &[("received", None), ("attempt", Some(ext.id)), ("rejected", Some(ext.id))],
    )
    .await;

    assert_eq!(brokercrm_app::workers::maintain(&t.app).await.unwrap(), 1);
    let after = reload(&t, &lead).await;
    assert_eq!((after.status.as_str(), after.advertiser_id), ("accepted", Some(crm.id)));
    assert_eq!(fx::received(&server).await, 0);
    assert_eq!(deliveries(&t, &lead).await, (true, 1));
}
