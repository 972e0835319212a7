//! The job/outbox runner: transactional enqueue, retries with backoff, dead-lettering, leases.

use std::sync::atomic::{AtomicUsize, Ordering};

use brokercrm_app::App;
use brokercrm_app::platform::jobs::{Job, Runner, enqueue};
use brokercrm_core::{Error, Result};
use brokercrm_store::jobs as store_jobs;
use serde::{Deserialize, Serialize};

use crate::helpers::TestApp;

static RUNS: AtomicUsize = AtomicUsize::new(0);

#[derive(Serialize, Deserialize)]
struct Flaky {
    fail_times: usize,
    tag: String,
}

impl Job for Flaky {
    const KIND: &'static str = "test.flaky";
    const MAX_ATTEMPTS: i32 = 3;
    async fn run(self, _app: App) -> Result<()> {
        let n = RUNS.fetch_add(1, Ordering::SeqCst);
        if n < self.fail_times { Err(Error::Upstream(format!("boom {n}"))) } else { Ok(()) }
    }
}

async fn make_due(t: &TestApp) {
    use sea_orm::{ConnectionTrait, Statement};
    let db = t.app.db();
    db.conn()
        .execute_raw(Statement::from_string(
            db.db_backend(),
            "UPDATE jobs SET run_at = created_at".to_owned(),
        ))
        .await
        .unwrap();
}

#[tokio::test]
async fn jobs_commit_with_the_transaction_retry_and_dead_letter() {
    let t = TestApp::spawn().await;
    let db = t.app.db();
    // Rolled back: no job.
    let tx = db.begin_write().await.unwrap();
    enqueue(&tx, &Flaky { fail_times: 0, tag: "a".into() }).await.unwrap();
    drop(tx);
    assert!(store_jobs::list_by_kind(db, Flaky::KIND, 10).await.unwrap().is_empty());

    // Fails every time: retried with backoff, then dead after MAX_ATTEMPTS.
    RUNS.store(0, Ordering::SeqCst);
    let tx = db.begin_write().await.unwrap();
    let id = enqueue(&tx, &Flaky { fail_times: 100, tag: "b".into() }).await.unwrap().unwrap();
    brokercrm_store::db::commit(tx).await.unwrap();
    let runner = Runner::new(t.app.clone(), "w1").register::<Flaky>();
    assert_eq!(runner.run_until_idle().await.unwrap(), 1);
    let job = store_jobs::get(db, id).await.unwrap().unwrap();
    assert_eq!((job.status.as_str(), job.attempts), ("queued", 1));
    assert!(job.run_at > job.created_at, "backoff pushes run_at forward");
    assert_eq!(job.last_error.as_deref(), Some("boom 0"));
    for _ in 0..2 {
        make_due(&t).await;
        runner.run_until_idle().await.unwrap();
    }
    let job = store_jobs::get(db, id).await.unwrap().unwrap();
    assert_eq!((job.status.as_str(), job.attempts), ("dead", 3));
    make_due(&t).await;
    assert_eq!(runner.run_until_idle().await.unwrap(), 0, "dead jobs are not retried");
}

#[tokio::test]
async fn expired_leases_are_reclaimed_and_released_leases_do_not_count() {
    let t = TestApp::spawn().await;
    let db = t.app.db();
    let id = enqueue(db.conn(), &Flaky { fail_times: 0, tag: "c".into() }).await.unwrap().unwrap();
    // Dedup: none here, so a second enqueue makes a second job.
    let claimed = store_jobs::claim(db, "w1", chrono::Duration::minutes(5), 10).await.unwrap();
    assert_eq!(claimed.len(), 1);
    assert!(
        store_jobs::claim(db, "w2", chrono::Duration::minutes(5), 10).await.unwrap().is_empty(),
        "held lease"
    );
    assert_eq!(store_jobs::release_all(db, "w1").await.unwrap(), 1);
    let job = store_jobs::get(db, id).await.unwrap().unwrap();
    assert_eq!((job.status.as_str(), job.attempts), ("queued", 0));
    // A lease that expires is claimed by another worker.
    store_jobs::claim(db, "w1", chrono::Duration::milliseconds(-1), 10).await.unwrap();
    let again = store_jobs::claim(db, "w2", chrono::Duration::minutes(5), 10).await.unwrap();
    assert_eq!(again.len(), 1);
    assert_eq!(again[0].locked_by.as_deref(), Some("w2"));
    assert!(!store_jobs::complete(db, id, "w1").await.unwrap(), "stale worker cannot complete");
    assert!(store_jobs::complete(db, id, "w2").await.unwrap());
}

#[tokio::test]
async fn concurrent_claims_never_hand_out_a_job_twice() {
    let t = TestApp::spawn().await;
    let db = t.app.db();
    for i in 0..40 {
        enqueue(db.conn(), &Flaky { fail_times: 0, tag: format!("{i}") }).await.unwrap();
    }
    let mut tasks = Vec::new();
    for w in 0..4 {
        let db = db.clone();
        tasks.push(tokio::spawn(async move {
            let mut got = Vec::new();
            loop {
                let batch =
                    store_jobs::claim(&db, &format!("w{w}"), chrono::Duration::minutes(5), 3)
                        .await
                        .unwrap();
                if batch.is_empty() {
                    return got;
                }
                got.extend(batch.into_iter().map(|j| j.id));
            }
        }));
    }
    let mut all = Vec::new();
    for task in tasks {
        all.extend(task.await.unwrap());
    }
    all.sort();
    let n = all.len();
    all.dedup();
    assert_eq!((n, all.len()), (40, 40));
}

/// A job with a de-duplication key.
#[derive(Serialize, Deserialize)]
struct Keyed;

impl Job for Keyed {
    const KIND: &'static str = "test.keyed";
    fn dedup_key(&self) -> Option<String> {
        Some("test.keyed:once".into())
    }
    async fn run(self, _app: App) -> Result<()> {
        Ok(())
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_enqueues_of_one_key_store_one_job_without_an_error() {
    let t = TestApp::spawn().await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let db = t.app.db().clone();
            tokio::spawn(async move { enqueue(db.conn(), &Keyed).await })
        })
        .collect();
    let mut stored = 0;
    for task in tasks {
        // every caller gets an answer: the id of the one stored row, or None
        stored += usize::from(task.await.unwrap().expect("no unique violation").is_some());
    }
    assert_eq!(stored, 1);
    let queued = brokercrm_app::platform::jobs::unfinished(t.app.db().conn(), "test.keyed:once");
    assert!(queued.await.unwrap());
}
