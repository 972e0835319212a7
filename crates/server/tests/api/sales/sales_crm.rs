//! Sales CRM basics through the router: Sales Status, Sales Desk, Comments, Communications
//! and Bookmarks of seed 002 — bodies, status codes, validation, duplicates, audit entries,
//! and the ownership boundaries (agent, manager, admin; out of scope is a 404).

use brokercrm_app::sales::communications::{self, Record};
use brokercrm_core::identity::auth::Role;
use brokercrm_core::sales::{CommunicationKind, Direction};
use brokercrm_store::repo::sales::assignments::{self, AssignmentRow};
use serde_json::{Value, json};

use crate::helpers::assert::field_of;
use crate::helpers::http::{delete, get, post, put};
use crate::helpers::platform::audits;
use crate::helpers::users::User;
use crate::helpers::{TestApp, assert_error};

/// Assigns customer `id` directly in the store.
async fn assign(t: &TestApp, id: i64, desk: Option<i64>, conv: Option<i64>, ret: Option<i64>) {
    let row = AssignmentRow {
        customer_id: id,
        sales_desk_id: desk,
        conversion_agent_id: conv,
        retention_agent_id: ret,
        sales_status_id: None,
        updated_at: brokercrm_store::db::now(),
    };
    assignments::upsert(t.app.db().conn(), row).await.unwrap();
}

/// Internal id of the desk with public id `uuid`.
async fn desk_id(t: &TestApp, uuid: &str) -> i64 {
    brokercrm_store::repo::sales::sales_desks::find_by_uuid(t.app.db().conn(), uuid)
        .await
        .unwrap()
        .unwrap()
        .id
}

#[tokio::test]
async fn sales_statuses_create_list_get_update_with_validation_and_audit() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let agent = t.user(Role::ConversionAgent).create().await.token;
    let cust = t.user(Role::Customer).create().await.token;

    let (s, b) =
        post(&t, &admin, "/api/sales-statuses", json!({"status": " New ", "color": "#1E88E5"}))
            .await;
    assert_eq!(s, 201, "{b}");
    let new_id = b["id"].as_i64().unwrap();
    assert_eq!(b, json!({"id": new_id, "status": "New", "color": "#1e88e5"}));
    let (s, b) = post(&t, &admin, "/api/sales-statuses", json!({"status": "Call back"})).await;
    assert_eq!((s, b["color"].clone()), (201, json!("#9e9e9e")), "default colour");
    let cb_id = b["id"].as_i64().unwrap();

    // Duplicates regardless of case; validation names the field.
    let (s, b) =
        post(&t, &admin, "/api/sales-statuses", json!({"status": "NEW", "color": "#fff"})).await;
    assert_eq!(s, 409);
    assert_error(&b, "conflict");
    let (s, b) =
        post(&t, &admin, "/api/sales-statuses", json!({"status": "X", "color": "red"})).await;
    assert_eq!((s, field_of(&b)), (422, "color".into()));
    let (s, b) = post(&t, &admin, "/api/sales-statuses", json!({"color": "#fff"})).await;
    assert_eq!((s, field_of(&b)), (422, "status".into()));
    let (s, b) = post(&t, &admin, "/api/sales-statuses", json!({"status": 5})).await;
    assert_eq!(s, 400, "{b}");
    let (s, _) = post(&t, &agent, "/api/sales-statuses", json!({"status": "Agent's"})).await;
    assert_eq!(s, 403);

    // Reads: any staff member, by id; by name without case.
    let (s, b) = get(&t, &agent, "/api/sales-statuses").await;
    assert_eq!(s, 200);
    assert_eq!(
        b,
        json!({"statuses": [
            {"id": new_id, "status": "New", "color": "#1e88e5"},
            {"id": cb_id, "status": "Call back", "color": "#9e9e9e"}
        ]})
    );
    let (s, b) = get(&t, &agent, "/api/sales-statuses/by-name/call%20BACK").await;
    assert_eq!((s, b["id"].as_i64()), (200, Some(cb_id)));
    let (s, b) = get(&t, &agent, "/api/sales-statuses/by-name/Nope").await;
    assert_eq!(s, 404);
    assert_error(&b, "not_found");
    assert_eq!(get(&t, &cust, "/api/sales-statuses").await.0, 403);
    assert_eq!(t.server.get("/api/sales-statuses").await.status_code().as_u16(), 401);

    // Update: absent or null keeps a field.
    let path = format!("/api/sales-statuses/{cb_id}");
    let (s, b) = put(&t, &admin, &path, json!({"status": null, "color": "#FA0"})).await;
    assert_eq!((s, b), (200, json!({"id": cb_id, "status": "Call back", "color": "#fa0"})));
    let (s, b) = put(&t, &admin, &path, json!({"status": "Call later"})).await;
    assert_eq!((s, b), (200, json!({"id": cb_id, "status": "Call later", "color": "#fa0"})));
    let (s, _) = put(&t, &admin, &path, json!({"status": "new"})).await;
    assert_eq!(s, 409, "renaming onto a taken name");
    let (s, b) = put(&t, &admin, &path, json!({"color": "#12"})).await;
    assert_eq!((s, field_of(&b)), (422, "color".into()));
    let (s, b) = put(&t, &admin, "/api/sales-statuses/abc", json!({})).await;
    assert_eq!((s, field_of(&b)), (422, "id".into()));
    assert_eq!(put(&t, &admin, "/api/sales-statuses/999999", json!({})).await.0, 404);
    assert_eq!(put(&t, &agent, &path, json!({"color": "#000"})).await.0, 403);

    assert_eq!(audits(&t, &admin, "sales_status.create").await.len(), 2);
    let upd = audits(&t, &admin, "sales_status.update").await;
    assert_eq!(upd.len(), 2);
    assert_eq!(upd[0]["after"]["status"], "Call later");
    assert_eq!(upd[0]["before"]["status"], "Call back");
}

