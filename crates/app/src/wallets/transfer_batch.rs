//! Group commit of wallet transfers within one currency: the transfers queued while the writer
//! was busy are decided and written in one write transaction. The batch reads the wallets, locks
//! their balance accounts, and decides every transfer in order on the reference ledger model
//! (`brokercrm_core::ledger::model`, the same rules the property tests hold the database to);
//! then it inserts the accepted transfer rows and moves the accounts in one statement each.
//! A refused transfer is answered with its error and leaves nothing, without failing the others.
//! If the batch itself fails, each of its transfers is answered "alone" and runs in its own
//! transaction, so one bad transfer cannot sink the rest.

use std::collections::HashMap;

use brokercrm_core::ledger::model::{Account, Ledger};
use brokercrm_core::ledger::{
    AccountKey, AccountKind, NewTransfer, Policy, TransferCode, TransferId, compare_replay,
};
use brokercrm_core::{Currency, Money, Result};
use brokercrm_store::DatabaseTransaction;
use brokercrm_store::db::commit;
use brokercrm_store::repo::ledger::AccountRow;
use brokercrm_store::repo::ledger::batch::{self, Delta};
use brokercrm_store::repo::wallets::{self, WalletRow};

use super::currency_of;
use super::money::{TransferInput, check_pair, same_currency_details};
use crate::audit::{self, Audit};
use crate::group_commit::Batch;
use crate::ledger::body_hash;
use crate::{App, Principal};

/// A transfer between two wallets, its input validated and its id derived.
pub(crate) struct Request {
    pub actor: Principal,
    pub input: TransferInput,
    pub id: TransferId,
}

/// What the batch did with a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Batched {
    /// Applied now, or before (a replay of the same body).
    Applied,
    /// Not for the batch (two currencies, an account not opened yet, or the batch failed):
    /// the requester runs it in its own transaction.
    Alone,
}

type Job = crate::group_commit::Job<Request, Batched>;

/// Wallet transfers, queued on writer lanes.
pub struct WalletTransfers;

impl Batch for WalletTransfers {
    type Job = Request;
    type Answer = Batched;
    const MAX: usize = 64;
    async fn store(app: App, jobs: Vec<Job>) {
        store(&app, jobs).await;
    }
}

/// Decides `request` in the next batch of a lane; returns once that batch is committed.
pub(crate) async fn run(app: &App, request: Request) -> Result<Batched> {
    app.transfer_lanes().run(request).await
}

async fn store(app: &App, jobs: Vec<Job>) {
    let requests: Vec<&Request> = jobs.iter().map(|j| &j.job).collect();
    let answers = match together(app, &requests).await {
        Ok(answers) => answers,
        Err(e) => {
            tracing::warn!(error = %e, size = jobs.len(), "transfer batch failed; running its transfers alone");
            jobs.iter().map(|_| Ok(Batched::Alone)).collect()
        }
    };
    for (job, answer) in jobs.into_iter().zip(answers) {
        job.answer(answer);
    }
}

/// What the batch reads before it takes the write lock: the wallets, and the stored transfers
/// (id → body hash) among the requests' ids.
struct Seen {
    wallets: HashMap<i64, WalletRow>,
    stored: HashMap<String, String>,
}

/// Reads what the batch needs before its write transaction, both at once on the read pool, so
/// the write lock is held only to lock, write and commit. Neither read can go stale in a way
/// that matters: a wallet's owner and currency never change, a wallet disabled meanwhile was
/// disabled after these transfers, and an id stored meanwhile fails the batch's insert on the
/// unique index, after which its transfers run alone.
async fn read(app: &App, requests: &[&Request]) -> Result<Seen> {
    let mut ids: Vec<i64> = requests
        .iter()
        .flat_map(|r| [r.input.source_wallet_id, r.input.target_wallet_id])
        .collect();
    ids.sort_unstable();
    ids.dedup();
    let transfer_ids: Vec<&str> = requests.iter().map(|r| r.id.as_str()).collect();
    let conn = app.db().conn();
    let (wallets, stored) =
        tokio::try_join!(wallets::find_many(conn, &ids), batch::existing(conn, &transfer_ids))?;
    Ok(Seen {
        wallets: wallets.into_iter().map(|w| (w.id, w)).collect(),
        stored: stored.into_iter().map(|t| (t.transfer_id, t.body_hash)).collect(),
    })
}

