//! Connecting to SQLite or PostgreSQL from a URL, pragmas, migrations and write transactions.

use std::time::Duration;

use brokercrm_core::{Error, Result};
use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr,
    SqliteTransactionMode, TransactionOptions, TransactionTrait,
};
use sea_orm_migration::MigratorTrait;

use crate::Migrator;
use crate::error::DbResultExt;

/// Which database engine a connection talks to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// A pooled connection to the brokercrm database.
///
/// On SQLite, write transactions go through their own pool of one connection: SQLite admits one
/// writer at a time, and writers queued fairly on that pool get the lock as soon as it is free,
/// where writers racing for it on several connections would sleep in SQLite's busy handler
/// (1, 2, 5, 10... ms back-off) and leave the lock idle. Reads use the main pool (WAL lets them
/// run beside the writer). On PostgreSQL both are the same pool.
#[derive(Clone, Debug)]
pub struct Db {
    conn: DatabaseConnection,
    write: DatabaseConnection,
    backend: Backend,
}

/// SQLite's page cache of the writer, in KiB (docs/decisions.md "SQLite's writer keeps a
/// 64 MiB page cache"). Readers keep SQLite's default (2 MiB): a reader drops its cache at
/// the start of a read whenever another connection wrote since its last one, which under load
/// is nearly every read, so a larger one would not be kept.
const WRITE_CACHE_KIB: u32 = 65_536;
const READ_CACHE_KIB: u32 = 2_048;

/// Current time truncated to microseconds, so values round-trip equally on both backends.
pub fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

/// `t` as the SQLite driver stores a time (RFC 3339, as many fraction digits as needed,
/// `+00:00`), for a statement that passes times inside a JSON text (`json_each`): they must
/// compare equal to, and sort with, the times bound as parameters.
pub fn sqlite_time(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::AutoSi, false)
}

impl Db {
    /// Connects to `url` (`sqlite://...` or `postgres://...`) with production settings:
    /// SQLite in WAL mode, `synchronous=FULL`, foreign keys on, a busy timeout, and a larger
    /// page cache for the writer.
    pub async fn connect(url: &str) -> Result<Self> {
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(Error::field("database_url", "must start with sqlite: or postgres://"));
        };
        if backend == Backend::Sqlite {
            ensure_sqlite_dir(url)?;
        }
        let pool = |size: u32, cache_kib: u32| {
            let mut opts = ConnectOptions::new(url.to_owned());
            opts.sqlx_logging(false)
                .connect_timeout(Duration::from_secs(10))
                .acquire_timeout(Duration::from_secs(30))
                .max_connections(size)
                .min_connections(1)
                // Ping only a connection idle long enough to have been dropped; a ping on
                // every checkout is one more round trip (on SQLite one more thread hop) per
                // statement outside a transaction and per transaction.
                .test_before_acquire_if_idle_for(Duration::from_secs(30));
            if backend == Backend::Sqlite {
                opts.map_sqlx_sqlite_opts(move |o| {
                    o.journal_mode(SqliteJournalMode::Wal)
                        .synchronous(SqliteSynchronous::Full)
                        .foreign_keys(true)
                        .busy_timeout(Duration::from_secs(10))
                        .create_if_missing(true)
                        // Pages kept per connection (SQLite's default is 2 MiB): with millions
                        // of rows an insert's index pages are mostly not among the last used.
                        .pragma("cache_size", format!("-{cache_kib}"))
                });
            }
            opts
        };
        match backend {
            Backend::Sqlite => {
                let conn = Database::connect(pool(8, READ_CACHE_KIB)).await.db()?;
                let write = Database::connect(pool(1, WRITE_CACHE_KIB)).await.db()?;
                Ok(Self { conn, write, backend })
            }
            Backend::Postgres => {
                let conn = Database::connect(pool(32, 0)).await.db()?;
                Ok(Self { write: conn.clone(), conn, backend })
            }
        }
    }

    /// Applies pending migrations.
    pub async fn migrate(&self) -> Result<()> {
        Migrator::up(&self.conn, None).await.db()
    }

    pub fn conn(&self) -> &DatabaseConnection {
        &self.conn
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// Starts a write transaction. On SQLite it is `BEGIN IMMEDIATE`, so a transaction that
    /// reads before it writes cannot fail to upgrade its lock under concurrency.
    pub async fn begin_write(&self) -> Result<DatabaseTransaction> {
        self.begin_write_raw().await.db()
    }

    pub(crate) async fn begin_write_raw(&self) -> std::result::Result<DatabaseTransaction, DbErr> {
        let opts = TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        };
        self.write.begin_with_options(opts).await
    }

    /// The connection writes go through (on SQLite the single writer), for one statement
    /// outside a transaction.
    pub fn write_conn(&self) -> &DatabaseConnection {
        &self.write
    }

    /// A cheap round trip, for health checks.
    pub async fn ping(&self) -> Result<()> {
        self.conn.ping().await.db()
    }

    /// Closes the pool (graceful shutdown).
    pub async fn close(self) -> Result<()> {
        if self.backend == Backend::Sqlite {
            self.write.close().await.db()?;
        }
        self.conn.close().await.db()
    }

    pub fn db_backend(&self) -> DbBackend {
        match self.backend {
            Backend::Sqlite => DbBackend::Sqlite,
            Backend::Postgres => DbBackend::Postgres,
        }
    }
}

/// Creates the parent directory of a file-backed SQLite URL (e.g. `data/` of the default).
fn ensure_sqlite_dir(url: &str) -> Result<()> {
    let path = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = path.split('?').next().unwrap_or_default();
    if path.is_empty() || path == ":memory:" {
        return Ok(());
    }
    if let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(Error::internal)?;
    }
    Ok(())
}

/// Commits `tx`, mapping the error.
pub async fn commit(tx: DatabaseTransaction) -> Result<()> {
    tx.commit().await.db()
}

/// A savepoint in `tx`: committing it keeps its writes in `tx`, [`rollback`] undoes only them
/// (and on PostgreSQL recovers `tx` from a failed statement).
pub async fn savepoint(tx: &DatabaseTransaction) -> Result<DatabaseTransaction> {
    sea_orm::TransactionTrait::begin(tx).await.db()
}

/// Rolls `tx` (a transaction or a [`savepoint`]) back, mapping the error.
pub async fn rollback(tx: DatabaseTransaction) -> Result<()> {
    tx.rollback().await.db()
}

/// A PostgreSQL array parameter whose elements may be NULL, as two arrays (the binder takes
/// only arrays of plain values): the values (the type's default where NULL) and whether each
/// is present; a statement takes `CASE WHEN present THEN value END`.
pub fn nullable<T>(values: impl IntoIterator<Item = Option<T>>) -> (sea_orm::Value, sea_orm::Value)
where
    T: Default,
    Vec<T>: Into<sea_orm::Value>,
{
    let (values, present): (Vec<T>, Vec<bool>) = values
        .into_iter()
        .map(|v| {
            let present = v.is_some();
            (v.unwrap_or_default(), present)
        })
        .unzip();
    (values.into(), present.into())
}
