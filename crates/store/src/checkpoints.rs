//! SQLite's WAL checkpoints, moved off the writer. By default the connection whose commit takes
//! the WAL past 1,000 pages copies them into the database file and syncs it before its commit
//! returns: every few hundred commits one writer (and everything queued behind the single
//! writer) waits for that. Here automatic checkpoints are off on every connection
//! (`wal_autocheckpoint=0`) and a task of the pool copies what was committed every
//! [`EVERY`] on a connection of its own, beside the writer (`PASSIVE`: it waits for nobody).
//!
//! A passive checkpoint never resets the WAL while writes keep coming, so once the WAL holds
//! more than [`RESTART_FRAMES`] the task runs a `RESTART` checkpoint: it takes the write lock for
//! the few frames not yet copied, and the next writer starts the WAL from its beginning again.
//! The task ends when the last handle of its pool is dropped.

use std::sync::{Arc, Weak};
use std::time::Duration;

use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement};

/// How often committed frames are copied into the database file.
pub const EVERY: Duration = Duration::from_millis(100);

/// The WAL length (4 KiB pages) past which it is copied whole and started again.
pub const RESTART_FRAMES: i64 = 8_192;

/// Kept by every handle of the pool; the checkpoint task stops once none is left.
#[derive(Debug)]
pub struct Alive;

/// Starts the checkpoint task on `conn` (a connection used for nothing else); returns the
/// handle that keeps it running.
pub fn start(conn: DatabaseConnection) -> Arc<Alive> {
    let alive = Arc::new(Alive);
    let weak = Arc::downgrade(&alive);
    tokio::spawn(run(conn, weak));
    alive
}

async fn run(conn: DatabaseConnection, alive: Weak<Alive>) {
    let mut ticker = tokio::time::interval(EVERY);
    ticker.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        ticker.tick().await;
        if alive.upgrade().is_none() {
            break;
        }
        match checkpoint(&conn, "PASSIVE").await {
            Ok(frames) if frames > RESTART_FRAMES => {
                if let Err(e) = checkpoint(&conn, "RESTART").await {
                    tracing::warn!(error = %e, "SQLite WAL restart checkpoint failed");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::warn!(error = %e, "SQLite WAL checkpoint failed"),
        }
    }
    let _ = conn.close().await;
}

/// Runs a checkpoint of `mode`; returns the WAL's length in frames.
async fn checkpoint(conn: &DatabaseConnection, mode: &str) -> Result<i64, sea_orm::DbErr> {
    let sql = format!("PRAGMA wal_checkpoint({mode})");
    let row = conn.query_one_raw(Statement::from_string(DbBackend::Sqlite, sql)).await?;
    Ok(row.and_then(|r| r.try_get_by_index::<i64>(1).ok()).unwrap_or(0))
}
