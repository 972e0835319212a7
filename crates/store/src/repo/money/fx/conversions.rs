//! The `currency_conversions` table: configured FX conversion paths, one row per (source,
//! target) pair, unique by index.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, NotSet, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use crate::db::now;
use crate::entities::currency_conversions::{self, Column, Entity as Conversion};
use crate::error::DbResultExt;

pub use crate::entities::currency_conversions::Model as CurrencyConversionRow;

/// Most rows a list returns.
pub const LIST_LIMIT: u64 = 10_000;

/// Every conversion, by id.
pub async fn list<C: ConnectionTrait>(conn: &C) -> Result<Vec<CurrencyConversionRow>> {
    Conversion::find().order_by_asc(Column::Id).limit(LIST_LIMIT).all(conn).await.db()
}

pub async fn get<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<CurrencyConversionRow>> {
    Conversion::find_by_id(id).one(conn).await.db()
}

/// The conversion configured from `source` to `target`.
pub async fn find_pair<C: ConnectionTrait>(
    conn: &C,
    source: &str,
    target: &str,
) -> Result<Option<CurrencyConversionRow>> {
    Conversion::find()
        .filter(Column::Source.eq(source))
        .filter(Column::Target.eq(target))
        .one(conn)
        .await
        .db()
}

/// Inserts a conversion; a pair already configured is a `Conflict` (unique index).
pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    source: &str,
    target: &str,
    path: &str,
) -> Result<CurrencyConversionRow> {
    let t = now();
    currency_conversions::ActiveModel {
        id: NotSet,
        source: Set(source.to_owned()),
        target: Set(target.to_owned()),
        path: Set(path.to_owned()),
        created_at: Set(t),
        updated_at: Set(t),
    }
    .insert(conn)
    .await
    .db()
}

/// Replaces the path; returns whether the conversion exists.
pub async fn update_path<C: ConnectionTrait>(conn: &C, id: i64, path: &str) -> Result<bool> {
    let res = Conversion::update_many()
        .col_expr(Column::Path, Expr::value(path))
        .col_expr(Column::UpdatedAt, Expr::value(now()))
        .filter(Column::Id.eq(id))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Deletes by id; returns whether it existed.
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool> {
    let res = Conversion::delete_many().filter(Column::Id.eq(id)).exec(conn).await.db()?;
    Ok(res.rows_affected == 1)
}
