//! Group commit of wallet transfers within one currency: the transfers queued while the writer
//! was busy are decided together in memory (`plan`) and written at once.
//!
//! - SQLite, and every fallback: the batch reads the wallets, then in one write transaction
//!   locks their balance accounts, decides on what it locked, inserts the accepted rows and
//!   moves the accounts in one statement each.
//! - PostgreSQL: the lane remembers the wallets it has seen and their accounts' sums as they
//!   will be once its write in flight commits. It decides the next batch on them (reading only
//!   wallets it has not seen) while that write runs, then writes it in one statement that
//!   applies only if every account still holds those sums and every wallet still has that
//!   status, and fails on the unique index if a transfer id is stored already
//!   (`batch_pg::write_if_unchanged`). If anything moved (another money path wrote an account,
//!   a wallet was disabled, a key is replayed) nothing is written: the batch is decided again under a lock from fresh reads, as on SQLite, and the
//!   lane forgets what it remembered.
//!
//! A refused transfer is answered with its error and leaves nothing, without failing the
//! others. If the batch itself fails, each of its transfers is answered "alone" and runs in its
//! own transaction, so one bad transfer cannot sink the rest. Nobody is answered before the
//! write that carries their answer has committed.

use std::collections::HashMap;

use brokercrm_core::money::ledger::AccountKind;
use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use brokercrm_store::repo::money::ledger::AccountRow;
use brokercrm_store::repo::money::ledger::batch;
use brokercrm_store::repo::money::ledger::batch_pg::{self, DecidedOn};
use brokercrm_store::repo::money::wallets::{self, WalletRow};
use brokercrm_store::{Backend, DatabaseTransaction};
use tokio::task::JoinHandle;

use super::input::{Batched, Request};
use super::plan::{Seen, plan};
use crate::App;
use crate::platform::audit::{self, Audit};
use crate::platform::group_commit::Batch;

type Job = crate::platform::group_commit::Job<Request, Batched>;

/// The answers of a batch, or why it failed as a whole.
type Answers = Result<Vec<Result<Batched>>>;

/// Wallet transfers, queued on writer lanes.
pub struct WalletTransfers;

impl Batch for WalletTransfers {
    type Job = Request;
    type Answer = Batched;
    type Lane = Pipeline;
    const MAX: usize = 64;
    async fn store(app: App, lane: &mut Pipeline, jobs: Vec<Job>) {
        if app.db().backend() == Backend::Postgres {
            pipelined(app, lane, jobs).await;
        } else {
            let answers = locked_batch(&app, &requests_of(&jobs)).await;
            answer_all(jobs, answers);
        }
    }
}

/// Decides `request` in the next batch of a lane; returns once that batch is committed.
pub(crate) async fn run(app: &App, request: Request) -> Result<Batched> {
    app.transfer_lanes().run(request).await
}

fn requests_of(jobs: &[Job]) -> Vec<&Request> {
    jobs.iter().map(|j| &j.job).collect()
}

fn answer_all(jobs: Vec<Job>, answers: Answers) {
    let answers = answers.unwrap_or_else(|e| {
        tracing::warn!(error = %e, size = jobs.len(), "transfer batch failed; running its transfers alone");
        jobs.iter().map(|_| Ok(Batched::Alone)).collect()
    });
    for (job, answer) in jobs.into_iter().zip(answers) {
        job.answer(answer);
    }
}

