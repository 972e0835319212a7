//! Rate limits behind a trait: an exact in-memory sliding window by default; a shared store
//! (Redis or the database) can implement the same trait for several instances. Besides the
//! windows it keeps per-key exponential back-off ([`crate::platform::backoff`]) and remembered
//! keys (an IP that signed in to an account). The `_at` methods take the time from the caller
//! (the app's clock); the others read the system clock.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::platform::backoff::{Backoff, BackoffState};

/// Counts events per key in a sliding window.
pub trait RateLimiter: Send + Sync {
    /// Seconds to wait when `key` already has `limit` events within `window` before `now`;
    /// `None` if allowed. Does not record anything.
    fn check_at(&self, key: &str, limit: u32, window: Duration, now: DateTime<Utc>) -> Option<u64>;
    /// Records one event for `key` at `now`.
    fn record_at(&self, key: &str, window: Duration, now: DateTime<Utc>);
    /// Forgets everything about `key`: its events, back-off and mark.
    fn reset(&self, key: &str);
    /// Seconds `key` must still wait after its failures; `None` if it may try now.
    fn backoff_wait(&self, key: &str, now: DateTime<Utc>) -> Option<u64>;
    /// Records one failure of `key` under `policy`; returns the seconds it must now wait.
    fn backoff_fail(&self, key: &str, policy: &Backoff, now: DateTime<Utc>) -> Option<u64>;
    /// Remembers `key` until `ttl` after `now`.
    fn mark(&self, key: &str, ttl: Duration, now: DateTime<Utc>);
    /// Whether `key` is remembered at `now`.
    fn is_marked(&self, key: &str, now: DateTime<Utc>) -> bool;

    /// [`RateLimiter::check_at`] now.
    fn check(&self, key: &str, limit: u32, window: Duration) -> Option<u64> {
        self.check_at(key, limit, window, Utc::now())
    }
    /// [`RateLimiter::record_at`] now.
    fn record(&self, key: &str, window: Duration) {
        self.record_at(key, window, Utc::now());
    }
    /// `check` then `record` when allowed: the usual per-request limit.
    fn hit(&self, key: &str, limit: u32, window: Duration) -> Option<u64> {
        self.hit_at(key, limit, window, Utc::now())
    }
    /// [`RateLimiter::hit`] at `now`.
    fn hit_at(&self, key: &str, limit: u32, window: Duration, now: DateTime<Utc>) -> Option<u64> {
        let wait = self.check_at(key, limit, window, now);
        if wait.is_none() {
            self.record_at(key, window, now);
        }
        wait
    }
}

type Events = Arc<Mutex<VecDeque<DateTime<Utc>>>>;

/// Exact sliding-window limiter held in process memory; idle keys expire.
pub struct MemoryRateLimiter {
    keys: moka::sync::Cache<String, Events>,
    backoffs: moka::sync::Cache<String, BackoffState>,
    marks: moka::sync::Cache<String, DateTime<Utc>>,
}

/// How long an idle back-off or mark is kept at most.
const LONG_IDLE: Duration = Duration::from_secs(31 * 24 * 3600);

impl MemoryRateLimiter {
    /// `max_window` bounds how long an idle window key is kept.
    pub fn new(max_window: Duration) -> Self {
        Self { keys: cache(max_window), backoffs: cache(LONG_IDLE), marks: cache(LONG_IDLE) }
    }

    fn events(&self, key: &str) -> Events {
        self.keys.get_with(key.to_owned(), || Arc::new(Mutex::new(VecDeque::new())))
    }
}

fn cache<V: Clone + Send + Sync + 'static>(idle: Duration) -> moka::sync::Cache<String, V> {
    moka::sync::Cache::builder().time_to_idle(idle).max_capacity(1_000_000).build()
}

fn prune(q: &mut VecDeque<DateTime<Utc>>, now: DateTime<Utc>, window: Duration) {
    let window = chrono::Duration::from_std(window).unwrap_or(chrono::Duration::MAX);
    while q.front().is_some_and(|t| now - *t >= window) {
        q.pop_front();
    }
}

