//! The messages screen: a message to one customer's inbox, one to every customer (the fan-out
//! job), and refusals shown beside their fields with nothing sent.

use brokercrm_core::identity::auth::Role;

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login};

#[tokio::test]
async fn staff_send_a_message_to_one_customer_and_to_all() {
    let t = TestApp::spawn().await;
    let support = t.user(Role::Support).create().await;
    let (a, b) = (t.customer().create().await, t.customer().create().await);
    let p = login(&t, &support.email, PASSWORD).await;
    assert_eq!(p.get(&t, "/admin/messages").await.status_code(), 200);

    // Unknown customer and an empty subject: beside their fields, nothing sent.
    let r = p
        .post(
            &t,
            "/admin/messages/customer",
            &[("customer", "nobody"), ("subject", "Hi"), ("text", "x")],
        )
        .await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"one-form-customer-error\""), "{}", r.text());
    let r = p
        .post(
            &t,
            "/admin/messages/customer",
            &[("customer", &a.uuid), ("subject", ""), ("text", "x")],
        )
        .await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(html.contains("id=\"one-form-subject-error\""), "{html}");
    assert!(html.contains(&format!("value=\"{}\"", a.uuid)), "what was typed is kept");
    assert_eq!(get(&t, &a.token, "/api/me/messages/unread-count").await.1["unreadCount"], 0);

    let r = p
        .post(
            &t,
            "/admin/messages/customer",
            &[("customer", &a.uuid), ("subject", "Welcome"), ("text", "Your account is ready")],
        )
        .await;
    assert_eq!(
        (r.status_code().as_u16(), location(&r)),
        (303, "/admin/messages?done=sent".to_owned())
    );
    let (_, inbox) = get(&t, &a.token, "/api/me/messages").await;
    assert_eq!(inbox["messages"][0]["subject"], "Welcome");
    assert_eq!(get(&t, &b.token, "/api/me/messages/unread-count").await.1["unreadCount"], 0);

    let r = p.post(&t, "/admin/messages/all", &[("subject", "Holiday"), ("message", "")]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"all-form-message-error\""), "{}", r.text());
    let r = p
        .post(&t, "/admin/messages/all", &[("subject", "Holiday"), ("message", "Closed Monday")])
        .await;
    assert_eq!(
        (r.status_code().as_u16(), location(&r)),
        (303, "/admin/messages?done=queued".to_owned())
    );
    t.run_jobs().await;
    assert_eq!(get(&t, &b.token, "/api/me/messages/unread-count").await.1["unreadCount"], 1);
    let page = p.get(&t, "/admin/messages?done=queued").await.text();
    assert!(
        page.contains("Holiday") && page.contains("Message queued for every customer."),
        "{page}"
    );

    // An agent without SendMessages is refused.
    let agent = t.user(Role::ConversionAgent).create().await;
    let q = login(&t, &agent.email, PASSWORD).await;
    let r = q.post(&t, "/admin/messages/all", &[("subject", "x"), ("message", "y")]).await;
    assert_eq!(r.status_code(), 403);
}
