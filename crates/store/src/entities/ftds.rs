//! Entity for the `conversions` table, called FTDs in code (to tell them from FX conversion
//! paths): a lead reaching a goal type (Lead, FTD, ...), at most once per goal.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "conversions")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub uuid: String,
    pub lead_id: i64,
    pub goal_type_id: i64,
    pub affiliate_id: i64,
    pub source: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
