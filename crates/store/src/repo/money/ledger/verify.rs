//! The reads behind `ledger verify`: accounts page by page, what each account's transfers add
//! up to, and the transfer rows that break a rule. Plain SQL valid on SQLite and PostgreSQL;
//! sums are returned as text (PostgreSQL's `SUM(bigint)` is `numeric`) and parsed as `i128`.

use std::collections::HashMap;

use brokercrm_core::money::ledger::verify::Sums;
use brokercrm_core::{Error, Result};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseTransaction, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Statement, TransactionTrait,
};

use super::AccountRow;
use crate::db::{Backend, Db};
use crate::entities::ledger_accounts::{Column as A, Entity as Account};
use crate::error::DbResultExt;

/// A read-only transaction seeing one snapshot of the database (`REPEATABLE READ` on
/// PostgreSQL; a read transaction in WAL mode on SQLite), so verify sees no half transfer.
pub async fn begin_snapshot(db: &Db) -> Result<DatabaseTransaction> {
    let tx = db.conn().begin().await.db()?;
    if db.backend() == Backend::Postgres {
        tx.execute_unprepared("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            .await
            .db()?;
    }
    Ok(tx)
}

/// Accounts with id above `after`, by id.
pub async fn accounts_page<C: ConnectionTrait>(
    conn: &C,
    after: i64,
    limit: u64,
) -> Result<Vec<AccountRow>> {
    Account::find().filter(A::Id.gt(after)).order_by_asc(A::Id).limit(limit).all(conn).await.db()
}

async fn query<C: ConnectionTrait>(conn: &C, sql: &str) -> Result<Vec<sea_orm::QueryResult>> {
    conn.query_all_raw(Statement::from_string(conn.get_database_backend(), sql.to_owned()))
        .await
        .db()
}

fn parse_sum(s: Option<String>) -> Result<i128> {
    s.as_deref().unwrap_or("0").parse::<i128>().map_err(Error::internal)
}

/// Stores one sum into its field.
type SetSum = fn(&mut Sums, i128);

/// Per account: posted debits and credits (single and post rows) and open reservations.
pub async fn sums<C: ConnectionTrait>(conn: &C) -> Result<HashMap<i64, Sums>> {
    let mut out: HashMap<i64, Sums> = HashMap::new();
    let parts: [(&str, &str, SetSum); 4] = [
        ("debit_account_id", "kind IN ('single', 'post_pending')", |s, v| s.posted_debits = v),
        ("credit_account_id", "kind IN ('single', 'post_pending')", |s, v| s.posted_credits = v),
        ("debit_account_id", "kind = 'pending' AND state = 'pending'", |s, v| s.pending_debits = v),
        ("credit_account_id", "kind = 'pending' AND state = 'pending'", |s, v| {
            s.pending_credits = v
        }),
    ];
    for (col, cond, set) in parts {
        let sql = format!(
            "SELECT {col} AS account_id, CAST(SUM(amount) AS TEXT) AS total \
             FROM ledger_transfers WHERE {cond} GROUP BY {col}"
        );
        for row in query(conn, &sql).await? {
            let id: i64 = row.try_get("", "account_id").db()?;
            let total = parse_sum(row.try_get("", "total").db()?)?;
            set(out.entry(id).or_default(), total);
        }
    }
    Ok(out)
}

/// Number of transfer rows.
pub async fn count_transfers<C: ConnectionTrait>(conn: &C) -> Result<i64> {
    let rows = query(conn, "SELECT COUNT(*) AS n FROM ledger_transfers").await?;
    match rows.first() {
        Some(r) => r.try_get("", "n").db(),
        None => Ok(0),
    }
}

/// The rules a transfer row must satisfy, each a query selecting the rows that break it.
const RULES: [(&str, &str); 8] = [
    (
        "names an account that does not exist",
        "SELECT t.transfer_id FROM ledger_transfers t \
         LEFT JOIN ledger_accounts d ON d.id = t.debit_account_id \
         LEFT JOIN ledger_accounts c ON c.id = t.credit_account_id \
         WHERE d.id IS NULL OR c.id IS NULL",
    ),
    (
        "amount is not positive or debits and credits one account",
        "SELECT transfer_id FROM ledger_transfers WHERE amount <= 0 OR debit_account_id = credit_account_id",
    ),
    (
        "currency differs from an account's currency",
        "SELECT t.transfer_id FROM ledger_transfers t \
         JOIN ledger_accounts d ON d.id = t.debit_account_id \
         JOIN ledger_accounts c ON c.id = t.credit_account_id \
         WHERE t.currency <> d.currency OR t.currency <> c.currency",
    ),
    (
        "moves money between the demo and the real book",
        "SELECT t.transfer_id FROM ledger_transfers t \
         JOIN ledger_accounts d ON d.id = t.debit_account_id \
         JOIN ledger_accounts c ON c.id = t.credit_account_id \
         WHERE d.demo <> c.demo",
    ),
    (
        "post or void does not match its pending transfer",
        "SELECT r.transfer_id FROM ledger_transfers r \
         LEFT JOIN ledger_transfers p ON p.transfer_id = r.pending_id \
         WHERE r.kind IN ('post_pending', 'void_pending') AND (p.transfer_id IS NULL \
           OR p.kind <> 'pending' OR r.debit_account_id <> p.debit_account_id \
           OR r.credit_account_id <> p.credit_account_id OR r.amount > p.amount \
           OR (r.kind = 'post_pending' AND p.state <> 'posted') \
           OR (r.kind = 'void_pending' AND p.state <> 'voided'))",
    ),
    (
        "pending transfer is resolved without a post or void",
        "SELECT p.transfer_id FROM ledger_transfers p \
         LEFT JOIN ledger_transfers r ON r.pending_id = p.transfer_id \
         WHERE p.kind = 'pending' AND p.state <> 'pending' AND r.transfer_id IS NULL",
    ),
    (
        "state does not fit the kind",
        "SELECT transfer_id FROM ledger_transfers WHERE \
         (kind IN ('single', 'post_pending') AND state <> 'posted') \
         OR (kind = 'void_pending' AND state <> 'voided') \
         OR (kind = 'pending' AND state NOT IN ('pending', 'posted', 'voided')) \
         OR kind NOT IN ('single', 'pending', 'post_pending', 'void_pending')",
    ),
    (
        "pending reference on a transfer that is not a post or void",
        "SELECT transfer_id FROM ledger_transfers WHERE pending_id IS NOT NULL \
         AND kind NOT IN ('post_pending', 'void_pending')",
    ),
];

/// Transfer rows breaking a rule: (transfer id, rule), at most `limit` per rule.
pub async fn invalid_transfers<C: ConnectionTrait>(
    conn: &C,
    limit: u64,
) -> Result<Vec<(String, &'static str)>> {
    let mut out = Vec::new();
    for (reason, sql) in RULES {
        for row in query(conn, &format!("{sql} LIMIT {limit}")).await? {
            out.push((row.try_get::<String>("", "transfer_id").db()?, reason));
        }
    }
    Ok(out)
}
