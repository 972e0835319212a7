//! Market-data access tokens: EdDSA (Ed25519) JWTs, so a market-data server can check them
//! offline with the published public key (a JWK set). The private key is generated on first
//! use and stored sealed with the data key in the settings table.

use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use brokercrm_core::{Error, Result};
use brokercrm_store::DatabaseConnection;
use brokercrm_store::repo::platform::settings;
use ed25519_dalek::{Signer, SigningKey};
use jsonwebtoken::{Algorithm, DecodingKey, Header, Validation};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::platform::crypto::DataKey;

/// Setting holding the sealed Ed25519 seed.
pub const SIGNING_KEY_SETTING: &str = "market_data.signing_key";
/// Issuer of market-data tokens.
pub const ISSUER: &str = "brokercrm-market-data";

/// What a market-data token carries.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct MdClaims {
    pub iss: String,
    /// The account id (`accountId`).
    pub sub: String,
    /// The application's public id.
    pub app: String,
    /// The QD filters the account is entitled to.
    pub filters: Vec<String>,
    pub iat: i64,
    pub exp: i64,
}

/// The signing key (expanded once), its public half and key id.
#[derive(Clone)]
pub struct TokenSigner {
    sk: SigningKey,
    /// The JWT header, base64url, with the `.` that follows it (the same for every token).
    header: String,
    dec: DecodingKey,
    public: [u8; 32],
    kid: String,
}

impl TokenSigner {
    /// A signer from a 32-byte Ed25519 seed.
    pub fn from_seed(seed: &[u8; 32]) -> Result<Self> {
        let sk = SigningKey::from_bytes(seed);
        let public = sk.verifying_key().to_bytes();
        let kid = hex::encode(&Sha256::digest(public)[..8]);
        let mut header = Header::new(Algorithm::EdDSA);
        header.kid = Some(kid.clone());
        let header = format!(
            "{}.",
            URL_SAFE_NO_PAD.encode(serde_json::to_vec(&header).map_err(Error::internal)?)
        );
        Ok(Self { sk, header, dec: DecodingKey::from_ed_der(&public), public, kid })
    }

    /// Loads the key from settings, generating and storing it (sealed) on first use.
    pub async fn load(conn: &DatabaseConnection, key: &DataKey) -> Result<Self> {
        let seed: [u8; 32] = rand::random();
        let fresh = key.seal(SIGNING_KEY_SETTING.as_bytes(), &seed)?;
        let stored = settings::put_if_absent(conn, SIGNING_KEY_SETTING, &fresh, true).await?;
        let plain = key.open(SIGNING_KEY_SETTING.as_bytes(), &stored)?;
        let seed: [u8; 32] = plain
            .try_into()
            .map_err(|_| Error::internal("market-data signing key is not 32 bytes"))?;
        Self::from_seed(&seed)
    }

    /// A compact JWS (RFC 7515) of `claims`: the fixed header, the claims, the Ed25519
    /// signature of both — what `jsonwebtoken::encode` makes, without parsing the key anew
    /// for each token.
    pub fn sign(&self, claims: &MdClaims) -> Result<String> {
        let payload = serde_json::to_vec(claims).map_err(Error::internal)?;
        let mut out = String::with_capacity(self.header.len() + payload.len() * 4 / 3 + 90);
        out.push_str(&self.header);
        URL_SAFE_NO_PAD.encode_string(&payload, &mut out);
        let sig = self.sk.sign(out.as_bytes());
        out.push('.');
        URL_SAFE_NO_PAD.encode_string(sig.to_bytes(), &mut out);
        Ok(out)
    }

    /// Verifies signature, issuer and expiry (what a market-data server does).
    pub fn verify(&self, token: &str) -> Result<MdClaims> {
        let mut v = Validation::new(Algorithm::EdDSA);
        v.set_issuer(&[ISSUER]);
        v.leeway = 0;
        jsonwebtoken::decode::<MdClaims>(token, &self.dec, &v)
            .map(|d| d.claims)
            .map_err(|_| Error::Unauthorized("invalid market-data token".into()))
    }

    /// The public key as a JWK set (RFC 8037: `OKP`, `Ed25519`).
    pub fn jwks(&self) -> serde_json::Value {
        serde_json::json!({
            "keys": [{
                "kty": "OKP",
                "crv": "Ed25519",
                "alg": "EdDSA",
                "use": "sig",
                "kid": self.kid,
                "x": URL_SAFE_NO_PAD.encode(self.public),
            }]
        })
    }

    /// The public key in standard base64 (raw 32 bytes).
    pub fn public_key_base64(&self) -> String {
        STANDARD.encode(self.public)
    }
}

/// The published key set of `app` (loads the signer on first use).
pub async fn jwks(app: &crate::App) -> Result<serde_json::Value> {
    Ok(app.market_data().signer(app.db().conn(), app.data_key()).await?.jwks())
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn signs_and_verifies_and_refuses_other_keys() {
        let a = TokenSigner::from_seed(&[7; 32]).unwrap();
        let b = TokenSigner::from_seed(&[8; 32]).unwrap();
        let now = chrono::Utc::now().timestamp();
        let c = MdClaims {
            iss: ISSUER.into(),
            sub: "acc".into(),
            app: "app".into(),
            filters: vec!["CME".into()],
            iat: now,
            exp: now + 60,
        };
        let t = a.sign(&c).unwrap();
        assert_eq!(a.verify(&t).unwrap(), c);
        assert!(b.verify(&t).is_err());
        let old = MdClaims { exp: now - 10, ..c };
        assert!(a.verify(&a.sign(&old).unwrap()).is_err());
    }
}
