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
    let first = brokercrm_app::identity::bootstrap::ensure_first_admin(&t.app).await.unwrap();
    let (email, password) = first.expect("first admin on an empty database");
    assert!(
        brokercrm_app::identity::bootstrap::ensure_first_admin(&t.app).await.unwrap().is_none()
    );
    let token = t.login(&email, &password).await;

    // A second instance on the same database (a restart) accepts the token.
    let db = Db::connect(&t.db_url).await.unwrap();
    let cfg = t.app.cfg().clone();
    let again =
        App::build(db, cfg.clone(), Services::for_config(&cfg).unwrap(), None).await.unwrap();
    let p = brokercrm_app::identity::auth::authenticate(&again, &token).await.unwrap();
    assert_eq!(p.email, email);
    // A configured secret overrides the stored one: the old token no longer verifies.
    let db = Db::connect(&t.db_url).await.unwrap();
    let other =
        App::build(db, cfg.clone(), Services::for_config(&cfg).unwrap(), Some("x".repeat(48)))
            .await
            .unwrap();
    assert!(brokercrm_app::identity::auth::authenticate(&other, &token).await.is_err());
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
    let p = brokercrm_app::identity::auth::authenticate(&t.app, key).await.unwrap();
    assert_eq!(p.role.as_str(), "affiliate");
}

#[tokio::test]
async fn demo_distribution_routes_de_leads_past_the_premium_desk() {
    use axum::http::{HeaderName, HeaderValue};
    let t = TestApp::spawn().await;
    let first =
        serde_json::to_value(brokercrm_app::demo::load(&t.app, "http://x").await.unwrap()).unwrap();
    let creds =
        serde_json::to_value(brokercrm_app::demo::load(&t.app, "http://x").await.unwrap()).unwrap();
    let token = creds["affiliate_v2"]["token"].as_str().unwrap();
    let push = |country: &'static str, token: String| {
        let body = json!({"ip": "1.1.1.1", "country_code": country, "email": format!("demo-{country}@lead.test"), "first_name": "Demo"});
        t.server
            .post("/api/affiliates/v2/leads")
            .add_header(
                HeaderName::from_static("authorization"),
                HeaderValue::from_str(&token).unwrap(),
            )
            .json(&body)
    };
    // The first run's token was replaced.
    let old = push("FR", first["affiliate_v2"]["token"].as_str().unwrap().to_owned()).await;
    assert_eq!(old.status_code(), 401);
    assert_eq!(old.json::<Value>()["message"], "Token isn't active");

    let fr = push("FR", token.to_owned()).await;
    fr.assert_status_ok();
    assert_eq!(fr.json::<Value>()["advertiser_name"], brokercrm_app::demo::distribution::PREMIUM);
    let de = push("DE", token.to_owned()).await;
    de.assert_status_ok();
    let de: Value = de.json();
    assert_eq!(de["advertiser_name"], brokercrm_app::demo::distribution::HOUSE);
    let lead = brokercrm_store::repo::distribution::leads::find_by_uuid(
        t.app.db().conn(),
        de["lead_uuid"].as_str().unwrap(),
    )
    .await
    .unwrap()
    .unwrap();
    let trace =
        brokercrm_store::repo::distribution::lead_events::for_lead(t.app.db().conn(), lead.id)
            .await
            .unwrap();
    let kinds: Vec<&str> = trace.iter().map(|e| e.kind.as_str()).collect();
    assert_eq!(kinds, ["received", "skipped", "accepted"]);
    assert_eq!(trace[1].error_type.as_deref(), Some("BLOCKED_BY_TRAFFIC_FILTER"));
    assert!(trace[1].message.as_deref().unwrap().contains("DE"), "{:?}", trace[1].message);
    let lp = &creds["lead_provider"];
    for k in ["client_id", "client_secret", "username", "password", "offer_uuid"] {
        assert!(lp[k].as_str().is_some_and(|s| !s.is_empty()), "{k}: {lp}");
    }
    assert!(lp["partner_id"].as_i64().is_some());
}
