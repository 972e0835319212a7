//! Integration tests of the outbound advertiser adapters against local mock servers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

#[path = "advertisers/affiliate_v2.rs"]
mod affiliate_v2;
#[path = "advertisers/config.rs"]
mod config;
#[path = "advertisers/guard.rs"]
mod guard;
#[path = "advertisers/http_template.rs"]
mod http_template;
#[path = "advertisers/lead_provider.rs"]
mod lead_provider;

use std::sync::Arc;
use std::time::Duration;

use brokercrm_core::distribution::LeadErrorType;
use brokercrm_integrations::advertisers::{
    AdapterEnv, AdvertiserClient, Delivery, ExternalKind, OutboundLead, build_client,
};
use serde_json::Value;
use wiremock::MockServer;

/// Generous time budget for deliveries that should answer.
pub const BUDGET: Duration = Duration::from_secs(10);

/// An environment that may reach the local mock servers.
pub fn env() -> AdapterEnv {
    AdapterEnv::new(true).unwrap()
}

pub fn client(kind: ExternalKind, config: &Value, env: &AdapterEnv) -> Arc<dyn AdvertiserClient> {
    build_client(kind, config, env).unwrap()
}

/// A complete lead.
pub fn lead() -> OutboundLead {
    let mut lead = OutboundLead {
        lead_uuid: "0f1b8398-e144-4fa6-93e0-1d7dce7b74db".into(),
        ip: "93.86.208.220".into(),
        country: Some("DE".into()),
        language: Some("de".into()),
        is_test: true,
        email: Some("test.lead@example.com".into()),
        first_name: Some("Test".into()),
        last_name: Some("Lead".into()),
        phone: Some("+49301234567".into()),
        password: Some("123abcDEF".into()),
        offer_name: Some("Tesler DE".into()),
        affiliate_id: Some(42),
        ..OutboundLead::default()
    };
    lead.profile.insert("aff_sub".into(), "a b&c".into());
    lead
}

/// The rejection's type and message; panics on acceptance.
pub fn rejected(d: &Delivery) -> (LeadErrorType, &str, &[String]) {
    match d {
        Delivery::Rejected { error_type, message, required_fields } => {
            (*error_type, message.as_str(), required_fields.as_slice())
        }
        other => panic!("expected a rejection, got {other:?}"),
    }
}

/// How many requests `server` received.
pub async fn hits(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

/// The JSON body of the `n`th request `server` received.
pub async fn body_of(server: &MockServer, n: usize) -> Value {
    let requests = server.received_requests().await.unwrap();
    serde_json::from_slice(&requests[n].body).unwrap()
}
