//! Outbound advertiser adapters: deliver one lead to an external advertiser through the
//! Match-Trade lead-provider protocol (seed 000), the affiliate v2 protocol (seed 001) or a
//! configurable HTTP/JSON template, over the SSRF-guarded client of [`crate::outbound`].

mod affiliate_v2;
mod common;
mod http_template;
mod lead_provider;
mod template;
mod tokens;
pub mod types;

use std::sync::Arc;
use std::time::Duration;

use serde_json::Value;

pub use tokens::TokenCache;
pub use types::{AdvertiserClient, Delivery, ExternalKind, OutboundLead};

use crate::outbound::OutboundClient;

/// Request time-out of the shared client when a delivery sets none tighter.
const DEFAULT_TIMEOUT: Duration = Duration::from_secs(60);

/// Shared state for building clients: the guarded HTTP client and the OAuth token cache.
#[derive(Clone)]
pub struct AdapterEnv {
    pub http: OutboundClient,
    pub tokens: TokenCache,
    pub allow_private: bool,
}

impl AdapterEnv {
    /// A new guarded client (private targets refused unless `allow_private`) and an empty
    /// cache.
    pub fn new(allow_private: bool) -> brokercrm_core::Result<Self> {
        Ok(Self::with_client(OutboundClient::new(allow_private, DEFAULT_TIMEOUT)?))
    }

    /// Over an existing guarded client (the application's one) and an empty cache.
    pub fn with_client(http: OutboundClient) -> Self {
        let allow_private = http.allow_private();
        Self { http, tokens: TokenCache::new(), allow_private }
    }
}

/// Checks an adapter's JSON config: `Err(Error::Validation(..))` naming each bad field as
/// `config.<field>`.
pub fn validate_config(
    kind: ExternalKind,
    config: &Value,
    allow_private: bool,
) -> brokercrm_core::Result<()> {
    match kind {
        ExternalKind::LeadProvider => lead_provider::validate(config, allow_private),
        ExternalKind::AffiliateV2 => affiliate_v2::validate(config, allow_private),
        ExternalKind::HttpTemplate => http_template::validate(config, allow_private),
    }
}

/// Builds a client from a validated config (validation runs again: a bad config is an
/// `Error::Validation`, never a client).
pub fn build_client(
    kind: ExternalKind,
    config: &Value,
    env: &AdapterEnv,
) -> brokercrm_core::Result<Arc<dyn AdvertiserClient>> {
    match kind {
        ExternalKind::LeadProvider => lead_provider::build(config, env),
        ExternalKind::AffiliateV2 => affiliate_v2::build(config, env),
        ExternalKind::HttpTemplate => http_template::build(config, env),
    }
}

/// Config keys holding secrets, masked when configs are shown to staff. For `http_template`
/// the key is `headers`: every value of that object is secret.
pub fn secret_keys(kind: ExternalKind) -> &'static [&'static str] {
    match kind {
        ExternalKind::LeadProvider => lead_provider::SECRET_KEYS,
        ExternalKind::AffiliateV2 => affiliate_v2::SECRET_KEYS,
        ExternalKind::HttpTemplate => http_template::SECRET_KEYS,
    }
}

/// The lead fields an adapter's config declares it needs before it calls out (profile keys
/// such as `city`); only the HTTP/JSON template declares any (`requiredFields`).
pub fn required_fields(kind: ExternalKind, config: &Value) -> Vec<String> {
    match kind {
        ExternalKind::HttpTemplate => config
            .get("requiredFields")
            .and_then(Value::as_array)
            .map(|items| {
                items
                    .iter()
                    .filter_map(|v| v.as_str().map(str::trim).filter(|s| !s.is_empty()))
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default(),
        ExternalKind::LeadProvider | ExternalKind::AffiliateV2 => Vec::new(),
    }
}
