//! Issue 14, findings 2, 4 and 5: impersonation only within scope and without the account's
//! keys (e-mail, password, withdrawals, transfers, API keys), every write audited under the
//! impersonator; an API key dies with its owner (and the admin route that disables users ends
//! their sessions at once); sessions end: `GET /api/me` mints nothing, logout revokes the
//! family, a password reset or change kills access tokens at once, and exports take only
//! one-time download tokens in their URL.

use axum::http::StatusCode;
use brokercrm_core::identity::auth::Role;
use brokercrm_store::entities::{refresh_tokens, user_tokens};
use brokercrm_store::repo::identity::users;
use brokercrm_store::repo::platform::activities::{self, ActivityFilter};
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::helpers::http::{get, post, put};
use crate::helpers::money::{balance, enable_test_provider, transfer};
use crate::helpers::sales::{on_desk, world};
use crate::helpers::users::{PASSWORD as PW, User};

async fn impersonate(t: &TestApp, staff: &str, customer_id: Value) -> (u16, Value) {
    post(t, staff, "/api/sessions/impersonate", json!({ "customerId": customer_id })).await
}

/// Asserts a 403 whose message says an impersonation token may not do this.
fn assert_refused(s: u16, b: &Value) {
    assert_eq!(s, 403, "{b}");
    assert_eq!(b["error"]["code"], "forbidden", "{b}");
    let msg = b["error"]["message"].as_str().unwrap_or_default();
    assert!(msg.contains("impersonation token"), "{b}");
}

/// Audit entries of `kind` whose actor is `actor_id`.
async fn audited_for(t: &TestApp, kind: &str, actor_id: i64) -> usize {
    let f = ActivityFilter { kind: Some(kind.to_owned()), ..Default::default() };
    let (rows, _) = activities::list(t.app.db().conn(), &f, 100, 0).await.unwrap();
    rows.iter().filter(|r| r.actor_id == Some(actor_id)).count()
}

#[tokio::test]
async fn owasp_02_impersonation_stays_in_scope_and_cannot_take_the_account_over() {
    let t = TestApp::spawn().await;
    let w = world(&t).await;
    let admin = &w.admin.token;
    enable_test_provider(&t, admin).await;
    let mine =
        t.customer().admin(admin).with_wallet("USD", 500).with_wallet("USD", 0).create().await;
    let theirs = t.customer().admin(admin).with_wallet("USD", 500).create().await;
    on_desk(&t, mine.id, w.desk_a).await;
    on_desk(&t, theirs.id, w.desk_b).await;
    let manager = &w.manager_a;

    // Out of scope, by public id and by numeric id: 404 like an unknown customer; staff users
    // are not customers (404 too); a manager without a desk reaches nobody.
    for id in [json!(theirs.uuid), json!(theirs.id.to_string()), json!(w.b1.uuid)] {
        let (s, b) = impersonate(&t, &manager.token, id.clone()).await;
        assert_eq!(s, 404, "{id}: {b}");
        assert_eq!(b["error"]["code"], "not_found");
    }
    let deskless = t.user(Role::Manager).create().await;
    let (s, _) = impersonate(&t, &deskless.token, json!(mine.uuid)).await;
    assert_eq!(s, 404);
    assert_eq!(audited_for(&t, "customer.impersonate", manager.id).await, 0);

    // In scope, by numeric id.
    let (s, b) = impersonate(&t, &manager.token, json!(mine.id.to_string())).await;
    assert_eq!(s, 200, "{b}");
    let imp = b["token"].as_str().unwrap().to_owned();
    assert_eq!(audited_for(&t, "customer.impersonate", manager.id).await, 1);

    // The account's keys stay out of reach: e-mail, password, transfers, withdrawals, API keys.
    let (s, b) =
        put(&t, &imp, "/api/me", json!({"email": "taken-over@example.com", "currentPassword": PW}))
            .await;
    assert_refused(s, &b);
    let (s, b) =
        put(&t, &imp, "/api/me", json!({"newPassword": "Own3dNow!", "currentPassword": PW})).await;
    assert_refused(s, &b);
    let [a, other] = mine.wallet_ids::<2>();
    let (s, b) = transfer(
        &t,
        &imp,
        None,
        json!({"sourceWalletId": a, "targetWalletId": other, "amount": 100}),
    )
    .await;
    assert_refused(s, &b);
    let withdrawal =
        json!({"provider": "test", "currency": "USD", "amount": 100, "walletAddress": "attacker"});
    let (s, b) = post(&t, &imp, "/api/me/withdrawals", withdrawal.clone()).await;
    assert_refused(s, &b);
    let (s, b) = post(&t, &imp, "/api/api-keys", json!({"name": "k", "role": "customer"})).await;
    assert_refused(s, &b);
    let (s, b) = impersonate(&t, &imp, json!(theirs.uuid)).await;
    assert_eq!(s, 403, "{b}");

    // Nothing changed: the e-mail, the password, the balances, no API key, no withdrawal.
    let row = users::find_by_id(t.app.db().conn(), mine.id).await.unwrap().unwrap();
    assert_eq!(row.email, mine.email);
    t.login(&mine.email, PW).await;
    assert_eq!(balance(&t, admin, a).await["balance"], "500");
    assert_eq!(balance(&t, admin, other).await["balance"], "0");
    let (s, b) = get(&t, admin, "/api/api-keys").await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b.as_array().map_or(0, Vec::len), 0, "{b}");
    let (s, b) = get(&t, &mine.token, "/api/me/withdrawals/current").await;
    assert_eq!(s, 200, "{b}");
    assert!(b["withdrawal"].is_null(), "{b}");

    // A harmless write works and, like every write with the token (the refused ones too), is
    // audited under the manager's id.
    let (s, b) = put(&t, &imp, "/api/me", json!({"firstname": "Changed"})).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(audited_for(&t, "impersonation.write", manager.id).await, 7);
    assert_eq!(audited_for(&t, "impersonation.write", mine.id).await, 0);

    // Support sees every customer, and still may not withdraw for one.
    let support = t.user(Role::Support).create().await;
    let (s, b) = impersonate(&t, &support.token, json!(theirs.uuid)).await;
    assert_eq!(s, 200, "{b}");
    let (s, b) = post(&t, b["token"].as_str().unwrap(), "/api/me/withdrawals", withdrawal).await;
    assert_refused(s, &b);
    assert_eq!(balance(&t, admin, theirs.wallets[0]).await["balance"], "500");
}

