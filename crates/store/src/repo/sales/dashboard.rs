//! Dashboard figures: customers' registrations, deposits and logins per UTC day of a period,
//! counted in SQL (GROUP BY day), and an affiliate's referral counts. A login is the start of
//! a refresh-token family (login, sign-up or OAuth code exchange; refreshes continue a
//! family). Callers narrow the customers with a condition on `users.id` (scope or referrals).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Func, Order, Query, SelectStatement};
use sea_orm::{ConnectionTrait, DbBackend};

use crate::entities::{
    crm_leads, ftds, goal_types, leads, ledger_accounts, ledger_transfers, refresh_tokens, users,
    wallets,
};
use crate::error::DbResultExt;

/// The UTC day (`YYYY-MM-DD`) of a timestamp expression. Constants are inlined (not bound)
/// so the same expression can be repeated in GROUP BY.
fn day(backend: DbBackend, e: Expr) -> Expr {
    match backend {
        // Timestamps are stored as UTC text starting with the date.
        DbBackend::Sqlite => {
            Func::cust("substr").arg(e).arg(Expr::cust("1")).arg(Expr::cust("10")).into()
        }
        _ => Func::cust("to_char")
            .arg(Func::cust("timezone").arg(Expr::cust("'UTC'")).arg(e))
            .arg(Expr::cust("'YYYY-MM-DD'"))
            .into(),
    }
}

/// Customers' ids an affiliate referred (their CRM lead came from the affiliate).
pub fn referred_by(affiliate_id: i64) -> Expr {
    let sub = Query::select()
        .column(crm_leads::Column::CustomerId)
        .from(crm_leads::Entity)
        .and_where(Expr::col(crm_leads::Column::AffiliateId).eq(affiliate_id))
        .and_where(Expr::col(crm_leads::Column::CustomerId).is_not_null())
        .to_owned();
    Expr::col((users::Entity, users::Column::Id)).in_subquery(sub)
}

fn customers(q: &mut SelectStatement, who: Option<&Expr>) {
    q.and_where(Expr::col((users::Entity, users::Column::Role)).eq("customer"));
    if let Some(w) = who {
        q.and_where(w.clone());
    }
}

async fn day_counts<C: ConnectionTrait>(
    conn: &C,
    q: &SelectStatement,
) -> Result<Vec<(String, i64)>> {
    let rows = conn.query_all(q).await.db()?;
    rows.iter()
        .map(|r| Ok((r.try_get::<String>("", "day").db()?, r.try_get::<i64>("", "n").db()?)))
        .collect()
}

/// Customers registered per day within `[from, to]`.
pub async fn registrations<C: ConnectionTrait>(
    conn: &C,
    who: Option<&Expr>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(String, i64)>> {
    let created = Expr::col((users::Entity, users::Column::CreatedAt));
    let d = day(conn.get_database_backend(), created.clone());
    let mut q = Query::select();
    q.expr_as(d.clone(), Alias::new("day"))
        .expr_as(Expr::col((users::Entity, users::Column::Id)).count(), Alias::new("n"))
        .from(users::Entity)
        .and_where(created.clone().gte(from))
        .and_where(created.lte(to));
    customers(&mut q, who);
    q.add_group_by([d.clone()]).order_by_expr(d, Order::Asc);
    day_counts(conn, &q).await
}

/// Deposits into customers' wallets per day and currency within `[from, to]`: posted
/// `DEPOSIT` transfers crediting a wallet account of the real book (demo top-ups are play
/// money and never count). `(day, currency, count, minor units)`.
pub async fn deposits<C: ConnectionTrait>(
    conn: &C,
    who: Option<&Expr>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(String, String, i64, i64)>> {
    use ledger_transfers::Column as T;
    let created = Expr::col((ledger_transfers::Entity, T::CreatedAt));
    let d = day(conn.get_database_backend(), created.clone());
    let cur = Expr::col((ledger_transfers::Entity, T::Currency));
    let mut q = Query::select();
    q.expr_as(d.clone(), Alias::new("day"))
        .expr_as(cur.clone(), Alias::new("currency"))
        .expr_as(Expr::col((ledger_transfers::Entity, T::Id)).count(), Alias::new("n"))
        .expr_as(
            Func::cast_as(
                Func::sum(Expr::col((ledger_transfers::Entity, T::Amount))),
                Alias::new("BIGINT"),
            ),
            Alias::new("amount"),
        )
        .from(ledger_transfers::Entity)
        .inner_join(
            ledger_accounts::Entity,
            Expr::col((ledger_accounts::Entity, ledger_accounts::Column::Id))
                .equals((ledger_transfers::Entity, T::CreditAccountId)),
        )
        .inner_join(
            wallets::Entity,
            Expr::col((wallets::Entity, wallets::Column::Id))
                .equals((ledger_accounts::Entity, ledger_accounts::Column::WalletId)),
        )
        .inner_join(
            users::Entity,
            Expr::col((users::Entity, users::Column::Id))
                .equals((wallets::Entity, wallets::Column::UserId)),
        )
        .and_where(Expr::col((ledger_transfers::Entity, T::Code)).eq("DEPOSIT"))
        .and_where(Expr::col((ledger_accounts::Entity, ledger_accounts::Column::Demo)).eq(false))
        .and_where(Expr::col((ledger_transfers::Entity, T::Kind)).is_in(["single", "post_pending"]))
        .and_where(Expr::col((ledger_transfers::Entity, T::State)).eq("posted"))
        .and_where(created.clone().gte(from))
        .and_where(created.lte(to));
    customers(&mut q, who);
    q.add_group_by([d.clone(), cur.clone()])
        .order_by_expr(d, Order::Asc)
        .order_by_expr(cur, Order::Asc);
    let rows = conn.query_all(&q).await.db()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<String>("", "day").db()?,
                r.try_get::<String>("", "currency").db()?,
                r.try_get::<i64>("", "n").db()?,
                r.try_get::<i64>("", "amount").db()?,
            ))
        })
        .collect()
}

