//! The PostgreSQL form of a manual batch: decided on account sums the lane remembers, written
//! in one statement. The lane keeps the accounts it has seen with their sums as its last
//! committed batch left them, reads only accounts it has not seen (on the read pool, before
//! any transaction), decides the batch in memory, then in its write transaction moves every
//! account, inserts the transfers and checks — under the lock of every account involved,
//! ascending — that each account the batch debits and that may refuse a debit still holds
//! the remembered sums (`batch_pg::write_moves_if_unchanged`), before the deposit hooks and
//! the audit follow in the same transaction. No other decision depends on a sum: a credit is
//! accepted whatever the account holds, and the house accounts allow an overdraft; those
//! accounts are only added to, so their remembered sums may drift (a deposit hook's bonus
//! moves a wallet behind the lane) without harm until they are debited. If a checked account
//! moved meanwhile (another money path, a hook) or a transfer id is stored already (a
//! replay), nothing is written: the lane forgets what it remembered and the caller decides
//! the batch again under a lock from fresh reads. Stored ids are not read first: the unique
//! index answers for them.

use std::collections::{HashMap, HashSet};

use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::money::ledger::batch_pg::write_moves_if_unchanged;
use brokercrm_store::repo::money::ledger::{AccountRow, batch};

use super::decide::{Job, Posted, account_ids, decide, follow};
use crate::App;
use crate::money::wallets::transfer::deltas;

/// Accounts a lane remembers before it starts afresh (a memory bound).
const REMEMBERED_ACCOUNTS: usize = 100_000;

/// What a PostgreSQL manual lane carries between batches: the ledger accounts it has seen,
/// by id, with their sums as its last committed batch left them.
#[derive(Default)]
pub struct Remembered {
    accounts: HashMap<i64, AccountRow>,
}

/// Writes `jobs` in one transaction decided on remembered sums: `Ok(None)` when something
/// moved or an id is stored already (nothing was written; decide again under a lock), `Err`
/// when the batch failed (nothing was written).
pub(super) async fn write(
    app: &App,
    lane: &mut Remembered,
    jobs: &[Job],
) -> Result<Option<Vec<Result<Posted>>>> {
    let started = std::time::Instant::now();
    let ids = account_ids(jobs);
    if lane.accounts.len() > REMEMBERED_ACCOUNTS {
        lane.accounts.clear();
    }
    let unknown: Vec<i64> =
        ids.iter().filter(|id| !lane.accounts.contains_key(id)).copied().collect();
    if !unknown.is_empty() {
        let read = batch::read_accounts(app.db().conn(), &unknown).await?;
        lane.accounts.extend(read.into_iter().map(|a| (a.id, a)));
    }
    let accounts: Vec<AccountRow> =
        ids.iter().filter_map(|id| lane.accounts.get(id).cloned()).collect();
    if accounts.len() != ids.len() {
        return Err(Error::internal("a manual batch's account is missing"));
    }
    let decided = decide(jobs, &HashMap::new(), &accounts)?;
    let moves = deltas(&accounts, &decided.ledger);
    // Only a debit of an account that may refuse depends on its sums (a credit is accepted
    // whatever the account holds), so only those are checked; the others are only added to.
    let debited: HashSet<i64> = jobs.iter().map(|j| j.job.transfer.debit_account_id).collect();
    let checked: Vec<AccountRow> = accounts
        .iter()
        .filter(|a| !a.allows_overdraft && debited.contains(&a.id))
        .cloned()
        .collect();
    let read_us = started.elapsed().as_micros();
    let written = written(app, jobs, &checked, &moves, &decided).await;
    tracing::debug!(
        size = jobs.len(),
        read_us,
        total_us = started.elapsed().as_micros(),
        wrote = matches!(written, Ok(true)),
        "manual batch (remembered sums)"
    );
    match written {
        Ok(true) => {}
        Ok(false) | Err(Error::Conflict(_)) => {
            lane.accounts.clear();
            return Ok(None);
        }
        Err(e) => {
            lane.accounts.clear();
            return Err(e);
        }
    }
    for d in &moves {
        if let Some(a) = lane.accounts.get_mut(&d.account_id) {
            a.balance += d.balance;
            a.pending_debits += d.pending_debits;
            a.pending_credits += d.pending_credits;
        }
    }
    Ok(Some(decided.answers))
}

/// The write transaction: the one statement, then the hooks and the audit, then the commit.
/// `Ok(false)`: the statement found a checked account moved; nothing was written.
async fn written(
    app: &App,
    jobs: &[Job],
    checked: &[AccountRow],
    moves: &[batch::Delta],
    decided: &super::decide::Decided,
) -> Result<bool> {
    let started = std::time::Instant::now();
    let tx = app.db().begin_write().await?;
    let begun_us = started.elapsed().as_micros();
    let done = async {
        if !write_moves_if_unchanged(&tx, checked, moves, &decided.writes).await? {
            return Ok(None);
        }
        let written_us = started.elapsed().as_micros();
        follow(app, &tx, jobs, &decided.posted).await?;
        Ok(Some(written_us))
    }
    .await;
    match done {
        Ok(Some(written_us)) => {
            let followed_us = started.elapsed().as_micros();
            commit(tx).await?;
            tracing::debug!(
                begun_us,
                written_us,
                followed_us,
                committed_us = started.elapsed().as_micros(),
                "manual batch steps (remembered sums)"
            );
            Ok(true)
        }
        Ok(None) => {
            let _ = tx.rollback().await;
            Ok(false)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}
