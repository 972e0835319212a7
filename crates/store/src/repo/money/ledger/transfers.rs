//! Reads of transfers: one by its transfer id, an account's transfers newest first with
//! keyset paging on the row sequence, a page of a wallet's transfers with their count, and
//! the transfers stored since a moment (what the live relay follows).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, QueryTrait,
};

use super::TransferRow;
use crate::entities::ledger_transfers::{Column as T, Entity as Transfer};
use crate::error::DbResultExt;

/// One transfer by its transfer id.
pub async fn find<C: ConnectionTrait>(conn: &C, transfer_id: &str) -> Result<Option<TransferRow>> {
    Transfer::find().filter(T::TransferId.eq(transfer_id)).one(conn).await.db()
}

/// Transfers debiting or crediting `account_id`, newest first; `before` is the row id
/// (`TransferRow::id`) of the last row of the previous page.
pub async fn for_account<C: ConnectionTrait>(
    conn: &C,
    account_id: i64,
    before: Option<i64>,
    limit: u64,
) -> Result<Vec<TransferRow>> {
    let mut q = Transfer::find().filter(
        Condition::any()
            .add(T::DebitAccountId.eq(account_id))
            .add(T::CreditAccountId.eq(account_id)),
    );
    if let Some(b) = before {
        q = q.filter(T::Id.lt(b));
    }
    q.order_by_desc(T::Id).limit(limit.clamp(1, 10_000)).all(conn).await.db()
}

/// Transfers touching any of `accounts` (a wallet's balance and credit accounts), newest
/// first, with their count: single transfers and reservations (a post or void row is shown
/// through its pending row's state). `from..to` bounds `created_at` when given. One query
/// (the count as a window over the matches) unless the page is past the end.
pub async fn page_for_accounts<C: ConnectionTrait>(
    conn: &C,
    accounts: &[i64],
    range: Option<(DateTime<Utc>, DateTime<Utc>)>,
    limit: u64,
    offset: u64,
) -> Result<(Vec<TransferRow>, u64)> {
    if accounts.is_empty() {
        return Ok((Vec::new(), 0));
    }
    let ids = || accounts.iter().copied();
    let mut q = Transfer::find()
        .filter(
            Condition::any()
                .add(T::DebitAccountId.is_in(ids()))
                .add(T::CreditAccountId.is_in(ids())),
        )
        .filter(T::Kind.is_in(["single", "pending"]));
    if let Some((from, to)) = range {
        q = q.filter(T::CreatedAt.gte(from)).filter(T::CreatedAt.lte(to));
    }
    // The page and the number of matches in one query; only a page past the end (no rows to
    // carry the count) asks for the count alone.
    let page = q.clone().expr_as(Expr::cust("COUNT(*) OVER ()"), "total_rows");
    let page = page.order_by_desc(T::Id).limit(limit).offset(offset);
    let mut rows = Vec::new();
    let mut total = None;
    for row in conn.query_all_raw(page.build(conn.get_database_backend())).await.db()? {
        total = Some(row.try_get::<i64>("", "total_rows").db()?);
        rows.push(TransferRow::from_query_result(&row, "").db()?);
    }
    let total = match total {
        Some(n) => u64::try_from(n).unwrap_or_default(),
        None if offset == 0 => 0,
        None => q.count(conn).await.db()?,
    };
    Ok((rows, total))
}

/// `(row id, created_at, debit account, credit account)` of the transfers stored at or after
/// `since`, oldest first, at most `limit` (the live relay maps them to the wallets they moved).
pub async fn since<C: ConnectionTrait>(
    conn: &C,
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<(i64, DateTime<Utc>, i64, i64)>> {
    Transfer::find()
        .select_only()
        .columns([T::Id, T::CreatedAt, T::DebitAccountId, T::CreditAccountId])
        .filter(T::CreatedAt.gte(since))
        .order_by_asc(T::CreatedAt)
        .order_by_asc(T::Id)
        .limit(limit)
        .into_tuple()
        .all(conn)
        .await
        .db()
}
