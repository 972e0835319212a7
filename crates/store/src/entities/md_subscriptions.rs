//! Entity for the `md_subscriptions` table: an account's subscription to a feed (one row per pair).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "md_subscriptions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub account_id: i64,
    pub feed_id: i64,
    pub status: String,
    pub activated_at: DateTimeUtc,
    pub expires_at: Option<DateTimeUtc>,
    pub activations: i32,
    pub cancelled_at: Option<DateTimeUtc>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::md_feeds::Entity",
        from = "Column::FeedId",
        to = "super::md_feeds::Column::Id"
    )]
    Feed,
}

impl ActiveModelBehavior for ActiveModel {}
