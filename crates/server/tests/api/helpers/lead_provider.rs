//! A lead provider of seed 000 for tests: an OAuth client, an affiliate user with a password,
//! and an access token from the password grant.

use brokercrm_core::identity::auth::Role;
use serde_json::Value;

use crate::helpers::TestApp;
use crate::helpers::http::base64;

const PASSWORD: &str = "Passw0rd!lp";

/// A lead provider with its access token.
pub struct Provider {
    pub partner_id: i64,
    pub token: String,
}

/// Registers an OAuth client and an affiliate user, then gets a token with the password grant.
pub async fn provider(t: &TestApp) -> Provider {
    use brokercrm_store::repo::identity::oauth::{NewClient, insert_client};
    let client_id = format!("lpClient{}", uuid::Uuid::new_v4().simple());
    let secret = "s3cret-client";
    insert_client(
        t.app.db().conn(),
        NewClient {
            client_id: client_id.clone(),
            name: "Lead providers".into(),
            secret_hash: brokercrm_app::identity::security::token_hash(secret),
            redirect_uris: vec!["https://example.com/cb".into()],
        },
    )
    .await
    .unwrap();
    let email = format!("lp-{}@provider.test", uuid::Uuid::new_v4().simple());
    t.create_user(Role::Affiliate, &email, PASSWORD).await;
    let r = t
        .server
        .post("/proxy/auth/oauth/token")
        .add_header("Authorization", format!("Basic {}", base64(&format!("{client_id}:{secret}"))))
        .form(&[("grant_type", "password"), ("username", &email), ("password", PASSWORD)])
        .await;
    r.assert_status_ok();
    let b: Value = r.json();
    Provider {
        partner_id: b["partnerId"].as_i64().unwrap(),
        token: b["access_token"].as_str().unwrap().to_owned(),
    }
}
