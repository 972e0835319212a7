//! The `rotation_entries` table: an offer's rotation, which advertisers take its leads, by
//! priority and weight. Replaced as a whole; `(offer, advertiser)` is unique.

use std::collections::HashMap;

use brokercrm_core::Result;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::db::now;
use crate::entities::rotation_entries::{self, Entity as RotationEntry};
use crate::error::DbResultExt;

use super::advertisers::{self, AdvertiserRow};

pub use crate::entities::rotation_entries::Model as RotationEntryRow;

/// One entry to store.
#[derive(Debug, Clone)]
pub struct NewRotationEntry {
    pub advertiser_id: i64,
    pub priority: i32,
    pub weight: i32,
    pub active: bool,
}

/// The offer's entries by priority (lowest first), then id.
pub async fn list_for_offer<C: ConnectionTrait>(
    conn: &C,
    offer_id: i64,
) -> Result<Vec<RotationEntryRow>> {
    RotationEntry::find()
        .filter(rotation_entries::Column::OfferId.eq(offer_id))
        .order_by_asc(rotation_entries::Column::Priority)
        .order_by_asc(rotation_entries::Column::Id)
        .all(conn)
        .await
        .db()
}

/// The offer's entries (as [`list_for_offer`]) each with its advertiser.
pub async fn list_with_advertisers<C: ConnectionTrait>(
    conn: &C,
    offer_id: i64,
) -> Result<Vec<(RotationEntryRow, AdvertiserRow)>> {
    let entries = list_for_offer(conn, offer_id).await?;
    let ids: Vec<i64> = entries.iter().map(|e| e.advertiser_id).collect();
    let mut by_id: HashMap<i64, AdvertiserRow> =
        advertisers::find_by_ids(conn, &ids).await?.into_iter().map(|a| (a.id, a)).collect();
    Ok(entries.into_iter().filter_map(|e| by_id.remove(&e.advertiser_id).map(|a| (e, a))).collect())
}

/// The offer's active entries (as [`list_for_offer`]) whose advertiser is active too, each
/// with its advertiser: the rotation the intake walks.
pub async fn active_with_advertisers<C: ConnectionTrait>(
    conn: &C,
    offer_id: i64,
) -> Result<Vec<(RotationEntryRow, AdvertiserRow)>> {
    let mut rotation = list_with_advertisers(conn, offer_id).await?;
    rotation.retain(|(e, a)| e.active && a.active);
    Ok(rotation)
}

/// Replaces the offer's whole rotation (run inside the caller's transaction).
pub async fn replace<C: ConnectionTrait>(
    conn: &C,
    offer_id: i64,
    entries: Vec<NewRotationEntry>,
) -> Result<()> {
    RotationEntry::delete_many()
        .filter(rotation_entries::Column::OfferId.eq(offer_id))
        .exec(conn)
        .await
        .db()?;
    if entries.is_empty() {
        return Ok(());
    }
    let t = now();
    let rows = entries.into_iter().map(|e| rotation_entries::ActiveModel {
        offer_id: Set(offer_id),
        advertiser_id: Set(e.advertiser_id),
        priority: Set(e.priority),
        weight: Set(e.weight),
        active: Set(e.active),
        created_at: Set(t),
        ..Default::default()
    });
    RotationEntry::insert_many(rows).exec_without_returning(conn).await.db().map(|_| ())
}
