//! Dedup keys: a unique row per key, held by one lead until it expires. Concurrent duplicates
//! race on the primary key, so exactly one lead holds a key at a time.

use brokercrm_core::Result;
use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, Set};

use crate::entities::lead_dedup_keys::{self, Entity as DedupKey};
use crate::error::DbResultExt;

/// Takes `key_hash` for `lead_id` until `expires_at`; false if another lead holds it unexpired.
pub async fn claim<C: ConnectionTrait>(
    conn: &C,
    key_hash: &str,
    lead_id: i64,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
) -> Result<bool> {
    let row = lead_dedup_keys::ActiveModel {
        key_hash: Set(key_hash.to_owned()),
        lead_id: Set(lead_id),
        expires_at: Set(expires_at),
    };
    let n = DedupKey::insert(row)
        .on_conflict(
            OnConflict::column(lead_dedup_keys::Column::KeyHash)
                .update_columns([
                    lead_dedup_keys::Column::LeadId,
                    lead_dedup_keys::Column::ExpiresAt,
                ])
                .action_and_where(
                    Expr::col((lead_dedup_keys::Entity, lead_dedup_keys::Column::ExpiresAt))
                        .lte(now),
                )
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    Ok(n == 1)
}

/// Releases every key a lead holds (its delivery failed, so it must not block a retry).
pub async fn release_for_lead<C: ConnectionTrait>(conn: &C, lead_id: i64) -> Result<()> {
    DedupKey::delete_many()
        .filter(lead_dedup_keys::Column::LeadId.eq(lead_id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}
