//! Partial indexes where most rows hold no value for the column (issue 16, accrual speed):
//! a posted ledger transfer has no `pending_id` and is not `pending`, an accrued commission
//! record is in no payout request yet. Those rows no longer enter the three indexes, which
//! only serve lookups of the rows that have a value.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (index, table, columns, unique, condition).
const PARTIAL: [(&str, &str, &str, bool, &str); 3] = [
    (
        "ix_ledger_transfers_pending_id",
        "ledger_transfers",
        "pending_id",
        true,
        "pending_id IS NOT NULL",
    ),
    ("ix_ledger_transfers_state", "ledger_transfers", "state", false, "state = 'pending'"),
    (
        "ix_commission_records_payout_request_id",
        "commission_records",
        "payout_request_id",
        false,
        "payout_request_id IS NOT NULL",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (name, table, col, unique, cond) in PARTIAL {
            // One call: SQLite's pooled connections may not see a drop made on another yet.
            let kind = if unique { "UNIQUE INDEX" } else { "INDEX" };
            db.execute_unprepared(&format!(
                "DROP INDEX {name}; CREATE {kind} {name} ON {table} ({col}) WHERE {cond}"
            ))
            .await?;
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (name, table, col, unique, _) in PARTIAL {
            let kind = if unique { "UNIQUE INDEX" } else { "INDEX" };
            db.execute_unprepared(&format!(
                "DROP INDEX {name}; CREATE {kind} {name} ON {table} ({col})"
            ))
            .await?;
        }
        Ok(())
    }
}
