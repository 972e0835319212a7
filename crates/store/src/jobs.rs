//! The job/outbox table: enqueue inside the caller's transaction, claim with a lease
//! (`FOR UPDATE SKIP LOCKED` on PostgreSQL; the IMMEDIATE write lock on SQLite), complete,
//! retry with backoff, dead-letter after `max_attempts`, release leases on shutdown.

use brokercrm_core::Result;
use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, OnConflict};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::{Db, now};
use crate::entities::jobs::{self, Entity as Job};
use crate::error::DbResultExt;

pub use crate::entities::jobs::Model as JobRow;

pub const QUEUED: &str = "queued";
pub const RUNNING: &str = "running";
pub const DONE: &str = "done";
pub const DEAD: &str = "dead";

/// A job to insert.
#[derive(Debug, Clone)]
pub struct NewJob {
    pub kind: String,
    pub payload: serde_json::Value,
    pub max_attempts: i32,
    pub run_at: Option<DateTime<Utc>>,
    /// At most one job per key exists; a second enqueue with the key is a no-op.
    pub dedup_key: Option<String>,
}

/// Inserts a job using `conn` — pass the business transaction so both commit together.
/// Returns the job id, or `None` when a job with the same `dedup_key` already exists.
pub async fn enqueue<C: ConnectionTrait>(conn: &C, job: NewJob) -> Result<Option<i64>> {
    // One statement, so two callers enqueueing the same key at once (concurrent maintenance
    // passes) get one row and no unique violation.
    let inserted = Job::insert(row(job, now()))
        .on_conflict(OnConflict::column(jobs::Column::DedupKey).do_nothing().to_owned())
        .exec(conn)
        .await;
    match inserted {
        Ok(r) => Ok(Some(r.last_insert_id)),
        Err(sea_orm::DbErr::RecordNotInserted) => Ok(None),
        Err(e) => Err(e).db(),
    }
}

/// Whether the job with `dedup_key` exists and has not finished (queued or running).
pub async fn unfinished<C: ConnectionTrait>(conn: &C, dedup_key: &str) -> Result<bool> {
    let n = Job::find()
        .filter(jobs::Column::DedupKey.eq(dedup_key))
        .filter(jobs::Column::Status.is_in([QUEUED, RUNNING]))
        .count(conn)
        .await
        .db()?;
    Ok(n > 0)
}

