//! Group commit of "Create account": the accounts asked for while the writer was busy are
//! written in one write transaction (each with its history entry), so they share its commit —
//! on SQLite the single writer's lock and one fsync, on PostgreSQL one WAL flush. A batch is
//! whatever is queued when the writer is free, so a lone request is not delayed. If the batch
//! fails as a whole (an e-mail taken, by another request of the same batch or an earlier one),
//! nothing of it is kept and each account is written alone, so each gets its own answer.

use brokercrm_core::Result;
use brokercrm_store::ConnectionTrait;
use brokercrm_store::db::commit;
use brokercrm_store::repo::market_data::accounts::{self, NewAccount};
use brokercrm_store::repo::market_data::history;

use crate::App;
use crate::platform::group_commit::Batch;

type Job = crate::platform::group_commit::Job<Creation, String>;

/// One account to create, and the history line it starts with.
pub(crate) struct Creation {
    pub account: NewAccount,
    pub history: String,
}

/// The account-creation batch, on writer lanes (one on SQLite, a few on PostgreSQL).
pub struct NewAccounts;

impl Batch for NewAccounts {
    type Job = Creation;
    type Answer = String;
    type Lane = ();
    const MAX: usize = 64;
    async fn store(app: App, _: &mut (), jobs: Vec<Job>) {
        if jobs.len() > 1 {
            match together(&app, &jobs).await {
                Ok(()) => {
                    for job in jobs {
                        let uuid = job.job.account.uuid.clone();
                        job.answer(Ok(uuid));
                    }
                    return;
                }
                Err(e) => {
                    tracing::debug!(error = %e, size = jobs.len(), "account batch failed; writing its accounts one by one")
                }
            }
        }
        for job in jobs {
            let r = together(&app, std::slice::from_ref(&job)).await;
            let uuid = job.job.account.uuid.clone();
            job.answer(r.map(|()| uuid));
        }
    }
}

/// Writes every account of `jobs` in one transaction, or none of them.
async fn together(app: &App, jobs: &[Job]) -> Result<()> {
    let tx = app.db().begin_write().await?;
    match write_all(app, &tx, jobs).await {
        Ok(()) => commit(tx).await,
        Err(e) => {
            let _ = tx.rollback().await;
            Err(e)
        }
    }
}

async fn write_all<C: ConnectionTrait>(app: &App, conn: &C, jobs: &[Job]) -> Result<()> {
    let now = app.clock().now();
    for job in jobs {
        let row = accounts::insert(conn, job.job.account.clone(), now).await?;
        history::insert(conn, row.id, "account.created", job.job.history.clone(), now).await?;
    }
    Ok(())
}

/// Creates the account in the next batch of a lane; returns its public id once committed.
pub(crate) async fn create(app: &App, c: Creation) -> Result<String> {
    app.md_accounts().run(c).await
}
