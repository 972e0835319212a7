//! Orders: insert, find, the orders of a position, filtered pages, and the conditional
//! status change of a pending order.

use brokercrm_core::{Error, Result};
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LikeExpr};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DbBackend, EntityTrait,
    IntoActiveModel, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Select, Statement,
    Value,
};

use crate::db::{now, nullable};
use crate::entities::orders::{Column as O, Entity as Order};
use crate::error::DbResultExt;

pub use crate::entities::orders::Model as OrderRow;

/// Filters of an order list; every one optional.
#[derive(Debug, Clone, Default)]
pub struct OrderFilter {
    /// Only these wallets (`Some(empty)` matches nothing).
    pub wallet_ids: Option<Vec<i64>>,
    /// Only these owners (`Some(empty)` matches nothing).
    pub user_ids: Option<Vec<i64>>,
    pub statuses: Vec<String>,
    pub kinds: Vec<String>,
    pub symbols: Vec<String>,
    /// Order id or position id (numeric), symbol or external id, in part.
    pub search: Option<String>,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, row: OrderRow) -> Result<OrderRow> {
    let mut am = row.into_active_model();
    am.id = sea_orm::ActiveValue::NotSet;
    am.insert(conn).await.db()
}

/// Rows of one multi-row order insert (17 columns: under SQLite's bind limit).
const INSERT_CHUNK: usize = 1000;

/// Inserts `rows` (their ids left to the database) in one statement per [`INSERT_CHUNK`].
pub async fn insert_many<C: ConnectionTrait>(conn: &C, rows: &[OrderRow]) -> Result<()> {
    if conn.get_database_backend() == DbBackend::Postgres {
        return insert_many_pg(conn, rows).await;
    }
    for chunk in rows.chunks(INSERT_CHUNK) {
        let models = chunk.iter().map(|r| {
            let mut am = r.clone().into_active_model();
            am.id = sea_orm::ActiveValue::NotSet;
            am
        });
        Order::insert_many(models).exec_without_returning(conn).await.db()?;
    }
    Ok(())
}

const INSERT_PG: &str = r#"
INSERT INTO orders (position_id, wallet_id, user_id, symbol, side, kind, purpose, status, size,
                    limit_price, stop_price, fill_price, external_id, filled_at, created_at,
                    updated_at)
SELECT o.position_id, o.wallet_id, o.user_id, o.symbol, o.side, o.kind, o.purpose, o.status,
       o.size, CASE WHEN o.has_limit_price THEN o.limit_price END,
       CASE WHEN o.has_stop_price THEN o.stop_price END,
       CASE WHEN o.has_fill_price THEN o.fill_price END, o.external_id,
       CASE WHEN o.has_filled_at THEN o.filled_at END, o.created_at, o.updated_at
FROM UNNEST($1::int8[], $2::int8[], $3::int8[], $4::text[], $5::text[], $6::text[], $7::text[],
            $8::text[], $9::int8[], $10::int8[], $11::bool[], $12::int8[], $13::bool[],
            $14::int8[], $15::bool[], $16::text[], $17::timestamptz[], $18::bool[],
            $19::timestamptz[], $20::timestamptz[])
    WITH ORDINALITY
    AS o(position_id, wallet_id, user_id, symbol, side, kind, purpose, status, size,
         limit_price, has_limit_price, stop_price, has_stop_price, fill_price, has_fill_price,
         external_id, filled_at, has_filled_at, created_at, updated_at, n)
ORDER BY o.n
"#;

