//! Deposit and withdrawal figures of customers, read from the ledger: a deposit is a posted
//! `DEPOSIT` transfer credited to one of the customer's wallet balance accounts, a withdrawal
//! a posted `WITHDRAWAL` debited from one. The same subquery backs the `depositCount` filter.

use std::collections::HashMap;

use brokercrm_core::{Error, Result};
use chrono::{DateTime, Utc};
use sea_orm::ConnectionTrait;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SelectStatement};

use crate::entities::ledger_accounts as la;
use crate::entities::ledger_transfers as lt;
use crate::entities::wallets as w;
use crate::error::DbResultExt;

/// One customer's moves of one kind in one currency.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub count: i64,
    /// Minor units (10^-8).
    pub amount: i128,
    pub last_at: Option<DateTime<Utc>>,
}

/// Per customer, per currency.
pub type ByCustomer = HashMap<i64, HashMap<String, Totals>>;

/// `SELECT wallets.user_id FROM ...` over posted `code` transfers on the wallet-balance side
/// (`credit` for deposits, debit for withdrawals); the caller adds filters and grouping.
pub fn moves(code: &str, credit: bool) -> SelectStatement {
    let side = if credit { lt::Column::CreditAccountId } else { lt::Column::DebitAccountId };
    Query::select()
        .column((w::Entity, w::Column::UserId))
        .from(lt::Entity)
        .inner_join(la::Entity, Expr::col((la::Entity, la::Column::Id)).equals((lt::Entity, side)))
        .inner_join(
            w::Entity,
            Expr::col((w::Entity, w::Column::Id)).equals((la::Entity, la::Column::WalletId)),
        )
        .and_where(Expr::col((la::Entity, la::Column::Kind)).eq("wallet_balance"))
        .and_where(Expr::col((lt::Entity, lt::Column::Code)).eq(code))
        .and_where(Expr::col((lt::Entity, lt::Column::Kind)).is_in(["single", "post_pending"]))
        .to_owned()
}

/// Totals of `code` transfers of these customers.
pub async fn totals<C: ConnectionTrait>(
    conn: &C,
    customer_ids: &[i64],
    code: &str,
    credit: bool,
) -> Result<ByCustomer> {
    let mut out = ByCustomer::new();
    if customer_ids.is_empty() {
        return Ok(out);
    }
    let q = moves(code, credit)
        .column((lt::Entity, lt::Column::Currency))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .expr_as(Expr::cust("CAST(SUM(ledger_transfers.amount) AS TEXT)"), Alias::new("total"))
        .expr_as(Expr::cust("MAX(ledger_transfers.id)"), Alias::new("last_id"))
        .and_where(Expr::col((w::Entity, w::Column::UserId)).is_in(customer_ids.iter().copied()))
        .group_by_col((w::Entity, w::Column::UserId))
        .group_by_col((lt::Entity, lt::Column::Currency))
        .to_owned();
    let stmt = conn.get_database_backend().build(&q);
    let mut last_ids = Vec::new();
    for row in conn.query_all_raw(stmt).await.db()? {
        let user: i64 = row.try_get("", "user_id").db()?;
        let currency: String = row.try_get("", "currency").db()?;
        let n: i64 = row.try_get("", "n").db()?;
        let total: String = row.try_get("", "total").db()?;
        let last_id: i64 = row.try_get("", "last_id").db()?;
        let amount = total
            .split('.')
            .next()
            .unwrap_or("0")
            .parse::<i128>()
            .map_err(|e| Error::internal(format!("sum {total}: {e}")))?;
        last_ids.push((user, currency.clone(), last_id));
        out.entry(user).or_default().insert(currency, Totals { count: n, amount, last_at: None });
    }
    // The newest transfer of each group gives its date (ids grow with time).
    let ids: Vec<i64> = last_ids.iter().map(|x| x.2).collect();
    let dates = created_at(conn, &ids).await?;
    for (user, currency, id) in last_ids {
        if let Some(t) = out.get_mut(&user).and_then(|m| m.get_mut(&currency)) {
            t.last_at = dates.get(&id).copied();
        }
    }
    Ok(out)
}

async fn created_at<C: ConnectionTrait>(
    conn: &C,
    ids: &[i64],
) -> Result<HashMap<i64, DateTime<Utc>>> {
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = lt::Entity::find()
        .filter(lt::Column::Id.is_in(ids.iter().copied()))
        .all(conn)
        .await
        .db()?;
    Ok(rows.into_iter().map(|r| (r.id, r.created_at)).collect())
}
