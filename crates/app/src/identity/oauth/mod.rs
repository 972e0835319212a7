//! OAuth2 authorization server (seed 002 tag OAuth): the authorization-code grant with PKCE
//! (RFC 6749 §4.1, RFC 7636, S256 only and required for every client), refresh-token
//! rotation bound to the client, logout with a registered redirect, and client management.

mod authorize;
mod clients;
mod protocol;
mod token;

use base64::Engine;
use base64::engine::general_purpose::STANDARD;

pub use authorize::{AuthorizeOutcome, AuthorizeRequest, authorize};
pub use clients::{ClientView, CreatedClient, create_client, list_clients, revoke_client};
pub use protocol::{CODE_TTL_SECS, OAuthError, OAuthErrorCode, is_valid_verifier, s256_challenge};
pub(crate) use token::authenticate_client;
pub use token::{ClientCredentials, TokenRequest, logout, token};

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
    use super::protocol::is_valid_s256_challenge;
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
