//! Reference data a hot request path reads on every call but staff rarely change, kept in this
//! process for a time to live: the use case that changes it drops the entries after its
//! commit ([`Cached::forget_all`]), so this process sees the change at once; other instances
//! see it within the TTL. A miss (no such row) is never remembered, so a row created meanwhile
//! is found at once. A TTL of zero reads on every call.

use std::hash::Hash;
use std::time::Duration;

use brokercrm_core::Result;

/// Values of `V` by key `K`, each kept for the TTL it was built with.
pub struct Cached<K, V> {
    cache: Option<moka::sync::Cache<K, V>>,
}

impl<K, V> Cached<K, V>
where
    K: Hash + Eq + Send + Sync + 'static,
    V: Clone + Send + Sync + 'static,
{
    /// At most `capacity` entries, each for `ttl` (zero: nothing kept).
    pub fn new(ttl: Duration, capacity: u64) -> Self {
        let cache = (!ttl.is_zero())
            .then(|| moka::sync::Cache::builder().max_capacity(capacity).time_to_live(ttl).build());
        Self { cache }
    }

    /// The value of `key`: the kept one, else what `read` finds (kept when found).
    pub async fn get_or_read<F>(&self, key: K, read: F) -> Result<Option<V>>
    where
        F: Future<Output = Result<Option<V>>>,
    {
        if let Some(v) = self.cache.as_ref().and_then(|c| c.get(&key)) {
            return Ok(Some(v));
        }
        let found = read.await?;
        if let (Some(c), Some(v)) = (&self.cache, &found) {
            c.insert(key, v.clone());
        }
        Ok(found)
    }

    /// Drops every entry (after a committed change).
    pub fn forget_all(&self) {
        if let Some(c) = &self.cache {
            c.invalidate_all();
        }
    }
}
