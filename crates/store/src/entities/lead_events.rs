//! Entity for the `lead_events` table: a lead's routing trace: every skip, attempt and outcome, in order.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "lead_events")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i64,
    pub lead_id: i64,
    pub seq: i32,
    pub kind: String,
    pub advertiser_id: Option<i64>,
    pub error_type: Option<String>,
    pub message: Option<String>,
    pub duration_ms: Option<i32>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
