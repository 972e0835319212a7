//! Reads of coin movements: ledger transfers in the pseudo-currency `COINS`, all or one
//! customer's (newest or oldest first, with their count), and the coins a customer earned in
//! a period.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};

use crate::entities::ledger_transfers::{Column as T, Entity as Transfer};
use crate::error::DbResultExt;
use crate::repo::money::ledger::TransferRow;

/// The currency code of coin transfers.
const COINS: &str = "COINS";

/// `currency = 'COINS'` as a literal, so both databases use the partial index of the coin
/// rows (m0038), which a bound parameter would not prove applicable.
fn coins_only() -> Expr {
    Expr::cust(format!("ledger_transfers.currency = '{COINS}'"))
}

/// A page of coin transfers (only those of `accounts` when given), with the total count.
pub async fn transfers<C: ConnectionTrait>(
    conn: &C,
    accounts: Option<&[i64]>,
    newest_first: bool,
    limit: u64,
    offset: u64,
) -> Result<(Vec<TransferRow>, u64)> {
    let mut q = Transfer::find().filter(coins_only()).filter(T::Kind.eq("single"));
    if let Some(a) = accounts {
        let ids = || a.iter().copied();
        q = q.filter(
            Condition::any()
                .add(T::DebitAccountId.is_in(ids()))
                .add(T::CreditAccountId.is_in(ids())),
        );
    }
    let total = q.clone().count(conn).await.db()?;
    let q = if newest_first { q.order_by_desc(T::Id) } else { q.order_by_asc(T::Id) };
    let rows = q.limit(limit).offset(offset).all(conn).await.db()?;
    Ok((rows, total))
}

/// The customer owning each of `accounts` that is a customer coin account, as
/// (account id, user id), in one query.
pub async fn coin_owners<C: ConnectionTrait>(
    conn: &C,
    accounts: &[i64],
) -> Result<Vec<(i64, i64)>> {
    use crate::entities::ledger_accounts::{Column as A, Entity as Account};
    if accounts.is_empty() {
        return Ok(Vec::new());
    }
    let rows = Account::find()
        .filter(A::Id.is_in(accounts.iter().copied()))
        .filter(A::Kind.eq("customer_coins"))
        .all(conn)
        .await
        .db()?;
    // The key is `customer:<user id>:customer_coins:COINS`.
    Ok(rows
        .into_iter()
        .filter_map(|a| {
            let uid = a.key.strip_prefix("customer:")?.split(':').next()?.parse().ok()?;
            Some((a.id, uid))
        })
        .collect())
}

/// Coins credited to `account` with transfer `code` in `[from, to)`, in minor units.
pub async fn credited_between<C: ConnectionTrait>(
    conn: &C,
    account: i64,
    code: &str,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<i64> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL: read it as text on both databases.
    let sum: Option<Option<String>> = Transfer::find()
        .select_only()
        .column_as(Expr::cust("CAST(SUM(amount) AS TEXT)"), "total")
        .filter(T::CreditAccountId.eq(account))
        .filter(T::Code.eq(code))
        .filter(T::Kind.eq("single"))
        .filter(T::CreatedAt.gte(from))
        .filter(T::CreatedAt.lt(to))
        .into_tuple()
        .one(conn)
        .await
        .db()?;
    match sum.flatten() {
        None => Ok(0),
        Some(s) => s
            .trim()
            .parse::<i64>()
            .map_err(|_| brokercrm_core::Error::internal(format!("coin sum '{s}' unreadable"))),
    }
}
