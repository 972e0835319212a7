//! What the market-data context keeps in memory: the token signer (loaded on first use, so a
//! deployment whose data key cannot open it still starts and fails only there), the
//! applications recently authenticated (keyed by the SHA-256 of their API key, for
//! `KEY_CACHE_TTL`) and the feeds' QD filters (for as long), so the hot token path costs one
//! hash, one read (the account and its active feeds) and one signature.

use std::sync::Arc;
use std::time::Duration;

use brokercrm_core::Result;
use brokercrm_store::DatabaseConnection;
use brokercrm_store::repo::market_data::applications::ApplicationRow;

use crate::market_data::signing::TokenSigner;
use crate::platform::crypto::DataKey;

/// How long an authenticated key is remembered (a revocation on another instance takes at
/// most this long to be seen; on this instance it is immediate).
pub const KEY_CACHE_TTL: Duration = Duration::from_secs(30);
/// Most keys remembered.
const KEY_CACHE_SIZE: u64 = 10_000;
/// Most feeds whose filters are remembered.
const FEED_CACHE_SIZE: u64 = 10_000;

#[derive(Clone)]
pub struct MarketData {
    signer: Arc<tokio::sync::OnceCell<TokenSigner>>,
    pub keys: moka::sync::Cache<String, Arc<ApplicationRow>>,
    /// The QD filters of each feed, by feed id (a staff change of a feed forgets it here at
    /// once; other instances see it within `KEY_CACHE_TTL`).
    pub feed_filters: moka::sync::Cache<i64, Arc<Vec<String>>>,
}

impl Default for MarketData {
    fn default() -> Self {
        Self {
            signer: Arc::new(tokio::sync::OnceCell::new()),
            keys: moka::sync::Cache::builder()
                .max_capacity(KEY_CACHE_SIZE)
                .time_to_live(KEY_CACHE_TTL)
                .build(),
            feed_filters: moka::sync::Cache::builder()
                .max_capacity(FEED_CACHE_SIZE)
                .time_to_live(KEY_CACHE_TTL)
                .build(),
        }
    }
}

impl MarketData {
    /// The token signer, loaded (or generated) on first use.
    pub async fn signer(&self, conn: &DatabaseConnection, key: &DataKey) -> Result<&TokenSigner> {
        self.signer.get_or_try_init(|| TokenSigner::load(conn, key)).await
    }
}
