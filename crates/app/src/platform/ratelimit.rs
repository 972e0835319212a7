//! Rate limits behind a trait: an exact in-memory sliding window by default; a shared store
//! (Redis or the database) can implement the same trait for several instances.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Counts events per key in a sliding window.
pub trait RateLimiter: Send + Sync {
    /// Seconds to wait when `key` already has `limit` events within `window`; `None` if allowed.
    /// Does not record anything.
    fn check(&self, key: &str, limit: u32, window: Duration) -> Option<u64>;
    /// Records one event for `key`.
    fn record(&self, key: &str, window: Duration);
    /// Forgets the events of `key` (e.g. after a successful login).
    fn reset(&self, key: &str);
    /// `check` then `record` when allowed: the usual per-request limit.
    fn hit(&self, key: &str, limit: u32, window: Duration) -> Option<u64> {
        let wait = self.check(key, limit, window);
        if wait.is_none() {
            self.record(key, window);
        }
        wait
    }
}

/// Exact sliding-window limiter held in process memory; idle keys expire.
pub struct MemoryRateLimiter {
    keys: moka::sync::Cache<String, Arc<Mutex<VecDeque<Instant>>>>,
}

impl MemoryRateLimiter {
    /// `max_window` bounds how long an idle key is kept.
    pub fn new(max_window: Duration) -> Self {
        Self {
            keys: moka::sync::Cache::builder()
                .time_to_idle(max_window)
                .max_capacity(1_000_000)
                .build(),
        }
    }

    fn events(&self, key: &str) -> Arc<Mutex<VecDeque<Instant>>> {
        self.keys.get_with(key.to_owned(), || Arc::new(Mutex::new(VecDeque::new())))
    }
}

fn prune(q: &mut VecDeque<Instant>, now: Instant, window: Duration) {
    while q.front().is_some_and(|t| now.duration_since(*t) >= window) {
        q.pop_front();
    }
}

impl RateLimiter for MemoryRateLimiter {
    fn check(&self, key: &str, limit: u32, window: Duration) -> Option<u64> {
        let ev = self.events(key);
        let mut q = ev.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        prune(&mut q, now, window);
        if q.len() < limit as usize {
            return None;
        }
        let oldest = q.front().copied().unwrap_or(now);
        let wait = window.saturating_sub(now.duration_since(oldest));
        Some(wait.as_secs() + u64::from(wait.subsec_nanos() > 0))
    }

    fn record(&self, key: &str, window: Duration) {
        let ev = self.events(key);
        let mut q = ev.lock().unwrap_or_else(|p| p.into_inner());
        let now = Instant::now();
        prune(&mut q, now, window);
        q.push_back(now);
    }

    fn reset(&self, key: &str) {
        self.keys.invalidate(key);
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
        let w = Duration::from_millis(50);
        assert_eq!(l.hit("k", 1, w), None);
        assert!(l.hit("k", 1, w).is_some());
        std::thread::sleep(Duration::from_millis(60));
        assert_eq!(l.hit("k", 1, w), None);
    }
}
