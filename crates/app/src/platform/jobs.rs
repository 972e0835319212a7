//! Typed background jobs over the store's job/outbox table, and the runner that executes them:
//! claim with a lease, run, complete or retry with exponential backoff, dead-letter after the
//! job's maximum attempts, release leases on shutdown.

use std::collections::{HashMap, VecDeque};
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use brokercrm_core::{Error, Result};
use brokercrm_store::ConnectionTrait;
use brokercrm_store::jobs::{self as store_jobs, JobRow, NewJob};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio::sync::watch;

use crate::App;

/// Batches of one kind run at once when their jobs may run in any order: three keep both cores
/// of the benchmark machine busy while one batch waits on the database (docs/benchmarks.md).
pub const IN_FLIGHT: usize = 3;

/// A kind of background job. The payload is the job value itself, stored as JSON.
pub trait Job: Serialize + DeserializeOwned + Send + Sync + 'static {
    /// Stable name stored in the table.
    const KIND: &'static str;
    /// Attempts before the job is dead-lettered.
    const MAX_ATTEMPTS: i32 = 8;
    /// A key making the job unique while it exists (`None`: no de-duplication).
    fn dedup_key(&self) -> Option<String> {
        None
    }
    /// Does the work. An `Err` is retried with backoff.
    fn run(self, app: App) -> impl Future<Output = Result<()>> + Send;
}

/// A job whose claimed instances may run together: the runner claims up to [`Self::BATCH`]
/// of them at once and hands them to [`Self::run_batch`] (one transaction, say); when the
/// batch fails, each runs alone through [`Job::run`] with its own retry and backoff, so one bad
/// job never holds the others back.
pub trait BatchJob: Job {
    /// At most this many per batch.
    const BATCH: u64 = 500;
    /// Does the work of all of `jobs`, or none of it (an `Err`).
    fn run_batch(jobs: Vec<Self>, app: App) -> impl Future<Output = Result<()>> + Send;
    /// Whether this job may run at the same time as jobs queued before it (in another batch):
    /// only then does the runner keep several batches in flight. `false` keeps queue order.
    fn in_any_order(&self) -> bool {
        false
    }
}

/// Enqueues `job` on `conn` — pass the business transaction so both commit together.
pub async fn enqueue<C: ConnectionTrait, J: Job>(conn: &C, job: &J) -> Result<Option<i64>> {
    store_jobs::enqueue(conn, new_job(job)?).await
}

/// Whether the job with `dedup_key` is still to run (queued, or running elsewhere).
pub async fn unfinished<C: ConnectionTrait>(conn: &C, dedup_key: &str) -> Result<bool> {
    store_jobs::unfinished(conn, dedup_key).await
}

/// The row `job` is stored as, due now.
fn new_job<J: Job>(job: &J) -> Result<NewJob> {
    Ok(NewJob {
        kind: J::KIND.to_owned(),
        payload: serde_json::to_value(job).map_err(Error::internal)?,
        max_attempts: J::MAX_ATTEMPTS,
        run_at: None,
        dedup_key: job.dedup_key(),
    })
}

/// Enqueues every job of `batch` on `conn` in one statement (the business transaction, so
/// they commit with it); those whose dedup key is taken are skipped.
pub async fn enqueue_all<C: ConnectionTrait, J: Job>(conn: &C, batch: &[J]) -> Result<()> {
    let rows = batch.iter().map(new_job).collect::<Result<Vec<_>>>()?;
    store_jobs::enqueue_many(conn, rows).await
}

type Handler = Arc<
    dyn Fn(App, serde_json::Value) -> Pin<Box<dyn Future<Output = Result<()>> + Send>>
        + Send
        + Sync,
>;

type BatchHandler = Arc<
    dyn Fn(App, Vec<serde_json::Value>) -> Pin<Box<dyn Future<Output = Result<()>> + Send>>
        + Send
        + Sync,
>;

/// Whether a stored payload of a batch kind may run out of queue order.
type InAnyOrder = fn(&str) -> bool;

