//! The registry of known setting keys: each key's kind, whether it is secret and whether
//! anyone may read it. Keys written by other contexts' dedicated use cases (calls, VoIP,
//! SumSub, default wallet) are named here, so settings depends on no context above it.

use brokercrm_core::{Error, Result};

/// Setting key of the VoIP provider (`providers::VoipConfig`, secret).
pub const VOIP_KEY: &str = "voip.provider";
/// Setting key of the SumSub KYC configuration (`providers::SumsubConfig`, secret).
pub const SUMSUB_KEY: &str = "kyc.sumsub";
/// Setting key of the default wallet platform and group (`providers::DefaultWallet`).
pub const DEFAULT_WALLET_KEY: &str = "wallet.default";

/// Setting key of the active call provider (`sales::calls::config`).
pub const CALLS_PROVIDER_KEY: &str = "calls.provider";
/// Setting key of the Voiso call settings (`sales::calls::config`, secret API key).
pub const CALLS_VOISO_KEY: &str = "calls.voiso";
/// Setting key of the Coperato call settings (`sales::calls::config`).
pub const CALLS_COPERATO_KEY: &str = "calls.coperato";

/// How a setting's value is checked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Trimmed non-empty text of at most this many characters.
    Text(usize),
    Email,
    Url,
    /// `true` or `false`.
    Bool,
    /// ISO 4217 code, e.g. `USD`.
    Currency,
    /// ISO 639-1 code, e.g. `en`.
    Language,
    /// A JSON value written only by the named dedicated endpoint.
    Managed(&'static str),
}

/// A known setting.
#[derive(Debug, Clone, Copy)]
pub struct KeyDef {
    pub key: &'static str,
    pub kind: Kind,
    /// Stored flagged secret and returned masked.
    pub secret: bool,
    /// Readable without authentication (public portal pages).
    pub public: bool,
}

const fn def(key: &'static str, kind: Kind, secret: bool, public: bool) -> KeyDef {
    KeyDef { key, kind, secret, public }
}

/// Every key of the Settings API except the open `custom.*` namespace (text, staff-only).
pub const KEYS: &[KeyDef] = &[
    def(
        crate::platform::email::EMAIL_PROVIDER_KEY,
        Kind::Managed("PUT /api/settings/email/{provider}"),
        true,
        false,
    ),
    def(
        crate::platform::recaptcha::RECAPTCHA_KEY,
        Kind::Managed("PUT /api/settings/recaptcha"),
        true,
        false,
    ),
    def(VOIP_KEY, Kind::Managed("PUT /api/settings/voip/{provider}"), true, false),
    def(SUMSUB_KEY, Kind::Managed("PUT /api/settings/sumsub"), true, false),
    def(DEFAULT_WALLET_KEY, Kind::Managed("PUT /api/settings/default-wallet"), false, false),
    def("company.name", Kind::Text(200), false, true),
    def("company.email", Kind::Email, false, true),
    def("company.website", Kind::Url, false, true),
    def("company.phone", Kind::Text(50), false, true),
    def("portal.url", Kind::Url, false, true),
    def("signup.enabled", Kind::Bool, false, true),
    def("default.currency", Kind::Currency, false, true),
    def("default.language", Kind::Language, false, true),
    def(CALLS_PROVIDER_KEY, Kind::Managed("PUT /api/calls/provider"), false, false),
    def(CALLS_VOISO_KEY, Kind::Managed("PUT /api/calls/url, /api-key"), true, false),
    def(CALLS_COPERATO_KEY, Kind::Managed("PUT /api/calls/url"), false, false),
];

/// Prefix of free-form keys a broker may add (`custom.<name>`).
pub const CUSTOM_PREFIX: &str = "custom.";

/// The definition of `key`, or `NotFound` for unknown and `system.*` keys.
pub fn lookup(key: &str) -> Result<KeyDef> {
    if let Some(d) = KEYS.iter().find(|d| d.key == key) {
        return Ok(*d);
    }
    let custom = key.strip_prefix(CUSTOM_PREFIX).is_some_and(|name| {
        (1..=100).contains(&name.len())
            && name.chars().all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '-' | '.')
            })
    });
    if custom {
        Ok(def("custom", Kind::Text(4000), false, false))
    } else {
        Err(Error::NotFound("setting"))
    }
}