/// [`insert_many`] on PostgreSQL: one statement of arrays (one per column) whose text is the
/// same for any number of rows, so each connection prepares it once.
async fn insert_many_pg<C: ConnectionTrait>(conn: &C, rows: &[OrderRow]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let ints =
        |f: &dyn Fn(&OrderRow) -> i64| -> Value { rows.iter().map(f).collect::<Vec<i64>>().into() };
    let texts = |f: &dyn Fn(&OrderRow) -> &str| -> Value {
        rows.iter().map(|r| f(r).to_owned()).collect::<Vec<String>>().into()
    };
    let times = |f: &dyn Fn(&OrderRow) -> DateTime<Utc>| -> Value {
        rows.iter().map(f).collect::<Vec<DateTime<Utc>>>().into()
    };
    let (limit_price, has_limit_price) = nullable(rows.iter().map(|r| r.limit_price));
    let (stop_price, has_stop_price) = nullable(rows.iter().map(|r| r.stop_price));
    let (fill_price, has_fill_price) = nullable(rows.iter().map(|r| r.fill_price));
    let (filled_at, has_filled_at) = nullable(rows.iter().map(|r| r.filled_at));
    let values = vec![
        ints(&|r| r.position_id),
        ints(&|r| r.wallet_id),
        ints(&|r| r.user_id),
        texts(&|r| &r.symbol),
        texts(&|r| &r.side),
        texts(&|r| &r.kind),
        texts(&|r| &r.purpose),
        texts(&|r| &r.status),
        ints(&|r| r.size),
        limit_price,
        has_limit_price,
        stop_price,
        has_stop_price,
        fill_price,
        has_fill_price,
        texts(&|r| &r.external_id),
        filled_at,
        has_filled_at,
        times(&|r| r.created_at),
        times(&|r| r.updated_at),
    ];
    conn.execute_raw(Statement::from_sql_and_values(DbBackend::Postgres, INSERT_PG, values))
        .await
        .db()?;
    Ok(())
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<OrderRow>> {
    Order::find_by_id(id).one(conn).await.db()
}

/// The orders of position `position_id`, oldest first.
pub async fn of_position<C: ConnectionTrait>(conn: &C, position_id: i64) -> Result<Vec<OrderRow>> {
    Order::find().filter(O::PositionId.eq(position_id)).order_by_asc(O::Id).all(conn).await.db()
}

/// The pending order of position `position_id`, if any.
pub async fn pending_of<C: ConnectionTrait>(
    conn: &C,
    position_id: i64,
) -> Result<Option<OrderRow>> {
    Order::find()
        .filter(O::PositionId.eq(position_id))
        .filter(O::Status.eq("PENDING"))
        .one(conn)
        .await
        .db()
}

/// Every pending order (the trigger books' rebuild), by id.
pub async fn pending_all<C: ConnectionTrait>(conn: &C) -> Result<Vec<OrderRow>> {
    Order::find().filter(O::Status.eq("PENDING")).order_by_asc(O::Id).all(conn).await.db()
}

fn like(s: &str) -> LikeExpr {
    let escaped = s.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    LikeExpr::new(format!("%{escaped}%")).escape('\\')
}

fn filtered(f: &OrderFilter) -> Select<Order> {
    let mut q = Order::find();
    if let Some(ids) = &f.wallet_ids {
        q = q.filter(O::WalletId.is_in(ids.iter().copied()));
    }
    if let Some(ids) = &f.user_ids {
        q = q.filter(O::UserId.is_in(ids.iter().copied()));
    }
    if !f.statuses.is_empty() {
        q = q.filter(O::Status.is_in(f.statuses.iter().cloned()));
    }
    if !f.kinds.is_empty() {
        q = q.filter(O::Kind.is_in(f.kinds.iter().cloned()));
    }
    if !f.symbols.is_empty() {
        q = q.filter(O::Symbol.is_in(f.symbols.iter().cloned()));
    }
    if let Some(s) = f.search.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        let lower = |c: O| Expr::expr(sea_orm::sea_query::Func::lower(Expr::col(c)));
        let mut any = Condition::any()
            .add(lower(O::Symbol).like(like(s)))
            .add(lower(O::ExternalId).like(like(s)));
        if let Ok(id) = s.parse::<i64>() {
            any = any.add(O::Id.eq(id)).add(O::PositionId.eq(id));
        }
        q = q.filter(any);
    }
    q
}

/// A page of orders, newest first, with the number matching.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    f: &OrderFilter,
    limit: u64,
    offset: u64,
) -> Result<(Vec<OrderRow>, u64)> {
    let q = filtered(f);
    let total = q.clone().count(conn).await.db()?;
    let rows = q.order_by_desc(O::Id).limit(limit).offset(offset).all(conn).await.db()?;
    Ok((rows, total))
}

/// Moves order `id` from `from` to `to` status, setting its prices and fill; a lost race is
/// a conflict.
pub async fn settle<C: ConnectionTrait>(conn: &C, row: &OrderRow, from: &str) -> Result<()> {
    let res = Order::update_many()
        .col_expr(O::Status, Expr::value(row.status.clone()))
        .col_expr(O::LimitPrice, Expr::value(row.limit_price))
        .col_expr(O::StopPrice, Expr::value(row.stop_price))
        .col_expr(O::FillPrice, Expr::value(row.fill_price))
        .col_expr(O::FilledAt, Expr::value(row.filled_at))
        .col_expr(O::UpdatedAt, Expr::value(now()))
        .filter(O::Id.eq(row.id))
        .filter(O::Status.eq(from))
        .exec(conn)
        .await
        .db()?;
    if res.rows_affected == 1 {
        Ok(())
    } else {
        Err(Error::Conflict(format!("order {} changed meanwhile", row.id)))
    }
}
