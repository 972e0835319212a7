//! E-mail templates: validation (a template that does not compile names line and reason),
//! CRUD, triggers, conditions, escaping of customer data, once per (event, template,
//! recipient), the test send.

use brokercrm_app::messaging::delivery::on_event;
use brokercrm_core::identity::auth::Role;
use brokercrm_core::messaging::triggers::Trigger;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::{assert_error, field_of};
use crate::helpers::http::{delete, get, post, post_empty, put};
use crate::helpers::platform::audit_count;

const MJML: &str = "<mjml><mj-body><mj-section><mj-column><mj-text>Welcome {{ firstname }} {{ lastname }}!</mj-text></mj-column></mj-section></mj-body></mjml>";

fn template(trigger: &str, conditions: Value) -> Value {
    json!({"enabled": true, "title": "Welcome", "subject": "Welcome, {{ firstname }}",
           "mjml": MJML, "txt": "Hello {{ firstname }}", "trigger": trigger, "conditions": conditions})
}

fn signup(email: &str, first: &str, country: &str) -> Value {
    json!({"firstname": first, "lastname": "Doe", "email": email, "country": country,
           "skipOnboardingSteps": ["SignupDemoForm"]})
}

#[tokio::test]
async fn templates_are_checked_stored_and_listed() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (s, b) = get(&t, &admin, "/api/emails/triggers").await;
    assert_eq!(s, 200, "{b}");
    let signup_trigger =
        b["triggers"].as_array().unwrap().iter().find(|x| x["name"] == "user.signed_up");
    assert!(signup_trigger.unwrap()["variables"].as_array().unwrap().contains(&json!("firstname")));
    let (customer, _) = t.mint_token(Role::Customer).await;
    let (s, b) = get(&t, &customer, "/api/emails").await;
    assert_eq!(s, 403, "{b}");
    assert_error(&b, "forbidden");

    // Refused, naming the field; a template error names its line and reason.
    let mut broken = template("user.signed_up", json!({}));
    broken["txt"] = json!("Hello\n{% if firstname %}\nnever closed");
    let (s, b) = post(&t, &admin, "/api/emails", broken).await;
    assert_eq!((s, field_of(&b)), (422, "txt".into()), "{b}");
    let msg = b["error"]["message"].as_str().unwrap();
    assert!(msg.contains("line 2") || msg.contains("line 3"), "{msg}");
    let mut bad_mjml = template("user.signed_up", json!({}));
    bad_mjml["mjml"] =
        json!("<mjml><mj-body><mj-section>{{ firstname }</mj-section></mj-body></mjml>");
    assert_eq!(field_of(&post(&t, &admin, "/api/emails", bad_mjml).await.1), "mjml");
    let (s, b) = post(&t, &admin, "/api/emails", template("user.birthday", json!({}))).await;
    assert_eq!((s, field_of(&b)), (422, "trigger".into()), "{b}");
    let (s, b) = post(
        &t,
        &admin,
        "/api/emails",
        template("user.signed_up", json!({"countries": ["Germany"]})),
    )
    .await;
    assert_eq!((s, field_of(&b)), (422, "conditions.countries[0]".into()), "{b}");
    assert_eq!(get(&t, &admin, "/api/emails").await.1["emails"], json!([]));

    let (s, b) =
        post(&t, &admin, "/api/emails", template("user.signed_up", json!({"countries": ["de"]})))
            .await;
    assert_eq!(s, 201, "{b}");
    let id = b["email"]["id"].as_str().unwrap().to_owned();
    assert_eq!(b["email"]["conditions"], json!({"countries": ["DE"]}));
    let (s, b) =
        put(&t, &admin, &format!("/api/emails/{id}"), json!({"title": "Hello", "enabled": false}))
            .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(
        (b["updatedTemplate"]["title"].as_str(), b["updatedTemplate"]["enabled"].as_bool()),
        (Some("Hello"), Some(false))
    );
    assert_eq!(b["updatedTemplate"]["mjml"], MJML, "fields not sent are kept");
    let (s, b) = get(&t, &admin, &format!("/api/emails/{id}")).await;
    assert_eq!((s, b["email"]["title"].as_str()), (200, Some("Hello")));

    // The test send goes to the caller, with sample values.
    let (s, b) = post_empty(&t, &admin, &format!("/api/emails/{id}/test")).await;
    assert_eq!(s, 200, "{b}");
    t.run_jobs().await;
    let mail = t.emails.last().expect("test e-mail");
    assert_eq!(mail.subject, "Welcome, [firstname]");
    assert!(mail.html.unwrap().contains("Welcome [firstname] [lastname]!"));

    assert_eq!(delete(&t, &admin, &format!("/api/emails/{id}")).await.0, 200);
    assert_eq!(get(&t, &admin, &format!("/api/emails/{id}")).await.0, 404);
    assert_eq!(audit_count(&t, &admin, "email_template.create").await, 1);
    assert_eq!(audit_count(&t, &admin, "email_template.delete").await, 1);
}

#[tokio::test]
async fn sign_up_sends_the_template_escaped_to_matching_customers_once() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let (s, b) =
        post(&t, &admin, "/api/emails", template("user.signed_up", json!({"countries": ["DE"]})))
            .await;
    assert_eq!(s, 201, "{b}");
    let evil = "<img src=x onerror=alert(1)>";
    let r = t.server.post("/api/users").json(&signup("eve@example.com", evil, "DE")).await;
    assert_eq!(r.status_code().as_u16(), 201, "{}", r.text());
    let r = t.server.post("/api/users").json(&signup("fr@example.com", "Jean", "FR")).await;
    assert_eq!(r.status_code().as_u16(), 201, "{}", r.text());
    t.emails.take();
    t.run_jobs().await;
    let sent: Vec<_> =
        t.emails.take().into_iter().filter(|m| m.subject.starts_with("Welcome")).collect();
    assert_eq!(sent.len(), 1, "only the customer in DE: {sent:?}");
    let m = &sent[0];
    assert_eq!(m.to, "eve@example.com");
    let html = m.html.clone().unwrap();
    assert!(!html.contains("<img src=x"), "{html}");
    assert!(html.contains("&lt;img src=x onerror=alert(1)&gt;"), "{html}");
    assert_eq!(m.text, format!("Hello {evil}"), "the plain-text part is not HTML");

    // The same event twice sends once.
    let user =
        brokercrm_store::repo::identity::users::find_by_email(t.app.db().conn(), "eve@example.com")
            .await
            .unwrap()
            .unwrap();
    for _ in 0..2 {
        on_event(
            t.app.db().conn(),
            Trigger::SignUp,
            user.id,
            "signup:again".into(),
            Default::default(),
        )
        .await
        .unwrap();
        t.run_jobs().await;
    }
    assert_eq!(t.emails.take().len(), 1);
}

#[tokio::test]
async fn kyc_decisions_send_their_templates() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let mut tpl = template("kyc.approved", json!({}));
    tpl["subject"] = json!("You are verified, {{ firstname }}");
    assert_eq!(post(&t, &admin, "/api/emails", tpl).await.0, 201);
    let c = t.customer().name("Ada", "Lovelace").create().await;
    let (s, b) = post_empty(&t, &admin, &format!("/api/customers/{}/kyc/approve", c.uuid)).await;
    assert_eq!(s, 200, "{b}");
    t.run_jobs().await;
    let mail = t.emails.last().expect("kyc e-mail");
    assert_eq!(
        (mail.to.as_str(), mail.subject.as_str()),
        (c.email.as_str(), "You are verified, Ada")
    );
}
