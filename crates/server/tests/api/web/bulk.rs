//! The leads list's bulk edit, and the customer page's impersonation and activity: each
//! checked where it lands (the filtered list, the API with the issued token, the audit log).

use brokercrm_core::identity::auth::Role;
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::http::{get, post};
use crate::helpers::platform::audits;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login};

#[tokio::test]
async fn bulk_edit_changes_every_lead_the_filters_match_and_nothing_else() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    for (name, source) in [("Web One", "web"), ("Web Two", "web"), ("Fair One", "fair")] {
        let email = format!("{}@example.com", name.replace(' ', ".").to_lowercase());
        let (s, b) = post(
            &t,
            &admin.token,
            "/api/leads",
            json!({"name": name, "email": email, "source": source}),
        )
        .await;
        assert_eq!(s, 201, "{b}");
    }
    let (s, st) =
        post(&t, &admin.token, "/api/sales-statuses", json!({"status": "Hot", "color": "#ff0000"}))
            .await;
    assert!(s == 200 || s == 201, "{st}");
    let hot = st["id"].as_i64().unwrap().to_string();
    let p = login(&t, &admin.email, PASSWORD).await;

    let list = p.get(&t, "/admin/leads?source=web").await.text();
    assert!(list.contains("Bulk edit the 2 leads"), "{list}");
    let r = p.post(&t, "/admin/leads/bulk", &[("source", "web")]).await;
    assert_eq!(r.status_code(), 422, "neither a status nor a person");
    assert!(r.text().contains("id=\"bulk-error\""));

    let r = p.post(&t, "/admin/leads/bulk", &[("source", "web"), ("selected_status", &hot)]).await;
    assert_eq!(r.status_code(), 303);
    assert_eq!(location(&r), "/admin/leads?source=web&done=bulk");
    let hot_list = p.get(&t, &format!("/admin/leads?status={hot}")).await.text();
    assert!(hot_list.contains("Web One") && hot_list.contains("Web Two"), "{hot_list}");
    assert!(!hot_list.contains("Fair One"), "outside the filters: unchanged");
    assert_eq!(audits(&t, &admin.token, "lead.bulk_edit").await.len(), 1);
}

#[tokio::test]
async fn support_acts_as_a_customer_from_the_360_page_and_it_is_in_the_activity() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let c = t.customer().create().await;
    let support = t.user(Role::Support).create().await;
    let s = login(&t, &support.email, PASSWORD).await;
    let page = s.get(&t, &format!("/admin/customers/{}", c.uuid)).await.text();
    assert!(page.contains("id=\"impersonate-form\""), "{page}");

    let r = s.post(&t, &format!("/admin/customers/{}/impersonate", c.uuid), &[]).await;
    assert_eq!(r.status_code(), 200, "{}", r.text());
    let html = r.text();
    let at = html.find("<code id=\"secret-value\">").unwrap() + "<code id=\"secret-value\">".len();
    let token = html[at..].split('<').next().unwrap().to_owned();
    let (code, me) = get(&t, &token, "/api/me").await;
    assert_eq!(code, 200, "{me}");
    assert!(me.to_string().contains(&c.email), "the token acts as the customer: {me}");
    assert_eq!(audits(&t, &admin.token, "customer.impersonate").await.len(), 1);

    // The admin sees it in the customer's activity; an agent has no impersonation.
    let a = login(&t, &admin.email, PASSWORD).await;
    let page = a.get(&t, &format!("/admin/customers/{}", c.uuid)).await.text();
    assert!(page.contains("id=\"activity\"") && page.contains("customer.impersonate"), "{page}");
    let agent = t.user(Role::ConversionAgent).create().await;
    let g = login(&t, &agent.email, PASSWORD).await;
    let page = g.get(&t, &format!("/admin/customers/{}", c.uuid)).await.text();
    assert!(!page.contains("id=\"impersonate-form\""));
    let r = g.post(&t, &format!("/admin/customers/{}/impersonate", c.uuid), &[]).await;
    assert_eq!(r.status_code(), 403);
}
