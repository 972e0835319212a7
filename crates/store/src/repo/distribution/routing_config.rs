//! Reads of the distribution configuration on the intake hot path: the affiliate token, the
//! offer with its rotation, caps, country blocks, dedup rules and goal types.

use brokercrm_core::Result;
use sea_orm::sea_query::Expr;
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set};

use crate::db::now;
use crate::entities::{
    advertisers, affiliate_tokens, caps, country_blocks, dedup_rules, goal_types, offers,
    rotation_entries,
};
use crate::error::DbResultExt;

pub use crate::entities::advertisers::Model as AdvertiserRow;
pub use crate::entities::affiliate_tokens::Model as AffiliateTokenRow;
pub use crate::entities::caps::Model as CapRow;
pub use crate::entities::dedup_rules::Model as DedupRuleRow;
pub use crate::entities::goal_types::Model as GoalTypeRow;
pub use crate::entities::offers::Model as OfferRow;
pub use crate::entities::rotation_entries::Model as RotationEntryRow;

/// The token with this hash, whatever its state.
pub async fn token_by_hash<C: ConnectionTrait>(
    conn: &C,
    hash: &str,
) -> Result<Option<AffiliateTokenRow>> {
    affiliate_tokens::Entity::find()
        .filter(affiliate_tokens::Column::TokenHash.eq(hash))
        .one(conn)
        .await
        .db()
}

/// Records that a token was used (callers throttle this).
pub async fn touch_token<C: ConnectionTrait>(conn: &C, id: i64) -> Result<()> {
    affiliate_tokens::Entity::update_many()
        .col_expr(affiliate_tokens::Column::LastUsedAt, Expr::value(now()))
        .filter(affiliate_tokens::Column::Id.eq(id))
        .exec(conn)
        .await
        .db()
        .map(|_| ())
}

pub async fn offer_by_id<C: ConnectionTrait>(conn: &C, id: i64) -> Result<Option<OfferRow>> {
    offers::Entity::find_by_id(id).one(conn).await.db()
}

pub async fn offer_by_uuid<C: ConnectionTrait>(conn: &C, uuid: &str) -> Result<Option<OfferRow>> {
    offers::Entity::find().filter(offers::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// The active rotation entries of an offer with their active advertisers, by priority.
pub async fn rotation<C: ConnectionTrait>(
    conn: &C,
    offer_id: i64,
) -> Result<Vec<(RotationEntryRow, AdvertiserRow)>> {
    let entries = rotation_entries::Entity::find()
        .filter(rotation_entries::Column::OfferId.eq(offer_id))
        .filter(rotation_entries::Column::Active.eq(true))
        .order_by_asc(rotation_entries::Column::Priority)
        .order_by_asc(rotation_entries::Column::Id)
        .all(conn)
        .await
        .db()?;
    let ids: Vec<i64> = entries.iter().map(|e| e.advertiser_id).collect();
    let advs = advertisers::Entity::find()
        .filter(advertisers::Column::Id.is_in(ids))
        .filter(advertisers::Column::Active.eq(true))
        .all(conn)
        .await
        .db()?;
    Ok(entries
        .into_iter()
        .filter_map(|e| {
            let a = advs.iter().find(|a| a.id == e.advertiser_id)?.clone();
            Some((e, a))
        })
        .collect())
}

pub async fn advertiser_by_id<C: ConnectionTrait>(
    conn: &C,
    id: i64,
) -> Result<Option<AdvertiserRow>> {
    advertisers::Entity::find_by_id(id).one(conn).await.db()
}

pub async fn advertiser_by_uuid<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
) -> Result<Option<AdvertiserRow>> {
    advertisers::Entity::find().filter(advertisers::Column::Uuid.eq(uuid)).one(conn).await.db()
}

/// Caps of these advertisers that apply to `offer_id` (their own or offer-less ones).
pub async fn caps_for<C: ConnectionTrait>(
    conn: &C,
    advertiser_ids: &[i64],
    offer_id: i64,
) -> Result<Vec<CapRow>> {
    caps::Entity::find()
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

/// Countries blocked for `offer_id`, globally or for that offer.
pub async fn blocked_countries<C: ConnectionTrait>(conn: &C, offer_id: i64) -> Result<Vec<String>> {
    let rows = country_blocks::Entity::find()
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

pub async fn active_dedup_rules<C: ConnectionTrait>(conn: &C) -> Result<Vec<DedupRuleRow>> {
    dedup_rules::Entity::find()
        .filter(dedup_rules::Column::Active.eq(true))
        .order_by_asc(dedup_rules::Column::Id)
        .all(conn)
        .await
        .db()
}

pub async fn goal_types_all<C: ConnectionTrait>(conn: &C) -> Result<Vec<GoalTypeRow>> {
    goal_types::Entity::find().order_by_asc(goal_types::Column::Id).all(conn).await.db()
}

pub async fn goal_type_by_uuid<C: ConnectionTrait>(
    conn: &C,
    uuid: &str,
) -> Result<Option<GoalTypeRow>> {
    goal_types::Entity::find().filter(goal_types::Column::Uuid.eq(uuid)).one(conn).await.db()
}

pub async fn goal_type_by_name<C: ConnectionTrait>(
    conn: &C,
    name: &str,
) -> Result<Option<GoalTypeRow>> {
    goal_types::Entity::find().filter(goal_types::Column::Name.eq(name)).one(conn).await.db()
}

/// Creates the goal type `name` unless it exists (first writer wins); returns it.
pub async fn ensure_goal_type<C: ConnectionTrait>(
    conn: &C,
    name: &str,
    system: bool,
) -> Result<GoalTypeRow> {
    let row = goal_types::ActiveModel {
        uuid: Set(uuid::Uuid::now_v7().to_string()),
        name: Set(name.to_owned()),
        system: Set(system),
        created_at: Set(now()),
        ..Default::default()
    };
    goal_types::Entity::insert(row)
        .on_conflict(
            sea_orm::sea_query::OnConflict::column(goal_types::Column::Name)
                .do_nothing()
                .to_owned(),
        )
        .exec_without_returning(conn)
        .await
        .db()?;
    goal_type_by_name(conn, name).await?.ok_or(brokercrm_core::Error::NotFound("goal type"))
}
