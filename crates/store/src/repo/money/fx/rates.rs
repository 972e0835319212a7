//! Exchange rates: one row per (from, to) currency pair, unique by index, the rate as text.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::exchange_rates::{self, Column, Entity as ExchangeRate};
use crate::error::DbResultExt;

pub use crate::entities::exchange_rates::Model as RateRow;

/// Most rows a list returns (one row per currency pair, so far more than any broker quotes).
pub const LIST_LIMIT: u64 = 10_000;

/// The validated fields of a rate.
#[derive(Debug, Clone)]
pub struct RateData {
    pub from_currency: String,
    pub to_currency: String,
    pub source: String,
    /// Canonical decimal text.
    pub rate: String,
}

/// Every rate, by pair.
pub async fn list<C: ConnectionTrait>(conn: &C) -> Result<Vec<RateRow>> {
    ExchangeRate::find()
        .order_by_asc(Column::FromCurrency)
        .order_by_asc(Column::ToCurrency)
        .limit(LIST_LIMIT)
        .all(conn)
        .await
        .db()
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: &str) -> Result<Option<RateRow>> {
    ExchangeRate::find_by_id(id.to_owned()).one(conn).await.db()
}

/// The rate configured for `from → to` (not its inverse).
pub async fn find_pair<C: ConnectionTrait>(
    conn: &C,
    from: &str,
    to: &str,
) -> Result<Option<RateRow>> {
    ExchangeRate::find()
        .filter(Column::FromCurrency.eq(from))
        .filter(Column::ToCurrency.eq(to))
        .one(conn)
        .await
        .db()
}

/// Rates of one source (lower case), by pair; at most `limit`.
pub async fn by_source<C: ConnectionTrait>(
    conn: &C,
    source: &str,
    limit: u64,
) -> Result<Vec<RateRow>> {
    ExchangeRate::find()
        .filter(Column::Source.eq(source))
        .order_by_asc(Column::FromCurrency)
        .order_by_asc(Column::ToCurrency)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

/// Inserts a rate with id `id`; a pair already configured is a `Conflict` (unique index).
pub async fn insert<C: ConnectionTrait>(conn: &C, id: &str, d: RateData) -> Result<RateRow> {
    let t = now();
    exchange_rates::ActiveModel {
        id: Set(id.to_owned()),
        from_currency: Set(d.from_currency),
        to_currency: Set(d.to_currency),
        source: Set(d.source),
        rate: Set(d.rate),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(conn)
    .await
    .db()
}

/// Replaces every field; returns whether the rate exists. A pair taken by another rate is a
/// `Conflict`.
pub async fn update<C: ConnectionTrait>(conn: &C, id: &str, d: RateData) -> Result<bool> {
    let res = ExchangeRate::update_many()
        .col_expr(Column::FromCurrency, Expr::value(d.from_currency))
        .col_expr(Column::ToCurrency, Expr::value(d.to_currency))
        .col_expr(Column::Source, Expr::value(d.source))
        .col_expr(Column::Rate, Expr::value(d.rate))
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::Id.eq(id))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}
