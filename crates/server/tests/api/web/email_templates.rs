//! The e-mail template screens: a template that does not compile is refused beside its field
//! with line and reason, a preview renders what was typed with sample values (nothing
//! stored), create, edit, the test send, delete; only ManageEmailTemplates opens them.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login};

const MJML: &str = "<mjml><mj-body><mj-section><mj-column><mj-text>Hi {{ firstname }}</mj-text></mj-column></mj-section></mj-body></mjml>";

fn fields<'a>(mjml: &'a str, countries: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("enabled", "1"),
        ("title", "Welcome"),
        ("trigger", "user.signed_up"),
        ("subject", "Welcome, {{ firstname }}"),
        ("mjml", mjml),
        ("txt", "Hello {{ firstname }}"),
        ("countries", countries),
        ("languages", ""),
        ("account_type", ""),
        ("groups", ""),
    ]
}

async fn stored(t: &TestApp, token: &str) -> Vec<Value> {
    get(t, token, "/api/emails").await.1["emails"].as_array().unwrap().clone()
}

#[tokio::test]
async fn a_template_is_previewed_refused_created_edited_tested_and_deleted() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let html = p.get(&t, "/admin/email-templates").await.text();
    assert!(html.contains("No e-mail template yet."), "{html}");
    let html = p.get(&t, "/admin/email-templates/new").await.text();
    assert!(html.contains("<option value=\"kyc.approved\""), "the triggers: {html}");

    // A body that does not compile: beside the field, with its line; what was typed is kept.
    let broken = "<mjml><mj-body>\n{% if firstname %}\nnever closed</mj-body></mjml>";
    let r = p.post(&t, "/admin/email-templates", &fields(broken, "")).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(html.contains("id=\"template-form-mjml-error\""), "{html}");
    assert!(html.contains("does not compile: line"), "{html}");
    assert!(html.contains("never closed"), "what was typed is kept");
    let r = p.post(&t, "/admin/email-templates", &fields(MJML, "Germany")).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"template-form-countries-error\""), "{}", r.text());
    // A preview renders with sample values, in a sandboxed frame, and stores nothing.
    let r = p.post(&t, "/admin/email-templates/new/preview", &fields(MJML, "cy")).await;
    assert_eq!(r.status_code(), 200);
    let html = r.text();
    assert!(html.contains("id=\"preview-subject\">Welcome, [firstname]<"), "{html}");
    assert!(html.contains("sandbox srcdoc=\""), "{html}");
    assert!(html.contains("Hi [firstname]") && !html.contains("srcdoc=\"<"), "escaped: {html}");
    assert!(html.contains("id=\"preview-text\">Hello [firstname]<"), "{html}");
    assert!(stored(&t, &admin.token).await.is_empty());
    let r = p.post(&t, "/admin/email-templates/new/preview", &fields(broken, "")).await;
    assert_eq!(r.status_code(), 422);
    assert!(r.text().contains("id=\"template-form-mjml-error\""));

    // Created, with its conditions.
    let r = p.post(&t, "/admin/email-templates", &fields(MJML, "cy, de")).await;
    assert_eq!(r.status_code(), 303, "{}", r.text());
    let list = stored(&t, &admin.token).await;
    assert_eq!(list.len(), 1);
    let id = list[0]["id"].as_str().unwrap().to_owned();
    assert_eq!(location(&r), format!("/admin/email-templates/{id}?done=created"));
    assert_eq!(list[0]["conditions"], json!({"countries": ["CY", "DE"]}));
    let page = format!("/admin/email-templates/{id}");
    let html = p.get(&t, &page).await.text();
    assert!(html.contains("id=\"preview-html\"") && html.contains("value=\"CY, DE\""), "{html}");

    // Edited: disabled and renamed.
    let mut edit = fields(MJML, "");
    edit.retain(|(k, _)| *k != "enabled");
    edit.retain(|(k, _)| *k != "title");
    edit.push(("title", "Hello again"));
    let r = p.post(&t, &page, &edit).await;
    assert_eq!((r.status_code().as_u16(), location(&r)), (303, format!("{page}?done=saved")));
    let list = stored(&t, &admin.token).await;
    assert_eq!(
        (list[0]["title"].as_str(), list[0]["enabled"].as_bool()),
        (Some("Hello again"), Some(false))
    );
    assert_eq!(list[0]["conditions"], json!({}));

    // A test goes to the user's own address with sample values.
    let r = p.post(&t, &format!("{page}/test"), &[]).await;
    assert_eq!((r.status_code().as_u16(), location(&r)), (303, format!("{page}?done=test")));
    t.run_jobs().await;
    let mail = t.emails.last().expect("test e-mail");
    assert_eq!(
        (mail.to.as_str(), mail.subject.as_str()),
        (admin.email.as_str(), "Welcome, [firstname]")
    );

    let r = p.post(&t, &format!("{page}/delete"), &[]).await;
    assert_eq!(
        (r.status_code().as_u16(), location(&r)),
        (303, "/admin/email-templates?done=deleted".into())
    );
    assert!(stored(&t, &admin.token).await.is_empty());
    assert_eq!(p.get(&t, &page).await.status_code(), 404);
}

#[tokio::test]
async fn only_manage_email_templates_opens_the_screens() {
    let t = TestApp::spawn().await;
    let manager = t.user(Role::Manager).create().await;
    let p = login(&t, &manager.email, PASSWORD).await;
    for path in ["/admin/email-templates", "/admin/email-templates/new"] {
        assert_eq!(p.get(&t, path).await.status_code(), 403, "{path}");
    }
    let r = p.post(&t, "/admin/email-templates", &fields(MJML, "")).await;
    assert_eq!(r.status_code(), 403);
    let r = p.post(&t, "/admin/email-templates/new/preview", &fields(MJML, "")).await;
    assert_eq!(r.status_code(), 403);
}