/// The queued row of `job`, enqueued at `t`.
fn row(job: NewJob, t: DateTime<Utc>) -> jobs::ActiveModel {
    jobs::ActiveModel {
        kind: Set(job.kind),
        payload: Set(job.payload.to_string()),
        status: Set(QUEUED.into()),
        attempts: Set(0),
        max_attempts: Set(Ord::max(job.max_attempts, 1)),
        run_at: Set(job.run_at.unwrap_or(t)),
        locked_until: Set(None),
        locked_by: Set(None),
        last_error: Set(None),
        dedup_key: Set(job.dedup_key),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
}

/// Inserts `batch` in one statement using `conn` (the business transaction); a job whose
/// `dedup_key` is already taken (stored, or earlier in the batch) is skipped.
pub async fn enqueue_many<C: ConnectionTrait>(conn: &C, batch: Vec<NewJob>) -> Result<()> {
    if batch.is_empty() {
        return Ok(());
    }
    let t = now();
    let rows = batch.into_iter().map(|job| row(job, t));
    Job::insert_many(rows)
        .on_conflict(OnConflict::column(jobs::Column::DedupKey).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await
        .db()
        .map(drop)
}

/// Claims up to `limit` due jobs (queued and due, oldest first, then running ones whose lease
/// expired) for `worker`, holding them for `lease`. Each claim counts as an attempt. Two
/// ordered reads, each along the `(status, run_at, id)` index (one `OR` of both would sort every
/// due job on each poll while a backlog builds), then one update of all claimed rows.
pub async fn claim(db: &Db, worker: &str, lease: Duration, limit: u64) -> Result<Vec<JobRow>> {
    claim_where(db, worker, lease, None, limit).await
}

/// [`claim`] for the jobs of `kind` only, for a handler that runs them as one batch.
pub async fn claim_kind(
    db: &Db,
    worker: &str,
    lease: Duration,
    kind: &str,
    limit: u64,
) -> Result<Vec<JobRow>> {
    claim_where(db, worker, lease, Some(kind), limit).await
}

async fn claim_where(
    db: &Db,
    worker: &str,
    lease: Duration,
    kind: Option<&str>,
    limit: u64,
) -> Result<Vec<JobRow>> {
    let tx = db.begin_write().await?;
    let t = now();
    let due = |status: &str, c: Condition| {
        let mut q = Job::find().filter(jobs::Column::Status.eq(status)).filter(c);
        if let Some(kind) = kind {
            q = q.filter(jobs::Column::Kind.eq(kind));
        }
        q.order_by_asc(jobs::Column::RunAt)
            .order_by_asc(jobs::Column::Id)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
    };
    let mut candidates = due(QUEUED, Condition::all().add(jobs::Column::RunAt.lte(t)))
        .limit(limit)
        .all(&tx)
        .await
        .db()?;
    let room = limit.saturating_sub(candidates.len() as u64);
    if room > 0 {
        let expired = due(RUNNING, Condition::all().add(jobs::Column::LockedUntil.lt(t)))
            .limit(room)
            .all(&tx)
            .await
            .db()?;
        candidates.extend(expired);
    }
    if candidates.is_empty() {
        tx.commit().await.db()?;
        return Ok(Vec::new());
    }
    let res = Job::update_many()
        .col_expr(jobs::Column::Status, Expr::value(RUNNING))
        .col_expr(jobs::Column::LockedBy, Expr::value(worker))
        .col_expr(jobs::Column::LockedUntil, Expr::value(t + lease))
        .col_expr(jobs::Column::Attempts, Expr::col(jobs::Column::Attempts).add(1))
        .col_expr(jobs::Column::UpdatedAt, Expr::value(t))
        .filter(jobs::Column::Id.is_in(candidates.iter().map(|j| j.id)))
        .exec(&tx)
        .await
        .db()?;
    // The rows are locked (PostgreSQL) or the write lock is held (SQLite): all of them move.
    if res.rows_affected != candidates.len() as u64 {
        return Err(brokercrm_core::Error::internal("a claim moved fewer jobs than it read"));
    }
    tx.commit().await.db()?;
    Ok(candidates
        .into_iter()
        .map(|job| JobRow {
            status: RUNNING.into(),
            locked_by: Some(worker.into()),
            locked_until: Some(t + lease),
            attempts: job.attempts + 1,
            ..job
        })
        .collect())
}

/// Marks a claimed job done (only if `worker` still holds it).
pub async fn complete(db: &Db, id: i64, worker: &str) -> Result<bool> {
    let res = Job::update_many()
        .col_expr(jobs::Column::Status, Expr::value(DONE))
        .col_expr(jobs::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(jobs::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(jobs::Column::UpdatedAt, Expr::value(now()))
        .filter(jobs::Column::Id.eq(id))
        .filter(jobs::Column::LockedBy.eq(worker))
        .exec(db.conn())
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Marks the claimed jobs `ids` done in one statement (those `worker` still holds).
pub async fn complete_many(db: &Db, ids: &[i64], worker: &str) -> Result<u64> {
    if ids.is_empty() {
        return Ok(0);
    }
    let res = Job::update_many()
        .col_expr(jobs::Column::Status, Expr::value(DONE))
        .col_expr(jobs::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(jobs::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(jobs::Column::UpdatedAt, Expr::value(now()))
        .filter(jobs::Column::Id.is_in(ids.iter().copied()))
        .filter(jobs::Column::LockedBy.eq(worker))
        .exec(db.conn())
        .await
        .db()?;
    Ok(res.rows_affected)
}

/// Records a failed attempt: back to `queued` at `retry_at`, or `dead` when attempts are used up.
pub async fn fail(
    db: &Db,
    job: &JobRow,
    worker: &str,
    error: &str,
    retry_at: DateTime<Utc>,
) -> Result<bool> {
    let dead = job.attempts >= job.max_attempts;
    let msg: String = error.chars().take(2000).collect();
    let res = Job::update_many()
        .col_expr(jobs::Column::Status, Expr::value(if dead { DEAD } else { QUEUED }))
        .col_expr(jobs::Column::RunAt, Expr::value(retry_at))
        .col_expr(jobs::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(jobs::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(jobs::Column::LastError, Expr::value(msg))
        .col_expr(jobs::Column::UpdatedAt, Expr::value(now()))
        .filter(jobs::Column::Id.eq(job.id))
        .filter(jobs::Column::LockedBy.eq(worker))
        .exec(db.conn())
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Gives back every lease `worker` holds (graceful shutdown); the attempt is not counted.
pub async fn release_all(db: &Db, worker: &str) -> Result<u64> {
    let res = Job::update_many()
        .col_expr(jobs::Column::Status, Expr::value(QUEUED))
        .col_expr(jobs::Column::LockedUntil, Expr::value(Option::<DateTime<Utc>>::None))
        .col_expr(jobs::Column::LockedBy, Expr::value(Option::<String>::None))
        .col_expr(jobs::Column::Attempts, Expr::col(jobs::Column::Attempts).sub(1))
        .col_expr(jobs::Column::UpdatedAt, Expr::value(now()))
        .filter(jobs::Column::Status.eq(RUNNING))
        .filter(jobs::Column::LockedBy.eq(worker))
        .exec(db.conn())
        .await
        .db()?;
    Ok(res.rows_affected)
}

/// One job by id.
pub async fn get(db: &Db, id: i64) -> Result<Option<JobRow>> {
    Job::find_by_id(id).one(db.conn()).await.db()
}

/// Jobs of a kind, newest first (tests and operations).
pub async fn list_by_kind(db: &Db, kind: &str, limit: u64) -> Result<Vec<JobRow>> {
    Job::find()
        .filter(jobs::Column::Kind.eq(kind))
        .order_by_desc(jobs::Column::Id)
        .limit(limit)
        .all(db.conn())
        .await
        .db()
}
