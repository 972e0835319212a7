//! Group commit: writer lanes that take whatever jobs are queued when their writer is free
//! (no waiting to fill a batch, so a lone job is not delayed) and hand them to one batch
//! function, which stores them in one write transaction and answers each job. Used by the lead
//! intake and by wallet transfers: on SQLite the batch shares the single writer's lock and one
//! fsync, on PostgreSQL one WAL flush.

use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};

use brokercrm_core::{Error, Result};
use tokio::sync::{mpsc, oneshot};

use crate::{App, WeakApp};

/// Jobs waiting for a writer, per lane, before pushers wait too.
const QUEUE: usize = 1024;

/// A job and where its answer goes.
pub(crate) struct Job<J, R> {
    pub job: J,
    pub reply: oneshot::Sender<Result<R>>,
}

impl<J, R> Job<J, R> {
    /// Sends the answer; the requester may have gone away (its client disconnected).
    pub fn answer(self, r: Result<R>) {
        let _ = self.reply.send(r);
    }
}

/// One kind of batch: what its jobs and answers are, how many go in one transaction, what a
/// lane keeps from one batch to the next, and how a batch is stored (answering every job).
pub(crate) trait Batch: 'static {
    type Job: Send + 'static;
    type Answer: Send + 'static;
    /// What a lane carries between its batches (`()` for none).
    type Lane: Default + Send + 'static;
    /// Most jobs stored in one transaction.
    const MAX: usize;
    /// Stores `jobs` and answers each; the lane takes its next batch when this returns (a
    /// batch may return before its jobs are answered, leaving what is in flight in `lane`).
    fn store(
        app: App,
        lane: &mut Self::Lane,
        jobs: Vec<Job<Self::Job, Self::Answer>>,
    ) -> impl Future<Output = ()> + Send;
}

/// The lanes of one kind of batch; jobs are spread over them round-robin.
pub(crate) struct Lanes<B: Batch> {
    lanes: Vec<mpsc::Sender<Job<B::Job, B::Answer>>>,
    next: AtomicUsize,
}

impl<B: Batch> Lanes<B> {
    /// Spawns `lanes` writer tasks on the current runtime, each storing at most [`Batch::MAX`]
    /// jobs at a time. They hold `app` weakly and end when it is dropped.
    pub fn spawn(app: &WeakApp, lanes: usize) -> Self {
        let lanes = (0..lanes.max(1))
            .map(|_| {
                let (tx, mut rx) = mpsc::channel::<Job<B::Job, B::Answer>>(QUEUE);
                let app = app.clone();
                tokio::spawn(async move {
                    let mut jobs = Vec::with_capacity(B::MAX);
                    let mut lane = B::Lane::default();
                    while rx.recv_many(&mut jobs, B::MAX).await > 0 {
                        let Some(app) = app.upgrade() else { return };
                        B::store(app, &mut lane, std::mem::take(&mut jobs)).await;
                    }
                });
                tx
            })
            .collect();
        Self { lanes, next: AtomicUsize::new(0) }
    }

    /// Queues `job` on the next lane and waits for its batch's answer.
    pub async fn run(&self, job: B::Job) -> Result<B::Answer> {
        let lane = self.next.fetch_add(1, Ordering::Relaxed) % self.lanes.len();
        let (reply, answer) = oneshot::channel();
        self.lanes[lane]
            .send(Job { job, reply })
            .await
            .map_err(|_| Error::internal("a group-commit lane is closed"))?;
        answer.await.map_err(|_| Error::internal("a group-commit batch dropped a job"))?
    }
}
