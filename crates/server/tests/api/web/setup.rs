//! The set-up screens: users and roles, API keys, sales desks and statuses. Each change is
//! checked where it lands (the database through the API, the audit log, sign-in), and each
//! refusal shows the error beside its field and changes nothing.

use brokercrm_core::identity::auth::Role;

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::platform::audits;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login, post_login};

/// The text of `<code id="secret-value">…</code>` in `html`.
fn secret_in(html: &str) -> String {
    let marker = "<code id=\"secret-value\">";
    let start = html.find(marker).map(|i| i + marker.len()).expect("a secret on the page");
    html[start..].split('<').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn an_admin_creates_a_staff_user_who_signs_in_once_then_changes_role_and_is_disabled() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;

    // A bad e-mail and a customer role: both named beside their fields, nobody created.
    let r = p
        .post(
            &t,
            "/admin/users",
            &[("email", "not-an-email"), ("firstname", "Ann"), ("role", "customer")],
        )
        .await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(html.contains("id=\"user-form-email-error\""), "{html}");
    assert!(html.contains("id=\"user-form-role-error\""), "{html}");
    assert!(html.contains("value=\"Ann\""), "what was typed is kept");
    assert!(!p.get(&t, "/admin/users?q=ann").await.text().contains("Ann"));

    let r = p
        .post(
            &t,
            "/admin/users",
            &[
                ("email", "Ann.Agent@Example.com"),
                ("firstname", "Ann"),
                ("role", "conversion_agent"),
            ],
        )
        .await;
    assert_eq!(r.status_code(), 200, "{}", r.text());
    let one_time = secret_in(&r.text());
    assert!(one_time.len() >= 12);
    assert_eq!(audits(&t, &admin.token, "user.create").await.len(), 1);

    // The list finds her by name, filtered by role, and links her page.
    let list = p.get(&t, "/admin/users?role=conversion_agent&q=ann").await.text();
    assert!(list.contains("ann.agent@example.com"), "{list}");
    let href_at = list.find("href=\"/admin/users/").expect("link to the user") + "href=\"".len();
    let user_path = list[href_at..].split('"').next().unwrap().to_owned();
    assert!(
        !p.get(&t, "/admin/users?role=risk&q=ann").await.text().contains("ann.agent@example.com")
    );

    // She signs in with the one-time password and must change it first.
    let ann = login(&t, "ann.agent@example.com", &one_time).await;
    let r = ann.get(&t, "/admin/leads").await;
    assert_eq!(r.status_code(), 303);
    assert_eq!(location(&r), "/admin/password");
    assert_eq!(ann.get(&t, "/admin/password").await.status_code(), 200);

    // Her role changes: the page says so, the audit log has it, her sessions end.
    let r = p.post(&t, &format!("{user_path}/role"), &[("role", "risk")]).await;
    assert_eq!(r.status_code(), 303);
    assert!(p.get(&t, &location(&r)).await.text().contains("risk"));
    assert_eq!(audits(&t, &admin.token, "user.role").await.len(), 1);
    assert_ne!(ann.get(&t, "/admin/password").await.status_code(), 200, "session ended");

    // Nobody changes their own role; an unknown role is named.
    let own = format!("/admin/users/{}/role", admin.uuid);
    let r = p.post(&t, &own, &[("role", "support")]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"role-form-role-error\""));
    let r = p.post(&t, &format!("{user_path}/role"), &[("role", "emperor")]).await;
    assert_eq!(r.status_code(), 422);

    // Disabled: she cannot sign in; enabled again: she can.
    let r = p.post(&t, &format!("{user_path}/status/disabled"), &[]).await;
    assert_eq!(r.status_code(), 303);
    assert_eq!(post_login(&t, "ann.agent@example.com", &one_time).await.status_code(), 401);
    let r = p.post(&t, &format!("{user_path}/status/active"), &[]).await;
    assert_eq!(r.status_code(), 303);
    assert_eq!(post_login(&t, "ann.agent@example.com", &one_time).await.status_code(), 303);
}

#[tokio::test]
async fn only_admins_manage_users_and_keys_and_posts_need_the_token() {
    let t = TestApp::spawn().await;
    let manager = t.user(Role::Manager).create().await;
    let p = login(&t, &manager.email, PASSWORD).await;
    for path in ["/admin/users", "/admin/api-keys"] {
        assert_eq!(p.get(&t, path).await.status_code(), 403, "{path}");
        let r =
            p.post(&t, path, &[("email", "x@example.com"), ("name", "x"), ("role", "admin")]).await;
        assert_eq!(r.status_code(), 403, "{path}");
    }
    let admin = t.user(Role::Admin).create().await;
    let a = login(&t, &admin.email, PASSWORD).await;
    let r =
        a.post_raw(&t, "/admin/users", &[("email", "y@example.com"), ("role", "support")]).await;
    assert_eq!(r.status_code(), 403, "no CSRF token");
    assert!(!a.get(&t, "/admin/users").await.text().contains("y@example.com"));
}

