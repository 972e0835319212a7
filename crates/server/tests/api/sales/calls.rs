//! Calls (seed 002 tag Calls) through the router: the VoIP set-up (API key sealed at rest and
//! masked when read), call agents, calls started by agents against wiremock providers (path,
//! auth, body), the webhooks (bad secret → 401 and nothing recorded, replay → one
//! communication), and the ownership boundaries (out of scope → 404, provider not called).

use brokercrm_core::identity::auth::Role;
use brokercrm_store::entities::{communications, crm_leads, voip_calls};
use brokercrm_store::repo::{identity::users, platform::settings};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};
use wiremock::matchers::{body_partial_json, header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::assert::field_of;
use crate::helpers::http::{get, post_empty, put};
use crate::helpers::platform::audits;
use crate::helpers::sales::assign_conversion;
use crate::helpers::users::{PASSWORD, User};
use crate::helpers::{TestApp, assert_error};

/// The webhook secret, taken from "Get request URL".
async fn webhook_token(t: &TestApp, admin: &str, provider: &str) -> String {
    let (c, b) = get(t, admin, &format!("/api/calls/request-url?provider={provider}")).await;
    assert_eq!(c, 200, "{b}");
    let url = b["url"].as_str().unwrap().to_owned();
    assert!(url.contains(&format!("/api/calls/webhooks/{provider}?token=")), "{url}");
    url.rsplit_once("token=").unwrap().1.to_owned()
}

async fn call_communications(t: &TestApp) -> Vec<communications::Model> {
    communications::Entity::find()
        .filter(communications::Column::Kind.eq("call"))
        .all(t.app.db().conn())
        .await
        .unwrap()
}

#[tokio::test]
async fn voip_setup_provider_url_and_sealed_api_key() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let agent = t.user(Role::ConversionAgent).create().await.token;

    let (c, b) = get(&t, &admin, "/api/calls/provider").await;
    assert_eq!((c, &b), (200, &json!({"provider": null})));
    let (c, b) = get(&t, &agent, "/api/calls/provider/availability").await;
    assert_eq!((c, &b), (200, &json!({"available": false, "provider": null})));

    // Validation names the field and changes nothing.
    let (c, b) = put(&t, &admin, "/api/calls/provider", json!({"provider": "skype"})).await;
    assert_eq!(c, 422);
    assert_error(&b, "validation_failed");
    assert_eq!(field_of(&b), "provider");
    let bad = json!({"variableValue": "not a url", "provider": "voiso"});
    let (c, b) = put(&t, &admin, "/api/calls/url", bad).await;
    assert_eq!((c, field_of(&b)), (422, "variableValue".to_owned()));
    let bad = json!({"variableValue": "k", "provider": "coperato"});
    let (c, b) = put(&t, &admin, "/api/calls/api-key", bad).await;
    assert_eq!((c, field_of(&b)), (422, "provider".to_owned()));
    assert!(settings::get(t.app.db().conn(), "calls.voiso").await.unwrap().is_none());

    // Agents may not change the set-up.
    let (c, _) = put(&t, &agent, "/api/calls/provider", json!({"provider": "voiso"})).await;
    assert_eq!(c, 403);

    let url = json!({"variableValue": "https://cc.voiso.example", "provider": "voiso"});
    let (c, b) = put(&t, &admin, "/api/calls/url", url).await;
    assert_eq!((c, b), (200, json!({"success": true})));
    let key = json!({"variableValue": "vsk-SECRET-0123456789", "provider": "voiso"});
    let (c, _) = put(&t, &admin, "/api/calls/api-key", key).await;
    assert_eq!(c, 200);
    let (c, _) = put(&t, &admin, "/api/calls/provider", json!({"provider": "voiso"})).await;
    assert_eq!(c, 200);

    // Encrypted at rest, the URL kept beside it; masked when read.
    let row = settings::get(t.app.db().conn(), "calls.voiso").await.unwrap().unwrap();
    assert!(!row.value.contains("vsk-SECRET"), "{}", row.value);
    let stored: Value = serde_json::from_str(&row.value).unwrap();
    assert_eq!(stored["url"], "https://cc.voiso.example");
    assert!(stored["sealedApiKey"].as_str().unwrap().starts_with("v1:"));
    let (c, b) = get(&t, &admin, "/api/calls/api-key?provider=voiso").await;
    assert_eq!((c, b), (200, json!({"apiKey": "vsk-****"})));
    let (c, b) = get(&t, &admin, "/api/calls/api-key?provider=coperato").await;
    assert_eq!((c, field_of(&b)), (422, "provider".to_owned()));
    let (c, b) = get(&t, &admin, "/api/calls/api-key").await;
    assert_eq!((c, field_of(&b)), (422, "provider".to_owned()));

    let (c, b) = get(&t, &agent, "/api/calls/provider/availability").await;
    assert_eq!((c, b), (200, json!({"available": true, "provider": "voiso"})));
    let (c, b) = get(&t, &admin, "/api/calls/provider").await;
    assert_eq!((c, b), (200, json!({"provider": "voiso"})));

    // Coperato chosen without a URL: not available.
    let (c, _) = put(&t, &admin, "/api/calls/provider", json!({"provider": "coperato"})).await;
    assert_eq!(c, 200);
    let (_, b) = get(&t, &agent, "/api/calls/provider/availability").await;
    assert_eq!(b, json!({"available": false, "provider": "coperato"}));

    // The request URL holds the webhook secret: admins only; stable across reads.
    let (c, _) = get(&t, &agent, "/api/calls/request-url?provider=voiso").await;
    assert_eq!(c, 403);
    let (c, b) = get(&t, &admin, "/api/calls/request-url?provider=sip").await;
    assert_eq!((c, field_of(&b)), (422, "provider".to_owned()));
    let t1 = webhook_token(&t, &admin, "voiso").await;
    assert_eq!(t1, webhook_token(&t, &admin, "voiso").await);
    assert_ne!(t1, webhook_token(&t, &admin, "coperato").await);

    // Audited, the key never in clear.
    let a = audits(&t, &admin, "calls.api_key").await;
    assert_eq!(a.len(), 1);
    assert!(!a[0].to_string().contains("vsk-SECRET"), "{}", a[0]);
    assert_eq!(audits(&t, &admin, "calls.provider").await.len(), 2);
}

