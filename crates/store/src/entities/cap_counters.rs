//! Entity for the `cap_counters` table: how many leads a cap has counted in one period.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "cap_counters")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub cap_id: i64,
    #[sea_orm(primary_key, auto_increment = false)]
    pub period_key: String,
    pub count: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
