//! The intake pipeline's data: what a channel submits, the lead prepared for storing, and
//! what became of it (outcome, refusal, required fields). Imported by `pipeline`, `start`,
//! `routing` and `batch`; imports none of them.

use std::collections::BTreeMap;
use std::sync::Arc;

use brokercrm_core::distribution::LeadErrorType;
use brokercrm_integrations::advertisers::OutboundLead;
use serde::Serialize;

use super::plan::{DedupRule, OfferPlan};

/// Where a lead came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    AffiliateV2,
    LeadProvider,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::AffiliateV2 => "affiliate_v2",
            Channel::LeadProvider => "lead_provider",
        }
    }
}

/// How the submission names its offer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OfferRef {
    /// The integer offer id (seed 001 `offer_id`).
    Id(i64),
    /// The offer UUID (seed 000 `offerUuid`).
    Uuid(String),
    /// None given: the token's default offer, if it has one.
    Default(Option<i64>),
}

/// A validated lead as a channel hands it over.
#[derive(Debug, Clone)]
pub struct Submission {
    /// The affiliate (user id) the lead belongs to.
    pub affiliate_id: i64,
    pub token_id: Option<i64>,
    pub channel: Channel,
    pub offer: OfferRef,
    pub ip: String,
    /// ISO-2, upper case.
    pub country: Option<String>,
    /// ISO 639-1, lower case.
    pub language: Option<String>,
    pub is_test: bool,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub password: Option<String>,
    /// Every other lead-profile key, values already trimmed to 512 characters + `<..>`.
    pub profile: BTreeMap<String, String>,
}

/// A field an advertiser needs, with the value the lead had (seed 001 `requiredResponseFields`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RequiredField {
    pub key: String,
    pub value: Option<String>,
}

/// What became of a stored lead.
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    Accepted {
        lead_uuid: String,
        advertiser_uuid: String,
        advertiser_name: String,
        auto_login_url: Option<String>,
        external_id: Option<String>,
    },
    Rejected {
        lead_uuid: String,
        error_type: LeadErrorType,
        message: String,
        required_fields: Vec<RequiredField>,
    },
}

/// Why a lead was not delivered somewhere.
#[derive(Debug, Clone)]
pub struct Failure {
    pub error_type: LeadErrorType,
    pub message: String,
    pub required: Vec<RequiredField>,
}

impl Failure {
    pub fn new(error_type: LeadErrorType, message: impl Into<String>) -> Self {
        Self { error_type, message: message.into(), required: Vec::new() }
    }
}

/// A lead ready to be stored: validated, its offer's plan resolved, outside any transaction.
#[derive(Clone)]
pub(crate) struct Prepared {
    pub affiliate_id: i64,
    pub token_id: Option<i64>,
    pub channel: Channel,
    pub offer_id: i64,
    pub plan: Arc<OfferPlan>,
    pub rules: Arc<Vec<DedupRule>>,
    pub lead_goal: i64,
    pub outbound: OutboundLead,
}
