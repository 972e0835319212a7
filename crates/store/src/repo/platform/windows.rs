//! Shared request windows for several instances: "seen this key until" fingerprints and an
//! exact sliding-window hit log.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::entities::rate_limit_hits::{self, Entity as Hit};
use crate::entities::request_fingerprints::{self, Entity as Fingerprint};
use crate::error::DbResultExt;

/// Holds `key` until `expires_at` unless it is already held at `now`; returns when the
/// existing hold ends if it is.
pub async fn hold<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>> {
    let row =
        request_fingerprints::ActiveModel { key: Set(key.to_owned()), expires_at: Set(expires_at) };
    let col = (request_fingerprints::Entity, request_fingerprints::Column::ExpiresAt);
    let n = Fingerprint::insert(row)
        .on_conflict(
            OnConflict::column(request_fingerprints::Column::Key)
                .update_column(request_fingerprints::Column::ExpiresAt)
                .action_and_where(Expr::col(col).lte(now))
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    if n == 1 {
        return Ok(None);
    }
    let held = Fingerprint::find_by_id(key.to_owned()).one(conn).await.db()?;
    Ok(Some(held.map(|h| h.expires_at).unwrap_or(expires_at)))
}

/// Serialises concurrent callers on `key` for the rest of the transaction (a row lock on
/// PostgreSQL; SQLite write transactions are already serial).
pub async fn lock<C: ConnectionTrait>(conn: &C, key: &str, until: DateTime<Utc>) -> Result<()> {
    let row =
        request_fingerprints::ActiveModel { key: Set(key.to_owned()), expires_at: Set(until) };
    Fingerprint::insert(row)
        .on_conflict(
            OnConflict::column(request_fingerprints::Column::Key)
                .update_column(request_fingerprints::Column::ExpiresAt)
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()
        .map(|_| ())
}

/// Hits of `key` at or after `since`, oldest first (at most `limit`).
pub async fn hits_since<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    since: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<DateTime<Utc>>> {
    Hit::find()
        .select_only()
        .column(rate_limit_hits::Column::At)
        .filter(rate_limit_hits::Column::Key.eq(key))
        .filter(rate_limit_hits::Column::At.gt(since))
        .order_by_asc(rate_limit_hits::Column::At)
        .limit(limit)
        .into_tuple::<DateTime<Utc>>()
        .all(conn)
        .await
        .db()
}

pub async fn add_hit<C: ConnectionTrait>(conn: &C, key: &str, at: DateTime<Utc>) -> Result<()> {
    let row = rate_limit_hits::ActiveModel {
        key: Set(key.to_owned()),
        at: Set(at),
        ..Default::default()
    };
    Hit::insert(row).exec_without_returning(conn).await.db().map(|_| ())
}

/// Drops hits of `key` older than `before` (keeps the log small).
pub async fn prune_hits<C: ConnectionTrait>(
    conn: &C,
    key: &str,
    before: DateTime<Utc>,
) -> Result<()> {
    Hit::delete_many()
        .filter(rate_limit_hits::Column::Key.eq(key))
        .filter(rate_limit_hits::Column::At.lte(before))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Drops every expired fingerprint (housekeeping).
pub async fn prune_fingerprints<C: ConnectionTrait>(conn: &C, now: DateTime<Utc>) -> Result<u64> {
    let res = Fingerprint::delete_many()
        .filter(request_fingerprints::Column::ExpiresAt.lte(now))
        .exec(conn)
        .await
        .db()?;
    Ok(res.rows_affected)
}
