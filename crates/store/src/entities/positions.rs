//! Entity for the `positions` table: a trade on a wallet (pending, open, closed, cancelled);
//! prices, sizes and money at 10^-8.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "positions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub wallet_id: i64,
    pub user_id: i64,
    pub demo: bool,
    pub currency: String,
    pub symbol: String,
    pub side: String,
    pub status: String,
    pub platform: String,
    pub size: i64,
    pub open_price: Option<i64>,
    pub close_price: Option<i64>,
    pub stop_loss: Option<i64>,
    pub take_profit: Option<i64>,
    pub trailing_pct: Option<String>,
    pub trailing_stop: Option<i64>,
    pub invest: Option<i64>,
    pub close_after_seconds: Option<i64>,
    pub margin: i64,
    pub commission: i64,
    pub swap: i64,
    pub closed_pl: Option<i64>,
    pub closed_pl_account: Option<i64>,
    pub closed_reason: Option<String>,
    pub external_id: String,
    /// The last rollover day (`YYYY-MM-DD`) whose swap was applied.
    pub swap_date: Option<String>,
    /// When a position with a duration closes by itself.
    pub close_due_at: Option<DateTimeUtc>,
    pub version: i64,
    pub opened_at: Option<DateTimeUtc>,
    pub closed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
