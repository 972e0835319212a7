//! Forms and customer field configurations: the API, and the rules applied to sign-up
//! (required fields of the sign-up form) and to profile changes (editable fields).

use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::identity::users;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::{assert_error, field_of, fields};
use crate::helpers::http::{get, put};
use crate::helpers::users::PASSWORD;

fn signup(email: &str, country: Option<&str>, skip: &[&str]) -> Value {
    let mut b = json!({
        "firstname": "Ada", "lastname": "Lovelace", "email": email,
        "communicationLanguage": "en", "skipOnboardingSteps": skip
    });
    if let Some(c) = country {
        b["country"] = json!(c);
    }
    b
}

#[tokio::test]
async fn configurations_are_read_replaced_and_validated() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    // The sign-up form's defaults, public.
    let b: Value = t.server.get("/api/forms/SignupRealForm").await.json();
    let form = b["customerFieldConfigurations"].as_array().unwrap();
    assert!(
        form.contains(
            &json!({"field": "email", "step": "SignupRealForm", "required": true, "editable": true})
        ),
        "{b}"
    );
    assert_eq!(t.server.get("/api/forms/Nap").await.status_code().as_u16(), 404);
    // The list needs a session.
    assert_eq!(
        t.server.get("/api/customer-field-configurations").await.status_code().as_u16(),
        401
    );

    let set = json!([
        {"field": "country", "step": "SignupRealForm", "required": true, "editable": true},
        {"field": "email", "step": null, "required": true, "editable": false}
    ]);
    let (s, b) = put(&t, &admin, "/api/customer-field-configurations", set.clone()).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["customerFieldConfigurations"], set);
    let (customer, _) = t.mint_token(Role::Customer).await;
    let (s, b) = get(&t, &customer, "/api/customer-field-configurations").await;
    assert_eq!((s, &b["customerFieldConfigurations"]), (200, &set));
    let b: Value = t.server.get("/api/forms/SignupRealForm").await.json();
    assert_eq!(b["customerFieldConfigurations"], json!([set[0]]));

    // Bad sets are refused whole, each problem named; nothing changes.
    let bad = json!([
        {"field": "shoeSize", "step": null, "required": true, "editable": true},
        {"field": "country", "step": "Nap", "required": true, "editable": true},
        {"field": "email", "step": null, "required": true, "editable": true},
        {"field": "email", "step": null, "required": false, "editable": true}
    ]);
    let (s, b) = put(&t, &admin, "/api/customer-field-configurations", bad).await;
    assert_eq!(s, 422, "{b}");
    assert_eq!(fields(&b), ["[0].field", "[1].step", "[3]"], "{b}");
    let (_, b) = get(&t, &admin, "/api/customer-field-configurations").await;
    assert_eq!(b["customerFieldConfigurations"], set);
    let (s, b) = put(&t, &customer, "/api/customer-field-configurations", json!([])).await;
    assert_eq!(s, 403, "{b}");
    assert_error(&b, "forbidden");
}

#[tokio::test]
async fn sign_up_and_profile_follow_the_field_configuration() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let set = json!([
        {"field": "country", "step": "SignupRealForm", "required": true, "editable": true},
        {"field": "firstname", "step": "SignupDemoForm", "required": true, "editable": true},
        {"field": "email", "step": null, "required": true, "editable": false},
        {"field": "lastname", "step": "CompleteAccountBeforeDepositForm", "required": true, "editable": false}
    ]);
    assert_eq!(put(&t, &admin, "/api/customer-field-configurations", set).await.0, 200);

    // The real-account form requires the country: refused naming it, nobody created.
    let r = t.server.post("/api/users").json(&signup("a@example.com", None, &[])).await;
    assert_eq!(r.status_code().as_u16(), 422, "{}", r.text());
    assert_eq!(field_of(&r.json()), "country");
    assert!(users::find_by_email(t.app.db().conn(), "a@example.com").await.unwrap().is_none());
    let r = t.server.post("/api/users").json(&signup("a@example.com", Some("DE"), &[])).await;
    assert_eq!(r.status_code().as_u16(), 201, "{}", r.text());
    // Skipping the real form applies the demo form, which does not ask for the country.
    let r =
        t.server.post("/api/users").json(&signup("b@example.com", None, &["SignupRealForm"])).await;
    assert_eq!(r.status_code().as_u16(), 201, "{}", r.text());
    // With the real form at no stage, the sign-up form requires nothing extra either.
    let (s, _) =
        put(&t, &admin, "/api/onboarding-steps/SignupRealForm", json!({"stage": null})).await;
    assert_eq!(s, 200);
    let r = t.server.post("/api/users").json(&signup("c@example.com", None, &[])).await;
    assert_eq!(r.status_code().as_u16(), 201, "{}", r.text());
    // Staff may create customers with less.
    let (s, b) = crate::helpers::http::post(
        &t,
        &admin,
        "/api/users",
        signup("d@example.com", None, &["SignupDemoForm"]),
    )
    .await;
    assert_eq!(s, 201, "{b}");

    // Profile: the e-mail (not editable in the profile) and the last name (not editable in
    // the only form that shows it) are refused, unchanged; the first name may change.
    let c = t.customer().name("Ada", "Lovelace").create().await;
    let upd = |body: Value| {
        let (t, token) = (&t, c.token.clone());
        async move { put(t, &token, "/api/me", body).await }
    };
    let (s, b) = upd(json!({"email": "new@example.com", "currentPassword": PASSWORD})).await;
    assert_eq!((s, field_of(&b)), (422, "email".to_owned()), "{b}");
    let (s, b) = upd(json!({"lastname": "Byron"})).await;
    assert_eq!((s, field_of(&b)), (422, "lastname".to_owned()), "{b}");
    let (s, b) = upd(json!({"firstname": "Augusta", "lastname": "Lovelace"})).await;
    assert_eq!(s, 200, "{b}");
    let row = users::find_by_id(t.app.db().conn(), c.id).await.unwrap().unwrap();
    assert_eq!(
        (row.firstname.as_deref(), row.lastname.as_deref()),
        (Some("Augusta"), Some("Lovelace"))
    );
    assert_eq!(row.email, c.email);
}
