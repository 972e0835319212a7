//! Forms that must act once however often they are sent (approve, reject, refund): each
//! rendering carries a fresh idempotency key; the first request with a key does the work and
//! remembers where it led, a second one (a double click, a resent form) waits for the first
//! and is sent to the same place. The use cases are safe on their own too (a withdrawal is
//! decided by a conditional state change, ledger transfer ids are derived from it); the key
//! makes the second click land on the same confirmation instead of a conflict. Keys live ten
//! minutes in this process.

use std::future::Future;
use std::sync::{Arc, OnceLock};
use std::time::Duration;

use brokercrm_app::identity::security::random_token;
use brokercrm_core::Result;
use tokio::sync::OnceCell;

type Cells = moka::sync::Cache<String, Arc<OnceCell<String>>>;

fn cells() -> &'static Cells {
    static CELLS: OnceLock<Cells> = OnceLock::new();
    CELLS.get_or_init(|| {
        moka::sync::Cache::builder()
            .max_capacity(100_000)
            .time_to_live(Duration::from_secs(600))
            .build()
    })
}

/// A fresh key for a form.
pub fn new_key() -> String {
    random_token(16)
}

/// Runs `work` once per (`user`, `key`): its result (a redirect target) is shared by every
/// request with the same key. An error is not remembered (the form may be corrected and sent
/// again). An empty key runs `work` unguarded.
pub async fn run<F, Fut>(user: i64, key: &str, work: F) -> Result<String>
where
    F: FnOnce() -> Fut,
    Fut: Future<Output = Result<String>>,
{
    if key.is_empty() || key.len() > 64 {
        return work().await;
    }
    let cell = cells().get_with(format!("{user}:{key}"), || Arc::new(OnceCell::new()));
    cell.get_or_try_init(work).await.cloned()
}
