//! Writing a batch of transfers whose outcome was decided in memory (group commit): lock the
//! accounts involved, read which transfer ids exist, then insert the accepted rows in one
//! statement and move every account's sums in one more. The caller decides between the lock
//! and the writes, inside the same write transaction, so the locked state is the state it
//! decided on.

use brokercrm_core::Result;
use brokercrm_core::money::ledger::{AccountKind, NewTransfer};
use sea_orm::sea_query::{CaseStatement, Expr, ExprTrait, LockType};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbBackend, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
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

/// Which sum of a [`Delta`] a column takes.
type DeltaOf = fn(&Delta) -> i64;

/// Adds each delta to its account, all in one statement.
pub async fn apply_deltas<C: ConnectionTrait>(conn: &C, deltas: &[Delta]) -> Result<()> {
    let deltas: Vec<&Delta> = deltas.iter().filter(|d| !d.is_zero()).collect();
    if deltas.is_empty() {
        return Ok(());
    }
    let mut q = Account::update_many().filter(A::Id.is_in(deltas.iter().map(|d| d.account_id)));
    let columns: [(A, DeltaOf); 3] = [
        (A::Balance, |d| d.balance),
        (A::PendingDebits, |d| d.pending_debits),
        (A::PendingCredits, |d| d.pending_credits),
    ];
    for (col, of) in columns {
        let changed: Vec<&&Delta> = deltas.iter().filter(|d| of(d) != 0).collect();
        if changed.is_empty() {
            continue;
        }
        let by_id = changed
            .iter()
            .fold(CaseStatement::new(), |case, d| case.case(A::Id.eq(d.account_id), of(d)))
            .finally(0i64);
        q = q.col_expr(col, Expr::col(col).add(by_id));
    }
    let res = q.exec(conn).await.db()?;
    if res.rows_affected != deltas.len() as u64 {
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
