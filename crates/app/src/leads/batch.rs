//! The intake batch (group commit): leads pushed at the same moment are stored and routed up to
//! their outcome or first outbound call in one write transaction, so they share its commit —
//! on SQLite the fsync and the single writer's lock, on PostgreSQL the WAL flush. A batch is
//! whatever is queued when the writer is free (no waiting to fill it), so a lone lead is not
//! delayed. If a batch fails, its leads are stored one by one, so one lead cannot sink others.

use std::sync::atomic::{AtomicUsize, Ordering};

use brokercrm_core::{Error, Result};
use brokercrm_store::db::commit;
use tokio::sync::{mpsc, oneshot};

use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::leads::leads as lead_repo;

use super::intake::{Prepared, Started, new_lead, start_in};
use super::routing::Deferred;
use crate::{App, WeakApp};

/// Most leads stored in one transaction.
const MAX_BATCH: usize = 64;
/// Leads waiting for a writer, per lane, before pushers wait too.
const QUEUE: usize = 1024;

struct Job {
    lead: Prepared,
    reply: oneshot::Sender<Result<Started>>,
}

/// The writer lanes leads are queued on (one on SQLite, which has one writer; a few on
/// PostgreSQL).
pub struct IntakeQueue {
    lanes: Vec<mpsc::Sender<Job>>,
    next: AtomicUsize,
}

impl IntakeQueue {
    /// Spawns `lanes` writer tasks on the current runtime. They hold `app` weakly and end when
    /// the application is dropped.
    pub(crate) fn spawn(app: &WeakApp, lanes: usize) -> Self {
        let lanes = (0..lanes.max(1))
            .map(|_| {
                let (tx, rx) = mpsc::channel(QUEUE);
                tokio::spawn(lane(app.clone(), rx));
                tx
            })
            .collect();
        Self { lanes, next: AtomicUsize::new(0) }
    }
}

/// Stores `lead` in the next batch of a lane; returns once that batch is committed.
pub(crate) async fn start(app: &App, lead: Prepared) -> Result<Started> {
    let queue = app.intake();
    let lane = queue.next.fetch_add(1, Ordering::Relaxed) % queue.lanes.len();
    let (reply, answer) = oneshot::channel();
    queue.lanes[lane]
        .send(Job { lead, reply })
        .await
        .map_err(|_| Error::internal("the intake queue is closed"))?;
    answer.await.map_err(|_| Error::internal("the intake batch dropped a lead"))?
}

async fn lane(app: WeakApp, mut rx: mpsc::Receiver<Job>) {
    let mut jobs = Vec::with_capacity(MAX_BATCH);
    while rx.recv_many(&mut jobs, MAX_BATCH).await > 0 {
        let Some(app) = app.upgrade() else { return };
        store(&app, std::mem::take(&mut jobs)).await;
    }
}

async fn store(app: &App, jobs: Vec<Job>) {
    if jobs.len() > 1 {
        match together(app, &jobs).await {
            Ok(started) => {
                for (job, s) in jobs.into_iter().zip(started) {
                    answer(job.reply, Ok(s));
                }
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, size = jobs.len(), "intake batch failed; storing its leads one by one");
            }
        }
    }
    for job in jobs {
        let started = together(app, std::slice::from_ref(&job)).await.map(|mut v| v.remove(0));
        answer(job.reply, started);
    }
}

/// Stores every lead of `jobs` in one transaction, or none of them.
async fn together(app: &App, jobs: &[Job]) -> Result<Vec<Started>> {
    let tx = app.db().begin_write().await?;
    match route_all(app, &tx, jobs).await {
        Ok(started) => {
            commit(tx).await?;
            Ok(started)
        }
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn route_all(app: &App, tx: &DatabaseTransaction, jobs: &[Job]) -> Result<Vec<Started>> {
    let rows = jobs.iter().map(|j| new_lead(app, &j.lead)).collect();
    let leads = lead_repo::insert_many(tx, rows).await?;
    let mut started = Vec::with_capacity(jobs.len());
    let mut deferred = Deferred::default();
    for (job, lead) in jobs.iter().zip(leads) {
        let mut s = start_in(app, tx, job.lead.clone(), lead).await?;
        s.run.take_deferred(&mut deferred);
        started.push(s);
    }
    deferred.write(tx).await?;
    Ok(started)
}

/// Hands the stored lead back to its pusher; if the pusher went away (client disconnected),
/// routing goes on without it, so a pending advertiser call is still made.
fn answer(reply: oneshot::Sender<Result<Started>>, started: Result<Started>) {
    if let Err(Ok(s)) = reply.send(started) {
        tokio::spawn(async move {
            if let Err(e) = s.run.after_commit(s.step, s.rest).await {
                tracing::warn!(error = %e, "routing of a lead whose pusher left failed");
            }
        });
    }
}