/// Login start times: per refresh-token family of a customer, its first token's time.
fn logins_sub(who: Option<&Expr>) -> SelectStatement {
    use refresh_tokens::Column as R;
    let mut q = Query::select();
    q.column((users::Entity, users::Column::Uuid))
        .column((users::Entity, users::Column::Country))
        .expr_as(Expr::col((refresh_tokens::Entity, R::CreatedAt)).min(), Alias::new("first_at"))
        .from(refresh_tokens::Entity)
        .inner_join(
            users::Entity,
            Expr::col((users::Entity, users::Column::Id))
                .equals((refresh_tokens::Entity, R::UserId)),
        );
    customers(&mut q, who);
    q.add_group_by([
        Expr::col((refresh_tokens::Entity, R::Family)),
        Expr::col((users::Entity, users::Column::Uuid)),
        Expr::col((users::Entity, users::Column::Country)),
    ]);
    q
}

/// Customers' logins per day within `[from, to]`.
pub async fn logins<C: ConnectionTrait>(
    conn: &C,
    who: Option<&Expr>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<Vec<(String, i64)>> {
    let s = Alias::new("s");
    let first = Expr::col((s.clone(), Alias::new("first_at")));
    let d = day(conn.get_database_backend(), first.clone());
    let mut q = Query::select();
    q.expr_as(d.clone(), Alias::new("day"))
        .expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from_subquery(logins_sub(who), s)
        .and_where(first.clone().gte(from))
        .and_where(first.lte(to))
        .add_group_by([d.clone()])
        .order_by_expr(d, Order::Asc);
    day_counts(conn, &q).await
}

/// The newest `limit` logins: (customer public id, country, when).
pub async fn last_logins<C: ConnectionTrait>(
    conn: &C,
    who: Option<&Expr>,
    limit: u64,
) -> Result<Vec<(String, Option<String>, DateTime<Utc>)>> {
    let s = Alias::new("s");
    let mut q = Query::select();
    q.column((s.clone(), Alias::new("uuid")))
        .column((s.clone(), Alias::new("country")))
        .column((s.clone(), Alias::new("first_at")))
        .from_subquery(logins_sub(who), s.clone())
        .order_by((s.clone(), Alias::new("first_at")), Order::Desc)
        .order_by((s, Alias::new("uuid")), Order::Desc)
        .limit(limit);
    let rows = conn.query_all(&q).await.db()?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get::<String>("", "uuid").db()?,
                r.try_get::<Option<String>>("", "country").db()?,
                r.try_get::<DateTime<Utc>>("", "first_at").db()?,
            ))
        })
        .collect()
}

async fn count<C: ConnectionTrait>(conn: &C, q: &SelectStatement) -> Result<i64> {
    let row = conn.query_one(q).await.db()?;
    match row {
        Some(r) => r.try_get::<i64>("", "n").db(),
        None => Ok(0),
    }
}

/// An affiliate's leads (test leads excluded) created within `[from, to)`.
pub async fn affiliate_leads<C: ConnectionTrait>(
    conn: &C,
    affiliate_id: i64,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<i64> {
    let mut q = Query::select();
    q.expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(leads::Entity)
        .and_where(Expr::col(leads::Column::AffiliateId).eq(affiliate_id))
        .and_where(Expr::col(leads::Column::IsTest).eq(false))
        .and_where(Expr::col(leads::Column::CreatedAt).gte(from))
        .and_where(Expr::col(leads::Column::CreatedAt).lt(to));
    count(conn, &q).await
}

/// How many of an affiliate's leads reached a goal (FTDs) within `[from, to)`, all goals or
/// only `goal` (e.g. `FTD`).
pub async fn affiliate_goal_count<C: ConnectionTrait>(
    conn: &C,
    affiliate_id: i64,
    goal: Option<&str>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
) -> Result<i64> {
    use ftds::Column as Cv;
    let mut q = Query::select();
    q.expr_as(Expr::cust("COUNT(*)"), Alias::new("n"))
        .from(ftds::Entity)
        .and_where(Expr::col((ftds::Entity, Cv::AffiliateId)).eq(affiliate_id))
        .and_where(Expr::col((ftds::Entity, Cv::CreatedAt)).gte(from))
        .and_where(Expr::col((ftds::Entity, Cv::CreatedAt)).lt(to));
    if let Some(g) = goal {
        q.inner_join(
            goal_types::Entity,
            Expr::col((goal_types::Entity, goal_types::Column::Id))
                .equals((ftds::Entity, Cv::GoalTypeId)),
        )
        .and_where(
            Func::upper(Expr::col((goal_types::Entity, goal_types::Column::Name)))
                .eq(g.to_uppercase()),
        );
    }
    count(conn, &q).await
}
