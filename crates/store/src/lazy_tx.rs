//! A write transaction begun by its first statement. A unit of work whose only write turns out
//! to be a single statement runs it alone instead ([`LazyTx::autocommit`]): one statement is
//! atomic and durable by itself, and the BEGIN and COMMIT round trips are saved.

use brokercrm_core::Result;
use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, ExecResult,
    QueryResult, Statement,
};
use tokio::sync::OnceCell;

use crate::db::{Db, commit};

pub struct LazyTx {
    db: Db,
    tx: OnceCell<DatabaseTransaction>,
}

impl LazyTx {
    pub fn new(db: &Db) -> Self {
        Self { db: db.clone(), tx: OnceCell::new() }
    }

    async fn tx(&self) -> std::result::Result<&DatabaseTransaction, DbErr> {
        self.tx.get_or_try_init(|| self.db.begin_write_raw()).await
    }

    /// Whether a statement ran (so a transaction is open).
    pub fn is_begun(&self) -> bool {
        self.tx.initialized()
    }

    /// The write connection, for a single statement when nothing was begun.
    pub fn autocommit(&self) -> &DatabaseConnection {
        self.db.write_conn()
    }

    /// Commits the transaction, if one was begun.
    pub async fn commit(self) -> Result<()> {
        match self.tx.into_inner() {
            Some(tx) => commit(tx).await,
            None => Ok(()),
        }
    }
}

#[async_trait::async_trait]
impl ConnectionTrait for LazyTx {
    fn get_database_backend(&self) -> DbBackend {
        self.db.db_backend()
    }

    async fn execute_raw(&self, stmt: Statement) -> std::result::Result<ExecResult, DbErr> {
        self.tx().await?.execute_raw(stmt).await
    }

    async fn execute_unprepared(&self, sql: &str) -> std::result::Result<ExecResult, DbErr> {
        self.tx().await?.execute_unprepared(sql).await
    }

    async fn query_one_raw(
        &self,
        stmt: Statement,
    ) -> std::result::Result<Option<QueryResult>, DbErr> {
        self.tx().await?.query_one_raw(stmt).await
    }

    async fn query_all_raw(&self, stmt: Statement) -> std::result::Result<Vec<QueryResult>, DbErr> {
        self.tx().await?.query_all_raw(stmt).await
    }

    fn support_returning(&self) -> bool {
        self.db.conn().support_returning()
    }
}