#[tokio::test]
async fn an_api_key_is_shown_once_works_and_stops_when_revoked() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;

    let r = p.post(&t, "/admin/api-keys", &[("name", ""), ("role", "support")]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"key-form-name-error\""), "{}", r.text());

    let r = p.post(&t, "/admin/api-keys", &[("name", "Dialer"), ("role", "support")]).await;
    assert_eq!(r.status_code(), 200, "{}", r.text());
    let secret = secret_in(&r.text());
    let (s, _) = get(&t, &secret, "/api/sales-statuses").await;
    assert_eq!(s, 200, "the new key authenticates");
    let list = p.get(&t, "/admin/api-keys").await.text();
    assert!(list.contains("Dialer") && !list.contains(&secret), "listed, never its secret");

    let at = list.find("action=\"/admin/api-keys/").expect("a revoke form") + "action=\"".len();
    let revoke = list[at..].split('"').next().unwrap().to_owned();
    let r = p.post(&t, &revoke, &[]).await;
    assert_eq!(r.status_code(), 303);
    let (s, _) = get(&t, &secret, "/api/sales-statuses").await;
    assert_eq!(s, 401, "revoked");
    assert!(p.get(&t, "/admin/api-keys").await.text().contains("revoked"));
}

#[tokio::test]
async fn desks_and_statuses_are_created_staffed_and_refused_beside_the_field() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let agent = t.user(Role::ConversionAgent).email("carl@example.com").create().await;
    let p = login(&t, &admin.email, PASSWORD).await;

    let r = p.post(&t, "/admin/sales-setup/desks", &[("name", " "), ("people", &agent.uuid)]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"desk-form-name-error\""));
    let (_, desks) = get(&t, &admin.token, "/api/sales-desks").await;
    assert_eq!(desks.to_string().matches("\"name\"").count(), 0, "nothing created: {desks}");

    let r = p
        .post(&t, "/admin/sales-setup/desks", &[("name", "EN Conversion"), ("people", &agent.uuid)])
        .await;
    assert_eq!(r.status_code(), 303);
    let (_, desks) = get(&t, &admin.token, "/api/sales-desks").await;
    let text = desks.to_string();
    assert!(text.contains("EN Conversion") && text.contains(&agent.uuid), "{text}");

    let r = p
        .post(&t, "/admin/sales-setup/statuses", &[("status", "Call back"), ("color", "blue")])
        .await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"status-form-color-error\""));
    let r = p
        .post(&t, "/admin/sales-setup/statuses", &[("status", "Call back"), ("color", "#1e88e5")])
        .await;
    assert_eq!(r.status_code(), 303);
    let page = p.get(&t, "/admin/sales-setup").await.text();
    assert!(page.contains("Call back") && page.contains("#1e88e5") && page.contains("carl"));

    // An agent reads the set-up but has no forms.
    let a = login(&t, &agent.email, PASSWORD).await;
    let page = a.get(&t, "/admin/sales-setup").await.text();
    assert!(page.contains("EN Conversion") && !page.contains("id=\"desk-form\""));
    let r =
        a.post(&t, "/admin/sales-setup/statuses", &[("status", "X"), ("color", "#000000")]).await;
    assert_eq!(r.status_code(), 403);
}

#[tokio::test]
async fn settings_are_saved_together_or_not_at_all() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let page = p.get(&t, "/admin/settings").await.text();
    assert!(page.contains("settings-form-company.name") && page.contains("kyc.sumsub"), "{page}");

    let bad =
        [("company.name", "Acme FX"), ("company.email", "not-mail"), ("signup.enabled", "true")];
    let r = p.post(&t, "/admin/settings", &bad).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(html.contains("id=\"settings-form-company.email-error\""), "{html}");
    assert!(html.contains("value=\"Acme FX\""), "what was typed is kept");
    let (_, v) = get(&t, &admin.token, "/api/settings/company.name").await;
    assert!(!v.to_string().contains("Acme FX"), "nothing written: {v}");

    let ok = [
        ("company.name", "Acme FX"),
        ("company.email", "desk@acme.example"),
        ("signup.enabled", "true"),
    ];
    assert_eq!(p.post(&t, "/admin/settings", &ok).await.status_code(), 303);
    let (_, v) = get(&t, &admin.token, "/api/settings/company.name").await;
    assert!(v.to_string().contains("Acme FX"), "{v}");
    assert_eq!(audits(&t, &admin.token, "settings.update").await.len(), 3);
    // Saving again unchanged writes nothing more.
    assert_eq!(p.post(&t, "/admin/settings", &ok).await.status_code(), 303);
    assert_eq!(audits(&t, &admin.token, "settings.update").await.len(), 3);

    let manager = t.user(Role::Manager).create().await;
    let m = login(&t, &manager.email, PASSWORD).await;
    assert!(m.get(&t, "/admin/settings").await.text().contains("Acme FX"));
    assert_eq!(m.post(&t, "/admin/settings", &ok).await.status_code(), 403);
}
