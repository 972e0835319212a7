//! Entity for the `caps` table: caps on an advertiser's accepted or rejected leads, per day or in total, optionally per offer/country.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "caps")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub advertiser_id: i64,
    pub offer_id: Option<i64>,
    pub country: Option<String>,
    pub period: String,
    pub kind: String,
    pub max_count: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