/// A batch kind: its name, batch size, handler and order check.
type BatchKind = (&'static str, u64, BatchHandler, InAnyOrder);

/// Dispatches claimed jobs to their typed handlers.
#[derive(Clone)]
pub struct Runner {
    app: App,
    worker: String,
    handlers: HashMap<&'static str, Handler>,
    batches: Vec<BatchKind>,
    lease: chrono::Duration,
    batch: u64,
}

impl Runner {
    pub fn new(app: App, worker: impl Into<String>) -> Self {
        Self {
            app,
            worker: worker.into(),
            handlers: HashMap::new(),
            batches: Vec::new(),
            lease: chrono::Duration::minutes(5),
            batch: 16,
        }
    }

    /// Registers the handler of `J`.
    pub fn register<J: Job>(mut self) -> Self {
        let h: Handler = Arc::new(|app, payload| {
            Box::pin(async move {
                let job: J = serde_json::from_value(payload).map_err(Error::internal)?;
                job.run(app).await
            })
        });
        self.handlers.insert(J::KIND, h);
        self
    }

    /// Registers `J` to run in batches (and alone, when its batch fails).
    pub fn register_batch<J: BatchJob>(self) -> Self {
        let mut me = self.register::<J>();
        let h: BatchHandler = Arc::new(|app, payloads| {
            Box::pin(async move {
                let jobs = payloads
                    .into_iter()
                    .map(serde_json::from_value::<J>)
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(Error::internal)?;
                J::run_batch(jobs, app).await
            })
        });
        let in_any_order: InAnyOrder =
            |payload| serde_json::from_str::<J>(payload).is_ok_and(|j| j.in_any_order());
        me.batches.push((J::KIND, J::BATCH, h, in_any_order));
        me
    }

    /// Runs claimed jobs of one batch kind together; on failure each runs alone.
    async fn run_batch(&self, handler: &BatchHandler, jobs: Vec<JobRow>) -> Result<()> {
        let payloads: std::result::Result<Vec<serde_json::Value>, _> =
            jobs.iter().map(|j| serde_json::from_str(&j.payload)).collect();
        let outcome = match payloads {
            Ok(p) => handler(self.app.clone(), p).await,
            Err(e) => Err(Error::internal(format!("bad payload: {e}"))),
        };
        match outcome {
            Ok(()) => {
                let ids: Vec<i64> = jobs.iter().map(|j| j.id).collect();
                store_jobs::complete_many(self.app.db(), &ids, &self.worker).await?;
            }
            Err(e) => {
                tracing::warn!(size = jobs.len(), kind = %jobs[0].kind, error = %e, "job batch failed; running its jobs alone");
                for job in jobs {
                    self.run_one(job).await?;
                }
            }
        }
        Ok(())
    }

    /// Backoff before retry `attempt` (1-based): 5 s doubling, capped at one hour.
    pub fn backoff(attempt: i32) -> Duration {
        let exp = u32::try_from(attempt.clamp(1, 20) - 1).unwrap_or(0);
        Duration::from_secs(5u64.saturating_mul(2u64.saturating_pow(exp)).min(3600))
    }

    async fn run_one(&self, job: JobRow) -> Result<()> {
        match self.attempt(&job).await {
            Ok(()) => store_jobs::complete(self.app.db(), job.id, &self.worker).await.map(|_| ()),
            Err(e) => self.failed(&job, e).await,
        }
    }

    /// Runs `job`'s handler once.
    async fn attempt(&self, job: &JobRow) -> Result<()> {
        match self.handlers.get(job.kind.as_str()) {
            Some(h) => match serde_json::from_str(&job.payload) {
                Ok(payload) => h(self.app.clone(), payload).await,
                Err(e) => Err(Error::internal(format!("bad payload: {e}"))),
            },
            None => Err(Error::internal(format!("no handler for job kind {}", job.kind))),
        }
    }

    /// Records that an attempt of `job` failed with `e`: retried after its backoff, or dead.
    async fn failed(&self, job: &JobRow, e: Error) -> Result<()> {
        let detail = match &e {
            Error::Internal(s) | Error::Upstream(s) => s.clone(),
            other => other.to_string(),
        };
        tracing::warn!(job_id = job.id, kind = %job.kind, attempt = job.attempts, error = %detail, "job failed");
        let delay = chrono::Duration::from_std(Self::backoff(job.attempts)).unwrap_or_default();
        let retry_at = brokercrm_store::db::now() + delay;
        store_jobs::fail(self.app.db(), job, &self.worker, &detail, retry_at).await.map(|_| ())
    }

    /// Claims and runs batches of one kind until none is due; returns how many jobs ran.
    /// Batches of jobs that may run in any order run as their own tasks, up to
    /// [`IN_FLIGHT`] at once (their transactions overlap everywhere but on the rows they
    /// share), the next claimed while they run; a batch holding a job that keeps queue order
    /// runs alone, after every batch claimed before it.
    async fn drain_batch_kind(
        &self,
        (kind, size, handler, in_any_order): &BatchKind,
    ) -> Result<usize> {
        let claim = || store_jobs::claim_kind(self.app.db(), &self.worker, self.lease, kind, *size);
        let unordered = |jobs: &[JobRow]| jobs.iter().all(|j| in_any_order(&j.payload));
        let mut n = 0;
        let mut running: VecDeque<BatchRun<'static>> = VecDeque::new();
        loop {
            let jobs = match claim().await {
                Ok(jobs) => jobs,
                Err(e) => return finish(running, Err(e)).await,
            };
            if jobs.is_empty() {
                return finish(running, Ok(n)).await;
            }
            n += jobs.len();
            if !unordered(&jobs) {
                finish(std::mem::take(&mut running), Ok(())).await?;
                self.run_batch(handler, jobs).await?;
                continue;
            }
            running.push_back(self.spawn_batch(handler, jobs));
            if running.len() >= IN_FLIGHT
                && let Some(oldest) = running.pop_front()
                && let Err(e) = oldest.await
            {
                return finish(running, Err(e)).await;
            }
        }
    }

    /// Runs a batch as its own task, so batches in flight use every thread (their
    /// decoding and building, not only their database time, overlap).
    fn spawn_batch(&self, handler: &BatchHandler, jobs: Vec<JobRow>) -> BatchRun<'static> {
        let (runner, handler) = (self.clone(), handler.clone());
        let task = tokio::spawn(async move { runner.run_batch(&handler, jobs).await });
        Box::pin(
            async move { task.await.map_err(|e| Error::internal(format!("batch task: {e}")))? },
        )
    }

    /// Claims and runs due jobs until none is left; returns how many ran (tests, CLI).
    pub async fn run_until_idle(&self) -> Result<usize> {
        let mut n = 0;
        loop {
            for kind in &self.batches {
                n += self.drain_batch_kind(kind).await?;
            }
            let batch =
                store_jobs::claim(self.app.db(), &self.worker, self.lease, self.batch).await?;
            if batch.is_empty() {
                return Ok(n);
            }
            n += batch.len();
            let mut grouped: HashMap<&'static str, Vec<JobRow>> = HashMap::new();
            // The jobs that ran are marked done together, in one statement after the last.
            let mut done = Vec::new();
            for job in batch {
                match self.batches.iter().find(|(kind, ..)| *kind == job.kind) {
                    Some((kind, ..)) => grouped.entry(*kind).or_default().push(job),
                    None => match self.attempt(&job).await {
                        Ok(()) => done.push(job.id),
                        Err(e) => self.failed(&job, e).await?,
                    },
                }
            }
            store_jobs::complete_many(self.app.db(), &done, &self.worker).await?;
            for (kind, jobs) in grouped {
                if let Some((_, _, handler, _)) = self.batches.iter().find(|(k, ..)| *k == kind) {
                    self.run_batch(handler, jobs).await?;
                }
            }
        }
    }

    /// Polls for jobs until `shutdown` turns true; in-flight jobs finish, then every lease this
    /// worker still holds is released.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        let idle = Duration::from_millis(500);
        loop {
            if *shutdown.borrow() {
                break;
            }
            let ran = match self.run_until_idle().await {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = ?e, "job runner error");
                    0
                }
            };
            if ran == 0 {
                tokio::select! {
                    _ = tokio::time::sleep(idle) => {}
                    _ = shutdown.changed() => {}
                }
            }
        }
        match store_jobs::release_all(self.app.db(), &self.worker).await {
            Ok(n) => tracing::info!(released = n, worker = %self.worker, "job runner stopped"),
            Err(e) => tracing::error!(error = ?e, "releasing job leases failed"),
        }
    }
}

/// A batch being run by [`Runner::drain_batch_kind`].
type BatchRun<'a> = Pin<Box<dyn Future<Output = Result<()>> + Send + 'a>>;

/// Waits for every batch still running, then returns `out` (or the first error).
async fn finish<T>(running: VecDeque<BatchRun<'_>>, out: Result<T>) -> Result<T> {
    let mut first_err = None;
    for run in running {
        if let Err(e) = run.await {
            first_err.get_or_insert(e);
        }
    }
    let out = out?;
    first_err.map_or(Ok(out), Err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_and_caps() {
        assert_eq!(Runner::backoff(1), Duration::from_secs(5));
        assert_eq!(Runner::backoff(2), Duration::from_secs(10));
        assert_eq!(Runner::backoff(30), Duration::from_secs(3600));
    }
}
