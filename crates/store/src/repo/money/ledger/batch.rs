//! Writing a batch of transfers whose outcome was decided in memory (group commit): lock the
//! accounts involved, read which transfer ids exist, then insert the accepted rows in one
//! statement and move every account's sums in one more. The caller decides between the lock
//! and the writes, inside the same write transaction, so the locked state is the state it
//! decided on.

use brokercrm_core::Result;
use brokercrm_core::money::ledger::{AccountKind, NewTransfer};
use sea_orm::sea_query::LockType;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    Statement, Value,
};

pub use super::Delta;
use super::apply::new_row;
use super::{AccountRow, TransferRow};
use crate::db::now;
use crate::entities::ledger_accounts::{Column as A, Entity as Account};
use crate::entities::ledger_transfers::{Column as T, Entity as Transfer};
use crate::error::DbResultExt;

/// The accounts of `kind` of the wallets `wallet_ids`, locked until the transaction ends.
/// PostgreSQL locks them `FOR UPDATE` in ascending id order, the order every other money path
/// locks in, so lockers never deadlock; on SQLite the write transaction already holds the one
/// write lock. (By wallet id, not by key: integer comparisons, on an indexed column.)
pub async fn lock_of_wallets<C: ConnectionTrait>(
    conn: &C,
    wallet_ids: &[i64],
    kind: AccountKind,
) -> Result<Vec<AccountRow>> {
    let mut q = of_wallets_query(wallet_ids, kind);
    if conn.get_database_backend() == DbBackend::Postgres {
        q = q.lock_exclusive();
    }
    q.all(conn).await.db()
}

/// The accounts of `kind` of the wallets `wallet_ids`, read without a lock (for a batch that
/// writes with [`super::batch_pg::write_if_unchanged`]).
pub async fn of_wallets<C: ConnectionTrait>(
    conn: &C,
    wallet_ids: &[i64],
    kind: AccountKind,
) -> Result<Vec<AccountRow>> {
    of_wallets_query(wallet_ids, kind).all(conn).await.db()
}

fn of_wallets_query(wallet_ids: &[i64], kind: AccountKind) -> sea_orm::Select<Account> {
    Account::find()
        .filter(A::WalletId.is_in(wallet_ids.iter().copied()))
        .filter(A::Kind.eq(kind.as_str()))
        .order_by_asc(A::Id)
}

/// The stored transfers among `transfer_ids`.
pub async fn existing<C: ConnectionTrait>(
    conn: &C,
    transfer_ids: &[&str],
) -> Result<Vec<TransferRow>> {
    let ids = transfer_ids.iter().map(|s| (*s).to_owned());
    Transfer::find().filter(T::TransferId.is_in(ids)).all(conn).await.db()
}

/// Inserts new transfers (validated and decided by the caller), in the order given, each with
/// the hash of its canonical body. An id taken meanwhile fails the whole statement.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    transfers: &[(NewTransfer, String)],
) -> Result<()> {
    if transfers.is_empty() {
        return Ok(());
    }
    let at = now();
    if conn.get_database_backend() == DbBackend::Postgres {
        return super::batch_pg::insert(conn, transfers, at).await;
    }
    for chunk in transfers.chunks(SQLITE_CHUNK) {
        Transfer::insert_many(chunk.iter().map(|(t, hash)| new_row(t, hash, at)))
            .exec_without_returning(conn)
            .await
            .db()?;
    }
    Ok(())
}

/// Rows of one multi-row transfer insert on SQLite (13 columns: under its bind limit).
/// PostgreSQL takes any number in one statement of arrays.
const SQLITE_CHUNK: usize = 1000;

/// [`apply_deltas`] on PostgreSQL: the deltas as arrays joined on id, one text for any
/// number of accounts.
const DELTAS_PG: &str = r#"
UPDATE ledger_accounts a
SET balance = a.balance + d.balance, pending_debits = a.pending_debits + d.pending_debits,
    pending_credits = a.pending_credits + d.pending_credits
FROM UNNEST($1::int8[], $2::int8[], $3::int8[], $4::int8[])
    AS d(id, balance, pending_debits, pending_credits)
WHERE a.id = d.id
"#;

/// [`apply_deltas`] on SQLite: the deltas as one JSON array (`json_each`) joined on id, one
/// text for any number of accounts and a cost linear in them (a `CASE` arm per account was
/// quadratic). The array is walked and each account found by its id.
const DELTAS_SQLITE: &str = r#"
UPDATE ledger_accounts
SET balance = ledger_accounts.balance + d.balance,
    pending_debits = ledger_accounts.pending_debits + d.pending_debits,
    pending_credits = ledger_accounts.pending_credits + d.pending_credits