#[tokio::test]
async fn sales_desks_crud_members_paging_validation_and_audit() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let User { token: agent, uuid: agent_uuid, .. } = t.user(Role::ConversionAgent).create().await;
    let mgr_uuid = t.user(Role::Manager).create().await.uuid;
    let ret_uuid = t.user(Role::RetentionAgent).create().await.uuid;
    let cust_uuid =
        t.customer().name("Carl", "Client").email("carl.client@cust.test").create().await.uuid;

    let (s, a) = post(
        &t,
        &admin,
        "/api/sales-desks",
        json!({"name": "EN Conversion", "salesPeople": [agent_uuid, mgr_uuid]}),
    )
    .await;
    assert_eq!(s, 201, "{a}");
    let a_id = a["id"].as_str().unwrap().to_owned();
    assert_eq!(a["name"], "EN Conversion");
    let mut people: Vec<&str> =
        a["salesPeople"].as_array().unwrap().iter().map(|p| p["id"].as_str().unwrap()).collect();
    people.sort_unstable();
    let mut want = vec![agent_uuid.as_str(), mgr_uuid.as_str()];
    want.sort_unstable();
    assert_eq!(people, want);
    assert!(a["salesPeople"][0]["email"].is_string() && a["salesPeople"][0]["role"].is_string());

    // Validation, duplicates and permissions.
    let (s, b) = post(
        &t,
        &admin,
        "/api/sales-desks",
        json!({"name": "x", "salesPeople": [ret_uuid, cust_uuid]}),
    )
    .await;
    assert_eq!((s, field_of(&b)), (422, "salesPeople[1]".into()));
    let (s, b) =
        post(&t, &admin, "/api/sales-desks", json!({"name": "y", "salesPeople": ["nope"]})).await;
    assert_eq!((s, field_of(&b)), (422, "salesPeople[0]".into()));
    let (s, b) = post(&t, &admin, "/api/sales-desks", json!({"name": "  "})).await;
    assert_eq!((s, field_of(&b)), (422, "name".into()));
    let (s, b) = post(&t, &admin, "/api/sales-desks", json!({"name": "en conversion"})).await;
    assert_eq!(s, 409);
    assert_error(&b, "conflict");
    assert_eq!(post(&t, &agent, "/api/sales-desks", json!({"name": "Mine"})).await.0, 403);

    // A second desk takes the agent: they move.
    let (s, bdesk) = post(
        &t,
        &admin,
        "/api/sales-desks",
        json!({"name": "DE Retention", "salesPeople": [ret_uuid]}),
    )
    .await;
    assert_eq!(s, 201);
    let b_id = bdesk["id"].as_str().unwrap().to_owned();
    let (s, b) = put(
        &t,
        &admin,
        &format!("/api/sales-desks/{b_id}"),
        json!({"salesPeople": [ret_uuid, agent_uuid]}),
    )
    .await;
    assert_eq!((s, b["name"].clone()), (200, json!("DE Retention")));
    assert_eq!(b["salesPeople"].as_array().unwrap().len(), 2);
    let (s, a) = get(&t, &agent, &format!("/api/sales-desks/{a_id}")).await;
    assert_eq!(s, 200);
    assert_eq!(a["salesPeople"].as_array().unwrap().len(), 1, "the agent left desk A: {a}");
    assert_eq!(a["salesPeople"][0]["id"], mgr_uuid.as_str());
    // Rename only keeps the people.
    let (s, a) =
        put(&t, &admin, &format!("/api/sales-desks/{a_id}"), json!({"name": "EN Sales"})).await;
    assert_eq!(
        (s, a["name"].clone(), a["salesPeople"].as_array().unwrap().len()),
        (200, json!("EN Sales"), 1)
    );
    assert_eq!(
        put(&t, &admin, &format!("/api/sales-desks/{a_id}"), json!({"name": "de retention"}))
            .await
            .0,
        409
    );
    assert_eq!(put(&t, &admin, "/api/sales-desks/unknown", json!({"name": "z"})).await.0, 404);

    // List: by creation, paged.
    let (s, l) = get(&t, &agent, "/api/sales-desks?limit=1&offset=0").await;
    assert_eq!(s, 200);
    assert_eq!(l["pages"], 2);
    assert_eq!(l["salesDesks"][0]["id"], a_id.as_str());
    let (_, l) = get(&t, &agent, "/api/sales-desks?limit=1&offset=1").await;
    assert_eq!(l["salesDesks"][0]["id"], b_id.as_str());
    assert_eq!(l["salesDesks"][0]["salesPeople"].as_array().unwrap().len(), 2);
    let (_, l) = get(&t, &agent, "/api/sales-desks").await;
    assert_eq!((l["pages"].clone(), l["salesDesks"].as_array().unwrap().len()), (json!(1), 2));
    let (s, b) = get(&t, &agent, "/api/sales-desks?limit=0").await;
    assert_eq!((s, field_of(&b)), (422, "limit".into()));
    let (s, b) = get(&t, &agent, "/api/sales-desks?limit=201").await;
    assert_eq!((s, field_of(&b)), (422, "limit".into()));
    let (s, b) = get(&t, &agent, "/api/sales-desks?offset=-1").await;
    assert_eq!((s, field_of(&b)), (422, "offset".into()));
    let (s, b) = get(&t, &agent, "/api/sales-desks?limit=ten").await;
    assert_eq!((s, field_of(&b)), (422, "limit".into()));

    // Delete: the desk's customers become desk-less.
    let cust_id = t.customer().name("Dora", "Desk").email("dora.desk@cust.test").create().await.id;
    assign(&t, cust_id, Some(desk_id(&t, &a_id).await), None, None).await;
    assert_eq!(delete(&t, &agent, &format!("/api/sales-desks/{a_id}")).await.0, 403);
    let (s, b) = delete(&t, &admin, &format!("/api/sales-desks/{a_id}")).await;
    assert_eq!((s, b), (200, json!({"message": "Sales desk deleted"})));
    assert_eq!(get(&t, &admin, &format!("/api/sales-desks/{a_id}")).await.0, 404);
    assert_eq!(delete(&t, &admin, &format!("/api/sales-desks/{a_id}")).await.0, 404);
    let left = assignments::find(t.app.db().conn(), cust_id).await.unwrap().unwrap();
    assert_eq!(left.sales_desk_id, None);

    assert_eq!(audits(&t, &admin, "sales_desk.create").await.len(), 2);
    assert_eq!(audits(&t, &admin, "sales_desk.update").await.len(), 2);
    let del = audits(&t, &admin, "sales_desk.delete").await;
    assert_eq!((del.len(), del[0]["entityId"].clone()), (1, json!(a_id)));
}