/// The wallets of `requests`, ascending, once each.
fn wallet_ids(requests: &[&Request]) -> Vec<i64> {
    let mut ids: Vec<i64> = requests
        .iter()
        .flat_map(|r| [r.input.source_wallet_id, r.input.target_wallet_id])
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// Reads, on the read pool and both at once, the wallets and stored transfers of `requests`,
/// so the write transaction holds its locks only to lock, write and commit. Neither can go
/// stale in a way that matters: a wallet's owner and currency never change, a wallet disabled
/// meanwhile was disabled after these transfers, and an id stored meanwhile fails the batch's
/// insert on the unique index (after which its transfers run alone).
async fn read(app: &App, requests: &[&Request]) -> Result<Seen> {
    let transfer_ids: Vec<&str> = requests.iter().map(|r| r.id.as_str()).collect();
    let conn = app.db().conn();
    let ids = wallet_ids(requests);
    let (wallets, stored) =
        tokio::try_join!(wallets::find_many(conn, &ids), batch::existing(conn, &transfer_ids))?;
    Ok(Seen {
        wallets: wallets.into_iter().map(|w| (w.id, w)).collect(),
        stored: stored.into_iter().map(|t| (t.transfer_id, t.body_hash)).collect(),
    })
}

/// Reads, then decides and writes under a lock.
async fn locked_batch(app: &App, requests: &[&Request]) -> Answers {
    let seen = read(app, requests).await?;
    locked(app, requests, &seen).await
}

/// Decides and writes every request in one write transaction that first locks the accounts
/// of the read wallets; an `Err` means nothing was written.
async fn locked(app: &App, requests: &[&Request], seen: &Seen) -> Answers {
    let tx = app.db().begin_write().await?;
    match locked_in(&tx, requests, seen).await {
        Ok(answers) => {
            commit(tx).await?;
            Ok(answers)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn locked_in(tx: &DatabaseTransaction, requests: &[&Request], seen: &Seen) -> Answers {
    let mut wallet_ids: Vec<i64> = seen.wallets.keys().copied().collect();
    wallet_ids.sort_unstable();
    let accounts = batch::lock_of_wallets(tx, &wallet_ids, AccountKind::WalletBalance).await?;
    let plan = plan(requests, seen, &accounts)?;
    batch::insert(tx, &plan.writes).await?;
    batch::apply_deltas(tx, &plan.deltas).await?;
    for (index, wallet, details) in plan.audits {
        let entry = Audit::new("wallet.transfer", "wallet", wallet.to_string()).details(details);
        audit::record(tx, Some(&requests[index].actor), entry).await?;
    }
    Ok(plan.answers)
}

/// Wallets a PostgreSQL lane remembers before it starts afresh (a memory bound).
const REMEMBERED_WALLETS: usize = 100_000;

/// What a PostgreSQL lane carries from one batch to the next: the wallets it has seen and
/// their balance accounts, as they will be once its write in flight (if any) commits as
/// decided. Every wallet and account of the write in flight is here.
#[derive(Default)]
pub struct Pipeline {
    wallets: HashMap<i64, WalletRow>,
    /// Balance accounts by wallet id.
    sums: HashMap<i64, AccountRow>,
    /// The write in flight: true when it wrote what was decided.
    in_flight: Option<JoinHandle<bool>>,
}

impl Pipeline {
    fn forget(&mut self) {
        self.wallets.clear();
        self.sums.clear();
    }
}

/// Reads the wallets `ids` and their balance accounts, at once on the read pool.
async fn read_wallets(app: &App, ids: &[i64]) -> Result<(Vec<WalletRow>, Vec<AccountRow>)> {
    if ids.is_empty() {
        return Ok((Vec::new(), Vec::new()));
    }
    let conn = app.db().conn();
    tokio::try_join!(
        wallets::find_many(conn, ids),
        batch::of_wallets(conn, ids, AccountKind::WalletBalance)
    )
}

/// One PostgreSQL batch: decide on the remembered wallets and sums (reading only wallets not
/// seen before), wait for the previous batch's write, then start this one's and return, so
/// the next batch is decided while this one writes. The write checks everything the batch
/// was decided on; if anything moved, the batch is decided again under a lock from fresh
/// reads and the lane forgets what it remembered.
async fn pipelined(app: App, lane: &mut Pipeline, jobs: Vec<Job>) {
    let started = std::time::Instant::now();
    let requests = requests_of(&jobs);
    let ids = wallet_ids(&requests);
    // Wallets of the write in flight are remembered with their accounts, so these reads cannot
    // race it. (A wallet without a balance account is read again: it may have one now.)
    let unknown: Vec<i64> = ids
        .iter()
        .filter(|id| !lane.wallets.contains_key(id) || !lane.sums.contains_key(id))
        .copied()
        .collect();
    let read = read_wallets(&app, &unknown).await;
    let read_us = started.elapsed().as_micros();
    let previous_wrote = match lane.in_flight.take() {
        Some(write) => write.await.unwrap_or(false),
        None => true,
    };
    let waited_us = started.elapsed().as_micros() - read_us;
    let fresh = match read {
        Ok(fresh) => fresh,
        Err(e) => return answer_all(jobs, Err(e)),
    };
    if !previous_wrote || lane.wallets.len() > REMEMBERED_WALLETS {
        // What the lane remembers is not what the database holds: start afresh.
        lane.forget();
        let answers = locked_batch(&app, &requests).await;
        return answer_all(jobs, answers);
    }
    lane.wallets.extend(fresh.0.into_iter().map(|w| (w.id, w)));
    lane.sums.extend(fresh.1.into_iter().filter_map(|a| Some((a.wallet_id?, a))));
    let seen = Seen {
        wallets: ids.iter().filter_map(|id| Some((*id, lane.wallets.get(id)?.clone()))).collect(),
        // A stored id fails the write on the unique index, which sends the batch down the
        // locked path.
        stored: HashMap::new(),
    };
    let statuses: Vec<(i64, String)> =
        seen.wallets.values().map(|w| (w.id, w.status.clone())).collect();
    let accounts: Vec<AccountRow> =
        ids.iter().filter_map(|id| lane.sums.get(id).cloned()).collect();
    let plan = match plan(&requests, &seen, &accounts) {
        Ok(plan) if plan.audits.is_empty() => plan,
        // Staff transfers are audited in the write transaction: the locked path.
        Ok(_) => {
            lane.forget();
            let answers = locked_batch(&app, &requests).await;
            return answer_all(jobs, answers);
        }
        Err(e) => return answer_all(jobs, Err(e)),
    };
    for a in &accounts {
        if let (Some(wallet), Some(d)) =
            (a.wallet_id, plan.deltas.iter().find(|d| d.account_id == a.id))
            && let Some(now) = lane.sums.get_mut(&wallet)
        {
            now.balance += d.balance;
            now.pending_debits += d.pending_debits;
            now.pending_credits += d.pending_credits;
        }
    }
    let planned_us = started.elapsed().as_micros() - read_us - waited_us;
    lane.in_flight = Some(tokio::spawn(async move {
        let requests = requests_of(&jobs);
        let conn = app.db().write_conn();
        let writing = std::time::Instant::now();
        let on = DecidedOn { accounts: &accounts, wallets: &statuses };
        let wrote = batch_pg::write_if_unchanged(conn, on, &plan.deltas, &plan.writes).await;
        tracing::debug!(
            size = jobs.len(),
            read_us,
            waited_us,
            planned_us,
            write_us = writing.elapsed().as_micros(),
            wrote = matches!(wrote, Ok(true)),
            "transfer batch"
        );
        let (answers, wrote) = match wrote {
            Ok(true) => (Ok(plan.answers), true),
            // Something moved, or an id is stored already (a replay): decide again from
            // fresh reads, which answer replays from the stored rows.
            Ok(false) | Err(Error::Conflict(_)) => (locked_batch(&app, &requests).await, false),
            Err(e) => (Err(e), false),
        };
        answer_all(jobs, answers);
        wrote
    }));
}
