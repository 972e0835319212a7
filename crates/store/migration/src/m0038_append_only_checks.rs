//! The two append-only tables an accrual batch fills (issue 16, accrual speed on PostgreSQL):
//! each ledger transfer and commission record paid for two foreign-key checks (a per-row
//! trigger query locking the referenced row) and one index serving a rare read.
//! - PostgreSQL drops the foreign keys from `ledger_transfers` to `ledger_accounts` and from
//!   `commission_records` to `users`. Accounts and users are never deleted, every write path
//!   reads or locks the accounts it moves in the same transaction, and `ledger verify`
//!   reports a transfer naming an account that does not exist. SQLite keeps them: dropping a
//!   constraint there rebuilds the table, and its checks are an index probe in-process.
//! - `ledger_transfers(currency, id)` serves only the coin listings: it becomes `(id)` of the
//!   `COINS` rows. `commission_records(event_id)` serves only the clawback's read of a
//!   deposit's CPA records: it holds the CPA rows only.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::DatabaseBackend;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, constraint, column, referenced table and delete action) of the foreign keys
/// PostgreSQL drops.
const FOREIGN_KEYS: [(&str, &str, &str, &str); 4] = [
    (
        "ledger_transfers",
        "fk_ledger_transfers_debit_account_id",
        "debit_account_id",
        "ledger_accounts (id) ON DELETE RESTRICT",
    ),
    (
        "ledger_transfers",
        "fk_ledger_transfers_credit_account_id",
        "credit_account_id",
        "ledger_accounts (id) ON DELETE RESTRICT",
    ),
    (
        "commission_records",
        "fk_commission_records_introducer_id",
        "introducer_id",
        "users (id) ON DELETE CASCADE",
    ),
    (
        "commission_records",
        "fk_commission_records_referral_id",
        "referral_id",
        "users (id) ON DELETE CASCADE",
    ),
];

/// (index, table, columns and condition now, columns before).
const NARROWED: [(&str, &str, &str, &str); 2] = [
    (
        "ix_ledger_transfers_currency_id",
        "ledger_transfers",
        "(id) WHERE currency = 'COINS'",
        "(currency, id)",
    ),
    (
        "ix_commission_records_event_id",
        "commission_records",
        "(event_id) WHERE commission_type = 'CPA'",
        "(event_id)",
    ),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (name, table, now, _) in NARROWED {
            // One call: SQLite's pooled connections may not see a drop made on another yet.
            db.execute_unprepared(&format!(
                "DROP INDEX {name}; CREATE INDEX {name} ON {table} {now}"
            ))
            .await?;
        }
        if db.get_database_backend() == DatabaseBackend::Postgres {
            for (table, fk, _, _) in FOREIGN_KEYS {
                db.execute_unprepared(&format!("ALTER TABLE {table} DROP CONSTRAINT {fk}")).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, m: &SchemaManager) -> Result<(), DbErr> {
        let db = m.get_connection();
        for (name, table, _, before) in NARROWED {
            db.execute_unprepared(&format!(
                "DROP INDEX {name}; CREATE INDEX {name} ON {table} {before}"
            ))
            .await?;
        }
        if db.get_database_backend() == DatabaseBackend::Postgres {
            for (table, fk, col, to) in FOREIGN_KEYS {
                db.execute_unprepared(&format!(
                    "ALTER TABLE {table} ADD CONSTRAINT {fk} FOREIGN KEY ({col}) REFERENCES {to}"
                ))
                .await?;
            }
        }
        Ok(())
    }
}
