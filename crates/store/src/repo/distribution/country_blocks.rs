//! The `country_blocks` table: blocked countries, global (`offer_id` null) or per offer.

use brokercrm_core::Result;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set,
};

use crate::db::now;
use crate::entities::country_blocks::{self, Entity as CountryBlock};
use crate::error::DbResultExt;

pub use crate::entities::country_blocks::Model as CountryBlockRow;

pub async fn insert<C: ConnectionTrait>(
    conn: &C,
    country: &str,
    offer_id: Option<i64>,
) -> Result<CountryBlockRow> {
    country_blocks::ActiveModel {
        offer_id: Set(offer_id),
        country: Set(country.to_owned()),
        created_at: Set(now()),
        ..Default::default()
    }
    .insert(conn)
    .await
    .db()
}

/// Whether exactly this block exists (`offer_id` `None`: the global block of `country`).
pub async fn exists<C: ConnectionTrait>(
    conn: &C,
    country: &str,
    offer_id: Option<i64>,
) -> Result<bool> {
    let q = CountryBlock::find().filter(country_blocks::Column::Country.eq(country));
    let q = match offer_id {
        Some(o) => q.filter(country_blocks::Column::OfferId.eq(o)),
        None => q.filter(country_blocks::Column::OfferId.is_null()),
    };
    Ok(q.count(conn).await.db()? > 0)
}

pub async fn find_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<CountryBlockRow>> {
    CountryBlock::find_by_id(id).one(conn).await.db()
}

/// One page, by id.
pub async fn list<C: ConnectionTrait>(
    conn: &C,
    offset: u64,
    limit: u64,
) -> Result<Vec<CountryBlockRow>> {
    CountryBlock::find()
        .order_by_asc(country_blocks::Column::Id)
        .offset(offset)
        .limit(limit)
        .all(conn)
        .await
        .db()
}

pub async fn delete<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    CountryBlock::delete_by_id(id).exec(conn).await.db().map(|_| ())
}

/// Countries blocked for `offer_id`, globally or for that offer.
pub async fn blocked_for_offer<C: ConnectionTrait>(conn: &C, offer_id: i64) -> Result<Vec<String>> {
    let rows = CountryBlock::find()
        .filter(
            Condition::any()
                .add(country_blocks::Column::OfferId.is_null())
                .add(country_blocks::Column::OfferId.eq(offer_id)),
        )
        .all(conn)
        .await
        .db()?;
    Ok(rows.into_iter().map(|r| r.country).collect())
}
