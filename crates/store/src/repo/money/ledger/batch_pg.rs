//! PostgreSQL's array statements for batches of transfers: inserting many rows in one
//! statement whose text never changes (`insert`), and writing a decided batch in one statement,
//! without a transaction around it (`write_if_unchanged`): the batch was decided in memory on
//! account sums and wallet statuses the deciding lane remembered, so the statement locks those
//! accounts (ascending id) and only if every one still holds those sums and every wallet still
//! has that status does it move the accounts and insert the transfer rows (a transfer id stored
//! already fails it on the unique index). One statement is atomic on its own, so the whole
//! batch costs one round trip and one WAL flush. Its text is the same for every batch size
//! (arrays, not lists of placeholders), so each connection prepares it once.
//! `write_moves_if_unchanged` is its form for the manual lane: the same check and writes as
//! one statement inside the lane's transaction (the deposit hooks follow in it), checking only
//! the accounts that may refuse a debit and adding to the house accounts.

use brokercrm_core::money::ledger::{NewTransfer, TransferState};
use brokercrm_core::{Error, Result};
use sea_orm::{ConnectionTrait, DbBackend, Statement, Value};

use super::AccountRow;
use super::Delta;
use crate::db::{now, nullable};
use crate::error::DbResultExt;

const WRITE_IF_UNCHANGED: &str = r#"
WITH expected AS (
    SELECT * FROM UNNEST($1::int8[], $2::int8[], $3::int8[], $4::int8[],
                         $5::int8[], $6::int8[], $7::int8[])
        AS e(id, balance, pending_debits, pending_credits,
             d_balance, d_pending_debits, d_pending_credits)
), locked AS (
    SELECT id, balance, pending_debits, pending_credits FROM ledger_accounts
    WHERE id = ANY($1::int8[]) ORDER BY id FOR UPDATE
), unchanged AS (
    SELECT (SELECT count(*) = cardinality($1::int8[])
            FROM locked l JOIN expected e USING (id)
            WHERE l.balance = e.balance AND l.pending_debits = e.pending_debits
              AND l.pending_credits = e.pending_credits)
       AND (SELECT count(*) = cardinality($18::int8[])
            FROM wallets w JOIN UNNEST($18::int8[], $19::text[]) AS s(id, status) USING (id)
            WHERE w.status = s.status)
       AS yes
), moved AS (
    UPDATE ledger_accounts a
    SET balance = a.balance + e.d_balance,
        pending_debits = a.pending_debits + e.d_pending_debits,
        pending_credits = a.pending_credits + e.d_pending_credits
    FROM expected e
    WHERE a.id = e.id
      AND (e.d_balance <> 0 OR e.d_pending_debits <> 0 OR e.d_pending_credits <> 0)
      AND (SELECT yes FROM unchanged)
    RETURNING a.id
), inserted AS (
    INSERT INTO ledger_transfers (transfer_id, debit_account_id, credit_account_id, amount,
                                  currency, code, kind, state, body_hash, created_at)
    SELECT t.transfer_id, t.debit_account_id, t.credit_account_id, t.amount,
           t.currency, t.code, t.kind, t.state, t.body_hash, $17
    FROM UNNEST($8::text[], $9::int8[], $10::int8[], $11::int8[],
                $12::text[], $13::text[], $14::text[], $15::text[], $16::text[])
        WITH ORDINALITY
        AS t(transfer_id, debit_account_id, credit_account_id, amount,
             currency, code, kind, state, body_hash, n)
    WHERE (SELECT yes FROM unchanged)
    ORDER BY t.n
    RETURNING 1
)
SELECT (SELECT yes FROM unchanged) AS unchanged,
       (SELECT count(*) FROM moved) AS moved,
       (SELECT count(*) FROM inserted) AS inserted
"#;

/// What a batch was decided on: account sums and wallet statuses, as the deciding lane
/// believed them.
pub struct DecidedOn<'a> {
    pub accounts: &'a [AccountRow],
    /// (wallet id, status).
    pub wallets: &'a [(i64, String)],
}