async fn set_status(t: &TestApp, token: &str, uuid: &str, status: &str) -> (u16, Value) {
    put(t, token, &format!("/api/users/{uuid}/status"), json!({ "status": status })).await
}

/// Logs in; returns (access token, refresh token).
async fn session(t: &TestApp, email: &str, password: &str) -> (String, String) {
    let r = t
        .server
        .post("/api/sessions")
        .json(&json!({"username": email, "password": password}))
        .await;
    r.assert_status_ok();
    let b: Value = r.json();
    (b["token"].as_str().unwrap().to_owned(), b["refreshToken"].as_str().unwrap().to_owned())
}

async fn refresh(t: &TestApp, refresh_token: &str) -> StatusCode {
    t.server
        .post("/api/sessions/refresh")
        .json(&json!({ "refreshToken": refresh_token }))
        .await
        .status_code()
}

#[tokio::test]
async fn owasp_04_a_disabled_owners_api_key_and_sessions_end_at_once() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let owner = t.user(Role::Affiliate).create().await;
    let (s, b) = post(
        &t,
        &admin.token,
        "/api/api-keys",
        json!({"name": "feed", "role": "affiliate", "ownerId": owner.uuid}),
    )
    .await;
    assert_eq!(s, 201, "{b}");
    let key = b["key"].as_str().unwrap().to_owned();
    let staff_key =
        post(&t, &admin.token, "/api/api-keys", json!({"name": "ops", "role": "support"})).await.1
            ["key"]
            .as_str()
            .unwrap()
            .to_owned();
    let (access, rt) = session(&t, &owner.email, PW).await;
    for token in [&key, &access] {
        let (s, b) = get(&t, token, "/api/me").await;
        assert_eq!((s, b["user"]["id"].as_str()), (200, Some(owner.uuid.as_str())), "{b}");
    }

    // Only an admin may; not on oneself; a bad status or an unknown user changes nothing.
    let manager = t.user(Role::Manager).create().await;
    assert_eq!(set_status(&t, &manager.token, &owner.uuid, "DISABLED").await.0, 403);
    let (s, b) = set_status(&t, &admin.token, &admin.uuid, "DISABLED").await;
    assert_eq!((s, b["error"]["details"]["fields"][0]["field"].as_str()), (422, Some("id")), "{b}");
    let (s, b) = set_status(&t, &admin.token, &owner.uuid, "GONE").await;
    assert_eq!((s, b["error"]["details"]["fields"][0]["field"].as_str()), (422, Some("status")));
    assert_eq!(set_status(&t, &admin.token, "no-such-user", "DISABLED").await.0, 404);
    assert_eq!(get(&t, &key, "/api/me").await.0, 200);

    // Disabled: the key, the access token (cached a moment ago) and the refresh token fail now.
    let (s, b) = set_status(&t, &admin.token, &owner.uuid, "disabled").await;
    assert_eq!((s, b), (200, json!({"id": owner.uuid, "status": "DISABLED"})));
    let (s, b) = get(&t, &key, "/api/me").await;
    assert_eq!((s, b["error"]["code"].as_str()), (401, Some("unauthorized")), "{b}");
    assert_eq!(get(&t, &access, "/api/me").await.0, 401);
    assert_eq!(refresh(&t, &rt).await, StatusCode::UNAUTHORIZED);
    let login =
        t.server.post("/api/sessions").json(&json!({"username": owner.email, "password": PW}));
    login.await.assert_status(StatusCode::UNAUTHORIZED);
    // An owner-less staff key is not affected.
    assert_eq!(get(&t, &staff_key, "/api/sales-statuses").await.0, 200);
    let f = ActivityFilter { kind: Some("user.status".into()), ..Default::default() };
    assert_eq!(activities::list(t.app.db().conn(), &f, 10, 0).await.unwrap().1, 1);

    // Enabled again: the key and a new login work; the old tokens stay dead.
    assert_eq!(set_status(&t, &admin.token, &owner.uuid, "ACTIVE").await.0, 200);
    assert_eq!(get(&t, &key, "/api/me").await.0, 200);
    assert_eq!(get(&t, &access, "/api/me").await.0, 401);
    assert_eq!(refresh(&t, &rt).await, StatusCode::UNAUTHORIZED);
    t.login(&owner.email, PW).await;
}

