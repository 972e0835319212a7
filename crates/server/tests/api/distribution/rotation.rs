//! Rotation through `POST /api/affiliates/v2/leads`: priority order with fall-through,
//! weighted shares, the demo's traffic-filter skip, and dedup and caps under concurrent pushes.

use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::TestApp;
use crate::helpers::distribution as fx;

#[tokio::test]
async fn priority_falls_through_to_the_next_advertiser_and_traces_every_step() {
    let t = TestApp::spawn().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/leads"))
        .respond_with(
            ResponseTemplate::new(200)
                .set_body_json(json!({"status": "error", "message": "no traffic today"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let ext = fx::http_advertiser(&t, "External first", &server).await;
    let crm = fx::internal_crm(&t, "House CRM").await;
    // Inserted in reverse so only the priorities order them.
    let (aff, _) = fx::offer_with(&t, "priority", &[(&crm, 2, 1), (&ext, 1, 1)]).await;
    let (b, lead) = fx::push_accepted(&t, &aff, &fx::seed_body()).await;
    assert_eq!(b["advertiser_uuid"], crm.uuid);
    assert_eq!(b["advertiser_name"], "House CRM");
    assert_eq!(lead.advertiser_id, Some(crm.id));

    let trace = fx::trace(&t, lead.id).await;
    let steps: Vec<(&str, Option<i64>)> = trace.iter().map(|e| (e.0.as_str(), e.1)).collect();
    assert_eq!(
        steps,
        [
            ("received", None),
            ("attempt", Some(ext.id)),
            ("rejected", Some(ext.id)),
            ("accepted", Some(crm.id))
        ]
    );
    assert_eq!(trace[2].2.as_deref(), Some("BLOCKED_BY_ADVERTISER"));
    assert!(trace[2].3.contains("no traffic today"), "{:?}", trace[2]);
    assert_eq!(fx::received(&server).await, 1);
    let sent: Value = server.received_requests().await.unwrap()[0].body_json().unwrap();
    assert_eq!(sent["ref"], lead.uuid.as_str());
    assert_eq!(sent["country"], "DE");
}

#[tokio::test]
async fn weighted_rotation_follows_the_weights() {
    let t = TestApp::spawn().await;
    let light = fx::internal_crm(&t, "Light").await;
    let heavy = fx::internal_crm(&t, "Heavy").await;
    let (aff, _) = fx::offer_with(&t, "weighted", &[(&light, 1, 1), (&heavy, 1, 9)]).await;
    let mut to_heavy = 0;
    for _ in 0..200 {
        let (b, _) = fx::push_accepted(&t, &aff, &fx::seed_body()).await;
        if b["advertiser_uuid"] == heavy.uuid.as_str() {
            to_heavy += 1;
        } else {
            assert_eq!(b["advertiser_uuid"], light.uuid);
        }
    }
    // Expected 180 (90 %); the bounds are more than 6 standard deviations away.
    assert!((150..=194).contains(&to_heavy), "heavy got {to_heavy} of 200");
}

#[tokio::test]
async fn demo_a_filtered_advertiser_is_skipped_with_the_reason() {
    let t = TestApp::spawn().await;
    let server = MockServer::start().await;
    let filtered = fx::advertiser(
        &t,
        "FR and GB only",
        "http_template",
        fx::http_template_config(&server, json!({})),
        Some(json!({"countries": ["FR", "GB"]})),
    )
    .await;
    let crm = fx::internal_crm(&t, "House CRM").await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&filtered, 1, 1), (&crm, 2, 1)]).await;
    let (b, lead) = fx::push_accepted(&t, &aff, &fx::seed_body()).await;
    assert_eq!(b["advertiser_uuid"], crm.uuid);
    let trace = fx::trace(&t, lead.id).await;
    let kinds: Vec<&str> = trace.iter().map(|e| e.0.as_str()).collect();
    assert_eq!(kinds, ["received", "skipped", "accepted"]);
    let skip = &trace[1];
    assert_eq!(skip.1, Some(filtered.id));
    assert_eq!(skip.2.as_deref(), Some("BLOCKED_BY_TRAFFIC_FILTER"));
    assert!(skip.3.contains("DE"), "the skip names the country: {skip:?}");
    assert_eq!(fx::received(&server).await, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_duplicates_deliver_exactly_once() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = fx::simple(&t).await;
    fx::dedup_rule(&t, "email", "global", 3600).await;
    let email = format!("race-{}@test.com", uuid::Uuid::new_v4().simple());
    let bodies: Vec<Value> = (0..8)
        .map(|i| {
            let mut b = fx::seed_body();
            b["email"] = json!(email);
            b["aff_sub"] = json!(format!("click-{i}"));
            b
        })
        .collect();
    let results = fx::push_concurrently(&t, &aff, bodies).await;
    let ok = results.iter().filter(|(s, _)| *s == 200).count();
    let dup = results
        .iter()
        .filter(|(s, b)| {
            *s == 400
                && b["type"] == "CRM_DUPLICATION_ERROR"
                && b["data"]["errorType"] == "CRM_DUPLICATION_ERROR"
        })
        .count();
    assert_eq!((ok, dup), (1, 7), "{results:?}");
    assert_eq!(fx::crm_leads_with_email(&t, &email).await, 1);
    assert_eq!(fx::lead_count(&t).await, 8);
    for (_, b) in results.iter().filter(|(s, _)| *s == 400) {
        let lead = fx::lead(&t, b["data"]["leadUuid"].as_str().unwrap()).await;
        assert_eq!(
            (lead.status.as_str(), lead.error_type.as_deref()),
            ("rejected", Some("CRM_DUPLICATION_ERROR"))
        );
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_pushes_never_exceed_an_accepted_cap() {
    let t = TestApp::spawn().await;
    let (aff, _, crm) = fx::simple(&t).await;
    fx::cap(&t, crm.id, "day", "accepted", 3, None).await;
    let bodies: Vec<Value> = (0..10).map(|_| fx::seed_body()).collect();
    let results = fx::push_concurrently(&t, &aff, bodies).await;
    let ok = results.iter().filter(|(s, _)| *s == 200).count();
    let capped = results.iter().filter(|(s, b)| *s == 400 && b["type"] == "ROTATION_ERROR").count();
    assert_eq!((ok, capped), (3, 7), "{results:?}");
    use brokercrm_store::entities::crm_leads;
    use sea_orm::{EntityTrait, PaginatorTrait};
    assert_eq!(crm_leads::Entity::find().count(t.app.db().conn()).await.unwrap(), 3);
}