/// Voiso configured at `server`, current; returns the admin token.
async fn voiso_at(t: &TestApp, server: &MockServer) -> String {
    let admin = t.admin_token().await;
    for (p, body) in [
        ("/api/calls/url", json!({"variableValue": server.uri(), "provider": "voiso"})),
        ("/api/calls/api-key", json!({"variableValue": "vkey-42-abcdef", "provider": "voiso"})),
        ("/api/calls/provider", json!({"provider": "voiso"})),
    ] {
        let (c, b) = put(t, &admin, p, body).await;
        assert_eq!(c, 200, "{p}: {b}");
    }
    admin
}

#[tokio::test]
async fn agent_calls_a_customer_through_voiso_and_the_outcome_is_recorded_once() {
    let t = TestApp::spawn().await;
    let server = MockServer::start().await;
    let admin = voiso_at(&t, &server).await;
    let User { token: agent, id: agent_id, .. } = t.user(Role::ConversionAgent).create().await;
    let other = t.user(Role::ConversionAgent).create().await.token;
    let User { uuid: cust, id: cust_id, .. } =
        t.customer().email("ann@cust.test").phone("+447700900123").create().await;
    let stranger = t.customer().email("bob@cust.test").phone("+447700900999").create().await.uuid;
    assign_conversion(&t, cust_id, agent_id).await;

    // The call agent: validated, out of scope is a 404, then set.
    let p = format!("/api/calls/customers/{cust}/agent");
    let (c, b) = put(&t, &agent, &p, json!({"agentId": " ", "provider": "voiso"})).await;
    assert_eq!((c, field_of(&b)), (422, "agentId".to_owned()));
    let body = json!({"agentId": "1007", "provider": "voiso"});
    let (c, b) = put(&t, &other, &p, body.clone()).await;
    assert_eq!(c, 404);
    assert_error(&b, "not_found");
    let (c, b) = put(&t, &agent, &p, body).await;
    assert_eq!(c, 200, "{b}");
    let m = &b["newCustomerAgentMapping"];
    assert_eq!((m["customerId"].as_str(), m["agentId"].as_str()), (Some(&*cust), Some("1007")));
    assert_eq!(m["provider"], "voiso");

    Mock::given(method("POST"))
        .and(path("/api/v2/click2call"))
        .and(header("authorization", "Bearer vkey-42-abcdef"))
        .and(body_partial_json(json!({"agent": "1007", "number": "+447700900123"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"call_id": "vs-77"})))
        .expect(1)
        .mount(&server)
        .await;

    // Out of scope: 404, and the provider is never asked.
    let (c, _) = post_empty(&t, &agent, &format!("/api/calls/customers/{stranger}")).await;
    assert_eq!(c, 404);
    let (c, b) = post_empty(&t, &agent, &format!("/api/calls/customers/{cust}")).await;
    assert_eq!(c, 200, "{b}");
    assert_eq!((b["success"].as_bool(), b["provider"].as_str()), (Some(true), Some("voiso")));
    assert_eq!(b["status"], "requested");
    let call_id = b["callId"].as_str().unwrap().to_owned();
    let sent: Value = server.received_requests().await.unwrap()[0].body_json().unwrap();
    assert_eq!(sent["account_id"], call_id.as_str());
    let row = voip_calls::Entity::find()
        .filter(voip_calls::Column::Uuid.eq(&call_id))
        .one(t.app.db().conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        (row.status.as_str(), row.provider_call_id.as_deref()),
        ("requested", Some("vs-77"))
    );
    assert_eq!(row.customer_id, Some(cust_id));

    // The webhook: a bad or missing secret is a 401 and records nothing.
    let token = webhook_token(&t, &admin, "voiso").await;
    let event = json!({"disposition": "answered", "duration": 42, "account_id": call_id});
    for bad in ["wrong", ""] {
        let r =
            t.server.post("/api/calls/webhooks/voiso").authorization_bearer(bad).json(&event).await;
        assert_eq!(r.status_code().as_u16(), 401);
    }
    let r = t.server.post("/api/calls/webhooks/voiso").json(&event).await;
    assert_eq!(r.status_code().as_u16(), 401);
    // The secret is checked before the body is read.
    let r = t
        .server
        .post("/api/calls/webhooks/voiso")
        .authorization_bearer("wrong")
        .text("{oops")
        .await;
    assert_eq!(r.status_code().as_u16(), 401);
    let r =
        t.server.post("/api/calls/webhooks/voiso").authorization_bearer(&token).text("{oops").await;
    assert_eq!(r.status_code().as_u16(), 400);
    assert!(call_communications(&t).await.is_empty());

    // Bad fields: 422 naming the field, nothing recorded.
    let bad = json!({"disposition": "hung_up", "duration": 42, "account_id": call_id});
    let r =
        t.server.post("/api/calls/webhooks/voiso").authorization_bearer(&token).json(&bad).await;
    assert_eq!((r.status_code().as_u16(), field_of(&r.json())), (422, "disposition".to_owned()));
    assert!(call_communications(&t).await.is_empty());

    // Delivered twice: one communication.
    for _ in 0..2 {
        let r = t
            .server
            .post("/api/calls/webhooks/voiso")
            .authorization_bearer(&token)
            .json(&event)
            .await;
        assert_eq!(r.status_code().as_u16(), 200);
        assert_eq!(r.json::<Value>(), json!({"success": true}));
    }
    assert_eq!(call_communications(&t).await.len(), 1);
    let (c, b) = get(&t, &agent, &format!("/api/customers/{cust}/communications")).await;
    assert_eq!((c, b["count"].as_u64()), (200, Some(1)));
    let comm = &b["communications"][0];
    assert_eq!(
        (comm["type"].as_str(), comm["direction"].as_str()),
        (Some("call"), Some("outbound"))
    );
    assert_eq!(
        (comm["durationSeconds"].as_i64(), comm["body"].as_str()),
        (Some(42), Some("ended"))
    );
    let occurred = comm["occurredAt"].as_str().unwrap().to_owned();

    // Customers with agents: the agent sees theirs with the last contact; another agent none.
    let (c, b) = get(&t, &agent, "/api/calls/customers?provider=voiso").await;
    assert_eq!(c, 200, "{b}");
    assert_eq!(b["pages"], 1);
    let row = &b["customers"][0];
    assert_eq!((row["id"].as_str(), row["agentId"].as_str()), (Some(&*cust), Some("1007")));
    assert_eq!(row["lastContactAt"].as_str(), Some(&*occurred));
    let (_, b) = get(&t, &other, "/api/calls/customers?provider=voiso").await;
    assert_eq!(b, json!({"customers": [], "pages": 0}));
    let (_, b) = get(&t, &admin, "/api/calls/customers?provider=coperato").await;
    assert_eq!(b["customers"], json!([]));
    let (c, b) = get(&t, &admin, "/api/calls/customers?provider=voiso&limit=0").await;
    assert_eq!((c, field_of(&b)), (422, "limit".to_owned()));
    let (c, b) = get(&t, &admin, "/api/calls/customers").await;
    assert_eq!((c, field_of(&b)), (422, "provider".to_owned()));

    // An unknown call is a 404.
    let unknown = json!({"disposition": "busy", "account_id": uuid::Uuid::now_v7().to_string()});
    let r = t
        .server
        .post("/api/calls/webhooks/voiso")
        .authorization_bearer(&token)
        .json(&unknown)
        .await;
    assert_eq!(r.status_code().as_u16(), 404);
    server.verify().await;
}

