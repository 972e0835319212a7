//! Entity for the `country_blocks` table: blocked countries, global (`offer_id` null) or per offer.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "country_blocks")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: Option<i64>,
    pub country: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
