//! The SSRF guard: clients built with `allow_private = false` never reach loopback.

use std::time::Duration;

use brokercrm_core::distribution::LeadErrorType;
use brokercrm_integrations::advertisers::{AdapterEnv, Delivery, ExternalKind};
use brokercrm_integrations::outbound::{OutboundClient, check_target};
use serde_json::json;
use url::Url;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::{BUDGET, client, hits, lead, rejected};

async fn server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any()).respond_with(ResponseTemplate::new(200)).mount(&server).await;
    server
}

#[tokio::test]
async fn templated_hosts_resolving_to_loopback_are_refused_per_request() {
    let server = server().await;
    let port = server.address().port();
    let env = AdapterEnv::new(false).unwrap();
    let config = json!({"url": format!("http://{{{{aff_sub}}}}:{port}/x")});
    let c = client(ExternalKind::HttpTemplate, &config, &env);
    for host in ["127.0.0.1", "localhost", "2130706433"] {
        let mut l = lead();
        l.profile.insert("aff_sub".into(), host.into());
        let d = c.deliver(&l, BUDGET).await;
        assert_eq!(rejected(&d).0, LeadErrorType::Unknown, "{host}");
    }
    assert_eq!(hits(&server).await, 0);
    // The same adapter may reach it when private targets are allowed.
    let open = client(ExternalKind::HttpTemplate, &config, &AdapterEnv::new(true).unwrap());
    let mut l = lead();
    l.profile.insert("aff_sub".into(), "localhost".into());
    assert!(matches!(open.deliver(&l, BUDGET).await, Delivery::Accepted { .. }));
}

#[tokio::test]
async fn the_guarded_client_refuses_loopback_literals_and_names() {
    let server = server().await;
    let port = server.address().port();
    let http = OutboundClient::new(false, Duration::from_secs(5)).unwrap();
    let literal = Url::parse(&format!("http://127.0.0.1:{port}/")).unwrap();
    assert!(check_target(&literal, false).is_err());
    assert!(check_target(&literal, true).is_ok());
    // A name is refused by the resolver, whatever check_target says.
    assert!(http.get(literal.as_str()).is_err(), "the client runs check_target itself");
    // A name check_target lets through (with the host table) is refused by the resolver.
    let name = format!("http://leads.advertiser.example:{port}/");
    let loopback = ("leads.advertiser.example".to_owned(), "127.0.0.1".parse().unwrap());
    let http = OutboundClient::with_static_hosts(false, Duration::from_secs(5), [loopback.clone()])
        .unwrap();
    assert!(http.get(&name).unwrap().send().await.is_err());
    assert_eq!(hits(&server).await, 0);
    let open = OutboundClient::with_static_hosts(true, Duration::from_secs(5), [loopback]).unwrap();
    assert!(open.get(&name).unwrap().send().await.is_ok());
}
