//! First start and demo data: the JWT key persists across restarts, the first admin is created
//! once, and `demo` can run twice with working credentials.

use brokercrm_app::App;
use brokercrm_app::context::Services;
use brokercrm_store::Db;
use serde_json::{Value, json};

use crate::helpers::TestApp;

#[tokio::test]
async fn jwt_secret_persists_and_first_admin_is_created_once() {
    let t = TestApp::spawn().await;
    let first = brokercrm_app::bootstrap::ensure_first_admin(&t.app).await.unwrap();
    let (email, password) = first.expect("first admin on an empty database");
    assert!(brokercrm_app::bootstrap::ensure_first_admin(&t.app).await.unwrap().is_none());
    let token = t.login(&email, &password).await;

    // A second instance on the same database (a restart) accepts the token.
    let db = Db::connect(&t.db_url).await.unwrap();
    let cfg = t.app.cfg().clone();
    let again =
        App::build(db, cfg.clone(), Services::for_config(&cfg).unwrap(), None).await.unwrap();
    let p = brokercrm_app::auth::authenticate(&again, &token).await.unwrap();
    assert_eq!(p.email, email);
    // A configured secret overrides the stored one: the old token no longer verifies.
    let db = Db::connect(&t.db_url).await.unwrap();
    let other =
        App::build(db, cfg.clone(), Services::for_config(&cfg).unwrap(), Some("x".repeat(48)))
            .await
            .unwrap();
    assert!(brokercrm_app::auth::authenticate(&other, &token).await.is_err());
}

#[tokio::test]
async fn demo_runs_twice_and_its_credentials_work() {
    let t = TestApp::spawn().await;
    brokercrm_app::demo::load(&t.app, "http://x").await.unwrap();
    let creds =
        serde_json::to_value(brokercrm_app::demo::load(&t.app, "http://x").await.unwrap()).unwrap();
    for role in ["admin", "manager", "affiliate", "customer"] {
        let login = &creds["users"][role];
        let r = t
            .server
            .post("/api/sessions")
            .json(&json!({"username": login["email"], "password": login["password"]}))
            .await;
        r.assert_status_ok();
        assert_eq!(r.json::<Value>()["user"]["roles"][0], role);
    }
    let key = creds["api_key"].as_str().unwrap();
    let p = brokercrm_app::auth::authenticate(&t.app, key).await.unwrap();
    assert_eq!(p.role.as_str(), "affiliate");
}
