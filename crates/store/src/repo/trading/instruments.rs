//! Instruments: list in sort order, find by symbol, insert (unique symbol), replace, delete,
//! set one instrument's sort.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::db::now;
use crate::entities::instruments::{self, Column as I, Entity as Instrument};
use crate::error::DbResultExt;

pub use crate::entities::instruments::Model as InstrumentRow;

/// An instrument's stored fields (validated in `core`/`app`; decimals as canonical text).
#[derive(Debug, Clone)]
pub struct InstrumentData {
    pub symbol: String,
    pub margin_currency: String,
    pub currency: String,
    pub category: String,
    pub decimals: i32,
    pub profit_calc_mode: String,
    pub margin_calc_mode: String,
    pub sizes: String,
    pub margin_percentage: String,
    pub hedged_margin_percentage: String,
    pub trading_hours: String,
    pub timezone: String,
    pub swap_mode: String,
    pub swap_long: String,
    pub swap_short: String,
    pub swap_3day_weekday: Option<i32>,
    pub stake_mode: String,
    pub contract_size: String,
    pub min_order_size: String,
    pub max_order_size: String,
    pub status: String,
    pub sort: i32,
    pub filename: Option<String>,
    pub file: Option<String>,
}

/// Every instrument by sort, then symbol (a broker lists tens to a few thousand).
pub async fn list<C: ConnectionTrait>(conn: &C) -> Result<Vec<InstrumentRow>> {
    Instrument::find().order_by_asc(I::Sort).order_by_asc(I::Symbol).all(conn).await.db()
}

/// The instruments with this status, in sort order.
pub async fn list_with_status<C: ConnectionTrait>(
    conn: &C,
    status: &str,
) -> Result<Vec<InstrumentRow>> {
    Instrument::find()
        .filter(I::Status.eq(status))
        .order_by_asc(I::Sort)
        .order_by_asc(I::Symbol)
        .all(conn)
        .await
        .db()
}

pub async fn find<C: ConnectionTrait>(conn: &C, symbol: &str) -> Result<Option<InstrumentRow>> {
    Instrument::find().filter(I::Symbol.eq(symbol)).one(conn).await.db()
}

/// Inserts an instrument; a taken symbol is a `Conflict`.
pub async fn insert<C: ConnectionTrait>(conn: &C, d: InstrumentData) -> Result<InstrumentRow> {
    let t = now();
    let mut am = active(d);
    am.created_at = Set(t);
    am.updated_at = Set(t);
    am.insert(conn).await.db()
}

/// Replaces every field of the instrument `id` (the symbol too); returns the new row.
pub async fn replace<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    d: InstrumentData,
) -> Result<Option<InstrumentRow>> {
    let Some(old) = Instrument::find_by_id(id).one(conn).await.db()? else {
        return Ok(None);
    };
    let mut am = active(d);
    am.id = Set(id);
    am.created_at = Set(old.created_at);
    am.updated_at = Set(now());
    am.update(conn).await.db().map(Some)
}

fn active(d: InstrumentData) -> instruments::ActiveModel {
    instruments::ActiveModel {
        symbol: Set(d.symbol),
        margin_currency: Set(d.margin_currency),
        currency: Set(d.currency),
        category: Set(d.category),
        decimals: Set(d.decimals),
        profit_calc_mode: Set(d.profit_calc_mode),
        margin_calc_mode: Set(d.margin_calc_mode),
        sizes: Set(d.sizes),
        margin_percentage: Set(d.margin_percentage),
        hedged_margin_percentage: Set(d.hedged_margin_percentage),
        trading_hours: Set(d.trading_hours),
        timezone: Set(d.timezone),
        swap_mode: Set(d.swap_mode),
        swap_long: Set(d.swap_long),
        swap_short: Set(d.swap_short),
        swap_3day_weekday: Set(d.swap_3day_weekday),
        stake_mode: Set(d.stake_mode),
        contract_size: Set(d.contract_size),
        min_order_size: Set(d.min_order_size),
        max_order_size: Set(d.max_order_size),
        status: Set(d.status),
        sort: Set(d.sort),
        filename: Set(d.filename),
        file: Set(d.file),
        ..Default::default()
    }
}

/// Sets one instrument's sort; returns whether it exists.
pub async fn set_sort<C: ConnectionTrait>(conn: &C, symbol: &str, sort: i32) -> Result<bool> {
    let res = Instrument::update_many()
        .col_expr(I::Sort, Expr::value(sort))
        .col_expr(I::UpdatedAt, Expr::value(now()))
        .filter(I::Symbol.eq(symbol))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected == 1)
}

/// Deletes an instrument; returns whether it existed.
pub async fn delete<C: ConnectionTrait>(conn: &C, symbol: &str) -> Result<bool> {
    let res = Instrument::delete_many().filter(I::Symbol.eq(symbol)).exec(conn).await.db()?;
    Ok(res.rows_affected == 1)
}
