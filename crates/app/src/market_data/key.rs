//! Authenticating an application by `Authorization: Bearer <API key>`. A key is
//! `bmd_<prefix>_<secret>`: the prefix finds the row, the SHA-256 of the whole key is compared
//! in constant time with the stored hash (the key has 256 random bits, so a fast hash is as
//! safe as a slow one and keeps the token path fast); a hit is remembered for a short time.

use std::sync::Arc;

use brokercrm_core::Result;
use brokercrm_store::repo::market_data::applications::{self, ApplicationRow};

use crate::App;
use crate::identity::security::{ct_eq, token_hash};

/// The prefix of every market-data application key.
pub const KEY_PREFIX: &str = "bmd_";

/// Why a request carries no valid key (the seed words the two differently).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AuthFailure {
    NoHeader,
    WrongKey,
}

/// The application behind `key` (`None`: no `Authorization` header).
pub async fn authenticate(
    app: &App,
    key: Option<&str>,
) -> Result<std::result::Result<Arc<ApplicationRow>, AuthFailure>> {
    let Some(key) = key else { return Ok(Err(AuthFailure::NoHeader)) };
    let hash = token_hash(key);
    let cache = &app.market_data().keys;
    if let Some(row) = cache.get(&hash) {
        return Ok(Ok(row));
    }
    let Some(prefix) = key.strip_prefix(KEY_PREFIX).and_then(|r| r.split_once('_')).map(|p| p.0)
    else {
        return Ok(Err(AuthFailure::WrongKey));
    };
    let Some(row) = applications::find_by_prefix(app.db().conn(), prefix).await? else {
        return Ok(Err(AuthFailure::WrongKey));
    };
    if row.revoked_at.is_some() || !ct_eq(&row.key_hash, &hash) {
        return Ok(Err(AuthFailure::WrongKey));
    }
    let row = Arc::new(row);
    cache.insert(hash, row.clone());
    Ok(Ok(row))
}

/// Forgets every remembered key (after a revocation or a change of rules).
pub fn forget_keys(app: &App) {
    app.market_data().keys.invalidate_all();
}