#[tokio::test]
async fn agent_calls_a_lead_through_coperato_with_ringing_answered_end() {
    let t = TestApp::spawn().await;
    let server = MockServer::start().await;
    let admin = t.admin_token().await;
    let (c, _) = put(
        &t,
        &admin,
        "/api/calls/url",
        json!({"variableValue": format!("{}/tenant-9", server.uri()), "provider": "coperato"}),
    )
    .await;
    assert_eq!(c, 200);
    let User { token: agent, id: agent_id, email: agent_email, .. } =
        t.user(Role::RetentionAgent).create().await;
    let other = t.user(Role::RetentionAgent).create().await.token;
    let lead = crm_leads::ActiveModel {
        uuid: Set(uuid::Uuid::now_v7().to_string()),
        sales_person_id: Set(Some(agent_id)),
        phone: Set(Some("+35799000111".into())),
        status: Set("new".into()),
        is_test: Set(false),
        created_at: Set(brokercrm_store::db::now()),
        updated_at: Set(brokercrm_store::db::now()),
        ..Default::default()
    }
    .insert(t.app.db().conn())
    .await
    .unwrap();

    // No current provider yet: 422 naming it, nothing recorded.
    let lp = format!("/api/calls/leads/{}", lead.uuid);
    let (c, b) = post_empty(&t, &agent, &lp).await;
    assert_eq!((c, field_of(&b)), (422, "provider".to_owned()));
    // Scope is checked first: the manager of the sales person's desk passes it (and meets the
    // missing provider); a manager of another desk gets a 404.
    {
        use brokercrm_store::repo::sales::sales_desks;
        let conn = t.app.db().conn();
        let User { token: mine, id: mine_id, .. } = t.user(Role::Manager).create().await;
        let User { token: theirs, id: theirs_id, .. } = t.user(Role::Manager).create().await;
        let a = sales_desks::insert(conn, &uuid::Uuid::now_v7().to_string(), "A").await.unwrap();
        let b = sales_desks::insert(conn, &uuid::Uuid::now_v7().to_string(), "B").await.unwrap();
        sales_desks::set_members(conn, a.id, &[agent_id, mine_id]).await.unwrap();
        sales_desks::set_members(conn, b.id, &[theirs_id]).await.unwrap();
        let (c, b) = post_empty(&t, &mine, &lp).await;
        assert_eq!((c, field_of(&b)), (422, "provider".to_owned()));
        let (c, _) = post_empty(&t, &theirs, &lp).await;
        assert_eq!(c, 404);
    }
    let (c, _) = put(&t, &admin, "/api/calls/provider", json!({"provider": "coperato"})).await;
    assert_eq!(c, 200);

    Mock::given(method("POST"))
        .and(path("/tenant-9/api/click2call"))
        .and(body_partial_json(json!({"agentId": agent_email, "phone": "+35799000111"})))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"callId": 5501})))
        .expect(1)
        .mount(&server)
        .await;
    let (c, _) = post_empty(&t, &other, &lp).await;
    assert_eq!(c, 404);
    let (c, _) = post_empty(&t, &agent, "/api/calls/leads/nope").await;
    assert_eq!(c, 404);
    let (c, b) = post_empty(&t, &agent, &lp).await;
    assert_eq!(c, 200, "{b}");
    let guid = b["callId"].as_str().unwrap().to_owned();
    let sent: Value = server.received_requests().await.unwrap()[0].body_json().unwrap();
    assert_eq!(sent["guid"], guid.as_str());
    server.verify().await;

    // Events by the query-string token; the recording arrives with END.
    let token = webhook_token(&t, &admin, "coperato").await;
    let hook = format!("/api/calls/webhooks/coperato?token={token}");
    let ev = |s: &str, d: u32, rec: Option<&str>| json!({"status": s, "duration": d, "guid": guid, "recordingFile": rec});
    let wrong = format!("/api/calls/webhooks/coperato?token={token}x");
    assert_eq!(t.server.post(&wrong).json(&ev("END", 1, None)).await.status_code().as_u16(), 401);
    for e in [
        ev("RINGING", 0, None),
        ev("ANSWERED", 0, None),
        ev("END", 95, Some("https://rec.example/5501.mp3")),
        ev("END", 95, Some("https://rec.example/5501.mp3")),
        ev("RINGING", 0, None),
    ] {
        let r = t.server.post(&hook).json(&e).await;
        assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
    }
    let comms = call_communications(&t).await;
    assert_eq!(comms.len(), 1);
    let c0 = &comms[0];
    assert_eq!(
        (c0.crm_lead_id, c0.customer_id, c0.author_id),
        (Some(lead.id), None, Some(agent_id))
    );
    assert_eq!(c0.duration_secs, Some(95));
    assert_eq!(c0.recording_url.as_deref(), Some("https://rec.example/5501.mp3"));
    assert_eq!(
        (c0.provider.as_deref(), c0.external_id.as_deref()),
        (Some("coperato"), Some(&*guid))
    );
    let call = voip_calls::Entity::find()
        .filter(voip_calls::Column::Uuid.eq(&guid))
        .one(t.app.db().conn())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(call.status, "ended");
    assert_eq!(call.provider_call_id.as_deref(), Some("5501"));
    let events = brokercrm_store::entities::voip_call_events::Entity::find()
        .count(t.app.db().conn())
        .await
        .unwrap();
    assert_eq!(events, 3);
    let last = brokercrm_store::repo::sales::communications::last_contact_at(
        t.app.db().conn(),
        brokercrm_store::repo::sales::communications::Contact::Lead(lead.id),
    )
    .await
    .unwrap();
    assert_eq!(last, Some(c0.occurred_at));
    let bad = json!({"status": "END", "duration": -3, "guid": guid});
    let r = t.server.post(&hook).json(&bad).await;
    assert_eq!((r.status_code().as_u16(), field_of(&r.json())), (422, "duration".to_owned()));
}

