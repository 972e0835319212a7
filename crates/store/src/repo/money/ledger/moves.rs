//! Balance movements on account rows, each one conditional `UPDATE` that checks and changes
//! in the same statement (never read-then-write): the floor/overdraft rule, the currency, the
//! book (the other side must be demo exactly when this one is) and the [`LIMIT`] bounds sit
//! in its `WHERE`. Callers apply the two sides of a transfer in
//! ascending account id order so concurrent transfers lock rows in one order (no deadlocks).

use brokercrm_core::money::ledger::LIMIT;
use brokercrm_core::money::ledger::transfer::{beyond_limit, insufficient_funds, mixed_books};
use brokercrm_core::{Currency, Error, Money, Result};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::accounts;
use crate::entities::ledger_accounts::{Column as A, Entity as Account};
use crate::error::DbResultExt;

/// One side of a movement.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Move {
    /// Take `amount` out of the posted balance (checked against floor and pending debits).
    Debit,
    /// Put `amount` into the posted balance.
    Credit,
    /// Reserve `amount` as a pending debit (checked like a debit).
    ReserveDebit,
    /// Reserve `amount` as a pending credit.
    ReserveCredit,
}

/// Applies `mv` of `amount` (> 0, ≤ LIMIT) in `currency` to account `id`, whose transfer's
/// other side is account `peer`. Fails with the reason when the guard refuses: missing
/// account, other currency, other book than `peer`'s, insufficient funds, limit.
pub async fn apply<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    peer: i64,
    currency: Currency,
    mv: Move,
    amount: i64,
) -> Result<()> {
    let headroom = || Expr::col(A::Balance).sub(Expr::col(A::PendingDebits));
    let peer_book =
        Query::select().column(A::Demo).from(Account).and_where(A::Id.eq(peer)).to_owned();
    let mut q = Account::update_many()
        .filter(A::Id.eq(id))
        .filter(A::Currency.eq(currency.as_str()))
        .filter(A::Demo.in_subquery(peer_book));
    q = match mv {
        Move::Debit | Move::ReserveDebit => {
            let afford = Condition::any()
                .add(A::AllowsOverdraft.eq(true))
                .add(headroom().sub(Expr::col(A::Floor)).gte(amount));
            q = q.filter(afford).filter(headroom().gte(amount - LIMIT));
            if mv == Move::Debit {
                q.col_expr(A::Balance, Expr::col(A::Balance).sub(amount))
            } else {
                q.filter(A::PendingDebits.lte(LIMIT - amount))
                    .col_expr(A::PendingDebits, Expr::col(A::PendingDebits).add(amount))
            }
        }
        Move::Credit | Move::ReserveCredit => {
            let room = Expr::col(A::Balance).add(Expr::col(A::PendingCredits)).lte(LIMIT - amount);
            q = q.filter(room);
            if mv == Move::Credit {
                q.col_expr(A::Balance, Expr::col(A::Balance).add(amount))
            } else {
                q.filter(A::PendingCredits.lte(LIMIT - amount))
                    .col_expr(A::PendingCredits, Expr::col(A::PendingCredits).add(amount))
            }
        }
    };
    if q.exec(conn).await.db()?.rows_affected == 1 {
        return Ok(());
    }
    Err(refusal(conn, id, peer, currency, mv, amount).await)
}

/// Why a guarded update touched no row (read after the refusal, for the error only).
async fn refusal<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    peer: i64,
    currency: Currency,
    mv: Move,
    amount: i64,
) -> Error {
    let (row, other) = match (accounts::find(conn, id).await, accounts::find(conn, peer).await) {
        (Ok(Some(row)), Ok(Some(other))) => (row, other),
        (Ok(_), Ok(_)) => return Error::NotFound("ledger account"),
        (Err(e), _) | (_, Err(e)) => return e,
    };
    if row.currency != currency.as_str() {
        return Error::field("currency", "must be the currency of both accounts");
    }
    if row.demo != other.demo {
        return mixed_books();
    }
    let policy = brokercrm_core::money::ledger::Policy {
        floor: Money::from_minor(row.floor),
        allows_overdraft: row.allows_overdraft,
    };
    let debit = matches!(mv, Move::Debit | Move::ReserveDebit);
    let (b, pd) = (Money::from_minor(row.balance), Money::from_minor(row.pending_debits));
    if debit && !policy.allows_debit(b, pd, Money::from_minor(amount)) {
        insufficient_funds()
    } else {
        beyond_limit()
    }
}

/// Settles a reservation of `reserved` on the debit account `id`: releases it and, when
/// posting, takes `posted` (≤ `reserved`) out of the balance. The reservation guaranteed the
/// funds, so only the pending sum is checked; a refusal means the ledger is corrupt.
pub async fn settle_debit<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    reserved: i64,
    posted: i64,
) -> Result<()> {
    let res = Account::update_many()
        .col_expr(A::PendingDebits, Expr::col(A::PendingDebits).sub(reserved))
        .col_expr(A::Balance, Expr::col(A::Balance).sub(posted))
        .filter(A::Id.eq(id))
        .filter(A::PendingDebits.gte(reserved))
        .exec(conn)
        .await
        .db()?;
    settled(res.rows_affected, id)
}

/// Settles a reservation on the credit account `id`: releases `reserved` pending credits and
/// adds `posted` to the balance.
pub async fn settle_credit<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    reserved: i64,
    posted: i64,
) -> Result<()> {
    let res = Account::update_many()
        .col_expr(A::PendingCredits, Expr::col(A::PendingCredits).sub(reserved))
        .col_expr(A::Balance, Expr::col(A::Balance).add(posted))
        .filter(A::Id.eq(id))
        .filter(A::PendingCredits.gte(reserved))
        .exec(conn)
        .await
        .db()?;
    settled(res.rows_affected, id)
}

fn settled(rows: u64, id: i64) -> Result<()> {
    if rows == 1 {
        Ok(())
    } else {
        Err(Error::internal(format!("ledger account {id}: pending sum below its reservation")))
    }
}
