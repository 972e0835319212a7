//! CSRF tokens: every form carries `_csrf`, derived from the secret its cookie holds (the
//! session cookie, or before login the pre-session cookie), so a page of another site cannot
//! post a form in a staff member's name. A POST without the right token is refused (403)
//! before its handler runs anything.

use brokercrm_app::identity::security::{ct_eq, token_hash};

/// Name of the hidden form field.
pub const FIELD: &str = "_csrf";

/// The CSRF token of the cookie secret `secret`.
pub fn token_for(secret: &str) -> String {
    token_hash(&format!("csrf:{secret}"))
}

/// Whether `sent` is the token of one of `secrets`.
pub fn verify(sent: &str, secrets: &[&str]) -> bool {
    !sent.is_empty() && secrets.iter().any(|s| !s.is_empty() && ct_eq(sent, &token_for(s)))
}