#[tokio::test]
async fn a_provider_failure_is_a_502_and_the_call_is_marked_failed() {
    let t = TestApp::spawn().await;
    let server = MockServer::start().await;
    voiso_at(&t, &server).await;
    Mock::given(method("POST"))
        .and(path("/api/v2/click2call"))
        .respond_with(ResponseTemplate::new(500).set_body_string("boom: internal detail"))
        .mount(&server)
        .await;
    let manager = t.user(Role::Admin).create().await.token;
    let cust = t.customer().email("cara@cust.test").phone("+15550001").create().await.uuid;
    let (nophone, _) = {
        t.create_user(Role::Customer, "dan@cust.test", PASSWORD).await;
        let row = users::find_by_email(t.app.db().conn(), "dan@cust.test").await.unwrap().unwrap();
        (row.uuid, row.id)
    };
    let (c, b) = post_empty(&t, &manager, &format!("/api/calls/customers/{nophone}")).await;
    assert_eq!((c, field_of(&b)), (422, "phone".to_owned()));
    let (c, b) = post_empty(&t, &manager, &format!("/api/calls/customers/{cust}")).await;
    assert_eq!(c, 502);
    assert!(!b.to_string().contains("boom"), "{b}");
    let calls = voip_calls::Entity::find().all(t.app.db().conn()).await.unwrap();
    assert_eq!(calls.len(), 1);
    assert_eq!(calls[0].status, "failed");
    // Without a mapping the caller's login is the agent.
    let sent: Value = server.received_requests().await.unwrap()[0].body_json().unwrap();
    assert!(sent["agent"].as_str().unwrap().starts_with("admin-"), "{sent}");
}
