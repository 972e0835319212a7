//! Finding 12: hardening of the HTTP surface. `/metrics` is never on the API port (its own
//! listener); security headers on every response; `Cache-Control: no-store` wherever a handler
//! sets no policy of its own (every token-carrying response); the API docs can be turned off;
//! the data key file has its own path, mode 0600, and a group/world-readable one is refused.

use axum_test::TestServer;
use brokercrm_http::headers::{API_CSP, HSTS, HTML_CSP};
use brokercrm_http::{HttpConfig, build_router, metrics_router};
use serde_json::json;

use crate::helpers::TestApp;
use crate::helpers::users::PASSWORD;

fn server_with(t: &TestApp, cfg: HttpConfig) -> TestServer {
    TestServer::new(build_router(t.app.clone(), cfg))
}

fn header(r: &axum_test::TestResponse, name: &str) -> Option<String> {
    r.maybe_header(name).map(|v| v.to_str().unwrap().to_owned())
}

#[tokio::test]
async fn owasp_12_metrics_are_served_only_on_their_own_listener() {
    let t = TestApp::spawn().await;
    let handle = metrics_exporter_prometheus::PrometheusBuilder::new().build_recorder().handle();
    let cfg = HttpConfig { metrics: Some(handle), ..HttpConfig::default() };
    let api = server_with(&t, cfg.clone());
    let r = api.get("/metrics").await;
    assert_eq!(r.status_code().as_u16(), 404, "no metrics on the API port");
    let metrics = TestServer::new(metrics_router(&cfg).expect("metrics on"));
    metrics.get("/metrics").await.assert_status_ok();
    assert!(metrics_router(&HttpConfig::default()).is_none(), "off when metrics are off");
}

#[tokio::test]
async fn owasp_12_security_headers_and_no_store_on_every_response() {
    let t = TestApp::spawn().await;
    let email = t.customer().create().await.email;
    let login = t
        .server
        .post("/api/sessions")
        .json(&json!({"username": email, "password": PASSWORD}))
        .await;
    login.assert_status_ok();
    let unknown = t.server.get("/api/no-such-route").await;
    let settings = t.server.get("/api/settings/captcha-site-key").await;
    let refused = t.server.get("/api/me").await;
    for (what, r) in
        [("login", &login), ("404", &unknown), ("public", &settings), ("401", &refused)]
    {
        assert_eq!(header(r, "x-content-type-options").as_deref(), Some("nosniff"), "{what}");
        assert_eq!(header(r, "referrer-policy").as_deref(), Some("no-referrer"), "{what}");
        assert_eq!(header(r, "x-frame-options").as_deref(), Some("DENY"), "{what}");
        assert_eq!(header(r, "content-security-policy").as_deref(), Some(API_CSP), "{what}");
        assert_eq!(header(r, "cache-control").as_deref(), Some("no-store"), "{what}");
        assert_eq!(header(r, "strict-transport-security"), None, "{what}: public URL is http");
    }
    assert!(login.text().contains("token"), "the response carries a token");
    // HTML (the docs) gets the page policy.
    let docs = t.server.get("/docs/").await;
    docs.assert_status_ok();
    assert!(header(&docs, "content-type").unwrap().starts_with("text/html"));
    assert_eq!(header(&docs, "content-security-policy").as_deref(), Some(HTML_CSP));
    assert_eq!(header(&docs, "x-frame-options").as_deref(), Some("DENY"));
}

#[tokio::test]
async fn owasp_12_hsts_when_the_public_url_is_https() {
    let t = TestApp::spawn_with(|c| c.public_url = "https://broker.example".into()).await;
    let r = t.server.get("/api/settings/captcha-site-key").await;
    r.assert_status_ok();
    assert_eq!(header(&r, "strict-transport-security").as_deref(), Some(HSTS));
}

#[tokio::test]
async fn owasp_12_api_docs_can_be_turned_off() {
    let t = TestApp::spawn().await;
    let off = server_with(&t, HttpConfig { disable_docs: true, ..HttpConfig::default() });
    for path in ["/docs/", "/docs", "/openapi.json"] {
        assert_eq!(off.get(path).await.status_code().as_u16(), 404, "{path}");
    }
    let on = server_with(&t, HttpConfig::default());
    on.get("/openapi.json").await.assert_status_ok();
    on.get("/docs/").await.assert_status_ok();
}

#[tokio::test]
async fn owasp_12_the_data_key_file_has_its_own_path_and_is_private() {
    let t = TestApp::spawn().await;
    let cfg = t.app.cfg().clone();
    let key_file = cfg.data_key_file.clone();
    assert!(key_file.is_file());
    assert!(!key_file.starts_with(&cfg.files_dir), "not among the uploads");
    assert!(!cfg.files_dir.parent().unwrap().join("data.key").exists(), "not beside them");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        // A key file others may read is refused at start.
        std::fs::set_permissions(&key_file, std::fs::Permissions::from_mode(0o644)).unwrap();
        let db = brokercrm_store::Db::connect(&t.db_url).await.unwrap();
        let services = brokercrm_app::context::Services::for_config(&cfg).unwrap();
        let built = brokercrm_app::App::build(db, cfg.clone(), services, None).await;
        assert!(built.is_err(), "a world-readable key file is refused");
    }
    // A key file configured inside the uploads is refused.
    let mut inside = cfg.clone();
    inside.data_key_file = cfg.files_dir.join("data.key");
    let db = brokercrm_store::Db::connect(&t.db_url).await.unwrap();
    let services = brokercrm_app::context::Services::for_config(&inside).unwrap();
    assert!(brokercrm_app::App::build(db, inside, services, None).await.is_err());
}
