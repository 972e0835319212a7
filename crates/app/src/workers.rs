//! Background work of a process: the job runner with every job kind registered, and the
//! periodic maintenance (resuming interrupted lead routing, expiring market-data
//! subscriptions, pruning expired windows, enqueuing the day's swap rollover) and the
//! trading trigger evaluator. Part of the composition root (beside `context`): it names
//! every context's jobs.

use std::time::Duration;

use tokio::sync::watch;

use crate::App;
use crate::platform::jobs::Runner;

/// How often maintenance runs.
const MAINTENANCE_EVERY: Duration = Duration::from_secs(10);
/// How often the trigger evaluator passes over the latest quotes.
const TRIGGERS_EVERY: Duration = Duration::from_millis(100);

/// A runner for `app` identified as `worker` (host/pid), with all job kinds registered.
pub fn runner(app: App, worker: impl Into<String>) -> Runner {
    Runner::new(app, worker)
        .register::<crate::platform::email::EmailJob>()
        .register::<crate::distribution::intake::internal_crm::HashLeadPassword>()
        .register_batch::<crate::partners::accrual::Accrue>()
        .register::<crate::messaging::delivery::TriggerEmails>()
        .register::<crate::messaging::delivery::TemplatedEmail>()
        .register::<crate::messaging::fanout::FanOut>()
        .register::<crate::messaging::push::send::PushJob>()
        .register::<crate::trading::swaps::SwapRollover>()
}

/// Runs jobs and maintenance until `shutdown` turns true.
pub async fn run(app: App, worker: String, shutdown: watch::Receiver<bool>) {
    let worker_name = worker.clone();
    let jobs = tokio::spawn(runner(app.clone(), worker).run(shutdown.clone()));
    let prices = app.cfg().price_simulator_every.map(|every| {
        tokio::spawn(crate::trading::prices::simulator::run(app.clone(), every, shutdown.clone()))
    });
    let triggers = tokio::spawn(crate::trading::triggers::run(
        app.clone(),
        format!("{worker_name}/{}", uuid::Uuid::now_v7()),
        TRIGGERS_EVERY,
        shutdown.clone(),
    ));
    maintenance(app, shutdown).await;
    let _ = jobs.await;
    let _ = triggers.await;
    if let Some(p) = prices {
        let _ = p.await;
    }
}

/// One maintenance pass; returns the number of leads recovered.
pub async fn maintain(app: &App) -> brokercrm_core::Result<usize> {
    let n = crate::distribution::recovery::recover_stale(app).await?;
    if n > 0 {
        tracing::warn!(leads = n, "recovered leads whose routing was interrupted");
    }
    let expired = crate::market_data::expiry::expire_due(app).await?;
    if expired > 0 {
        tracing::info!(subscriptions = expired, "market-data subscriptions expired");
    }
    crate::trading::swaps::schedule(app).await?;
    brokercrm_store::repo::platform::windows::prune_fingerprints(
        app.db().conn(),
        app.clock().now(),
    )
    .await?;
    Ok(n)
}

async fn maintenance(app: App, mut shutdown: watch::Receiver<bool>) {
    loop {
        if *shutdown.borrow() {
            return;
        }
        if let Err(e) = maintain(&app).await {
            tracing::error!(error = ?e, "maintenance failed");
        }
        tokio::select! {
            _ = tokio::time::sleep(MAINTENANCE_EVERY) => {}
            _ = shutdown.changed() => {}
        }
    }
}
