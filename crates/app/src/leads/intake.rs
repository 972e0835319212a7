//! Accepting a lead from any channel (affiliate API v2, lead-provider API): resolve the
//! offer, store the lead before any outbound call, then route it.

use std::collections::BTreeMap;

use brokercrm_core::leads::LeadErrorType;
use brokercrm_core::{Error, Result};
use serde::Serialize;

use crate::App;

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

/// Stores the lead and routes it. `Err(NotFound("offer"))` when the offer does not exist or
/// is not open to this affiliate (nothing is stored then); every other refusal is a stored
/// lead with a `Rejected` outcome.
pub async fn submit(app: &App, s: Submission) -> Result<Outcome> {
    let _ = (app, s);
    Err(Error::internal("lead intake is being wired"))
}
