//! Issue 14, findings 9 and 10: guessing a password, an OAuth client secret or the current
//! password is slowed down per (account, IP) with growing waits, never by locking the owner
//! out; sign-ups are limited per IP and do not reveal which addresses are registered.

use std::time::Duration;

use axum::http::StatusCode;
use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::users::PASSWORD as PW;
use crate::helpers::{TestApp, assert_error};

const ATTACKER: &str = "203.0.113.66";
const HOME: &str = "198.51.100.7";

async fn login_from(t: &TestApp, ip: &str, user: &str, pw: &str) -> axum_test::TestResponse {
    t.server
        .post("/api/sessions")
        .add_header("x-forwarded-for", ip)
        .json(&json!({"username": user, "password": pw}))
        .await
}

fn retry_after(r: &axum_test::TestResponse) -> u64 {
    r.header("retry-after").to_str().unwrap().parse().unwrap()
}

#[tokio::test]
async fn owasp_09_the_owner_logs_in_while_the_attackers_ip_backs_off() {
    let t = TestApp::spawn().await;
    let victim = t.create_user(Role::Customer, "victim@example.com", PW).await;
    // The free failures of the attacker's (account, IP), then one more that starts the wait.
    for _ in 0..6 {
        login_from(&t, ATTACKER, &victim, "Wrong0000")
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
    }
    // The owner, from another address, is not locked out.
    login_from(&t, HOME, &victim, PW).await.assert_status_ok();
    // The attacker's pair waits, even with the right password, and each failure after a wait
    // doubles the next one.
    let mut waits = Vec::new();
    for _ in 0..4 {
        let r = login_from(&t, ATTACKER, &victim, PW).await;
        r.assert_status(StatusCode::TOO_MANY_REQUESTS);
        assert_error(&r.json(), "rate_limited");
        let wait = retry_after(&r);
        waits.push(wait);
        t.clock.advance(Duration::from_secs(wait));
        login_from(&t, ATTACKER, &victim, "Wrong0000")
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
    }
    assert_eq!(waits, [1, 2, 4, 8]);
    // Another account from the attacker's address is not affected.
    let other = t.create_user(Role::Customer, "other@example.com", PW).await;
    login_from(&t, ATTACKER, &other, PW).await.assert_status_ok();
    // After the wait the right password works from there too, and clears the pair.
    t.clock.advance(Duration::from_secs(16));
    login_from(&t, ATTACKER, &victim, PW).await.assert_status_ok();
    login_from(&t, ATTACKER, &victim, "Wrong0000").await.assert_status(StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn owasp_09_the_account_ceiling_stops_spread_guessing_but_not_known_ips() {
    let t = TestApp::spawn_with(|c| c.login_attempts_per_account = 6).await;
    let victim = t.create_user(Role::Customer, "spread@example.com", PW).await;
    login_from(&t, HOME, &victim, PW).await.assert_status_ok();
    for i in 0..6 {
        login_from(&t, &format!("203.0.113.{i}"), &victim, "Wrong0000")
            .await
            .assert_status(StatusCode::UNAUTHORIZED);
    }
    // A fresh address is refused even with the right password...
    let r = login_from(&t, "203.0.113.200", &victim, PW).await;
    r.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert!((1..=900).contains(&retry_after(&r)));
    // ...while the owner's known address still gets in.
    login_from(&t, HOME, &victim, PW).await.assert_status_ok();
    // The window passes: anyone may try again.
    t.clock.advance(Duration::from_secs(15 * 60));
    login_from(&t, "203.0.113.200", &victim, PW).await.assert_status_ok();
}

async fn register_client(t: &TestApp) -> (String, String) {
    let admin = t.admin_token().await;
    let r = t
        .server
        .post("/api/oauth-clients")
        .authorization_bearer(&admin)
        .json(&json!({"name": "Cashier", "redirectUris": ["https://cashier.example.com/cb"]}))
        .await;
    r.assert_status(StatusCode::CREATED);
    let b: Value = r.json();
    (b["clientId"].as_str().unwrap().to_owned(), b["clientSecret"].as_str().unwrap().to_owned())
}

async fn token_call(t: &TestApp, ip: &str, id: &str, secret: &str) -> axum_test::TestResponse {
    t.server
        .post("/oauth/token")
        .add_header("x-forwarded-for", ip)
        .form(&[
            ("grant_type", "refresh_token"),
            ("client_id", id),
            ("client_secret", secret),
            ("refresh_token", "not-a-token"),
        ])
        .await
}

#[tokio::test]
async fn owasp_09_client_secret_guessing_gets_429() {
    let t = TestApp::spawn().await;
    let (id, secret) = register_client(&t).await;
    for _ in 0..6 {
        let r = token_call(&t, ATTACKER, &id, "guess").await;
        r.assert_status(StatusCode::UNAUTHORIZED);
        assert_eq!(r.json::<Value>()["error"], "invalid_client");
    }
    let r = token_call(&t, ATTACKER, &id, &secret).await;
    r.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(r.json::<Value>()["error"], "slow_down");
    assert_eq!(retry_after(&r), 1);
    t.clock.advance(Duration::from_secs(1));
    token_call(&t, ATTACKER, &id, "guess").await.assert_status(StatusCode::UNAUTHORIZED);
    let r = token_call(&t, ATTACKER, &id, &secret).await;
    r.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(retry_after(&r), 2);
    // The client's own server, elsewhere, still authenticates (and reaches the grant).
    let r = token_call(&t, HOME, &id, &secret).await;
    r.assert_status(StatusCode::BAD_REQUEST);
    assert_eq!(r.json::<Value>()["error"], "invalid_grant");
}

fn signup(i: usize) -> Value {
    json!({"firstname": "Sam", "lastname": "Burst", "email": format!("burst{i}@example.com"),
           "country": "DE"})
}

async fn sign_up_from(t: &TestApp, ip: &str, body: &Value) -> axum_test::TestResponse {
    t.server.post("/api/users").add_header("x-forwarded-for", ip).json(body).await
}

async fn user_count(t: &TestApp) -> u64 {
    use brokercrm_store::entities::users::Entity as User;
    use sea_orm::{EntityTrait, PaginatorTrait};
    User::find().count(t.app.db().conn()).await.unwrap()
}

#[tokio::test]
async fn owasp_10_signups_are_limited_per_ip() {
    let t = TestApp::spawn_with(|c| c.signups_per_ip_per_hour = 10).await;
    let before = user_count(&t).await;
    let mut codes = Vec::new();
    for i in 0..25 {
        let r = sign_up_from(&t, ATTACKER, &signup(i)).await;
        if r.status_code() == StatusCode::TOO_MANY_REQUESTS {
            assert_error(&r.json(), "rate_limited");
            assert!((1..=3600).contains(&retry_after(&r)));
        }
        codes.push(r.status_code().as_u16());
    }
    assert_eq!(codes.iter().filter(|c| **c == 201).count(), 10, "{codes:?}");
    assert_eq!(codes.iter().filter(|c| **c == 429).count(), 15, "{codes:?}");
    assert_eq!(user_count(&t).await, before + 10);
    t.run_jobs().await;
    assert_eq!(t.emails.sent().len(), 10);
    // Another address is not affected; the first one may sign up again an hour later.
    sign_up_from(&t, HOME, &signup(100)).await.assert_status(StatusCode::CREATED);
    t.clock.advance(Duration::from_secs(3600));
    sign_up_from(&t, ATTACKER, &signup(101)).await.assert_status(StatusCode::CREATED);
}

#[tokio::test]
async fn owasp_10_a_taken_email_signs_up_like_a_new_one_and_mails_the_owner() {
    let t = TestApp::spawn().await;
    t.create_user(Role::Customer, "taken@example.com", PW).await;
    let fresh = sign_up_from(&t, HOME, &signup(1)).await;
    fresh.assert_status(StatusCode::CREATED);
    let before = user_count(&t).await;
    let mut taken_body = signup(2);
    taken_body["email"] = json!("Taken@Example.com");
    let taken = sign_up_from(&t, ATTACKER, &taken_body).await;
    taken.assert_status(StatusCode::CREATED);
    let (a, b): (Value, Value) = (fresh.json(), taken.json());
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(&a), keys(&b));
    assert_eq!((&a["success"], &a["redirectUrl"]), (&b["success"], &b["redirectUrl"]));
    let (ra, rb) = (a["refreshToken"].as_str().unwrap(), b["refreshToken"].as_str().unwrap());
    assert_eq!(ra.len(), rb.len());
    assert_eq!(user_count(&t).await, before, "nothing was created");
    // The decoy token opens nothing.
    let r = t.server.post("/api/sessions/refresh").json(&json!({"refreshToken": rb})).await;
    r.assert_status(StatusCode::UNAUTHORIZED);
    // The owner hears about it.
    t.run_jobs().await;
    let to_owner: Vec<_> =
        t.emails.sent().into_iter().filter(|m| m.to == "taken@example.com").collect();
    assert_eq!(to_owner.len(), 1);
    assert!(to_owner[0].subject.contains("Sign-up attempt"), "{}", to_owner[0].subject);
    assert!(!to_owner[0].text.contains("verifyToken"), "no links that act on the account");
    // Staff still learn that the address is taken.
    let admin = t.admin_token().await;
    let r = t.server.post("/api/users").authorization_bearer(&admin).json(&taken_body).await;
    r.assert_status(StatusCode::CONFLICT);
}

#[tokio::test]
async fn owasp_10_wrong_current_passwords_back_off() {
    let t = TestApp::spawn().await;
    let email = t.create_user(Role::Customer, "pw@example.com", PW).await;
    let token = t.login(&email, PW).await;
    let change = |current: &str| {
        t.server
            .put("/api/me")
            .authorization_bearer(&token)
            .json(&json!({"currentPassword": current, "newPassword": "Another-Passw0rd"}))
    };
    let mut codes = Vec::new();
    for _ in 0..12 {
        codes.push(change("Wrong0000").await.status_code().as_u16());
    }
    assert_eq!(codes[..6], [422; 6], "{codes:?}");
    assert!(codes[6..].iter().all(|c| *c == 429), "{codes:?}");
    let r = change(PW).await;
    r.assert_status(StatusCode::TOO_MANY_REQUESTS);
    assert_error(&r.json(), "rate_limited");
    t.clock.advance(Duration::from_secs(retry_after(&r)));
    change(PW).await.assert_status_ok();
}
