//! The `caps` table: caps on an advertiser's accepted or rejected leads (per day or in total,
//! optionally per offer and country); their counters are in [`super::cap_counters`].

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::caps::{self, Entity as Cap};
use crate::error::DbResultExt;

pub use crate::entities::caps::Model as CapRow;

/// A cap to create.
#[derive(Debug, Clone)]
pub struct NewCap {
    pub uuid: String,
    pub advertiser_id: i64,
    pub offer_id: Option<i64>,
    pub country: Option<String>,
    pub period: String,
    pub kind: String,
    pub max_count: i32,
}

pub async fn insert<C: ConnectionTrait>(conn: &C, c: NewCap) -> Result<CapRow> {
    caps::ActiveModel {
        uuid: Set(c.uuid),
        advertiser_id: Set(c.advertiser_id),
        offer_id: Set(c.offer_id),
        country: Set(c.country),
        period: Set(c.period),
        kind: Set(c.kind),
        max_count: Set(c.max_count),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

pub async fn find_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<CapRow>> {
    Cap::find().filter(caps::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// One page by id, of one advertiser's caps when `advertiser_id` is set.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    advertiser_id: Option<i64>,
    offset: u64,
    limit: u64,
) -> Result<Vec<CapRow>> {
    let mut q = Cap::find();
    if let Some(a) = advertiser_id {
        q = q.filter(caps::Column::AdvertiserId.eq(a));
    }
    q.order_by_asc(caps::Column::Id).offset(offset).limit(limit).all(conn).await.db()
}

pub async fn set_max_count<C: ConnectionTrait>(conn: &C, id: i64, max_count: i32) -> Result<()> {
    Cap::update_many()
        .col_expr(caps::Column::MaxCount, Expr::value(max_count))
        .filter(caps::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

/// Deletes a cap and its counters (cascade).
pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    Cap::delete_by_id(id).exec(conn).await.db().map(|_| ())
}

/// Caps of these advertisers that apply to `offer_id` (their own or offer-less ones), by id.
pub async fn for_offer<C: ConnectionTrait>(
    conn: &C,
    advertiser_ids: &[i64],
    offer_id: i64,
) -> Result<Vec<CapRow>> {
    Cap::find()
        .filter(caps::Column::AdvertiserId.is_in(advertiser_ids.to_vec()))
        .filter(
            Condition::any()
                .add(caps::Column::OfferId.is_null())
                .add(caps::Column::OfferId.eq(offer_id)),
        )
        .order_by_asc(caps::Column::Id)
        .all(conn)
        .await
        .db()
}
