//! The cache of lead-provider (seed 000) OAuth access tokens, shared by every client built
//! from one `AdapterEnv`: one token per (base URL, client id, username), fetched once even
//! when many deliveries need it at the same moment.

use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Tokens are dropped this long before the advertiser says they expire.
const EXPIRY_MARGIN: Duration = Duration::from_secs(30);
/// Shortest time a fetched token is kept.
const MIN_LIFETIME: Duration = Duration::from_secs(1);

/// Which credentials a token belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) struct TokenKey {
    pub base_url: String,
    pub client_id: String,
    pub username: String,
}

#[derive(Debug, Clone)]
struct Cached {
    token: String,
    until: Instant,
}

type Slot = Arc<tokio::sync::Mutex<Option<Cached>>>;

/// A clonable cache of access tokens; clones share the same entries.
///
/// Each key has its own async lock, held while a token is fetched, so concurrent deliveries
/// to one advertiser wait for a single token request instead of each sending one. Keys are
/// per adapter configuration, so the map stays as small as the number of adapters.
#[derive(Debug, Clone, Default)]
pub struct TokenCache {
    slots: Arc<Mutex<HashMap<TokenKey, Slot>>>,
}

impl TokenCache {
    pub fn new() -> Self {
        Self::default()
    }

    fn slot(&self, key: &TokenKey) -> Slot {
        let mut slots = self.slots.lock().unwrap_or_else(PoisonError::into_inner);
        slots.entry(key.clone()).or_default().clone()
    }

    /// The cached token of `key` if still fresh, else the one `fetch` returns (with its
    /// `expires_in`), which is then kept until `expires_in` minus 30 s (at least 1 s).
    /// A failed fetch caches nothing.
    pub(crate) async fn get_or_fetch<F, Fut, E>(
        &self,
        key: &TokenKey,
        fetch: F,
    ) -> Result<String, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<(String, Duration), E>>,
    {
        let slot = self.slot(key);
        let mut cached = slot.lock().await;
        if let Some(c) = cached.as_ref().filter(|c| c.until > Instant::now()) {
            return Ok(c.token.clone());
        }
        let (token, expires_in) = fetch().await?;
        let lifetime = expires_in.saturating_sub(EXPIRY_MARGIN).max(MIN_LIFETIME);
        *cached = Some(Cached { token: token.clone(), until: Instant::now() + lifetime });
        Ok(token)
    }

    /// Forgets `token` for `key` (the advertiser refused it); a newer token another task
    /// already fetched is kept.
    pub(crate) async fn invalidate(&self, key: &TokenKey, token: &str) {
        let slot = self.slot(key);
        let mut cached = slot.lock().await;
        if cached.as_ref().is_some_and(|c| c.token == token) {
            *cached = None;
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    fn key() -> TokenKey {
        TokenKey { base_url: "https://a".into(), client_id: "c".into(), username: "u".into() }
    }

    #[tokio::test]
    async fn caches_until_invalidated_and_never_caches_failures() {
        let cache = TokenCache::new();
        let calls = AtomicUsize::new(0);
        let fetch = || async {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>((format!("t{n}"), Duration::from_secs(900)))
        };
        assert_eq!(cache.get_or_fetch(&key(), fetch).await.unwrap(), "t0");
        assert_eq!(cache.clone().get_or_fetch(&key(), fetch).await.unwrap(), "t0");
        cache.invalidate(&key(), "stale").await;
        assert_eq!(cache.get_or_fetch(&key(), fetch).await.unwrap(), "t0");
        cache.invalidate(&key(), "t0").await;
        assert_eq!(cache.get_or_fetch(&key(), fetch).await.unwrap(), "t1");
        let other = TokenKey { username: "v".into(), ..key() };
        assert!(
            cache.get_or_fetch(&other, || async { Err::<(String, Duration), _>(7) }).await.is_err()
        );
        assert_eq!(cache.get_or_fetch(&other, fetch).await.unwrap(), "t2");
    }

    #[tokio::test]
    async fn short_lived_tokens_expire() {
        let cache = TokenCache::new();
        let calls = AtomicUsize::new(0);
        let fetch = || async {
            let n = calls.fetch_add(1, Ordering::SeqCst);
            Ok::<_, ()>((format!("t{n}"), Duration::from_secs(0)))
        };
        assert_eq!(cache.get_or_fetch(&key(), fetch).await.unwrap(), "t0");
        tokio::time::sleep(Duration::from_millis(1100)).await;
        assert_eq!(cache.get_or_fetch(&key(), fetch).await.unwrap(), "t1");
    }
}
