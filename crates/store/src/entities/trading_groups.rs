//! Entity for the `trading_groups` table: a trading group's leverage, currency, trading
//! adapter, swap switch, markups, commissions and margin-call/stop-out levels.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "trading_groups")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    #[sea_orm(unique)]
    pub name: String,
    pub leverage: i32,
    pub currency: String,
    pub adapter_name: String,
    pub disable_swap_charges: bool,
    /// JSON array of objects.
    pub markups: String,
    /// JSON array of objects.
    pub commissions: String,
    /// Hundredths of a percent.
    pub margin_call_level: i32,
    /// Hundredths of a percent.
    pub stop_out_level: i32,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
