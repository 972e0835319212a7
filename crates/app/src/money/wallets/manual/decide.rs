//! A manual batch decided and followed up, whichever way it is written: each movement in
//! order on the ledger's reference model over the batch's accounts (`decide`), then, in the
//! writing transaction, the posted deposits' events published together and every posted
//! movement's audit entry in one statement (`follow`). Nothing here opens a transaction.

use std::collections::HashMap;

use brokercrm_core::Result;
use brokercrm_core::money::ledger::model::Ledger;
use brokercrm_core::money::ledger::{NewTransfer, compare_replay};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::money::ledger::AccountRow;

use super::post::{Prepared, audit_entry, event_of};
use crate::App;
use crate::money::ledger::body_hash;
use crate::money::wallets::transfer::model_of;
use crate::platform::audit;

pub(super) type Job = crate::platform::group_commit::Job<Prepared, Posted>;

/// What the batch did with a movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Posted {
    /// Posted now, or before (a replay of the same body).
    Done,
    /// The batch failed: the requester runs it in its own transaction.
    Alone,
}

/// What a batch decided: an answer per movement, the transfers to insert (each with its body
/// hash), the indexes of the movements posted now, and the model after them.
pub(super) struct Decided {
    pub answers: Vec<Result<Posted>>,
    pub writes: Vec<(NewTransfer, String)>,
    pub posted: Vec<usize>,
    pub ledger: Ledger,
}

/// The accounts of `jobs`, ascending, once each.
pub(super) fn account_ids(jobs: &[Job]) -> Vec<i64> {
    let mut ids: Vec<i64> = jobs
        .iter()
        .flat_map(|j| [j.job.transfer.debit_account_id, j.job.transfer.credit_account_id])
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Decides every movement in order on `accounts`; `stored` maps the transfer ids stored
/// already to their body hashes (replays).
pub(super) fn decide(
    jobs: &[Job],
    stored: &HashMap<String, String>,
    accounts: &[AccountRow],
) -> Result<Decided> {
    let mut ledger = model_of(accounts)?;
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
    Ok(Decided { answers, writes, posted, ledger })
}

/// What follows the posting of `posted` in the writing transaction: their deposit events in
/// one publish (each subscriber reads what it needs once per batch), then every audit entry
/// in one statement.
pub(super) async fn follow(
    app: &App,
    tx: &DatabaseTransaction,
    jobs: &[Job],
    posted: &[usize],
) -> Result<()> {
    let mut audits = Vec::with_capacity(posted.len());
    let mut events = Vec::new();
    for &index in posted {
        let p = &jobs[index].job;
        events.extend(event_of(&p.manual, &p.wallet, &p.transfer));
        audits.push((Some(&p.manual.actor), audit_entry(&p.manual, &p.transfer)));
    }
    let started = std::time::Instant::now();
    app.events().publish_all(tx, &events).await?;
    let hooks_us = started.elapsed().as_micros();
    audit::record_many(tx, audits).await?;
    tracing::debug!(
        hooks_us,
        audit_us = started.elapsed().as_micros() - hooks_us,
        "manual batch follow-up"
    );
    Ok(())
}
