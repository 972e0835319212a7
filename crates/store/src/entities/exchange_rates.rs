//! Entity for the `exchange_rates` table: `1 from_currency = rate × to_currency`, the rate as
//! canonical decimal text.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exchange_rates")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub from_currency: String,
    pub to_currency: String,
    pub source: String,
    /// Exact decimal text (`"1.0856"`), validated by `core::fx::Rate`.
    pub rate: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
