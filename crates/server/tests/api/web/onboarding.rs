//! The onboarding screen: each step's stage saved all or none (a stage that cannot hold a
//! step is shown beside it, nothing stored), the field matrix replacing the configurations,
//! and read-only for roles without ManageOnboarding.

use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::get;
use crate::helpers::users::PASSWORD;
use crate::helpers::web::{location, login};

async fn stage_of(t: &TestApp, step: &str) -> Value {
    let b: Value = t.server.get("/api/onboarding-steps").await.json();
    let list = b["configurations"].as_array().unwrap().clone();
    list.into_iter().find(|c| c["step"] == step).unwrap()["stage"].clone()
}

#[tokio::test]
async fn stages_are_saved_all_or_none_with_errors_beside_the_step() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let html = p.get(&t, "/admin/onboarding").await.text();
    for step in ["SignupDemoForm", "KYC", "DisclaimerBeforeDeposit", "EmailConfirmation"] {
        assert!(html.contains(&format!("id=\"step-{step}\"")), "{step}: {html}");
    }
    // KYC needs a session: not before sign-in. The other change in the same form is not kept.
    let form = [
        ("KYC", "BeforeSignIn"),
        ("EmailConfirmation", "BeforeSignIn"),
        ("SignupDemoForm", "SignUp"),
    ];
    let r = p.post(&t, "/admin/onboarding/steps", &form).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(html.contains("id=\"step-KYC-error\""), "{html}");
    assert!(html.contains("KYC cannot be required at stage BeforeSignIn"), "{html}");
    assert!(html.contains("<option value=\"BeforeSignIn\" selected>"), "what was typed is kept");
    assert_eq!(stage_of(&t, "KYC").await, Value::Null);
    assert_eq!(stage_of(&t, "EmailConfirmation").await, Value::Null, "all or none");

    let form =
        [("KYC", "BeforeDeposit"), ("EmailConfirmation", "BeforeSignIn"), ("SignupDemoForm", "")];
    let r = p.post(&t, "/admin/onboarding/steps", &form).await;
    assert_eq!(
        (r.status_code().as_u16(), location(&r)),
        (303, "/admin/onboarding?done=saved".into())
    );
    assert_eq!(stage_of(&t, "KYC").await, "BeforeDeposit");
    assert_eq!(stage_of(&t, "EmailConfirmation").await, "BeforeSignIn");
    assert_eq!(stage_of(&t, "SignupDemoForm").await, Value::Null);
    let html = p.get(&t, "/admin/onboarding?done=saved").await.text();
    assert!(html.contains("Saved."), "{html}");
}

#[tokio::test]
async fn the_field_matrix_replaces_the_configurations() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let p = login(&t, &admin.email, PASSWORD).await;
    let form = [
        ("SignupRealForm.mobilenumber.required", "1"),
        ("SignupRealForm.email.shown", "1"),
        ("SignupRealForm.email.editable", "1"),
        ("profile.email.shown", "1"),
    ];
    let r = p.post(&t, "/admin/onboarding/fields", &form).await;
    assert_eq!(
        (r.status_code().as_u16(), location(&r)),
        (303, "/admin/onboarding?done=saved".into())
    );
    let (s, b) = get(&t, &admin.token, "/api/customer-field-configurations").await;
    assert_eq!(s, 200, "{b}");
    let set = b["customerFieldConfigurations"].as_array().unwrap();
    let want = [
        json!({"field": "mobilenumber", "step": "SignupRealForm", "required": true, "editable": false}),
        json!({"field": "email", "step": "SignupRealForm", "required": false, "editable": true}),
        json!({"field": "email", "step": null, "required": false, "editable": false}),
    ];
    for w in &want {
        assert!(set.contains(w), "{w} in {b}");
    }
    assert_eq!(set.len(), want.len(), "{b}");
    let html = p.get(&t, "/admin/onboarding").await.text();
    assert!(
        html.contains("id=\"SignupRealForm-mobilenumber-required\" name=\"SignupRealForm.mobilenumber.required\" value=\"1\" checked"),
        "{html}"
    );

    // An unknown form or field is refused by the use case, named, and nothing changes.
    let r = p.post(&t, "/admin/onboarding/fields", &[("Bogus.email.shown", "1")]).await;
    assert_eq!(r.status_code(), 422);
    let html = r.text();
    assert!(html.contains("Bogus email") && html.contains("unknown onboarding step"), "{html}");
    let (_, after) = get(&t, &admin.token, "/api/customer-field-configurations").await;
    assert_eq!(after, b, "nothing changed");
}

#[tokio::test]
async fn roles_without_manage_onboarding_only_read() {
    let t = TestApp::spawn().await;
    let manager = t.user(Role::Manager).create().await;
    let p = login(&t, &manager.email, PASSWORD).await;
    let r = p.get(&t, "/admin/onboarding").await;
    assert_eq!(r.status_code(), 200);
    assert!(r.text().contains("<fieldset disabled>"), "{}", r.text());
    let r = p.post(&t, "/admin/onboarding/steps", &[("KYC", "BeforeDeposit")]).await;
    assert_eq!(r.status_code(), 403);
    let r = p.post(&t, "/admin/onboarding/fields", &[("profile.email.shown", "1")]).await;
    assert_eq!(r.status_code(), 403);
    assert_eq!(stage_of(&t, "KYC").await, Value::Null);
}
