//! Onboarding stages: the configuration API, the client's pending steps, and each stage
//! blocking what it should (sign-in, deposit, withdrawal) and nothing else.

use brokercrm_core::identity::auth::Role;
use brokercrm_store::repo::identity::users;
use sea_orm::Set;
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::assert::{assert_error, field_of};
use crate::helpers::http::{get, post, put};
use crate::helpers::money::enable_test_provider;
use crate::helpers::platform::audit_count;
use crate::helpers::users::PASSWORD;

async fn stage(t: &TestApp, admin: &str, step: &str, stage: Option<&str>) {
    let (s, b) =
        put(t, admin, &format!("/api/onboarding-steps/{step}"), json!({"stage": stage})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["configuration"], json!({"step": step, "stage": stage}));
}

async fn confirm_email(t: &TestApp, id: i64) {
    let conn = t.app.db().conn();
    let row = users::find_by_id(conn, id).await.unwrap().unwrap();
    let mut ch = users::changes(row);
    ch.confirmed_at = Set(Some(brokercrm_store::db::now()));
    users::save(conn, ch).await.unwrap();
}

async fn login(t: &TestApp, email: &str) -> (u16, Value) {
    let r = t
        .server
        .post("/api/sessions")
        .json(&json!({"username": email, "password": PASSWORD}))
        .await;
    (r.status_code().as_u16(), r.json())
}

#[tokio::test]
async fn configuration_is_listed_validated_and_audited() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    // Public reads: the portal shows them before sign-in.
    let r = t.server.get("/api/onboarding-stages").await;
    assert_eq!(
        r.json::<Value>(),
        json!({"stages": ["SignUp", "BeforeSignIn", "BeforeDeposit", "BeforeWithdrawal"]})
    );
    let b: Value = t.server.get("/api/onboarding-steps").await.json();
    let list = b["configurations"].as_array().unwrap();
    assert_eq!(list.len(), 8, "{b}");
    assert_eq!(list[0], json!({"step": "SignupDemoForm", "stage": "SignUp"}));
    assert_eq!(list[5], json!({"step": "KYC", "stage": null}));

    stage(&t, &admin, "KYC", Some("BeforeDeposit")).await;
    let b: Value = t.server.get("/api/onboarding-steps").await.json();
    assert_eq!(b["configurations"][5], json!({"step": "KYC", "stage": "BeforeDeposit"}));
    assert_eq!(audit_count(&t, &admin, "onboarding.step_update").await, 1);

    // A step that needs a session cannot be required before sign-in; unknown stages and
    // steps are refused; nothing changes.
    for (step, body, status, field) in [
        ("KYC", json!({"stage": "BeforeSignIn"}), 422, Some("stage")),
        ("PhoneConfirmation", json!({"stage": "SignUp"}), 422, Some("stage")),
        ("KYC", json!({"stage": "Later"}), 422, Some("stage")),
        ("Nap", json!({"stage": "BeforeDeposit"}), 404, None),
    ] {
        let (s, b) = put(&t, &admin, &format!("/api/onboarding-steps/{step}"), body).await;
        assert_eq!(s, status, "{step}: {b}");
        if let Some(f) = field {
            assert_eq!(field_of(&b), f, "{b}");
        }
    }
    let b: Value = t.server.get("/api/onboarding-steps").await.json();
    assert_eq!(b["configurations"][5]["stage"], "BeforeDeposit");
    // Only ManageOnboarding may change it.
    let (manager, _) = t.mint_token(Role::Manager).await;
    let (s, b) = put(&t, &manager, "/api/onboarding-steps/KYC", json!({"stage": null})).await;
    assert_eq!(s, 403, "{b}");
    assert_error(&b, "forbidden");
}

