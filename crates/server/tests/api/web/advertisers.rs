//! The advertisers screens: one created and edited through the portal, checked through the
//! API; bad JSON and a bad timeout named beside their fields with nothing changed; the
//! postback secret shown once; delete.

use brokercrm_core::identity::auth::Role;

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login};

#[tokio::test]
async fn an_advertiser_is_created_edited_given_a_secret_and_deleted_in_the_portal() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let base = [("name", "House CRM"), ("kind", "internal_crm"), ("active", "1")];

    let mut bad = base.to_vec();
    bad.extend([("config", "{not json"), ("timeout", "10")]);
    let r = p.post(&t, "/admin/advertisers", &bad).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"advertiser-form-config-error\""), "{}", r.text());
    let mut bad = base.to_vec();
    bad.extend([("config", "{}"), ("timeout", "10")]);
    let r = p.post(&t, "/admin/advertisers", &bad).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"advertiser-form-timeout-error\""), "{}", r.text());
    assert!(!p.get(&t, "/admin/advertisers").await.text().contains("House CRM"), "nothing created");

    let mut ok = base.to_vec();
    ok.extend([("config", "{}"), ("timeout", "5000")]);
    let r = p.post(&t, "/admin/advertisers", &ok).await;
    assert_eq!(r.status_code(), 303);
    let page = location(&r).split('?').next().unwrap().to_owned();
    let uuid = page.rsplit('/').next().unwrap().to_owned();

    // Disabled and renamed; a blank configuration keeps the stored one.
    let edit =
        [("name", "House CRM 2"), ("kind", "internal_crm"), ("config", ""), ("timeout", "7000")];
    assert_eq!(p.post(&t, &page, &edit).await.status_code(), 303);
    let (s, a) = get(&t, &admin.token, &format!("/api/lead-distribution/advertisers/{uuid}")).await;
    assert_eq!(s, 200, "{a}");
    assert_eq!(a["name"], "House CRM 2");
    assert_eq!(a["active"], false);
    assert_eq!(a["timeoutMs"], 7000);

    let r = p.post(&t, &format!("{page}/postback-secret"), &[]).await;
    assert_eq!(r.status_code(), 200);
    assert!(r.text().contains("id=\"secret-value\""));
    assert!(
        p.get(&t, &page).await.text().matches("id=\"secret-value\"").count() == 0,
        "shown once"
    );

    assert_eq!(p.post(&t, &format!("{page}/delete"), &[]).await.status_code(), 303);
    assert_eq!(p.get(&t, &page).await.status_code(), 404);
}
