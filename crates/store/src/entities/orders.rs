//! Entity for the `orders` table: the orders that open (market, limit, stop) and close a
//! position; prices and sizes at 10^-8.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "orders")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub position_id: i64,
    pub wallet_id: i64,
    pub user_id: i64,
    pub symbol: String,
    pub side: String,
    pub kind: String,
    pub purpose: String,
    pub status: String,
    pub size: i64,
    pub limit_price: Option<i64>,
    pub stop_price: Option<i64>,
    pub fill_price: Option<i64>,
    pub external_id: String,
    pub filled_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
