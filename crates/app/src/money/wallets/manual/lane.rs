//! Group commit of manual transactions. Every manual movement of a currency shares one house
//! account (manual cash clearing, bonus expense or adjustments), so one transaction per
//! movement queues on that account's row lock. Here the movements queued while the writer was
//! busy are written in one write transaction.
//!
//! - PostgreSQL: decided on the sums the lane remembers and written in one statement, the
//!   hooks and the audit after it (`remembered`); if anything moved, decided again as below.
//! - SQLite, and that fallback (`locked`): the stored ids among them read (replays), the
//!   accounts that may refuse (wallets) locked in ascending id order and the house accounts
//!   read (they allow an overdraft, so nothing is decided on their sums), each movement
//!   decided in order on the ledger's reference model, the accepted transfers inserted in one
//!   statement and the wallet accounts moved in one more, then the batch's deposit events
//!   published together, every audit entry in one statement, and last the house accounts
//!   locked and moved — the hot row once per batch.
//!
//! A refused movement gets its own error; a failed batch writes nothing and each of its
//! movements runs alone. Nobody is answered before the commit that carries the answer.
use std::collections::HashMap;

use brokercrm_core::Result;
use brokercrm_store::db::commit;
use brokercrm_store::repo::money::ledger::batch;
use brokercrm_store::{Backend, DatabaseTransaction};

pub(crate) use super::decide::Posted;
use super::decide::{Job, account_ids, decide, follow};
use super::post::Prepared;
use super::remembered::{self, Remembered};
use crate::App;
use crate::money::wallets::transfer::deltas;
use crate::platform::group_commit::Batch;

/// Manual transactions, queued on one writer lane (they share their house accounts).
pub struct ManualMoves;

impl Batch for ManualMoves {
    type Job = Prepared;
    type Answer = Posted;
    type Lane = Remembered;
    const MAX: usize = 128;
    async fn store(app: App, lane: &mut Remembered, jobs: Vec<Job>) {
        let answers = if app.db().backend() == Backend::Postgres {
            match remembered::write(&app, lane, &jobs).await {
                Ok(Some(answers)) => Ok(answers),
                Ok(None) => locked(&app, &jobs).await,
                Err(e) => Err(e),
            }
        } else {
            locked(&app, &jobs).await
        };
        let answers = answers.unwrap_or_else(|e| {
            tracing::warn!(error = %e, size = jobs.len(), "manual batch failed; running its movements alone");
            jobs.iter().map(|_| Ok(Posted::Alone)).collect()
        });
        for (job, answer) in jobs.into_iter().zip(answers) {
            job.answer(answer);
        }
    }
}

/// Decides `p` in the next batch of the lane; returns once that batch is committed.
pub(crate) async fn run(app: &App, p: Prepared) -> Result<Posted> {
    app.manual_lane().run(p).await
}

/// Writes a batch in one transaction, deciding under locks on what it reads there; an `Err`
/// means nothing was written.
async fn locked(app: &App, jobs: &[Job]) -> Result<Vec<Result<Posted>>> {
    let started = std::time::Instant::now();
    let tx = app.db().begin_write().await?;
    match locked_in(app, &tx, jobs).await {
        Ok(answers) => {
            let committing = std::time::Instant::now();
            commit(tx).await?;
            tracing::debug!(
                size = jobs.len(),
                total_us = started.elapsed().as_micros(),
                commit_us = committing.elapsed().as_micros(),
                "manual batch"
            );
            Ok(answers)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn locked_in(
    app: &App,
    tx: &DatabaseTransaction,
    jobs: &[Job],
) -> Result<Vec<Result<Posted>>> {
    let started = std::time::Instant::now();
    let ids: Vec<&str> = jobs.iter().map(|j| j.job.transfer.id.as_str()).collect();
    let stored: HashMap<String, String> = batch::existing(tx, &ids)
        .await?
        .into_iter()
        .map(|t| (t.transfer_id, t.body_hash))
        .collect();
    let accounts = batch::lock_refusing(tx, &account_ids(jobs)).await?;
    let decided = decide(jobs, &stored, &accounts)?;
    let decided_us = started.elapsed().as_micros();
    batch::insert(tx, &decided.writes).await?;
    let all = deltas(&accounts, &decided.ledger);
    let postgres = app.db().backend() == Backend::Postgres;
    // SQLite's one writer holds every row already: every account moves in one statement.
    let (hot, cold): (Vec<_>, Vec<_>) = all.into_iter().partition(|d| {
        postgres && accounts.iter().any(|a| a.id == d.account_id && a.allows_overdraft)
    });
    batch::apply_deltas(tx, &cold).await?;
    let written_us = started.elapsed().as_micros();
    follow(app, tx, jobs, &decided.posted).await?;
    let followed_us = started.elapsed().as_micros();
    // The house accounts every writer shares, last: locked only for this update and the commit.
    let hot_ids: Vec<i64> = hot.iter().filter(|d| !d.is_zero()).map(|d| d.account_id).collect();
    batch::lock_hot(tx, &hot_ids).await?;
    batch::apply_deltas(tx, &hot).await?;
    tracing::debug!(
        decided_us,
        written_us,
        followed_us,
        hot_us = started.elapsed().as_micros(),
        "manual batch steps"
    );
    Ok(decided.answers)
}
