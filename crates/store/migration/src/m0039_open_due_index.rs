//! The NEO duration index holds only positions with a due time (issue 15, tick to close):
//! `(status, close_due_at)` took every position, so each close of a position without one
//! (every PRO trade) moved its entry — two index pages written per close on SQLite, one more
//! index insert on PostgreSQL — although the one query it serves (`positions::due_to_close`:
//! `status = ? AND close_due_at <= ?`) only ever reads positions that have a due time.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NAME: &str = "ix_positions_status_close_due_at";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        // One call: SQLite's pooled connections may not see a drop made on another yet.
        m.get_connection()
            .execute_unprepared(&format!(
                "DROP INDEX {NAME}; CREATE INDEX {NAME} ON positions (status, close_due_at) \
                 WHERE close_due_at IS NOT NULL"
            ))
            .await?;
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        m.get_connection()
            .execute_unprepared(&format!(
                "DROP INDEX {NAME}; CREATE INDEX {NAME} ON positions (status, close_due_at)"
            ))
            .await?;
        Ok(())
    }
}