#[tokio::test]
async fn comments_and_communications_of_a_customer() {
    let t = TestApp::spawn().await;
    let User { token: admin, uuid: admin_uuid, id: admin_id, .. } =
        t.user(Role::Admin).create().await;
    let User { uuid: c_uuid, id: c_id, .. } =
        t.customer().name("Ann", "Buyer").email("ann.buyer@cust.test").create().await;
    let staff_uuid = t.user(Role::Support).create().await.uuid;
    let path = format!("/api/customers/{c_uuid}/comments");

    let (s, b) = get(&t, &admin, &path).await;
    assert_eq!((s, b), (200, json!({"comments": []})));
    let (s, first) = post(&t, &admin, &path, json!({"comment": "  Wants a call on Monday "})).await;
    assert_eq!(s, 201, "{first}");
    let c = &first["comment"];
    assert_eq!(c["comment"], "Wants a call on Monday");
    assert_eq!(c["customerId"], c_uuid.as_str());
    assert_eq!(c["author"]["id"], admin_uuid.as_str());
    assert!(c["id"].is_string() && c["createdAt"].is_string() && c["updatedAt"].is_string());
    let (s, second) = post(&t, &admin, &path, json!({"comment": "Called, no answer"})).await;
    assert_eq!(s, 201);

    let (s, b) = get(&t, &admin, &path).await;
    assert_eq!(s, 200);
    let ids: Vec<&Value> = b["comments"].as_array().unwrap().iter().map(|c| &c["id"]).collect();
    assert_eq!(ids, vec![&second["comment"]["id"], &first["comment"]["id"]], "newest first");
    let (_, b) = get(&t, &admin, &format!("{path}?limit=1&offset=1")).await;
    assert_eq!(b["comments"][0]["id"], first["comment"]["id"]);

    let (s, b) = post(&t, &admin, &path, json!({"comment": ""})).await;
    assert_eq!((s, field_of(&b)), (422, "comment".into()));
    let (s, b) = post(&t, &admin, &path, json!({})).await;
    assert_eq!((s, field_of(&b)), (422, "comment".into()));
    let (s, b) = post(&t, &admin, &path, json!({"comment": "x".repeat(5001)})).await;
    assert_eq!((s, field_of(&b)), (422, "comment".into()));
    let (s, b) = post(&t, &admin, "/api/customers/nope/comments", json!({"comment": "x"})).await;
    assert_eq!(s, 404);
    assert_error(&b, "not_found");
    // A staff user is not a customer.
    assert_eq!(get(&t, &admin, &format!("/api/customers/{staff_uuid}/comments")).await.0, 404);

    // Communications: the comments are there, with a call recorded by a later writer.
    let call_at = brokercrm_store::db::now() + chrono::Duration::seconds(60);
    communications::record(
        t.app.db().conn(),
        Record {
            customer_id: Some(c_id),
            crm_lead_id: None,
            kind: CommunicationKind::Call,
            direction: Direction::Outbound,
            subject: None,
            body: Some("Discussed deposit".into()),
            duration_secs: Some(95),
            recording_url: Some("https://rec.example/1.mp3".into()),
            provider: Some("voiso".into()),
            external_id: Some("call-1".into()),
            author_id: Some(admin_id),
            occurred_at: call_at,
        },
    )
    .await
    .unwrap();
    let cpath = format!("/api/customers/{c_uuid}/communications");
    let (s, b) = get(&t, &admin, &cpath).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["count"], 3);
    let list = b["communications"].as_array().unwrap();
    assert_eq!(list[0]["type"], "call");
    assert_eq!(list[0]["direction"], "outbound");
    assert_eq!(list[0]["durationSeconds"], 95);
    assert_eq!(list[0]["recordingUrl"], "https://rec.example/1.mp3");
    assert_eq!(list[0]["author"]["id"], admin_uuid.as_str());
    assert_eq!(list[1]["type"], "comment");
    assert_eq!(list[1]["direction"], "internal");
    assert_eq!(list[1]["body"], "Called, no answer");
    assert_eq!(list[2]["body"], "Wants a call on Monday");
    let (_, b) = get(&t, &admin, &format!("{cpath}?limit=1&offset=2")).await;
    assert_eq!((b["count"].clone(), b["communications"].as_array().unwrap().len()), (json!(3), 1));
    assert_eq!(b["communications"][0]["body"], "Wants a call on Monday");
    let (s, b) = get(&t, &admin, &format!("{cpath}?limit=500")).await;
    assert_eq!((s, field_of(&b)), (422, "limit".into()));
    assert_eq!(get(&t, &admin, "/api/customers/nope/communications").await.0, 404);

    // The same provider event twice is recorded once.
    let dup = communications::record(
        t.app.db().conn(),
        Record {
            customer_id: Some(c_id),
            crm_lead_id: None,
            kind: CommunicationKind::Call,
            direction: Direction::Outbound,
            subject: None,
            body: None,
            duration_secs: None,
            recording_url: None,
            provider: Some("voiso".into()),
            external_id: Some("call-1".into()),
            author_id: None,
            occurred_at: call_at,
        },
    )
    .await;
    assert!(matches!(dup, Err(brokercrm_core::Error::Conflict(_))), "{dup:?}");

    let entries = audits(&t, &admin, "customer.comment").await;
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0]["entityId"], c_uuid.as_str());
}

