//! Downtimes: list (newest start first), find, insert, replace, delete, the windows open at
//! a moment and those not over yet.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::downtimes::{self, Column as D, Entity as Downtime};
use crate::error::DbResultExt;

pub use crate::entities::downtimes::Model as DowntimeRow;

/// A downtime's stored fields (`symbols`: JSON array text).
#[derive(Debug, Clone)]
pub struct DowntimeData {
    pub title: String,
    pub start_date: DateTime<Utc>,
    pub end_date: DateTime<Utc>,
    pub symbols: String,
}

/// A page of downtimes, newest start first, and the total.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    limit: u64,
    offset: u64,
) -> Result<(Vec<DowntimeRow>, u64)> {
    let total = Downtime::find().count(conn).await.db()?;
    let rows = Downtime::find()
        .order_by_desc(D::StartDate)
        .order_by_desc(D::Id)
        .limit(limit)
        .offset(offset)
        .all(conn)
        .await
        .db()?;
    Ok((rows, total))
}

pub async fn find<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<DowntimeRow>> {
    Downtime::find_by_id(id).one(conn).await.db()
}

/// The downtimes open at `at` (start ≤ at < end).
pub async fn open_at<C: ConnectionTrait>(conn: &C, at: DateTime<Utc>) -> Result<Vec<DowntimeRow>> {
    Downtime::find().filter(D::StartDate.lte(at)).filter(D::EndDate.gt(at)).all(conn).await.db()
}

/// The downtimes not over at `at` (open now or still to come): what a cache read at `at` must
/// hold to answer "open at" for any later moment.
pub async fn ending_after<C: ConnectionTrait>(
    conn: &C,
    at: DateTime<Utc>,
) -> Result<Vec<DowntimeRow>> {
    Downtime::find().filter(D::EndDate.gt(at)).all(conn).await.db()
}

pub async fn insert<C: ConnectionTrait>(conn: &C, d: DowntimeData) -> Result<DowntimeRow> {
    let t = now();
    downtimes::ActiveModel {
        title: Set(d.title),
        start_date: Set(d.start_date),
        end_date: Set(d.end_date),
        symbols: Set(d.symbols),
        created_at: Set(t),
        updated_at: Set(t),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// Replaces a downtime's fields; `None` when it does not exist.
pub async fn replace<C: ConnectionTrait>(
    conn: &C,
    id: i64,
    d: DowntimeData,
) -> Result<Option<DowntimeRow>> {
    let Some(old) = find(conn, id).await? else { return Ok(None) };
    let mut am: downtimes::ActiveModel = old.into();
    am.title = Set(d.title);
    am.start_date = Set(d.start_date);
    am.end_date = Set(d.end_date);
    am.symbols = Set(d.symbols);
    am.updated_at = Set(now());
    am.update(conn).await.db().map(Some)
}

pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<bool> {
    let res = Downtime::delete_many().filter(D::Id.eq(id)).exec(conn).await.db()?;
    Ok(res.rows_affected == 1)
}
