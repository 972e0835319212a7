//! Calls (seed tag Calls): the VoIP provider set-up (current provider, each provider's URL,
//! Voiso's API key sealed with the data key), per-customer call agents, calls started by
//! agents, and the providers' webhooks. Setup writes need ManageSettings, reads ReadSettings;
//! calls and agents need WorkCustomers and the customer (lead) in scope. Every write is
//! audited in its transaction.
//!
//! Storage: settings `calls.provider` (the current provider), `calls.voiso`
//! (`{"url","sealedApiKey"}`), `calls.coperato` (`{"url"}`). The Settings tag's
//! `voip.provider` (one provider with its URL and key) is read as a fallback, so a deployment
//! configured there works unchanged. Webhook secrets are generated on first use under
//! `system.voip_webhook_secret.<provider>` (sealed; never visible through the Settings API).

pub mod agents;
pub mod config;
pub mod dial;
pub mod webhooks;

pub use config::{Availability, ProviderConfig};

/// A fresh public id.
fn new_uuid() -> String {
    uuid::Uuid::now_v7().to_string()
}
