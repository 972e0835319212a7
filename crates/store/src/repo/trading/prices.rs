//! Quotes and candles. A quote is only replaced by a newer one (the upsert's `WHERE`, so two
//! instances storing ticks cannot move a symbol back in time); a candle batch merges into the
//! stored candle in one statement (high and low widened, close replaced, ticks added).

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::candles::{self, Column as C, Entity as Candle};
use crate::entities::quotes::{self, Column as Q, Entity as Quote};
use crate::error::DbResultExt;

pub use crate::entities::candles::Model as CandleRow;
pub use crate::entities::quotes::Model as QuoteRow;

/// Every stored quote.
pub async fn quotes<C2: ConnectionTrait>(conn: &C2) -> Result<Vec<QuoteRow>> {
    Quote::find().order_by_asc(Q::Symbol).all(conn).await.db()
}

pub async fn quote<C2: ConnectionTrait>(conn: &C2, symbol: &str) -> Result<Option<QuoteRow>> {
    Quote::find_by_id(symbol.to_owned()).one(conn).await.db()
}

/// Stores each quote unless the stored one of its symbol is as new or newer.
pub async fn upsert_quotes<C2: ConnectionTrait>(conn: &C2, rows: Vec<QuoteRow>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let models = rows.into_iter().map(|r| quotes::ActiveModel {
        symbol: Set(r.symbol),
        bid: Set(r.bid),
        ask: Set(r.ask),
        source: Set(r.source),
        quoted_at: Set(r.quoted_at),
    });
    Quote::insert_many(models)
        .on_conflict(
            OnConflict::column(Q::Symbol)
                .update_columns([Q::Bid, Q::Ask, Q::Source, Q::QuotedAt])
                .action_and_where(Expr::cust("excluded.quoted_at > quotes.quoted_at"))
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(())
}

/// Merges candles (at most one row per symbol, interval and start in a batch).
pub async fn upsert_candles<C2: ConnectionTrait>(conn: &C2, rows: Vec<CandleRow>) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let models = rows.into_iter().map(|r| candles::ActiveModel {
        symbol: Set(r.symbol),
        interval: Set(r.interval),
        open_time: Set(r.open_time),
        open: Set(r.open),
        high: Set(r.high),
        low: Set(r.low),
        close: Set(r.close),
        ticks: Set(r.ticks),
    });
    Candle::insert_many(models)
        .on_conflict(
            OnConflict::columns([C::Symbol, C::Interval, C::OpenTime])
                .value(
                    C::High,
                    Expr::cust(
                        "CASE WHEN excluded.high > candles.high THEN excluded.high ELSE candles.high END",
                    ),
                )
                .value(
                    C::Low,
                    Expr::cust(
                        "CASE WHEN excluded.low < candles.low THEN excluded.low ELSE candles.low END",
                    ),
                )
                .value(C::Close, Expr::cust("excluded.close"))
                .value(C::Ticks, Expr::cust("candles.ticks + excluded.ticks"))
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(())
}

/// The latest candle of `symbol` at `interval`.
pub async fn last_candle<C2: ConnectionTrait>(
    conn: &C2,
    symbol: &str,
    interval: &str,
) -> Result<Option<CandleRow>> {
    Candle::find()
        .filter(C::Symbol.eq(symbol))
        .filter(C::Interval.eq(interval))
        .order_by_desc(C::OpenTime)
        .one(conn)
        .await
        .db()
}

/// The candles of `symbol` at `interval` from `since` on, oldest first, at most `limit`
/// (the newest ones when there are more).
pub async fn candles<C2: ConnectionTrait>(
    conn: &C2,
    symbol: &str,
    interval: &str,
    since: Option<DateTime<Utc>>,
    limit: u64,
) -> Result<Vec<CandleRow>> {
    let mut q = Candle::find().filter(C::Symbol.eq(symbol)).filter(C::Interval.eq(interval));
    if let Some(t) = since {
        q = q.filter(C::OpenTime.gte(t));
    }
    let mut rows = q.order_by_desc(C::OpenTime).limit(limit).all(conn).await.db()?;
    rows.reverse();
    Ok(rows)
}