#[tokio::test]
async fn bookmarks_are_per_user_idempotent_searchable_and_audited() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let other = t.user(Role::Admin).create().await.token;
    let ann = t.customer().name("Ann", "Zed").email("ann.zed@cust.test").create().await.uuid;
    let bob = t.customer().name("Bob", "Young").email("bob.young@cust.test").create().await.uuid;

    for c in [&ann, &bob, &ann] {
        let (s, b) = post(&t, &admin, &format!("/api/bookmarks/{c}"), json!({})).await;
        assert_eq!((s, b), (200, json!({"success": true})));
    }
    let (s, b) = get(&t, &admin, "/api/bookmarks?limit=10&offset=0&sortBy=name|ASC&search=").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["pages"], 1);
    let list = b["customers"].as_array().unwrap();
    assert_eq!(list.len(), 2);
    assert_eq!(
        (list[0]["id"].as_str(), list[1]["id"].as_str()),
        (Some(ann.as_str()), Some(bob.as_str()))
    );
    assert_eq!(list[0]["fullname"], "Ann Zed");
    assert_eq!(list[0]["isBookmarked"], true);
    assert!(list[0]["bookmarkedAt"].is_string() && list[0]["email"].is_string());
    let (_, b) = get(&t, &admin, "/api/bookmarks?sortBy=name|DESC").await;
    assert_eq!(b["customers"][0]["id"], bob.as_str());
    let (_, b) = get(&t, &admin, "/api/bookmarks?search=YOUN").await;
    assert_eq!(b["customers"].as_array().unwrap().len(), 1);
    assert_eq!(b["customers"][0]["id"], bob.as_str());
    let (_, b) = get(&t, &admin, "/api/bookmarks?search=%25").await;
    assert_eq!(b["customers"].as_array().unwrap().len(), 0, "LIKE wildcards are literal");
    let (_, b) = get(&t, &admin, "/api/bookmarks?limit=1&offset=1&sortBy=email").await;
    assert_eq!((b["pages"].clone(), b["customers"][0]["id"].clone()), (json!(2), json!(bob)));
    let (s, b) = get(&t, &admin, "/api/bookmarks?sortBy=salary").await;
    assert_eq!((s, field_of(&b)), (422, "sortBy".into()));
    let (s, b) = get(&t, &admin, "/api/bookmarks?sortBy=name|UP").await;
    assert_eq!((s, field_of(&b)), (422, "sortBy".into()));
    let (s, b) = get(&t, &admin, "/api/bookmarks?limit=x").await;
    assert_eq!((s, field_of(&b)), (422, "limit".into()));
    let (_, b) = get(&t, &other, "/api/bookmarks").await;
    assert_eq!(b, json!({"customers": [], "pages": 0}), "bookmarks are per user");

    // Remove, twice.
    for _ in 0..2 {
        let r =
            t.server.delete(&format!("/api/bookmarks/{ann}")).authorization_bearer(&admin).await;
        assert_eq!((r.status_code().as_u16(), r.json::<Value>()), (200, json!({"success": true})));
    }
    let (_, b) = get(&t, &admin, "/api/bookmarks").await;
    assert_eq!(b["customers"].as_array().unwrap().len(), 1);
    assert_eq!(post(&t, &admin, "/api/bookmarks/nope", json!({})).await.0, 404);
    assert_eq!(delete(&t, &admin, "/api/bookmarks/nope").await.0, 404);

    // One audit entry per change, none for the repeated add or remove.
    assert_eq!(audits(&t, &admin, "customer.bookmark").await.len(), 2);
    assert_eq!(audits(&t, &admin, "customer.unbookmark").await.len(), 1);
}

