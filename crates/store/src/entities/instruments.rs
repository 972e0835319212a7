//! Entity for the `instruments` table: a tradable symbol with every seed field; decimals as
//! canonical decimal text, trading hours and sizes as JSON text.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "instruments")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub symbol: String,
    pub margin_currency: String,
    pub currency: String,
    pub category: String,
    pub decimals: i32,
    pub profit_calc_mode: String,
    pub margin_calc_mode: String,
    /// JSON array of objects.
    pub sizes: String,
    pub margin_percentage: String,
    pub hedged_margin_percentage: String,
    /// JSON array of sessions.
    pub trading_hours: String,
    pub timezone: String,
    pub swap_mode: String,
    pub swap_long: String,
    pub swap_short: String,
    pub swap_3day_weekday: Option<i32>,
    pub stake_mode: String,
    pub contract_size: String,
    pub min_order_size: String,
    pub max_order_size: String,
    pub status: String,
    pub sort: i32,
    pub filename: Option<String>,
    pub file: Option<String>,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