/// The refresh tokens of `user_id` that are neither spent nor revoked.
async fn live_refresh_tokens(t: &TestApp, user_id: i64) -> u64 {
    refresh_tokens::Entity::find()
        .filter(refresh_tokens::Column::UserId.eq(user_id))
        .filter(refresh_tokens::Column::UsedAt.is_null())
        .filter(refresh_tokens::Column::RevokedAt.is_null())
        .count(t.app.db().conn())
        .await
        .unwrap()
}

#[tokio::test]
async fn owasp_05_get_me_mints_nothing_and_logout_leaves_no_live_session() {
    let t = TestApp::spawn().await;
    let u: User = t.customer().create().await;
    let (access, rt) = session(&t, &u.email, PW).await;
    assert_eq!(live_refresh_tokens(&t, u.id).await, 1);
    for _ in 0..3 {
        let (s, b) = get(&t, &access, "/api/me").await;
        assert_eq!(s, 200, "{b}");
        assert!(b["refreshToken"].is_null(), "GET /api/me must not mint a session: {b}");
        assert_eq!(b["user"]["id"], u.uuid.as_str());
    }
    assert_eq!(live_refresh_tokens(&t, u.id).await, 1);

    // A rotation stays in the family; logout with the newest token revokes all of it.
    let r = t.server.post("/api/sessions/refresh").json(&json!({"refreshToken": rt})).await;
    r.assert_status_ok();
    let rt2 = r.json::<Value>()["refreshToken"].as_str().unwrap().to_owned();
    let r = t.server.delete("/api/sessions").json(&json!({"refreshToken": rt2})).await;
    r.assert_status_ok();
    assert_eq!(live_refresh_tokens(&t, u.id).await, 0);
    assert_eq!(refresh(&t, &rt2).await, StatusCode::UNAUTHORIZED);
    assert_eq!(refresh(&t, &rt).await, StatusCode::UNAUTHORIZED);
}

/// Requests a password reset for `email` and returns the e-mailed token.
async fn reset_token(t: &TestApp, email: &str) -> String {
    t.server.post("/api/forgot-password").json(&json!({"contact": email})).await.assert_status_ok();
    t.run_jobs().await;
    let mail = t.emails.last().expect("reset e-mail");
    let start = mail.text.find("token=").unwrap() + "token=".len();
    mail.text[start..].split_whitespace().next().unwrap().to_owned()
}