FROM (SELECT value ->> 0 AS id, value ->> 1 AS balance, value ->> 2 AS pending_debits,
             value ->> 3 AS pending_credits
      FROM json_each(?)) AS d
WHERE ledger_accounts.id = d.id
"#;

/// Adds each delta to its account, all in one statement.
pub async fn apply_deltas<C: ConnectionTrait>(conn: &C, deltas: &[Delta]) -> Result<()> {
    let deltas: Vec<&Delta> = deltas.iter().filter(|d| !d.is_zero()).collect();
    if deltas.is_empty() {
        return Ok(());
    }
    let sql = if conn.get_database_backend() == DbBackend::Postgres {
        let col = |f: fn(&Delta) -> i64| -> Value {
            deltas.iter().map(|d| f(d)).collect::<Vec<i64>>().into()
        };
        let values = vec![
            col(|d| d.account_id),
            col(|d| d.balance),
            col(|d| d.pending_debits),
            col(|d| d.pending_credits),
        ];
        Statement::from_sql_and_values(DbBackend::Postgres, DELTAS_PG, values)
    } else {
        let rows: Vec<[i64; 4]> = deltas
            .iter()
            .map(|d| [d.account_id, d.balance, d.pending_debits, d.pending_credits])
            .collect();
        let json = serde_json::to_string(&rows).map_err(brokercrm_core::Error::internal)?;
        Statement::from_sql_and_values(DbBackend::Sqlite, DELTAS_SQLITE, vec![json.into()])
    };
    let res = conn.execute_raw(sql).await.db()?;
    if res.rows_affected() != deltas.len() as u64 {
        return Err(brokercrm_core::Error::internal("a batch moved fewer accounts than it locked"));
    }
    Ok(())
}

/// The accounts `ids`, locked until the transaction ends (PostgreSQL `FOR NO KEY UPDATE` in
/// ascending id order, like every other money path; SQLite's write transaction already holds
/// the one write lock).
pub async fn lock_accounts<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<AccountRow>> {
    let mut q = Account::find().filter(A::Id.is_in(ids.iter().copied())).order_by_asc(A::Id);
    if conn.get_database_backend() == DbBackend::Postgres {
        // NO KEY UPDATE: excludes every other mover of these accounts, and no more than that.
        q = q.lock(LockType::NoKeyUpdate);
    }
    q.all(conn).await.db()
}

/// The accounts `ids`, read without a lock (for a lane that remembers sums and writes with
/// [`super::batch_pg::write_moves_if_unchanged`], which checks them under its lock).
pub async fn read_accounts<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<AccountRow>> {
    Account::find()
        .filter(A::Id.is_in(ids.iter().copied()))
        .order_by_asc(A::Id)
        .all(conn)
        .await
        .db()
}

/// The accounts `ids` for a batch that moves its hot accounts last: those that may refuse a
/// debit (no overdraft) locked now, in ascending id order; those that allow an overdraft (the
/// house accounts every movement shares) read without a lock, since no decision depends on
/// their sums — the batch moves them by adding its deltas, after [`lock_hot`]. (SQLite's
/// write transaction already holds the one write lock.)
pub async fn lock_refusing<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<Vec<AccountRow>> {
    if conn.get_database_backend() != DbBackend::Postgres {
        return lock_accounts(conn, ids).await;
    }
    let in_ids = || A::Id.is_in(ids.iter().copied());
    let mut rows = Account::find()
        .filter(in_ids())
        .filter(A::AllowsOverdraft.eq(false))
        .order_by_asc(A::Id)
        .lock(LockType::NoKeyUpdate)
        .all(conn)
        .await
        .db()?;
    rows.extend(
        Account::find()
            .filter(in_ids())
            .filter(A::AllowsOverdraft.eq(true))
            .all(conn)
            .await
            .db()?,
    );
    Ok(rows)
}

/// Locks the accounts `ids` (hot house accounts) in ascending id order, as the last step
/// before moving them: a batch holds their row locks only for that update and its commit.
pub async fn lock_hot<C: ConnectionTrait>(conn: &C, ids: &[i64]) -> Result<()> {
    if ids.is_empty() || conn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    Account::find()
        .select_only()
        .column(A::Id)
        .filter(A::Id.is_in(ids.iter().copied()))
        .order_by_asc(A::Id)
        .lock(LockType::NoKeyUpdate)
        .into_tuple::<i64>()
        .all(conn)
        .await
        .db()?;
    Ok(())
}
