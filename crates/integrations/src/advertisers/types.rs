//! The advertiser-adapter contract: the lead we send, the delivery outcome, the client trait
//! and the kinds of external adapter.

use std::collections::BTreeMap;
use std::time::Duration;

use brokercrm_core::distribution::LeadErrorType;

/// What is sent to an advertiser.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct OutboundLead {
    pub lead_uuid: String,
    pub ip: String,
    /// ISO-2.
    pub country: Option<String>,
    /// ISO 639-1.
    pub language: Option<String>,
    pub is_test: bool,
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub phone: Option<String>,
    pub password: Option<String>,
    /// Every other lead-profile key (aff_sub, aff_sub2.., custom keys), already trimmed.
    pub profile: BTreeMap<String, String>,
    /// Offer/funnel name and our affiliate's id, for lead-source strings.
    pub offer_name: Option<String>,
    pub affiliate_id: Option<i64>,
}

/// The outcome of one delivery attempt.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    Accepted { external_id: Option<String>, auto_login_url: Option<String> },
    Rejected { error_type: LeadErrorType, message: String, required_fields: Vec<String> },
}

impl Delivery {
    /// A rejection without required fields.
    pub fn rejected(error_type: LeadErrorType, message: impl Into<String>) -> Self {
        Self::Rejected { error_type, message: message.into(), required_fields: Vec::new() }
    }
}

/// An advertiser we can deliver leads to.
#[async_trait::async_trait]
pub trait AdvertiserClient: Send + Sync {
    /// Delivers one lead; never panics; transport errors → Rejected{Unknown}; exceeding
    /// `timeout` → Rejected{TimeoutError}.
    async fn deliver(&self, lead: &OutboundLead, timeout: Duration) -> Delivery;
}

/// The kinds of external adapter (the internal CRM one lives in the app crate, not here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalKind {
    LeadProvider,
    AffiliateV2,
    HttpTemplate,
}

impl ExternalKind {
    pub const ALL: [ExternalKind; 3] = [Self::LeadProvider, Self::AffiliateV2, Self::HttpTemplate];

    /// The stored name: `lead_provider`, `affiliate_v2` or `http_template`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::LeadProvider => "lead_provider",
            Self::AffiliateV2 => "affiliate_v2",
            Self::HttpTemplate => "http_template",
        }
    }

    /// Parses a stored name; unknown names are `None`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.as_str() == s)
    }
}

impl std::fmt::Display for ExternalKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip() {
        for k in ExternalKind::ALL {
            assert_eq!(ExternalKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(ExternalKind::parse("crm"), None);
    }
}
