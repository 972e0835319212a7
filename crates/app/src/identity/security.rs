//! Secrets: argon2id password hashing, random tokens, SHA-256 lookup hashes, constant-time
//! comparison and JWT access tokens.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use brokercrm_core::{Error, Result};
use jsonwebtoken::{DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// Hashes passwords with argon2id at the configured memory cost.
#[derive(Clone, Copy)]
pub struct PasswordHasherCfg {
    pub memory_kib: u32,
}

impl PasswordHasherCfg {
    fn argon(&self) -> Result<Argon2<'static>> {
        let params = Params::new(self.memory_kib, 2, 1, None).map_err(Error::internal)?;
        Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
    }

    /// PHC string of `password`.
    pub fn hash(&self, password: &str) -> Result<String> {
        Ok(self.argon()?.hash_password(password.as_bytes()).map_err(Error::internal)?.to_string())
    }

    /// True when `password` matches the PHC string `hash`.
    pub fn verify(&self, password: &str, hash: &str) -> bool {
        let Ok(parsed) = PasswordHash::new(hash) else { return false };
        Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok()
    }
}

/// Runs argon2 on the blocking pool so it does not stall the async workers.
pub async fn hash_password(cfg: PasswordHasherCfg, password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || cfg.hash(&password)).await.map_err(Error::internal)?
}

/// Verifies on the blocking pool. A missing hash still costs one hash (no timing oracle).
pub async fn verify_password(
    cfg: PasswordHasherCfg,
    password: String,
    hash: Option<String>,
) -> Result<bool> {
    tokio::task::spawn_blocking(move || match hash {
        Some(h) => cfg.verify(&password, &h),
        None => {
            let _ = cfg.hash(&password);
            false
        }
    })
    .await
    .map_err(Error::internal)
}

/// A fresh referral key (12 URL-safe characters).
pub fn new_ref_key() -> String {
    random_token(9)
}

/// A random URL-safe token of `bytes` random bytes.
pub fn random_token(bytes: usize) -> String {
    let buf: Vec<u8> = (0..bytes).map(|_| rand::random::<u8>()).collect();
    URL_SAFE_NO_PAD.encode(buf)
}

/// A random numeric code of `digits` digits (SMS confirmation).
pub fn random_digits(digits: usize) -> String {
    (0..digits).map(|_| char::from(b'0' + rand::random_range(0..10u8))).collect()
}

/// Hex SHA-256 of a token: what is stored and looked up instead of the token itself.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// Constant-time equality of two secrets.
pub fn ct_eq(a: &str, b: &str) -> bool {
    a.as_bytes().ct_eq(b.as_bytes()).into()
}

/// Claims of an access token.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Claims {
    /// User UUID.
    pub sub: String,
    /// Numeric user id.
    pub uid: i64,
    pub role: String,
    pub exp: i64,
    pub iat: i64,
    /// Admin user id when this token impersonates a customer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub imp: Option<i64>,
    /// The user's token generation when the token was issued; authentication refuses a token
    /// of an older generation (password changed or reset, account disabled).
    #[serde(default, rename = "gen")]
    pub generation: i64,
    /// Token id, where the protocol reports one (seed 000's `jti`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub jti: Option<String>,
}

/// HS256 keys for access tokens.
#[derive(Clone)]
pub struct JwtKeys {
    enc: EncodingKey,
    dec: DecodingKey,
}

impl JwtKeys {
    pub fn from_secret(secret: &[u8]) -> Self {
        Self { enc: EncodingKey::from_secret(secret), dec: DecodingKey::from_secret(secret) }
    }

    pub fn sign(&self, claims: &Claims) -> Result<String> {
        encode(&Header::default(), claims, &self.enc).map_err(Error::internal)
    }

    /// Validates signature and expiry.
    pub fn verify(&self, token: &str) -> Result<Claims> {
        let mut v = Validation::new(jsonwebtoken::Algorithm::HS256);
        v.leeway = 5;
        decode::<Claims>(token, &self.dec, &v)
            .map(|d| d.claims)
            .map_err(|_| Error::Unauthorized("invalid or expired token".into()))
    }
}

impl std::fmt::Debug for JwtKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("JwtKeys(<redacted>)")
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn password_round_trip() {
        let cfg = PasswordHasherCfg { memory_kib: 1024 };
        let h = cfg.hash("correct horse 1").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(cfg.verify("correct horse 1", &h));
        assert!(!cfg.verify("wrong", &h));
        assert!(!cfg.verify("x", "not a hash"));
    }

    #[test]
    fn tokens_and_jwt() {
        let t = random_token(32);
        assert_eq!(t.len(), 43);
        assert_ne!(t, random_token(32));
        assert_eq!(token_hash("a").len(), 64);
        assert!(ct_eq("abc", "abc") && !ct_eq("abc", "abd"));
        assert_eq!(random_digits(6).len(), 6);
        let keys = JwtKeys::from_secret(b"0123456789abcdef0123456789abcdef");
        let now = chrono::Utc::now().timestamp();
        let c = Claims {
            jti: None,
            sub: "u".into(),
            uid: 1,
            role: "admin".into(),
            exp: now + 60,
            iat: now,
            imp: None,
            generation: 0,
        };
        let tok = keys.sign(&c).unwrap();
        assert_eq!(keys.verify(&tok).unwrap().uid, 1);
        let expired = Claims { exp: now - 600, ..c };
        assert!(keys.verify(&keys.sign(&expired).unwrap()).is_err());
        assert!(JwtKeys::from_secret(b"other-secret-other-secret-other!").verify(&tok).is_err());
    }
}
