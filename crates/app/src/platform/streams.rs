//! The live streams (WebSockets) this process serves: each open stream holds a [`Guard`], so
//! shutdown can tell every stream to close (`stop`, then each sends its close frame) and wait,
//! briefly, until they have.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::sync::{Notify, watch};

/// This process's open streams and the shutdown signal they follow.
#[derive(Clone)]
pub struct Streams(Arc<Shared>);

struct Shared {
    stopping: watch::Sender<bool>,
    open: AtomicUsize,
    none_open: Notify,
}

impl Default for Streams {
    fn default() -> Self {
        Self(Arc::new(Shared {
            stopping: watch::channel(false).0,
            open: AtomicUsize::new(0),
            none_open: Notify::new(),
        }))
    }
}

/// Counts one open stream until dropped.
pub struct Guard(Arc<Shared>);

impl Drop for Guard {
    fn drop(&mut self) {
        if self.0.open.fetch_sub(1, Ordering::AcqRel) == 1 {
            self.0.none_open.notify_waiters();
        }
    }
}

impl Streams {
    /// Counts a stream as open while the guard lives.
    pub fn join(&self) -> Guard {
        self.0.open.fetch_add(1, Ordering::AcqRel);
        Guard(self.0.clone())
    }

    /// How many streams are open.
    pub fn open(&self) -> usize {
        self.0.open.load(Ordering::Acquire)
    }

    /// Turns true when the process begins to shut down.
    pub fn stopping(&self) -> watch::Receiver<bool> {
        self.0.stopping.subscribe()
    }

    /// Tells every stream to close (shutdown).
    pub fn stop(&self) {
        self.0.stopping.send_replace(true);
    }

    /// Waits until no stream is open, at most `within`; true when none is.
    pub async fn all_closed(&self, within: Duration) -> bool {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            let closed = self.0.none_open.notified();
            tokio::pin!(closed);
            closed.as_mut().enable();
            if self.open() == 0 {
                return true;
            }
            if tokio::time::timeout_at(deadline, closed).await.is_err() {
                return self.open() == 0;
            }
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn shutdown_waits_for_the_streams_open_and_no_longer() {
        let s = Streams::default();
        let mut stopping = s.stopping();
        assert!(s.all_closed(Duration::ZERO).await, "none open");
        let a = s.join();
        let b = s.join();
        assert_eq!(s.open(), 2);
        assert!(!s.all_closed(Duration::from_millis(20)).await, "two still open");
        s.stop();
        assert!(*stopping.wait_for(|v| *v).await.unwrap());
        let waiter = tokio::spawn({
            let s = s.clone();
            async move { s.all_closed(Duration::from_secs(5)).await }
        });
        drop(a);
        tokio::time::sleep(Duration::from_millis(10)).await;
        drop(b);
        assert!(waiter.await.unwrap());
        assert_eq!(s.open(), 0);
    }
}
