//! The transactions list: ledger transfers that touch a wallet account (singles and
//! reservations; the post/void rows that resolve a reservation are folded into its state),
//! filtered on indexed columns, newest first with the row id as tie-break; offset pages for
//! the list and keyset pages for exports.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Select,
};

use super::TransferRow;
use crate::entities::ledger_accounts::{Column as A, Entity as Account};
use crate::entities::ledger_transfers::{Column as T, Entity as Transfer};
use crate::error::DbResultExt;

/// Filters of the transactions list; every one is optional.
#[derive(Debug, Clone, Default)]
pub struct TxFilter {
    /// Transfer code (`DEPOSIT`, `WITHDRAWAL`, ...).
    pub code: Option<String>,
    /// Ledger state (`posted`, `pending`, `voided`).
    pub state: Option<String>,
    /// Only transfers touching these accounts (a wallet's or a customer's); `None`: any
    /// wallet account.
    pub accounts: Option<Vec<i64>>,
    pub currency: Option<String>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    /// Exact transfer id.
    pub transfer_id: Option<String>,
    /// Largest amount first instead of newest first.
    pub by_amount: bool,
}

fn filtered(f: &TxFilter) -> Select<Transfer> {
    let mut q = Transfer::find().filter(T::Kind.is_in(["single", "pending"]));
    q = match &f.accounts {
        Some(ids) => q.filter(
            Condition::any()
                .add(T::DebitAccountId.is_in(ids.iter().copied()))
                .add(T::CreditAccountId.is_in(ids.iter().copied())),
        ),
        None => {
            let wallet_accounts = || {
                Query::select()
                    .column(A::Id)
                    .from(Account)
                    .and_where(Expr::col(A::WalletId).is_not_null())
                    .to_owned()
            };
            q.filter(
                Condition::any()
                    .add(T::DebitAccountId.in_subquery(wallet_accounts()))
                    .add(T::CreditAccountId.in_subquery(wallet_accounts())),
            )
        }
    };
    if let Some(c) = &f.code {
        q = q.filter(T::Code.eq(c.as_str()));
    }
    if let Some(s) = &f.state {
        q = q.filter(T::State.eq(s.as_str()));
    }
    if let Some(c) = &f.currency {
        q = q.filter(T::Currency.eq(c.as_str()));
    }
    if let Some(d) = f.from {
        q = q.filter(T::CreatedAt.gte(d));
    }
    if let Some(d) = f.to {
        q = q.filter(T::CreatedAt.lte(d));
    }
    if let Some(id) = &f.transfer_id {
        q = q.filter(T::TransferId.eq(id.as_str()));
    }
    q
}

/// A page of matching transfers and the number of matches.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    f: &TxFilter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<TransferRow>, u64)> {
    let q = filtered(f);
    let total = q.clone().count(conn).await.db()?;
    let q = if f.by_amount { q.order_by_desc(T::Amount) } else { q };
    let rows = q.order_by_desc(T::Id).limit(limit).offset(offset).all(conn).await.db()?;
    Ok((rows, total))
}

/// Matching transfers newest first, after row id `before` (keyset paging for exports).
pub async fn page_before<C: ConnectionTrait>(
    conn: &C,
    f: &TxFilter,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<TransferRow>> {
    let mut q = filtered(f);
    if let Some(b) = before {
        q = q.filter(T::Id.lt(b));
    }
    q.order_by_desc(T::Id).limit(limit).all(conn).await.db()
}