#[tokio::test]
async fn each_stage_blocks_what_it_should_and_nothing_else() {
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    enable_test_provider(&t, &admin).await;
    let c = t.customer().admin(&admin).with_wallet("USD", 500).create().await;
    let w = c.wallets[0];
    let deposit = |token: String| {
        let t = &t;
        async move {
            post(
                t,
                &token,
                "/api/me/deposits",
                json!({"provider": "test", "walletId": w, "amount": 10}),
            )
            .await
        }
    };
    let withdraw = |token: String| {
        let t = &t;
        async move {
            let body =
                json!({"provider": "test", "walletId": w, "amount": 10, "walletAddress": "a"});
            post(t, &token, "/api/me/withdrawals", body).await
        }
    };
    let pending = |stage: &'static str| {
        let (t, token) = (&t, c.token.clone());
        async move {
            let (s, b) =
                get(t, &token, &format!("/api/me/onboarding-stages/{stage}/pending-steps")).await;
            assert_eq!(s, 200, "{b}");
            b["steps"].clone()
        }
    };

    // Nothing configured beyond the sign-up forms: nothing is pending, nothing blocked.
    assert_eq!(pending("BeforeWithdrawal").await, json!([]));
    assert_eq!(login(&t, &c.email).await.0, 200);

    // BeforeSignIn: e-mail confirmation. Sign-in refused with the step named, staff untouched.
    stage(&t, &admin, "EmailConfirmation", Some("BeforeSignIn")).await;
    let (s, b) = login(&t, &c.email).await;
    assert_eq!(s, 403, "{b}");
    assert_eq!(b["error"]["details"]["missing"], json!(["EmailConfirmation"]), "{b}");
    assert!(b.get("token").is_none(), "{b}");
    let staff = t.user(Role::Manager).create().await;
    assert_eq!(login(&t, &staff.email).await.0, 200);
    // An existing access token still works for money (stages are cumulative: the sign-in
    // step is pending before a deposit too).
    let (s, b) = deposit(c.token.clone()).await;
    assert_eq!((s, b["error"]["details"]["missing"].clone()), (403, json!(["EmailConfirmation"])));
    confirm_email(&t, c.id).await;
    let (s, b) = login(&t, &c.email).await;
    assert_eq!(s, 200, "{b}");
    let token = b["token"].as_str().unwrap().to_owned();

    // BeforeWithdrawal: KYC. Deposits pass, withdrawals are refused and write nothing.
    stage(&t, &admin, "KYC", Some("BeforeWithdrawal")).await;
    assert_eq!(pending("BeforeDeposit").await, json!([]));
    assert_eq!(pending("BeforeWithdrawal").await, json!(["KYC"]));
    let (s, b) = deposit(token.clone()).await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = withdraw(token.clone()).await;
    assert_eq!(s, 403, "{b}");
    assert_eq!(b["error"]["details"]["missing"], json!(["KYC"]));
    assert!(b["error"]["message"].as_str().unwrap().contains("KYC"), "{b}");

    // BeforeDeposit: the phone and the deposit form. Both named, in order, in one error.
    stage(&t, &admin, "PhoneConfirmation", Some("BeforeDeposit")).await;
    stage(&t, &admin, "CompleteAccountBeforeDepositForm", Some("BeforeDeposit")).await;
    let (s, b) = deposit(token.clone()).await;
    assert_eq!(s, 403, "{b}");
    assert_eq!(
        b["error"]["details"]["missing"],
        json!(["CompleteAccountBeforeDepositForm", "PhoneConfirmation"])
    );
    let (s, b) = withdraw(token.clone()).await;
    assert_eq!(
        (s, b["error"]["details"]["missing"].clone()),
        (403, json!(["CompleteAccountBeforeDepositForm", "KYC", "PhoneConfirmation"]))
    );
    // Sign-in is not affected by the later stages.
    assert_eq!(login(&t, &c.email).await.0, 200);

    // Back to no stage: nothing is gated.
    for step in
        ["PhoneConfirmation", "CompleteAccountBeforeDepositForm", "KYC", "EmailConfirmation"]
    {
        stage(&t, &admin, step, None).await;
    }
    assert_eq!(withdraw(token.clone()).await.0, 200);
    // Unknown stage → 404; staff have nothing pending.
    assert_eq!(get(&t, &token, "/api/me/onboarding-stages/Later/pending-steps").await.0, 404);
}
