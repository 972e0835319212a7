//! The lead rules screen: a country blocked, a dedup rule added and switched, goal types added,
//! renamed and deleted through the portal, each checked where it matters (an affiliate's push),
//! and each refusal shown beside its field with nothing changed.

use brokercrm_core::identity::auth::Role;

use crate::helpers::TestApp;
use crate::helpers::distribution::{push_accepted, push_rejected, seed_body, simple};
use crate::helpers::http::get;
use crate::helpers::users::{PASSWORD, User};
use crate::helpers::web::{Portal, location, login};

/// The first `action="…"` on the page that starts with `prefix`.
fn action(html: &str, prefix: &str) -> String {
    let marker = format!("action=\"{prefix}");
    let at = html.find(&marker).unwrap_or_else(|| panic!("no form to {prefix}: {html}")) + 8;
    html[at..].split('"').next().unwrap().to_owned()
}

async fn admin(t: &TestApp) -> (User, Portal) {
    let a = t.user(Role::Admin).create().await;
    let p = login(t, &a.email, PASSWORD).await;
    (a, p)
}

#[tokio::test]
async fn a_country_blocked_in_the_portal_rejects_pushes_until_unblocked() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = simple(&t).await;
    let (_, p) = admin(&t).await;

    let r = p
        .post(&t, "/admin/lead-rules/country-blocks", &[("country", "Germany"), ("offer", "")])
        .await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"block-form-country-error\""), "{}", r.text());
    push_accepted(&t, &aff, &seed_body()).await;

    let r =
        p.post(&t, "/admin/lead-rules/country-blocks", &[("country", "de"), ("offer", "")]).await;
    assert_eq!(r.status_code(), 303);
    assert_eq!(location(&r), "/admin/lead-rules?done=created");
    push_rejected(&t, &aff, &seed_body(), "BLOCK_COUNTRY").await;

    let page = p.get(&t, "/admin/lead-rules").await.text();
    let r = p.post(&t, &action(&page, "/admin/lead-rules/country-blocks/"), &[]).await;
    assert_eq!(r.status_code(), 303);
    push_accepted(&t, &aff, &seed_body()).await;
}

#[tokio::test]
async fn a_dedup_rule_added_in_the_portal_rejects_the_second_push_and_can_be_switched_off() {
    let t = TestApp::spawn().await;
    let (aff, _, _) = simple(&t).await;
    let (admin, p) = admin(&t).await;

    let bad = [("field", "email"), ("scope", "global"), ("window", "5")];
    let r = p.post(&t, "/admin/lead-rules/dedup-rules", &bad).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"dedup-form-window-error\""));
    assert!(r.text().contains("value=\"5\""), "what was typed is kept");
    let page = p.get(&t, "/admin/lead-rules").await.text();
    assert!(!page.contains("<td>global</td>"), "nothing created");

    let ok = [("field", "email"), ("scope", "global"), ("window", "3600")];
    assert_eq!(p.post(&t, "/admin/lead-rules/dedup-rules", &ok).await.status_code(), 303);
    let first = seed_body();
    push_accepted(&t, &aff, &first).await;
    let mut again = seed_body();
    again["email"] = first["email"].clone();
    again["aff_sub"] = serde_json::json!("another click");
    push_rejected(&t, &aff, &again, "CRM_DUPLICATION_ERROR").await;

    let page = p.get(&t, "/admin/lead-rules").await.text();
    let off = action(&page, "/admin/lead-rules/dedup-rules/");
    assert!(off.ends_with("/off"), "{off}");
    assert_eq!(p.post(&t, &off, &[]).await.status_code(), 303);
    let (s, rules) = get(&t, &admin.token, "/api/lead-distribution/dedup-rules").await;
    assert_eq!(s, 200, "{rules}");
    assert_eq!(rules.to_string().matches("\"active\":false").count(), 1, "{rules}");
}

#[tokio::test]
async fn goal_types_are_added_renamed_and_deleted_but_system_ones_stay() {
    let t = TestApp::spawn().await;
    let (_, p) = admin(&t).await;
    assert_eq!(
        p.post(&t, "/admin/lead-rules/goal-types", &[("name", "Qualified")]).await.status_code(),
        303
    );
    let r = p.post(&t, "/admin/lead-rules/goal-types", &[("name", "Qualified")]).await;
    assert_eq!(r.status_code(), 422, "a duplicate name is refused on the form");

    let page = p.get(&t, "/admin/lead-rules").await.text();
    let at = page.find("href=\"/admin/lead-rules/goal-types/").expect("a rename link") + 6;
    let path = page[at..].split('"').next().unwrap().to_owned();
    let r = p.post(&t, &path, &[("name", "")]).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"rename-form-name-error\""));
    assert_eq!(p.post(&t, &path, &[("name", "Sales qualified")]).await.status_code(), 303);
    let page = p.get(&t, "/admin/lead-rules").await.text();
    assert!(page.contains("Sales qualified"));

    // Only the new one has a delete action; the system goal types have none.
    assert_eq!(page.matches("/admin/lead-rules/goal-types/").count(), 2, "its link and delete");
    let del = format!("{path}/delete");
    assert_eq!(p.post(&t, &del, &[]).await.status_code(), 303);
    assert!(!p.get(&t, "/admin/lead-rules").await.text().contains("Sales qualified"));

    // Support may not read lead rules; risk reads them without forms.
    let risk = t.user(Role::Risk).create().await;
    let r = login(&t, &risk.email, PASSWORD).await;
    let page = r.get(&t, "/admin/lead-rules").await.text();
    assert!(!page.contains("id=\"goal-form\""));
    let support = t.user(Role::Support).create().await;
    let s = login(&t, &support.email, PASSWORD).await;
    assert_eq!(s.get(&t, "/admin/lead-rules").await.status_code(), 403);
}