/// Moves the accounts by `deltas` and inserts `transfers` (each with its body hash) in one
/// statement, if every account of `on` still holds its sums and every wallet still has its
/// status; answers whether all that held and it wrote (`false`: nothing was written; decide
/// again under a lock, reading afresh). With nothing to write it still checks, so refusals
/// decided on `on` stand only if `on` was true. Only for settled transfers without user
/// data, the only kind a batch makes; others answer `false` too. A transfer id already
/// stored fails the statement on the unique index (`Conflict`), writing nothing. (Not an
/// `EXISTS` check in the statement: its cached generic plan may scan the whole table while
/// the table's statistics lag behind its growth.)
pub async fn write_if_unchanged<C: ConnectionTrait>(
    conn: &C,
    on: DecidedOn<'_>,
    deltas: &[Delta],
    transfers: &[(NewTransfer, String)],
) -> Result<bool> {
    let read = on.accounts;
    if transfers.iter().any(|(t, _)| t.pending || t.user_data.is_some()) {
        return Ok(false);
    }
    if read.is_empty() && on.wallets.is_empty() {
        // Nothing was decided on the database's state.
        return Ok(true);
    }
    if deltas.iter().any(|d| !read.iter().any(|a| a.id == d.account_id)) {
        return Err(Error::internal("a batch moves an account it did not read"));
    }
    let delta_of = |id: i64| deltas.iter().find(|d| d.account_id == id).copied();
    let mut account: Vec<Vec<i64>> = (0..7).map(|_| Vec::with_capacity(read.len())).collect();
    for a in read {
        let d = delta_of(a.id).unwrap_or_default();
        let row = [
            a.id,
            a.balance,
            a.pending_debits,
            a.pending_credits,
            d.balance,
            d.pending_debits,
            d.pending_credits,
        ];
        for (column, v) in account.iter_mut().zip(row) {
            column.push(v);
        }
    }
    let mut values: Vec<Value> = account.into_iter().map(Value::from).collect();
    values.extend(transfer_arrays(transfers));
    values.extend([
        now().into(),
        on.wallets.iter().map(|(id, _)| *id).collect::<Vec<i64>>().into(),
        on.wallets.iter().map(|(_, s)| s.clone()).collect::<Vec<String>>().into(),
    ]);
    let stmt = Statement::from_sql_and_values(DbBackend::Postgres, WRITE_IF_UNCHANGED, values);
    written(conn, stmt, deltas, transfers.len()).await
}

/// Runs a conditional batch write `stmt` (answering `unchanged`, `moved`, `inserted`):
/// whether it wrote; a count other than decided (`deltas` that move, `transfers` rows) is an
/// error — already written, so a bug in the statement rather than a race; the caller then
/// runs each transfer alone, which answers the stored ones as replays.
async fn written<C: ConnectionTrait>(
    conn: &C,
    stmt: Statement,
    deltas: &[Delta],
    transfers: usize,
) -> Result<bool> {
    let row = conn
        .query_one_raw(stmt)
        .await
        .db()?
        .ok_or_else(|| Error::internal("a batch write returned no row"))?;
    let unchanged: bool = row.try_get("", "unchanged").db()?;
    if !unchanged {
        return Ok(false);
    }
    let moved: i64 = row.try_get("", "moved").db()?;
    let inserted: i64 = row.try_get("", "inserted").db()?;
    let to_move = deltas.iter().filter(|d| !d.is_zero()).count();
    if moved != to_move as i64 || inserted != transfers as i64 {
        return Err(Error::internal("a batch write moved or inserted other than it decided"));
    }
    Ok(true)
}

const WRITE_MOVES_IF_UNCHANGED: &str = r#"
WITH locked AS (
    SELECT id, balance, pending_debits, pending_credits FROM ledger_accounts
    WHERE id = ANY($1::int8[]) ORDER BY id FOR NO KEY UPDATE
), unchanged AS (
    SELECT (SELECT count(*) FROM locked) = cardinality($1::int8[])
       AND (SELECT count(*) FROM locked l
            JOIN UNNEST($5::int8[], $6::int8[], $7::int8[], $8::int8[])
                AS e(id, balance, pending_debits, pending_credits) USING (id)
            WHERE l.balance = e.balance AND l.pending_debits = e.pending_debits
              AND l.pending_credits = e.pending_credits) = cardinality($5::int8[])
       AS yes
), moved AS (
    UPDATE ledger_accounts a
    SET balance = a.balance + d.balance,
        pending_debits = a.pending_debits + d.pending_debits,
        pending_credits = a.pending_credits + d.pending_credits
    FROM UNNEST($1::int8[], $2::int8[], $3::int8[], $4::int8[])
        AS d(id, balance, pending_debits, pending_credits)
    WHERE a.id = d.id
      AND (d.balance <> 0 OR d.pending_debits <> 0 OR d.pending_credits <> 0)
      AND (SELECT yes FROM unchanged)
    RETURNING a.id
), inserted AS (
    INSERT INTO ledger_transfers (transfer_id, debit_account_id, credit_account_id, amount,
                                  currency, code, kind, state, body_hash, user_data, created_at)
    SELECT t.transfer_id, t.debit_account_id, t.credit_account_id, t.amount,
           t.currency, t.code, t.kind, t.state, t.body_hash,
           CASE WHEN t.has_user_data THEN t.user_data END, $20
    FROM UNNEST($9::text[], $10::int8[], $11::int8[], $12::int8[], $13::text[], $14::text[],
                $15::text[], $16::text[], $17::text[], $18::text[], $19::bool[])
        WITH ORDINALITY
        AS t(transfer_id, debit_account_id, credit_account_id, amount, currency, code, kind,
             state, body_hash, user_data, has_user_data, n)
    WHERE (SELECT yes FROM unchanged)
    ORDER BY t.n
    RETURNING 1
)
SELECT (SELECT yes FROM unchanged) AS unchanged,
       (SELECT count(*) FROM moved) AS moved,
       (SELECT count(*) FROM inserted) AS inserted
"#;

