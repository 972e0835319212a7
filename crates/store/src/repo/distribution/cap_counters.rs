//! The `cap_counters` table: reserve a slot with one conditional upsert (never read-then-write), release
//! it when the delivery fails, and read the current count.

use brokercrm_core::Result;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use crate::entities::cap_counters::{self, Entity as CapCounter};
use crate::error::DbResultExt;

pub use crate::entities::cap_counters::Model as CapCounterRow;

/// Counts one lead against `cap_id` in `period` unless it already reached `max`.
pub async fn reserve<C: ConnectionTrait>(
    conn: &C,
    cap_id: i64,
    period: &str,
    max: i32,
) -> Result<bool> {
    if max <= 0 {
        return Ok(false);
    }
    let row = cap_counters::ActiveModel {
        cap_id: Set(cap_id),
        period_key: Set(period.to_owned()),
        count: Set(1),
    };
    let count = (cap_counters::Entity, cap_counters::Column::Count);
    let n = CapCounter::insert(row)
        .on_conflict(
            OnConflict::columns([cap_counters::Column::CapId, cap_counters::Column::PeriodKey])
                .value(cap_counters::Column::Count, Expr::col(count).add(1))
                .action_and_where(Expr::col(count).lt(max))
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(n == 1)
}

/// Gives back a slot taken by [`reserve`].
pub async fn release<C: ConnectionTrait>(conn: &C, cap_id: i64, period: &str) -> Result<()> {
    CapCounter::update_many()
        .col_expr(cap_counters::Column::Count, Expr::col(cap_counters::Column::Count).sub(1))
        .filter(cap_counters::Column::CapId.eq(cap_id))
        .filter(cap_counters::Column::PeriodKey.eq(period))
        .filter(cap_counters::Column::Count.gt(0))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// The count of `cap_id` in `period` (0 when nothing was counted yet).
pub async fn count<C: ConnectionTrait>(conn: &C, cap_id: i64, period: &str) -> Result<i32> {
    let n = CapCounter::find()
        .select_only()
        .column(cap_counters::Column::Count)
        .filter(cap_counters::Column::CapId.eq(cap_id))
        .filter(cap_counters::Column::PeriodKey.eq(period))
        .into_tuple::<i32>()
        .one(conn)
        .await
        .db()?;
    Ok(n.unwrap_or(0))
}

/// The count of `(cap_id, period_key)` pairs that have a counter; missing pairs are 0.
pub async fn counters<C: ConnectionTrait>(
    conn: &C,
    keys: &[(i64, String)],
) -> Result<Vec<CapCounterRow>> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = keys.iter().map(|(id, _)| *id).collect();
    let mut periods: Vec<String> = keys.iter().map(|(_, k)| k.clone()).collect();
    periods.sort_unstable();
    periods.dedup();
    let rows = CapCounter::find()
        .filter(cap_counters::Column::CapId.is_in(ids))
        .filter(cap_counters::Column::PeriodKey.is_in(periods))
        .all(conn)
        .await
        .db()?;
    Ok(rows
        .into_iter()
        .filter(|r| keys.iter().any(|(id, k)| *id == r.cap_id && *k == r.period_key))
        .collect())
}
