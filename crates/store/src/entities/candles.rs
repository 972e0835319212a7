//! Entity for the `candles` table: open/high/low/close (10^-8 units, on the bid) of a symbol
//! over one interval starting at `open_time`.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "candles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub symbol: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub interval: String,
    #[sea_orm(primary_key, auto_increment = false)]
    pub open_time: DateTimeUtc,
    pub open: i64,
    pub high: i64,
    pub low: i64,
    pub close: i64,
    pub ticks: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