impl RateLimiter for MemoryRateLimiter {
    fn check_at(&self, key: &str, limit: u32, window: Duration, now: DateTime<Utc>) -> Option<u64> {
        let ev = self.events(key);
        let mut q = ev.lock().unwrap_or_else(|p| p.into_inner());
        prune(&mut q, now, window);
        if q.len() < limit as usize {
            return None;
        }
        let oldest = q.front().copied().unwrap_or(now);
        let age = (now - oldest).to_std().unwrap_or_default();
        let wait = window.saturating_sub(age);
        Some((wait.as_secs() + u64::from(wait.subsec_nanos() > 0)).max(1))
    }

    fn record_at(&self, key: &str, window: Duration, now: DateTime<Utc>) {
        let ev = self.events(key);
        let mut q = ev.lock().unwrap_or_else(|p| p.into_inner());
        prune(&mut q, now, window);
        q.push_back(now);
    }

    fn reset(&self, key: &str) {
        self.keys.invalidate(key);
        self.backoffs.invalidate(key);
        self.marks.invalidate(key);
    }

    fn backoff_wait(&self, key: &str, now: DateTime<Utc>) -> Option<u64> {
        self.backoffs.get(key)?.wait(now)
    }

    fn backoff_fail(&self, key: &str, policy: &Backoff, now: DateTime<Utc>) -> Option<u64> {
        let entry = self
            .backoffs
            .entry(key.to_owned())
            .and_upsert_with(|old| policy.fail(old.map(|e| *e.value()), now));
        entry.value().wait(now)
    }

    fn mark(&self, key: &str, ttl: Duration, now: DateTime<Utc>) {
        let until = now + chrono::Duration::from_std(ttl).unwrap_or(chrono::Duration::MAX);
        self.marks.insert(key.to_owned(), until);
    }

    fn is_marked(&self, key: &str, now: DateTime<Utc>) -> bool {
        self.marks.get(key).is_some_and(|until| now < until)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sliding_window_blocks_after_limit_and_resets() {
        let l = MemoryRateLimiter::new(Duration::from_secs(60));
        let w = Duration::from_secs(3);
        for _ in 0..10 {
            assert_eq!(l.hit("k", 10, w), None);
        }
        let wait = l.hit("k", 10, w);
        assert!(matches!(wait, Some(1..=3)), "{wait:?}");
        assert_eq!(l.hit("other", 10, w), None);
        l.reset("k");
        assert_eq!(l.check("k", 10, w), None);
    }

    #[test]
    fn events_leave_the_window() {
        let l = MemoryRateLimiter::new(Duration::from_secs(60));
        let w = Duration::from_secs(50);
        let t0 = Utc::now();
        assert_eq!(l.hit_at("k", 1, w, t0), None);
        assert_eq!(l.hit_at("k", 1, w, t0 + chrono::Duration::seconds(20)), Some(30));
        assert_eq!(l.hit_at("k", 1, w, t0 + chrono::Duration::seconds(50)), None);
    }

    #[test]
    fn backoff_and_marks_follow_the_given_time() {
        let l = MemoryRateLimiter::new(Duration::from_secs(60));
        let p = Backoff {
            free: 1,
            base: Duration::from_secs(5),
            max: Duration::from_secs(60),
            forget: Duration::from_secs(3600),
        };
        let t0 = Utc::now();
        assert_eq!(l.backoff_fail("k", &p, t0), None);
        assert_eq!(l.backoff_wait("k", t0), None);
        assert_eq!(l.backoff_fail("k", &p, t0), Some(5));
        assert_eq!(l.backoff_wait("k", t0 + chrono::Duration::seconds(1)), Some(4));
        assert_eq!(l.backoff_wait("other", t0), None);
        l.reset("k");
        assert_eq!(l.backoff_wait("k", t0), None);
        l.mark("m", Duration::from_secs(10), t0);
        assert!(l.is_marked("m", t0 + chrono::Duration::seconds(9)));
        assert!(!l.is_marked("m", t0 + chrono::Duration::seconds(10)));
    }
}
