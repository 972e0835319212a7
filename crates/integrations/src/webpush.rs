//! Web Push (RFC 8030) through the guarded outbound client: the payload encrypted for the
//! browser per RFC 8291 (`aes128gcm`) and the request signed with the server's VAPID key
//! (RFC 8292, an ES256 JWT), both by `web-push-native`.

use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use brokercrm_core::{Error, Result};
use web_push_native::jwt_simple::algorithms::{ECDSAP256PublicKeyLike, ES256KeyPair};
use web_push_native::p256::PublicKey;
use web_push_native::{Auth, WebPushBuilder};

use crate::outbound::OutboundClient;

/// How long a VAPID signature is valid (RFC 8292 allows at most 24 hours).
const VAPID_VALIDITY: Duration = Duration::from_secs(12 * 60 * 60);

/// Time-out of one push request.
const PUSH_TIMEOUT: Duration = Duration::from_secs(15);

/// The server's VAPID key pair (P-256).
pub struct VapidKey(ES256KeyPair);

impl std::fmt::Debug for VapidKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("VapidKey").field(&self.public_key()).finish()
    }
}

impl VapidKey {
    /// A fresh key pair.
    pub fn generate() -> Self {
        Self(ES256KeyPair::generate())
    }

    /// The key pair of a stored private key (the 32-byte scalar).
    pub fn from_private_bytes(raw: &[u8]) -> Result<Self> {
        ES256KeyPair::from_bytes(raw)
            .map(Self)
            .map_err(|e| Error::internal(format!("stored VAPID key unusable: {e}")))
    }

    /// The private key (32 bytes) to store, sealed.
    pub fn private_bytes(&self) -> Vec<u8> {
        self.0.to_bytes()
    }

    /// The public key as browsers take it (`applicationServerKey`): the uncompressed point,
    /// base64url without padding.
    pub fn public_key(&self) -> String {
        URL_SAFE_NO_PAD.encode(self.0.public_key().public_key().to_bytes_uncompressed())
    }
}

/// Decodes base64url, with or without padding (standard-alphabet input is accepted too).
pub fn decode_b64(raw: &str) -> Option<Vec<u8>> {
    let s: String = raw.trim().trim_end_matches('=').replace('+', "-").replace('/', "_");
    URL_SAFE_NO_PAD.decode(s).ok()
}

/// Whether `p256dh` is a P-256 public key (base64url, uncompressed point).
pub fn valid_p256dh(p256dh: &str) -> bool {
    decode_b64(p256dh).is_some_and(|b| b.len() == 65 && PublicKey::from_sec1_bytes(&b).is_ok())
}

/// Whether `auth` is a 16-byte auth secret (base64url).
pub fn valid_auth(auth: &str) -> bool {
    decode_b64(auth).is_some_and(|b| b.len() == 16)
}

/// Where and how to deliver: a browser's subscription.
#[derive(Debug, Clone)]
pub struct Target<'a> {
    pub endpoint: &'a str,
    pub p256dh: &'a str,
    pub auth: &'a str,
}

/// What the push service said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Accepted (2xx).
    Delivered,
    /// The subscription no longer exists (404 or 410): forget it.
    Gone,
    /// Refused for good (another 4xx but 429): retrying would not help.
    Rejected(u16),
}

/// Encrypts `payload` for `to`, signs with `vapid` (`contact`: the `sub` claim, a `mailto:` or
/// `https:` URI) and posts it with the `TTL` header `ttl_secs`. A network failure, 429 or 5xx
/// is `Err(Upstream)` (the caller retries).
pub async fn send(
    http: &OutboundClient,
    vapid: &VapidKey,
    contact: &str,
    to: &Target<'_>,
    payload: &[u8],
    ttl_secs: u32,
) -> Result<Outcome> {
    let bad = |what: &str| Error::internal(format!("push subscription unusable: {what}"));
    let endpoint = to.endpoint.parse().map_err(|_| bad("endpoint"))?;
    let ua_public = decode_b64(to.p256dh)
        .and_then(|b| PublicKey::from_sec1_bytes(&b).ok())
        .ok_or_else(|| bad("p256dh"))?;
    let auth = decode_b64(to.auth)
        .and_then(|b| <[u8; 16]>::try_from(b).ok())
        .map(Auth::from)
        .ok_or_else(|| bad("auth"))?;
    let req = WebPushBuilder::new(endpoint, ua_public, auth)
        .with_valid_duration(VAPID_VALIDITY)
        .with_vapid(&vapid.0, contact)
        .build(payload.to_vec())
        .map_err(|e| Error::internal(format!("web push encryption: {e}")))?;
    let (parts, body) = req.into_parts();
    let mut headers = parts.headers;
    headers.insert("TTL", ttl_secs.into());
    let res = http
        .post(to.endpoint)?
        .headers(headers)
        .timeout(PUSH_TIMEOUT)
        .body(body)
        .send()
        .await
        .map_err(|e| Error::Upstream(format!("push service unreachable: {e}")))?;
    let status = res.status().as_u16();
    match status {
        200..=299 => Ok(Outcome::Delivered),
        404 | 410 => Ok(Outcome::Gone),
        429 | 500..=599 => Err(Error::Upstream(format!("push service answered {status}"))),
        _ => Ok(Outcome::Rejected(status)),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn key_round_trips_and_public_key_is_an_uncompressed_point() {
        let k = VapidKey::generate();
        let again = VapidKey::from_private_bytes(&k.private_bytes()).unwrap();
        assert_eq!(k.public_key(), again.public_key());
        assert!(valid_p256dh(&k.public_key()));
        assert!(!valid_p256dh("AAAA"));
        assert!(valid_auth(&URL_SAFE_NO_PAD.encode([7u8; 16])));
        assert!(!valid_auth(&URL_SAFE_NO_PAD.encode([7u8; 15])));
    }
}