#[tokio::test]
async fn owasp_05_a_password_reset_or_change_ends_every_access_token_at_once() {
    let t = TestApp::spawn().await;
    let u = t.customer().create().await;
    let (a1, r1) = session(&t, &u.email, PW).await;
    let (a2, _) = session(&t, &u.email, PW).await;
    for a in [&a1, &a2, &u.token] {
        assert_eq!(get(&t, a, "/api/me").await.0, 200, "cached by authentication now");
    }
    let token = reset_token(&t, &u.email).await;
    let body = json!({"reset_token": token, "password": "Fresh1234!", "password_confirmation": "Fresh1234!"});
    t.server.post("/api/forgot-password/reset").json(&body).await.assert_status_ok();
    for a in [&a1, &a2, &u.token] {
        let (s, b) = get(&t, a, "/api/me").await;
        assert_eq!((s, b["error"]["code"].as_str()), (401, Some("unauthorized")), "{b}");
    }
    assert_eq!(refresh(&t, &r1).await, StatusCode::UNAUTHORIZED);
    assert_eq!(live_refresh_tokens(&t, u.id).await, 0);

    // A change through "Update user" ends every session too, the caller's included.
    let (b1, _) = session(&t, &u.email, "Fresh1234!").await;
    let (b2, r2) = session(&t, &u.email, "Fresh1234!").await;
    assert_eq!(get(&t, &b2, "/api/me").await.0, 200);
    let (s, b) = put(
        &t,
        &b1,
        "/api/me",
        json!({"newPassword": "Second123!", "currentPassword": "Fresh1234!"}),
    )
    .await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(get(&t, &b1, "/api/me").await.0, 401);
    assert_eq!(get(&t, &b2, "/api/me").await.0, 401);
    assert_eq!(refresh(&t, &r2).await, StatusCode::UNAUTHORIZED);
    let (fresh, _) = session(&t, &u.email, "Second123!").await;
    assert_eq!(get(&t, &fresh, "/api/me").await.0, 200);
    let row = users::find_by_id(t.app.db().conn(), u.id).await.unwrap().unwrap();
    assert_eq!(row.token_generation, 2);
}

async fn download_token(t: &TestApp, token: &str) -> (u16, Value) {
    post(t, token, "/api/downloads/token", json!({})).await
}

#[tokio::test]
async fn owasp_05_export_links_take_only_single_use_download_tokens() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let export = |tok: &str| t.server.get(&format!("/api/transactions/export?token={tok}"));

    // An access token in the URL is refused; the header still works.
    let r = export(&admin.token).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    let r = t.server.get("/api/transactions/export").authorization_bearer(&admin.token).await;
    r.assert_status_ok();

    // A download token works once, for its user's permissions only.
    let (s, b) = download_token(&t, &admin.token).await;
    assert_eq!(s, 200, "{b}");
    assert_eq!(b["expiresIn"], 60);
    let dl = b["token"].as_str().unwrap().to_owned();
    assert_ne!(dl, admin.token);
    export(&dl).await.assert_status_ok();
    export(&dl).await.assert_status(StatusCode::UNAUTHORIZED);
    let r = t.server.get(&format!("/api/reports/export?token={dl}&type=coins")).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    let cust = t.customer().create().await;
    let (_, b) = download_token(&t, &cust.token).await;
    export(b["token"].as_str().unwrap()).await.assert_status(StatusCode::FORBIDDEN);

    // An expired one is refused.
    let (_, b) = download_token(&t, &admin.token).await;
    user_tokens::Entity::update_many()
        .col_expr(user_tokens::Column::ExpiresAt, Expr::value(brokercrm_store::db::now()))
        .filter(user_tokens::Column::Purpose.eq("download"))
        .exec(t.app.db().conn())
        .await
        .unwrap();
    export(b["token"].as_str().unwrap()).await.assert_status(StatusCode::UNAUTHORIZED);

    // Unused download tokens die with the sessions (password change); anonymous callers, API
    // keys and impersonation tokens get none.
    let (_, b) = download_token(&t, &cust.token).await;
    let pending = b["token"].as_str().unwrap().to_owned();
    let (s, _) =
        put(&t, &cust.token, "/api/me", json!({"newPassword": "Other123!", "currentPassword": PW}))
            .await;
    assert_eq!(s, 200);
    let r = t
        .server
        .get(&format!("/api/me/statements/export?token={pending}&start=2020-01-01T00:00:00Z"));
    r.await.assert_status(StatusCode::UNAUTHORIZED);
    let r = t.server.post("/api/downloads/token").json(&json!({})).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    let key = post(&t, &admin.token, "/api/api-keys", json!({"name": "ops", "role": "support"}))
        .await
        .1["key"]
        .as_str()
        .unwrap()
        .to_owned();
    assert_eq!(download_token(&t, &key).await.0, 403);
    let other = t.customer().create().await;
    let (_, b) = impersonate(&t, &admin.token, json!(other.uuid)).await;
    let (s, b) = download_token(&t, b["token"].as_str().unwrap()).await;
    assert_refused(s, &b);
}
