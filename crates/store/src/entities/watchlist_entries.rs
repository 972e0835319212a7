//! Entity for the `watchlist_entries` table: a symbol on a wallet's watchlist.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "watchlist_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub wallet_id: i64,
    pub symbol: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
