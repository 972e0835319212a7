//! OAuth2 authorization server (seed 002 tag OAuth): the authorization-code grant with PKCE
//! (RFC 6749 §4.1, RFC 7636, S256 only and required for every client), refresh-token
//! rotation bound to the client, logout with a registered redirect, and client management.

mod authorize;
mod clients;
mod token;

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use sha2::{Digest, Sha256};

pub use authorize::{AuthorizeOutcome, AuthorizeRequest, authorize};
pub use clients::{ClientView, CreatedClient, create_client, list_clients, revoke_client};
pub(crate) use token::authenticate_client;
pub use token::{ClientCredentials, TokenRequest, logout, token};

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
        }
    }
}

/// An OAuth error: the RFC code and a description that names the offending parameter.
#[derive(Debug, Clone)]
pub struct OAuthError {
    pub code: OAuthErrorCode,
    pub description: String,
}

impl OAuthError {
    pub fn new(code: OAuthErrorCode, description: impl Into<String>) -> Self {
        Self { code, description: description.into() }
    }

    /// `invalid_request` about one parameter.
    pub fn request(field: &str, msg: &str) -> Self {
        Self::new(OAuthErrorCode::InvalidRequest, format!("{field}: {msg}"))
    }

    pub fn grant(msg: impl Into<String>) -> Self {
        Self::new(OAuthErrorCode::InvalidGrant, msg)
    }
}

/// Infrastructure failures become `server_error`; the cause goes to the log only.
impl From<brokercrm_core::Error> for OAuthError {
    fn from(e: brokercrm_core::Error) -> Self {
        tracing::error!(error = ?e, "oauth: internal error");
        Self::new(OAuthErrorCode::ServerError, "internal server error")
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
fn is_valid_s256_challenge(c: &str) -> bool {
    c.len() == 43 && c.bytes().all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_'))
}

/// Credentials of an `Authorization: Basic` header (RFC 6749 §2.3.1: id and secret are
/// form-urlencoded before base64). `None` when the header is not valid Basic.
pub fn parse_basic(header: &str) -> Option<ClientCredentials> {
    let (scheme, b64) = header.trim().split_once(' ')?;
    if !scheme.eq_ignore_ascii_case("basic") {
        return None;
    }
    let raw = String::from_utf8(STANDARD.decode(b64.trim()).ok()?).ok()?;
    let (id, secret) = raw.split_once(':')?;
    let decode = |s: &str| {
        url::form_urlencoded::parse(format!("x={s}").as_bytes()).next().map(|(_, v)| v.into_owned())
    };
    Some(ClientCredentials { client_id: decode(id)?, client_secret: decode(secret)? })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn pkce_s256_matches_rfc7636_appendix_b() {
        let verifier = "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk";
        assert!(is_valid_verifier(verifier));
        let challenge = s256_challenge(verifier);
        assert_eq!(challenge, "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
        assert!(is_valid_s256_challenge(&challenge));
        assert!(!is_valid_verifier("short"));
        assert!(!is_valid_verifier(&"a b".repeat(20)));
    }

    #[test]
    fn basic_credentials_are_form_decoded() {
        let h = format!("Basic {}", STANDARD.encode("my%20client:s%3Acret+x"));
        let c = parse_basic(&h).unwrap();
        assert_eq!(c.client_id, "my client");
        assert_eq!(c.client_secret, "s:cret x");
        assert!(parse_basic("Bearer abc").is_none());
        assert!(parse_basic("Basic !!!").is_none());
    }
}
