//! Issue 14, finding 11: creating a lead does not reveal leads or customers outside the
//! caller's scope. In scope the duplicate is still refused (409); out of scope the lead is
//! created as if new and the duplicate is reported to the admins who see both.

use brokercrm_store::repo::distribution::crm_leads;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::http::post;
use crate::helpers::platform::{audit_count, audits};
use crate::helpers::sales::{on_desk, world};

async fn count_with_email(t: &TestApp, email: &str) -> usize {
    let emails = vec![email.to_owned()];
    crm_leads::matching(t.app.db().conn(), &emails, &[]).await.unwrap().len()
}

#[tokio::test]
async fn owasp_11_out_of_scope_duplicates_are_not_revealed() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    // Desk A holds a lead and a customer.
    let (s, b) = post(&t, &w.a1.token, "/api/leads", json!({"email": "held@example.com"})).await;
    assert_eq!(s, 201, "{b}");
    let held_lead = b["lead"]["id"].as_str().unwrap().to_owned();
    let customer = t.customer().email("client@example.com").phone("+35799000111").create().await;
    on_desk(&t, customer.id, w.desk_a).await;

    // In scope (desk A): still 409.
    for body in [json!({"email": "held@example.com"}), json!({"email": "client@example.com"})] {
        let (s, b) = post(&t, &w.manager_a.token, "/api/leads", body).await;
        assert_eq!(s, 409, "{b}");
    }

    // Out of scope (desk B): answered like a new lead, never naming the other one.
    let (s, fresh) = post(&t, &w.b1.token, "/api/leads", json!({"email": "new@example.com"})).await;
    assert_eq!(s, 201, "{fresh}");
    for body in [
        json!({"email": "held@example.com"}),
        json!({"email": "client@example.com"}),
        json!({"mobilenumber": "+357 99 000111"}),
    ] {
        let (s, b) = post(&t, &w.b1.token, "/api/leads", body.clone()).await;
        assert_eq!(s, 201, "{body}: {b}");
        let keys = |v: &serde_json::Value| {
            v["lead"].as_object().unwrap().keys().cloned().collect::<Vec<_>>()
        };
        assert_eq!(keys(&b), keys(&fresh));
        assert_eq!(b["lead"]["salesPersonId"], w.b1.uuid.as_str());
        assert_ne!(b["lead"]["id"], held_lead.as_str());
    }
    assert_eq!(count_with_email(&t, "held@example.com").await, 2);

    // The admins see the duplicates reported, naming both sides.
    let reported = audits(&t, &w.admin.token, "lead.duplicate").await;
    assert_eq!(reported.len(), 3, "{reported:?}");
    let all = serde_json::to_string(&reported).unwrap();
    assert!(all.contains(&held_lead), "{all}");
    assert!(all.contains(&format!("customer {}", customer.id)), "{all}");
    assert_eq!(audit_count(&t, &w.admin.token, "lead.create").await, 5);
}
