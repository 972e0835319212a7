//! The push error types of seed 001's table ("Error Types with status code 400").

use serde::{Deserialize, Serialize};

/// Why a lead was not delivered, exactly as seed 001 names it on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LeadErrorType {
    /// Rejected by a traffic filter (weekday, hour, country).
    BlockedByTrafficFilter,
    /// No advertiser could take the lead (caps full, rejected cap full, empty rotation).
    RotationError,
    /// Validation error the affiliate can fix (e.g. a required field is missing).
    FixableInput,
    /// The advertiser already has this lead.
    DuplicationError,
    /// Rejected by our own deduplication rules.
    CrmDuplicationError,
    /// The country is blocked.
    BlockCountry,
    /// Validation error on the advertiser's side.
    InvalidData,
    /// Anything else.
    Unknown,
    /// The rotation's global time budget (85 s) ran out.
    TimeoutError,
    /// The advertiser accepted but returned no auto-login URL.
    NoAutologinUrl,
    /// The advertiser accepted but returned no lead id of its own.
    NoBrandCrmId,
    /// The advertiser refused the lead.
    BlockedByAdvertiser,
}

impl LeadErrorType {
    pub const ALL: [LeadErrorType; 12] = [
        Self::BlockedByTrafficFilter,
        Self::RotationError,
        Self::FixableInput,
        Self::DuplicationError,
        Self::CrmDuplicationError,
        Self::BlockCountry,
        Self::InvalidData,
        Self::Unknown,
        Self::TimeoutError,
        Self::NoAutologinUrl,
        Self::NoBrandCrmId,
        Self::BlockedByAdvertiser,
    ];

    /// The wire name, e.g. `BLOCKED_BY_TRAFFIC_FILTER`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::BlockedByTrafficFilter => "BLOCKED_BY_TRAFFIC_FILTER",
            Self::RotationError => "ROTATION_ERROR",
            Self::FixableInput => "FIXABLE_INPUT",
            Self::DuplicationError => "DUPLICATION_ERROR",
            Self::CrmDuplicationError => "CRM_DUPLICATION_ERROR",
            Self::BlockCountry => "BLOCK_COUNTRY",
            Self::InvalidData => "INVALID_DATA",
            Self::Unknown => "UNKNOWN",
            Self::TimeoutError => "TIMEOUT_ERROR",
            Self::NoAutologinUrl => "NO_AUTOLOGIN_URL",
            Self::NoBrandCrmId => "NO_BRAND_CRM_ID",
            Self::BlockedByAdvertiser => "BLOCKED_BY_ADVERTISER",
        }
    }

    /// Parses a wire name; unknown names are `None`.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.as_str() == s)
    }
}

impl std::fmt::Display for LeadErrorType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wire_names_round_trip_through_serde_and_parse() {
        for t in LeadErrorType::ALL {
            let json = serde_json::to_string(&t).unwrap_or_default();
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(LeadErrorType::parse(t.as_str()), Some(t));
        }
        assert_eq!(LeadErrorType::parse("NOPE"), None);
    }
}
