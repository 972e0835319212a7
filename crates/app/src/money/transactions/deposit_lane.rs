//! Group commit of completed provider deposits (issue 20, hot accounts). Every completed
//! deposit of a provider and currency debits the same cash-clearing account, so one
//! transaction per callback queued on that row's lock (PostgreSQL) or on the one writer
//! (SQLite). Here the completions queued while the writer was busy are written in one write
//! transaction: every request moved `pending → completed` in one conditional statement
//! (`payment_requests::transition_many`), the DEPOSIT transfers of those it moved posted
//! together (`ledger::apply_many_in`: inserted in one statement, the accounts locked in
//! ascending id order after the insert and moved in one more — the hot clearing row once per
//! batch), their `DepositPosted` events published in one call, every audit entry written in
//! one statement, then one commit; only then is each callback answered.
//!
//! A request the statement did not move (decided or completed meanwhile, a duplicate of a
//! callback in the same batch) is answered from its status as the batch's transaction reads
//! it, as the single path answers a redelivery. If anything fails (the commit included) the
//! batch has written nothing it can be sure of, and each callback runs alone, as before the
//! lane: that path reads the request again in its own transaction, and the transfer's id is
//! the deposit's, so a batch that did commit is only replayed, never doubled.

use std::collections::{HashMap, HashSet};

use brokercrm_core::Result;
use brokercrm_core::money::ledger::NewTransfer;
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::db::commit;
use brokercrm_store::repo::money::payment_requests::{self as requests, RequestRow};
use brokercrm_store::repo::money::wallets::WalletRow;

use super::status::{COMPLETED, PENDING};
use crate::App;
use crate::money::events::DepositPosted;
use crate::money::ledger::apply_many_in;
use crate::platform::audit::{self, Audit};
use crate::platform::group_commit::Batch;

type Job = crate::platform::group_commit::Job<Completion, Completed>;

/// A completed-deposit callback checked by its requester and ready to write: the request as
/// read then (pending), its wallet, the provider's reference and the DEPOSIT transfer (the
/// clearing account to the wallet's balance, its id the request's).
pub(crate) struct Completion {
    pub request: RequestRow,
    pub wallet: WalletRow,
    pub reference: Option<String>,
    pub transfer: NewTransfer,
}

/// What the batch did with a completion.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Completed {
    /// Committed: this callback completed the deposit (or one of the same batch did).
    Posted,
    /// The request was not pending when the batch moved it: its status then (`None`: gone).
    Decided(Option<String>),
    /// The batch failed: the requester runs the callback alone.
    Alone,
}

/// Completed provider deposits, on one writer lane (they share the clearing accounts).
pub struct DepositCompletions;

impl Batch for DepositCompletions {
    type Job = Completion;
    type Answer = Completed;
    type Lane = ();
    const MAX: usize = 128;
    async fn store(app: App, _lane: &mut (), jobs: Vec<Job>) {
        let answers = write(&app, &jobs).await.unwrap_or_else(|e| {
            tracing::warn!(error = %e, size = jobs.len(), "deposit batch failed; running its callbacks alone");
            jobs.iter().map(|_| Completed::Alone).collect()
        });
        for (job, answer) in jobs.into_iter().zip(answers) {
            job.answer(Ok(answer));
        }
    }
}

/// Writes `c` in the lane's next batch; returns once that batch is committed (or failed).
pub(crate) async fn run(app: &App, c: Completion) -> Result<Completed> {
    app.deposit_lane().run(c).await
}

/// The batch's transaction, committed; an `Err` means each callback runs alone.
async fn write(app: &App, jobs: &[Job]) -> Result<Vec<Completed>> {
    let started = std::time::Instant::now();
    let tx = app.db().begin_write().await?;
    match write_in(app, &tx, jobs).await {
        Ok(answers) => {
            commit(tx).await?;
            tracing::debug!(
                size = jobs.len(),
                total_us = started.elapsed().as_micros(),
                "deposit batch committed"
            );
            Ok(answers)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn write_in(app: &App, tx: &DatabaseTransaction, jobs: &[Job]) -> Result<Vec<Completed>> {
    // Each request once, with the first reference given for it.
    let mut seen = HashSet::new();
    let items: Vec<(&str, Option<&str>)> = jobs
        .iter()
        .map(|j| (j.job.request.id.as_str(), j.job.reference.as_deref()))
        .filter(|(id, _)| seen.insert(*id))
        .collect();
    let moved: HashSet<String> =
        requests::transition_many(tx, &items, PENDING, COMPLETED).await?.into_iter().collect();
    // The first job of each moved request posts its deposit.
    let mut posting = Vec::with_capacity(moved.len());
    let mut first = HashSet::new();
    for (index, j) in jobs.iter().enumerate() {
        let id = j.job.request.id.as_str();
        if moved.contains(id) && first.insert(id) {
            posting.push(index);
        }
    }
    let transfers: Vec<NewTransfer> =
        posting.iter().map(|&i| jobs[i].job.transfer.clone()).collect();
    apply_many_in(tx, &transfers).await?;
    let events: Vec<DepositPosted> = posting.iter().map(|&i| event_of(&jobs[i].job)).collect();
    app.events().publish_all(tx, &events).await?;
    let audits = posting.iter().map(|&i| (None, audit_entry(&jobs[i].job.request))).collect();
    audit::record_many(tx, audits).await?;
    // The others are answered from what the request is now.
    let unmoved: Vec<String> = items
        .iter()
        .filter(|(id, _)| !moved.contains(*id))
        .map(|(id, _)| (*id).to_owned())
        .collect();
    let now: HashMap<String, String> =
        requests::find_many(tx, &unmoved).await?.into_iter().map(|r| (r.id, r.status)).collect();
    Ok(jobs
        .iter()
        .map(|j| {
            let id = j.job.request.id.as_str();
            if moved.contains(id) {
                Completed::Posted
            } else {
                Completed::Decided(now.get(id).cloned())
            }
        })
        .collect())
}

/// The event of completion `c`, published in the writing transaction.
fn event_of(c: &Completion) -> DepositPosted {
    let t = &c.transfer;
    DepositPosted::new(&c.wallet, &t.id, t.amount, t.currency, Some(&c.request.provider))
}

/// The audit entry of a provider's completed deposit `r` (the single path writes the same).
pub(super) fn audit_entry(r: &RequestRow) -> Audit<'static> {
    callback_audit(r, COMPLETED)
}

/// The audit entry of provider callback `outcome` on deposit `r`.
pub(super) fn callback_audit(r: &RequestRow, outcome: &str) -> Audit<'static> {
    Audit::new("deposit.callback", "transaction", r.id.clone())
        .details(format!("provider {} reported deposit {} {outcome}", r.provider, r.id))
}