/// Decides and writes every request in one transaction; an `Err` means nothing was written.
async fn together(app: &App, requests: &[&Request]) -> Result<Vec<Result<Batched>>> {
    let seen = read(app, requests).await?;
    let tx = app.db().begin_write().await?;
    match decide(&tx, requests, &seen).await {
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

/// A request the batch applies: its transfer and the two wallets.
struct Planned<'a> {
    index: usize,
    request: &'a Request,
    transfer: NewTransfer,
    src: WalletRow,
    dst: WalletRow,
}

async fn decide(
    tx: &DatabaseTransaction,
    requests: &[&Request],
    seen: &Seen,
) -> Result<Vec<Result<Batched>>> {
    let mut answers: Vec<Option<Result<Batched>>> = requests.iter().map(|_| None).collect();
    let mut pairs = Vec::with_capacity(requests.len());
    for (i, r) in requests.iter().enumerate() {
        let src = seen.wallets.get(&r.input.source_wallet_id).cloned();
        let dst = seen.wallets.get(&r.input.target_wallet_id).cloned();
        match check_pair(&r.actor, src, dst) {
            Err(e) => answers[i] = Some(Err(e)),
            Ok((s, d)) if s.currency != d.currency => answers[i] = Some(Ok(Batched::Alone)),
            Ok((s, d)) => pairs.push((i, s, d)),
        }
    }
    let mut keys = Vec::with_capacity(pairs.len() * 2);
    for (_, s, d) in &pairs {
        keys.push(balance_key(s)?);
        keys.push(balance_key(d)?);
    }
    let mut wallet_ids: Vec<i64> = pairs.iter().flat_map(|(_, s, d)| [s.id, d.id]).collect();
    wallet_ids.sort_unstable();
    wallet_ids.dedup();
    let locked = batch::lock_of_wallets(tx, &wallet_ids, AccountKind::WalletBalance).await?;
    let by_key: HashMap<&str, &AccountRow> = locked.iter().map(|a| (a.key.as_str(), a)).collect();
    let mut planned = Vec::with_capacity(pairs.len());
    for ((index, src, dst), keys) in pairs.into_iter().zip(keys.chunks(2)) {
        let (Some(from), Some(to)) = (by_key.get(keys[0].as_str()), by_key.get(keys[1].as_str()))
        else {
            answers[index] = Some(Ok(Batched::Alone));
            continue;
        };
        let request = requests[index];
        let transfer = NewTransfer {
            id: request.id.clone(),
            debit_account_id: from.id,
            credit_account_id: to.id,
            amount: request.input.amount,
            currency: currency_of(&src)?,
            code: TransferCode::WalletTransfer,
            user_data: None,
            pending: false,
        };
        planned.push(Planned { index, request, transfer, src, dst });
    }
    let mut ledger = model_of(&locked)?;
    let mut writes = Vec::with_capacity(planned.len());
    let mut audits = Vec::new();
    for p in planned {
        let hash = body_hash(&p.transfer.fingerprint());
        let answer = match seen.stored.get(p.transfer.id.as_str()) {
            Some(earlier) => compare_replay(earlier, &hash).map(|_| Batched::Applied),
            None => match ledger.apply(&p.transfer) {
                Ok((_, true)) => Ok(Batched::Applied),
                Ok((_, false)) => {
                    if p.request.actor.role.is_staff() {
                        let details = same_currency_details(
                            p.transfer.amount,
                            &p.src,
                            &p.dst,
                            &p.transfer.id,
                        );
                        audits.push((p.index, p.src.id, details));
                    }
                    writes.push((p.transfer, hash));
                    Ok(Batched::Applied)
                }
                Err(e) => Err(e),
            },
        };
        answers[p.index] = Some(answer);
    }
    batch::insert(tx, &writes).await?;
    batch::apply_deltas(tx, &deltas(&locked, &ledger)).await?;
    for (index, wallet, details) in audits {
        let entry = Audit::new("wallet.transfer", "wallet", wallet.to_string()).details(details);
        audit::record(tx, Some(&requests[index].actor), entry).await?;
    }
    Ok(answers.into_iter().map(|a| a.unwrap_or(Ok(Batched::Alone))).collect())
}

fn balance_key(w: &WalletRow) -> Result<String> {
    Ok(AccountKey::wallet(AccountKind::WalletBalance, w.id, currency_of(w)?)?.key())
}

/// The locked accounts as the reference model's ledger (no transfers: replays of stored ids
/// are answered from the database before the model sees them).
fn model_of(rows: &[AccountRow]) -> Result<Ledger> {
    let mut ledger = Ledger::default();
    for a in rows {
        let currency = Currency::parse("currency", &a.currency).map_err(|_| {
            brokercrm_core::Error::internal(format!("ledger account {}: bad currency", a.id))
        })?;
        let policy =
            Policy { floor: Money::from_minor(a.floor), allows_overdraft: a.allows_overdraft };
        let account = Account {
            currency,
            policy,
            balance: a.balance,
            pending_debits: a.pending_debits,
            pending_credits: a.pending_credits,
        };
        ledger.accounts.insert(a.id, account);
    }
    Ok(ledger)
}

/// What the model changed on each locked account.
fn deltas(rows: &[AccountRow], ledger: &Ledger) -> Vec<Delta> {
    rows.iter()
        .filter_map(|a| {
            let now = ledger.accounts.get(&a.id)?;
            Some(Delta {
                account_id: a.id,
                balance: now.balance - a.balance,
                pending_debits: now.pending_debits - a.pending_debits,
                pending_credits: now.pending_credits - a.pending_credits,
            })
        })
        .collect()
}