/// Writes a batch decided in memory on remembered account sums, in one statement inside the
/// caller's transaction (the manual lane's, whose deposit hooks follow in it): locks every
/// account of `deltas` (ascending id, `FOR NO KEY UPDATE`), and only if each account of
/// `checked` (those whose sums the decision depended on: the debited ones that may refuse a
/// debit) still holds the sums given there does it move every account by its delta and
/// insert `transfers` (each with its body hash; user data allowed). The other accounts are
/// only added to, so the sums the caller remembers of them may be stale.
/// Answers whether it wrote (`false`: nothing was written; decide again under a lock from
/// fresh reads). A transfer id stored already fails the statement on the unique index
/// (`Conflict`), which aborts the caller's transaction. Pending transfers answer `false`.
/// The text is the same for every batch size.
pub async fn write_moves_if_unchanged<C: ConnectionTrait>(
    conn: &C,
    checked: &[AccountRow],
    deltas: &[Delta],
    transfers: &[(NewTransfer, String)],
) -> Result<bool> {
    if transfers.iter().any(|(t, _)| t.pending) {
        return Ok(false);
    }
    if checked.iter().any(|a| !deltas.iter().any(|d| d.account_id == a.id)) {
        return Err(Error::internal("a batch checks an account it does not lock"));
    }
    let mut moved: Vec<Delta> = deltas.to_vec();
    moved.sort_unstable_by_key(|d| d.account_id);
    moved.dedup_by_key(|d| d.account_id);
    let column =
        |f: fn(&Delta) -> i64| -> Value { moved.iter().map(f).collect::<Vec<i64>>().into() };
    let sums =
        |f: fn(&AccountRow) -> i64| -> Value { checked.iter().map(f).collect::<Vec<i64>>().into() };
    let mut values: Vec<Value> = vec![
        column(|d| d.account_id),
        column(|d| d.balance),
        column(|d| d.pending_debits),
        column(|d| d.pending_credits),
        sums(|a| a.id),
        sums(|a| a.balance),
        sums(|a| a.pending_debits),
        sums(|a| a.pending_credits),
    ];
    let (user_data, has_user_data) = nullable(transfers.iter().map(|(t, _)| t.user_data.clone()));
    values.extend(transfer_arrays(transfers));
    values.extend([user_data, has_user_data, now().into()]);
    let stmt =
        Statement::from_sql_and_values(DbBackend::Postgres, WRITE_MOVES_IF_UNCHANGED, values);
    written(conn, stmt, &moved, transfers.len()).await
}

/// The columns of `transfers` every array statement takes, as `$n..$n+8`: transfer id, debit
/// and credit account, amount, currency, code, kind, state, body hash.
fn transfer_arrays(transfers: &[(NewTransfer, String)]) -> [Value; 9] {
    let texts = |f: &dyn Fn(&NewTransfer, &str) -> String| -> Value {
        transfers.iter().map(|(t, h)| f(t, h)).collect::<Vec<String>>().into()
    };
    let ints = |f: &dyn Fn(&NewTransfer) -> i64| -> Value {
        transfers.iter().map(|(t, _)| f(t)).collect::<Vec<i64>>().into()
    };
    let state = |t: &NewTransfer| {
        if t.pending { TransferState::Pending } else { TransferState::Posted }.as_str().to_owned()
    };
    [
        texts(&|t, _| t.id.as_str().to_owned()),
        ints(&|t| t.debit_account_id),
        ints(&|t| t.credit_account_id),
        ints(&|t| t.amount.minor()),
        texts(&|t, _| t.currency.as_str().to_owned()),
        texts(&|t, _| t.code.as_str().to_owned()),
        texts(&|t, _| t.kind().as_str().to_owned()),
        texts(&|t, _| state(t)),
        texts(&|_, h| h.to_owned()),
    ]
}

const INSERT: &str = r#"
INSERT INTO ledger_transfers (transfer_id, debit_account_id, credit_account_id, amount,
                              currency, code, kind, state, body_hash, user_data, created_at)
SELECT t.transfer_id, t.debit_account_id, t.credit_account_id, t.amount,
       t.currency, t.code, t.kind, t.state, t.body_hash,
       CASE WHEN t.has_user_data THEN t.user_data END, $12
FROM UNNEST($1::text[], $2::int8[], $3::int8[], $4::int8[], $5::text[], $6::text[],
            $7::text[], $8::text[], $9::text[], $10::text[], $11::bool[])
    WITH ORDINALITY
    AS t(transfer_id, debit_account_id, credit_account_id, amount, currency, code, kind,
         state, body_hash, user_data, has_user_data, n)
ORDER BY t.n
"#;

/// Inserts new transfers (decided by the caller, none resolving a pending one) in one
/// statement whose text is the same for any number of rows (arrays, one per column), so each
/// connection prepares it once and the server never plans a list of thousands of
/// placeholders. An id taken meanwhile fails the whole statement.
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    transfers: &[(NewTransfer, String)],
    at: chrono::DateTime<chrono::Utc>,
) -> Result<()> {
    let (user_data, has_user_data) = nullable(transfers.iter().map(|(t, _)| t.user_data.clone()));
    let mut values = transfer_arrays(transfers).to_vec();
    values.extend([user_data, has_user_data, at.into()]);
    conn.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, INSERT, values))
        .await
        .db()?;
    Ok(())
}
