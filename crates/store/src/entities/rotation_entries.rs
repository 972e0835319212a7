//! Entity for the `rotation_entries` table: an advertiser's place in an offer's rotation: priority and weight.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "rotation_entries")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub offer_id: i64,
    pub advertiser_id: i64,
    pub priority: i32,
    pub weight: i32,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