/// Status codes of the five customer operations for `token` on customer `c`.
async fn work(t: &TestApp, token: &str, c: &str) -> [u16; 5] {
    [
        post(t, token, &format!("/api/customers/{c}/comments"), json!({"comment": "hi"})).await.0,
        get(t, token, &format!("/api/customers/{c}/comments")).await.0,
        get(t, token, &format!("/api/customers/{c}/communications")).await.0,
        post(t, token, &format!("/api/bookmarks/{c}"), json!({})).await.0,
        delete(t, token, &format!("/api/bookmarks/{c}")).await.0,
    ]
}

const OK: [u16; 5] = [201, 200, 200, 200, 200];
const HIDDEN: [u16; 5] = [404; 5];

#[tokio::test]
async fn ownership_agents_see_desk_and_own_customers_managers_desk_admins_all() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await.token;
    let User { token: agent_a, uuid: agent_a_uuid, id: agent_a_id, .. } =
        t.user(Role::ConversionAgent).create().await;
    let User { token: mgr_a, uuid: mgr_a_uuid, .. } = t.user(Role::Manager).create().await;
    let User { uuid: agent_b_uuid, id: agent_b_id, .. } =
        t.user(Role::ConversionAgent).create().await;
    let User { token: ret, id: ret_id, .. } = t.user(Role::RetentionAgent).create().await;
    let mgr_x = t.user(Role::Manager).create().await.token;
    let risk = t.user(Role::Risk).create().await.token;
    let affiliate = t.user(Role::Affiliate).create().await.token;
    let cust_token = t.user(Role::Customer).create().await.token;

    let (_, a) = post(
        &t,
        &admin,
        "/api/sales-desks",
        json!({"name": "A", "salesPeople": [agent_a_uuid, mgr_a_uuid]}),
    )
    .await;
    let (_, b) =
        post(&t, &admin, "/api/sales-desks", json!({"name": "B", "salesPeople": [agent_b_uuid]}))
            .await;
    let desk_a = desk_id(&t, a["id"].as_str().unwrap()).await;
    let desk_b = desk_id(&t, b["id"].as_str().unwrap()).await;

    let User { uuid: ca, id: ca_id, .. } =
        t.customer().name("Cust", "DeskA").email("cust.deska@cust.test").create().await;
    let User { uuid: cb, id: cb_id, .. } =
        t.customer().name("Cust", "DeskB").email("cust.deskb@cust.test").create().await;
    let User { uuid: cb_mine, id: cb_mine_id, .. } =
        t.customer().name("Cust", "DeskBConvA").email("cust.deskbconva@cust.test").create().await;
    let User { uuid: cr, id: cr_id, .. } =
        t.customer().name("Cust", "Retention").email("cust.retention@cust.test").create().await;
    let free = t
        .customer()
        .name("Cust", "Unassigned")
        .email("cust.unassigned@cust.test")
        .create()
        .await
        .uuid;
    assign(&t, ca_id, Some(desk_a), None, None).await;
    assign(&t, cb_id, Some(desk_b), Some(agent_b_id), None).await;
    assign(&t, cb_mine_id, Some(desk_b), Some(agent_a_id), None).await;
    // The retention agent holds `cr`; agent A is named in the retention slot of nobody.
    assign(&t, cr_id, None, Some(agent_b_id), Some(ret_id)).await;

    // Conversion agent of desk A: own desk, and customers assigned to them elsewhere.
    assert_eq!(work(&t, &agent_a, &ca).await, OK, "agent A, desk A customer");
    assert_eq!(work(&t, &agent_a, &cb_mine).await, OK, "agent A, assigned on desk B");
    assert_eq!(work(&t, &agent_a, &cb).await, HIDDEN, "agent A, desk B customer");
    assert_eq!(work(&t, &agent_a, &cr).await, HIDDEN, "agent A, retention customer");
    assert_eq!(work(&t, &agent_a, &free).await, HIDDEN, "agent A, unassigned customer");
    // Retention agent without a desk: only their retention customers.
    assert_eq!(work(&t, &ret, &cr).await, OK, "retention agent, own customer");
    assert_eq!(work(&t, &ret, &cb).await, HIDDEN, "retention agent, desk B customer");
    // Manager of desk A: the desk only, even customers assigned to its agents elsewhere.
    assert_eq!(work(&t, &mgr_a, &ca).await, OK, "manager A, desk A customer");
    assert_eq!(work(&t, &mgr_a, &cb_mine).await, HIDDEN, "manager A, desk B customer");
    assert_eq!(work(&t, &mgr_x, &ca).await, HIDDEN, "manager without a desk");
    // Admins and risk: everyone.
    assert_eq!(work(&t, &admin, &cb).await, OK, "admin");
    assert_eq!(work(&t, &risk, &free).await, OK, "risk");
    // Not staff: forbidden.
    assert_eq!(work(&t, &affiliate, &ca).await, [403; 5], "affiliate");
    assert_eq!(work(&t, &cust_token, &ca).await, [403; 5], "customer");

    // Out of scope looks exactly like unknown.
    let hidden = get(&t, &agent_a, &format!("/api/customers/{cb}/comments")).await.1;
    let unknown =
        get(&t, &agent_a, "/api/customers/00000000-0000-0000-0000-000000000000/comments").await.1;
    assert_eq!(hidden, unknown);
    assert_error(&hidden, "not_found");

    // A bookmark of a customer who leaves the scope drops out of the list.
    assert_eq!(post(&t, &agent_a, &format!("/api/bookmarks/{ca}"), json!({})).await.0, 200);
    let (_, l) = get(&t, &agent_a, "/api/bookmarks").await;
    assert_eq!(l["customers"][0]["id"], ca.as_str());
    assign(&t, ca_id, Some(desk_b), None, None).await;
    let (_, l) = get(&t, &agent_a, "/api/bookmarks").await;
    assert_eq!(l, json!({"customers": [], "pages": 0}));
    assert_eq!(work(&t, &agent_a, &ca).await, HIDDEN, "moved to desk B");

    // Moving agent A to desk B widens their scope.
    let (s, _) = put(
        &t,
        &admin,
        &format!("/api/sales-desks/{}", b["id"].as_str().unwrap()),
        json!({"salesPeople": [agent_b_uuid, agent_a_uuid]}),
    )
    .await;
    assert_eq!(s, 200);
    assert_eq!(work(&t, &agent_a, &cb).await, OK, "agent A now on desk B");
    let (_, l) = get(&t, &agent_a, "/api/bookmarks").await;
    assert_eq!(l["customers"][0]["id"], ca.as_str());
}

