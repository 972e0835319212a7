//! The intake batch (group commit): leads pushed at the same moment are stored and routed up to
//! their outcome or first outbound call in one write transaction, so they share its commit —
//! on SQLite the fsync and the single writer's lock, on PostgreSQL the WAL flush. A batch is
//! whatever is queued when the writer is free (no waiting to fill it), so a lone lead is not
//! delayed. If a batch fails, its leads are stored one by one, so one lead cannot sink others.

use brokercrm_core::Result;
use brokercrm_store::db::commit;
use tokio::sync::oneshot;

use brokercrm_store::DatabaseTransaction;
use brokercrm_store::repo::distribution::leads as lead_repo;

use super::routing::Deferred;
use super::start::{Started, new_lead, start_in};
use super::types::Prepared;
use crate::App;
use crate::platform::group_commit::Batch;

type Job = crate::platform::group_commit::Job<Prepared, Started>;

/// The lead intake batch, queued on writer lanes (one on SQLite, which has one writer; a few
/// on PostgreSQL).
pub struct Intake;

impl Batch for Intake {
    type Job = Prepared;
    type Answer = Started;
    type Lane = ();
    const MAX: usize = 64;
    async fn store(app: App, _: &mut (), jobs: Vec<Job>) {
        store(&app, jobs).await;
    }
}

/// Stores `lead` in the next batch of a lane; returns once that batch is committed.
pub(crate) async fn start(app: &App, lead: Prepared) -> Result<Started> {
    app.intake().run(lead).await
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
    let rows = jobs.iter().map(|j| new_lead(app, &j.job)).collect();
    let leads = lead_repo::insert_many(tx, rows).await?;
    let mut started = Vec::with_capacity(jobs.len());
    let mut deferred = Deferred::default();
    for (job, lead) in jobs.iter().zip(leads) {
        let mut s = start_in(app, tx, job.job.clone(), lead).await?;
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
