//! Group commit of manual transactions. Every manual movement of a currency shares one house
//! account (manual cash clearing, bonus expense or adjustments), so one transaction per
//! movement queues on that account's row lock. Here the movements queued while a writer was
//! busy are written in one write transaction: the stored ids among them read (replays), the
//! accounts that may refuse (wallets) locked in ascending id order and the house accounts read
//! (they allow an overdraft, so nothing is decided on their sums), each movement decided in
//! order on the ledger's reference model, the accepted transfers inserted in one statement and
//! the wallet accounts moved in one more, then the batch's deposit events published together
//! (each subscriber reads what it needs once per batch), every audit entry in one statement,
//! and last the house accounts locked and moved — the hot row once per batch, held only for
//! that update and the commit, so the lanes of PostgreSQL overlap everywhere else.
use std::collections::HashMap;

use brokercrm_core::Result;
use brokercrm_core::money::ledger::compare_replay;
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::db::commit;
use brokercrm_store::repo::money::ledger::batch;

use super::post::{Prepared, audit_entry, event_of};
use crate::App;
use crate::money::ledger::body_hash;
use crate::money::wallets::transfer::{deltas, model_of};
use crate::platform::audit;
use crate::platform::group_commit::Batch;

type Job = crate::platform::group_commit::Job<Prepared, Posted>;

/// What the batch did with a movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Posted {
    /// Posted now, or before (a replay of the same body).
    Done,
    /// The batch failed: the requester runs it in its own transaction.
    Alone,
}

/// Manual transactions, queued on one writer lane (they share their house accounts).
pub struct ManualMoves;

impl Batch for ManualMoves {
    type Job = Prepared;
    type Answer = Posted;
    type Lane = ();
    const MAX: usize = 128;
    async fn store(app: App, _lane: &mut (), jobs: Vec<Job>) {
        let answers = write(&app, &jobs).await;
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

/// Writes a batch in one transaction; an `Err` means nothing was written.
async fn write(app: &App, jobs: &[Job]) -> Result<Vec<Result<Posted>>> {
    let started = std::time::Instant::now();
    let tx = app.db().begin_write().await?;
    match write_in(app, &tx, jobs).await {
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

async fn write_in(
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
    let mut account_ids: Vec<i64> = jobs
        .iter()
        .flat_map(|j| [j.job.transfer.debit_account_id, j.job.transfer.credit_account_id])
        .collect();
    account_ids.sort_unstable();
    account_ids.dedup();
    let accounts = batch::lock_refusing(tx, &account_ids).await?;
    let mut ledger = model_of(&accounts)?;
    let mut answers = Vec::with_capacity(jobs.len());
    let mut writes = Vec::new();
    let mut posted = Vec::new();
    for (index, job) in jobs.iter().enumerate() {
        let t = &job.job.transfer;
        let hash = body_hash(&t.fingerprint());
        let answer = match stored.get(t.id.as_str()) {
            Some(earlier) => compare_replay(earlier, &hash).map(|_| Posted::Done),
            None => match ledger.apply(t) {
                // The same id earlier in this batch, with the same body.
                Ok((_, true)) => Ok(Posted::Done),
                Ok((_, false)) => {
                    writes.push((t.clone(), hash));
                    posted.push(index);
                    Ok(Posted::Done)
                }
                Err(e) => Err(e),
            },
        };
        answers.push(answer);
    }
    let decided_us = started.elapsed().as_micros();
    batch::insert(tx, &writes).await?;
    let (hot, cold): (Vec<_>, Vec<_>) = deltas(&accounts, &ledger)
        .into_iter()
        .partition(|d| accounts.iter().any(|a| a.id == d.account_id && a.allows_overdraft));
    batch::apply_deltas(tx, &cold).await?;
    let written_us = started.elapsed().as_micros();
    let mut audits = Vec::with_capacity(posted.len());
    let mut events = Vec::new();
    for index in posted {
        let p = &jobs[index].job;
        events.extend(event_of(&p.manual, &p.wallet, &p.transfer));
        audits.push((Some(&p.manual.actor), audit_entry(&p.manual, &p.transfer)));
    }
    app.events().publish_all(tx, &events).await?;
    let hooks_us = started.elapsed().as_micros();
    audit::record_many(tx, audits).await?;
    // The house accounts every lane shares, last: locked only for this update and the commit.
    let hot_ids: Vec<i64> = hot.iter().filter(|d| !d.is_zero()).map(|d| d.account_id).collect();
    batch::lock_hot(tx, &hot_ids).await?;
    batch::apply_deltas(tx, &hot).await?;
    tracing::debug!(
        decided_us,
        written_us,
        hooks_us,
        audited_us = started.elapsed().as_micros(),
        "manual batch steps"
    );
    Ok(answers)
}
