//! The protocol's vocabulary shared by the grant flows: code lifetime, RFC error codes and
//! errors, and the PKCE S256 checks.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use sha2::{Digest, Sha256};

/// Lifetime of an authorization code in seconds.
pub const CODE_TTL_SECS: i64 = 60;

/// The error codes of RFC 6749 §4.1.2.1 and §5.2 (plus OIDC's `login_required`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OAuthErrorCode {
    InvalidRequest,
    InvalidClient,
    InvalidGrant,
    UnauthorizedClient,
    UnsupportedGrantType,
    UnsupportedResponseType,
    InvalidScope,
    AccessDenied,
    LoginRequired,
    ServerError,
    /// Too many failed client authentications: wait `retry_after` seconds (RFC 8628 §3.5's
    /// code, answered with 429 and `Retry-After`).
    SlowDown,
}

impl OAuthErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidRequest => "invalid_request",
            Self::InvalidClient => "invalid_client",
            Self::InvalidGrant => "invalid_grant",
            Self::UnauthorizedClient => "unauthorized_client",
            Self::UnsupportedGrantType => "unsupported_grant_type",
            Self::UnsupportedResponseType => "unsupported_response_type",
            Self::InvalidScope => "invalid_scope",
            Self::AccessDenied => "access_denied",
            Self::LoginRequired => "login_required",
            Self::ServerError => "server_error",
            Self::SlowDown => "slow_down",
        }
    }
}

/// An OAuth error: the RFC code and a description that names the offending parameter.
#[derive(Debug, Clone)]
pub struct OAuthError {
    pub code: OAuthErrorCode,
    pub description: String,
    /// Seconds to wait, with `SlowDown`.
    pub retry_after: Option<u64>,
}

impl OAuthError {
    pub fn new(code: OAuthErrorCode, description: impl Into<String>) -> Self {
        Self { code, description: description.into(), retry_after: None }
    }

    /// `invalid_request` about one parameter.
    pub fn request(field: &str, msg: &str) -> Self {
        Self::new(OAuthErrorCode::InvalidRequest, format!("{field}: {msg}"))
    }

    pub fn grant(msg: impl Into<String>) -> Self {
        Self::new(OAuthErrorCode::InvalidGrant, msg)
    }
}

/// A rate limit becomes `slow_down`; infrastructure failures become `server_error` (the cause
/// goes to the log only).
impl From<brokercrm_core::Error> for OAuthError {
    fn from(e: brokercrm_core::Error) -> Self {
        match e {
            brokercrm_core::Error::RateLimited { retry_after_secs } => {
                let mut slow = Self::new(OAuthErrorCode::SlowDown, "too many failed attempts");
                slow.retry_after = Some(retry_after_secs);
                slow
            }
            brokercrm_core::Error::Validation(fields) => match fields.first() {
                Some(f) => Self::request(&f.field, &f.message),
                None => Self::new(OAuthErrorCode::InvalidRequest, "invalid request"),
            },
            brokercrm_core::Error::BadRequest(msg) => {
                Self::new(OAuthErrorCode::InvalidRequest, msg)
            }
            e => {
                tracing::error!(error = ?e, "oauth: internal error");
                Self::new(OAuthErrorCode::ServerError, "internal server error")
            }
        }
    }
}

/// `BASE64URL(SHA256(verifier))` without padding (RFC 7636 §4.2).
pub fn s256_challenge(verifier: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()))
}

/// RFC 7636 §4.1: 43 to 128 characters of `[A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~"`.
pub fn is_valid_verifier(v: &str) -> bool {
    (43..=128).contains(&v.len())
        && v.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~'))
}

/// An S256 challenge is the unpadded base64url of 32 bytes: 43 characters.
pub(crate) fn is_valid_s256_challenge(c: &str) -> bool {
    c.len() == 43 && c.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}
