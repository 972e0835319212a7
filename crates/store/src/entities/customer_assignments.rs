//! Entity for the `customer_assignments` table: a customer's desk, agents and sales status.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "customer_assignments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub customer_id: i64,
    pub sales_desk_id: Option<i64>,
    pub conversion_agent_id: Option<i64>,
    pub retention_agent_id: Option<i64>,
    pub sales_status_id: Option<i64>,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
