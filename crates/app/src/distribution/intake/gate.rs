//! The affiliate API's request gate: an exact sliding-window rate limit and the "same body
//! within N minutes" rule, behind one trait with an in-memory implementation (one instance)
//! and a database one (several instances share the windows).

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use async_trait::async_trait;
use brokercrm_core::Result;
use brokercrm_store::Db;
use brokercrm_store::repo::platform::windows;
use chrono::{DateTime, Utc};

#[async_trait]
pub trait RequestGate: Send + Sync {
    /// Counts one request for `key` at `now`; `Some(retry_after_secs)` (and nothing counted)
    /// when `limit` requests were already counted within the last `window`.
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>>;
    /// Marks `key` as seen for `window`; `Some(retry_after_secs)` when it was already seen
    /// within its window.
    async fn first_seen(
        &self,
        key: &str,
        window: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>>;
}

fn chrono_dur(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// Whole seconds until `until`, at least 1.
fn secs_until(now: DateTime<Utc>, until: DateTime<Utc>) -> u64 {
    let ms = (until - now).num_milliseconds().max(1) as u64;
    ms.div_ceil(1000)
}

/// Windows held in process memory; idle keys are dropped after an hour.
pub struct MemoryGate {
    hits: moka::sync::Cache<String, Arc<Mutex<VecDeque<DateTime<Utc>>>>>,
    seen: moka::sync::Cache<String, Arc<Mutex<DateTime<Utc>>>>,
}

impl Default for MemoryGate {
    fn default() -> Self {
        let idle = Duration::from_secs(3600);
        Self {
            hits: moka::sync::Cache::builder().time_to_idle(idle).max_capacity(2_000_000).build(),
            seen: moka::sync::Cache::builder().time_to_idle(idle).max_capacity(2_000_000).build(),
        }
    }
}

#[async_trait]
impl RequestGate for MemoryGate {
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>> {
        let q = self.hits.get_with(key.to_owned(), Default::default);
        let mut q = q.lock().unwrap_or_else(|p| p.into_inner());
        let start = now - chrono_dur(window);
        while q.front().is_some_and(|t| *t <= start) {
            q.pop_front();
        }
        if q.len() >= limit as usize {
            let oldest = q.front().copied().unwrap_or(now);
            return Ok(Some(secs_until(now, oldest + chrono_dur(window))));
        }
        q.push_back(now);
        Ok(None)
    }

    async fn first_seen(
        &self,
        key: &str,
        window: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>> {
        let until = now + chrono_dur(window);
        let mut fresh = false;
        let slot = self.seen.get_with(key.to_owned(), || {
            fresh = true;
            Arc::new(Mutex::new(until))
        });
        if fresh {
            return Ok(None);
        }
        let mut held = slot.lock().unwrap_or_else(|p| p.into_inner());
        if *held > now {
            return Ok(Some(secs_until(now, *held)));
        }
        *held = until;
        Ok(None)
    }
}

/// Windows in the database, shared by every instance on it.
pub struct DbGate {
    db: Db,
}

impl DbGate {
    pub fn new(db: Db) -> Self {
        Self { db }
    }
}

#[async_trait]
impl RequestGate for DbGate {
    async fn hit(
        &self,
        key: &str,
        limit: u32,
        window: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>> {
        let key = format!("rl:{key}");
        let start = now - chrono_dur(window);
        let tx = self.db.begin_write().await?;
        // Serialises this key's callers until commit (row lock on PostgreSQL).
        windows::lock(&tx, &key, now + chrono_dur(window)).await?;
        windows::prune_hits(&tx, &key, start).await?;
        let hits = windows::hits_since(&tx, &key, start, u64::from(limit)).await?;
        let verdict = if hits.len() >= limit as usize {
            let oldest = hits.first().copied().unwrap_or(now);
            Some(secs_until(now, oldest + chrono_dur(window)))
        } else {
            windows::add_hit(&tx, &key, now).await?;
            None
        };
        brokercrm_store::db::commit(tx).await?;
        Ok(verdict)
    }

    async fn first_seen(
        &self,
        key: &str,
        window: Duration,
        now: DateTime<Utc>,
    ) -> Result<Option<u64>> {
        let key = format!("fp:{key}");
        let tx = self.db.begin_write().await?;
        let held = windows::hold(&tx, &key, now, now + chrono_dur(window)).await?;
        brokercrm_store::db::commit(tx).await?;
        Ok(held.map(|until| secs_until(now, until)))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn memory_window_is_exact() {
        let g = MemoryGate::default();
        let t0 = Utc::now();
        let w = Duration::from_secs(3);
        for i in 0..10 {
            assert_eq!(
                g.hit("k", 10, w, t0 + chrono::Duration::milliseconds(i * 100)).await.unwrap(),
                None
            );
        }
        // 11th inside the window: wait until the first leaves it.
        let at = t0 + chrono::Duration::milliseconds(2000);
        assert_eq!(g.hit("k", 10, w, at).await.unwrap(), Some(1));
        // Exactly 3 s after the first hit it has left the window.
        assert_eq!(g.hit("k", 10, w, t0 + chrono::Duration::seconds(3)).await.unwrap(), None);
        assert!(g.hit("k", 10, w, t0 + chrono::Duration::seconds(3)).await.unwrap().is_some());
    }

    #[tokio::test]
    async fn memory_first_seen_expires() {
        let g = MemoryGate::default();
        let t0 = Utc::now();
        let w = Duration::from_secs(120);
        assert_eq!(g.first_seen("b", w, t0).await.unwrap(), None);
        assert_eq!(
            g.first_seen("b", w, t0 + chrono::Duration::seconds(119)).await.unwrap(),
            Some(1)
        );
        assert_eq!(g.first_seen("b", w, t0 + chrono::Duration::seconds(120)).await.unwrap(), None);
        assert_eq!(g.first_seen("other", w, t0).await.unwrap(), None);
    }
}
