//! Exponential back-off after repeated failures: the first `free` failures of a key cost
//! nothing; each further one blocks the key for `base`, then twice as long, and so on up to
//! `max`. A key that has not failed for `forget` starts again from zero. Pure: the caller
//! passes the time, so tests move a manual clock.

use std::time::Duration;

use chrono::{DateTime, Utc};

/// How failures of one key are slowed down.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Backoff {
    /// Failures allowed before any wait.
    pub free: u32,
    /// The first wait.
    pub base: Duration,
    /// The longest wait.
    pub max: Duration,
    /// How long a key's failures are remembered after its last one.
    pub forget: Duration,
}

/// One key's failures.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BackoffState {
    pub failures: u32,
    pub last: DateTime<Utc>,
    pub until: DateTime<Utc>,
}

impl Backoff {
    /// The wait after the `n`-th failure in a row.
    pub fn delay(&self, n: u32) -> Duration {
        if n <= self.free {
            return Duration::ZERO;
        }
        let doublings = (n - self.free - 1).min(30);
        self.base.saturating_mul(1u32 << doublings).min(self.max)
    }

    /// `state` after one more failure at `now`.
    pub fn fail(&self, state: Option<BackoffState>, now: DateTime<Utc>) -> BackoffState {
        let failures = match state {
            Some(s) if !self.forgotten(&s, now) => s.failures.saturating_add(1),
            _ => 1,
        };
        let wait = chrono::Duration::from_std(self.delay(failures)).unwrap_or_default();
        BackoffState { failures, last: now, until: now + wait }
    }

    /// Whether `state` is old enough to be dropped at `now`.
    pub fn forgotten(&self, state: &BackoffState, now: DateTime<Utc>) -> bool {
        now - state.last >= chrono::Duration::from_std(self.forget).unwrap_or_default()
    }
}

impl BackoffState {
    /// Whole seconds (rounded up) the key must still wait at `now`; `None` when it may try.
    pub fn wait(&self, now: DateTime<Utc>) -> Option<u64> {
        let left = (self.until - now).to_std().ok().filter(|d| !d.is_zero())?;
        Some(left.as_secs() + u64::from(left.subsec_nanos() > 0))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn policy() -> Backoff {
        Backoff {
            free: 3,
            base: Duration::from_secs(2),
            max: Duration::from_secs(60),
            forget: Duration::from_secs(3600),
        }
    }

    #[test]
    fn waits_double_after_the_free_failures_up_to_the_max() {
        let p = policy();
        let waits: Vec<u64> = (1..=10).map(|n| p.delay(n).as_secs()).collect();
        assert_eq!(waits, [0, 0, 0, 2, 4, 8, 16, 32, 60, 60]);
        assert_eq!(p.delay(u32::MAX), Duration::from_secs(60));
    }

    #[test]
    fn state_counts_failures_and_forgets_them() {
        let p = policy();
        let t0 = Utc::now();
        let mut s = None;
        for _ in 0..3 {
            s = Some(p.fail(s, t0));
            assert_eq!(s.unwrap().wait(t0), None);
        }
        let s4 = p.fail(s, t0);
        assert_eq!(s4.wait(t0), Some(2));
        assert_eq!(s4.wait(t0 + chrono::Duration::milliseconds(1500)), Some(1));
        assert_eq!(s4.wait(t0 + chrono::Duration::seconds(2)), None);
        let s5 = p.fail(Some(s4), t0 + chrono::Duration::seconds(2));
        assert_eq!(s5.wait(t0 + chrono::Duration::seconds(2)), Some(4));
        let later = t0 + chrono::Duration::hours(2);
        assert_eq!(p.fail(Some(s5), later).failures, 1);
    }
}
