//! Leases of singleton tasks (the trigger evaluator): a row per task naming its holder until
//! when. Taking or renewing is one conditional statement, so two processes never both hold it.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::trading_leases::{self, Column as L, Entity as Lease};
use crate::error::DbResultExt;

pub use crate::entities::trading_leases::Model as LeaseRow;

/// Takes or renews lease `name` for `holder` until `until` if it is free, expired at `now`
/// or already `holder`'s; returns the lease's epoch when held (it grows on each takeover).
pub async fn acquire<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
    until: DateTime<Utc>,
) -> Result<Option<i64>> {
    let row = trading_leases::ActiveModel {
        name: Set(name.to_owned()),
        holder: Set(holder.to_owned()),
        epoch: Set(1),
        expires_at: Set(until),
    };
    // Inserted, or nothing when the row exists.
    Lease::insert(row)
        .on_conflict(OnConflict::column(L::Name).do_nothing().to_owned())
        .exec_without_returning(conn)
        .await
        .db()?;
    let renewed = Lease::update_many()
        .col_expr(L::ExpiresAt, Expr::value(until))
        .filter(L::Name.eq(name))
        .filter(L::Holder.eq(holder))
        .filter(L::ExpiresAt.gt(now))
        .exec(conn)
        .await
        .db()?;
    if renewed.rows_affected == 0 {
        let taken = Lease::update_many()
            .col_expr(L::Holder, Expr::value(holder))
            .col_expr(L::ExpiresAt, Expr::value(until))
            .col_expr(L::Epoch, Expr::col(L::Epoch).add(1))
            .filter(L::Name.eq(name))
            .filter(L::ExpiresAt.lte(now))
            .exec(conn)
            .await
            .db()?;
        if taken.rows_affected == 0 {
            return Ok(None);
        }
    }
    Ok(Lease::find_by_id(name.to_owned())
        .one(conn)
        .await
        .db()?
        .filter(|l| l.holder == holder)
        .map(|l| l.epoch))
}

/// Gives lease `name` up if `holder` holds it (a clean shutdown).
pub async fn release<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    holder: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    Lease::update_many()
        .col_expr(L::ExpiresAt, Expr::value(now))
        .filter(L::Name.eq(name))
        .filter(L::Holder.eq(holder))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// The lease `name`, if it was ever taken.
pub async fn find<C: ConnectionTrait>(conn: &C, name: &str) -> Result<Option<LeaseRow>> {
    Lease::find_by_id(name.to_owned()).one(conn).await.db()
}