#[tokio::test]
async fn openapi_documents_the_sales_crm_operations() {
    let t = TestApp::spawn().await;
    let doc: Value = t.server.get("/openapi.json").await.json();
    let op = |path: &str, method: &str| doc["paths"][path][method].clone();
    let want = [
        ("/api/sales-statuses", "post", "Sales Status", "Create a new sales status"),
        ("/api/sales-statuses", "get", "Sales Status", "Get all sales statuses"),
        ("/api/sales-statuses/by-name/{name}", "get", "Sales Status", "Get a sales status by name"),
        ("/api/sales-statuses/{id}", "put", "Sales Status", "Update a sales status by ID"),
        ("/api/sales-desks", "post", "Sales Desk", "Create a new sales desk"),
        ("/api/sales-desks", "get", "Sales Desk", "List all sales desks"),
        ("/api/sales-desks/{id}", "get", "Sales Desk", "Get a sales desk by ID"),
        ("/api/sales-desks/{id}", "put", "Sales Desk", "Update an existing sales desk"),
        ("/api/sales-desks/{id}", "delete", "Sales Desk", "Delete a sales desk by ID"),
        ("/api/customers/{id}/comments", "get", "Comments", "Get comments for a customer"),
        ("/api/customers/{id}/comments", "post", "Comments", "Create a comment for a customer"),
        (
            "/api/customers/{id}/communications",
            "get",
            "Communications",
            "Get customer communications",
        ),
        ("/api/bookmarks", "get", "Bookmarks", "Get bookmarks for a user"),
        ("/api/bookmarks/{id}", "delete", "Bookmarks", "Remove a bookmark"),
        ("/api/bookmarks/{id}", "post", "Bookmarks", "Bookmark a customer"),
    ];
    for (path, method, tag, title) in want {
        let o = op(path, method);
        assert_eq!(
            (o["tags"][0].as_str(), o["summary"].as_str()),
            (Some(tag), Some(title)),
            "{method} {path}"
        );
    }
}
