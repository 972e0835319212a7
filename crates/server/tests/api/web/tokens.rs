//! The affiliate tokens screen and an offer's rotation: a token issued in the portal (shown
//! once) pushes leads to the offer it defaults to, through the rotation saved in the portal;
//! paused, it stops; bad input is named beside its field and changes nothing.

use brokercrm_core::identity::auth::Role;

use crate::helpers::TestApp;
use crate::helpers::distribution::{Affiliate, internal_crm, offer, push, seed_body};
use crate::helpers::users::PASSWORD;
use crate::helpers::web::login;

/// The text of `<code id="secret-value">…</code>` in `html`.
fn secret_in(html: &str) -> String {
    let marker = "<code id=\"secret-value\">";
    let start = html.find(marker).map(|i| i + marker.len()).expect("a secret on the page");
    html[start..].split('<').next().unwrap_or_default().to_owned()
}

#[tokio::test]
async fn a_token_issued_in_the_portal_pushes_through_the_rotation_saved_there() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let aff = t.user(Role::Affiliate).create().await;
    let o = offer(&t, "Main offer", "priority").await;
    let crm = internal_crm(&t, "House CRM").await;
    let p = login(&t, &admin.email, PASSWORD).await;

    // The rotation: a bad priority is named beside its field; then the CRM is put in.
    let rotation = format!("/admin/offers/{}/rotation", o.uuid);
    let (inn, prio, weight, active) = (
        format!("in-{}", crm.uuid),
        format!("priority-{}", crm.uuid),
        format!("weight-{}", crm.uuid),
        format!("active-{}", crm.uuid),
    );
    let bad = [
        (inn.as_str(), "1"),
        (prio.as_str(), "5000"),
        (weight.as_str(), "1"),
        (active.as_str(), "1"),
    ];
    let r = p.post(&t, &rotation, &bad).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains(&format!("id=\"rotation-form-{prio}-error\"")), "{}", r.text());
    let ok = [
        (inn.as_str(), "1"),
        (prio.as_str(), "10"),
        (weight.as_str(), "1"),
        (active.as_str(), "1"),
    ];
    assert_eq!(p.post(&t, &rotation, &ok).await.status_code(), 303);

    // A token with a bad IP is refused beside the field; none is issued.
    let base = [("affiliate", aff.uuid.as_str()), ("name", "Main"), ("offer", o.uuid.as_str())];
    let mut bad = base.to_vec();
    bad.push(("ips", "203.0.113.0/24\nnot-an-ip"));
    let r = p.post(&t, "/admin/affiliate-tokens", &bad).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"token-form-ips-error\""), "{}", r.text());
    assert!(!p.get(&t, "/admin/affiliate-tokens").await.text().contains("<td>Main</td>"));

    let r = p.post(&t, "/admin/affiliate-tokens", &base).await;
    assert_eq!(r.status_code(), 200, "{}", r.text());
    let token = secret_in(&r.text());
    let a = Affiliate { id: aff.id, token, token_id: 0 };
    let r = push(&t, &a, &seed_body()).await;
    assert_eq!(r.status_code(), 200, "{}", r.text());

    // Listed for this affiliate only; paused, its pushes are refused.
    let list = p.get(&t, &format!("/admin/affiliate-tokens?affiliate={}", aff.uuid)).await.text();
    assert!(list.contains("<td>Main</td>") && !list.contains(&a.token), "never the secret");
    let at = list.find("/pause\"").expect("a pause action");
    let start = list[..at].rfind('"').unwrap() + 1;
    let pause = format!("{}/pause", &list[start..at]);
    assert_eq!(p.post(&t, &pause, &[]).await.status_code(), 303);
    assert_ne!(push(&t, &a, &seed_body()).await.status_code(), 200);
    assert!(p.get(&t, "/admin/affiliate-tokens").await.text().contains("paused"));
}
