//! Running a whole write transaction again while the database aborts it for the moment (a
//! deadlock or serialization failure with another writer of the same rows). Each attempt
//! reads afresh, so nothing is applied twice.

use std::future::Future;

use brokercrm_core::Result;

/// Attempts of one transaction in all.
const ATTEMPTS: usize = 4;

/// `run`, run again (up to four attempts) while it fails with a transient database error.
pub async fn transient<T, F, Fut>(mut run: F) -> Result<T>
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<T>>,
{
    let mut attempt = 1;
    loop {
        match run().await {
            Err(e) if attempt < ATTEMPTS && brokercrm_store::error::is_transient(&e) => {
                attempt += 1;
            }
            done => return done,
        }
    }
}
