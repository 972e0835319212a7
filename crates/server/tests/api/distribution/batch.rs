//! The intake batch: many leads pushed at once are stored in shared transactions, and each
//! still gets exactly its own outcome, CRM lead, auto-login link, conversion and trace.

use brokercrm_store::entities::{auto_login_tokens, crm_leads, ftds};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::TestApp;
use crate::helpers::distribution as fx;

/// Asserts a lead's trace is numbered 1.. without gaps and returns its kinds.
async fn trace_kinds(t: &TestApp, lead_id: i64) -> Vec<String> {
    let rows =
        brokercrm_store::repo::distribution::lead_events::for_lead(t.app.db().conn(), lead_id)
            .await
            .unwrap();
    let seqs: Vec<i32> = rows.iter().map(|e| e.seq).collect();
    assert_eq!(seqs, (1..=rows.len() as i32).collect::<Vec<_>>(), "lead {lead_id}");
    rows.into_iter().map(|e| e.kind).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_mixed_batch_gives_every_lead_its_own_outcome_and_rows() {
    let t = TestApp::spawn().await;
    let (aff, offer, crm) = fx::simple(&t).await;
    fx::dedup_rule(&t, "email", "global", 3600).await;
    fx::block_country(&t, Some(offer.id), "FR").await;
    let shared = format!("shared-{}@test.com", uuid::Uuid::new_v4().simple());
    let mut bodies: Vec<Value> = Vec::new();
    for i in 0..36 {
        let mut b = fx::seed_body();
        b["aff_sub"] = json!(format!("click-{i}"));
        match i % 3 {
            0 => {}
            1 => b["email"] = json!(shared),
            _ => b["country_code"] = json!("FR"),
        }
        bodies.push(b);
    }
    let results = fx::push_concurrently(&t, &aff, bodies).await;

    let of = |kind: &str| results.iter().filter(|(s, b)| *s == 400 && b["type"] == kind).count();
    let accepted: Vec<&Value> = results.iter().filter(|(s, _)| *s == 200).map(|(_, b)| b).collect();
    assert_eq!(
        (accepted.len(), of("CRM_DUPLICATION_ERROR"), of("BLOCK_COUNTRY")),
        (13, 11, 12),
        "{results:?}"
    );
    let conn = t.app.db().conn();
    assert_eq!(fx::lead_count(&t).await, 36);
    assert_eq!(crm_leads::Entity::find().count(conn).await.unwrap(), 13);
    assert_eq!(auto_login_tokens::Entity::find().count(conn).await.unwrap(), 13);
    assert_eq!(ftds::Entity::find().count(conn).await.unwrap(), 13);

    for b in &accepted {
        let lead = fx::lead(&t, b["lead_uuid"].as_str().unwrap()).await;
        assert_eq!((lead.status.as_str(), lead.advertiser_id), ("accepted", Some(crm.id)));
        assert!(lead.lease_until.is_none(), "{lead:?}");
        let row = crm_leads::Entity::find()
            .filter(crm_leads::Column::LeadId.eq(lead.id))
            .one(conn)
            .await
            .unwrap()
            .expect("crm lead");
        assert_eq!(lead.external_id.as_deref(), Some(row.uuid.as_str()));
        let lower = |e: &Option<String>| e.as_ref().map(|e| e.to_lowercase());
        assert_eq!(lower(&row.email), lower(&lead.email));
        let links = auto_login_tokens::Entity::find()
            .filter(auto_login_tokens::Column::CrmLeadId.eq(row.id))
            .count(conn)
            .await
            .unwrap();
        assert_eq!(links, 1, "one auto-login link per CRM lead");
        assert!(b["auto_login_url"].as_str().is_some_and(|u| u.contains("/auto-login/")), "{b}");
        let conv = ftds::Entity::find()
            .filter(ftds::Column::LeadId.eq(lead.id))
            .count(conn)
            .await
            .unwrap();
        assert_eq!(conv, 1);
        assert_eq!(trace_kinds(&t, lead.id).await, ["received", "accepted"]);
    }
    for (_, b) in results.iter().filter(|(s, _)| *s == 400) {
        let lead = fx::lead(&t, b["data"]["leadUuid"].as_str().unwrap()).await;
        assert_eq!(lead.status, "rejected");
        assert_eq!(lead.error_type.as_deref(), b["type"].as_str());
        assert!(lead.lease_until.is_none(), "{lead:?}");
        assert_eq!(trace_kinds(&t, lead.id).await, ["received", "final"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn leads_of_one_batch_call_an_external_advertiser_after_the_commit() {
    let t = TestApp::spawn().await;
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/leads"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"status": "error", "message": "full"})),
        )
        .expect(12)
        .mount(&server)
        .await;
    let ext = fx::http_advertiser(&t, "External", &server).await;
    let crm = fx::internal_crm(&t, "House CRM").await;
    let (aff, _) = fx::offer_with(&t, "priority", &[(&ext, 1, 1), (&crm, 2, 1)]).await;
    let results = fx::push_concurrently(&t, &aff, (0..12).map(|_| fx::seed_body()).collect()).await;
    assert!(results.iter().all(|(s, _)| *s == 200), "{results:?}");
    assert_eq!(
        fx::received(&server).await,
        12,
        "each lead offered to the external advertiser once"
    );
    for (_, b) in &results {
        let lead = fx::lead(&t, b["lead_uuid"].as_str().unwrap()).await;
        assert_eq!((lead.status.as_str(), lead.advertiser_id), ("accepted", Some(crm.id)));
        assert_eq!(trace_kinds(&t, lead.id).await, ["received", "attempt", "rejected", "accepted"]);
    }
}
