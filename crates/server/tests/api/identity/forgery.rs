//! What held in the OWASP probe and must keep holding: a forged access token is refused —
//! `alg: none`, claims changed under the old signature, and a token signed with another
//! secret all answer 401, while the genuine token still works.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use brokercrm_core::identity::auth::Role;
use serde_json::{Value, json};

use crate::helpers::TestApp;

fn part(v: &Value) -> String {
    B64.encode(serde_json::to_vec(v).expect("json"))
}

fn claims_of(token: &str) -> Value {
    let payload = token.split('.').nth(1).expect("payload");
    serde_json::from_slice(&B64.decode(payload).expect("base64")).expect("claims")
}

async fn status_of(t: &TestApp, token: &str) -> u16 {
    t.server.get("/api/api-keys").authorization_bearer(token).await.status_code().as_u16()
}

#[tokio::test]
async fn forged_access_tokens_are_refused() {
    let t = TestApp::spawn().await;
    let admin = t.user(Role::Admin).create().await;
    let customer = t.user(Role::Customer).create().await;
    assert_eq!(status_of(&t, &admin.token).await, 200, "the genuine admin token works");
    assert_eq!(status_of(&t, &customer.token).await, 403, "a customer may not list API keys");

    // The customer's claims with the admin's role and id, under the customer's signature.
    let mut claims = claims_of(&customer.token);
    let admin_claims = claims_of(&admin.token);
    for key in ["sub", "role"] {
        if let Some(v) = admin_claims.get(key) {
            claims[key] = v.clone();
        }
    }
    let mut parts: Vec<&str> = customer.token.split('.').collect();
    let changed = part(&claims);
    parts[1] = &changed;
    assert_eq!(status_of(&t, &parts.join(".")).await, 401, "changed claims, old signature");

    // The same claims with no signature at all.
    let none = format!("{}.{}.", part(&json!({"alg": "none", "typ": "JWT"})), part(&claims));
    assert_eq!(status_of(&t, &none).await, 401, "alg none");

    // The same claims signed with a secret that is not the server's.
    let key = jsonwebtoken::EncodingKey::from_secret(b"not the server's secret");
    let header = jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256);
    let wrong = jsonwebtoken::encode(&header, &claims, &key).expect("sign");
    assert_eq!(status_of(&t, &wrong).await, 401, "another secret");

    // Garbage and an empty bearer are refused too; the genuine token still works.
    assert_eq!(status_of(&t, "not.a.jwt").await, 401);
    assert_eq!(status_of(&t, &admin.token).await, 200);
}
