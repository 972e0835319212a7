//! The inbox and staff messages: one, several, all (one fan-out job in batches, resumable
//! without doubles), a trading group's customers; only one's own messages are visible.

use brokercrm_core::identity::auth::Role;
use brokercrm_store::entities::{group_messages, messages};
use brokercrm_store::repo::identity::users::{GenCustomer, insert_generated_customers};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::{assert_error, field_of};
use crate::helpers::http::{get, post, post_empty};
use crate::helpers::money::{group, wallet};

async fn unread(t: &TestApp, token: &str) -> Value {
    let (s, b) = get(t, token, "/api/me/messages/unread-count").await;
    assert_eq!(s, 200, "{b}");
    b["unreadCount"].clone()
}

async fn inbox_rows(t: &TestApp) -> u64 {
    messages::Entity::find().count(t.app.db().conn()).await.unwrap()
}

#[tokio::test]
async fn inbox_shows_own_messages_and_marks_them_read() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (a, b) = (t.customer().create().await, t.customer().create().await);
    let (s, r) = post(
        &t,
        &admin,
        &format!("/api/customers/{}/messages", a.uuid),
        json!({"subject": "Hello", "text": "Your account is ready", "type": "Message"}),
    )
    .await;
    assert_eq!(s, 200, "{r}");
    let id = r["message"]["id"].as_str().unwrap().to_owned();
    assert_eq!(unread(&t, &a.token).await, 1);
    assert_eq!(unread(&t, &b.token).await, 0);
    let (s, page) = get(&t, &a.token, "/api/me/messages?limit=10&offset=0").await;
    assert_eq!(s, 200, "{page}");
    assert_eq!(page["pagination"], json!({"limit": 10, "offset": 0, "total": 1}));
    assert_eq!(page["messages"][0]["subject"], "Hello");
    let (s, m) = get(&t, &a.token, &format!("/api/me/messages/{id}")).await;
    assert_eq!(
        (s, m["text"].as_str(), m["readAt"].clone()),
        (200, Some("Your account is ready"), Value::Null)
    );
    // Someone else's message does not exist for them.
    assert_eq!(get(&t, &b.token, &format!("/api/me/messages/{id}")).await.0, 404);
    assert_eq!(post_empty(&t, &b.token, &format!("/api/me/messages/{id}/read")).await.0, 404);
    assert_eq!(post_empty(&t, &a.token, &format!("/api/me/messages/{id}/read")).await.0, 200);
    assert_eq!(unread(&t, &a.token).await, 0);
    let (_, m) = get(&t, &a.token, &format!("/api/me/messages/{id}")).await;
    assert!(m["readAt"].is_string(), "{m}");
    // Staff read the customer's messages; push is not offered; customers send nothing.
    let (s, list) = get(&t, &admin, &format!("/api/customers/{}/messages", a.uuid)).await;
    assert_eq!((s, list["messages"].as_array().unwrap().len()), (200, 1));
    let (s, r) = post(
        &t,
        &admin,
        &format!("/api/customers/{}/messages", a.uuid),
        json!({"subject": "x", "text": "y", "type": "Push"}),
    )
    .await;
    assert_eq!((s, field_of(&r)), (422, "type".into()));
    let (s, r) = post(
        &t,
        &a.token,
        &format!("/api/customers/{}/messages", b.uuid),
        json!({"subject": "x", "text": "y"}),
    )
    .await;
    assert_eq!(s, 403, "{r}");
    assert_error(&r, "forbidden");
}

#[tokio::test]
async fn several_customers_get_it_in_one_go_or_nobody_does() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (a, b) = (t.customer().create().await, t.customer().create().await);
    let body = |ids: Vec<&str>| json!({"subject": "News", "message": "Markets close early", "customers": ids});
    let (s, r) = post(&t, &admin, "/api/messages/customers", body(vec![&a.uuid, "nobody"])).await;
    assert_eq!((s, field_of(&r)), (422, "customers[1]".into()), "{r}");
    assert_eq!(inbox_rows(&t).await, 0);
    let (s, r) =
        post(&t, &admin, "/api/messages/customers", body(vec![&a.uuid, &b.uuid, &a.uuid])).await;
    assert_eq!((s, r), (200, json!({"messageRecipients": 2})));
    assert_eq!((unread(&t, &a.token).await, unread(&t, &b.token).await), (json!(1), json!(1)));
}

