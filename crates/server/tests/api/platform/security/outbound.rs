//! Finding 6: every outbound call goes through the guarded client. A provider host name that
//! resolves to loopback is refused at connect time (nothing connects), and a redirect is not
//! followed (the address behind it receives nothing, in particular not the API key).

use std::net::IpAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use brokercrm_app::platform::email::{SendEmail, queue};
use brokercrm_core::identity::auth::Role;
use brokercrm_integrations::outbound::OutboundClient;
use brokercrm_store::jobs;
use serde_json::json;
use wiremock::matchers::{any, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use crate::helpers::TestApp;
use crate::helpers::money::trustology_withdrawal;
use crate::helpers::platform::rust_files;

/// A public-looking provider name; the app's resolver table points it at loopback, as a
/// DNS record (or a rebinding attack) would.
const PROVIDER_HOST: &str = "api.mail-provider.example.com";

/// A listener counting the TCP connections it accepts.
async fn counting_listener() -> (u16, Arc<AtomicUsize>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let count = Arc::new(AtomicUsize::new(0));
    let seen = count.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            seen.fetch_add(1, Ordering::SeqCst);
            drop(stream);
        }
    });
    (port, count)
}

async fn email_job(t: &TestApp) -> jobs::JobRow {
    jobs::list_by_kind(t.app.db(), "email.send", 1).await.unwrap().into_iter().next().unwrap()
}

#[tokio::test]
async fn owasp_06_a_provider_name_resolving_to_loopback_is_refused_at_connect_time() {
    let (port, connections) = counting_listener().await;
    let loopback: IpAddr = "127.0.0.1".parse().unwrap();
    let t = TestApp::spawn_custom(
        |c| c.allow_private_outbound = false,
        |s| {
            let hosts = [(PROVIDER_HOST.to_owned(), loopback)];
            s.set_outbound(
                OutboundClient::with_static_hosts(false, Duration::from_secs(5), hosts).unwrap(),
            );
        },
        false,
    )
    .await;
    let (admin, _) = t.mint_token(Role::Admin).await;
    // The name passes the configuration check: only what it resolves to is internal.
    let r = t
        .server
        .put("/api/settings/email/sendgrid")
        .authorization_bearer(&admin)
        .json(&json!({"sender": "Broker <noreply@broker.example>", "apiKey": "SG.ssrf-key-0001",
                      "staffEmail": "staff@broker.example",
                      "apiBase": format!("https://{PROVIDER_HOST}:{port}")}))
        .await;
    assert_eq!(r.status_code().as_u16(), 200, "{}", r.text());
    let mail = SendEmail {
        to: "client@example.com".into(),
        subject: "Welcome".into(),
        text: "Hello".into(),
        html: None,
    };
    queue(&t.app, t.app.db().conn(), mail).await.unwrap();
    t.run_jobs().await;
    let job = email_job(&t).await;
    assert_ne!(job.status, jobs::DONE, "the e-mail was not delivered");
    assert!(job.attempts >= 1);
    assert_eq!(connections.load(Ordering::SeqCst), 0, "nothing connected to the loopback port");

    // The same set-up with private targets allowed does connect: the check above can fail.
    let (open_port, open_connections) = counting_listener().await;
    let hosts = [(PROVIDER_HOST.to_owned(), loopback)];
    let open = OutboundClient::with_static_hosts(true, Duration::from_secs(5), hosts).unwrap();
    let _ = open
        .post(format!("https://{PROVIDER_HOST}:{open_port}/v3/mail/send"))
        .unwrap()
        .send()
        .await;
    assert_eq!(open_connections.load(Ordering::SeqCst), 1);
}

#[tokio::test]
async fn owasp_06_a_payout_provider_redirect_is_not_followed() {
    let provider = MockServer::start().await;
    let metadata = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"requestId": "stolen"})))
        .mount(&metadata)
        .await;
    Mock::given(method("POST"))
        .and(path("/withdrawals"))
        .respond_with(
            ResponseTemplate::new(302)
                .insert_header("location", format!("{}/latest/meta-data/", metadata.uri())),
        )
        .expect(1)
        .mount(&provider)
        .await;
    // Loopback mock servers need private targets allowed; redirects are refused regardless.
    let t = TestApp::spawn().await;
    let admin = t.admin_token().await;
    let id = trustology_withdrawal(&t, &admin, &provider.uri(), "tr-secret-key").await;
    t.server
        .post(&format!("/api/transactions/{id}/approve"))
        .authorization_bearer(&admin)
        .json(&json!({}))
        .await
        .assert_status_ok();
    let r = t
        .server
        .post(&format!("/api/transactions/{id}/transfer"))
        .authorization_bearer(&admin)
        .json(&json!({"method": "trustology"}))
        .await;
    assert_eq!(r.status_code().as_u16(), 502, "{}", r.text());
    assert!(!r.text().contains("stolen"));
    provider.verify().await;
    let behind = metadata.received_requests().await.unwrap();
    assert!(behind.is_empty(), "the redirect was followed: {behind:?}");
}

#[test]
fn owasp_06_no_http_client_is_built_outside_the_guarded_one() {
    let crates = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let files: Vec<_> = ["core", "store", "app", "integrations", "http", "server"]
        .iter()
        .flat_map(|krate| rust_files(&crates.join(krate).join("src")))
        .collect();
    let outbound = crates.join("integrations/src/outbound.rs");
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| **f != outbound)
        .filter(|f| {
            let code = std::fs::read_to_string(f).unwrap();
            let bare_new = code
                .match_indices("Client::new(")
                .any(|(i, _)| i == 0 || !code.as_bytes()[i - 1].is_ascii_alphanumeric());
            bare_new
                || [
                    "reqwest::Client",
                    "Client::builder(",
                    "reqwest::get(",
                    "reqwest::blocking",
                    "hyper::",
                ]
                .iter()
                .any(|p| code.contains(p))
        })
        .map(|f| f.display().to_string())
        .collect();
    assert!(offenders.is_empty(), "HTTP clients built outside OutboundClient: {offenders:?}");
    assert!(std::fs::read_to_string(&outbound).unwrap().contains("Client::builder("));
}
