//! Seed 002 tag Leads, the writes through the router: assignment and bulk edit within scope,
//! comments, communications and e-mail of a lead, create, sales people, sources and the
//! signup-code check (fixtures in `crm_leads`).

use brokercrm_store::entities::crm_leads;
use brokercrm_store::repo::identity::users;
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::field_of;
use crate::helpers::http::{get, post};
use crate::helpers::platform::audit_count;
use crate::helpers::sales::{generate, world};

#[tokio::test]
async fn assign_and_bulk_edit_stay_in_scope() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    let all = generate(&t, &w, 60).await;
    let lead = all.iter().find(|g| g.desk == Some(w.desk_a) && g.person.is_none()).unwrap();
    let path = format!("/api/leads/{}/sales-person", lead.uuid);

    // A manager hands a desk lead to an agent of the desk; not to another desk's agent.
    let r = t
        .server
        .put(&path)
        .authorization_bearer(&w.manager_a.token)
        .json(&json!({"salesPersonId": w.a2.uuid}))
        .await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
    assert_eq!(r.json::<Value>()["lead"]["salesPersonId"], w.a2.uuid.as_str());
    let r = t
        .server
        .put(&path)
        .authorization_bearer(&w.manager_a.token)
        .json(&json!({"salesPersonId": w.b1.uuid}))
        .await;
    assert_eq!((r.status_code().as_u16(), field_of(&r.json())), (422, "salesPersonId".into()));
    let r = t
        .server
        .put(&path)
        .authorization_bearer(&w.manager_a.token)
        .json(&json!({"salesPersonId": w.admin.uuid}))
        .await;
    assert_eq!((r.status_code().as_u16(), field_of(&r.json())), (422, "salesPersonId".into()));
    // An admin moves it to desk B's agent: the lead follows to desk B, out of A's scope.
    let r = t
        .server
        .put(&path)
        .authorization_bearer(&w.admin.token)
        .json(&json!({"salesPersonId": w.b1.uuid}))
        .await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
    let row = crm_leads::Entity::find_by_id(lead.id).one(t.app.db().conn()).await.unwrap().unwrap();
    assert_eq!((row.sales_person_id, row.sales_desk_id), (Some(w.b1.id), Some(w.desk_b)));
    let (s, _) = get(&t, &w.manager_a.token, &format!("/api/leads/{}", lead.uuid)).await;
    assert_eq!(s, 404);
    assert_eq!(audit_count(&t, &w.admin.token, "lead.assign").await, 2);

    // Bulk edit as the desk A manager: only desk A leads from google get the status.
    let mut before: Vec<crm_leads::Model> =
        crm_leads::Entity::find().all(t.app.db().conn()).await.unwrap();
    before.sort_by_key(|r| r.id);
    let s2 = w.statuses[1].0;
    let (s, b) = post(
        &t,
        &w.manager_a.token,
        "/api/leads/bulk-edit",
        json!({"selectedStatus": s2, "sources": ["google"]}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    let want: Vec<i64> = before
        .iter()
        .filter(|r| r.sales_desk_id == Some(w.desk_a) && r.source.as_deref() == Some("google"))
        .map(|r| r.id)
        .collect();
    assert!(!want.is_empty());
    assert_eq!(b, json!({"success": true, "updated": want.len()}));
    let mut after: Vec<crm_leads::Model> =
        crm_leads::Entity::find().all(t.app.db().conn()).await.unwrap();
    after.sort_by_key(|r| r.id);
    for (old, new) in before.iter().zip(&after) {
        if want.contains(&old.id) {
            assert_eq!(new.sales_status_id, Some(s2));
        } else {
            assert_eq!(new.sales_status_id, old.sales_status_id, "lead {} untouched", old.id);
        }
    }
    // Bulk assign by an agent to someone on another desk is refused; nothing to set is 422.
    let (s, b) =
        post(&t, &w.a1.token, "/api/leads/bulk-edit", json!({"selectedSalesPerson": w.b1.uuid}))
            .await;
    assert_eq!((s, field_of(&b)), (422, "selectedSalesPerson".into()));
    let (s, b) = post(&t, &w.a1.token, "/api/leads/bulk-edit", json!({"country": "CY"})).await;
    assert_eq!((s, field_of(&b)), (422, "selectedStatus".into()));
    let (s, b) =
        post(&t, &w.admin.token, "/api/leads/bulk-edit", json!({"selectedStatus": 999_999})).await;
    assert_eq!((s, field_of(&b)), (422, "selectedStatus".into()));
    // An admin assigns every unassigned CY lead with a search to a2.
    let (s, b) = post(&t, &w.admin.token, "/api/leads/bulk-edit",
        json!({"selectedSalesPerson": w.a2.uuid, "salesPeople": ["none"], "country": "CY", "search": "lead"})).await;
    assert_eq!(s, 200, "{b}");
    let n = after
        .iter()
        .filter(|r| {
            r.sales_person_id.is_none()
                && r.country.as_deref() == Some("CY")
                && r.email.as_deref().is_some_and(|e| e.starts_with("lead"))
        })
        .count();
    assert_eq!(b["updated"], json!(n));
    assert!(n > 0);
    assert_eq!(audit_count(&t, &w.admin.token, "lead.bulk_edit").await, 2);
}

#[tokio::test]
async fn comments_communications_and_email_of_a_lead() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    let all = generate(&t, &w, 12).await;
    let lead = all.iter().find(|g| g.desk == Some(w.desk_a) && g.email.is_some()).unwrap();
    let base = format!("/api/leads/{}", lead.uuid);

    let (s, b) =
        post(&t, &w.a1.token, &format!("{base}/comments"), json!({"comment": " Call back at 6 "}))
            .await;
    assert_eq!(s, 201, "{b}");
    assert_eq!(b["comment"]["comment"], "Call back at 6");
    assert_eq!(b["comment"]["leadId"], lead.uuid.as_str());
    assert_eq!(b["comment"]["author"]["id"], w.a1.uuid.as_str());
    let (s, b) = post(&t, &w.a1.token, &format!("{base}/comments"), json!({"comment": "  "})).await;
    assert_eq!((s, field_of(&b)), (422, "comment".into()));
    let (s, b) = get(&t, &w.a1.token, &format!("{base}/comments")).await;
    assert_eq!(s, 200);
    assert_eq!(b.as_array().unwrap().len(), 1);
    // A comment is not a contact.
    let (_, l) = get(&t, &w.a1.token, &base).await;
    assert_eq!(l["lastContactAt"], Value::Null);

    let (s, b) = post(
        &t,
        &w.a1.token,
        &format!("{base}/email"),
        json!({"subject": "Hello", "body": "Our offer"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert!(b["message"].is_string());
    let (s, b) =
        post(&t, &w.a1.token, &format!("{base}/email"), json!({"subject": "", "body": "x"})).await;
    assert_eq!((s, field_of(&b)), (422, "subject".into()));
    assert!(t.run_jobs().await >= 1);
    let sent = t.emails.sent();
    assert_eq!(sent.len(), 1);
    assert_eq!(Some(sent[0].to.clone()), lead.email);
    assert_eq!(sent[0].subject, "Hello");

    let (_, l) = get(&t, &w.a1.token, &base).await;
    assert!(l["lastContactAt"].is_string(), "{l}");
    let (s, b) = get(&t, &w.a1.token, &format!("{base}/communications")).await;
    assert_eq!(s, 200);
    assert_eq!(b["count"], 2);
    assert_eq!(b["communications"][0]["type"], "email");
    assert_eq!(b["communications"][0]["direction"], "outbound");
    assert_eq!(b["communications"][0]["subject"], "Hello");
    assert_eq!(b["communications"][1]["type"], "comment");

    // Out of scope: b1 gets 404 everywhere, and nothing is written.
    for p in ["comments", "communications"] {
        assert_eq!(get(&t, &w.b1.token, &format!("{base}/{p}")).await.0, 404);
    }
    let (s, _) = post(&t, &w.b1.token, &format!("{base}/comments"), json!({"comment": "x"})).await;
    assert_eq!(s, 404);
    let (s, _) =
        post(&t, &w.b1.token, &format!("{base}/email"), json!({"subject": "x", "body": "y"})).await;
    assert_eq!(s, 404);
    assert_eq!(t.run_jobs().await, 0);
    assert_eq!(audit_count(&t, &w.admin.token, "lead.comment").await, 1);
    assert_eq!(audit_count(&t, &w.admin.token, "lead.email").await, 1);
    // A lead without an e-mail.
    let no_email = all.iter().find(|g| g.email.is_none()).unwrap();
    let (s, b) = post(
        &t,
        &w.admin.token,
        &format!("/api/leads/{}/email", no_email.uuid),
        json!({"subject": "x", "body": "y"}),
    )
    .await;
    assert_eq!((s, field_of(&b)), (422, "email".into()));
}

#[tokio::test]
async fn create_lead_people_sources_and_signup_code() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    let (s, b) = post(&t, &w.a1.token, "/api/leads",
        json!({"name": "Jane van Doe", "email": "Jane@Example.com", "mobilenumber": "+357 99 123456", "source": "walk-in"})).await;
    assert_eq!(s, 201, "{b}");
    let l = &b["lead"];
    assert_eq!(
        (l["name"].as_str(), l["email"].as_str(), l["mobilenumber"].as_str()),
        (Some("Jane van Doe"), Some("jane@example.com"), Some("+35799123456"))
    );
    assert_eq!(l["salesPersonId"], w.a1.uuid.as_str(), "an agent's lead is theirs");
    assert_eq!(l["canBeCalled"], true);
    let row = brokercrm_store::repo::distribution::crm_leads::find_by_uuid(
        t.app.db().conn(),
        l["id"].as_str().unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    assert_eq!(row.sales_desk_id, Some(w.desk_a));
    let (s, b) = post(&t, &w.a1.token, "/api/leads", json!({"email": "jane@example.com"})).await;
    assert_eq!(s, 409, "{b}");
    let (s, b) = post(&t, &w.a1.token, "/api/leads", json!({"email": "nope"})).await;
    assert_eq!((s, field_of(&b)), (422, "email".into()));
    let (s, b) = post(&t, &w.a1.token, "/api/leads", json!({"name": "No Contact"})).await;
    assert_eq!((s, field_of(&b)), (422, "email".into()));
    assert_eq!(audit_count(&t, &w.admin.token, "lead.create").await, 1);

    // Sales people: all for admins; own desk for a manager.
    let (s, b) = get(&t, &w.admin.token, "/api/leads/sales-people").await;
    assert_eq!(s, 200);
    let ids: Vec<&str> =
        b["salesPeople"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 4);
    assert!(ids.contains(&w.b1.uuid.as_str()) && !ids.contains(&w.admin.uuid.as_str()));
    let (_, b) = get(&t, &w.manager_a.token, "/api/leads/sales-people").await;
    let ids: Vec<&str> =
        b["salesPeople"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), 3);
    assert!(!ids.contains(&w.b1.uuid.as_str()));
    assert!(b["salesPeople"][0]["deskId"].is_string());

    // Sources: distinct, sorted, in scope.
    generate(&t, &w, 24).await;
    let (s, b) = get(&t, &w.admin.token, "/api/leads/sources").await;
    assert_eq!(s, 200);
    assert_eq!(b, json!(["facebook", "google", "partner-x", "walk-in"]));
    let (_, b) = get(&t, &w.b1.token, "/api/leads/sources").await;
    assert!(!b.as_array().unwrap().contains(&json!("walk-in")), "desk A's source is not B's");

    // Signup code: public; a user's referral code, else 404.
    let code = users::find_by_id(t.app.db().conn(), w.a1.id).await.unwrap().unwrap().ref_key;
    let r = t.server.get("/api/leads/signup-code").add_query_param("code", &code).await;
    assert_eq!(r.status_code().as_u16(), 200);
    assert_eq!(r.json::<Value>(), json!({"code": code}));
    let r = t.server.get("/api/leads/signup-code?code=nope").await;
    assert_eq!(r.status_code().as_u16(), 404);
    let r = t.server.get("/api/leads/signup-code").await;
    assert_eq!((r.status_code().as_u16(), field_of(&r.json())), (422, "code".into()));
}