#[tokio::test]
async fn all_customers_get_it_through_one_resumable_fan_out() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let now = brokercrm_store::db::now();
    let rows: Vec<GenCustomer> = (0..2500)
        .map(|i| GenCustomer {
            uuid: uuid::Uuid::now_v7().to_string(),
            email: format!("gen{i}@fan.test"),
            firstname: "F".into(),
            lastname: "L".into(),
            mobilenumber: "+4915112345678".into(),
            country: "DE".into(),
            ref_key: format!("ref{i}"),
            created_at: now,
        })
        .collect();
    for chunk in rows.chunks(500) {
        insert_generated_customers(t.app.db().conn(), chunk.to_vec()).await.unwrap();
    }
    let c = t.customer().create().await;
    let staff = t.user(Role::Manager).create().await;
    let (s, r) = post(
        &t,
        &admin,
        "/api/messages/all",
        json!({"subject": "Holiday", "message": "Closed on Monday"}),
    )
    .await;
    assert_eq!((s, r), (200, json!({"messageRecipients": 2501})));
    assert_eq!(inbox_rows(&t).await, 0, "the request only queues the fan-out");
    t.run_jobs().await;
    assert_eq!(inbox_rows(&t).await, 2501);
    assert_eq!(unread(&t, &c.token).await, 1);
    assert_eq!(unread(&t, &staff.token).await, 0, "staff are not customers");
    let (_, list) = get(&t, &admin, "/api/group-messages").await;
    assert_eq!(list["messages"][0]["recipients"], 2501);
    assert_eq!(list["messages"][0]["status"], "done");

    // An interrupted fan-out resumes; a batch written twice writes nothing twice.
    let conn = t.app.db().conn();
    let gm = group_messages::Entity::find().one(conn).await.unwrap().unwrap();
    let mut am: group_messages::ActiveModel = gm.clone().into();
    am.status = Set("sending".into());
    am.cursor = Set(0);
    group_messages::Entity::update(am).exec(conn).await.unwrap();
    let job = brokercrm_app::messaging::fanout::FanOut { group_message_id: gm.id };
    brokercrm_app::platform::jobs::Job::run(job, t.app.clone()).await.unwrap();
    let per_c = messages::Entity::find()
        .filter(messages::Column::RecipientId.eq(c.id))
        .count(conn)
        .await
        .unwrap();
    assert_eq!((inbox_rows(&t).await, per_c), (2501, 1));
}

#[tokio::test]
async fn a_trading_group_gets_its_group_message() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let g1 = group(&t, &admin, "VIP", "USD").await;
    let g2 = group(&t, &admin, "Standard", "USD").await;
    let (a, b, c) =
        (t.customer().create().await, t.customer().create().await, t.customer().create().await);
    wallet(&t, &admin, &a.uuid, g1).await;
    wallet(&t, &admin, &a.uuid, g1).await;
    wallet(&t, &admin, &b.uuid, g2).await;
    let _ = c;
    let body = json!({"subject": "VIP desk", "text": "Your new manager", "type": "Message", "targetGroupId": g1});
    let (s, r) = post(&t, &admin, "/api/group-messages", body).await;
    assert_eq!(s, 201, "{r}");
    assert_eq!(r["message"]["target"], "group");
    t.run_jobs().await;
    assert_eq!(unread(&t, &a.token).await, 1, "one message although two wallets");
    assert_eq!(unread(&t, &b.token).await, 0);
    let (_, list) = get(&t, &admin, "/api/group-messages").await;
    assert_eq!(
        (list["messages"][0]["recipients"].as_i64(), list["messages"][0]["targetGroupId"].as_i64()),
        (Some(1), Some(g1))
    );
    let (s, r) = post(
        &t,
        &admin,
        "/api/group-messages",
        json!({"subject": "", "text": "x", "type": "Message", "targetGroupId": g1}),
    )
    .await;
    assert_eq!((s, field_of(&r)), (422, "subject".into()));
}
